import type { Address } from 'viem';
import { z } from 'zod';
import type { FetchOrdersReturnType } from '../../../../market/src/client/createMarketClient.js';
import type { MarketError } from '../../../../market/src/client/MarketError.js';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { anyAddressSchema, commonFilters, fetchBook } from '../../internal/orderbook.js';
import type { TagInput } from '../../internal/orders.js';
import { uintSchema } from '../../internal/validate.js';

/** Parameters of {@link fetchRequestOrderbook}: iExec's filters, `'any'` for no filter, and the page. */
export type FetchRequestOrderbookParameters = {
  /** Only orders of this app. */
  app?: Address | 'any';
  /** Only orders of this dataset. */
  dataset?: Address | 'any';
  /** Only orders this workerpool can serve. */
  workerpool?: Address | 'any';
  /** Only orders of this requester. */
  requester?: Address | 'any';
  /** The category asked. */
  category?: bigint | number;
  /** At most this trust. */
  maxTrust?: bigint | number;
  /** With `workerpool`: only orders restricted to exactly it, not those open to any workerpool (iExec's `isWorkerpoolStrict`). */
  isWorkerpoolStrict?: boolean;
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

/** One page of open RequestOrders, best price first: `{ orders, count, nextPage? }`. */
export type FetchRequestOrderbookReturnType = FetchOrdersReturnType<'RequestOrder'>;

/** Errors of {@link fetchRequestOrderbook}: the SDK's and the market's (`CONFIDE_MARKET_UNREACHABLE`…). */
export type FetchRequestOrderbookErrorType =
  | ConfideSdkError<'CONFIDE_SDK_PARAMETERS_INVALID' | 'CONFIDE_SDK_SERVICE_MISSING'>
  | MarketError;

const schema = z.strictObject({
  app: anyAddressSchema,
  dataset: anyAddressSchema,
  workerpool: anyAddressSchema,
  requester: anyAddressSchema,
  category: uintSchema.optional(),
  maxTrust: uintSchema.optional(),
  isWorkerpoolStrict: z.boolean().optional(),
  ...commonFilters,
});

/**
 * One page of the market's open RequestOrders matching the filters (iExec's `fetchRequestOrderbook`).
 * @param client a Confide client with `services.marketUrl`
 * @param parameters filters and page
 * @returns `{ orders, count, nextPage? }`; each order with its hash, remaining volume and signer
 * @example const { orders, nextPage } = await fetchRequestOrderbook(client, { category: 0, minTag: ['tee'], pageSize: 50 })
 */
export async function fetchRequestOrderbook(
  client: Pick<ConfideClient, 'services'>,
  parameters: FetchRequestOrderbookParameters = {},
): Promise<FetchRequestOrderbookReturnType> {
  return fetchBook(client, 'fetchRequestOrderbook', 'RequestOrder', schema, parameters, {});
}
