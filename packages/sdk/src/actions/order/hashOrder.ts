import type { Hex } from 'viem';
import {
  confideDomain,
  hashOrder as hashTypedOrder,
  type OrderKind,
  type OrderOf,
} from '../../../../protocol/src/index.js';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { kindAndOrderSchema } from '../../internal/orders.js';
import { parseParameters } from '../../internal/validate.js';

/** Parameters of {@link hashOrder}. */
export type HashOrderParameters<K extends OrderKind = OrderKind> = { kind: K; order: OrderOf[K] };

/** The order's EIP-712 hash: its identity on chain and in the market. */
export type HashOrderReturnType = Hex;

/** Errors of {@link hashOrder}. */
export type HashOrderErrorType = ConfideSdkError<'CONFIDE_SDK_PARAMETERS_INVALID'>;

const schema = kindAndOrderSchema(false);

/**
 * An order's hash under the hub's domain (iExec's `hash{App,…}order`); computed locally.
 * @param client a Confide client
 * @param parameters `{ kind, order }` (a `sign` field is ignored)
 * @returns the order hash
 * @example const orderHash = hashOrder(client, { kind: 'DatasetOrder', order })
 */
export function hashOrder<K extends OrderKind>(
  client: Pick<ConfideClient, 'chain' | 'hub'>,
  parameters: HashOrderParameters<K>,
): HashOrderReturnType {
  const { kind, order } = parseParameters('hashOrder', schema, parameters);
  const { sign: _ignored, ...unsigned } = order as OrderOf[OrderKind] & { sign?: Hex };
  return hashTypedOrder({ domain: confideDomain(client.chain.id, client.hub), kind, order: unsigned as never });
}
