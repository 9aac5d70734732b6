import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
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
};

/** A running devnet. */
export type Devnet = {
  rpcUrl: string;
  chainId: number;
  addresses: ConfideAddresses;
  accounts: { address: Address; privateKey: Hex }[];
  deploymentFile: string;
  /** Stops the chain process and waits for it to exit. */
  stop: () => Promise<void>;
};

/** A wrong configuration value, said in a way the user can act on. */
export class DevnetConfigError extends Error {
  override name = 'DevnetConfigError';
  readonly code = 'CONFIDE_DEVNET_CONFIG';
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
  const chain = spawnAnvil(port, accountCount);
  try {
    await waitForRpc(rpcUrl, chain);
    const derived = Array.from({ length: accountCount }, (_, addressIndex) =>
      mnemonicToAccount(DEVNET_MNEMONIC, { addressIndex }),
    );
    const deployer = derived[0];
    if (!deployer) throw new DevnetConfigError('at least one account is needed');
    const { wallet, publicClient } = createChainClients({ rpc: rpcUrl, chainId: DEVNET_CHAIN_ID, account: deployer });
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

    const accounts = derived.map((account) => ({
      address: account.address,
      privateKey: `0x${Buffer.from(account.getHdKey().privateKey ?? []).toString('hex')}` as Hex,
    }));
    await mkdir(stateDir, { recursive: true });
    const deploymentFile = path.join(stateDir, 'deployment.json');
    await writeFile(deploymentFile, `${JSON.stringify({ chainId: DEVNET_CHAIN_ID, rpcUrl, addresses }, null, 2)}\n`);
    return { rpcUrl, chainId: DEVNET_CHAIN_ID, addresses, accounts, deploymentFile, stop: () => stopProcess(chain) };
  } catch (error) {
    await stopProcess(chain);
    throw error;
  }
}

async function assertPortFree(port: number): Promise<void> {
  const server = createServer();
  const free = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
  if (free) await new Promise((resolve) => server.close(resolve));
  else throw new DevnetConfigError(`port ${port} on 127.0.0.1 is in use; stop what runs there or pass --port N`);
}

function spawnAnvil(port: number, accounts: number): ChildProcess {
  const require = createRequire(import.meta.url);
  const anvilPackage = path.dirname(require.resolve('@foundry-rs/anvil/package.json'));
  const bin = path.join(anvilPackage, '..', '..', '.bin', 'anvil');
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
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
}

async function waitForRpc(rpcUrl: string, chain: ChildProcess): Promise<void> {
  let stderr = '';
  chain.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<never>((_, reject) => {
    chain.once('exit', (code) => reject(new Error(`the chain exited early (code ${code}): ${stderr.trim()}`)));
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
