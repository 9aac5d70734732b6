import type { Address, Hex } from 'viem';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { transferAsset, transferSchema } from '../../internal/registry.js';
import { parseParameters } from '../../internal/validate.js';

/** Parameters of {@link transferWorkerpool}. */
export type TransferWorkerpoolParameters = { workerpool: Address; to: Address };

/** The transfer transaction. */
export type TransferWorkerpoolReturnType = { address: Address; to: Address; txHash: Hex };

/** Errors of {@link transferWorkerpool}. */
export type TransferWorkerpoolErrorType = ConfideSdkError<
  | 'CONFIDE_SDK_PARAMETERS_INVALID'
  | 'CONFIDE_SDK_ACCOUNT_REQUIRED'
  | 'CONFIDE_SDK_ASSET_NOT_FOUND'
  | 'CONFIDE_SDK_NOT_OWNER'
  | 'CONFIDE_SDK_TRANSACTION_REVERTED'
>;

const schema = transferSchema('workerpool');

/**
 * Gives a workerpool to a new owner (iExec's `transferWorkerpool`); only its owner can.
 * @param client a Confide client with the owner's account
 * @param parameters `{ workerpool, to }`
 * @returns the transaction hash
 * @throws ConfideSdkError `CONFIDE_SDK_NOT_OWNER` when the account does not own it
 * @example await transferWorkerpool(client, { workerpool: '0x…', to: '0x…' })
 */
export async function transferWorkerpool(
  client: Pick<ConfideClient, 'publicClient' | 'walletClient' | 'contracts'>,
  parameters: TransferWorkerpoolParameters,
): Promise<TransferWorkerpoolReturnType> {
  const p = parseParameters('transferWorkerpool', schema, parameters) as TransferWorkerpoolParameters;
  return transferAsset(client, 'workerpool', 'transferWorkerpool', p.workerpool, p.to);
}
