import type { Address, Hex } from 'viem';
import { IndexerInputError, type IndexerQueryError } from '../errors.js';
import type { IndexerQuery } from './createIndexerClient.js';

// Typed reads of DataSharing (collections, rentals, subscriptions, sales, consumptions), the
// owner policies and earnings. Amounts are bigint (token base units), times Unix seconds.

type Client = { query: IndexerQuery };

/** Paging of the list reads: newest first. */
export type SharingPage = {
  /** Page number from 0. Default 0. */
  page?: number;
  /** Items per page, 1..1000. Default 1000. */
  pageSize?: number;
};

/** Errors the reads throw. */
export type SharingReadErrorType = IndexerInputError | IndexerQueryError;

/** A price for a period: a rental or subscription offer. */
export type PeriodOffer = { price: bigint; duration: number };

/** A DataSharing collection. */
export type IndexedCollection = {
  collectionId: bigint;
  /** Current owner; the zero address once removed. */
  owner: Address;
  removed: boolean;
  /** The subscription offered, or null. */
  subscriptionParams: PeriodOffer | null;
  /** Addresses of the protected data it holds (first 1,000), newest first. */
  protectedData: Address[];
  creationTimestamp: number;
  transactionHash: Hex;
};

/** A protected data with its place in DataSharing. */
export type SharedProtectedData = {
  address: Address;
  name: string;
  /** The registry's holder: the DataSharing contract while in a collection. */
  owner: Address;
  /** The collection's owner while in a collection, else `owner`. */
  effectiveOwner: Address;
  collectionId: bigint | null;
  rentalParams: PeriodOffer | null;
  /** The sale price, or null when not for sale. */
  salePrice: bigint | null;
  creationTimestamp: number;
};

/** A protected data's owner policy, as the hub enforces it. */
export type IndexedPolicy = {
  restrictApps: boolean;
  restrictUsers: boolean;
  pricePerUse: bigint;
  /** 0: no limit. */
  maxUses: number;
  /** 0: never expires. */
  expiry: number;
  /** Bytes; 0: no limit. */
  maxResultSize: bigint;
  /** Tasks matched on the data since the policy was first set. */
  uses: number;
  allowedApps: Address[];
  allowedUsers: Address[];
};

/** Where an event happened. */
type Position = { blockNumber: bigint; timestamp: number; transactionHash: Hex };

export type IndexedRental = Position & {
  protectedData: Address;
  collectionId: bigint;
  renter: Address;
  /** When this rental (as extended by it) ends. */
  endDate: number;
  price: bigint;
  /** Who was paid: the collection's owner then. */
  payee: Address;
};

export type IndexedSubscription = Position & {
  collectionId: bigint;
  subscriber: Address;
  endDate: number;
  price: bigint;
  payee: Address;
};

export type IndexedSale = Position & {
  protectedData: Address;
  collectionId: bigint;
  seller: Address;
  buyer: Address;
  price: bigint;
};

export type IndexedConsumption = Position & {
  dealId: Hex;
  protectedData: Address;
  consumer: Address;
  mode: 'RENTAL' | 'SUBSCRIPTION';
  /** The per-use price the deal pays for the data. */
  price: bigint;
  settled: boolean;
  /** What the settlement paid (0n if the task failed); null until settled. */
  settledAmount: bigint | null;
  payee: Address | null;
};

/** What an account received through DataSharing, by kind. */
export type Earnings = { rentals: bigint; subscriptions: bigint; sales: bigint; consumptions: bigint; total: bigint };

type Wire<T> = { [K in keyof T]: T[K] extends bigint | number ? string : T[K] };
type PositionRow = { blockNumber: string; timestamp: string; transactionHash: Hex };
const POSITION = 'blockNumber timestamp transactionHash';
const position = (row: PositionRow): Position => ({
  blockNumber: BigInt(row.blockNumber),
  timestamp: Number(row.timestamp),
  transactionHash: row.transactionHash,
});
const offer = (row: { price: string; duration: string } | null): PeriodOffer | null =>
  row && { price: BigInt(row.price), duration: Number(row.duration) };

function paging({ page = 0, pageSize = 1000 }: SharingPage): { first: number; skip: number } {
  if (!Number.isInteger(page) || page < 0) throw new IndexerInputError(`page: must be an integer ≥ 0, got ${page}`);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
    throw new IndexerInputError(`pageSize: must be an integer in 1..1000, got ${pageSize}`);
  }
  return { first: pageSize, skip: page * pageSize };
}

/** Drops the undefined entries: the API reads a missing filter as none. */
const defined = (where: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(where).filter(([, value]) => value !== undefined));
const text = (value: bigint | number | undefined) => (value === undefined ? undefined : String(value));

const COLLECTION_FIELDS = `id owner removed subscriptionParams { price duration } protectedDatas(first: 1000) { id }
  creationTimestamp transactionHash`;
type CollectionRow = {
  id: string;
  owner: Address;
  removed: boolean;
  subscriptionParams: { price: string; duration: string } | null;
  protectedDatas: { id: Address }[];
  creationTimestamp: string;
  transactionHash: Hex;
};
const collection = (row: CollectionRow): IndexedCollection => ({
  collectionId: BigInt(row.id),
  owner: row.owner,
  removed: row.removed,
  subscriptionParams: offer(row.subscriptionParams),
  protectedData: row.protectedDatas.map((d) => d.id),
  creationTimestamp: Number(row.creationTimestamp),
  transactionHash: row.transactionHash,
});

/**
 * Lists the collections (not removed), newest first, of one owner or all.
 * @example const mine = await getCollections(indexer, { owner })
 */
export async function getCollections(
  client: Client,
  { owner, ...pageArgs }: { owner?: Address } & SharingPage = {},
): Promise<IndexedCollection[]> {
  const data = await client.query<{ collections: CollectionRow[] }>(
    `query($where: CollectionFilter, $first: Int, $skip: Int) {
      collections(where: $where, first: $first, skip: $skip) { ${COLLECTION_FIELDS} } }`,
    { where: defined({ owner }), ...paging(pageArgs) },
  );
  return data.collections.map(collection);
}

/**
 * One collection by id, removed ones included; null if never created.
 * @example const c = await getCollection(indexer, 1n)
 */
export async function getCollection(client: Client, collectionId: bigint): Promise<IndexedCollection | null> {
  if (typeof collectionId !== 'bigint' || collectionId < 0n) {
    throw new IndexerInputError(`collectionId: must be a bigint ≥ 0, got ${String(collectionId)}`);
  }
  const data = await client.query<{ collection: CollectionRow | null }>(
    `query($id: ID!) { collection(id: $id) { ${COLLECTION_FIELDS} } }`,
    { id: collectionId.toString() },
  );
  return data.collection && collection(data.collection);
}

/** Filters of {@link getSharedProtectedData}. */
export type GetSharedProtectedDataParameters = SharingPage & {
  /** Only those in this collection. */
  collectionId?: bigint;
  /** Only those in a collection (true) or in none (false). */
  inCollection?: boolean;
  /** Only those this account really owns (through its collections or directly). */
  effectiveOwner?: Address;
  /** Only those for rent (true) or not (false). */
  isRentable?: boolean;
  /** Only those for sale (true) or not (false). */
  isForSale?: boolean;
  /** Only this protected data. */
  protectedData?: Address;
};

/**
 * Protected data with their collection and offers, newest first.
 * @example const forRent = await getSharedProtectedData(indexer, { collectionId: 1n, isRentable: true })
 */
export async function getSharedProtectedData(
  client: Client,
  {
    collectionId,
    inCollection,
    effectiveOwner,
    isRentable,
    isForSale,
    protectedData,
    ...pageArgs
  }: GetSharedProtectedDataParameters = {},
): Promise<SharedProtectedData[]> {
  type Row = {
    id: Address;
    name: string;
    owner: Address;
    effectiveOwner: Address;
    collection: { id: string } | null;
    rentalParams: { price: string; duration: string } | null;
    saleParams: { price: string } | null;
    creationTimestamp: string;
  };
  const data = await client.query<{ protectedDatas: Row[] }>(
    `query($where: ProtectedDataFilter, $first: Int, $skip: Int) {
      protectedDatas(where: $where, first: $first, skip: $skip) {
        id name owner effectiveOwner collection { id } rentalParams { price duration } saleParams { price }
        creationTimestamp
      } }`,
    {
      where: defined({
        id: protectedData,
        collection: text(collectionId),
        inCollection,
        effectiveOwner,
        forRent: isRentable,
        forSale: isForSale,
      }),
      ...paging(pageArgs),
    },
  );
  return data.protectedDatas.map((row) => ({
    address: row.id,
    name: row.name,
    owner: row.owner,
    effectiveOwner: row.effectiveOwner,
    collectionId: row.collection ? BigInt(row.collection.id) : null,
    rentalParams: offer(row.rentalParams),
    salePrice: row.saleParams ? BigInt(row.saleParams.price) : null,
    creationTimestamp: Number(row.creationTimestamp),
  }));
}

/**
 * The owner policy of a protected data; null if none was ever set (or the data is unknown).
 * @example const policy = await getPolicy(indexer, protectedData)
 */
export async function getPolicy(client: Client, protectedData: Address): Promise<IndexedPolicy | null> {
  type Row = Wire<Omit<IndexedPolicy, 'restrictApps' | 'restrictUsers' | 'allowedApps' | 'allowedUsers'>> &
    Pick<IndexedPolicy, 'restrictApps' | 'restrictUsers' | 'allowedApps' | 'allowedUsers'>;
  const data = await client.query<{ protectedData: { policy: Row | null } | null }>(
    `query($id: ID!) { protectedData(id: $id) { policy {
      restrictApps restrictUsers pricePerUse maxUses expiry maxResultSize uses allowedApps allowedUsers } } }`,
    { id: protectedData },
  );
  const p = data.protectedData?.policy;
  return p
    ? {
        restrictApps: p.restrictApps,
        restrictUsers: p.restrictUsers,
        pricePerUse: BigInt(p.pricePerUse),
        maxUses: Number(p.maxUses),
        expiry: Number(p.expiry),
        maxResultSize: BigInt(p.maxResultSize),
        uses: Number(p.uses),
        allowedApps: p.allowedApps,
        allowedUsers: p.allowedUsers,
      }
    : null;
}

/** Filters of {@link getRentals}. */
export type GetRentalsParameters = SharingPage & {
  renter?: Address;
  protectedData?: Address;
  collectionId?: bigint;
  /** Only rentals still running after this Unix time (e.g. now); all by default. */
  activeAfter?: number;
};

/**
 * Rentals, newest first.
 * @example const running = await getRentals(indexer, { renter, activeAfter: Math.floor(Date.now() / 1000) })
 */
export async function getRentals(
  client: Client,
  { renter, protectedData, collectionId, activeAfter, ...pageArgs }: GetRentalsParameters = {},
): Promise<IndexedRental[]> {
  type Row = PositionRow & {
    dataset: Address;
    collection: { id: string };
    renter: Address;
    endDate: string;
    price: string;
    payee: Address;
  };
  const data = await client.query<{ rentals: Row[] }>(
    `query($where: RentalFilter, $first: Int, $skip: Int) {
      rentals(where: $where, first: $first, skip: $skip) {
        dataset collection { id } renter endDate price payee ${POSITION} } }`,
    {
      where: defined({ renter, dataset: protectedData, collection: text(collectionId), endAfter: text(activeAfter) }),
      ...paging(pageArgs),
    },
  );
  return data.rentals.map((row) => ({
    protectedData: row.dataset,
    collectionId: BigInt(row.collection.id),
    renter: row.renter,
    endDate: Number(row.endDate),
    price: BigInt(row.price),
    payee: row.payee,
    ...position(row),
  }));
}

/** Filters of {@link getSubscriptions}. */
export type GetSubscriptionsParameters = SharingPage & {
  subscriber?: Address;
  collectionId?: bigint;
  /** Only subscriptions still running after this Unix time; all by default. */
  activeAfter?: number;
};

/**
 * Subscriptions to collections, newest first.
 * @example const subscribers = await getSubscriptions(indexer, { collectionId: 1n })
 */
export async function getSubscriptions(
  client: Client,
  { subscriber, collectionId, activeAfter, ...pageArgs }: GetSubscriptionsParameters = {},
): Promise<IndexedSubscription[]> {
  type Row = PositionRow & {
    collection: { id: string };
    subscriber: Address;
    endDate: string;
    price: string;
    payee: Address;
  };
  const data = await client.query<{ subscriptions: Row[] }>(
    `query($where: SubscriptionFilter, $first: Int, $skip: Int) {
      subscriptions(where: $where, first: $first, skip: $skip) {
        collection { id } subscriber endDate price payee ${POSITION} } }`,
    {
      where: defined({ subscriber, collection: text(collectionId), endAfter: text(activeAfter) }),
      ...paging(pageArgs),
    },
  );
  return data.subscriptions.map((row) => ({
    collectionId: BigInt(row.collection.id),
    subscriber: row.subscriber,
    endDate: Number(row.endDate),
    price: BigInt(row.price),
    payee: row.payee,
    ...position(row),
  }));
}

/**
 * Sales of protected data, newest first.
 * @example const bought = await getSales(indexer, { buyer })
 */
export async function getSales(
  client: Client,
  {
    buyer,
    seller,
    protectedData,
    ...pageArgs
  }: SharingPage & { buyer?: Address; seller?: Address; protectedData?: Address } = {},
): Promise<IndexedSale[]> {
  type Row = PositionRow & {
    dataset: Address;
    collection: { id: string };
    seller: Address;
    buyer: Address;
    price: string;
  };
  const data = await client.query<{ sales: Row[] }>(
    `query($where: SaleFilter, $first: Int, $skip: Int) {
      sales(where: $where, first: $first, skip: $skip) { dataset collection { id } seller buyer price ${POSITION} } }`,
    { where: defined({ buyer, seller, dataset: protectedData }), ...paging(pageArgs) },
  );
  return data.sales.map((row) => ({
    protectedData: row.dataset,
    collectionId: BigInt(row.collection.id),
    seller: row.seller,
    buyer: row.buyer,
    price: BigInt(row.price),
    ...position(row),
  }));
}

/**
 * Deals started through DataSharing by right of a rental or subscription, newest first.
 * @example const mine = await getConsumptions(indexer, { consumer })
 */
export async function getConsumptions(
  client: Client,
  { consumer, protectedData, ...pageArgs }: SharingPage & { consumer?: Address; protectedData?: Address } = {},
): Promise<IndexedConsumption[]> {
  type Row = PositionRow & {
    dealId: Hex;
    dataset: Address;
    consumer: Address;
    mode: 'RENTAL' | 'SUBSCRIPTION';
    price: string;
    settled: boolean;
    settledAmount: string | null;
    payee: Address | null;
  };
  const data = await client.query<{ consumptions: Row[] }>(
    `query($where: ConsumptionFilter, $first: Int, $skip: Int) {
      consumptions(where: $where, first: $first, skip: $skip) {
        dealId dataset consumer mode price settled settledAmount payee ${POSITION} } }`,
    { where: defined({ consumer, dataset: protectedData }), ...paging(pageArgs) },
  );
  return data.consumptions.map((row) => ({
    dealId: row.dealId,
    protectedData: row.dataset,
    consumer: row.consumer,
    mode: row.mode,
    price: BigInt(row.price),
    settled: row.settled,
    settledAmount: row.settledAmount === null ? null : BigInt(row.settledAmount),
    payee: row.payee,
    ...position(row),
  }));
}

/**
 * What `account` received through DataSharing: rentals and subscriptions of its collections,
 * its sales and the settled consumptions of its data (all zero for an unknown account).
 * @example const { total } = await getEarnings(indexer, owner)
 */
export async function getEarnings(client: Client, account: Address): Promise<Earnings> {
  const data = await client.query<{ account: { earnings: Wire<Earnings> } }>(
    'query($id: ID!) { account(id: $id) { earnings { rentals subscriptions sales consumptions total } } }',
    { id: account },
  );
  const e = data.account.earnings;
  return {
    rentals: BigInt(e.rentals),
    subscriptions: BigInt(e.subscriptions),
    sales: BigInt(e.sales),
    consumptions: BigInt(e.consumptions),
    total: BigInt(e.total),
  };
}
