import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { IndexerDatabaseMismatchError } from '../errors.js';
import { MIGRATIONS } from './migrations.js';
import type { IndexerDb } from './tables.js';

/** Parameters of {@link openIndexerDatabase}. */
type OpenIndexerDatabaseParameters = {
  /** SQLite file, created if absent; `:memory:` for a throwaway index. */
  path: string;
  /**
   * What the rows were indexed from (contract addresses, first block): written at the first
   * open, compared at every later one.
   */
  identity: Readonly<Record<string, string>>;
};

/** What {@link openIndexerDatabase} returns. */
type OpenIndexerDatabaseReturnType = { db: IndexerDb; close: () => Promise<void> };

/**
 * Opens (or creates) the indexer's database, applies pending migrations, and refuses a database
 * filled from another deployment.
 * @returns a kysely handle and `close`
 * @example const { db, close } = openIndexerDatabase({ path: 'index.sqlite', identity: { hub: '0x…' } })
 */
export function openIndexerDatabase({ path, identity }: OpenIndexerDatabaseParameters): OpenIndexerDatabaseReturnType {
  const sqlite = new Database(path);
  try {
    if (path !== ':memory:') sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('busy_timeout = 5000');
    migrate(sqlite);
    checkIdentity(sqlite, identity);
  } catch (error) {
    sqlite.close();
    throw error;
  }
  const db: IndexerDb = new Kysely({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, close: () => db.destroy() };
}

function migrate(sqlite: Database.Database): void {
  const version = sqlite.pragma('user_version', { simple: true }) as number;
  for (let next = version; next < MIGRATIONS.length; next++) {
    sqlite.transaction(() => {
      sqlite.exec(MIGRATIONS[next] as string);
      sqlite.pragma(`user_version = ${next + 1}`);
    })();
  }
}

function checkIdentity(sqlite: Database.Database, identity: Readonly<Record<string, string>>): void {
  const stored = new Map(
    (sqlite.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((row) => [
      row.key,
      row.value,
    ]),
  );
  if (stored.size === 0) {
    const insert = sqlite.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    sqlite.transaction(() => {
      for (const [key, value] of Object.entries(identity)) insert.run(key, value);
    })();
    return;
  }
  const wrong = Object.entries(identity)
    .filter(([key, value]) => stored.get(key) !== value)
    .map(([key, value]) => `${key}: stored ${stored.get(key) ?? '(none)'}, configured ${value}`);
  if (wrong.length > 0) throw new IndexerDatabaseMismatchError(wrong.join('; '));
}
