import type { Account, Address, Chain, PublicClient, Transport, WalletClient } from 'viem';
import type { Storage } from '../../storage/src/storage.js';

/** Where the off-chain services are; each action says which one it needs. */
export type ConfideServices = {
  /** The market (orderbook) base URL, e.g. `http://127.0.0.1:13600`. */
  marketUrl?: string;
  /** The SMS base URL, e.g. `http://127.0.0.1:13300`. */
  smsUrl?: string;
  /**
   * Where task results are read from and app bundles stored (any `Storage` of `@confide/storage`:
   * embedded, Kubo RPC); `put` is needed by `deployAppBundle` only.
   */
  storage?: Pick<Storage, 'get'> & Partial<Pick<Storage, 'put'>>;
  /** A fetch to use for the market and the SMS instead of the global one. */
  fetch?: typeof fetch;
};

/** Addresses the hub knows: the payment token and the three registries. */
export type ConfideContracts = {
  hub: Address;
  token: Address;
  appRegistry: Address;
  datasetRegistry: Address;
  workerpoolRegistry: Address;
};

/**
 * What every action receives: the chain clients, the hub and the services, resolved once by
 * `createConfideClient`. Actions take a `Pick` of it, so a test can pass only what one uses.
 */
export type ConfideClient = {
  chain: Chain;
  /** The hub (escrow, orders, deals, tasks) every action talks to. */
  hub: Address;
  publicClient: PublicClient<Transport, Chain>;
  /** Absent for a read-only client (no account). */
  walletClient: WalletClient<Transport, Chain, Account> | undefined;
  services: ConfideServices;
  /** Milliseconds between polls when observing deals and tasks. */
  pollingInterval: number;
  /** The token and registry addresses, read from the hub once and then cached. */
  contracts: () => Promise<ConfideContracts>;
};
