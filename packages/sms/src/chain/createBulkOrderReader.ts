import { type Address, getAddress, type Hex, hexToString, type PublicClient } from 'viem';
import { confideHubAbi, type DatasetOrder, datasetRegistryAbi, type Signed } from '../../../protocol/src/index.js';
import { SmsError } from '../errors.js';

/** What the SMS reads on chain about a dataset order of a bulk slice. */
export type BulkOrderState = {
  /** The dataset's current owner (zero address when the dataset is not registered). */
  owner: Address;
  /** Whether the order is presigned by, or carries a valid signature of, that owner (EIP-712, the hub's domain). */
  signedByOwner: boolean;
  /** Volume consumed (a cancellation sets it to the order's volume). */
  consumed: bigint;
  /** The dataset's registered location (`/ipfs/<cid>`) and ciphertext checksum. */
  location: string;
  checksum: Hex;
};

/** Reads {@link BulkOrderState}s. */
export type BulkOrderReader = { orderState: (order: Signed<DatasetOrder>) => Promise<BulkOrderState> };

/**
 * Reads a dataset order's on-chain state from the hub: its hash under the hub's own EIP-712
 * domain (`hashDatasetOrder`), whether the dataset's current owner signed or presigned it (the
 * hub's `verifySignature`, which also serves ERC-1271 owners), its consumed volume, and the
 * dataset's location and checksum. An unreachable chain is SMS_CHAIN_UNAVAILABLE.
 * @example const state = await createBulkOrderReader({ client, hub }).orderState(order)
 */
export function createBulkOrderReader({
  client,
  hub,
}: {
  client: Pick<PublicClient, 'readContract'>;
  hub: Address;
}): BulkOrderReader {
  let registry: Promise<Address> | undefined;
  const datasets = () => {
    registry ??= client.readContract({ address: hub, abi: confideHubAbi, functionName: 'datasetRegistry' });
    registry.catch(() => {
      registry = undefined;
    });
    return registry;
  };
  return {
    async orderState(order) {
      try {
        const read = <T>(functionName: string, args: readonly unknown[], address: Address = hub) =>
          client.readContract({ address, abi: confideHubAbi, functionName, args } as never) as Promise<T>;
        const registryAddress = await datasets();
        const [orderHash, owner] = await Promise.all([
          read<Hex>('hashDatasetOrder', [order]),
          client.readContract({
            address: registryAddress,
            abi: datasetRegistryAbi,
            functionName: 'ownerOfAsset',
            args: [order.dataset],
          }),
        ]);
        const registered = BigInt(owner) !== 0n;
        const [presigned, signed, consumed, info] = await Promise.all([
          read<Address>('viewPresigned', [orderHash]),
          registered ? read<boolean>('verifySignature', [owner, orderHash, order.sign]) : false,
          read<bigint>('viewConsumed', [orderHash]),
          registered
            ? (client.readContract({
                address: registryAddress,
                abi: datasetRegistryAbi,
                functionName: 'viewDataset',
                args: [order.dataset],
              }) as Promise<{ multiaddr: Hex; checksum: Hex }>)
            : undefined,
        ]);
        return {
          owner: getAddress(owner),
          signedByOwner: registered && (signed || getAddress(presigned) === getAddress(owner)),
          consumed,
          location: info ? hexToString(info.multiaddr) : '',
          checksum: info?.checksum ?? '0x',
        };
      } catch (cause) {
        throw new SmsError('SMS_CHAIN_UNAVAILABLE', 'cannot read a bulk dataset order from the chain; retry later', {
          cause,
        });
      }
    },
  };
}
