import type { Address, PublicClient } from 'viem';
import { confideDomain } from '../../protocol/src/index.js';
import { type ChainReader, createChainReader } from './chain/createChainReader.js';
import type { MarketDb } from './db/openMarketDatabase.js';
import { createOrderEvents, type OrderEvents } from './events/createOrderEvents.js';
import { createOrderHasher, type OrderHasher } from './orders/createOrderHasher.js';
import { createOrderStore, type OrderStore } from './store/createOrderStore.js';

/** The chain a market serves. */
export type MarketChain = {
  publicClient: Pick<PublicClient, 'readContract' | 'multicall' | 'getBlockNumber' | 'getLogs'>;
  hub: Address;
  chainId: number;
};

/** What the routes and the chain follower share: the store, the chain views, the events. */
export type Market = {
  chain: MarketChain;
  store: OrderStore;
  reader: ChainReader;
  hasher: OrderHasher;
  events: OrderEvents;
  /** Bumped by the chain follower after each range it applies; publication checks it for races. */
  sync: { commits: number };
};

/** Options of {@link createMarket}. */
export type CreateMarketOptions = {
  db: MarketDb;
  chain: MarketChain;
  /** How long an asset's owner stays cached when no `Transfer` is seen (60 s by default). */
  ownerCacheMs?: number;
};

/**
 * Wires the market's parts over one database and one chain.
 * @example const market = createMarket({ db, chain: { publicClient, hub, chainId: 31337 } })
 */
export function createMarket(options: CreateMarketOptions): Market {
  const { db, chain } = options;
  return {
    chain,
    store: createOrderStore(db),
    reader: createChainReader({ publicClient: chain.publicClient, hub: chain.hub, ownerCacheMs: options.ownerCacheMs }),
    hasher: createOrderHasher(confideDomain(chain.chainId, chain.hub)),
    events: createOrderEvents(),
    sync: { commits: 0 },
  };
}
