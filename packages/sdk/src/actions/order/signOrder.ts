import {
  confideDomain,
  type OrderKind,
  type OrderOf,
  type Signed,
  signOrder as signTypedOrder,
} from '../../../../protocol/src/index.js';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { typedDataSigner } from '../../internal/chain.js';
import { kindAndOrderSchema } from '../../internal/orders.js';
import { parseParameters } from '../../internal/validate.js';

/** Parameters of {@link signOrder}: the order and its kind. */
export type SignOrderParameters<K extends OrderKind = OrderKind> = { kind: K; order: OrderOf[K] };

/** The order with its EIP-712 `sign`. */
export type SignOrderReturnType<K extends OrderKind = OrderKind> = Signed<OrderOf[K]>;

/** Errors of {@link signOrder}. */
export type SignOrderErrorType = ConfideSdkError<'CONFIDE_SDK_PARAMETERS_INVALID' | 'CONFIDE_SDK_ACCOUNT_REQUIRED'>;

const schema = kindAndOrderSchema(false);

/**
 * Signs an order with the client's account under the hub's EIP-712 domain (iExec's
 * `sign{App,Dataset,Workerpool,Request}order`). Browser wallets show every field.
 * @param client a Confide client with an account
 * @param parameters `{ kind, order }`
 * @returns the signed order
 * @example const signed = await signOrder(client, { kind: 'AppOrder', order: createAppOrder({ app }) })
 */
export async function signOrder<K extends OrderKind>(
  client: Pick<ConfideClient, 'walletClient' | 'chain' | 'hub'>,
  parameters: SignOrderParameters<K>,
): Promise<SignOrderReturnType<K>> {
  const { kind, order } = parseParameters('signOrder', schema, parameters);
  const { sign: _ignored, ...unsigned } = order as Signed<OrderOf[OrderKind]>;
  return (await signTypedOrder({
    signer: typedDataSigner(client, 'signOrder'),
    domain: confideDomain(client.chain.id, client.hub),
    kind,
    order: unsigned as OrderOf[typeof kind],
  })) as unknown as SignOrderReturnType<K>;
}
