import {
  type Account,
  type Chain,
  createPublicClient,
  createWalletClient,
  custom,
  defineChain,
  type EIP1193Provider,
  http,
  type PublicClient,
  type Transport,
  type WalletClient,
} from 'viem';

/** Parameters of {@link createChainClients}. */
export type CreateChainClientsParameters = {
  /** JSON-RPC URL, or an EIP-1193 provider (e.g. an in-process chain). */
  rpc: string | EIP1193Provider;
  chainId: number;
  account: Account;
  /** Milliseconds between polls for receipts and events; small for local chains. */
  pollingInterval?: number;
};

/** A public client and a wallet client sharing one transport. */
export type ChainClients = {
  chain: Chain;
  publicClient: PublicClient<Transport, Chain>;
  wallet: WalletClient<Transport, Chain, Account>;
};

/**
 * Creates viem clients for a Confide chain from a URL or a provider.
 * @example const { publicClient, wallet } = createChainClients({ rpc: 'http://127.0.0.1:8545', chainId: 31337, account })
 */
export function createChainClients({
  rpc,
  chainId,
  account,
  pollingInterval = 100,
}: CreateChainClientsParameters): ChainClients {
  const url = typeof rpc === 'string' ? rpc : 'http://in-process';
  const chain = defineChain({
    id: chainId,
    name: chainId === 31337 ? 'Confide devnet' : `chain ${chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [url] } },
  });
  // A provider in this process has no transient failures: retrying would only delay reverts.
  const transport = typeof rpc === 'string' ? http(rpc) : custom(rpc, { retryCount: 0 });
  return {
    chain,
    publicClient: createPublicClient({ chain, transport, pollingInterval }),
    wallet: createWalletClient({ chain, transport, account, pollingInterval }),
  };
}
