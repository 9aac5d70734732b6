import type { Address, Hex } from 'viem';
import type { MarketClient } from '../../market/src/client/createMarketClient.js';
import type { AppOrder, DatasetOrder, Signed, WorkerpoolOrder } from '../../protocol/src/index.js';

/** One open order of the book. */
export type BookEntry<T> = { orderHash: Hex; order: Signed<T>; remaining: bigint };
/** A page of the book. */
export type BookPage<T> = { count: number; orders: BookEntry<T>[] };
type Page = { page: number; pageSize: number };

/** What DataProtector needs of the market. */
export type MarketApi = {
  publishDatasetOrder: (order: Signed<DatasetOrder>) => Promise<unknown>;
  listDatasetOrders: (
    filters: { dataset?: Address; app?: Address; requester?: Address; maxPrice?: bigint } & Page,
  ) => Promise<BookPage<DatasetOrder>>;
  listAppOrders: (filters: { app: Address; minTag?: Hex; maxPrice?: bigint } & Page) => Promise<BookPage<AppOrder>>;
  listWorkerpoolOrders: (
    filters: { minTag?: Hex; maxPrice?: bigint; workerpool?: Address; category?: bigint } & Page,
  ) => Promise<BookPage<WorkerpoolOrder>>;
};

/**
 * DataProtector's view of a market client: dataset orders as accesses (the app and the user are
 * the order's restrictions), best price first as the market answers.
 */
export function marketApi(client: MarketClient): MarketApi {
  return {
    publishDatasetOrder: (order) => client.publishOrder('DatasetOrder', order),
    async listDatasetOrders({ dataset, app, requester, page, pageSize }) {
      return client.fetchOrders('DatasetOrder', {
        ...(dataset ? { dataset } : {}),
        ...(app ? { apprestrict: app } : {}),
        ...(requester ? { requesterrestrict: requester } : {}),
        page,
        pageSize,
      });
    },
    listAppOrders: ({ app, minTag, page, pageSize }) =>
      client.fetchOrders('AppOrder', { app, ...(minTag ? { minTag } : {}), page, pageSize }),
    listWorkerpoolOrders: ({ minTag, workerpool, category, page, pageSize }) =>
      client.fetchOrders('WorkerpoolOrder', {
        ...(minTag ? { minTag } : {}),
        ...(workerpool ? { workerpool } : {}),
        ...(category === undefined ? {} : { category }),
        page,
        pageSize,
      }),
  };
}
