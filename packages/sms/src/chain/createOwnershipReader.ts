import { type Address, getAddress, type PublicClient } from 'viem';
import { appRegistryAbi, confideHubAbi, dataSharingAbi, datasetRegistryAbi } from '../../../protocol/src/index.js';
import { SmsError } from '../errors.js';

/** Reads who owns apps and datasets, from the chain. */
export type OwnershipReader = {
  datasetOwner: (dataset: Address) => Promise<Address>;
  appOwner: (app: Address) => Promise<Address>;
};

/**
 * Answers ownership questions from the hub's registries; an unknown asset is SMS_ASSET_UNKNOWN,
 * an unreachable chain SMS_CHAIN_UNAVAILABLE. A dataset held by `dataSharing` (in a collection) is
 * its collection's owner's.
 * @example const ownership = createOwnershipReader({ client, hub, dataSharing })
 */
export function createOwnershipReader({
  client,
  hub,
  dataSharing,
}: {
  client: Pick<PublicClient, 'readContract'>;
  hub: Address;
  /** The DataSharing contract, whose datasets belong to their collections' owners. */
  dataSharing?: Address;
}): OwnershipReader {
  let registries: Promise<{ apps: Address; datasets: Address }> | undefined;
  const resolve = () => {
    registries ??= (async () => ({
      apps: await client.readContract({ address: hub, abi: confideHubAbi, functionName: 'appRegistry' }),
      datasets: await client.readContract({ address: hub, abi: confideHubAbi, functionName: 'datasetRegistry' }),
    }))();
    registries.catch(() => {
      registries = undefined;
    });
    return registries;
  };
  const owner = async (kind: 'apps' | 'datasets', asset: Address): Promise<Address> => {
    let found: Address;
    try {
      const registry = (await resolve())[kind];
      found = await client.readContract({
        address: registry,
        abi: kind === 'apps' ? appRegistryAbi : datasetRegistryAbi,
        functionName: 'ownerOfAsset',
        args: [asset],
      });
    } catch (cause) {
      throw new SmsError('SMS_CHAIN_UNAVAILABLE', 'cannot read ownership from the chain; retry later', { cause });
    }
    if (BigInt(found) === 0n)
      throw new SmsError('SMS_ASSET_UNKNOWN', `${asset} is not a registered ${kind.slice(0, -1)}`);
    return getAddress(found);
  };
  /** The owner of the collection `dataSharing` holds `dataset` in. */
  const collectionOwner = async (sharing: Address, dataset: Address): Promise<Address> => {
    try {
      const { collectionId } = await client.readContract({
        address: sharing,
        abi: dataSharingAbi,
        functionName: 'viewProtectedData',
        args: [dataset],
      });
      if (collectionId === 0n) return sharing;
      return getAddress(
        await client.readContract({
          address: sharing,
          abi: dataSharingAbi,
          functionName: 'ownerOf',
          args: [collectionId],
        }),
      );
    } catch (cause) {
      throw new SmsError('SMS_CHAIN_UNAVAILABLE', 'cannot read the collection from the chain; retry later', { cause });
    }
  };
  const datasetOwner = async (dataset: Address) => {
    const found = await owner('datasets', dataset);
    return dataSharing && found === getAddress(dataSharing) ? collectionOwner(found, dataset) : found;
  };
  return { datasetOwner, appOwner: (app) => owner('apps', app) };
}
