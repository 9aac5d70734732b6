import type { Address, Hex } from 'viem';
import { z } from 'zod';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { deployAsset, multiaddrToBytes, predictAsset } from '../../internal/registry.js';
import { addressSchema, bytes32Schema, parseParameters } from '../../internal/validate.js';

/** Parameters of {@link deployDataset} and {@link predictDatasetAddress}. */
export type DeployDatasetParameters = {
  /** Who owns it; the client's account by default. */
  owner?: Address;
  name: string;
  /** Where the encrypted bytes are: `/ipfs/<cid>` or a URL. */
  multiaddr: string;
  /** SHA-256 of the encrypted bytes, 0x-hex. */
  checksum: Hex;
};

/** The dataset's address and the registration transaction. */
export type DeployDatasetReturnType = { address: Address; txHash: Hex };

/** Errors of {@link deployDataset}. */
export type DeployDatasetErrorType = ConfideSdkError<
  | 'CONFIDE_SDK_PARAMETERS_INVALID'
  | 'CONFIDE_SDK_ACCOUNT_REQUIRED'
  | 'CONFIDE_SDK_ASSET_EXISTS'
  | 'CONFIDE_SDK_TRANSACTION_REVERTED'
>;

const schema = z.strictObject({
  owner: addressSchema.optional(),
  name: z.string().min(1).max(256),
  multiaddr: z.string().min(1).max(2048),
  checksum: bytes32Schema,
});

function datasetArgs(client: Pick<ConfideClient, 'walletClient'>, action: string, parameters: DeployDatasetParameters) {
  const p = parseParameters(action, schema, parameters);
  const owner =
    p.owner ?? client.walletClient?.account.address ?? parseParameters(action, schema.required(), parameters).owner;
  return [owner, p.name, multiaddrToBytes(p.multiaddr), p.checksum] as const;
}

/**
 * Registers an encrypted dataset (iExec's `deployDataset`); push its key with `pushDatasetSecret`.
 * @param client a Confide client with an account
 * @param parameters the dataset's fields
 * @returns the dataset's address and the transaction hash
 * @throws ConfideSdkError `CONFIDE_SDK_ASSET_EXISTS` when the owner already has this exact dataset
 * @example const { address } = await deployDataset(client, { name: 'air-quality.csv', multiaddr: '/ipfs/bafy…', checksum })
 */
export async function deployDataset(
  client: Pick<ConfideClient, 'publicClient' | 'walletClient' | 'contracts'>,
  parameters: DeployDatasetParameters,
): Promise<DeployDatasetReturnType> {
  return deployAsset(client, 'dataset', 'deployDataset', datasetArgs(client, 'deployDataset', parameters));
}

/**
 * The address {@link deployDataset} will give these fields (iExec's `predictDatasetAddress`).
 * @example const address = await predictDatasetAddress(client, fields)
 */
export async function predictDatasetAddress(
  client: Pick<ConfideClient, 'publicClient' | 'walletClient' | 'contracts'>,
  parameters: DeployDatasetParameters,
): Promise<Address> {
  return predictAsset(client, 'dataset', datasetArgs(client, 'predictDatasetAddress', parameters));
}
