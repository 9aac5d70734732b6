import {
  type Address,
  type GetLogsReturnType,
  getAbiItem,
  getAddress,
  type Hex,
  type PublicClient,
  toHex,
  zeroAddress,
} from 'viem';
import {
  appRegistryAbi,
  type ConfideAddresses,
  confideHubAbi,
  dataProtectorAbi,
  dataSharingAbi,
  datasetRegistryAbi,
  parseFailureReason,
  workerpoolRegistryAbi,
} from '../../../protocol/src/index.js';
import type { ConsumptionMode, DealsTable, PolicyEventKind, SharingEventKind } from '../db/tables.js';

/** What the follower reads from the chain: a public client, or anything with these four calls. */
export type IndexerChainClient = Pick<PublicClient, 'getBlock' | 'getBlockNumber' | 'getLogs' | 'readContract'>;

/** The contracts whose events are indexed. */
export type IndexedAddresses = Pick<
  ConfideAddresses,
  'hub' | 'appRegistry' | 'datasetRegistry' | 'workerpoolRegistry' | 'dataProtector' | 'dataSharing'
>;

/** A block the follower saw: the reorg check compares its hash with the chain's later. */
export type SeenBlock = { number: number; hash: Hex; timestamp: number };

/** Where an event happened. */
export type EventPosition = { blockNumber: number; logIndex: number; timestamp: number; transactionHash: Hex };

type Registry = 'app' | 'dataset' | 'workerpool' | 'collection';

/** A policy's terms as `PolicySet` carries them. */
export type PolicyTerms = {
  restrictApps: boolean;
  restrictUsers: boolean;
  pricePerUse: bigint;
  maxUses: number;
  expiry: number;
  maxResultSize: bigint;
};

/** An event to project, decoded and completed with what the contracts' view functions say. */
export type IndexedEvent = EventPosition &
  (
    | { type: 'DatasetCreated'; dataset: Address; owner: Address; name: string; multiaddr: string; checksum: Hex }
    | { type: 'DatasetUpdated'; dataset: Address; multiaddr: string; checksum: Hex }
    | { type: 'DatasetSchema'; dataset: Address; schema: string }
    | {
        type: 'AppCreated';
        app: Address;
        owner: Address;
        name: string;
        appType: string;
        multiaddr: string;
        checksum: Hex;
        fingerprint: Hex;
      }
    | { type: 'WorkerpoolCreated'; workerpool: Address; owner: Address; description: string }
    | { type: 'Transfer'; registry: Registry; asset: string; from: Address; to: Address }
    | { type: 'OrdersMatched'; deal: Omit<DealsTable, 'params' | keyof TablePosition> }
    | { type: 'DealParams'; dealId: Hex; params: string }
    | { type: 'TaskInitialized'; taskId: Hex; workerpool: Address; dealId: Hex; idx: bigint }
    | { type: 'TaskFinalized'; taskId: Hex; worker: Address; resultDigest: Hex; results: string }
    | { type: 'TaskFailed'; taskId: Hex; worker: Address; reason: string }
    | { type: 'TaskClaimed'; taskId: Hex }
    | { type: 'TaskContributed'; taskId: Hex; worker: Address; resultHash: Hex }
    | { type: 'TaskConsensusReached'; taskId: Hex; consensusValue: Hex; winnerCounter: bigint; revealDeadline: bigint }
    | { type: 'TaskRevealed'; taskId: Hex; worker: Address; resultDigest: Hex }
    | { type: 'TaskReopened'; taskId: Hex }
    | {
        type: 'ContributionRewarded' | 'ContributionSlashed';
        taskId: Hex;
        worker: Address;
        amount: bigint;
        score: bigint;
      }
    | { type: 'OrderPresigned'; kind: number; orderHash: Hex; owner: Address }
    | { type: 'OrderClosed'; kind: number; orderHash: Hex; volume: bigint }
    | { type: 'CollectionCreated'; collectionId: string; owner: Address }
    | {
        type: 'SharingChanged';
        kind: SharingEventKind;
        collectionId: string;
        dataset: Address | null;
        price: bigint | null;
        duration: number | null;
      }
    | { type: 'NewRental'; collectionId: string; dataset: Address; renter: Address; endDate: number; price: bigint }
    | { type: 'NewSubscription'; collectionId: string; subscriber: Address; endDate: number; price: bigint }
    | {
        type: 'ProtectedDataSold';
        collectionId: string;
        dataset: Address;
        seller: Address;
        buyer: Address;
        price: bigint;
      }
    | {
        type: 'ProtectedDataConsumed';
        dealId: Hex;
        dataset: Address;
        consumer: Address;
        mode: ConsumptionMode;
        price: bigint;
      }
    | { type: 'ConsumptionSettled'; dealId: Hex; dataset: Address; payee: Address | null; amount: bigint }
    | {
        type: 'PolicyChanged';
        kind: PolicyEventKind;
        dataset: Address;
        account: Address | null;
        terms: PolicyTerms | null;
      }
  );

type TablePosition = { block_number: number; log_index: number; timestamp: number; transaction_hash: string };

/** One range of blocks read from the chain, consistent with itself. */
export type Batch = { events: IndexedEvent[]; blocks: SeenBlock[] };

/** The chain changed while a range was being read; read it again (after the reorg check). */
export class ChainMovedError extends Error {
  override name = 'ChainMovedError';
}

const EVENTS = [
  getAbiItem({ abi: dataProtectorAbi, name: 'DatasetSchema' }),
  getAbiItem({ abi: datasetRegistryAbi, name: 'DatasetCreated' }),
  getAbiItem({ abi: datasetRegistryAbi, name: 'DatasetUpdated' }),
  getAbiItem({ abi: datasetRegistryAbi, name: 'Transfer' }),
  getAbiItem({ abi: appRegistryAbi, name: 'AppCreated' }),
  getAbiItem({ abi: workerpoolRegistryAbi, name: 'WorkerpoolCreated' }),
  getAbiItem({ abi: confideHubAbi, name: 'OrdersMatched' }),
  getAbiItem({ abi: confideHubAbi, name: 'DealParams' }),
  getAbiItem({ abi: confideHubAbi, name: 'TaskInitialized' }),
  getAbiItem({ abi: confideHubAbi, name: 'TaskFinalized' }),
  getAbiItem({ abi: confideHubAbi, name: 'TaskFailed' }),
  getAbiItem({ abi: confideHubAbi, name: 'TaskClaimed' }),
  getAbiItem({ abi: confideHubAbi, name: 'TaskContributed' }),
  getAbiItem({ abi: confideHubAbi, name: 'TaskConsensusReached' }),
  getAbiItem({ abi: confideHubAbi, name: 'TaskRevealed' }),
  getAbiItem({ abi: confideHubAbi, name: 'TaskReopened' }),
  getAbiItem({ abi: confideHubAbi, name: 'ContributionRewarded' }),
  getAbiItem({ abi: confideHubAbi, name: 'ContributionSlashed' }),
  getAbiItem({ abi: confideHubAbi, name: 'OrderPresigned' }),
  getAbiItem({ abi: confideHubAbi, name: 'OrderClosed' }),
  getAbiItem({ abi: confideHubAbi, name: 'PolicySet' }),
  getAbiItem({ abi: confideHubAbi, name: 'PolicyAppAllowed' }),
  getAbiItem({ abi: confideHubAbi, name: 'PolicyUserAllowed' }),
  getAbiItem({ abi: confideHubAbi, name: 'PolicyUserRevoked' }),
  getAbiItem({ abi: dataSharingAbi, name: 'CollectionCreated' }),
  getAbiItem({ abi: dataSharingAbi, name: 'ProtectedDataAddedToCollection' }),
  getAbiItem({ abi: dataSharingAbi, name: 'ProtectedDataRemovedFromCollection' }),
  getAbiItem({ abi: dataSharingAbi, name: 'ProtectedDataAddedForRenting' }),
  getAbiItem({ abi: dataSharingAbi, name: 'ProtectedDataRemovedFromRenting' }),
  getAbiItem({ abi: dataSharingAbi, name: 'NewRental' }),
  getAbiItem({ abi: dataSharingAbi, name: 'NewSubscriptionParams' }),
  getAbiItem({ abi: dataSharingAbi, name: 'NewSubscription' }),
  getAbiItem({ abi: dataSharingAbi, name: 'ProtectedDataAddedForSale' }),
  getAbiItem({ abi: dataSharingAbi, name: 'ProtectedDataRemovedFromSale' }),
  getAbiItem({ abi: dataSharingAbi, name: 'ProtectedDataSold' }),
  getAbiItem({ abi: dataSharingAbi, name: 'ProtectedDataConsumed' }),
  getAbiItem({ abi: dataSharingAbi, name: 'ConsumptionSettled' }),
] as const;

/** What a backfill of updates reads (no state read: `DatasetUpdated` carries all it says). */
const UPDATE_EVENTS = [getAbiItem({ abi: datasetRegistryAbi, name: 'DatasetUpdated' })] as const;

/** DataSharing's events (its ERC-721 `Transfer` aside): a collection removal shows as the burn's transfer. */
const SHARING_EVENTS = new Set<string>([
  'CollectionCreated',
  'ProtectedDataAddedToCollection',
  'ProtectedDataRemovedFromCollection',
  'ProtectedDataAddedForRenting',
  'ProtectedDataRemovedFromRenting',
  'NewRental',
  'NewSubscriptionParams',
  'NewSubscription',
  'ProtectedDataAddedForSale',
  'ProtectedDataRemovedFromSale',
  'ProtectedDataSold',
  'ProtectedDataConsumed',
  'ConsumptionSettled',
]);

/** Parallel RPC calls per batch: enough to hide latency, few enough not to flood a node. */
const CONCURRENCY = 16;

/**
 * Reads the indexed events of blocks `from..to`, with the timestamps of their blocks and what
 * `viewDataset`, `viewApp` and `viewDeal` say at those blocks (the node must serve state there:
 * an archive node when indexing old history). Verifies that every log belongs to the block read
 * for its number and that block `to` did not change meanwhile. With `only: 'DatasetUpdated'`,
 * reads those events alone (the backfill of an index made before the follower read them).
 * @throws {ChainMovedError} when a reorg happened during the read
 */
export async function fetchBatch(p: {
  client: IndexerChainClient;
  addresses: IndexedAddresses;
  from: bigint;
  to: bigint;
  only?: 'DatasetUpdated';
}): Promise<Batch> {
  const { client, addresses } = p;
  const last = await client.getBlock({ blockNumber: p.to });
  const logs = await client.getLogs({
    address: p.only
      ? [addresses.datasetRegistry]
      : [
          addresses.dataProtector,
          addresses.datasetRegistry,
          addresses.appRegistry,
          addresses.workerpoolRegistry,
          addresses.hub,
          addresses.dataSharing,
        ],
    // A subset of EVENTS: the decoded logs are among those typed.
    events: p.only ? (UPDATE_EVENTS as unknown as typeof EVENTS) : EVENTS,
    fromBlock: p.from,
    toBlock: p.to,
    strict: true,
  });
  const numbers = [...new Set(logs.map((log) => log.blockNumber))].filter((n) => n !== p.to);
  const headers = new Map<bigint, { hash: Hex; timestamp: bigint }>([[p.to, last]]);
  await mapLimit(numbers, async (blockNumber) => {
    headers.set(blockNumber, await client.getBlock({ blockNumber }));
  });
  const again = await client.getBlock({ blockNumber: p.to });
  if (again.hash !== last.hash) throw new ChainMovedError(`block ${p.to} changed while it was read`);
  for (const log of logs) {
    if (headers.get(log.blockNumber)?.hash !== log.blockHash) {
      throw new ChainMovedError(`a log of block ${log.blockNumber} is not in the block read for that number`);
    }
  }

  const registries = new Map<string, Registry>([
    [addresses.datasetRegistry.toLowerCase(), 'dataset'],
    [addresses.appRegistry.toLowerCase(), 'app'],
    [addresses.workerpoolRegistry.toLowerCase(), 'workerpool'],
    [addresses.dataSharing.toLowerCase(), 'collection'],
  ]);
  const from = (address: Address) => address.toLowerCase();
  const events = await mapLimit(logs, async (log): Promise<IndexedEvent | null> => {
    const header = headers.get(log.blockNumber) as { hash: Hex; timestamp: bigint };
    const at: EventPosition = {
      blockNumber: Number(log.blockNumber),
      logIndex: log.logIndex,
      timestamp: Number(header.timestamp),
      transactionHash: log.transactionHash,
    };
    const blockNumber = log.blockNumber;
    switch (log.eventName) {
      case 'DatasetSchema':
        if (from(log.address) !== from(addresses.dataProtector)) return null;
        return { ...at, type: 'DatasetSchema', dataset: log.args.dataset, schema: log.args.schema };
      case 'DatasetCreated': {
        if (from(log.address) !== from(addresses.datasetRegistry)) return null;
        const info = await client.readContract({
          address: addresses.datasetRegistry,
          abi: datasetRegistryAbi,
          functionName: 'viewDataset',
          args: [log.args.dataset],
          blockNumber,
        });
        return {
          ...at,
          type: 'DatasetCreated',
          dataset: log.args.dataset,
          owner: log.args.owner,
          name: log.args.name,
          multiaddr: bytesToText(info.multiaddr),
          checksum: info.checksum,
        };
      }
      case 'DatasetUpdated':
        if (from(log.address) !== from(addresses.datasetRegistry)) return null;
        return {
          ...at,
          type: 'DatasetUpdated',
          dataset: log.args.dataset,
          multiaddr: bytesToText(log.args.multiaddr),
          checksum: log.args.checksum,
        };
      case 'AppCreated': {
        if (from(log.address) !== from(addresses.appRegistry)) return null;
        const info = await client.readContract({
          address: addresses.appRegistry,
          abi: appRegistryAbi,
          functionName: 'viewApp',
          args: [log.args.app],
          blockNumber,
        });
        return {
          ...at,
          type: 'AppCreated',
          app: log.args.app,
          owner: log.args.owner,
          name: log.args.name,
          appType: info.appType,
          multiaddr: bytesToText(info.multiaddr),
          checksum: info.checksum,
          fingerprint: log.args.fingerprint,
        };
      }
      case 'WorkerpoolCreated':
        if (from(log.address) !== from(addresses.workerpoolRegistry)) return null;
        return {
          ...at,
          type: 'WorkerpoolCreated',
          workerpool: log.args.workerpool,
          owner: log.args.owner,
          description: log.args.description,
        };
      case 'Transfer': {
        const registry = registries.get(from(log.address));
        if (!registry) return null;
        return {
          ...at,
          type: 'Transfer',
          registry,
          // A registry's token id is the asset's address; a collection's is its number.
          asset:
            registry === 'collection' ? log.args.tokenId.toString() : getAddress(toHex(log.args.tokenId, { size: 20 })),
          from: log.args.from,
          to: log.args.to,
        };
      }
      default:
        if (isSharingLog(log)) return from(log.address) === from(addresses.dataSharing) ? sharingEvent(log, at) : null;
        if (from(log.address) !== from(addresses.hub)) return null;
        return hubEvent(client, addresses.hub, log, at);
    }
  });
  const blocks = [...headers.entries()].map(([number, header]) => ({
    number: Number(number),
    hash: header.hash,
    timestamp: Number(header.timestamp),
  }));
  return {
    events: events
      .filter((event): event is IndexedEvent => event !== null)
      .sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex),
    blocks,
  };
}

/** A decoded log of one of {@link EVENTS}. */
type IndexedLog = GetLogsReturnType<undefined, typeof EVENTS, true, bigint, bigint>[number];
type RegistryLog = Extract<
  IndexedLog,
  { eventName: 'DatasetSchema' | 'DatasetCreated' | 'DatasetUpdated' | 'Transfer' | 'AppCreated' | 'WorkerpoolCreated' }
>;
type SharingLog = Extract<
  Exclude<IndexedLog, RegistryLog>,
  { eventName: 'CollectionCreated' | `ProtectedData${string}` | `New${string}` | 'ConsumptionSettled' }
>;
type HubLog = Exclude<IndexedLog, RegistryLog | SharingLog>;

const isSharingLog = (log: Exclude<IndexedLog, RegistryLog>): log is SharingLog => SHARING_EVENTS.has(log.eventName);

/** A DataSharing event as the tables keep it; collection ids in decimal. */
function sharingEvent(log: SharingLog, at: EventPosition): IndexedEvent {
  const changed = (
    kind: SharingEventKind,
    collectionId: bigint,
    dataset: Address | null,
    price?: bigint,
    duration?: number,
  ) =>
    ({
      ...at,
      type: 'SharingChanged',
      kind,
      collectionId: collectionId.toString(),
      dataset,
      price: price ?? null,
      duration: duration ?? null,
    }) as const;
  switch (log.eventName) {
    case 'CollectionCreated':
      return {
        ...at,
        type: 'CollectionCreated',
        collectionId: log.args.collectionId.toString(),
        owner: log.args.owner,
      };
    case 'ProtectedDataAddedToCollection':
      return changed('ADDED_TO_COLLECTION', log.args.collectionId, log.args.dataset);
    case 'ProtectedDataRemovedFromCollection':
      return changed('REMOVED_FROM_COLLECTION', log.args.collectionId, log.args.dataset);
    case 'ProtectedDataAddedForRenting':
      return changed('RENTING_SET', log.args.collectionId, log.args.dataset, log.args.price, log.args.duration);
    case 'ProtectedDataRemovedFromRenting':
      return changed('RENTING_REMOVED', log.args.collectionId, log.args.dataset);
    case 'NewSubscriptionParams':
      return changed('SUBSCRIPTION_PARAMS', log.args.collectionId, null, log.args.price, log.args.duration);
    case 'ProtectedDataAddedForSale':
      return changed('SALE_SET', log.args.collectionId, log.args.dataset, log.args.price);
    case 'ProtectedDataRemovedFromSale':
      return changed('SALE_REMOVED', log.args.collectionId, log.args.dataset);
    case 'NewRental':
      return {
        ...at,
        type: 'NewRental',
        collectionId: log.args.collectionId.toString(),
        dataset: log.args.dataset,
        renter: log.args.renter,
        endDate: log.args.endDate,
        price: log.args.price,
      };
    case 'NewSubscription':
      return {
        ...at,
        type: 'NewSubscription',
        collectionId: log.args.collectionId.toString(),
        subscriber: log.args.subscriber,
        endDate: log.args.endDate,
        price: log.args.price,
      };
    case 'ProtectedDataSold':
      return {
        ...at,
        type: 'ProtectedDataSold',
        collectionId: log.args.collectionId.toString(),
        dataset: log.args.dataset,
        seller: log.args.seller,
        buyer: log.args.buyer,
        price: log.args.price,
      };
    case 'ProtectedDataConsumed':
      return {
        ...at,
        type: 'ProtectedDataConsumed',
        dealId: log.args.dealId,
        dataset: log.args.dataset,
        consumer: log.args.consumer,
        mode: log.args.mode === 0 ? 'RENTAL' : 'SUBSCRIPTION',
        price: log.args.price,
      };
    case 'ConsumptionSettled':
      return {
        ...at,
        type: 'ConsumptionSettled',
        dealId: log.args.dealId,
        dataset: log.args.dataset,
        payee: log.args.payee === zeroAddress ? null : log.args.payee,
        amount: log.args.amount,
      };
  }
}

async function hubEvent(client: IndexerChainClient, hub: Address, log: HubLog, at: EventPosition) {
  switch (log.eventName) {
    case 'OrdersMatched': {
      const { dealId } = log.args;
      const d = await client.readContract({
        address: hub,
        abi: confideHubAbi,
        functionName: 'viewDeal',
        args: [dealId],
        blockNumber: log.blockNumber,
      });
      const event: IndexedEvent = {
        ...at,
        type: 'OrdersMatched',
        deal: {
          deal_id: dealId,
          app: d.app,
          dataset: d.dataset === zeroAddress ? null : d.dataset,
          workerpool: d.workerpool,
          workerpool_owner: d.workerpoolOwner,
          requester: d.requester,
          beneficiary: d.beneficiary,
          sponsor: d.sponsor,
          callback: d.callback === zeroAddress ? null : d.callback,
          app_price: d.appPrice.toString(),
          dataset_price: d.datasetPrice.toString(),
          workerpool_price: d.workerpoolPrice.toString(),
          worker_stake: d.workerStake.toString(),
          bot_first: d.botFirst.toString(),
          bot_size: d.botSize,
          volume: log.args.volume.toString(),
          category: d.category,
          tag: toHex(d.tag, { size: 32 }),
          trust: d.trust,
          timeref: d.timeref,
          start_time: d.startTime,
          app_hash: log.args.appHash,
          dataset_hash: log.args.datasetHash,
          workerpool_hash: log.args.workerpoolHash,
          request_hash: log.args.requestHash,
        },
      };
      return event;
    }
    case 'DealParams':
      return { ...at, type: 'DealParams' as const, dealId: log.args.dealId, params: log.args.params };
    case 'TaskInitialized':
      return {
        ...at,
        type: 'TaskInitialized' as const,
        taskId: log.args.taskId,
        workerpool: log.args.workerpool,
        dealId: log.args.dealId,
        idx: log.args.idx,
      };
    case 'TaskFinalized':
      return {
        ...at,
        type: 'TaskFinalized' as const,
        taskId: log.args.taskId,
        worker: log.args.worker,
        resultDigest: log.args.resultDigest,
        results: bytesToText(log.args.results),
      };
    case 'TaskFailed':
      return {
        ...at,
        type: 'TaskFailed' as const,
        taskId: log.args.taskId,
        worker: log.args.worker,
        reason: parseFailureReason(log.args.reason),
      };
    case 'TaskClaimed':
      return { ...at, type: 'TaskClaimed' as const, taskId: log.args.taskId };
    case 'TaskContributed':
      return {
        ...at,
        type: 'TaskContributed' as const,
        taskId: log.args.taskId,
        worker: log.args.worker,
        resultHash: log.args.resultHash,
      };
    case 'TaskConsensusReached':
      return {
        ...at,
        type: 'TaskConsensusReached' as const,
        taskId: log.args.taskId,
        consensusValue: log.args.consensusValue,
        winnerCounter: log.args.winnerCounter,
        revealDeadline: log.args.revealDeadline,
      };
    case 'TaskRevealed':
      return {
        ...at,
        type: 'TaskRevealed' as const,
        taskId: log.args.taskId,
        worker: log.args.worker,
        resultDigest: log.args.resultDigest,
      };
    case 'TaskReopened':
      return { ...at, type: 'TaskReopened' as const, taskId: log.args.taskId };
    case 'ContributionRewarded':
      return {
        ...at,
        type: 'ContributionRewarded' as const,
        taskId: log.args.taskId,
        worker: log.args.worker,
        amount: log.args.reward,
        score: log.args.score,
      };
    case 'ContributionSlashed':
      return {
        ...at,
        type: 'ContributionSlashed' as const,
        taskId: log.args.taskId,
        worker: log.args.worker,
        amount: log.args.stake,
        score: log.args.score,
      };
    case 'OrderPresigned':
      return {
        ...at,
        type: 'OrderPresigned' as const,
        kind: log.args.kind,
        orderHash: log.args.orderHash,
        owner: log.args.owner,
      };
    case 'OrderClosed':
      return {
        ...at,
        type: 'OrderClosed' as const,
        kind: log.args.kind,
        orderHash: log.args.orderHash,
        volume: log.args.volume,
      };
    case 'PolicySet':
      return {
        ...at,
        type: 'PolicyChanged' as const,
        kind: 'SET' as const,
        dataset: log.args.dataset,
        account: null,
        terms: log.args.terms,
      };
    case 'PolicyAppAllowed':
      return policyMember(at, 'APP_ALLOWED', log.args.dataset, log.args.app);
    case 'PolicyUserAllowed':
      return policyMember(at, 'USER_ALLOWED', log.args.dataset, log.args.user);
    case 'PolicyUserRevoked':
      return policyMember(at, 'USER_REVOKED', log.args.dataset, log.args.user);
  }
}

function policyMember(at: EventPosition, kind: PolicyEventKind, dataset: Address, account: Address): IndexedEvent {
  return { ...at, type: 'PolicyChanged', kind, dataset, account, terms: null };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Bytes that locate something (a multiaddr such as `/ipfs/<cid>`, a result location) as text when
 * they are printable UTF-8, else as 0x-hex.
 */
function bytesToText(bytes: Hex): string {
  if (bytes === '0x') return '';
  try {
    const text = utf8.decode(Buffer.from(bytes.slice(2), 'hex'));
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
    if (!/[\u0000-\u001f\u007f]/.test(text)) return text;
  } catch {
    // Not UTF-8: shown as hex below.
  }
  return bytes;
}

/** Maps `items` through `fn` with at most {@link CONCURRENCY} calls in flight, keeping the order. */
async function mapLimit<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  return out;
}
