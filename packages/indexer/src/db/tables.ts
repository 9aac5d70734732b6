import type { Kysely } from 'kysely';

// Every projected row carries `block_number` (the block of the event that wrote it), so a reorg
// is undone by deleting the rows above the common ancestor. Addresses are checksummed, ids and
// hashes lowercase hex; numbers that may exceed 2^53 (prices, indexes) are decimal strings.

/** Where the follower stands: the last indexed block and its hash (one row, id 1). */
export type CursorTable = { id: number; block_number: number; block_hash: string };

/** Facts fixed at the first start (chain id, contract addresses), checked at every start. */
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
  multiaddr: string;
  checksum: string;
  /** The schema exactly as emitted, or null for a plain dataset. */
  schema_json: string | null;
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

/** ERC-721 transfers of the three registries, mints included; the last one gives the owner. */
export type TransfersTable = EventPosition & {
  registry: 'app' | 'dataset' | 'workerpool';
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
] as const satisfies readonly (keyof IndexerTables)[];
