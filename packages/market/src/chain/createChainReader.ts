import { type Address, getAbiItem, type Hex, type PublicClient } from 'viem';
import {
  appRegistryAbi,
  confideHubAbi,
  datasetRegistryAbi,
  type OrderKind,
  workerpoolRegistryAbi,
} from '../../../protocol/src/index.js';
import { MarketServerError } from '../errors.js';

/** Order kinds whose signer is an asset's owner. */
export type AssetOrderKind = Exclude<OrderKind, 'RequestOrder'>;

/** The chain views the market needs, with owners cached and `viewConsumed` batched. */
export type ChainReader = {
  /** The registries of the hub, per asset order kind. */
  registries: () => Promise<Record<AssetOrderKind, Address>>;
  /** The asset's owner (lowercase), or `null` when it is not registered. Cached until forgotten. */
  ownerOf: (kind: AssetOrderKind, asset: Address) => Promise<Address | null>;
  /** The asset's owner (lowercase) at a block, uncached; `null` when not registered then. */
  ownerAt: (kind: AssetOrderKind, asset: Address, blockNumber?: bigint) => Promise<Address | null>;
  /** Drops the cached owner: the follower calls it on every registry `Transfer`. */
  forgetOwner: (kind: AssetOrderKind, asset: Address) => void;
  /** `viewConsumed(orderHash)`; calls made in the same tick share one multicall. */
  consumed: (orderHash: Hex) => Promise<bigint>;
  /** `viewConsumed` of many orders at one block, in one multicall. */
  consumedAt: (orderHashes: readonly Hex[], blockNumber?: bigint) => Promise<bigint[]>;
  /** The hub's `verifySignature`: ECDSA for accounts, ERC-1271 for contracts. */
  verifySignature: (identity: Address, hash: Hex, sign: Hex, blockNumber?: bigint) => Promise<boolean>;
  /** Whether `owner` answers for the order though the signature is not its ECDSA one: it
   * presigned the order on chain, or `sign` is valid for it by ERC-1271 (the hub decides). */
  ownerVouches: (owner: Address, orderHash: Hex, sign: Hex, blockNumber?: bigint) => Promise<boolean>;
};

/** Options of {@link createChainReader}. */
export type CreateChainReaderOptions = {
  publicClient: Pick<PublicClient, 'readContract' | 'multicall'>;
  hub: Address;
  /** How long an owner stays cached without a `Transfer` seen; a safety net, 60 s by default. */
  ownerCacheMs?: number;
  /** Most `viewConsumed` calls in one multicall; 150 by default (a deployless multicall's
   * calldata is init code, which chains cap at 49,152 bytes: about 200 calls). */
  maxBatch?: number;
};

const viewConsumedAbi = [getAbiItem({ abi: confideHubAbi, name: 'viewConsumed' })];

const REGISTRY_ABI = {
  AppOrder: appRegistryAbi,
  DatasetOrder: datasetRegistryAbi,
  WorkerpoolOrder: workerpoolRegistryAbi,
} as const;

/**
 * Reads owners, consumed volumes, presignatures and ERC-1271 signatures from the hub. A chain
 * that cannot be reached is MARKET_CHAIN_UNAVAILABLE (503): the caller may retry.
 * @example const reader = createChainReader({ publicClient, hub })
 */
export function createChainReader(options: CreateChainReaderOptions): ChainReader {
  const { publicClient, hub } = options;
  const ownerCacheMs = options.ownerCacheMs ?? 60_000;
  const maxBatch = options.maxBatch ?? 150;
  const unavailable = (what: string) => (cause: unknown) => {
    throw new MarketServerError('MARKET_CHAIN_UNAVAILABLE', `cannot read ${what} from the chain; retry later`, {
      cause,
    });
  };

  let registries: Promise<Record<AssetOrderKind, Address>> | undefined;
  const readRegistries = () => {
    registries ??= (async () => {
      const read = (functionName: 'appRegistry' | 'datasetRegistry' | 'workerpoolRegistry') =>
        publicClient.readContract({ address: hub, abi: confideHubAbi, functionName });
      const [app, dataset, workerpool] = await Promise.all([
        read('appRegistry'),
        read('datasetRegistry'),
        read('workerpoolRegistry'),
      ]);
      return { AppOrder: app, DatasetOrder: dataset, WorkerpoolOrder: workerpool };
    })().catch((cause) => {
      registries = undefined;
      return unavailable('the registries')(cause);
    });
    return registries;
  };

  const ownerAt = async (kind: AssetOrderKind, asset: Address, blockNumber?: bigint) => {
    const all = await readRegistries();
    const found = await publicClient
      .readContract({
        address: all[kind],
        abi: REGISTRY_ABI[kind],
        functionName: 'ownerOfAsset',
        args: [asset],
        blockNumber,
      })
      .catch(unavailable('an owner'));
    return BigInt(found) === 0n ? null : (found.toLowerCase() as Address);
  };

  const owners = new Map<string, { owner: Promise<Address | null>; until: number }>();
  const ownerOf = (kind: AssetOrderKind, asset: Address) => {
    const key = `${kind}:${asset.toLowerCase()}`;
    const cached = owners.get(key);
    if (cached && cached.until > Date.now()) return cached.owner;
    const owner = ownerAt(kind, asset);
    owners.set(key, { owner, until: Date.now() + ownerCacheMs });
    // Neither failures nor unknown assets are cached: the asset may be registered a block later.
    owner.then(
      (found) => found === null && owners.get(key)?.owner === owner && owners.delete(key),
      () => owners.get(key)?.owner === owner && owners.delete(key),
    );
    return owner;
  };

  // The typed multicall's inference over a whole ABI is too deep for tsc: call it with one item.
  const multicall = publicClient.multicall as unknown as (args: {
    deployless: boolean;
    allowFailure: false;
    batchSize: number;
    blockNumber?: bigint;
    contracts: { address: Address; abi: typeof viewConsumedAbi; functionName: 'viewConsumed'; args: [Hex] }[];
  }) => Promise<bigint[]>;

  const consumedAt = async (orderHashes: readonly Hex[], blockNumber?: bigint): Promise<bigint[]> => {
    if (orderHashes.length === 0) return [];
    if (orderHashes.length === 1 && orderHashes[0]) {
      const orderHash = orderHashes[0];
      const single = await publicClient
        .readContract({
          address: hub,
          abi: confideHubAbi,
          functionName: 'viewConsumed',
          args: [orderHash],
          blockNumber,
        })
        .catch(unavailable('consumed volumes'));
      return [single];
    }
    const chunks: Hex[][] = [];
    for (let start = 0; start < orderHashes.length; start += maxBatch) {
      chunks.push(orderHashes.slice(start, start + maxBatch));
    }
    const values = await Promise.all(
      chunks.map((chunk) =>
        multicall({
          // No multicall contract needs to be deployed: the call deploys it in the eth_call itself.
          deployless: true,
          allowFailure: false,
          batchSize: 0,
          blockNumber,
          contracts: chunk.map((orderHash) => ({
            address: hub,
            abi: viewConsumedAbi,
            functionName: 'viewConsumed',
            args: [orderHash],
          })),
        }).catch(unavailable('consumed volumes')),
      ),
    );
    return values.flat();
  };

  let pending: { orderHash: Hex; resolve: (v: bigint) => void; reject: (e: unknown) => void }[] = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    consumedAt(batch.map((p) => p.orderHash)).then(
      (values) => {
        for (const [i, p] of batch.entries()) p.resolve(values[i] ?? 0n);
      },
      (error) => {
        for (const p of batch) p.reject(error);
      },
    );
  };
  const consumed = (orderHash: Hex) =>
    new Promise<bigint>((resolve, reject) => {
      if (pending.length === 0) setImmediate(flush);
      pending.push({ orderHash, resolve, reject });
    });

  const verifySignature = (identity: Address, hash: Hex, sign: Hex, blockNumber?: bigint) =>
    publicClient
      .readContract({
        address: hub,
        abi: confideHubAbi,
        functionName: 'verifySignature',
        args: [identity, hash, sign],
        blockNumber,
      })
      .catch(unavailable('signatures'));

  const ownerVouches = async (owner: Address, orderHash: Hex, sign: Hex, blockNumber?: bigint) => {
    const presigned = await publicClient
      .readContract({ address: hub, abi: confideHubAbi, functionName: 'viewPresigned', args: [orderHash], blockNumber })
      .catch(unavailable('presignatures'));
    if (presigned.toLowerCase() === owner.toLowerCase()) return true;
    return sign !== '0x' && verifySignature(owner, orderHash, sign, blockNumber);
  };

  return {
    registries: readRegistries,
    ownerOf,
    ownerAt,
    forgetOwner: (kind, asset) => owners.delete(`${kind}:${asset.toLowerCase()}`),
    consumed,
    consumedAt,
    verifySignature,
    ownerVouches,
  };
}
