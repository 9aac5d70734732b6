import { Worker } from 'node:worker_threads';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';

type Described = { name: string; message: string; code?: string };
type Reply =
  | { id: number; rows: unknown[] }
  | { id: number; changes: number; lastInsertRowid: number | bigint }
  | { id: number; error: Described };

/**
 * Kysely's SQLite dialect with the better-sqlite3 connection in a worker thread
 * (`sqliteWorker.mjs`): queries are messages, so the B-tree and WAL work of large inserts runs
 * beside the main thread instead of blocking it. One connection, as kysely's own
 * SQLite driver: a transaction holds it until commit, queries wait their turn. Statements are
 * prepared once per SQL text and reused.
 * @param path a SQLite file path or `:memory:`
 * @example new Kysely<MarketDatabase>({ dialect: sqliteWorkerDialect('./market.sqlite') })
 */
export function sqliteWorkerDialect(path: string): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new SqliteWorkerDriver(path),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
}

class SqliteWorkerDriver implements Driver {
  readonly #path: string;
  #connection: SqliteWorkerConnection | undefined;
  #lock: Promise<void> | undefined;
  #unlock: (() => void) | undefined;

  constructor(path: string) {
    this.#path = path;
  }

  async init(): Promise<void> {
    const worker = new Worker(new URL('./sqliteWorker.mjs', import.meta.url), {
      workerData: { path: this.#path },
      // No TypeScript loader nor polyfills in the worker: it is plain JavaScript.
      execArgv: [],
    });
    const connection = new SqliteWorkerConnection(worker);
    await connection.ready;
    this.#connection = connection;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    // One connection: wait until the holder releases it.
    while (this.#lock) await this.#lock;
    this.#lock = new Promise((resolve) => {
      this.#unlock = resolve;
    });
    if (!this.#connection) throw new Error('the SQLite worker is closed');
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    const unlock = this.#unlock;
    this.#lock = undefined;
    this.#unlock = undefined;
    unlock?.();
  }

  async destroy(): Promise<void> {
    const connection = this.#connection;
    this.#connection = undefined;
    await connection?.close();
  }
}

class SqliteWorkerConnection implements DatabaseConnection {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  #nextId = 0;
  #failure: Error | undefined;
  readonly ready: Promise<void>;

  constructor(worker: Worker) {
    this.#worker = worker;
    // The worker keeps the process alive only while a query waits for it.
    worker.unref();
    this.ready = new Promise((resolve, reject) => {
      worker.once('message', (first: { ready: boolean; error?: Described }) => {
        if (first.ready) resolve();
        else reject(toError(first.error ?? { name: 'Error', message: 'the SQLite worker did not start' }));
        worker.on('message', (reply: Reply) => this.#settle(reply));
      });
      worker.once('error', reject);
    });
    worker.on('error', (error) => this.#fail(error));
    worker.on('exit', () => this.#fail(new Error('the SQLite worker stopped')));
  }

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    const { sql, parameters } = compiledQuery;
    return new Promise<Reply>((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, sql, parameters });
    }).then((reply) => {
      if ('error' in reply) throw toError(reply.error);
      if ('rows' in reply) return { rows: reply.rows as R[] };
      return {
        numAffectedRows: BigInt(reply.changes),
        insertId: BigInt(reply.lastInsertRowid),
        rows: [],
      };
    });
  }

  // biome-ignore lint/correctness/useYield: kysely requires the method; the market never streams.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('the SQLite worker does not stream queries');
  }

  async close(): Promise<void> {
    if (this.#failure) return;
    const exited = new Promise((resolve) => this.#worker.once('exit', resolve));
    this.#worker.ref();
    this.#worker.postMessage({ close: true });
    await exited;
  }

  #settle(reply: Reply): void {
    const waiting = this.#pending.get(reply.id);
    if (!waiting) return;
    this.#pending.delete(reply.id);
    if (this.#pending.size === 0) this.#worker.unref();
    waiting.resolve(reply);
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const { reject } of this.#pending.values()) reject(error);
    this.#pending.clear();
    this.#worker.unref();
  }
}

/** An error of the worker, rebuilt with its name, message and SQLite code. */
function toError(described: Described): Error {
  const error = new Error(described.message) as Error & { code?: string };
  error.name = described.name;
  if (described.code !== undefined) error.code = described.code;
  return error;
}
