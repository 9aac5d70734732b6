import type { Command } from 'commander';
import { type Account, type Address, getAddress, type Hex, http, isAddress, isHex, parseUnits } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { DataProtector } from '../../dataprotector/src/index.js';
import type { ChainClients } from '../../protocol/src/index.js';
import { CliError } from './errors.js';
import { type Network, type NetworkOptions, need } from './network.js';
import type { OutputOptions } from './output.js';
import { listWallets, type WalletOptions } from './wallets.js';

/** The options every network command takes. */
export type CommonOptions = NetworkOptions & WalletOptions & OutputOptions;

/** Adds `--network` and the explicit network flags. */
export const withNetwork = (cmd: Command): Command =>
  cmd
    .option(
      '--network <dir-or-file>',
      "network.json of 'confide start' (default $CONFIDE_NETWORK, .confide/network.json)",
    )
    .option('--rpc <url>', 'JSON-RPC URL of the chain (overrides the network file)')
    .option('--chain-id <id>', 'chain id (asked from the RPC when absent)')
    .option('--hub <address>', 'ConfideHub address')
    .option('--data-protector <address>', 'DataProtector registry address')
    .option('--data-sharing <address>', 'DataSharing address (collections, rentals, subscriptions, sales)')
    .option('--storage-url <url>', 'Kubo RPC API of the storage node')
    .option('--sms-url <url>', 'SMS URL')
    .option('--market-url <url>', 'market URL')
    .option('--indexer-url <url>', 'indexer URL');

/** Adds the wallet selection flags. */
export const withWallet = (cmd: Command): Command =>
  cmd
    .option('--wallet <name|address>', 'wallet in $CONFIDE_HOME/wallets (default $CONFIDE_WALLET, or the only one)')
    .option('--keystore <file>', 'a keystore file anywhere')
    .option('--password-file <file>', 'read the password from this file (else $CONFIDE_PASSWORD, else asked)');

/** Adds `--json` and `--quiet`. */
export const withOutput = (cmd: Command): Command =>
  cmd
    .option('--json', 'print one JSON document on stdout (errors too: { "error": { code, message } })')
    .option('--quiet', 'no progress on stderr');

// The protocol (generated ABIs) and the DataProtector (every service client) take seconds to
// load: imported when a command needs them, so that usage and wallet errors answer at once.
export const protocol = () => import('../../protocol/src/index.js');

/** Chain clients for `account` (a throwaway one for read-only commands). */
export async function clientsFor(network: Network, account?: Account): Promise<ChainClients> {
  const { createChainClients } = await protocol();
  return createChainClients({
    rpc: network.rpcUrl,
    chainId: network.chainId,
    account: account ?? privateKeyToAccount(generatePrivateKey()),
  });
}

/** The DataProtector API on `network`, signing as `account` (read-only without one). */
export async function dataProtectorFor(network: Network, account?: Account): Promise<DataProtector> {
  const n = need(network, 'dataProtector', 'storageUrl', 'smsUrl', 'marketUrl', 'indexerUrl');
  const { createDataProtector } = await import('../../dataprotector/src/index.js');
  return createDataProtector({
    ...(await clientsFor(network, account)),
    hub: network.hub,
    dataProtector: n.dataProtector,
    ...(network.dataSharing ? { dataSharing: network.dataSharing } : {}),
    services: { storageUrl: n.storageUrl, smsUrl: n.smsUrl, marketUrl: n.marketUrl, indexerUrl: n.indexerUrl },
  });
}

// The SDK loads the protocol and the market client: imported when a command runs.
const sdk = () => import('../../sdk/src/index.js');

/**
 * The SDK client on `network`, signing as `account` (read-only without one); with `storage`, the
 * network's storage node too (`--storage-url`, else `CONFIDE_CLI_NO_NETWORK`).
 */
export async function sdkFor(network: Network, account?: Account, options: { storage?: boolean } = {}) {
  const { createConfideClient } = await sdk();
  const { chain } = await clientsFor(network);
  const storage = options.storage
    ? (await import('../../storage/src/createKuboStorage.js')).createKuboStorage({
        url: need(network, 'storageUrl').storageUrl,
      })
    : undefined;
  return createConfideClient({
    chain,
    transport: http(network.rpcUrl),
    hub: network.hub,
    pollingInterval: 200,
    ...(account ? { account } : {}),
    services: {
      ...(network.marketUrl ? { marketUrl: network.marketUrl } : {}),
      ...(network.smsUrl ? { smsUrl: network.smsUrl } : {}),
      ...(storage ? { storage } : {}),
    },
  });
}

/** A bytes32 id (deal, task). @throws CliError `CONFIDE_CLI_INVALID_INPUT` */
export function parseId(value: string, what: string): Hex {
  if (!isHex(value) || value.length !== 66) {
    throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: `${what} must be a bytes32 (0x + 64 hex)` });
  }
  return value.toLowerCase() as Hex;
}

/** `--tag tee` or a bytes32 tag. @throws CliError `CONFIDE_CLI_INVALID_INPUT` */
export function parseTag(value: string | undefined): Hex | ['tee'] | undefined {
  if (value === undefined) return undefined;
  if (value === 'tee') return ['tee'];
  if (isHex(value) && value.length === 66) return value;
  throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: '--tag must be tee or a bytes32 tag' });
}

/**
 * A token amount in CFD (9 decimals), e.g. `1` or `0.25`.
 * @throws CliError `CONFIDE_CLI_INVALID_INPUT`
 */
export function parseAmount(value: string, flag: string): bigint {
  if (!/^\d+(\.\d{1,9})?$/.test(value)) {
    throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: `${flag} must be an amount of CFD like 1 or 0.5` });
  }
  return parseUnits(value, 9);
}

/** An address. @throws CliError `CONFIDE_CLI_INVALID_INPUT` */
export function parseAddress(value: string, what: string): Address {
  if (!isAddress(value, { strict: false })) {
    throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: `${what} must be an address (0x + 40 hex)` });
  }
  return getAddress(value);
}

/** A positive integer. @throws CliError `CONFIDE_CLI_INVALID_INPUT` */
export function parseCount(value: string, flag: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: `${flag} must be a positive integer` });
  }
  return Number(value);
}

/** A user: an address, or the name of a local wallet (its address). */
export async function parseUser(value: string, flag: string): Promise<Address> {
  if (isAddress(value, { strict: false })) return getAddress(value);
  const wallet = (await listWallets()).find((w) => w.name === value);
  if (!wallet)
    throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: `${flag} must be an address or a wallet name` });
  return wallet.address;
}

/** An app: its address, or the name of an example app of the network (`climate-stats`). */
export function parseApp(network: Network, value: string): Address {
  const named = network.apps[value];
  if (named) return named;
  if (isAddress(value, { strict: false })) return getAddress(value);
  const known = Object.keys(network.apps).join(', ') || 'none';
  throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: `--app must be an address or an app name (${known})` });
}

/**
 * Checks that `address` is a registered protected data (dataset) on the network.
 * @throws CliError `CONFIDE_CLI_UNKNOWN_ADDRESS`
 */
export async function requireProtectedData(network: Network, address: Address): Promise<void> {
  const { confideHubAbi, datasetRegistryAbi } = await protocol();
  const { publicClient } = await clientsFor(network);
  const registry = await publicClient.readContract({
    address: network.hub,
    abi: confideHubAbi,
    functionName: 'datasetRegistry',
  });
  const registered = await publicClient.readContract({
    address: registry,
    abi: datasetRegistryAbi,
    functionName: 'isRegistered',
    args: [address],
  });
  if (!registered) {
    throw new CliError('CONFIDE_CLI_UNKNOWN_ADDRESS', {
      details: `${address} is not a protected data on chain ${network.chainId}`,
    });
  }
}
