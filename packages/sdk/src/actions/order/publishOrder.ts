import type { Address, Hex } from 'viem';
import type { MarketError } from '../../../../market/src/client/MarketError.js';
import type { OrderKind, OrderOf, Signed } from '../../../../protocol/src/index.js';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { marketOf } from '../../internal/market.js';
import { kindAndOrderSchema } from '../../internal/orders.js';
import { parseParameters } from '../../internal/validate.js';

/** Parameters of {@link publishOrder}. */
export type PublishOrderParameters<K extends OrderKind = OrderKind> = { kind: K; order: Signed<OrderOf[K]> };

/** What the market holds now: the order's hash and remaining volume. */
export type PublishOrderReturnType = { orderHash: Hex; remaining: bigint; signer: Address };

/**
 * Errors of {@link publishOrder}: the SDK's, and the market's own (`CONFIDE_MARKET_NOT_OWNER`,
 * `CONFIDE_MARKET_ORDER_CONSUMED`, `CONFIDE_MARKET_UNREACHABLE`…).
 */
export type PublishOrderErrorType =
  | ConfideSdkError<'CONFIDE_SDK_PARAMETERS_INVALID' | 'CONFIDE_SDK_SERVICE_MISSING'>
  | MarketError;

const schema = kindAndOrderSchema(true);

/**
 * Publishes a signed order to the market (iExec's `publish…order`); the market checks its
 * signature, ownership and remaining volume on chain.
 * @param client a Confide client with `services.marketUrl`
 * @param parameters `{ kind, order }` with the order signed
 * @returns the order hash and its remaining volume
 * @example const { orderHash } = await publishOrder(client, { kind: 'AppOrder', order: signed })
 */
export async function publishOrder<K extends OrderKind>(
  client: Pick<ConfideClient, 'services'>,
  parameters: PublishOrderParameters<K>,
): Promise<PublishOrderReturnType> {
  const { kind, order } = parseParameters('publishOrder', schema, parameters);
  const { orderHash, remaining, signer } = await marketOf(client, 'publishOrder').publishOrder(kind, order);
  return { orderHash, remaining, signer };
}
