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
  """DataSharing collections, newest first; removed ones are left out unless asked by id."""
  collections(where: CollectionFilter, first: Int = 100, skip: Int = 0): [Collection!]!
  """One collection by id (decimal); null if never created."""
  collection(id: ID!): Collection
  """Rentals of protected data, newest first."""
  rentals(where: RentalFilter, first: Int = 100, skip: Int = 0): [Rental!]!
  """Subscriptions to collections, newest first."""
  subscriptions(where: SubscriptionFilter, first: Int = 100, skip: Int = 0): [Subscription!]!
  """Sales of protected data, newest first."""
  sales(where: SaleFilter, first: Int = 100, skip: Int = 0): [Sale!]!
  """Deals started through DataSharing by right of a rental or subscription, newest first."""
  consumptions(where: ConsumptionFilter, first: Int = 100, skip: Int = 0): [Consumption!]!
  """An account's earnings from DataSharing (zero for an unknown account)."""
  account(id: ID!): Account!
  """How far the index goes."""
  _meta: Meta!
}

input CollectionFilter {
  """Current owner of the collection."""
  owner: String
}

input RentalFilter {
  renter: String
  """The rented protected data."""
  dataset: String
  collection: ID
  """Only rentals running after this Unix time (endDate > endAfter): e.g. now, for active ones."""
  endAfter: BigInt
}

input SubscriptionFilter {
  subscriber: String
  collection: ID
  """Only subscriptions running after this Unix time (endDate > endAfter)."""
  endAfter: BigInt
}

input SaleFilter {
  buyer: String
  seller: String
  dataset: String
}

input ConsumptionFilter {
  consumer: String
  dataset: String
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
  """Only those in this DataSharing collection."""
  collection: ID
  """Only those in a collection (true) or in none (false)."""
  inCollection: Boolean
  """The real owner: the collection's owner for data held by DataSharing, else the registry holder."""
  effectiveOwner: String
  """Only those for rent (true) or not (false)."""
  forRent: Boolean
  """Only those for sale (true) or not (false)."""
  forSale: Boolean
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
  """The registry's holder (after transfers): the DataSharing contract while in a collection."""
  owner: String!
  """Who really owns it: the collection's owner while in a collection, else the registry holder (owner)."""
  effectiveOwner: String!
  """The DataSharing collection holding it, or null."""
  collection: Collection
  """Its rental offer, or null when not for rent."""
  rentalParams: RentalParams
  """Its sale price, or null when not for sale."""
  saleParams: SaleParams
  """The hub's owner policy, or null if none was ever set."""
  policy: Policy
  """Its rentals, newest first."""
  rentals(first: Int = 100, skip: Int = 0): [Rental!]!
  name: String!
  """The schema exactly as emitted on chain."""
  jsonSchema: String!
  """The schema's leaves, sorted by path; empty when the emitted schema is not a valid one."""
  schema: [SchemaEntry!]!
  """
  Where the ciphertext lives now (e.g. /ipfs/<cid>): the last update's location, else the
  creation's; text when printable UTF-8, else 0x-hex.
  """
  multiaddr: String!
  """SHA-256 of the current ciphertext (the last update's, else the creation's)."""
  checksum: String!
  creationTimestamp: BigInt!
  blockNumber: BigInt!
  transactionHash: String!
  """Ownership changes, the creation's mint first."""
  transfers: [Transfer!]!
  """New locations of the ciphertext (DatasetRegistry's DatasetUpdated, e.g. key rotations), oldest first."""
  updates: [DatasetUpdate!]!
}

"""A dataset's ciphertext moved: where it is now and its checksum."""
type DatasetUpdate {
  multiaddr: String!
  checksum: String!
  blockNumber: BigInt!
  timestamp: BigInt!
  transactionHash: String!
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

"""A DataSharing collection (an ERC-721 token of the contract, which holds its protected data)."""
type Collection {
  """The token id, decimal."""
  id: ID!
  """Current owner; the zero address once removed."""
  owner: String!
  removed: Boolean!
  """The subscription offered, or null when none is."""
  subscriptionParams: SubscriptionParams
  """The protected data it holds, newest first."""
  protectedDatas(first: Int = 100, skip: Int = 0): [ProtectedData!]!
  """Its subscriptions, newest first."""
  subscriptions(first: Int = 100, skip: Int = 0): [Subscription!]!
  """Ownership changes, the creation's mint first."""
  transfers: [Transfer!]!
  creationTimestamp: BigInt!
  blockNumber: BigInt!
  transactionHash: String!
}

type SubscriptionParams {
  """Price of one period, in token base units."""
  price: BigInt!
  """Seconds."""
  duration: BigInt!
}

type RentalParams {
  price: BigInt!
  """Seconds."""
  duration: BigInt!
}

type SaleParams {
  price: BigInt!
}

"""A protected data's owner policy, enforced by the hub on every match."""
type Policy {
  restrictApps: Boolean!
  restrictUsers: Boolean!
  """Least dataset price per task (0: none)."""
  pricePerUse: BigInt!
  """Tasks it may serve (0: no limit)."""
  maxUses: BigInt!
  """Unix time from which no deal may use it (0: never)."""
  expiry: BigInt!
  """Largest result in bytes (0: no limit)."""
  maxResultSize: BigInt!
  """Tasks matched on it since the policy was first set, as the hub's viewPolicy counts them."""
  uses: BigInt!
  """The app allow-list, in the order apps joined."""
  allowedApps: [String!]!
  """The user allow-list, in the order users (last) joined."""
  allowedUsers: [String!]!
  """When the terms were last set."""
  blockNumber: BigInt!
  timestamp: BigInt!
  transactionHash: String!
}

type Rental {
  """The protected data's address."""
  dataset: String!
  protectedData: ProtectedData
  collection: Collection!
  renter: String!
  """Unix time the rental (as extended by this one) ends."""
  endDate: BigInt!
  price: BigInt!
  """Who was paid: the collection's owner then."""
  payee: String!
  blockNumber: BigInt!
  timestamp: BigInt!
  transactionHash: String!
}

type Subscription {
  collection: Collection!
  subscriber: String!
  endDate: BigInt!
  price: BigInt!
  """Who was paid: the collection's owner then."""
  payee: String!
  blockNumber: BigInt!
  timestamp: BigInt!
  transactionHash: String!
}

type Sale {
  dataset: String!
  protectedData: ProtectedData
  """The collection it left."""
  collection: Collection!
  seller: String!
  buyer: String!
  price: BigInt!
  blockNumber: BigInt!
  timestamp: BigInt!
  transactionHash: String!
}

enum ConsumptionMode {
  RENTAL
  SUBSCRIPTION
}

type Consumption {
  dealId: ID!
  deal: Deal
  dataset: String!
  consumer: String!
  mode: ConsumptionMode!
  """The policy's price per use the deal pays for the data."""
  price: BigInt!
  """Whether settleConsumption ran."""
  settled: Boolean!
  """What the settlement paid (0 when the task failed), null until settled."""
  settledAmount: BigInt
  """Who the settlement paid, null until settled or when the task failed."""
  payee: String
  blockNumber: BigInt!
  timestamp: BigInt!
  transactionHash: String!
}

"""An account, for what it earned through DataSharing."""
type Account {
  id: ID!
  earnings: Earnings!
}

"""Amounts received, in token base units (escrow balance on the hub)."""
type Earnings {
  """Rentals of data in its collections."""
  rentals: BigInt!
  """Subscriptions to its collections."""
  subscriptions: BigInt!
  """Sales it made."""
  sales: BigInt!
  """Settled consumptions of its data (per-use prices)."""
  consumptions: BigInt!
  """The sum of the four."""
  total: BigInt!
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
