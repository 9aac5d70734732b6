import Database from 'better-sqlite3';
import type { Address, Hex } from 'viem';

/**
 * Where a task stands for the scheduler:
 * - `PENDING`: known from a deal, not yet seen ACTIVE on chain;
 * - `READY`: ACTIVE on chain, waiting for a worker; a replicated task stays READY until it ends,
 *   its workers' leases being its replicas (see {@link JournalReplica});
 * - `ASSIGNED`: leased to a worker until `leaseUntil`;
 * - `DONE`: ended on chain (COMPLETED, FAILED or claimed), see `outcome`.
 */
export type JournalTaskState = 'PENDING' | 'READY' | 'ASSIGNED' | 'DONE';

/** A task as the journal keeps it. */
export type JournalTask = {
  taskId: Hex;
  dealId: Hex;
  taskIndex: number;
  state: JournalTaskState;
  worker: Address | null;
  enclave: Address | null;
  leaseUntil: number;
  attempts: number;
  finalDeadline: number;
  /** What the worker last said (`COMPUTING`…), for the status endpoint. */
  workerStatus: string | null;
  /** How the task ended on chain: `COMPLETED`, `FAILED:<reason>` or `CLAIMED`. */
  outcome: string | null;
  initializeTx: Hex | null;
  /** A deal with trust > 1 and no TEE tag: several workers contribute (Proof of Contribution). */
  replicated: boolean;
  /** For a replicated task: how many uncommitted replicas the consensus needs now (set each round). */
  replicasWanted: number;
};

/**
 * One worker's part of a replicated task:
 * - `LEASED`: given to the worker until `leaseUntil`, not committed on chain yet;
 * - `CONTRIBUTED`: its commitment is on chain (it no longer expires);
 * - `EXPIRED`: the lease ran out before a commitment; the place goes to another worker.
 */
export type JournalReplica = {
  taskId: Hex;
  worker: Address;
  state: 'LEASED' | 'CONTRIBUTED' | 'EXPIRED';
  leaseUntil: number;
  workerStatus: string | null;
  /** Where the worker says it stored the result (`/ipfs/<cid>`), once it revealed. */
  results: string | null;
};

type ReplicaRow = {
  task_id: Hex;
  worker: Address;
  state: JournalReplica['state'];
  lease_until: number;
  worker_status: string | null;
  results: string | null;
};

const toReplica = (r: ReplicaRow): JournalReplica => ({
  taskId: r.task_id,
  worker: r.worker,
  state: r.state,
  leaseUntil: r.lease_until,
  workerStatus: r.worker_status,
  results: r.results,
});

type Row = {
  task_id: Hex;
  deal_id: Hex;
  task_index: number;
  state: JournalTaskState;
  worker: Address | null;
  enclave: Address | null;
  lease_until: number;
  attempts: number;
  final_deadline: number;
  worker_status: string | null;
  outcome: string | null;
  initialize_tx: Hex | null;
  replicated: number;
  replicas_wanted: number;
};

const toTask = (r: Row): JournalTask => ({
  taskId: r.task_id,
  dealId: r.deal_id,
  taskIndex: r.task_index,
  state: r.state,
  worker: r.worker,
  enclave: r.enclave,
  leaseUntil: r.lease_until,
  attempts: r.attempts,
  finalDeadline: r.final_deadline,
  workerStatus: r.worker_status,
  outcome: r.outcome,
  initializeTx: r.initialize_tx,
  replicated: r.replicated === 1,
  replicasWanted: r.replicas_wanted,
});

/** The scheduler's journal: what it learnt from the chain and what it decided, so a restart resumes. */
export type Journal = ReturnType<typeof openJournal>;

/**
 * Opens (or creates) the scheduler's SQLite journal. Every change is one transaction, so a
 * crash leaves either the state before or the state after a step, never half of it.
 * @example const journal = openJournal({ path: '.confide/scheduler.db' })
 */
export function openJournal({ path }: { path: string }) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS deals (deal_id TEXT PRIMARY KEY, bot_first INTEGER NOT NULL, bot_size INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS tasks (
      task_id TEXT PRIMARY KEY,
      deal_id TEXT NOT NULL,
      task_index INTEGER NOT NULL,
      state TEXT NOT NULL,
      worker TEXT,
      enclave TEXT,
      lease_until INTEGER NOT NULL DEFAULT 0,
      attempts INTEGER NOT NULL DEFAULT 0,
      final_deadline INTEGER NOT NULL DEFAULT 0,
      worker_status TEXT,
      outcome TEXT,
      initialize_tx TEXT,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS tasks_state ON tasks (state, created_at);
    CREATE TABLE IF NOT EXISTS sessions (token TEXT PRIMARY KEY, worker TEXT NOT NULL, created_at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS challenges (challenge TEXT PRIMARY KEY, worker TEXT NOT NULL, expires_at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS replicas (
      task_id TEXT NOT NULL,
      worker TEXT NOT NULL,
      state TEXT NOT NULL,
      lease_until INTEGER NOT NULL DEFAULT 0,
      worker_status TEXT,
      results TEXT,
      PRIMARY KEY (task_id, worker)
    );
  `);
  // Journals written before replicated tasks existed gain the two columns, TEE tasks keeping 0.
  const columns = new Set(
    db
      .prepare<[], { name: string }>('PRAGMA table_info(tasks)')
      .all()
      .map((c) => c.name),
  );
  if (!columns.has('replicated')) db.exec('ALTER TABLE tasks ADD COLUMN replicated INTEGER NOT NULL DEFAULT 0');
  if (!columns.has('replicas_wanted')) {
    db.exec('ALTER TABLE tasks ADD COLUMN replicas_wanted INTEGER NOT NULL DEFAULT 0');
  }
  const getMeta = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  const setMeta = db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const insertDeal = db.prepare('INSERT OR IGNORE INTO deals (deal_id, bot_first, bot_size) VALUES (?, ?, ?)');
  const insertTask = db.prepare(
    "INSERT OR IGNORE INTO tasks (task_id, deal_id, task_index, state, created_at, replicated) VALUES (?, ?, ?, 'PENDING', ?, ?)",
  );
  const replicasOf = db.prepare<[string], ReplicaRow>('SELECT * FROM replicas WHERE task_id = ? ORDER BY rowid');
  const leasedCount = db.prepare<[string], { n: number }>(
    "SELECT COUNT(*) AS n FROM replicas WHERE task_id = ? AND state = 'LEASED'",
  );
  const replicaOf = db.prepare<[string, string], ReplicaRow>('SELECT * FROM replicas WHERE task_id = ? AND worker = ?');
  const byState = db.prepare<[JournalTaskState], Row>(
    'SELECT * FROM tasks WHERE state = ? ORDER BY created_at, task_index',
  );
  const byId = db.prepare<[string], Row>('SELECT * FROM tasks WHERE task_id = ?');
  const unfinished = db.prepare<[], Row>("SELECT * FROM tasks WHERE state != 'DONE' ORDER BY created_at, task_index");

  return {
    /** Last block whose events are fully recorded (`undefined` before the first follow). */
    cursor(): bigint | undefined {
      const row = getMeta.get('cursor');
      return row ? BigInt(row.value) : undefined;
    },
    getMeta: (key: string) => getMeta.get(key)?.value,
    setMeta: (key: string, value: string) => void setMeta.run(key, value),
    /** Records the deals found up to `block` and moves the cursor, in one transaction. */
    recordDeals: db.transaction(
      (
        block: bigint,
        deals: {
          dealId: Hex;
          botFirst: number;
          botSize: number;
          tasks: { taskId: Hex; index: number }[];
          replicated?: boolean;
        }[],
      ) => {
        const now = Date.now();
        for (const deal of deals) {
          insertDeal.run(deal.dealId, deal.botFirst, deal.botSize);
          for (const task of deal.tasks) {
            insertTask.run(task.taskId, deal.dealId, task.index, now, deal.replicated ? 1 : 0);
          }
        }
        setMeta.run('cursor', block.toString());
      },
    ),
    tasksIn: (state: JournalTaskState) => byState.all(state).map(toTask),
    unfinished: () => unfinished.all().map(toTask),
    task: (taskId: Hex) => {
      const row = byId.get(taskId.toLowerCase()) ?? byId.get(taskId);
      return row ? toTask(row) : undefined;
    },
    markInitializing: (taskIds: Hex[], tx: Hex) => {
      const stmt = db.prepare('UPDATE tasks SET initialize_tx = ? WHERE task_id = ?');
      db.transaction(() => {
        for (const id of taskIds) stmt.run(tx, id);
      })();
    },
    markReady: (taskId: Hex, finalDeadline: number) =>
      void db
        .prepare("UPDATE tasks SET state = 'READY', final_deadline = ? WHERE task_id = ? AND state = 'PENDING'")
        .run(finalDeadline, taskId),
    /**
     * Leases the oldest READY task to `worker`; undefined when none. A replicated task is leased
     * as one more replica while it wants more than it has leased, never twice to one worker.
     */
    assignNext: db.transaction((worker: Address, leaseUntil: number): JournalTask | undefined => {
      const next = byState
        .all('READY')
        .find(
          (r) =>
            r.replicated === 0 ||
            ((leasedCount.get(r.task_id)?.n ?? 0) < r.replicas_wanted && !replicaOf.get(r.task_id, worker)),
        );
      if (!next) return undefined;
      if (next.replicated === 1) {
        db.prepare(
          "INSERT INTO replicas (task_id, worker, state, lease_until, worker_status) VALUES (?, ?, 'LEASED', ?, 'ASSIGNED')",
        ).run(next.task_id, worker, leaseUntil);
        db.prepare('UPDATE tasks SET attempts = attempts + 1 WHERE task_id = ?').run(next.task_id);
        return toTask({ ...next, attempts: next.attempts + 1 });
      }
      db.prepare(
        "UPDATE tasks SET state = 'ASSIGNED', worker = ?, enclave = NULL, lease_until = ?, attempts = attempts + 1, worker_status = 'ASSIGNED' WHERE task_id = ?",
      ).run(worker, leaseUntil, next.task_id);
      return toTask({ ...next, state: 'ASSIGNED', worker, lease_until: leaseUntil, attempts: next.attempts + 1 });
    }),
    /** Extends the lease of a task still assigned to `worker`; false when it is not (any more). */
    renewLease: (taskId: Hex, worker: Address, leaseUntil: number, workerStatus: string, results?: string): boolean =>
      db
        .prepare(
          "UPDATE tasks SET lease_until = ?, worker_status = ? WHERE task_id = ? AND state = 'ASSIGNED' AND worker = ?",
        )
        .run(leaseUntil, workerStatus, taskId, worker).changes === 1 ||
      db
        .prepare(
          "UPDATE replicas SET lease_until = ?, worker_status = ?, results = COALESCE(?, results) WHERE task_id = ? AND worker = ? AND state != 'EXPIRED'",
        )
        .run(leaseUntil, workerStatus, results ?? null, taskId, worker).changes === 1,
    setEnclave: (taskId: Hex, worker: Address, enclave: Address): boolean =>
      db
        .prepare("UPDATE tasks SET enclave = ? WHERE task_id = ? AND state = 'ASSIGNED' AND worker = ?")
        .run(enclave, taskId, worker).changes === 1,
    /** Whether `worker` holds a replica of `taskId` it has not committed yet (so it may be authorized). */
    holdsReplica: (taskId: Hex, worker: Address): boolean => replicaOf.get(taskId, worker)?.state === 'LEASED',
    replicas: (taskId: Hex): JournalReplica[] => replicasOf.all(taskId).map(toReplica),
    /** Sets how many uncommitted replicas a replicated task wants (0 once the consensus is reached). */
    setReplicasWanted: (taskId: Hex, wanted: number) =>
      void db.prepare('UPDATE tasks SET replicas_wanted = ? WHERE task_id = ?').run(wanted, taskId),
    /** Records the workers whose commitment to `taskId` is on chain (a worker may have lost its lease meanwhile). */
    markContributed: db.transaction((taskId: Hex, workers: readonly Address[]) => {
      const stmt = db.prepare(
        "INSERT INTO replicas (task_id, worker, state, worker_status) VALUES (?, ?, 'CONTRIBUTED', 'CONTRIBUTED') ON CONFLICT (task_id, worker) DO UPDATE SET state = 'CONTRIBUTED'",
      );
      for (const worker of workers) stmt.run(taskId, worker);
    }),
    /** Puts tasks whose lease ran out back in the queue; returns them. */
    expireLeases: db.transaction((now: number): JournalTask[] => {
      const expired = byState.all('ASSIGNED').filter((r) => r.lease_until < now);
      const stmt = db.prepare(
        "UPDATE tasks SET state = 'READY', worker = NULL, enclave = NULL, worker_status = 'LEASE_EXPIRED' WHERE task_id = ? AND state = 'ASSIGNED'",
      );
      for (const r of expired) stmt.run(r.task_id);
      // A replica not committed in time frees its place for another worker (not for the same one again).
      const replicas = db
        .prepare<[number], ReplicaRow>("SELECT * FROM replicas WHERE state = 'LEASED' AND lease_until < ?")
        .all(now);
      db.prepare(
        "UPDATE replicas SET state = 'EXPIRED', worker_status = 'LEASE_EXPIRED' WHERE state = 'LEASED' AND lease_until < ?",
      ).run(now);
      return [
        ...expired.map(toTask),
        ...replicas.map((r) => ({ ...toTask(byId.get(r.task_id) as Row), worker: r.worker })),
      ];
    }),
    markDone: (taskId: Hex, outcome: string) =>
      db
        .prepare("UPDATE tasks SET state = 'DONE', outcome = ? WHERE task_id = ? AND state != 'DONE'")
        .run(outcome, taskId).changes === 1,
    addChallenge: (challenge: string, worker: Address, expiresAt: number) =>
      void db
        .prepare('INSERT INTO challenges (challenge, worker, expires_at) VALUES (?, ?, ?)')
        .run(challenge, worker, expiresAt),
    /** Consumes a challenge once; returns its worker if it existed and had not expired. */
    takeChallenge: db.transaction((challenge: string, now: number): Address | undefined => {
      const row = db
        .prepare<[string], { worker: Address; expires_at: number }>(
          'SELECT worker, expires_at FROM challenges WHERE challenge = ?',
        )
        .get(challenge);
      db.prepare('DELETE FROM challenges WHERE challenge = ? OR expires_at < ?').run(challenge, now);
      return row && row.expires_at >= now ? row.worker : undefined;
    }),
    addSession: (token: string, worker: Address) =>
      void db
        .prepare('INSERT INTO sessions (token, worker, created_at) VALUES (?, ?, ?)')
        .run(token, worker, Date.now()),
    sessionWorker: (token: string) =>
      db.prepare<[string], { worker: Address }>('SELECT worker FROM sessions WHERE token = ?').get(token)?.worker,
    close: () => db.close(),
  };
}
