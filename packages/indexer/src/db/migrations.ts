import { type CreateTableBuilder, type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';

// The schema, one kysely migration per change, run alike on SQLite and PostgreSQL. Only portable
// types: `text`, and `bigint` for every integer (64-bit on both; `integer` would be 32-bit on
// PostgreSQL, too small for timestamps after 2038). Never edit a released entry: append one.

type Table = CreateTableBuilder<string, string>;

/** Where and when a row's event happened: every projected table ends with these. */
const eventPosition = (table: Table) =>
  table
    .addColumn('block_number', 'bigint', (c) => c.notNull())
    .addColumn('log_index', 'bigint', (c) => c.notNull())
    .addColumn('timestamp', 'bigint', (c) => c.notNull())
    .addColumn('transaction_hash', 'text', (c) => c.notNull());

const text = (table: Table, columns: readonly string[]) =>
  columns.reduce((t, column) => t.addColumn(column, 'text', (c) => c.notNull()), table);

const migrations: Record<string, Migration> = {
  '001_index': {
    async up(db: Kysely<unknown>) {
      const index = (name: string, table: string, columns: string[]) =>
        db.schema.createIndex(name).on(table).columns(columns).execute();

      await db.schema
        .createTable('meta')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('cursor')
        .addColumn('id', 'bigint', (c) => c.primaryKey())
        .addColumn('block_number', 'bigint', (c) => c.notNull())
        .addColumn('block_hash', 'text', (c) => c.notNull())
        .addCheckConstraint('cursor_one_row', sql`id = 1`)
        .execute();
      await db.schema
        .createTable('blocks')
        .addColumn('block_number', 'bigint', (c) => c.primaryKey())
        .addColumn('block_hash', 'text', (c) => c.notNull())
        .addColumn('timestamp', 'bigint', (c) => c.notNull())
        .execute();

      await eventPosition(
        text(
          db.schema.createTable('datasets').addColumn('address', 'text', (c) => c.primaryKey()),
          ['owner', 'name', 'multiaddr', 'checksum'],
        ).addColumn('schema_json', 'text'),
      ).execute();
      await index('datasets_owner', 'datasets', ['owner', 'block_number desc', 'log_index desc']);
      await index('datasets_created', 'datasets', ['block_number desc', 'log_index desc']);
      await index('datasets_timestamp', 'datasets', ['timestamp']);

      await text(db.schema.createTable('schema_paths'), ['dataset', 'path', 'type'])
        .addColumn('block_number', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('schema_paths_pk', ['dataset', 'path'])
        .execute();
      await index('schema_paths_path_type', 'schema_paths', ['path', 'type', 'dataset']);

      await eventPosition(
        text(
          db.schema.createTable('apps').addColumn('address', 'text', (c) => c.primaryKey()),
          ['owner', 'name', 'app_type', 'multiaddr', 'checksum', 'fingerprint'],
        ),
      ).execute();
      await index('apps_owner', 'apps', ['owner']);

      await eventPosition(
        text(
          db.schema.createTable('workerpools').addColumn('address', 'text', (c) => c.primaryKey()),
          ['owner', 'description'],
        ),
      ).execute();
      await index('workerpools_owner', 'workerpools', ['owner']);

      await eventPosition(text(db.schema.createTable('transfers'), ['registry', 'asset', 'from_address', 'to_address']))
        .addPrimaryKeyConstraint('transfers_pk', ['block_number', 'log_index'])
        .execute();
      await index('transfers_asset', 'transfers', ['registry', 'asset', 'block_number', 'log_index']);

      await eventPosition(
        text(
          db.schema.createTable('deals').addColumn('deal_id', 'text', (c) => c.primaryKey()),
          ['app'],
        )
          .addColumn('dataset', 'text')
          .$call((t) => text(t, ['workerpool', 'workerpool_owner', 'requester', 'beneficiary', 'sponsor']))
          .addColumn('callback', 'text')
          .$call((t) => text(t, ['app_price', 'dataset_price', 'workerpool_price', 'worker_stake', 'bot_first']))
          .addColumn('bot_size', 'bigint', (c) => c.notNull())
          .addColumn('volume', 'text', (c) => c.notNull())
          .addColumn('category', 'bigint', (c) => c.notNull())
          .addColumn('tag', 'text', (c) => c.notNull())
          .addColumn('trust', 'bigint', (c) => c.notNull())
          .addColumn('timeref', 'bigint', (c) => c.notNull())
          .addColumn('start_time', 'bigint', (c) => c.notNull())
          .addColumn('params', 'text')
          .$call((t) => text(t, ['app_hash', 'dataset_hash', 'workerpool_hash', 'request_hash'])),
      ).execute();
      await index('deals_created', 'deals', ['block_number desc', 'log_index desc']);
      for (const column of ['requester', 'app', 'dataset', 'workerpool']) {
        await index(`deals_${column}`, 'deals', [column]);
      }

      await eventPosition(
        text(
          db.schema.createTable('tasks').addColumn('task_id', 'text', (c) => c.primaryKey()),
          ['deal_id', 'idx', 'workerpool', 'status'],
        )
          .addColumn('worker', 'text')
          .addColumn('result_digest', 'text')
          .addColumn('results', 'text')
          .addColumn('failure_reason', 'text'),
      ).execute();
      await index('tasks_deal', 'tasks', ['deal_id']);
      await index('tasks_status', 'tasks', ['status']);
      await index('tasks_worker', 'tasks', ['worker']);
      await index('tasks_created', 'tasks', ['block_number desc', 'log_index desc']);

      await eventPosition(
        text(db.schema.createTable('task_events'), ['task_id', 'status'])
          .addColumn('worker', 'text')
          .addColumn('result_digest', 'text')
          .addColumn('results', 'text')
          .addColumn('reason', 'text'),
      )
        .addPrimaryKeyConstraint('task_events_pk', ['block_number', 'log_index'])
        .execute();
      await index('task_events_task', 'task_events', ['task_id', 'block_number', 'log_index']);

      await eventPosition(
        db.schema
          .createTable('order_operations')
          .addColumn('kind', 'bigint', (c) => c.notNull())
          .$call((t) => text(t, ['order_hash', 'operation']))
          .addColumn('owner', 'text')
          .addColumn('volume', 'text'),
      )
        .addPrimaryKeyConstraint('order_operations_pk', ['block_number', 'log_index'])
        .execute();
      await index('order_operations_hash', 'order_operations', ['order_hash']);
    },
  },
  '002_replicated': {
    // Proof of Contribution (replicated tasks): contributions, their later changes, the consensus
    // of each task and the scores of workers. Append-only, so a rollback prunes them by block.
    async up(db: Kysely<unknown>) {
      const index = (name: string, table: string, columns: string[]) =>
        db.schema.createIndex(name).on(table).columns(columns).execute();

      await eventPosition(text(db.schema.createTable('contributions'), ['task_id', 'worker', 'result_hash']))
        .addPrimaryKeyConstraint('contributions_pk', ['task_id', 'worker'])
        .execute();
      await index('contributions_worker', 'contributions', ['worker', 'block_number desc', 'log_index desc']);

      await eventPosition(
        text(db.schema.createTable('contribution_events'), ['task_id', 'worker', 'status'])
          .addColumn('result_digest', 'text')
          .addColumn('amount', 'text')
          .addColumn('score', 'bigint'),
      )
        .addPrimaryKeyConstraint('contribution_events_pk', ['block_number', 'log_index', 'worker'])
        .execute();
      await index('contribution_events_contribution', 'contribution_events', ['task_id', 'worker']);

      await eventPosition(
        text(db.schema.createTable('task_consensus'), ['task_id'])
          .addColumn('consensus_value', 'text')
          .addColumn('winner_counter', 'bigint')
          .addColumn('reveal_deadline', 'bigint'),
      )
        .addPrimaryKeyConstraint('task_consensus_pk', ['block_number', 'log_index'])
        .execute();
      await index('task_consensus_task', 'task_consensus', ['task_id', 'block_number', 'log_index']);

      await eventPosition(
        text(db.schema.createTable('worker_scores'), ['worker', 'task_id']).addColumn('score', 'bigint', (c) =>
          c.notNull(),
        ),
      )
        .addPrimaryKeyConstraint('worker_scores_pk', ['block_number', 'log_index'])
        .execute();
      await index('worker_scores_worker', 'worker_scores', ['worker', 'block_number', 'log_index']);
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Brings the schema up to date (in a transaction per migration); safe at every start.
 * @throws the failed migration's error (the database stays at the last good one)
 * @example await migrateToLatest(db)
 */
export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  const { error } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) throw error;
}
