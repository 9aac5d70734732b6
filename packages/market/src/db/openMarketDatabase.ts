import { Kysely, PostgresDialect } from 'kysely';
import { migrateToLatest } from './migrations.js';
import type { MarketDatabase } from './schema.js';
import { sqliteWorkerDialect } from './sqliteWorkerDialect.js';

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
 * `:memory:`. SQLite runs in WAL mode, its connection in a worker thread (`sqliteWorkerDialect`).
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
      : new Kysely<MarketDatabase>({ dialect: sqliteWorkerDialect(location) });
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

async function postgresDialect(connectionString: string): Promise<PostgresDialect> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString, max: 10, connectionTimeoutMillis: 10_000 });
  // An idle connection dropped by the server (restart, failover) is an 'error' event on the pool:
  // without a listener it would crash the process. The pool discards it and reconnects on demand.
  pool.on('error', () => {});
  return new PostgresDialect({ pool });
}
