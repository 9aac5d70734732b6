// The whole confidential path as real processes on loopback — anvil with the contracts, the
// storage node, the SMS (development mode), a scheduler and N workers — for `confide start`
// (what `npm start` runs), the end-to-end tests and the benches.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { type Address, type Hex, nonceManager, parseUnits } from 'viem';
import { type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts';
import { createSimPlatform } from '../../../enclave/src/index.js';
import {
  type ChainClients,
  confideHubAbi,
  confideTokenAbi,
  createChainClients,
  workerpoolRegistryAbi,
} from '../../../protocol/src/index.js';
import { createKuboStorage, type Storage } from '../../../storage/src/index.js';
import { type Devnet, DevnetPortInUseError, startDevnet } from '../devnet.js';
import { type BinName, binArgs } from './bins.js';

/** A child process of the stack, with its captured JSON log lines. */
type StackProcess = {
  name: string;
  child: ChildProcess;
  url: string;
  logs: string[];
  /** SIGTERM, wait for exit (SIGKILL after 10 s). */
  stop: () => Promise<void>;
  /** SIGKILL, wait for exit. */
  kill: () => Promise<void>;
};

/** Starts one of the service bins and waits for its `listening`/`storage ready` line. */
async function startBin(name: string, bin: BinName, env: Record<string, string>): Promise<StackProcess> {
  const child = spawn(process.execPath, binArgs(bin), {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      logs.push(line);
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string; rpc?: string; port?: number };
        if (entry.msg === 'storage ready' && entry.rpc) resolve(entry.rpc);
        else if (entry.msg === 'listening' && entry.url) resolve(entry.url);
        else if (entry.msg === 'listening' && entry.port) resolve(`http://127.0.0.1:${entry.port}`);
      } catch {
        // Not a JSON line: kept in logs.
      }
    });
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before it was ready: ${stderr.join('')}`)));
  });
  // A service that dies while the stack runs says so, with the end of what it printed.
  let stopping = false;
  child.once('exit', (code, signal) => {
    if (stopping) return;
    const tail = [...logs.slice(-5), stderr.join('').slice(-2000)].join('\n');
    process.stderr.write(`confide: ${name} exited unexpectedly (${signal ?? code})\n${tail}\n`);
  });
  const exited = () =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name,
    child,
    url,
    logs,
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const done = exited();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await done;
      clearTimeout(timer);
    },
    async kill() {
      stopping = true;
      const done = exited();
      child.kill('SIGKILL');
      await done;
    },
  };
}

/** Options of {@link startStack}. */
export type StartStackOptions = {
  /** Where the stack keeps its state (emptied first, unless `keepState`). */
  stateDir: string;
  /**
   * Keep the state across starts (`confide start`): `stateDir` is not emptied, the chain is
   * written to `<stateDir>/devnet/chain-state.json`, the SMS master key and the sim platform key
   * to files; when the chain state exists the stack resumes from it (nothing deployed, minted or
   * registered again; escrows only topped up). The caller owns `stateDir`.
   */
  keepState?: boolean;
  /**
   * Ports: `auto` picks free ones; a number N gives the chain N, then N+1 storage RPC, N+2
   * gateway, N+3 SMS, N+4 scheduler, N+5 market, N+6 indexer, N+7… workers.
   */
  ports?: 'auto' | number;
  workers?: number;
  /** Workerpool price per task (token units, 9 decimals). */
  workerpoolPrice?: bigint;
  leaseMs?: number;
  smsRetryMs?: number;
  /** Task slots per worker. Default 1. */
  slots?: number;
  /** Highest trust the workerpool sells (default 0: TEE tasks only; above 1, replicated tasks too). */
  trust?: number;
  /**
   * FAULT INJECTION, FOR TESTS ONLY: worker index → how that worker misbehaves on replicated
   * tasks (`WORKER_BYZANTINE_FOR_TESTS`).
   */
  byzantine?: Record<number, 'lie' | 'silent-after-commit' | 'copy' | `lie-after:${number}`>;
};

/** The running stack and the accounts that play each role. */
export type Stack = Awaited<ReturnType<typeof startStack>>;

/**
 * Starts the chain (anvil, contracts deployed, tokens minted), a storage node, an SMS in
 * development mode trusting a fresh sim platform, a workerpool registered by the scheduler
 * account, its scheduler, and `workers` workers (1 slot each). Everyone but the deployer
 * deposits 10,000 tokens in the escrow.
 */
export async function startStack(options: StartStackOptions) {
  const dir = path.resolve(options.stateDir);
  if (!options.keepState) await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  chmodSync(dir, 0o711);
  const base = options.ports ?? 'auto';
  const port = (offset: number) => (base === 'auto' ? '0' : String(base + offset));
  const processes: StackProcess[] = [];
  let devnet: Devnet | undefined;
  try {
    const startChain = async (chainPort: number) =>
      startDevnet({
        port: chainPort,
        accounts: Math.max(10, 5 + (options.workers ?? 2)),
        stateDir: path.join(dir, 'devnet'),
        ...(options.keepState ? { stateFile: path.join(dir, 'devnet', 'chain-state.json') } : {}),
      });
    devnet = base === 'auto' ? await onFreePort(startChain) : await startChain(base);
    const accounts = devnet.accounts.map((a) => privateKeyToAccount(a.privateKey, { nonceManager }));
    const [, appOwner, dataOwner, scheduler, requester, ...rest] = accounts as PrivateKeyAccount[];
    const workerAccounts = rest.slice(0, options.workers ?? 2);
    if (!appOwner || !dataOwner || !scheduler || !requester) throw new Error('the devnet has too few accounts');
    const clients = (account: PrivateKeyAccount): ChainClients =>
      createChainClients({ rpc: devnet?.rpcUrl ?? '', chainId: devnet?.chainId ?? 0, account, pollingInterval: 50 });
    const { hub, token } = devnet.addresses;
    for (const account of [appOwner, dataOwner, scheduler, requester, ...workerAccounts]) {
      const { wallet, publicClient } = clients(account);
      // Topped up to 10,000: a resumed stack does not fund its accounts again beyond that.
      const deposited = devnet.resumedAt
        ? await publicClient.readContract({
            address: hub,
            abi: confideHubAbi,
            functionName: 'balanceOf',
            args: [account.address],
          })
        : 0n;
      const amount = parseUnits('10000', 9) - deposited;
      if (amount <= 0n) continue;
      await publicClient.waitForTransactionReceipt({
        hash: await wallet.writeContract({
          address: token,
          abi: confideTokenAbi,
          functionName: 'approve',
          args: [hub, amount],
        }),
      });
      await publicClient.waitForTransactionReceipt({
        hash: await wallet.writeContract({ address: hub, abi: confideHubAbi, functionName: 'deposit', args: [amount] }),
      });
    }
    const schedulerClients = clients(scheduler);
    const workerpoolRegistry = await schedulerClients.publicClient.readContract({
      address: hub,
      abi: confideHubAbi,
      functionName: 'workerpoolRegistry',
    });
    const poolArgs = [scheduler.address, 'Confide test pool'] as const;
    const workerpool = (await schedulerClients.publicClient.readContract({
      address: workerpoolRegistry,
      abi: workerpoolRegistryAbi,
      functionName: 'predictWorkerpool',
      args: poolArgs,
    })) as Address;
    const poolExists =
      devnet.resumedAt !== undefined &&
      (await schedulerClients.publicClient.readContract({
        address: workerpoolRegistry,
        abi: workerpoolRegistryAbi,
        functionName: 'isRegistered',
        args: [workerpool],
      }));
    if (!poolExists) {
      await schedulerClients.publicClient.waitForTransactionReceipt({
        hash: await schedulerClients.wallet.writeContract({
          address: workerpoolRegistry,
          abi: workerpoolRegistryAbi,
          functionName: 'createWorkerpool',
          args: poolArgs,
        }),
      });
    }

    const storageNode = await startBin('storage', 'storage', {
      STORAGE_DIR: path.join(dir, 'ipfs'),
      STORAGE_RPC_PORT: port(1),
      STORAGE_GATEWAY_PORT: port(2),
      // A development stack on loopback: pages (the dashboard, dapps using the SDK) may write to it.
      STORAGE_CORS_ORIGINS: '*',
    });
    processes.push(storageNode);

    /** A random key kept in `file` (0600), or the one already there when the state is kept. */
    const secret = async (file: string): Promise<Hex> => {
      if (options.keepState && existsSync(file)) return (await readFile(file, 'utf8')).trim() as Hex;
      const key = `0x${randomBytes(32).toString('hex')}` as Hex;
      await writeFile(file, key, { mode: 0o600 });
      return key;
    };
    const platformKeyFile = path.join(dir, 'sim-platform.key');
    const platformKey = await secret(platformKeyFile);
    const smsEnv = {
      SMS_MODE: 'development',
      SMS_PORT: port(3),
      SMS_DATABASE: path.join(dir, 'sms.db'),
      // Kept with the state: the SMS database is sealed with it.
      SMS_MASTER_KEY: options.keepState
        ? await secret(path.join(dir, 'sms-master.key'))
        : `0x${randomBytes(32).toString('hex')}`,
      SMS_RPC_URL: devnet.rpcUrl,
      SMS_CHAIN_ID: String(devnet.chainId),
      SMS_HUB: hub,
      // A dataset in a collection is its collection owner's: they push its key.
      SMS_DATA_SHARING: devnet.addresses.dataSharing,
      SMS_SIM_PLATFORM_KEYS: createSimPlatform({ privateKey: platformKey }).publicKey,
      SMS_STORAGE_URL: storageNode.url,
    };
    const startSms = async (smsPort = port(3)) => {
      const sms = await startBin('sms', 'sms', { ...smsEnv, SMS_PORT: smsPort });
      processes.push(sms);
      return sms;
    };
    const sms = await startSms();

    const market = await startBin('market', 'market', {
      MARKET_RPC_URL: devnet.rpcUrl,
      MARKET_HUB: hub,
      MARKET_CHAIN_ID: String(devnet.chainId),
      MARKET_DATABASE: path.join(dir, 'market.db'),
      MARKET_PORT: port(5),
      MARKET_POLL_MS: '100',
    });
    processes.push(market);
    const indexer = await startBin('indexer', 'indexer', {
      INDEXER_DEPLOYMENT: devnet.deploymentFile,
      INDEXER_DATABASE: path.join(dir, 'indexer.db'),
      INDEXER_PORT: port(6),
      INDEXER_POLL_MS: '100',
    });
    processes.push(indexer);

    const schedulerEnv = {
      SCHEDULER_RPC_URL: devnet.rpcUrl,
      SCHEDULER_HUB: hub,
      SCHEDULER_WORKERPOOL: workerpool,
      SCHEDULER_PRIVATE_KEY: devnet.accounts[3]?.privateKey ?? '',
      SCHEDULER_DATABASE: path.join(dir, 'scheduler.db'),
      SCHEDULER_PORT: port(4),
      SCHEDULER_WORKERS: workerAccounts.map((w) => w.address).join(','),
      SCHEDULER_LEASE_MS: String(options.leaseMs ?? 15_000),
      SCHEDULER_POLL_MS: '25',
      SCHEDULER_CHAIN_POLL_MS: '20',
      SCHEDULER_PRICE: String(options.workerpoolPrice ?? parseUnits('3', 9)),
      SCHEDULER_MARKET_URL: market.url,
      SCHEDULER_TRUST: String(options.trust ?? 0),
    };
    const startScheduler = async (schedulerPort = port(4)) => {
      const process_ = await startBin('scheduler', 'scheduler', {
        ...schedulerEnv,
        SCHEDULER_PORT: schedulerPort,
      });
      processes.push(process_);
      return process_;
    };
    const schedulerProcess = await startScheduler();

    const workerDirs: string[] = [];
    const startWorker = async (index: number) => {
      const dataDir = path.join(dir, `worker-${index}`);
      workerDirs[index] = dataDir;
      const worker = await startBin(`worker-${index}`, 'worker', {
        WORKER_RPC_URL: devnet?.rpcUrl ?? '',
        WORKER_HUB: hub,
        WORKER_PRIVATE_KEY: devnet?.accounts[5 + index]?.privateKey ?? '',
        WORKER_SCHEDULER_URL: schedulerProcess.url,
        WORKER_SMS_URL: sms.url,
        WORKER_STORAGE_URL: storageNode.url,
        WORKER_DIR: dataDir,
        WORKER_PLATFORM_KEY_FILE: platformKeyFile,
        WORKER_PORT: port(7 + index),
        WORKER_SLOTS: String(options.slots ?? 1),
        WORKER_POLL_MS: '25',
        WORKER_CHAIN_POLL_MS: '20',
        WORKER_SMS_RETRY_MS: String(options.smsRetryMs ?? 30_000),
        ...(options.byzantine?.[index] ? { WORKER_BYZANTINE_FOR_TESTS: options.byzantine[index] } : {}),
      });
      processes.push(worker);
      return worker;
    };
    // Side by side: each is a separate process, and a loaded machine starts them slowly.
    const workers: StackProcess[] = await Promise.all(workerAccounts.map((_, i) => startWorker(i)));

    const storage: Storage = createKuboStorage({ url: storageNode.url });
    const stop = async () => {
      await storage.close().catch(() => undefined);
      for (const p of [...processes].reverse()) await p.stop();
      await devnet?.stop();
    };
    return {
      dir,
      /** The block the chain resumed at, when it resumed from kept state. */
      resumedAt: devnet.resumedAt,
      devnet,
      hub,
      workerpool,
      roles: { appOwner, dataOwner, scheduler, requester, workers: workerAccounts },
      clients,
      storage,
      storageNode,
      sms,
      market,
      indexer,
      scheduler: schedulerProcess,
      workers,
      workerDirs,
      /** Restarts the SMS on the same port (it keeps its database). */
      startSms,
      /** Starts a new scheduler process on the same port (it resumes from its journal). */
      startScheduler,
      startWorker,
      stop,
    };
  } catch (error) {
    for (const p of [...processes].reverse()) await p.stop();
    await devnet?.stop();
    throw error;
  }
}

/**
 * Runs `start` on a port that was free a moment ago; the chain only listens once started, so the
 * port may be taken in between (a busy machine opens many connections): then on another one.
 */
async function onFreePort<T>(start: (port: number) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await freePort());
    } catch (error) {
      if (!(error instanceof DevnetPortInUseError) || attempt >= attempts) throw error;
    }
  }
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address !== 'object') throw new Error('no free port');
  return address.port;
}
