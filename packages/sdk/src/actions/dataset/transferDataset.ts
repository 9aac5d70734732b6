import type { Address, Hex } from 'viem';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { transferAsset, transferSchema } from '../../internal/registry.js';
import { parseParameters } from '../../internal/validate.js';

/** Parameters of {@link transferDataset}. */
export type TransferDatasetParameters = { dataset: Address; to: Address };

/** The transfer transaction. */
export type TransferDatasetReturnType = { address: Address; to: Address; txHash: Hex };

/** Errors of {@link transferDataset}. */
export type TransferDatasetErrorType = ConfideSdkError<
  | 'CONFIDE_SDK_PARAMETERS_INVALID'
  | 'CONFIDE_SDK_ACCOUNT_REQUIRED'
  | 'CONFIDE_SDK_ASSET_NOT_FOUND'
  | 'CONFIDE_SDK_NOT_OWNER'
  | 'CONFIDE_SDK_TRANSACTION_REVERTED'
>;

const schema = transferSchema('dataset');

/**
 * Gives a dataset to a new owner (iExec's `transferDataset`); only its owner can.
 * @param client a Confide client with the owner's account
 * @param parameters `{ dataset, to }`
 * @returns the transaction hash
 * @throws ConfideSdkError `CONFIDE_SDK_NOT_OWNER` when the account does not own it
 * @example await transferDataset(client, { dataset: '0x…', to: '0x…' })
 */
export async function transferDataset(
  client: Pick<ConfideClient, 'publicClient' | 'walletClient' | 'contracts'>,
  parameters: TransferDatasetParameters,
): Promise<TransferDatasetReturnType> {
  const p = parseParameters('transferDataset', schema, parameters) as TransferDatasetParameters;
  return transferAsset(client, 'dataset', 'transferDataset', p.dataset, p.to);
}
