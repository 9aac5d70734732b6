import type { Address, Hex } from 'viem';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { transferAsset, transferSchema } from '../../internal/registry.js';
import { parseParameters } from '../../internal/validate.js';

/** Parameters of {@link transferApp}. */
export type TransferAppParameters = { app: Address; to: Address };

/** The transfer transaction. */
export type TransferAppReturnType = { address: Address; to: Address; txHash: Hex };

/** Errors of {@link transferApp}. */
export type TransferAppErrorType = ConfideSdkError<
  | 'CONFIDE_SDK_PARAMETERS_INVALID'
  | 'CONFIDE_SDK_ACCOUNT_REQUIRED'
  | 'CONFIDE_SDK_ASSET_NOT_FOUND'
  | 'CONFIDE_SDK_NOT_OWNER'
  | 'CONFIDE_SDK_TRANSACTION_REVERTED'
>;

const schema = transferSchema('app');

/**
 * Gives a app to a new owner (iExec's `transferApp`); only its owner can.
 * @param client a Confide client with the owner's account
 * @param parameters `{ app, to }`
 * @returns the transaction hash
 * @throws ConfideSdkError `CONFIDE_SDK_NOT_OWNER` when the account does not own it
 * @example await transferApp(client, { app: '0x…', to: '0x…' })
 */
export async function transferApp(
  client: Pick<ConfideClient, 'publicClient' | 'walletClient' | 'contracts'>,
  parameters: TransferAppParameters,
): Promise<TransferAppReturnType> {
  const p = parseParameters('transferApp', schema, parameters) as TransferAppParameters;
  return transferAsset(client, 'app', 'transferApp', p.app, p.to);
}
