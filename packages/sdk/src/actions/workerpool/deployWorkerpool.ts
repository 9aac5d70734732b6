import type { Address, Hex } from 'viem';
import { z } from 'zod';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { deployAsset, predictAsset } from '../../internal/registry.js';
import { addressSchema, parseParameters } from '../../internal/validate.js';

/** Parameters of {@link deployWorkerpool} and {@link predictWorkerpoolAddress}. */
export type DeployWorkerpoolParameters = {
  /** Who owns it (signs its orders, authorises its workers); the client's account by default. */
  owner?: Address;
  description: string;
};

/** The workerpool's address and the registration transaction. */
export type DeployWorkerpoolReturnType = { address: Address; txHash: Hex };

/** Errors of {@link deployWorkerpool}. */
export type DeployWorkerpoolErrorType = ConfideSdkError<
  | 'CONFIDE_SDK_PARAMETERS_INVALID'
  | 'CONFIDE_SDK_ACCOUNT_REQUIRED'
  | 'CONFIDE_SDK_ASSET_EXISTS'
  | 'CONFIDE_SDK_TRANSACTION_REVERTED'
>;

const schema = z.strictObject({ owner: addressSchema.optional(), description: z.string().min(1).max(256) });

function workerpoolArgs(
  client: Pick<ConfideClient, 'walletClient'>,
  action: string,
  parameters: DeployWorkerpoolParameters,
) {
  const p = parseParameters(action, schema, parameters);
  const owner =
    p.owner ?? client.walletClient?.account.address ?? parseParameters(action, schema.required(), parameters).owner;
  return [owner, p.description] as const;
}

/**
 * Registers a workerpool (iExec's `deployWorkerpool`).
 * @param client a Confide client with an account
 * @param parameters `{ owner?, description }`
 * @returns the workerpool's address and the transaction hash
 * @throws ConfideSdkError `CONFIDE_SDK_ASSET_EXISTS` when the owner already has a pool with this description
 * @example const { address } = await deployWorkerpool(client, { description: 'my pool' })
 */
export async function deployWorkerpool(
  client: Pick<ConfideClient, 'publicClient' | 'walletClient' | 'contracts'>,
  parameters: DeployWorkerpoolParameters,
): Promise<DeployWorkerpoolReturnType> {
  return deployAsset(client, 'workerpool', 'deployWorkerpool', workerpoolArgs(client, 'deployWorkerpool', parameters));
}

/**
 * The address {@link deployWorkerpool} will give these fields (iExec's `predictWorkerpoolAddress`).
 * @example const address = await predictWorkerpoolAddress(client, { description: 'my pool' })
 */
export async function predictWorkerpoolAddress(
  client: Pick<ConfideClient, 'publicClient' | 'walletClient' | 'contracts'>,
  parameters: DeployWorkerpoolParameters,
): Promise<Address> {
  return predictAsset(client, 'workerpool', workerpoolArgs(client, 'predictWorkerpoolAddress', parameters));
}
