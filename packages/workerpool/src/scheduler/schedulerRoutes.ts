import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { type Address, getAddress, type Hex, isAddress, isHex, recoverMessageAddress, zeroAddress } from 'viem';
import { z } from 'zod';
import type { Scheduler } from './createScheduler.js';
import type { Journal } from './openJournal.js';

/** Stable codes of the scheduler's HTTP refusals. */
export const SchedulerErrorCodes = {
  SCHEDULER_INVALID_INPUT: 400,
  SCHEDULER_AUTH_REQUIRED: 401,
  SCHEDULER_CHALLENGE_INVALID: 401,
  SCHEDULER_SIGNATURE_INVALID: 401,
  SCHEDULER_WORKER_NOT_ALLOWED: 403,
  SCHEDULER_TASK_NOT_YOURS: 409,
  SCHEDULER_TASK_UNKNOWN: 404,
} as const;

type SchedulerErrorCode = keyof typeof SchedulerErrorCodes;

class SchedulerHttpError extends HTTPException {
  constructor(
    readonly code: SchedulerErrorCode,
    message: string,
  ) {
    super(SchedulerErrorCodes[code], { message });
  }
}

/** The text a worker signs (EIP-191) to log in: one challenge, one workerpool. */
export function workerLoginMessage(challenge: string, workerpool: Address): string {
  return `Confide worker login\nworkerpool: ${getAddress(workerpool)}\nchallenge: ${challenge}`;
}

const CHALLENGE_TTL_MS = 60_000;
const address = z.string().refine((v) => isAddress(v, { strict: false }), 'must be an address');
const taskIdParam = z.string().refine((v) => isHex(v) && v.length === 66, 'must be a 32-byte task id');
const WORKER_STATUSES = [
  'RECEIVED',
  'DOWNLOADING_APP',
  'DOWNLOADING_DATA',
  'COMPUTING',
  'UPLOADING',
  'CONTRIBUTED',
  'REVEALED',
  'COMPLETED',
  'FAILED',
] as const;

async function body<T>(c: { req: { json: () => Promise<unknown> } }, schema: z.ZodType<T>): Promise<T> {
  const input = await c.req.json().catch(() => {
    throw new SchedulerHttpError('SCHEDULER_INVALID_INPUT', 'the body must be JSON');
  });
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SchedulerHttpError('SCHEDULER_INVALID_INPUT', `${issue?.path.join('.') || 'input'}: ${issue?.message}`);
  }
  return parsed.data;
}

/**
 * The scheduler's HTTP API: its signed workerpool order, worker login (signed single-use
 * challenge), task leases, heartbeats, enclave authorization, and public task status.
 */
export function schedulerRoutes(p: {
  scheduler: Scheduler;
  journal: Journal;
  workerpool: Address;
  /** Workers allowed to log in; every worker when empty. */
  allowedWorkers: readonly Address[];
}) {
  const { scheduler, journal } = p;
  const allowed = new Set(p.allowedWorkers.map((a) => getAddress(a)));
  const app = new Hono<{ Variables: { worker: Address } }>();

  app.onError((error, c) => {
    if (error instanceof SchedulerHttpError) {
      return c.json({ error: { code: error.code, message: error.message } }, error.status);
    }
    return c.json({ error: { code: 'SCHEDULER_INTERNAL', message: 'internal error' } }, 500);
  });

  app.get('/health', (c) => c.json({ ok: true, workerpool: p.workerpool, cursor: String(journal.cursor() ?? -1n) }));

  app.get('/workerpool/orders', async (c) => {
    const { order, orderHash } = await scheduler.workerpoolOrder();
    const json = JSON.parse(JSON.stringify(order, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
    return c.json({ orders: [{ order: json, orderHash }] });
  });

  app.post('/workers/challenge', async (c) => {
    const { worker } = await body(c, z.object({ worker: address }));
    const who = getAddress(worker);
    if (allowed.size > 0 && !allowed.has(who)) {
      throw new SchedulerHttpError(
        'SCHEDULER_WORKER_NOT_ALLOWED',
        `worker ${who} is not registered with this workerpool`,
      );
    }
    const challenge = `0x${randomBytes(32).toString('hex')}`;
    journal.addChallenge(challenge, who, Date.now() + CHALLENGE_TTL_MS);
    return c.json({ challenge, message: workerLoginMessage(challenge, p.workerpool) });
  });

  app.post('/workers/login', async (c) => {
    const input = await body(c, z.object({ challenge: z.string(), signature: z.string().refine(isHex) }));
    const worker = journal.takeChallenge(input.challenge, Date.now());
    if (!worker) throw new SchedulerHttpError('SCHEDULER_CHALLENGE_INVALID', 'unknown, used or expired challenge');
    const signer = await recoverMessageAddress({
      message: workerLoginMessage(input.challenge, p.workerpool),
      signature: input.signature as Hex,
    }).catch(() => zeroAddress);
    if (signer !== worker)
      throw new SchedulerHttpError('SCHEDULER_SIGNATURE_INVALID', 'the login is not signed by the worker');
    const token = randomBytes(32).toString('base64url');
    journal.addSession(token, worker);
    return c.json({ token, worker });
  });

  app.use('/tasks/*', async (c, next) => {
    if (c.req.method === 'GET') return next();
    const token = c.req.header('authorization')?.replace(/^Bearer /, '') ?? '';
    const worker = token ? journal.sessionWorker(token) : undefined;
    if (!worker)
      throw new SchedulerHttpError('SCHEDULER_AUTH_REQUIRED', 'log in: POST /workers/challenge then /workers/login');
    c.set('worker', worker);
    return next();
  });

  app.post('/tasks/next', (c) => {
    const task = scheduler.assign(c.get('worker'));
    if (!task) return c.body(null, 204);
    return c.json({ taskId: task.taskId, leaseMs: scheduler.leaseMs, attempt: task.attempts });
  });

  const taskOf = (raw: string): Hex => {
    const parsed = taskIdParam.safeParse(raw);
    if (!parsed.success) throw new SchedulerHttpError('SCHEDULER_INVALID_INPUT', 'taskId: must be a 32-byte task id');
    return parsed.data.toLowerCase() as Hex;
  };

  app.post('/tasks/:taskId/heartbeat', async (c) => {
    const taskId = taskOf(c.req.param('taskId'));
    const { status, results } = await body(
      c,
      z.object({
        status: z.enum(WORKER_STATUSES),
        results: z
          .string()
          .regex(/^\/ipfs\/[A-Za-z0-9]{1,100}$/, 'must be /ipfs/<cid>')
          .optional(),
      }),
    );
    if (!scheduler.heartbeat(taskId, c.get('worker'), status, results)) {
      throw new SchedulerHttpError('SCHEDULER_TASK_NOT_YOURS', `task ${taskId} is not leased to you (any more)`);
    }
    return c.json({ leaseMs: scheduler.leaseMs });
  });

  app.post('/tasks/:taskId/authorize', async (c) => {
    const taskId = taskOf(c.req.param('taskId'));
    const { enclave } = await body(c, z.object({ enclave: address }));
    const signature = await scheduler.authorize(taskId, c.get('worker'), enclave as Address);
    if (!signature)
      throw new SchedulerHttpError('SCHEDULER_TASK_NOT_YOURS', `task ${taskId} is not leased to you (any more)`);
    return c.json({ authorizationSign: signature });
  });

  app.get('/tasks/:taskId', (c) => {
    const task = journal.task(taskOf(c.req.param('taskId')));
    if (!task) throw new SchedulerHttpError('SCHEDULER_TASK_UNKNOWN', 'no such task in this workerpool');
    return c.json({
      taskId: task.taskId,
      dealId: task.dealId,
      taskIndex: task.taskIndex,
      state: task.state,
      worker: task.worker,
      workerStatus: task.workerStatus,
      attempts: task.attempts,
      outcome: task.outcome,
      ...(task.replicated
        ? {
            replicated: true,
            replicasWanted: task.replicasWanted,
            replicas: journal
              .replicas(task.taskId)
              .map((r) => ({ worker: r.worker, state: r.state, workerStatus: r.workerStatus })),
          }
        : {}),
    });
  });

  return app;
}
