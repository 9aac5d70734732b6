import type { Kysely } from 'kysely';

// Every projected row carries `block_number` (the block of the event that wrote it), so a reorg
// is undone by deleting the rows above the common ancestor. Addresses are checksummed, ids and
// hashes lowercase hex; numbers that may exceed 2^53 (prices, indexes) are decimal strings.

/** Where the follower stands: the last indexed block and its hash (one row, id 1). */
export type CursorTable = { id: number; block_number: number; block_hash: string };

/**
 * Facts fixed at the first start (chain id, contract addresses), checked at every start; and work
 * a migration left to the follower (`backfill:…` keys).
 */
export type MetaTable = { key: string; value: string };

/** Hash and timestamp of the blocks that held events or ended a batch: the reorg check's memory. */
export type BlocksTable = { block_number: number; block_hash: string; timestamp: number };

/** Where and when a row's event happened. */
type EventPosition = { block_number: number; log_index: number; timestamp: number; transaction_hash: string };

/** Datasets of the registry; a protected data is a dataset with a schema (DataProtector's `DatasetSchema`). */
export type DatasetsTable = EventPosition & {
  address: string;
  owner: string;
  name: string;
  /** Derived: the last `DatasetUpdated`'s location and checksum, else the creation's. */
  multiaddr: string;
  checksum: string;
  /** The location and checksum given at creation. */
  created_multiaddr: string;
  created_checksum: string;
  /** The schema exactly as emitted, or null for a plain dataset. */
  schema_json: string | null;
  /** Derived from `sharing_events`: the DataSharing collection holding it, or null. */
  collection_id: string | null;
  /** Derived: its rental offer (price, seconds), null when not for rent. */
  rental_price: string | null;
  rental_duration: number | null;
  /** Derived: its sale price, null when not for sale. */
  sale_price: string | null;
};

/** The leaves of a protected data's schema, flattened: `meta.station` → `string`. */
export type SchemaPathsTable = { dataset: string; path: string; type: string; block_number: number };

export type AppsTable = EventPosition & {
  address: string;
  owner: string;
  name: string;
  app_type: string;
  multiaddr: string;
  checksum: string;
  fingerprint: string;
};

export type WorkerpoolsTable = EventPosition & { address: string; owner: string; description: string };

/**
 * ERC-721 transfers of the three registries and of DataSharing's collections (asset: the
 * collection id in decimal), mints and burns included; the last one gives the owner.
 */
export type TransfersTable = EventPosition & {
  registry: 'app' | 'dataset' | 'workerpool' | 'collection';
  asset: string;
  from_address: string;
  to_address: string;
};

/** Deals: `OrdersMatched` completed by `viewDeal` and `DealParams` (same transaction). */
export type DealsTable = EventPosition & {
  deal_id: string;
  app: string;
  dataset: string | null;
  workerpool: string;
  workerpool_owner: string;
  requester: string;
  beneficiary: string;
  sponsor: string;
  callback: string | null;
  app_price: string;
  dataset_price: string;
  workerpool_price: string;
  worker_stake: string;
  bot_first: string;
  bot_size: number;
  volume: string;
  category: number;
  tag: string;
  trust: number;
  timeref: number;
  start_time: number;
  params: string | null;
  app_hash: string;
  dataset_hash: string;
  workerpool_hash: string;
  request_hash: string;
};

/** Task statuses as the API shows them (REVEALING: a replicated task reached its consensus). */
export type TaskStatusName = 'UNSET' | 'ACTIVE' | 'REVEALING' | 'COMPLETED' | 'FAILED';

/** Initialized tasks; status, worker, results and failure reason are derived from `task_events`. */
export type TasksTable = EventPosition & {
  task_id: string;
  deal_id: string;
  idx: string;
  workerpool: string;
  status: TaskStatusName;
  worker: string | null;
  result_digest: string | null;
  results: string | null;
  failure_reason: string | null;
};

/** Every status change of a task, in chain order. */
export type TaskEventsTable = EventPosition & {
  task_id: string;
  status: TaskStatusName;
  worker: string | null;
  result_digest: string | null;
  results: string | null;
  reason: string | null;
};

/** On-chain presignatures and closings of orders. */
export type OrderOperationsTable = EventPosition & {
  kind: number;
  order_hash: string;
  operation: 'PRESIGNED' | 'CLOSED';
  owner: string | null;
  volume: string | null;
};

/** A worker's commitment to a replicated task's result (`TaskContributed`). */
export type ContributionsTable = EventPosition & { task_id: string; worker: string; result_hash: string };

/**
 * What happened to a contribution afterwards: REVEALED (`TaskRevealed`, the contract's PROVED),
 * REJECTED (a winner silent until `TaskReopened`), REWARDED or SLASHED at finalize, with the
 * reward or seized stake and the worker's new score. A reopen rejects several workers in one log,
 * hence the worker in the key.
 */
export type ContributionEventsTable = EventPosition & {
  task_id: string;
  worker: string;
  status: ContributionEventStatus;
  result_digest: string | null;
  amount: string | null;
  score: number | null;
};

/** A contribution's status as the API shows it: CONTRIBUTED until an event of {@link ContributionEventsTable}. */
export type ContributionEventStatus = 'REVEALED' | 'REJECTED' | 'REWARDED' | 'SLASHED';

/** Consensus changes of replicated tasks: reached (value, winners, deadline), or reopened (all null). */
export type TaskConsensusTable = EventPosition & {
  task_id: string;
  consensus_value: string | null;
  winner_counter: number | null;
  reveal_deadline: number | null;
};

/** Every change of a worker's score (at finalize of a replicated task); the last one is its score. */
export type WorkerScoresTable = EventPosition & { worker: string; task_id: string; score: number };

/** DataSharing collections (`CollectionCreated`); the owner is derived from their transfers (zero once removed). */
export type CollectionsTable = EventPosition & { collection_id: string; owner: string };

/** What changes a collection's offer or a protected data's place and offers in DataSharing. */
export type SharingEventKind =
  | 'SUBSCRIPTION_PARAMS'
  | 'ADDED_TO_COLLECTION'
  | 'REMOVED_FROM_COLLECTION'
  | 'RENTING_SET'
  | 'RENTING_REMOVED'
  | 'SALE_SET'
  | 'SALE_REMOVED'
  | 'SOLD';

/** DataSharing's offer and membership events in chain order: what the derived sharing columns replay. */
export type SharingEventsTable = EventPosition & {
  kind: SharingEventKind;
  collection_id: string;
  /** Null for SUBSCRIPTION_PARAMS. */
  dataset: string | null;
  price: string | null;
  duration: number | null;
};

/** `NewRental`; the payee is the collection's owner when it was paid. */
export type RentalsTable = EventPosition & {
  dataset: string;
  collection_id: string;
  renter: string;
  end_date: number;
  price: string;
  payee: string;
};

/** `NewSubscription`; the payee is the collection's owner when it was paid. */
export type SubscriptionsTable = EventPosition & {
  collection_id: string;
  subscriber: string;
  end_date: number;
  price: string;
  payee: string;
};

/** `ProtectedDataSold`. */
export type SalesTable = EventPosition & {
  dataset: string;
  collection_id: string;
  seller: string;
  buyer: string;
  price: string;
};

/** How a consumer was entitled to use the data. */
export type ConsumptionMode = 'RENTAL' | 'SUBSCRIPTION';

/** `ProtectedDataConsumed`: a deal started through DataSharing. */
export type ConsumptionsTable = EventPosition & {
  deal_id: string;
  dataset: string;
  consumer: string;
  mode: ConsumptionMode;
  price: string;
};

/** `ConsumptionSettled`: what a consumption paid (zero and no payee when its task failed). */
export type ConsumptionSettlementsTable = EventPosition & {
  deal_id: string;
  dataset: string;
  payee: string | null;
  amount: string;
};

/** Changes of the hub's owner policies. */
export type PolicyEventKind = 'SET' | 'APP_ALLOWED' | 'USER_ALLOWED' | 'USER_REVOKED';

/** The hub's policy events in chain order; the terms for SET, the app or user for the others. */
export type PolicyEventsTable = EventPosition & {
  dataset: string;
  kind: PolicyEventKind;
  account: string | null;
  restrict_apps: number | null;
  restrict_users: number | null;
  price_per_use: string | null;
  max_uses: number | null;
  expiry: number | null;
  max_result_size: string | null;
};

/** `DatasetUpdated`: a new location and checksum of a dataset's ciphertext (key rotation). */
export type DatasetUpdatesTable = EventPosition & { dataset: string; multiaddr: string; checksum: string };

/** The indexer's SQLite database as kysely sees it. */
export type IndexerTables = {
  meta: MetaTable;
  cursor: CursorTable;
  blocks: BlocksTable;
  datasets: DatasetsTable;
  schema_paths: SchemaPathsTable;
  apps: AppsTable;
  workerpools: WorkerpoolsTable;
  transfers: TransfersTable;
  deals: DealsTable;
  tasks: TasksTable;
  task_events: TaskEventsTable;
  order_operations: OrderOperationsTable;
  contributions: ContributionsTable;
  contribution_events: ContributionEventsTable;
  task_consensus: TaskConsensusTable;
  worker_scores: WorkerScoresTable;
  collections: CollectionsTable;
  sharing_events: SharingEventsTable;
  rentals: RentalsTable;
  subscriptions: SubscriptionsTable;
  sales: SalesTable;
  consumptions: ConsumptionsTable;
  consumption_settlements: ConsumptionSettlementsTable;
  policy_events: PolicyEventsTable;
  dataset_updates: DatasetUpdatesTable;
};

/** A kysely handle on the indexer's database. */
export type IndexerDb = Kysely<IndexerTables>;

/** Tables holding projected rows, each with `block_number`: what a rollback prunes. */
export const PROJECTED_TABLES = [
  'blocks',
  'datasets',
  'schema_paths',
  'apps',
  'workerpools',
  'transfers',
  'deals',
  'tasks',
  'task_events',
  'order_operations',
  'contributions',
  'contribution_events',
  'task_consensus',
  'worker_scores',
  'collections',
  'sharing_events',
  'rentals',
  'subscriptions',
  'sales',
  'consumptions',
  'consumption_settlements',
  'policy_events',
  'dataset_updates',
] as const satisfies readonly (keyof IndexerTables)[];
