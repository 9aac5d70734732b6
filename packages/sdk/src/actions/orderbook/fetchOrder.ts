import type { Hex } from 'viem';
import { z } from 'zod';
import type { MarketOrder } from '../../../../market/src/client/createMarketClient.js';
import type { MarketError } from '../../../../market/src/client/MarketError.js';
import type { OrderKind } from '../../../../protocol/src/index.js';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { marketOf } from '../../internal/market.js';
import { orderKindSchema } from '../../internal/orders.js';
import { bytes32Schema, parseParameters } from '../../internal/validate.js';

/** Parameters of {@link fetchOrder}: the book and the order's hash. */
export type FetchOrderParameters<K extends OrderKind = OrderKind> = { kind: K; orderHash: Hex };

/** The order as the market holds it: the signed order, its remaining volume, status and signer. */
export type FetchOrderReturnType<K extends OrderKind = OrderKind> = MarketOrder<K>;

/**
 * Errors of {@link fetchOrder}: the SDK's and the market's (`CONFIDE_MARKET_ORDER_NOT_FOUND` for a
 * hash the book does not hold, `CONFIDE_MARKET_UNREACHABLE`…).
 */
export type FetchOrderErrorType =
  | ConfideSdkError<'CONFIDE_SDK_PARAMETERS_INVALID' | 'CONFIDE_SDK_SERVICE_MISSING'>
  | MarketError;

const schema = z.strictObject({ kind: orderKindSchema, orderHash: bytes32Schema });

/**
 * One order of the market by its hash (iExec's `fetch{App,Dataset,Workerpool,Request}order`),
 * whatever its status (open, filled, cancelled, unpublished).
 * @param client a Confide client with `services.marketUrl`
 * @param parameters `{ kind, orderHash }`
 * @returns the signed order, its remaining volume, status and signer
 * @example const { order, remaining, status } = await fetchOrder(client, { kind: 'AppOrder', orderHash })
 */
export async function fetchOrder<K extends OrderKind>(
  client: Pick<ConfideClient, 'services'>,
  parameters: FetchOrderParameters<K>,
): Promise<FetchOrderReturnType<K>> {
  const { kind, orderHash } = parseParameters('fetchOrder', schema, parameters);
  return marketOf(client, 'fetchOrder').fetchOrder(kind as K, orderHash as Hex);
}
