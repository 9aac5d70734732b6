import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { type Address, getAddress, isAddress } from 'viem';
import type { NetworkFile } from './demo.js';
import { CliError } from './errors.js';

/** How a command finds the network: a `network.json`, or flags (which override the file's values). */
export type NetworkOptions = {
  network?: string;
  rpc?: string;
  chainId?: string;
  hub?: string;
  dataProtector?: string;
  dataSharing?: string;
  storageUrl?: string;
  smsUrl?: string;
  marketUrl?: string;
  indexerUrl?: string;
};

/** The network a command talks to; `apps` names the example apps of `confide start`. */
export type Network = {
  rpcUrl: string;
  chainId: number;
  hub: Address;
  dataProtector?: Address;
  dataSharing?: Address;
  storageUrl?: string;
  smsUrl?: string;
  marketUrl?: string;
  indexerUrl?: string;
  apps: Record<string, Address>;
  /** Well-known devnet keys of the demo roles, on a `confide start` network only. */
  keys?: NetworkFile['keys'];
};

const FLAG: Record<keyof Omit<Network, 'apps' | 'keys'>, string> = {
  rpcUrl: '--rpc',
  chainId: '--chain-id',
  hub: '--hub',
  dataProtector: '--data-protector',
  dataSharing: '--data-sharing',
  storageUrl: '--storage-url',
  smsUrl: '--sms-url',
  marketUrl: '--market-url',
  indexerUrl: '--indexer-url',
};

const addressOf = (value: string, flag: string): Address => {
  if (!isAddress(value, { strict: false })) throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: `${flag}` });
  return getAddress(value);
};

/** A URL flag, without its trailing slash. @throws CliError `CONFIDE_CLI_INVALID_INPUT` */
export const urlOf = (value: string, flag: string): string => {
  try {
    return new URL(value).toString().replace(/\/$/, '');
  } catch {
    throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: `${flag} must be a URL` });
  }
};

async function readNetworkFile(where: string): Promise<Partial<NetworkFile>> {
  const file = (await stat(where).catch(() => undefined))?.isDirectory() ? path.join(where, 'network.json') : where;
  const text = await readFile(file, 'utf8').catch((cause: unknown) => {
    throw new CliError('CONFIDE_CLI_NO_NETWORK', { details: `cannot read ${file}`, cause });
  });
  try {
    return JSON.parse(text) as Partial<NetworkFile>;
  } catch (cause) {
    throw new CliError('CONFIDE_CLI_NO_NETWORK', { details: `${file} is not JSON`, cause });
  }
}

/**
 * The network of a command: `--network <dir-or-file>` (else `$CONFIDE_NETWORK`, else
 * `.confide/network.json` when no `--rpc` is given), then each flag over the file's value. The chain
 * id is asked from the RPC when neither gives it.
 * @throws CliError `CONFIDE_CLI_NO_NETWORK`, `CONFIDE_CLI_INVALID_INPUT`
 */
export async function loadNetwork(o: NetworkOptions): Promise<Network> {
  const where = o.network ?? process.env.CONFIDE_NETWORK ?? (o.rpc ? undefined : '.confide/network.json');
  const file = where ? await readNetworkFile(where) : {};
  const rpcUrl = o.rpc ? urlOf(o.rpc, '--rpc') : file.rpcUrl;
  const hub = o.hub ? addressOf(o.hub, '--hub') : file.hub;
  if (!rpcUrl || !hub) {
    throw new CliError('CONFIDE_CLI_NO_NETWORK', {
      details: `${where ?? 'the flags'} gives no ${rpcUrl ? '--hub' : '--rpc'}`,
    });
  }
  let chainId = o.chainId !== undefined ? Number(o.chainId) : file.chainId;
  if (chainId !== undefined && (!Number.isSafeInteger(chainId) || chainId <= 0)) {
    throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: '--chain-id must be a positive integer' });
  }
  chainId ??= await askChainId(rpcUrl);
  const dataProtector = o.dataProtector ? addressOf(o.dataProtector, '--data-protector') : file.dataProtector;
  const dataSharing = o.dataSharing ? addressOf(o.dataSharing, '--data-sharing') : file.dataSharing;
  const url = (flag: string | undefined, name: string, fromFile: string | undefined) =>
    flag ? urlOf(flag, name) : fromFile;
  return {
    rpcUrl,
    chainId,
    hub,
    ...(dataProtector ? { dataProtector } : {}),
    ...(dataSharing ? { dataSharing } : {}),
    ...definedUrls({
      storageUrl: url(o.storageUrl, '--storage-url', file.storageUrl),
      smsUrl: url(o.smsUrl, '--sms-url', file.smsUrl),
      marketUrl: url(o.marketUrl, '--market-url', file.marketUrl),
      indexerUrl: url(o.indexerUrl, '--indexer-url', file.indexerUrl),
    }),
    apps: file.apps ?? {},
    ...(file.keys ? { keys: file.keys } : {}),
  };
}

const definedUrls = (urls: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(urls).filter(([, v]) => v !== undefined)) as Record<string, string>;

/** The chain id the RPC reports. @throws CliError `CONFIDE_CLI_NO_NETWORK` when it does not answer */
export async function askChainId(rpcUrl: string): Promise<number> {
  try {
    const response = await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
    });
    const { result } = (await response.json()) as { result?: string };
    if (!result) throw new Error('no result');
    return Number(BigInt(result));
  } catch (cause) {
    throw new CliError('CONFIDE_CLI_NO_NETWORK', { details: `${rpcUrl} does not answer eth_chainId`, cause });
  }
}

/**
 * The fields a command needs, or `CONFIDE_CLI_NO_NETWORK` naming the missing flag.
 * @example const { smsUrl } = need(network, 'smsUrl', 'storageUrl')
 */
export function need<K extends keyof typeof FLAG>(network: Network, ...keys: K[]): Required<Pick<Network, K>> {
  for (const key of keys) {
    if (network[key] === undefined) {
      throw new CliError('CONFIDE_CLI_NO_NETWORK', { details: `the network gives no ${FLAG[key]}` });
    }
  }
  return network as unknown as Required<Pick<Network, K>>;
}
