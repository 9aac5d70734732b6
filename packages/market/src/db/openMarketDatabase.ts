import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { migrateToLatest } from './migrations.js';
import type { MarketDatabase } from './schema.js';

/** The market's database handle: kysely over SQLite or PostgreSQL. */
export type MarketDb = Kysely<MarketDatabase>;

/**
 * The database cannot be opened or migrated: PostgreSQL unreachable or refusing the login, a
 * SQLite file that cannot be created. The message names the database without its password.
 */
export class MarketDatabaseError extends Error {
  override name = 'MarketDatabaseError';
  readonly code = 'MARKET_DATABASE_UNAVAILABLE';
}

/**
 * Opens the market's database and migrates it. `postgres://…` (or `postgresql://…`) selects
 * PostgreSQL through `pg` (loaded only then); anything else is a SQLite file path, or
 * `:memory:`. SQLite runs in WAL mode, so readers never wait for the writer.
 * @param location a SQLite path, `:memory:`, or a PostgreSQL URL
 * @throws MarketDatabaseError when the database cannot be reached or migrated
 * @example const db = await openMarketDatabase('./market.sqlite'); … await db.destroy();
 */
export async function openMarketDatabase(location: string): Promise<MarketDb> {
  const postgres = /^postgres(ql)?:\/\//.test(location);
  let db: MarketDb;
  try {
    db = postgres
      ? new Kysely<MarketDatabase>({ dialect: await postgresDialect(location) })
      : new Kysely<MarketDatabase>({ dialect: new SqliteDialect({ database: openSqlite(location) }) });
  } catch (error) {
    throw unavailable(location, error);
  }
  try {
    await migrateToLatest(db as Kysely<unknown>);
  } catch (error) {
    await db.destroy().catch(() => {});
    throw unavailable(location, error);
  }
  return db;
}

function unavailable(location: string, error: unknown): MarketDatabaseError {
  const reason = error instanceof Error ? error.message : String(error);
  return new MarketDatabaseError(`cannot open the market database ${redact(location)}: ${reason}`, { cause: error });
}

/** A location fit for logs: a URL without its password. */
function redact(location: string): string {
  try {
    const url = new URL(location);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return location;
  }
}

function openSqlite(path: string) {
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  // WAL with NORMAL loses at most the last transactions on power loss, never consistency;
  // the chain and the publishers hold the truth, so that trade buys the ingest rate.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  // A 64 MiB page cache and checkpoints every 20,000 pages (~80 MiB of WAL) rather than 1,000:
  // index pages touched by many inserts are written back once, not once per batch (+30 % ingest).
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('wal_autocheckpoint = 20000');
  return sqlite;
}

async function postgresDialect(connectionString: string): Promise<PostgresDialect> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString, max: 10, connectionTimeoutMillis: 10_000 });
  // An idle connection dropped by the server (restart, failover) is an 'error' event on the pool:
  // without a listener it would crash the process. The pool discards it and reconnects on demand.
  pool.on('error', () => {});
  return new PostgresDialect({ pool });
}
