import { type Address, type Hex, isHex } from 'viem';
import { z } from 'zod';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { deployAsset, multiaddrToBytes, predictAsset } from '../../internal/registry.js';
import { addressSchema, bytes32Schema, parseParameters } from '../../internal/validate.js';

/** Parameters of {@link deployApp} and {@link predictAppAddress}. */
export type DeployAppParameters = {
  /** Who owns it; the client's account by default. */
  owner?: Address;
  name: string;
  /** How the bundle runs, e.g. `NODE` (iExec: `DOCKER`). */
  type: string;
  /** Where the bundle is: `/ipfs/<cid>` or a URL. */
  multiaddr: string;
  /** SHA-256 of the bundle, 0x-hex. */
  checksum: Hex;
  /** The TEE fingerprint (enclave measurement) the SMS checks quotes against (iExec's `mrenclave`). */
  fingerprint: Hex;
};

/** The app's address and the registration transaction. */
export type DeployAppReturnType = { address: Address; txHash: Hex };

/** Errors of {@link deployApp}. */
export type DeployAppErrorType = ConfideSdkError<
  | 'CONFIDE_SDK_PARAMETERS_INVALID'
  | 'CONFIDE_SDK_ACCOUNT_REQUIRED'
  | 'CONFIDE_SDK_ASSET_EXISTS'
  | 'CONFIDE_SDK_TRANSACTION_REVERTED'
>;

/** Validates app fields; shared with {@link predictAppAddress}. */
const appSchema = z.strictObject({
  owner: addressSchema.optional(),
  name: z.string().min(1).max(256),
  type: z.string().min(1).max(64),
  multiaddr: z.string().min(1).max(2048),
  checksum: bytes32Schema,
  fingerprint: z.string().refine((value) => isHex(value) && value.length > 2, 'must be non-empty 0x-hex'),
});

/** The registry's argument tuple for these fields. */
function appArgs(client: Pick<ConfideClient, 'walletClient'>, action: string, parameters: DeployAppParameters) {
  const p = parseParameters(action, appSchema, parameters);
  const owner =
    p.owner ?? client.walletClient?.account.address ?? parseParameters(action, appSchema.required(), parameters).owner;
  return [owner, p.name, p.type, multiaddrToBytes(p.multiaddr), p.checksum, p.fingerprint as Hex] as const;
}

/**
 * Registers an app (iExec's `deployApp`). Its address is known before: {@link predictAppAddress}.
 * @param client a Confide client with an account
 * @param parameters the app's fields
 * @returns the app's address and the transaction hash
 * @throws ConfideSdkError `CONFIDE_SDK_ASSET_EXISTS` when the owner already has this exact app
 * @example const { address } = await deployApp(client, { name: 'climate-stats', type: 'NODE', multiaddr: '/ipfs/bafy…', checksum, fingerprint })
 */
export async function deployApp(
  client: Pick<ConfideClient, 'publicClient' | 'walletClient' | 'contracts'>,
  parameters: DeployAppParameters,
): Promise<DeployAppReturnType> {
  return deployAsset(client, 'app', 'deployApp', appArgs(client, 'deployApp', parameters));
}

/**
 * The address {@link deployApp} will give these fields (iExec's `predictAppAddress`).
 * @example const address = await predictAppAddress(client, fields)
 */
export async function predictAppAddress(
  client: Pick<ConfideClient, 'publicClient' | 'walletClient' | 'contracts'>,
  parameters: DeployAppParameters,
): Promise<Address> {
  return predictAsset(client, 'app', appArgs(client, 'predictAppAddress', parameters));
}
