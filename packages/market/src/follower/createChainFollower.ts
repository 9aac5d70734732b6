import type { Logger } from 'pino';
import { type Address, getAbiItem, getAddress, type Hex, numberToHex, zeroAddress } from 'viem';
import { appRegistryAbi, confideHubAbi, type OrderKind } from '../../../protocol/src/index.js';
import type { AssetOrderKind } from '../chain/createChainReader.js';
import type { Market } from '../createMarket.js';
import type { OrderChange, WatchedOrder } from '../store/createOrderStore.js';
import { fromU256Key, u256Key } from '../store/orderRows.js';

const ORDERS_MATCHED = getAbiItem({ abi: confideHubAbi, name: 'OrdersMatched' });
const ORDER_CLOSED = getAbiItem({ abi: confideHubAbi, name: 'OrderClosed' });
const TRANSFER = getAbiItem({ abi: appRegistryAbi, name: 'Transfer' });

/** A change to apply; `quiet` ones (a new signer only) are not announced. */
type Change = OrderChange & { kind: OrderKind; quiet?: boolean };

/** Options of {@link createChainFollower}. */
export type CreateChainFollowerOptions = {
  /** The market whose book, caches and event streams the follower updates (`createMarketServer(…).market`). */
  market: Market;
  /** Blocks to wait before applying a block's events (0 on the devnet, which never reorganizes). */
  confirmations?: number;
  /** Milliseconds between polls of the chain head; 1000 by default. */
  pollMs?: number;
  /** First block to read when the database has no cursor yet (the hub's deployment block); 0 by default. */
  fromBlock?: bigint;
  /** Most blocks per `eth_getLogs`; 2000 by default. */
  maxBlockRange?: bigint;
  logger?: Pick<Logger, 'info' | 'warn'>;
};

/** What one {@link ChainFollower.sync} did. */
export type SyncReport = {
  /** First block read, or `undefined` when the cursor was already at the target. */
  fromBlock?: bigint;
  /** Last block applied (the cursor now). */
  toBlock?: bigint;
  /** How many orders changed. */
  changed: number;
};

/** Keeps the book in line with the chain. */
export type ChainFollower = {
  /** Applies every confirmed block after the cursor, then returns. */
  sync: () => Promise<SyncReport>;
  /** Polls in the background until {@link ChainFollower.stop}. */
  start: () => void;
  /** Stops polling and waits for the range in progress. */
  stop: () => Promise<void>;
};

/**
 * Follows the hub and its registries and applies to the book: `OrdersMatched` recomputes the
 * four orders' remaining volume from `viewConsumed` (`filled` at 0); `OrderClosed` marks the
 * order `cancelled`; a registry `Transfer` marks `dead` the asset's orders its former owner
 * signed, unless the new owner presigned them or vouches for them by ERC-1271. Each block range
 * is applied in one transaction together with the cursor, and every change is an absolute value
 * read from the chain, so a restart resumes after the cursor and never applies anything twice.
 * @example const follower = createChainFollower({ market, confirmations: 0 }); follower.start()
 */
export function createChainFollower(options: CreateChainFollowerOptions): ChainFollower {
  const { market } = options;
  const { publicClient, hub, chainId } = market.chain;
  const confirmations = BigInt(options.confirmations ?? 0);
  const pollMs = options.pollMs ?? 1000;
  const maxRange = options.maxBlockRange ?? 2000n;
  const cursorName = `follower:${chainId}:${hub.toLowerCase()}`;

  const applyRange = async (fromBlock: bigint, toBlock: bigint): Promise<number> => {
    const registries = await market.reader.registries();
    const kindOfRegistry = new Map<string, AssetOrderKind>(
      Object.entries(registries).map(([kind, address]) => [address.toLowerCase(), kind as AssetOrderKind]),
    );
    const logs = await publicClient.getLogs({
      address: [hub, ...Object.values(registries)],
      events: [ORDERS_MATCHED, ORDER_CLOSED, TRANSFER],
      fromBlock,
      toBlock,
      strict: true,
    });
    const matched = new Set<Hex>();
    const closed = new Set<Hex>();
    const transfers = new Map<string, { kind: AssetOrderKind; asset: Address; formerOwners: Set<Address> }>();
    for (const log of logs) {
      const from = log.address.toLowerCase();
      if (log.eventName === 'OrdersMatched' && from === hub.toLowerCase()) {
        const { appHash, datasetHash, workerpoolHash, requestHash } = log.args;
        for (const hash of [appHash, datasetHash, workerpoolHash, requestHash]) matched.add(hash.toLowerCase() as Hex);
      } else if (log.eventName === 'OrderClosed' && from === hub.toLowerCase()) {
        closed.add(log.args.orderHash.toLowerCase() as Hex);
      } else if (log.eventName === 'Transfer' && kindOfRegistry.has(from)) {
        const kind = kindOfRegistry.get(from) as AssetOrderKind;
        const asset = getAddress(numberToHex(log.args.tokenId, { size: 20 }));
        market.reader.forgetOwner(kind, asset);
        if (log.args.from === zeroAddress) continue;
        const key = `${kind}:${asset}`;
        const entry = transfers.get(key) ?? { kind, asset, formerOwners: new Set<Address>() };
        entry.formerOwners.add(log.args.from);
        transfers.set(key, entry);
      }
    }

    const changes = new Map<Hex, Change>();
    // In the order the chain told them, so that events come out in a stable order.
    const position = new Map([...matched, ...closed].map((hash, i) => [hash, i]));
    const watched = (await market.store.watched([...position.keys()])).sort(
      (a, b) => (position.get(a.order_hash as Hex) ?? 0) - (position.get(b.order_hash as Hex) ?? 0),
    );
    const usedUp = watched.filter((o) => matched.has(o.order_hash as Hex) && !closed.has(o.order_hash as Hex));
    const consumed = await market.reader.consumedAt(
      usedUp.map((o) => o.order_hash as Hex),
      toBlock,
    );
    usedUp.forEach((order, i) => {
      const volume = fromU256Key(order.volume);
      const used = consumed[i] ?? 0n;
      const remaining = volume > used ? volume - used : 0n;
      changes.set(order.order_hash as Hex, {
        orderHash: order.order_hash as Hex,
        kind: order.kind,
        remaining,
        status: remaining > 0n ? 'open' : 'filled',
      });
    });
    for (const order of watched.filter((o) => closed.has(o.order_hash as Hex))) {
      changes.set(order.order_hash as Hex, {
        orderHash: order.order_hash as Hex,
        kind: order.kind,
        remaining: 0n,
        status: 'cancelled',
      });
    }
    for (const { kind, asset, formerOwners } of transfers.values()) {
      const owner = await market.reader.ownerAt(kind, asset, toBlock);
      const orphans: WatchedOrder[] = [];
      for (const former of formerOwners) {
        if (former.toLowerCase() !== owner) orphans.push(...(await market.store.ofAssetAndSigner(kind, asset, former)));
      }
      for (const order of orphans) {
        const hash = order.order_hash as Hex;
        const previous = changes.get(hash);
        if (previous && previous.status !== 'open') continue;
        const sign = (JSON.parse(order.order_json) as { sign: Hex }).sign;
        const kept = owner !== null && (await market.reader.ownerVouches(owner, hash, sign, toBlock));
        const remaining = previous?.remaining ?? fromU256Key((await market.store.get(hash))?.remaining ?? u256Key(0n));
        // Kept orders now answer to the new owner; the others can never match again.
        const change: Change = kept
          ? { orderHash: hash, kind, remaining, status: 'open', signer: owner, quiet: !previous }
          : { orderHash: hash, kind, remaining, status: 'dead' };
        changes.set(hash, change);
      }
    }

    await market.store.apply([...changes.values()], { name: cursorName, block: toBlock });
    market.sync.commits++;
    for (const asset of transfers.values()) market.reader.forgetOwner(asset.kind, asset.asset);
    for (const change of changes.values()) {
      if (change.quiet) continue;
      market.events.emit({
        type: change.status === 'open' ? 'updated' : 'removed',
        kind: change.kind,
        orderHash: change.orderHash,
        remaining: change.remaining.toString(),
        status: change.status,
      });
    }
    if (changes.size > 0) options.logger?.info({ fromBlock, toBlock, changed: changes.size }, 'applied');
    return changes.size;
  };

  let running: Promise<SyncReport> = Promise.resolve({ changed: 0 });
  const syncOnce = async (): Promise<SyncReport> => {
    const head = await publicClient.getBlockNumber();
    const target = head - confirmations;
    const cursor = (await market.store.cursor(cursorName)) ?? (options.fromBlock ?? 0n) - 1n;
    if (target <= cursor) return { changed: 0 };
    let changed = 0;
    let at = cursor;
    while (at < target) {
      const to = at + maxRange < target ? at + maxRange : target;
      changed += await applyRange(at + 1n, to);
      at = to;
    }
    return { fromBlock: cursor + 1n, toBlock: target, changed };
  };
  // One range at a time, whoever asks: the background loop or a caller of sync().
  const sync = () => {
    running = running.catch(() => ({ changed: 0 })).then(syncOnce);
    return running;
  };

  let stopped = true;
  let loop: Promise<void> = Promise.resolve();
  let wake: (() => void) | undefined;
  return {
    sync,
    start: () => {
      if (!stopped) return;
      stopped = false;
      loop = (async () => {
        while (!stopped) {
          await sync().catch((error: Error) =>
            options.logger?.warn(
              { errorName: error.name, message: error.message },
              'chain follower: sync failed; retrying',
            ),
          );
          if (stopped) break;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, pollMs);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
      })();
    },
    stop: async () => {
      stopped = true;
      wake?.();
      await loop;
      await running.catch(() => undefined);
    },
  };
}
