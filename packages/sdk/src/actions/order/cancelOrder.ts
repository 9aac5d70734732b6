import type { Hex } from 'viem';
import {
  confideHubAbi,
  type OrderKind,
  type OrderOf,
  OrderOperation,
  type Signed,
} from '../../../../protocol/src/index.js';
import type { ConfideClient } from '../../client.js';
import { ConfideSdkError } from '../../errors.js';
import { sendContract } from '../../internal/chain.js';
import { kindAndOrderSchema } from '../../internal/orders.js';
import { parseParameters } from '../../internal/validate.js';
import { hashOrder } from './hashOrder.js';

/** Parameters of {@link cancelOrder}. */
export type CancelOrderParameters<K extends OrderKind = OrderKind> = {
  kind: K;
  order: OrderOf[K] | Signed<OrderOf[K]>;
};

/** The closing transaction and the order's hash. */
export type CancelOrderReturnType = { orderHash: Hex; txHash: Hex };

/** Errors of {@link cancelOrder}. */
export type CancelOrderErrorType = ConfideSdkError<
  | 'CONFIDE_SDK_PARAMETERS_INVALID'
  | 'CONFIDE_SDK_ACCOUNT_REQUIRED'
  | 'CONFIDE_SDK_NOT_OWNER'
  | 'CONFIDE_SDK_ASSET_NOT_FOUND'
  | 'CONFIDE_SDK_TRANSACTION_REVERTED'
>;

const schema = kindAndOrderSchema(false);

const MANAGE = {
  AppOrder: 'manageAppOrder',
  DatasetOrder: 'manageDatasetOrder',
  WorkerpoolOrder: 'manageWorkerpoolOrder',
  RequestOrder: 'manageRequestOrder',
} as const;

/**
 * Closes an order on chain so nobody can match it any more, whoever holds its signature
 * (iExec's `cancel…order`). Only the asset's owner (the requester for a request) can.
 * @param client a Confide client with the owner's account
 * @param parameters `{ kind, order }`
 * @returns the order hash and the transaction hash
 * @throws ConfideSdkError `CONFIDE_SDK_NOT_OWNER` when the account does not own the order's asset
 * @example await cancelOrder(client, { kind: 'DatasetOrder', order: signedDatasetOrder })
 */
export async function cancelOrder<K extends OrderKind>(
  client: Pick<ConfideClient, 'walletClient' | 'publicClient' | 'chain' | 'hub'>,
  parameters: CancelOrderParameters<K>,
): Promise<CancelOrderReturnType> {
  const { kind, order } = parseParameters('cancelOrder', schema, parameters);
  const { sign, ...unsigned } = order as Partial<Signed<OrderOf[OrderKind]>> & OrderOf[OrderKind];
  const orderHash = hashOrder(client, { kind, order: unsigned as never });
  const receipt = await sendContract(client, {
    action: 'cancelOrder',
    address: client.hub,
    abi: confideHubAbi,
    functionName: MANAGE[kind],
    // The order struct carries its own signature field; the owner sending the call needs none.
    args: [{ order: { ...unsigned, sign: sign ?? '0x' }, operation: OrderOperation.Close, sign: '0x' }],
    mapRevert: ({ errorName, args }) => {
      if (errorName === 'OrderOperationUnauthorized') {
        return new ConfideSdkError({
          code: 'CONFIDE_SDK_NOT_OWNER',
          shortMessage: `cancelOrder: only ${String(args[3])} can cancel this order, not ${String(args[2])}.`,
          reason: errorName,
        });
      }
      if (errorName === 'OrderAssetNotRegistered') {
        return new ConfideSdkError({
          code: 'CONFIDE_SDK_ASSET_NOT_FOUND',
          shortMessage: `cancelOrder: the order's asset ${String(args[1])} is not registered.`,
          reason: errorName,
        });
      }
      return undefined;
    },
  });
  return { orderHash, txHash: receipt.transactionHash };
}
