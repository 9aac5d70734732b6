import type { Address, Hex } from 'viem';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { assetAddressSchema, multiaddrFromBytes, viewAsset } from '../../internal/registry.js';
import { parseParameters } from '../../internal/validate.js';

/** Parameters of {@link showApp}. */
export type ShowAppParameters = { app: Address };

/** An app as registered. */
export type ShowAppReturnType = {
  address: Address;
  owner: Address;
  name: string;
  type: string;
  multiaddr: string;
  checksum: Hex;
  fingerprint: Hex;
};

/** Errors of {@link showApp}. */
export type ShowAppErrorType = ConfideSdkError<'CONFIDE_SDK_PARAMETERS_INVALID' | 'CONFIDE_SDK_ASSET_NOT_FOUND'>;

const schema = assetAddressSchema('app');

/**
 * An app's on-chain record (iExec's `showApp`).
 * @param client a Confide client
 * @param parameters `{ app }`
 * @returns owner, name, type, multiaddr, checksum, fingerprint
 * @throws ConfideSdkError `CONFIDE_SDK_ASSET_NOT_FOUND` when no app is registered there
 * @example const { owner, fingerprint } = await showApp(client, { app: '0x…' })
 */
export async function showApp(
  client: Pick<ConfideClient, 'publicClient' | 'contracts'>,
  parameters: ShowAppParameters,
): Promise<ShowAppReturnType> {
  const { app } = parseParameters('showApp', schema, parameters) as ShowAppParameters;
  const info = await viewAsset<{
    owner: Address;
    name: string;
    appType: string;
    multiaddr: Hex;
    checksum: Hex;
    fingerprint: Hex;
  }>(client, 'app', 'showApp', app);
  return {
    address: app,
    owner: info.owner,
    name: info.name,
    type: info.appType,
    multiaddr: multiaddrFromBytes(info.multiaddr),
    checksum: info.checksum,
    fingerprint: info.fingerprint,
  };
}
