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

/**
 * The `meta` key of a pending read of `DatasetUpdated` over blocks indexed before migration 004;
 * its value is an {@link UpdatesBackfill} as JSON, deleted once done.
 */
export const UPDATES_BACKFILL = 'backfill:DatasetUpdated';

/** The blocks still to read for updates: `next..end` (`end`: the cursor when the migration ran). */
export type UpdatesBackfill = { next: number; end: number };

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
  '003_sharing': {
    // DataSharing (collections, rentals, subscriptions, sales, consumptions) and the hub's owner
    // policies. Event tables are append-only; a protected data's collection and offers are
    // derived columns of `datasets`, replayed from `sharing_events` after a batch or a rollback.
    async up(db: Kysely<unknown>) {
      const index = (name: string, table: string, columns: string[]) =>
        db.schema.createIndex(name).on(table).columns(columns).execute();
      const byPosition = (name: string) => [name, 'block_number desc', 'log_index desc'];

      // One column per statement: SQLite adds only one at a time.
      for (const [column, type] of [
        ['collection_id', 'text'],
        ['rental_price', 'text'],
        ['rental_duration', 'bigint'],
        ['sale_price', 'text'],
      ] as const) {
        await db.schema.alterTable('datasets').addColumn(column, type).execute();
      }
      await index('datasets_collection', 'datasets', ['collection_id']);

      await eventPosition(
        text(
          db.schema.createTable('collections').addColumn('collection_id', 'text', (c) => c.primaryKey()),
          ['owner'],
        ),
      ).execute();
      await index('collections_owner', 'collections', byPosition('owner'));

      await eventPosition(
        text(db.schema.createTable('sharing_events'), ['kind', 'collection_id'])
          .addColumn('dataset', 'text')
          .addColumn('price', 'text')
          .addColumn('duration', 'bigint'),
      )
        .addPrimaryKeyConstraint('sharing_events_pk', ['block_number', 'log_index'])
        .execute();
      await index('sharing_events_dataset', 'sharing_events', ['dataset', 'block_number', 'log_index']);
      await index('sharing_events_collection', 'sharing_events', [
        'collection_id',
        'kind',
        'block_number',
        'log_index',
      ]);

      await eventPosition(
        text(db.schema.createTable('rentals'), ['dataset', 'collection_id', 'renter'])
          .addColumn('end_date', 'bigint', (c) => c.notNull())
          .$call((t) => text(t, ['price', 'payee'])),
      )
        .addPrimaryKeyConstraint('rentals_pk', ['block_number', 'log_index'])
        .execute();
      for (const column of ['dataset', 'renter', 'payee'])
        await index(`rentals_${column}`, 'rentals', byPosition(column));

      await eventPosition(
        text(db.schema.createTable('subscriptions'), ['collection_id', 'subscriber'])
          .addColumn('end_date', 'bigint', (c) => c.notNull())
          .$call((t) => text(t, ['price', 'payee'])),
      )
        .addPrimaryKeyConstraint('subscriptions_pk', ['block_number', 'log_index'])
        .execute();
      for (const column of ['collection_id', 'subscriber', 'payee']) {
        await index(`subscriptions_${column}`, 'subscriptions', byPosition(column));
      }

      await eventPosition(
        text(db.schema.createTable('sales'), ['dataset', 'collection_id', 'seller', 'buyer', 'price']),
      )
        .addPrimaryKeyConstraint('sales_pk', ['block_number', 'log_index'])
        .execute();
      for (const column of ['dataset', 'seller', 'buyer']) await index(`sales_${column}`, 'sales', byPosition(column));

      await eventPosition(
        text(
          db.schema.createTable('consumptions').addColumn('deal_id', 'text', (c) => c.primaryKey()),
          ['dataset', 'consumer', 'mode', 'price'],
        ),
      ).execute();
      for (const column of ['dataset', 'consumer']) {
        await index(`consumptions_${column}`, 'consumptions', byPosition(column));
      }

      await eventPosition(
        text(db.schema.createTable('consumption_settlements'), ['deal_id', 'dataset'])
          .addColumn('payee', 'text')
          .addColumn('amount', 'text', (c) => c.notNull()),
      )
        .addPrimaryKeyConstraint('consumption_settlements_pk', ['block_number', 'log_index'])
        .execute();
      await index('consumption_settlements_deal', 'consumption_settlements', ['deal_id']);
      await index('consumption_settlements_payee', 'consumption_settlements', ['payee']);

      await eventPosition(
        text(db.schema.createTable('policy_events'), ['dataset', 'kind'])
          .addColumn('account', 'text')
          .addColumn('restrict_apps', 'bigint')
          .addColumn('restrict_users', 'bigint')
          .addColumn('price_per_use', 'text')
          .addColumn('max_uses', 'bigint')
          .addColumn('expiry', 'bigint')
          .addColumn('max_result_size', 'text'),
      )
        .addPrimaryKeyConstraint('policy_events_pk', ['block_number', 'log_index'])
        .execute();
      await index('policy_events_dataset', 'policy_events', ['dataset', 'block_number', 'log_index']);
    },
  },
  '004_dataset_updates': {
    // `DatasetUpdated` (key rotation): the updates are an event table; a dataset's current
    // multiaddr and checksum are derived from the last update, else from its creation values.
    // An index made before this read no update: the follower reads the blocks it already indexed
    // again for their updates alone (see UPDATES_BACKFILL), before it goes on.
    async up(db: Kysely<unknown>) {
      for (const column of ['created_multiaddr', 'created_checksum']) {
        await db.schema.alterTable('datasets').addColumn(column, 'text').execute();
      }
      await sql`update datasets set created_multiaddr = multiaddr, created_checksum = checksum`.execute(db);
      await eventPosition(text(db.schema.createTable('dataset_updates'), ['dataset', 'multiaddr', 'checksum']))
        .addPrimaryKeyConstraint('dataset_updates_pk', ['block_number', 'log_index'])
        .execute();
      await db.schema
        .createIndex('dataset_updates_dataset')
        .on('dataset_updates')
        .columns(['dataset', 'block_number', 'log_index'])
        .execute();
      const cursor = await sql<{
        block_number: number | string;
      }>`select block_number from ${sql.table('cursor')}`.execute(db);
      const end = cursor.rows[0]?.block_number;
      if (end !== undefined) {
        const first = await sql<{ value: string }>`select value from meta where key = 'fromBlock'`.execute(db);
        const pending: UpdatesBackfill = { next: Number(first.rows[0]?.value ?? 0), end: Number(end) };
        await sql`insert into meta (key, value) values (${UPDATES_BACKFILL}, ${JSON.stringify(pending)})`.execute(db);
      }
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
