import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import type { Account, Address, Chain, Hex, PublicClient, Transport, WalletClient } from 'viem';
import type { Storage } from '../../../storage/src/index.js';
import type { ByzantineBehaviour } from './runReplicatedTask.js';
import { cleanTask, runTask } from './runTask.js';
import { SchedulerCallError, type SchedulerClient, type WorkerTaskStatus } from './schedulerClient.js';

/** Parameters of {@link createWorker}. */
export type CreateWorkerParameters = {
  publicClient: PublicClient<Transport, Chain>;
  wallet: WalletClient<Transport, Chain, Account>;
  hub: Address;
  storage: Storage;
  scheduler: SchedulerClient;
  smsUrl: string;
  /** The worker's folder: per-task ciphertext and encrypted results, removed after each task. */
  dataDir: string;
  /** A tmpfs where enclaves decrypt (default `/dev/shm`): plaintext never reaches a disk. */
  tmpfsDir: string;
  platformKeyFile: string;
  slots: number;
  limits: { memoryLimitBytes: number; maxProcesses: number };
  smsRetryMs: number;
  /** Pause between two empty polls of the scheduler. */
  pollMs: number;
  log: Logger;
  /** FAULT INJECTION, FOR TESTS ONLY: see `byzantine` in the worker's configuration. */
  byzantine?: ByzantineBehaviour | undefined;
};

/** A task as the worker's status endpoint shows it. */
export type WorkerTaskView = {
  taskId: Hex;
  status: WorkerTaskStatus;
  reason?: string;
  updatedAt: string;
};

/**
 * A worker with N slots: each slot leases a task from the scheduler, runs it (see `runTask`),
 * and takes the next. Every status change is logged (one line, task id in it), shown on
 * `GET /tasks/:taskId`, and sent to the scheduler as a heartbeat that keeps the lease.
 */
export function createWorker(p: CreateWorkerParameters) {
  const statuses = new Map<Hex, WorkerTaskView>();
  const active = new Set<Promise<void>>();
  let stopping = false;
  let wake: (() => void) | undefined;
  const tag = p.wallet.account.address.slice(2, 10).toLowerCase();
  // Shared by every task of this worker: `lie-after:N` counts its contributions.
  const byzantine = p.byzantine === undefined ? undefined : { behaviour: p.byzantine, committed: 0 };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function runOne(taskId: Hex, leaseMs: number): Promise<void> {
    const log = p.log.child({ taskId });
    const ctx = {
      ...p,
      byzantine,
      log,
      taskDir: path.join(p.dataDir, 'tasks', taskId),
      enclaveWorkDir: path.join(p.tmpfsDir, `confide-${tag}-${taskId.slice(2, 18)}`),
    };
    let lost = false;
    let results: string | undefined;
    const beat = async (status: WorkerTaskStatus) => {
      try {
        await p.scheduler.heartbeat(taskId, status, results);
      } catch (error) {
        if (error instanceof SchedulerCallError && error.code === 'SCHEDULER_TASK_NOT_YOURS') lost = true;
        else log.warn({ err: String(error) }, 'heartbeat failed');
      }
    };
    let current: WorkerTaskStatus = 'RECEIVED';
    const keepAlive = setInterval(() => void beat(current), Math.max(250, Math.floor(leaseMs / 3)));
    try {
      const outcome = await runTask(taskId, {
        ...ctx,
        onStatus: async (status, extra) => {
          current = status;
          if (extra?.results) results = extra.results;
          const reason = extra?.reason === undefined ? {} : { reason: extra.reason };
          statuses.set(taskId, { taskId, status, ...reason, updatedAt: new Date().toISOString() });
          log.info({ status, ...extra }, 'task status');
          // The heartbeat runs beside the task; a lost lease is seen at the next step.
          if (lost) throw new Error('the scheduler gave this task to another worker');
          // Where a revealed result is must reach the scheduler before the task is done here.
          if (status === 'REVEALED') await beat(status);
          else if (status !== 'COMPLETED' && status !== 'FAILED') void beat(status);
        },
      });
      const { status: settled, ...details } = outcome;
      log.info({ settled, ...details }, 'task settled on chain');
    } catch (error) {
      statuses.set(taskId, {
        taskId,
        status: 'FAILED',
        reason: 'WORKER_ERROR',
        updatedAt: new Date().toISOString(),
      });
      log.error({ err: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }, 'task abandoned');
    } finally {
      clearInterval(keepAlive);
      await cleanTask(ctx).catch(() => undefined);
    }
  }

  async function slot(index: number): Promise<void> {
    while (!stopping) {
      let next: Awaited<ReturnType<SchedulerClient['next']>>;
      try {
        next = await p.scheduler.next();
      } catch (error) {
        p.log.warn({ slot: index, err: String(error) }, 'scheduler unreachable');
        next = undefined;
      }
      if (!next) {
        await sleep(p.pollMs);
        continue;
      }
      const run = runOne(next.taskId, next.leaseMs);
      active.add(run);
      await run;
      active.delete(run);
    }
  }

  const routes = new Hono();
  routes.get('/health', (c) => c.json({ ok: true, worker: p.wallet.account.address, slots: p.slots }));
  routes.get('/tasks', (c) => c.json({ tasks: [...statuses.values()] }));
  routes.get('/tasks/:taskId', (c) => {
    const view = statuses.get(c.req.param('taskId').toLowerCase() as Hex);
    if (!view)
      return c.json({ error: { code: 'WORKER_TASK_UNKNOWN', message: 'this worker has not run that task' } }, 404);
    return c.json(view);
  });

  let loops: Promise<void>[] = [];
  return {
    routes,
    /** Cleans what a previous run left (a crash), then starts the slots. */
    async start(): Promise<void> {
      await rm(path.join(p.dataDir, 'tasks'), { recursive: true, force: true });
      loops = Array.from({ length: p.slots }, (_, i) => slot(i));
      p.log.info({ worker: p.wallet.account.address, slots: p.slots }, 'worker started');
    },
    /** Stops taking tasks and waits for the running ones. */
    async stop(): Promise<void> {
      stopping = true;
      wake?.();
      await Promise.all([...active]);
      await Promise.all(loops);
    },
  };
}
