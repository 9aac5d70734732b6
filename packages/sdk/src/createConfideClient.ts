import {
  type Account,
  type Address,
  type Chain,
  createPublicClient,
  createWalletClient,
  getAddress,
  isAddress,
  type Transport,
} from 'viem';
import { confideHubAbi } from '../../protocol/src/index.js';
import { type Actions, confideActions } from './actions.js';
import type { ConfideClient, ConfideContracts, ConfideServices } from './client.js';
import { ConfideSdkError } from './errors.js';

/** Parameters of {@link createConfideClient}. */
export type CreateConfideClientParameters = {
  /** The viem chain (e.g. from `viem/chains`, or `defineChain` for a devnet). */
  chain: Chain;
  /** A viem transport: `http(url)` in Node, `custom(window.ethereum)` in a browser. */
  transport: Transport;
  /** Who signs: a local account, or the address of a browser wallet's account. Omit for read-only. */
  account?: Account | Address;
  /** The Confide hub's address. */
  hub: Address;
  /** The market, SMS and storage the off-chain actions use. */
  services?: ConfideServices;
  /** Milliseconds between polls for receipts and task states; 1,000 by default. */
  pollingInterval?: number;
};

/** A Confide client: its configuration and every action bound to it. */
export type ConfideClientWithActions = ConfideClient & Actions;

/** Errors of {@link createConfideClient}. */
export type CreateConfideClientErrorType = ConfideSdkError<'CONFIDE_SDK_CONFIG_INVALID'>;

function configError(details: string): ConfideSdkError<'CONFIDE_SDK_CONFIG_INVALID'> {
  return new ConfideSdkError({
    code: 'CONFIDE_SDK_CONFIG_INVALID',
    shortMessage: 'createConfideClient: the configuration is invalid; fix it before any call.',
    details,
  });
}

function checkUrl(name: string, url: string | undefined): void {
  if (url === undefined) return;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw configError(`services.${name} ${JSON.stringify(url)} is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw configError(`services.${name} must be http(s), got ${parsed.protocol}`);
  }
}

/**
 * Creates the Confide client: checks the configuration once, builds the viem public and wallet
 * clients, and binds every action (`client.deposit(p)` is `deposit(client, p)`). Works in Node
 * (`http(url)` + `privateKeyToAccount`) and in the browser (`custom(window.ethereum)` + address).
 * @param parameters `{ chain, transport, account?, hub, services?, pollingInterval? }`
 * @returns the client with its actions
 * @throws ConfideSdkError `CONFIDE_SDK_CONFIG_INVALID` naming what is wrong
 * @example
 * const client = createConfideClient({
 *   chain, transport: http('http://127.0.0.1:8545'), account: privateKeyToAccount(key), hub,
 *   services: { marketUrl: 'http://127.0.0.1:13600', smsUrl: 'http://127.0.0.1:13300' },
 * })
 * await client.deposit({ amount: 10_000_000_000n })
 */
export function createConfideClient(parameters: CreateConfideClientParameters): ConfideClientWithActions {
  const { chain, transport, account, hub, services = {}, pollingInterval = 1_000 } = parameters ?? {};
  if (!chain || typeof chain.id !== 'number') throw configError('chain must be a viem chain with an id');
  if (typeof transport !== 'function') throw configError('transport must be a viem transport (http(), custom()…)');
  if (typeof hub !== 'string' || !isAddress(hub, { strict: false })) throw configError('hub must be an address');
  if (account !== undefined && typeof account !== 'object' && !isAddress(account, { strict: false })) {
    throw configError('account must be a viem account or an address');
  }
  if (!Number.isInteger(pollingInterval) || pollingInterval <= 0) {
    throw configError('pollingInterval must be a positive integer of milliseconds');
  }
  checkUrl('marketUrl', services.marketUrl);
  checkUrl('smsUrl', services.smsUrl);
  if (services.storage !== undefined && typeof services.storage.get !== 'function') {
    throw configError('services.storage must be a Storage with get(cid)');
  }
  if (services.storage?.put !== undefined && typeof services.storage.put !== 'function') {
    throw configError('services.storage.put must be a function (Storage.put)');
  }

  const publicClient = createPublicClient({ chain, transport, pollingInterval });
  const walletClient = account ? createWalletClient({ chain, transport, account, pollingInterval }) : undefined;
  const hubAddress = getAddress(hub);
  let contracts: Promise<ConfideContracts> | undefined;
  const base: ConfideClient = {
    chain,
    hub: hubAddress,
    publicClient,
    walletClient,
    services,
    pollingInterval,
    contracts: () => {
      contracts ??= readContracts(base).catch((cause: unknown) => {
        contracts = undefined;
        throw new ConfideSdkError({
          code: 'CONFIDE_SDK_CONFIG_INVALID',
          shortMessage: `createConfideClient: ${hubAddress} on chain ${chain.id} does not answer as a Confide hub; check hub and chain.`,
          cause,
        });
      });
      return contracts;
    },
  };
  return Object.assign(base, confideActions(base));
}

async function readContracts(client: ConfideClient): Promise<ConfideContracts> {
  const read = (functionName: 'token' | 'appRegistry' | 'datasetRegistry' | 'workerpoolRegistry') =>
    client.publicClient.readContract({ address: client.hub, abi: confideHubAbi, functionName });
  const [token, appRegistry, datasetRegistry, workerpoolRegistry] = await Promise.all([
    read('token'),
    read('appRegistry'),
    read('datasetRegistry'),
    read('workerpoolRegistry'),
  ]);
  return { hub: client.hub, token, appRegistry, datasetRegistry, workerpoolRegistry };
}
