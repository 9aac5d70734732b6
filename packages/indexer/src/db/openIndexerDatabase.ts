import Database from 'better-sqlite3';
import { type Dialect, Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { IndexerDatabaseMismatchError, IndexerDatabaseUnavailableError } from '../errors.js';
import { migrateToLatest } from './migrations.js';
import type { IndexerDb } from './tables.js';

/** Parameters of {@link openIndexerDatabase}. */
type OpenIndexerDatabaseParameters = {
  /**
   * A SQLite file, created if absent (`:memory:` for a throwaway index), or a PostgreSQL URL
   * (`postgres://user:password@host:5432/database`) whose database exists.
   */
  location: string;
  /**
   * What the rows were indexed from (contract addresses, first block): written at the first
   * open, compared at every later one.
   */
  identity: Readonly<Record<string, string>>;
};

/** What {@link openIndexerDatabase} returns. */
type OpenIndexerDatabaseReturnType = { db: IndexerDb; close: () => Promise<void> };

/**
 * Opens (or creates) the indexer's database, SQLite or PostgreSQL by `location`, applies pending
 * migrations, and refuses a database filled from another deployment.
 * @returns a kysely handle and `close`
 * @throws {IndexerDatabaseUnavailableError} when the database cannot be opened or migrated
 * @throws {IndexerDatabaseMismatchError} when it indexes another deployment
 * @example const { db, close } = await openIndexerDatabase({ location: 'index.sqlite', identity: { hub: '0x…' } })
 */
export async function openIndexerDatabase({
  location,
  identity,
}: OpenIndexerDatabaseParameters): Promise<OpenIndexerDatabaseReturnType> {
  let db: IndexerDb;
  try {
    db = new Kysely({ dialect: isPostgresUrl(location) ? await postgres(location) : sqlite(location) });
  } catch (error) {
    throw new IndexerDatabaseUnavailableError({ location: redact(location), cause: error });
  }
  try {
    try {
      await migrateToLatest(db as Kysely<unknown>);
    } catch (error) {
      throw new IndexerDatabaseUnavailableError({ location: redact(location), cause: error });
    }
    await checkIdentity(db, identity);
  } catch (error) {
    await db.destroy().catch(() => {});
    throw error;
  }
  return { db, close: () => db.destroy() };
}

/** Whether `location` names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//.test(location);
}

function sqlite(path: string): Dialect {
  const database = new Database(path);
  if (path !== ':memory:') database.pragma('journal_mode = WAL');
  database.pragma('busy_timeout = 5000');
  return new SqliteDialect({ database });
}

async function postgres(connectionString: string): Promise<Dialect> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString,
    max: 10,
    connectionTimeoutMillis: 10_000,
    // Integer columns are `bigint` (int8), which pg returns as strings; every one of them (blocks,
    // log indexes, timestamps, counts) is far below 2^53, so read them as numbers, as SQLite does.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format as 'text')) as never,
    },
  });
  // An idle connection dropped by the server (restart, failover) is an 'error' event on the pool:
  // without a listener it would crash the process. The pool discards it and reconnects on demand.
  pool.on('error', () => {});
  return new PostgresDialect({ pool });
}

/** A location fit for logs and errors: a URL without its password. */
function redact(location: string): string {
  if (!isPostgresUrl(location)) return location;
  try {
    const url = new URL(location);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'postgres://…';
  }
}

async function checkIdentity(db: IndexerDb, identity: Readonly<Record<string, string>>): Promise<void> {
  // Work left by a migration (`backfill:…` keys) is no part of the identity.
  const rows = await db.selectFrom('meta').select(['key', 'value']).where('key', 'not like', 'backfill:%').execute();
  const stored = new Map(rows.map((row) => [row.key, row.value]));
  if (stored.size === 0) {
    const entries = Object.entries(identity).map(([key, value]) => ({ key, value }));
    if (entries.length > 0) await db.insertInto('meta').values(entries).execute();
    return;
  }
  const wrong = Object.entries(identity)
    .filter(([key, value]) => stored.get(key) !== value)
    .map(([key, value]) => `${key}: stored ${stored.get(key) ?? '(none)'}, configured ${value}`);
  if (wrong.length > 0) throw new IndexerDatabaseMismatchError(wrong.join('; '));
}
