import type { Address, Hex } from 'viem';
import type { AppOrder, DatasetOrder, Signed, WorkerpoolOrder } from '../../protocol/src/index.js';

/** One open order of the book. */
export type BookEntry<T> = { orderHash: Hex; order: Signed<T>; remaining: bigint };
/** A page of the book. */
export type BookPage<T> = { count: number; orders: BookEntry<T>[] };
type Page = { page: number; pageSize: number };

/** What DataProtector needs of the market (see `createMarketClient` in packages/market). */
export type MarketApi = {
  publishDatasetOrder: (order: Signed<DatasetOrder>) => Promise<unknown>;
  listDatasetOrders: (
    filters: { dataset?: Address; app?: Address; requester?: Address; maxPrice?: bigint } & Page,
  ) => Promise<BookPage<DatasetOrder>>;
  listAppOrders: (filters: { app: Address; minTag?: Hex; maxPrice?: bigint } & Page) => Promise<BookPage<AppOrder>>;
  listWorkerpoolOrders: (filters: { minTag?: Hex; maxPrice?: bigint } & Page) => Promise<BookPage<WorkerpoolOrder>>;
};
