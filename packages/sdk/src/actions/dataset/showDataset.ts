import type { Address, Hex } from 'viem';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { assetAddressSchema, multiaddrFromBytes, viewAsset } from '../../internal/registry.js';
import { parseParameters } from '../../internal/validate.js';

/** Parameters of {@link showDataset}. */
export type ShowDatasetParameters = { dataset: Address };

/** A dataset as registered. */
export type ShowDatasetReturnType = {
  address: Address;
  owner: Address;
  name: string;
  multiaddr: string;
  checksum: Hex;
};

/** Errors of {@link showDataset}. */
export type ShowDatasetErrorType = ConfideSdkError<'CONFIDE_SDK_PARAMETERS_INVALID' | 'CONFIDE_SDK_ASSET_NOT_FOUND'>;

const schema = assetAddressSchema('dataset');

/**
 * A dataset's on-chain record (iExec's `showDataset`).
 * @param client a Confide client
 * @param parameters `{ dataset }`
 * @returns owner, name, multiaddr, checksum
 * @throws ConfideSdkError `CONFIDE_SDK_ASSET_NOT_FOUND` when no dataset is registered there
 * @example const { owner } = await showDataset(client, { dataset: '0x…' })
 */
export async function showDataset(
  client: Pick<ConfideClient, 'publicClient' | 'contracts'>,
  parameters: ShowDatasetParameters,
): Promise<ShowDatasetReturnType> {
  const { dataset } = parseParameters('showDataset', schema, parameters) as ShowDatasetParameters;
  const info = await viewAsset<{ owner: Address; name: string; multiaddr: Hex; checksum: Hex }>(
    client,
    'dataset',
    'showDataset',
    dataset,
  );
  return {
    address: dataset,
    owner: info.owner,
    name: info.name,
    multiaddr: multiaddrFromBytes(info.multiaddr),
    checksum: info.checksum,
  };
}
