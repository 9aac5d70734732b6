// The network the dashboard serves (its /config.json) and the account the user acts as: a
// devnet demo account (a local key) or the browser's injected wallet (window.ethereum).
import {
  type Account,
  type Address,
  type Chain,
  type CustomTransport,
  createPublicClient,
  createWalletClient,
  custom,
  defineChain,
  type EIP1193Provider,
  type HttpTransport,
  http,
  type PublicClient,
  type Transport,
  type WalletClient,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import type { DashboardConfig } from '../server/serveDashboard.js';

export type { DashboardConfig };

declare global {
  interface Window {
    ethereum?: EIP1193Provider;
  }
}

/** The service base URLs the page calls. */
export type Endpoints = { rpc: string; storage: string; sms: string; market: string; indexer: string };

/** Everything a page needs: the network, its endpoints, and who acts. */
export type Network = {
  config: DashboardConfig;
  chain: Chain;
  endpoints: Endpoints;
  publicClient: PublicClient<HttpTransport, Chain>;
};

/** The account the user acts as. */
export type Session = {
  address: Address;
  label: string;
  wallet: WalletClient<Transport, Chain, Account>;
};

/** Reads /config.json and prepares the clients. */
export async function loadNetwork(): Promise<Network> {
  const response = await fetch('/config.json');
  if (!response.ok) throw new Error(`/config.json answered ${response.status}`);
  const config = (await response.json()) as DashboardConfig;
  const { rpc, storage, sms, market, indexer } = config.services;
  const endpoints: Endpoints = { rpc, storage, sms, market, indexer };
  const chain = defineChain({
    id: config.chainId,
    name: 'Confide devnet',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [endpoints.rpc] } },
  });
  const publicClient = createPublicClient({ chain, transport: http(endpoints.rpc), pollingInterval: 250 });
  return { config, chain, endpoints, publicClient };
}

/** Acts as one of the devnet's demo accounts. */
export function demoSession(network: Network, role: string): Session {
  const demo = network.config.demoAccounts.find((a) => a.role === role);
  if (!demo) throw new Error(`no demo account '${role}'`);
  const account = privateKeyToAccount(demo.privateKey as `0x${string}`);
  const wallet = createWalletClient({ account, chain: network.chain, transport: http(network.endpoints.rpc) });
  return { address: account.address, label: demo.role, wallet };
}

/** Acts as the injected wallet's first account, after asking for it. */
export async function injectedSession(network: Network): Promise<Session> {
  const provider = window.ethereum;
  if (!provider) throw new Error('no browser wallet (window.ethereum) on this page');
  const transport: CustomTransport = custom(provider);
  const [address] = await createWalletClient({ chain: network.chain, transport }).requestAddresses();
  if (!address) throw new Error('the browser wallet gave no account');
  const wallet = createWalletClient({ account: address, chain: network.chain, transport });
  // A JSON-RPC account: DataProtector and the SDK sign through the wallet (eth_signTypedData_v4)
  // and send through it (eth_sendTransaction); no key is in the page.
  return { address, label: 'browser wallet', wallet };
}
