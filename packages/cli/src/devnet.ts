import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { type Address, type Hex, parseUnits } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { type ConfideAddresses, confideTokenAbi, createChainClients, deployConfide } from '../../protocol/src/index.js';

/** The well-known development mnemonic, shared with anvil and Hardhat. Never use it for value. */
export const DEVNET_MNEMONIC = 'test test test test test test test test test test test junk';
/** Chain id of the local devnet. */
export const DEVNET_CHAIN_ID = 31337;

/** Options of {@link startDevnet}. */
export type StartDevnetOptions = {
  /** Port of the JSON-RPC endpoint on 127.0.0.1. */
  port?: number;
  /** How many funded accounts to derive, fund with tokens, and print. */
  accounts?: number;
  /** Tokens (whole units) minted to each account. */
  tokensPerAccount?: bigint;
  /** Where `deployment.json` is written. */
  stateDir?: string;
  /**
   * Keep the chain in this file (anvil `--state`): written when the chain stops and every
   * {@link STATE_INTERVAL_S} seconds. When it exists, the chain resumes from it with the contracts of
   * `<stateDir>/deployment.json` (checked to have code): nothing is deployed or minted again.
   */
  stateFile?: string;
};

/** How often (seconds) a kept chain is written to its state file, so a crash loses little. */
const STATE_INTERVAL_S = 5;

/** A running devnet. */
export type Devnet = {
  rpcUrl: string;
  chainId: number;
  addresses: ConfideAddresses;
  accounts: { address: Address; privateKey: Hex }[];
  deploymentFile: string;
  /** Set when the chain resumed from its state file: the block it resumed at. */
  resumedAt?: bigint;
  /** Stops the chain process and waits for it to exit. */
  stop: () => Promise<void>;
};

/** A wrong configuration value, said in a way the user can act on. */
export class DevnetConfigError extends Error {
  override name = 'DevnetConfigError';
  readonly code = 'CONFIDE_DEVNET_CONFIG';
}

/** The chain's port is taken (before the chain started, or by the time it tried to listen). */
export class DevnetPortInUseError extends DevnetConfigError {
  override name = 'DevnetPortInUseError';
}

/** A kept chain that cannot be resumed: its state file or deployment is missing, unreadable or inconsistent. */
export class DevnetStateError extends Error {
  override name = 'DevnetStateError';
  readonly code = 'CONFIDE_DEVNET_STATE';
}

/**
 * Starts anvil on loopback, deploys Confide, mints the payment token to the well-known
 * accounts and writes the deployment to `<stateDir>/deployment.json`.
 * @example const devnet = await startDevnet({ port: 8545 }); … await devnet.stop();
 */
export async function startDevnet(options: StartDevnetOptions = {}): Promise<Devnet> {
  const port = options.port ?? 8545;
  const accountCount = options.accounts ?? 10;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new DevnetConfigError(`port must be an integer in 1..65535, got ${port}`);
  }
  if (!Number.isInteger(accountCount) || accountCount < 1 || accountCount > 100) {
    throw new DevnetConfigError(`accounts must be an integer in 1..100, got ${accountCount}`);
  }
  const stateDir = path.resolve(options.stateDir ?? '.devnet');
  const rpcUrl = `http://127.0.0.1:${port}`;
  // Otherwise the readiness poll could reach whatever already listens there and deploy to it.
  await assertPortFree(port);
  const stateFile = options.stateFile && path.resolve(options.stateFile);
  const resuming = stateFile !== undefined && existsSync(stateFile);
  const deploymentFile = path.join(stateDir, 'deployment.json');
  const chain = spawnAnvil(port, accountCount, stateFile);
  try {
    await waitForRpc(rpcUrl, chain).catch((error: unknown) => {
      if (!resuming) throw error;
      throw new DevnetStateError(`the chain could not load its state file ${stateFile}`, { cause: error });
    });
    const derived = Array.from({ length: accountCount }, (_, addressIndex) =>
      mnemonicToAccount(DEVNET_MNEMONIC, { addressIndex }),
    );
    const deployer = derived[0];
    if (!deployer) throw new DevnetConfigError('at least one account is needed');
    const { wallet, publicClient } = createChainClients({ rpc: rpcUrl, chainId: DEVNET_CHAIN_ID, account: deployer });
    const accounts = derived.map((account) => ({
      address: account.address,
      privateKey: `0x${Buffer.from(account.getHdKey().privateKey ?? []).toString('hex')}` as Hex,
    }));
    const stop = () => stopProcess(chain);
    if (resuming) {
      const addresses = await resumedAddresses(deploymentFile, stateFile, (address) =>
        publicClient.getCode({ address }),
      );
      await writeFile(deploymentFile, `${JSON.stringify({ chainId: DEVNET_CHAIN_ID, rpcUrl, addresses }, null, 2)}\n`);
      const resumedAt = await publicClient.getBlockNumber();
      return { rpcUrl, chainId: DEVNET_CHAIN_ID, addresses, accounts, deploymentFile, resumedAt, stop };
    }
    const addresses = await deployConfide({ wallet, publicClient });
    const amount = parseUnits(String(options.tokensPerAccount ?? 1_000_000n), 9);
    const hashes: Hex[] = [];
    for (const account of derived) {
      hashes.push(
        await wallet.writeContract({
          address: addresses.token,
          abi: confideTokenAbi,
          functionName: 'mint',
          args: [account.address, amount],
        }),
      );
    }
    await Promise.all(hashes.map((hash) => publicClient.waitForTransactionReceipt({ hash })));

    await mkdir(stateDir, { recursive: true });
    await writeFile(deploymentFile, `${JSON.stringify({ chainId: DEVNET_CHAIN_ID, rpcUrl, addresses }, null, 2)}\n`);
    return { rpcUrl, chainId: DEVNET_CHAIN_ID, addresses, accounts, deploymentFile, stop };
  } catch (error) {
    await stopProcess(chain);
    throw error;
  }
}

/**
 * The contracts of a kept chain, from its deployment file, each checked to have code on the
 * resumed chain: a state file that does not hold them is refused rather than deployed over.
 */
async function resumedAddresses(
  deploymentFile: string,
  stateFile: string,
  codeAt: (address: Address) => Promise<Hex | undefined>,
): Promise<ConfideAddresses> {
  let addresses: ConfideAddresses;
  try {
    addresses = (JSON.parse(await readFile(deploymentFile, 'utf8')) as { addresses: ConfideAddresses }).addresses;
  } catch (error) {
    throw new DevnetStateError(`the chain state ${stateFile} has no readable deployment file ${deploymentFile}`, {
      cause: error,
    });
  }
  for (const [name, address] of Object.entries(addresses ?? {})) {
    const code = await codeAt(address as Address);
    if (!code || code === '0x') {
      throw new DevnetStateError(
        `the chain state ${stateFile} has no code at ${name} ${address} (from ${deploymentFile}): it does not match the deployment`,
      );
    }
  }
  if (!addresses?.hub) throw new DevnetStateError(`the deployment file ${deploymentFile} names no hub`);
  return addresses;
}

async function assertPortFree(port: number): Promise<void> {
  const server = createServer();
  const free = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
  if (free) await new Promise((resolve) => server.close(resolve));
  else throw new DevnetPortInUseError(`port ${port} on 127.0.0.1 is in use; stop what runs there or pass --port N`);
}

/** Platform packages of @foundry-rs/anvil by Node's platform and arch (as its shim names them). */
const ANVIL_PLATFORMS: Record<string, string> = { 'linux-x64': 'linux-amd64', 'linux-arm64': 'linux-arm64' };

/**
 * The platform's anvil binary itself, when installed. Not the npm shim (.bin/anvil, a node script):
 * on SIGTERM the shim forwards the signal and exits at once, so "the chain exited" would be seen
 * before the chain has written its state file.
 */
function nativeAnvil(anvilPackage: string): string | undefined {
  const platform = ANVIL_PLATFORMS[`${process.platform}-${process.arch}`];
  if (!platform) return undefined;
  try {
    const bin = createRequire(path.join(anvilPackage, 'package.json')).resolve(
      `@foundry-rs/anvil-${platform}/bin/anvil`,
    );
    return existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

function spawnAnvil(port: number, accounts: number, stateFile: string | undefined): ChildProcess {
  const require = createRequire(import.meta.url);
  const anvilPackage = path.dirname(require.resolve('@foundry-rs/anvil/package.json'));
  const bin = nativeAnvil(anvilPackage) ?? path.join(anvilPackage, '..', '..', '.bin', 'anvil');
  // setpriv --pdeathsig: the kernel sends SIGTERM to anvil when this process dies, however it dies
  // (even SIGKILL), so a crash never leaves a chain behind. Plain spawn when setpriv is absent.
  const launcher = existsSync('/usr/bin/setpriv') ? ['/usr/bin/setpriv', '--pdeathsig', 'SIGTERM', bin] : [bin];
  const [command = bin, ...prefix] = launcher;
  return spawn(
    command,
    [
      ...prefix,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--chain-id',
      String(DEVNET_CHAIN_ID),
      '--accounts',
      String(accounts),
      '--mnemonic',
      DEVNET_MNEMONIC,
      '--silent',
      ...(stateFile ? ['--state', stateFile, '--state-interval', String(STATE_INTERVAL_S)] : []),
    ],
    // Its own process group when the kernel stops it with us: a Ctrl-C in the terminal then reaches
    // only the services, and the chain, stopped last, writes its state after their last transaction.
    { stdio: ['ignore', 'ignore', 'pipe'], detached: launcher.length > 1 },
  );
}

async function waitForRpc(rpcUrl: string, chain: ChildProcess): Promise<void> {
  let stderr = '';
  chain.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<never>((_, reject) => {
    chain.once('exit', (code) => {
      const message = `the chain exited early (code ${code}): ${stderr.trim()}`;
      // Free when checked, then taken (by another process, or as a connection's local port).
      if (/Address already in use/.test(stderr)) reject(new DevnetPortInUseError(message));
      else reject(new Error(message));
    });
    chain.once('error', reject);
  });
  const ready = (async () => {
    for (let attempt = 0; attempt < 200; attempt++) {
      try {
        const response = await fetch(rpcUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
        });
        if (response.ok) return;
      } catch {
        // Not listening yet: poll again after a short pause.
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`the chain did not answer on ${rpcUrl} within 10 s`);
  })();
  await Promise.race([ready, exited]);
  exited.catch(() => {});
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}
