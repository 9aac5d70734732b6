import type { Address, Hex } from 'viem';
import { z } from 'zod';
import type { MarketError } from '../../../../market/src/client/MarketError.js';
import type { OrderKind } from '../../../../protocol/src/index.js';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { typedDataSigner } from '../../internal/chain.js';
import { marketOf } from '../../internal/market.js';
import { orderKindSchema } from '../../internal/orders.js';
import { addressSchema, bytes32Schema, parseParameters } from '../../internal/validate.js';

/** Parameters of {@link unpublishOrder}: one order by hash, or all of the account's (on one asset). */
export type UnpublishOrderParameters =
  | { kind: OrderKind; orderHash: Hex }
  | { kind: OrderKind; all: true; asset?: Address };

/** The hashes the market removed. */
export type UnpublishOrderReturnType = Hex[];

/** Errors of {@link unpublishOrder}: the SDK's and the market's (`CONFIDE_MARKET_NOT_SIGNER`…). */
export type UnpublishOrderErrorType =
  | ConfideSdkError<'CONFIDE_SDK_PARAMETERS_INVALID' | 'CONFIDE_SDK_SERVICE_MISSING' | 'CONFIDE_SDK_ACCOUNT_REQUIRED'>
  | MarketError;

const schema = z.union([
  z.strictObject({ kind: orderKindSchema, orderHash: bytes32Schema }),
  z.strictObject({ kind: orderKindSchema, all: z.literal(true), asset: addressSchema.optional() }),
]);

/**
 * Removes orders from the market as their signer (iExec's `unpublish…order`,
 * `unpublishAll…orders`). It does not cancel on chain: use `cancelOrder` for that.
 * @param client a Confide client with the signer's account and `services.marketUrl`
 * @param parameters `{ kind, orderHash }` or `{ kind, all: true, asset? }`
 * @returns the hashes removed
 * @example await unpublishOrder(client, { kind: 'AppOrder', orderHash })
 */
export async function unpublishOrder(
  client: Pick<ConfideClient, 'services' | 'walletClient'>,
  parameters: UnpublishOrderParameters,
): Promise<UnpublishOrderReturnType> {
  const p = parseParameters('unpublishOrder', schema, parameters);
  const market = marketOf(client, 'unpublishOrder');
  const signer = typedDataSigner(client, 'unpublishOrder');
  const target = 'orderHash' in p ? { orderHash: p.orderHash } : { all: true as const, asset: p.asset };
  return market.unpublishOrder(p.kind, target, signer);
}
