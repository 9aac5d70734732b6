import type { Address } from 'viem';
import type { IndexerQuery } from '../../indexer/src/client/createIndexerClient.js';
import {
  type Earnings,
  getCollection,
  getCollections,
  getEarnings,
  getPolicy,
  getRentals,
  getSharedProtectedData,
  getSubscriptions,
  type IndexedCollection,
  type IndexedPolicy,
  type IndexedRental,
  type IndexedSubscription,
  type SharedProtectedData,
} from '../../indexer/src/client/sharing.js';
import { address, count, invalid, service } from './validate.js';

// The reads of iExec's DataProtector sharing module, answered by the Confide indexer. They take
// the indexer client, so that `createDataProtector` can expose them over the client it has.

/** Paging as the DataProtector's lists take it: newest first. */
type Page = {
  /** Page number from 0. Default 0. */
  page?: number;
  /** Items per page, 1..1000. Default 1000. */
  pageSize?: number;
};

/** Parameters of `getCollectionsByOwner`. */
export type GetCollectionsByOwnerParameters = Page & { owner: Address };

/** Parameters of `getProtectedDataInCollections`: every filter is optional. */
export type GetProtectedDataInCollectionsParameters = Page & {
  /** Only those in this collection. */
  collectionId?: bigint | number;
  /** Only those in collections of this owner. */
  collectionOwner?: Address;
  /** Only those for rent (true) or not (false). */
  isRentable?: boolean;
  /** Only those for sale (true) or not (false). */
  isForSale?: boolean;
  /** Only this protected data. */
  protectedData?: Address;
};

/** Parameters of `getRentals`. */
export type GetRentalsParameters = Page & {
  renterAddress?: Address;
  protectedData?: Address;
  collectionId?: bigint | number;
  /** Also list rentals that have ended. Default false: only those running now. */
  includePastRentals?: boolean;
};

/** Parameters of `getCollectionSubscriptions`. */
export type GetCollectionSubscriptionsParameters = Page & {
  subscriberAddress?: Address;
  collectionId?: bigint | number;
  /** Also list subscriptions that have ended. Default false: only those running now. */
  includePastSubscriptions?: boolean;
};

/** The sharing reads, as `createSharingReads` returns them. */
export type SharingReads = {
  /**
   * The collections of `owner` (not removed), newest first, with their data and subscription offer.
   * @throws {DataProtectorError} CONFIDE_DATAPROTECTOR_INVALID_PARAMETER or CONFIDE_DATAPROTECTOR_SERVICE_FAILED
   */
  getCollectionsByOwner: (p: GetCollectionsByOwnerParameters) => Promise<{ collections: IndexedCollection[] }>;
  /**
   * Protected data held in collections, newest first, with their rental offer and sale price.
   * @throws {DataProtectorError} CONFIDE_DATAPROTECTOR_INVALID_PARAMETER or CONFIDE_DATAPROTECTOR_SERVICE_FAILED
   */
  getProtectedDataInCollections: (
    p?: GetProtectedDataInCollectionsParameters,
  ) => Promise<{ protectedDataInCollection: SharedProtectedData[] }>;
  /**
   * Rentals, newest first; only running ones unless `includePastRentals`.
   * @throws {DataProtectorError} CONFIDE_DATAPROTECTOR_INVALID_PARAMETER or CONFIDE_DATAPROTECTOR_SERVICE_FAILED
   */
  getRentals: (p?: GetRentalsParameters) => Promise<{ rentals: IndexedRental[] }>;
  /**
   * Subscriptions to collections, newest first; only running ones unless `includePastSubscriptions`.
   * @throws {DataProtectorError} CONFIDE_DATAPROTECTOR_INVALID_PARAMETER or CONFIDE_DATAPROTECTOR_SERVICE_FAILED
   */
  getCollectionSubscriptions: (
    p?: GetCollectionSubscriptionsParameters,
  ) => Promise<{ collectionSubscriptions: IndexedSubscription[] }>;
  /**
   * The owner policy of a protected data (terms, allow-lists, uses), or null if none was set.
   * @throws {DataProtectorError} CONFIDE_DATAPROTECTOR_INVALID_PARAMETER or CONFIDE_DATAPROTECTOR_SERVICE_FAILED
   */
  getProtectedDataPolicy: (p: { protectedData: Address }) => Promise<IndexedPolicy | null>;
  /**
   * What `account` earned (escrow on the hub): rentals, subscriptions, sales and settled consumptions.
   * @throws {DataProtectorError} CONFIDE_DATAPROTECTOR_INVALID_PARAMETER or CONFIDE_DATAPROTECTOR_SERVICE_FAILED
   */
  getEarnings: (p: { account: Address }) => Promise<Earnings>;
};

const QUERYING = 'querying the indexer';

function paging(p: Page): Required<Page> {
  const pageSize = p.pageSize ?? 1000;
  if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
    throw invalid('pageSize must be an integer between 1 and 1000');
  }
  return { page: p.page === undefined ? 0 : count(p.page, 'page', 0), pageSize };
}

function collectionIdOf(value: unknown, name: string): bigint {
  if (typeof value === 'bigint' && value >= 0n) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  throw invalid(`${name} must be a collection id (an integer ≥ 0)`);
}

function flag(value: unknown, name: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw invalid(`${name} must be a boolean`);
}

const optional = <T>(value: unknown, read: (v: unknown, name: string) => T, name: string) =>
  value === undefined ? undefined : read(value, name);

/** Unix seconds now (the wall clock): what "running" means for rentals and subscriptions. */
const wallClock = () => Math.floor(Date.now() / 1000);

/**
 * Creates the sharing reads over an indexer client, with the DataProtector's validation and
 * errors (bad input: CONFIDE_DATAPROTECTOR_INVALID_PARAMETER; indexer down or refusing:
 * CONFIDE_DATAPROTECTOR_SERVICE_FAILED).
 * @param indexer - an indexer client (`createIndexerClient({ url })`), or anything with its `query`
 * @param now - Unix seconds now, which rentals and subscriptions must outlast to be listed by default
 * (default: the wall clock; pass the chain's time where it differs, as on a devnet moved forward)
 * @example
 * const reads = createSharingReads(createIndexerClient({ url: indexerUrl }));
 * const { collections } = await reads.getCollectionsByOwner({ owner });
 */
export function createSharingReads(indexer: { query: IndexerQuery }, now: () => number = wallClock): SharingReads {
  return {
    async getCollectionsByOwner(p) {
      const owner = address(p?.owner, 'owner');
      const page = paging(p);
      return { collections: await service(QUERYING, () => getCollections(indexer, { owner, ...page })) };
    },
    async getProtectedDataInCollections(p = {}) {
      const collectionId = optional(p.collectionId, collectionIdOf, 'collectionId');
      const params = {
        ...paging(p),
        inCollection: true,
        effectiveOwner: optional(p.collectionOwner, address, 'collectionOwner'),
        isRentable: flag(p.isRentable, 'isRentable'),
        isForSale: flag(p.isForSale, 'isForSale'),
        protectedData: optional(p.protectedData, address, 'protectedData'),
        collectionId,
      };
      return {
        protectedDataInCollection: await service(QUERYING, () => getSharedProtectedData(indexer, params)),
      };
    },
    async getRentals(p = {}) {
      const params = {
        ...paging(p),
        renter: optional(p.renterAddress, address, 'renterAddress'),
        protectedData: optional(p.protectedData, address, 'protectedData'),
        collectionId: optional(p.collectionId, collectionIdOf, 'collectionId'),
        activeAfter: flag(p.includePastRentals, 'includePastRentals') ? undefined : now(),
      };
      return { rentals: await service(QUERYING, () => getRentals(indexer, params)) };
    },
    async getCollectionSubscriptions(p = {}) {
      const params = {
        ...paging(p),
        subscriber: optional(p.subscriberAddress, address, 'subscriberAddress'),
        collectionId: optional(p.collectionId, collectionIdOf, 'collectionId'),
        activeAfter: flag(p.includePastSubscriptions, 'includePastSubscriptions') ? undefined : now(),
      };
      return { collectionSubscriptions: await service(QUERYING, () => getSubscriptions(indexer, params)) };
    },
    async getProtectedDataPolicy(p) {
      const protectedData = address(p?.protectedData, 'protectedData');
      return service(QUERYING, () => getPolicy(indexer, protectedData));
    },
    async getEarnings(p) {
      const account = address(p?.account, 'account');
      return service(QUERYING, () => getEarnings(indexer, account));
    },
  };
}

/** A collection by id (removed ones included), or null: for a DataProtector `getCollection`. */
export async function getCollectionById(
  indexer: { query: IndexerQuery },
  collectionId: bigint | number,
): Promise<IndexedCollection | null> {
  const id = collectionIdOf(collectionId, 'collectionId');
  return service(QUERYING, () => getCollection(indexer, id));
}
