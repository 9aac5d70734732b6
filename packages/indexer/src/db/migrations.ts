/**
 * The database's schema, one migration per entry; entry i brings `PRAGMA user_version` from i
 * to i + 1. Never edit a released entry: append a new one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE cursor (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    block_number INTEGER NOT NULL,
    block_hash TEXT NOT NULL
  );
  CREATE TABLE blocks (block_number INTEGER PRIMARY KEY, block_hash TEXT NOT NULL, timestamp INTEGER NOT NULL);

  CREATE TABLE datasets (
    address TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    name TEXT NOT NULL,
    multiaddr TEXT NOT NULL,
    checksum TEXT NOT NULL,
    schema_json TEXT,
    block_number INTEGER NOT NULL,
    log_index INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    transaction_hash TEXT NOT NULL
  );
  CREATE INDEX datasets_owner ON datasets (owner, block_number DESC, log_index DESC);
  CREATE INDEX datasets_created ON datasets (block_number DESC, log_index DESC);
  CREATE INDEX datasets_timestamp ON datasets (timestamp);

  CREATE TABLE schema_paths (
    dataset TEXT NOT NULL,
    path TEXT NOT NULL,
    type TEXT NOT NULL,
    block_number INTEGER NOT NULL,
    PRIMARY KEY (dataset, path)
  );
  CREATE INDEX schema_paths_path_type ON schema_paths (path, type, dataset);

  CREATE TABLE apps (
    address TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    name TEXT NOT NULL,
    app_type TEXT NOT NULL,
    multiaddr TEXT NOT NULL,
    checksum TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    block_number INTEGER NOT NULL,
    log_index INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    transaction_hash TEXT NOT NULL
  );
  CREATE INDEX apps_owner ON apps (owner);

  CREATE TABLE workerpools (
    address TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    description TEXT NOT NULL,
    block_number INTEGER NOT NULL,
    log_index INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    transaction_hash TEXT NOT NULL
  );
  CREATE INDEX workerpools_owner ON workerpools (owner);

  CREATE TABLE transfers (
    registry TEXT NOT NULL,
    asset TEXT NOT NULL,
    from_address TEXT NOT NULL,
    to_address TEXT NOT NULL,
    block_number INTEGER NOT NULL,
    log_index INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    transaction_hash TEXT NOT NULL,
    PRIMARY KEY (block_number, log_index)
  );
  CREATE INDEX transfers_asset ON transfers (registry, asset, block_number, log_index);

  CREATE TABLE deals (
    deal_id TEXT PRIMARY KEY,
    app TEXT NOT NULL,
    dataset TEXT,
    workerpool TEXT NOT NULL,
    workerpool_owner TEXT NOT NULL,
    requester TEXT NOT NULL,
    beneficiary TEXT NOT NULL,
    sponsor TEXT NOT NULL,
    callback TEXT,
    app_price TEXT NOT NULL,
    dataset_price TEXT NOT NULL,
    workerpool_price TEXT NOT NULL,
    worker_stake TEXT NOT NULL,
    bot_first TEXT NOT NULL,
    bot_size INTEGER NOT NULL,
    volume TEXT NOT NULL,
    category INTEGER NOT NULL,
    tag TEXT NOT NULL,
    trust INTEGER NOT NULL,
    timeref INTEGER NOT NULL,
    start_time INTEGER NOT NULL,
    params TEXT,
    app_hash TEXT NOT NULL,
    dataset_hash TEXT NOT NULL,
    workerpool_hash TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    block_number INTEGER NOT NULL,
    log_index INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    transaction_hash TEXT NOT NULL
  );
  CREATE INDEX deals_created ON deals (block_number DESC, log_index DESC);
  CREATE INDEX deals_requester ON deals (requester);
  CREATE INDEX deals_app ON deals (app);
  CREATE INDEX deals_dataset ON deals (dataset);
  CREATE INDEX deals_workerpool ON deals (workerpool);

  CREATE TABLE tasks (
    task_id TEXT PRIMARY KEY,
    deal_id TEXT NOT NULL,
    idx TEXT NOT NULL,
    workerpool TEXT NOT NULL,
    status TEXT NOT NULL,
    worker TEXT,
    result_digest TEXT,
    results TEXT,
    failure_reason TEXT,
    block_number INTEGER NOT NULL,
    log_index INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    transaction_hash TEXT NOT NULL
  );
  CREATE INDEX tasks_deal ON tasks (deal_id);
  CREATE INDEX tasks_status ON tasks (status);
  CREATE INDEX tasks_worker ON tasks (worker);
  CREATE INDEX tasks_created ON tasks (block_number DESC, log_index DESC);

  CREATE TABLE task_events (
    task_id TEXT NOT NULL,
    status TEXT NOT NULL,
    worker TEXT,
    result_digest TEXT,
    results TEXT,
    reason TEXT,
    block_number INTEGER NOT NULL,
    log_index INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    transaction_hash TEXT NOT NULL,
    PRIMARY KEY (block_number, log_index)
  );
  CREATE INDEX task_events_task ON task_events (task_id, block_number, log_index);

  CREATE TABLE order_operations (
    kind INTEGER NOT NULL,
    order_hash TEXT NOT NULL,
    operation TEXT NOT NULL,
    owner TEXT,
    volume TEXT,
    block_number INTEGER NOT NULL,
    log_index INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    transaction_hash TEXT NOT NULL,
    PRIMARY KEY (block_number, log_index)
  );
  CREATE INDEX order_operations_hash ON order_operations (order_hash);
  `,
];
