import type { Address } from 'viem';
import { z } from 'zod';
import type { FetchOrdersReturnType } from '../../../../market/src/client/createMarketClient.js';
import type { MarketError } from '../../../../market/src/client/MarketError.js';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { anyAddressSchema, commonFilters, fetchBook } from '../../internal/orderbook.js';
import type { TagInput } from '../../internal/orders.js';
import { addressSchema } from '../../internal/validate.js';

/** Parameters of {@link fetchAppOrderbook}: iExec's filters, `'any'` for no filter, and the page. */
export type FetchAppOrderbookParameters = {
  /** Only orders of this app. */
  app: Address;
  /** Orders that admit this dataset. */
  dataset?: Address | 'any';
  /** Orders that admit this workerpool. */
  workerpool?: Address | 'any';
  /** Orders that admit this requester. */
  requester?: Address | 'any';
  /** With `dataset`: only orders restricted to exactly it, not those open to any dataset (iExec's `isDatasetStrict`). */
  isDatasetStrict?: boolean;
  /** With `workerpool`: only orders restricted to exactly it, not those open to any workerpool (iExec's `isWorkerpoolStrict`). */
  isWorkerpoolStrict?: boolean;
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

/** One page of open AppOrders, best price first: `{ orders, count, nextPage? }`. */
export type FetchAppOrderbookReturnType = FetchOrdersReturnType<'AppOrder'>;

/** Errors of {@link fetchAppOrderbook}: the SDK's and the market's (`CONFIDE_MARKET_UNREACHABLE`…). */
export type FetchAppOrderbookErrorType =
  | ConfideSdkError<'CONFIDE_SDK_PARAMETERS_INVALID' | 'CONFIDE_SDK_SERVICE_MISSING'>
  | MarketError;

const schema = z.strictObject({
  app: addressSchema,
  dataset: anyAddressSchema,
  workerpool: anyAddressSchema,
  requester: anyAddressSchema,
  isDatasetStrict: z.boolean().optional(),
  isWorkerpoolStrict: z.boolean().optional(),
  isRequesterStrict: z.boolean().optional(),
  ...commonFilters,
});

/**
 * One page of the market's open AppOrders matching the filters (iExec's `fetchAppOrderbook`).
 * @param client a Confide client with `services.marketUrl`
 * @param parameters filters and page
 * @returns `{ orders, count, nextPage? }`; each order with its hash, remaining volume and signer
 * @example const { orders, nextPage } = await fetchAppOrderbook(client, { app: '0x…', requester: '0x…', minTag: ['tee'] })
 */
export async function fetchAppOrderbook(
  client: Pick<ConfideClient, 'services'>,
  parameters: FetchAppOrderbookParameters,
): Promise<FetchAppOrderbookReturnType> {
  return fetchBook(client, 'fetchAppOrderbook', 'AppOrder', schema, parameters, {
    dataset: 'datasetrestrict',
    workerpool: 'workerpoolrestrict',
    requester: 'requesterrestrict',
  });
}
