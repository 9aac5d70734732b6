import type { Address } from 'viem';
import { z } from 'zod';
import type { FetchOrdersReturnType } from '../../../../market/src/client/createMarketClient.js';
import type { MarketError } from '../../../../market/src/client/MarketError.js';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { anyAddressSchema, commonFilters, fetchBook } from '../../internal/orderbook.js';
import type { TagInput } from '../../internal/orders.js';
import { uintSchema } from '../../internal/validate.js';

/** Parameters of {@link fetchWorkerpoolOrderbook}: iExec's filters, `'any'` for no filter, and the page. */
export type FetchWorkerpoolOrderbookParameters = {
  /** Only orders this workerpool can serve. */
  workerpool?: Address | 'any';
  /** Orders that admit this app (their restriction is it, or none). */
  app?: Address | 'any';
  /** Orders that admit this dataset. */
  dataset?: Address | 'any';
  /** Orders that admit this requester. */
  requester?: Address | 'any';
  /** The category offered. */
  category?: bigint | number;
  /** At least this trust. */
  minTrust?: bigint | number;
  /** With `app`: only orders restricted to exactly it, not those open to any app (iExec's `isAppStrict`). */
  isAppStrict?: boolean;
  /** With `dataset`: only orders restricted to exactly it, not those open to any dataset (iExec's `isDatasetStrict`). */
  isDatasetStrict?: boolean;
  /** With `requester`: only orders restricted to exactly it, not those open to any requester (iExec's `isRequesterStrict`). */
  isRequesterStrict?: boolean;
  /** Orders whose tag has at least these bits. */
  minTag?: TagInput;
  /** Orders whose tag has no bit outside these. */
  maxTag?: TagInput;
  /** Orders with at least this remaining volume. */
  minVolume?: bigint | number;
  /** Page number from 0; 0 by default. */
  page?: number;
  /** Orders per page, 1–1000; 20 by default. */
  pageSize?: number;
};

/** One page of open WorkerpoolOrders, best price first: `{ orders, count, nextPage? }`. */
export type FetchWorkerpoolOrderbookReturnType = FetchOrdersReturnType<'WorkerpoolOrder'>;

/** Errors of {@link fetchWorkerpoolOrderbook}: the SDK's and the market's (`CONFIDE_MARKET_UNREACHABLE`…). */
export type FetchWorkerpoolOrderbookErrorType =
  | ConfideSdkError<'CONFIDE_SDK_PARAMETERS_INVALID' | 'CONFIDE_SDK_SERVICE_MISSING'>
  | MarketError;

const schema = z.strictObject({
  workerpool: anyAddressSchema,
  app: anyAddressSchema,
  dataset: anyAddressSchema,
  requester: anyAddressSchema,
  category: uintSchema.optional(),
  minTrust: uintSchema.optional(),
  isAppStrict: z.boolean().optional(),
  isDatasetStrict: z.boolean().optional(),
  isRequesterStrict: z.boolean().optional(),
  ...commonFilters,
});

/**
 * One page of the market's open WorkerpoolOrders matching the filters (iExec's `fetchWorkerpoolOrderbook`).
 * @param client a Confide client with `services.marketUrl`
 * @param parameters filters and page
 * @returns `{ orders, count, nextPage? }`; each order with its hash, remaining volume and signer
 * @example const { orders, nextPage } = await fetchWorkerpoolOrderbook(client, { category: 0, minTag: ['tee'], pageSize: 50 })
 */
export async function fetchWorkerpoolOrderbook(
  client: Pick<ConfideClient, 'services'>,
  parameters: FetchWorkerpoolOrderbookParameters = {},
): Promise<FetchWorkerpoolOrderbookReturnType> {
  return fetchBook(client, 'fetchWorkerpoolOrderbook', 'WorkerpoolOrder', schema, parameters, {
    app: 'apprestrict',
    dataset: 'datasetrestrict',
    requester: 'requesterrestrict',
  });
}
