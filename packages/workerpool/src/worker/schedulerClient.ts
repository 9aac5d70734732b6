import type { Address, Hex, LocalAccount } from 'viem';
import { fetchRetryingClosedSocket } from '../../../protocol/src/http.js';

/** Task statuses a worker reports, as a user reads them. */
export type WorkerTaskStatus =
  | 'RECEIVED'
  | 'DOWNLOADING_APP'
  | 'DOWNLOADING_DATA'
  | 'COMPUTING'
  | 'UPLOADING'
  | 'CONTRIBUTED'
  | 'REVEALED'
  | 'COMPLETED'
  | 'FAILED';

/** The scheduler refused a call; `code` is its stable error code. */
export class SchedulerCallError extends Error {
  override name = 'SchedulerCallError';
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The worker's side of the scheduler API: logs in with a signed challenge (again whenever the
 * scheduler forgets the session), leases tasks, sends heartbeats, gets enclave authorizations.
 */
export function createSchedulerClient({ url, account }: { url: string; account: LocalAccount }) {
  let token: string | undefined;

  const call = async (path: string, payload: unknown, auth: boolean): Promise<{ status: number; body: unknown }> => {
    const response = await fetchRetryingClosedSocket(fetch, new URL(path, url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(auth && token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(payload ?? {}),
      signal: AbortSignal.timeout(30_000),
    });
    const body = response.status === 204 ? undefined : await response.json().catch(() => undefined);
    if (!response.ok) {
      const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new SchedulerCallError(error?.code ?? `HTTP_${response.status}`, response.status, error?.message ?? '');
    }
    return { status: response.status, body };
  };

  const login = async () => {
    const { body } = await call('/workers/challenge', { worker: account.address }, false);
    const { challenge, message } = body as { challenge: string; message: string };
    const signature = await account.signMessage({ message });
    token = ((await call('/workers/login', { challenge, signature }, false)).body as { token: string }).token;
  };

  /** A call with the session, logging in first or again when the scheduler asks for it. */
  const authed = async (path: string, payload: unknown) => {
    if (!token) await login();
    try {
      return await call(path, payload, true);
    } catch (error) {
      if (!(error instanceof SchedulerCallError) || error.code !== 'SCHEDULER_AUTH_REQUIRED') throw error;
      await login();
      return call(path, payload, true);
    }
  };

  return {
    /** The next task leased to this worker, or undefined when the queue is empty. */
    async next(): Promise<{ taskId: Hex; leaseMs: number } | undefined> {
      const { status, body } = await authed('/tasks/next', {});
      return status === 204 ? undefined : (body as { taskId: Hex; leaseMs: number });
    },
    /** Renews the lease; throws `SCHEDULER_TASK_NOT_YOURS` when the task went to another worker. */
    heartbeat: async (taskId: Hex, status: WorkerTaskStatus, results?: string) => {
      await authed(`/tasks/${taskId}/heartbeat`, { status, ...(results ? { results } : {}) });
    },
    authorize: async (taskId: Hex, enclave: Address): Promise<Hex> =>
      ((await authed(`/tasks/${taskId}/authorize`, { enclave })).body as { authorizationSign: Hex }).authorizationSign,
  };
}

/** What {@link createSchedulerClient} returns. */
export type SchedulerClient = ReturnType<typeof createSchedulerClient>;
