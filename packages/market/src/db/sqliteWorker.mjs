// The market's SQLite connection, in a worker thread (see sqliteWorkerDialect.ts): the inserts'
// B-tree and WAL work runs beside the main thread's parsing, hashing and signature recovery.
// Plain JavaScript, so that the worker starts without a TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** Prepared statements kept for reuse, by SQL text (the book's queries take a few shapes). */
const STATEMENT_CACHE = 64;

let db;
try {
  db = new Database(workerData.path);
  db.pragma('journal_mode = WAL');
  // WAL with NORMAL loses at most the last transactions on power loss, never consistency;
  // the chain and the publishers hold the truth, so that trade buys the ingest rate.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  // A 64 MiB page cache and checkpoints every 20,000 pages (~80 MiB of WAL) rather than 1,000:
  // index pages touched by many inserts are written back once, not once per batch (+30 % ingest).
  db.pragma('cache_size = -65536');
  db.pragma('wal_autocheckpoint = 20000');
  parentPort.postMessage({ ready: true });
} catch (error) {
  parentPort.postMessage({ ready: false, error: describe(error) });
  parentPort.close();
}

const statements = new Map();
function prepare(sql) {
  let statement = statements.get(sql);
  if (statement) return statement;
  statement = db.prepare(sql);
  if (statements.size >= STATEMENT_CACHE) statements.delete(statements.keys().next().value);
  statements.set(sql, statement);
  return statement;
}

function describe(error) {
  return {
    name: error?.name ?? 'Error',
    message: error?.message ?? String(error),
    code: typeof error?.code === 'string' ? error.code : undefined,
  };
}

parentPort.on('message', (message) => {
  if (message.close) {
    db?.close();
    parentPort.close();
    return;
  }
  const { id, sql, parameters } = message;
  try {
    const statement = prepare(sql);
    if (statement.reader) {
      parentPort.postMessage({ id, rows: statement.all(parameters) });
    } else {
      const { changes, lastInsertRowid } = statement.run(parameters);
      parentPort.postMessage({ id, changes, lastInsertRowid });
    }
  } catch (error) {
    parentPort.postMessage({ id, error: describe(error) });
  }
});
