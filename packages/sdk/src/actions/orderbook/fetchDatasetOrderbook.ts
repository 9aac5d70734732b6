import type { Address } from 'viem';
import { z } from 'zod';
import type { FetchOrdersReturnType } from '../../../../market/src/client/createMarketClient.js';
import type { MarketError } from '../../../../market/src/client/MarketError.js';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { anyAddressSchema, commonFilters, fetchBook } from '../../internal/orderbook.js';
import type { TagInput } from '../../internal/orders.js';
import { addressSchema } from '../../internal/validate.js';

/** Parameters of {@link fetchDatasetOrderbook}: iExec's filters, `'any'` for no filter, and the page. */
export type FetchDatasetOrderbookParameters = {
  /** Only orders of this dataset. */
  dataset: Address;
  /** Orders that admit this app (their restriction is it, or none). */
  app?: Address | 'any';
  /** Orders that admit this workerpool. */
  workerpool?: Address | 'any';
  /** Orders that admit this requester. */
  requester?: Address | 'any';
  /** With `app`: only orders restricted to exactly it, not those open to any app (iExec's `isAppStrict`). */
  isAppStrict?: boolean;
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

/** One page of open DatasetOrders, best price first: `{ orders, count, nextPage? }`. */
export type FetchDatasetOrderbookReturnType = FetchOrdersReturnType<'DatasetOrder'>;

/** Errors of {@link fetchDatasetOrderbook}: the SDK's and the market's (`CONFIDE_MARKET_UNREACHABLE`…). */
export type FetchDatasetOrderbookErrorType =
  | ConfideSdkError<'CONFIDE_SDK_PARAMETERS_INVALID' | 'CONFIDE_SDK_SERVICE_MISSING'>
  | MarketError;

const schema = z.strictObject({
  dataset: addressSchema,
  app: anyAddressSchema,
  workerpool: anyAddressSchema,
  requester: anyAddressSchema,
  isAppStrict: z.boolean().optional(),
  isWorkerpoolStrict: z.boolean().optional(),
  isRequesterStrict: z.boolean().optional(),
  ...commonFilters,
});

/**
 * One page of the market's open DatasetOrders matching the filters (iExec's `fetchDatasetOrderbook`).
 * @param client a Confide client with `services.marketUrl`
 * @param parameters filters and page
 * @returns `{ orders, count, nextPage? }`; each order with its hash, remaining volume and signer
 * @example const { orders, nextPage } = await fetchDatasetOrderbook(client, { dataset: '0x…', requester: '0x…', minTag: ['tee'] })
 */
export async function fetchDatasetOrderbook(
  client: Pick<ConfideClient, 'services'>,
  parameters: FetchDatasetOrderbookParameters,
): Promise<FetchDatasetOrderbookReturnType> {
  return fetchBook(client, 'fetchDatasetOrderbook', 'DatasetOrder', schema, parameters, {
    app: 'apprestrict',
    workerpool: 'workerpoolrestrict',
    requester: 'requesterrestrict',
  });
}
