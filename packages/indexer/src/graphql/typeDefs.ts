/**
 * The GraphQL API of the indexer, close to iExec's DataProtector and PoCo subgraphs. Lists are
 * newest first and paginated with `first` (0..1000, default 100) and `skip` (≥ 0).
 */
export const typeDefs = /* GraphQL */ `
"""
An unsigned integer that may exceed 2^53 (prices, block numbers, timestamps): a decimal string in
answers; a string or an integer in arguments.
"""
scalar BigInt

"""Any JSON value."""
scalar JSON

type Query {
  """Protected data (datasets created through the DataProtector), newest first."""
  protectedDatas(where: ProtectedDataFilter, first: Int = 100, skip: Int = 0): [ProtectedData!]!
  """One protected data by address; null if unknown or a plain dataset."""
  protectedData(id: ID!): ProtectedData
  apps(where: AppFilter, first: Int = 100, skip: Int = 0): [App!]!
  app(id: ID!): App
  workerpools(where: WorkerpoolFilter, first: Int = 100, skip: Int = 0): [Workerpool!]!
  workerpool(id: ID!): Workerpool
  """Deals, newest first."""
  deals(where: DealFilter, first: Int = 100, skip: Int = 0): [Deal!]!
  deal(id: ID!): Deal
  """Initialized tasks, most recently initialized first."""
  tasks(where: TaskFilter, first: Int = 100, skip: Int = 0): [Task!]!
  """One task by id; null until the task is initialized on chain."""
  task(id: ID!): Task
  """Workers that contributed to a replicated task, highest score first (ties by address)."""
  workers(first: Int = 100, skip: Int = 0): [Worker!]!
  """One worker by address; null if it never contributed to a replicated task."""
  worker(id: ID!): Worker
  """Presignatures and closings of orders on chain, newest first."""
  orderOperations(where: OrderOperationFilter, first: Int = 100, skip: Int = 0): [OrderOperation!]!
  """How far the index goes."""
  _meta: Meta!
}

input ProtectedDataFilter {
  """Only this protected data."""
  id: ID
  """Current owner (after transfers)."""
  owner: String
  """
  Keys the data must have, as DataProtector's getProtectedData: { "email": "string" }; a list of
  accepted types, { "picture": ["image/png", "image/jpeg"] }; nested keys, { "meta": { "station": "string" } }.
  """
  requiredSchema: JSON
  """Created at or after this Unix time (seconds)."""
  createdAfter: BigInt
  """Created strictly before this Unix time (seconds)."""
  createdBefore: BigInt
}

input AppFilter {
  owner: String
}

input WorkerpoolFilter {
  owner: String
}

input DealFilter {
  requester: String
  app: String
  dataset: String
  workerpool: String
}

input TaskFilter {
  status: TaskStatus
  dealId: ID
  worker: String
}

input OrderOperationFilter {
  orderHash: ID
}

type ProtectedData {
  """The dataset's address."""
  id: ID!
  owner: String!
  name: String!
  """The schema exactly as emitted on chain."""
  jsonSchema: String!
  """The schema's leaves, sorted by path; empty when the emitted schema is not a valid one."""
  schema: [SchemaEntry!]!
  """Where the ciphertext lives (e.g. /ipfs/<cid>): text when printable UTF-8, else 0x-hex."""
  multiaddr: String!
  """SHA-256 of the ciphertext."""
  checksum: String!
  creationTimestamp: BigInt!
  blockNumber: BigInt!
  transactionHash: String!
  """Ownership changes, the creation's mint first."""
  transfers: [Transfer!]!
}

type SchemaEntry {
  """"path:type", as the iExec subgraph."""
  id: ID!
  """Dotted key path, e.g. meta.station."""
  path: String!
  type: String!
}

type Transfer {
  from: String!
  to: String!
  blockNumber: BigInt!
  timestamp: BigInt!
  transactionHash: String!
}

type App {
  id: ID!
  owner: String!
  name: String!
  appType: String!
  multiaddr: String!
  checksum: String!
  """Enclave measurement, 0x-hex (empty for non-TEE apps)."""
  fingerprint: String!
  creationTimestamp: BigInt!
  blockNumber: BigInt!
  transactionHash: String!
  transfers: [Transfer!]!
}

type Workerpool {
  id: ID!
  owner: String!
  description: String!
  creationTimestamp: BigInt!
  blockNumber: BigInt!
  transactionHash: String!
  transfers: [Transfer!]!
}

type Deal {
  id: ID!
  app: String!
  """Null for a deal without dataset."""
  dataset: String
  workerpool: String!
  workerpoolOwner: String!
  requester: String!
  beneficiary: String!
  sponsor: String!
  callback: String
  appPrice: BigInt!
  datasetPrice: BigInt!
  workerpoolPrice: BigInt!
  workerStake: BigInt!
  """Index of the deal's first task."""
  botFirst: BigInt!
  """Number of tasks."""
  botSize: Int!
  volume: BigInt!
  category: Int!
  """bytes32 tag, 0x-hex."""
  tag: String!
  trust: Int!
  timeref: Int!
  startTime: BigInt!
  """The request's params (JSON string), or null."""
  params: String
  appHash: String!
  datasetHash: String!
  workerpoolHash: String!
  requestHash: String!
  blockNumber: BigInt!
  timestamp: BigInt!
  transactionHash: String!
  """All the deal's tasks by index; those not initialized yet are UNSET with no history."""
  tasks(first: Int = 100, skip: Int = 0): [Task!]!
}

enum TaskStatus {
  UNSET
  ACTIVE
  """A replicated task reached its consensus: the winners reveal."""
  REVEALING
  COMPLETED
  FAILED
}

type Task {
  """keccak256(dealId ‖ index)."""
  id: ID!
  dealId: ID!
  deal: Deal!
  index: BigInt!
  status: TaskStatus!
  workerpool: String!
  """Who finalized or reported the failure."""
  worker: String
  resultDigest: String
  """Where the result is (e.g. /ipfs/<cid>), once COMPLETED."""
  results: String
  """Why it FAILED: the enclave's reason code, or CLAIMED when the deadline passed."""
  failureReason: String
  """Every status change, oldest first."""
  history: [TaskStatusChange!]!
  """Replicated tasks: the result hash that won the consensus, null while none has."""
  consensusValue: String
  """Replicated tasks: how many contributors won the consensus, null while none has."""
  winnerCounter: Int
  """Replicated tasks: until when the winners may reveal (Unix seconds), null while no consensus."""
  revealDeadline: BigInt
  """Replicated tasks: the workers' contributions, in contribution order."""
  contributions(first: Int = 100, skip: Int = 0): [Contribution!]!
}

"""A worker of replicated tasks (Proof of Contribution)."""
type Worker {
  """The worker's address."""
  id: ID!
  """Its score as the hub's viewScore says: +1 per agreeing contribution, × 2/3 per faulty one."""
  score: BigInt!
  """Its contributions, newest first."""
  contributions(first: Int = 100, skip: Int = 0): [Contribution!]!
}

enum ContributionStatus {
  """Committed to a result hash."""
  CONTRIBUTED
  """Revealed the digest behind its commitment (the contract's PROVED)."""
  REVEALED
  """A winner that did not reveal before the task was reopened."""
  REJECTED
  """Rewarded at finalize (agreed with the consensus and revealed)."""
  REWARDED
  """Slashed at finalize (disagreed, or did not reveal)."""
  SLASHED
}

"""A worker's commitment to a replicated task's result, and what became of it."""
type Contribution {
  taskId: ID!
  task: Task!
  worker: String!
  """keccak256(taskId ‖ resultDigest)."""
  resultHash: String!
  status: ContributionStatus!
  """The revealed digest, once REVEALED."""
  resultDigest: String
  """The reward (REWARDED) or the seized stake (SLASHED), in token base units."""
  amount: BigInt
  """The worker's score right after this contribution was settled."""
  scoreAfter: BigInt
  """Where the contribution was made."""
  blockNumber: BigInt!
  timestamp: BigInt!
  transactionHash: String!
}

type TaskStatusChange {
  status: TaskStatus!
  blockNumber: BigInt!
  timestamp: BigInt!
  transactionHash: String!
  worker: String
  reason: String
}

type OrderOperation {
  """0 app, 1 dataset, 2 workerpool, 3 request."""
  kind: Int!
  orderHash: ID!
  operation: OrderOperationType!
  """Who presigned (PRESIGNED only)."""
  owner: String
  """The closed order's volume (CLOSED only)."""
  volume: BigInt
  blockNumber: BigInt!
  timestamp: BigInt!
  transactionHash: String!
}

enum OrderOperationType {
  PRESIGNED
  CLOSED
}

type Meta {
  """The last indexed block, or null before the first."""
  block: MetaBlock
}

type MetaBlock {
  number: BigInt!
  hash: String!
  timestamp: BigInt
}
`;
