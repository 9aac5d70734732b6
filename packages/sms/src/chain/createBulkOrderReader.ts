import {
  type Address,
  BaseError,
  ContractFunctionRevertedError,
  getAddress,
  type Hex,
  hexToString,
  type PublicClient,
} from 'viem';
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
  /** The dataset's owner policy as the hub holds it now (`viewPolicy`); `active` false when none was set. */
  policy: { active: boolean; maxUses: number; maxResultSize: bigint };
};

/** A use of a dataset, as the hub's `checkPolicy` weighs it (volume 1: one task). */
export type PolicyUse = { dataset: Address; app: Address; requester: Address; beneficiary: Address; price: bigint };

/** The policy error `checkPolicy` reverted with: its name (`PolicyAppNotAllowed`…) and arguments, as text. */
export type PolicyRefusal = { name: string; args: string[] };

/** Reads {@link BulkOrderState}s, and asks the hub whether a dataset's policy admits a use. */
export type BulkOrderReader = {
  orderState: (order: Signed<DatasetOrder>) => Promise<BulkOrderState>;
  /** `undefined` when the policy admits the use (or there is none), else the hub's refusal. */
  policyRefusal: (use: PolicyUse) => Promise<PolicyRefusal | undefined>;
};

/**
 * Reads a dataset order's on-chain state from the hub: its hash under the hub's own EIP-712
 * domain (`hashDatasetOrder`), whether the dataset's current owner signed or presigned it (the
 * hub's `verifySignature`, which also serves ERC-1271 owners), its consumed volume, and the
 * dataset's location, checksum and owner policy; and asks `checkPolicy` about a use. An
 * unreachable chain is SMS_CHAIN_UNAVAILABLE.
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
        const [presigned, signed, consumed, info, policy] = await Promise.all([
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
          client.readContract({ address: hub, abi: confideHubAbi, functionName: 'viewPolicy', args: [order.dataset] }),
        ]);
        return {
          owner: getAddress(owner),
          signedByOwner: registered && (signed || getAddress(presigned) === getAddress(owner)),
          consumed,
          location: info ? hexToString(info.multiaddr) : '',
          checksum: info?.checksum ?? '0x',
          policy: { active: policy.active, maxUses: policy.maxUses, maxResultSize: policy.maxResultSize },
        };
      } catch (cause) {
        throw new SmsError('SMS_CHAIN_UNAVAILABLE', 'cannot read a bulk dataset order from the chain; retry later', {
          cause,
        });
      }
    },
    async policyRefusal(use) {
      try {
        await client.readContract({
          address: hub,
          abi: confideHubAbi,
          functionName: 'checkPolicy',
          args: [use.dataset, use.app, use.requester, use.beneficiary, use.price, 1n],
        });
        return undefined;
      } catch (cause) {
        const reverted =
          cause instanceof BaseError ? cause.walk((e) => e instanceof ContractFunctionRevertedError) : null;
        const errorName = reverted instanceof ContractFunctionRevertedError ? reverted.data?.errorName : undefined;
        if (reverted instanceof ContractFunctionRevertedError && errorName?.startsWith('Policy')) {
          return { name: errorName, args: (reverted.data?.args ?? []).map((a) => String(a)) };
        }
        throw new SmsError('SMS_CHAIN_UNAVAILABLE', 'cannot read a dataset policy from the chain; retry later', {
          cause,
        });
      }
    },
  };
}
