// A devnet with only what the market commands need: the chain (anvil, contracts, funded accounts),
// a market and an SMS as their real bins on loopback, a storage node (embedded IPFS behind its Kubo
// RPC API, in this process) and a network.json naming them. No scheduler or workers: starts in
// seconds, unlike `confide start`.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createEmbeddedStorage, createKuboRpcServer } from '../../../storage/src/index.js';
import { type Devnet, startDevnet } from '../devnet.js';
import { type BinName, binArgs } from '../stack/bins.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts a service bin and resolves once it logs `listening`. */
async function startBin(bin: BinName, env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, binArgs(bin), {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string; port?: number };
        if (entry.msg === 'listening' && entry.url) resolve(entry.url);
        else if (entry.msg === 'listening' && entry.port) resolve(`http://127.0.0.1:${entry.port}`);
      } catch {
        // Not a JSON line.
      }
    });
    child.once('exit', (code) => reject(new Error(`${bin} exited (${code}) before listening: ${stderr}`)));
  });
  return { child, url };
}

const stopChild = async (child: ChildProcess) => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
};

/**
 * Starts the devnet, a market, an SMS (development mode) and a storage node in `dir`, and writes
 * `<dir>/network.json` for `--network`/`CONFIDE_NETWORK`.
 * @example const net = await startMarketAndSms(dir); … await net.stop()
 */
export async function startMarketAndSms(dir: string, accounts = 6) {
  const devnet: Devnet = await startDevnet({ port: await freePort(), accounts, stateDir: path.join(dir, 'chain') });
  const children: ChildProcess[] = [];
  const stops: (() => Promise<void>)[] = [];
  const stopStorage = async () => {
    for (const stop of stops.reverse()) await stop();
  };
  try {
    const storage = await createEmbeddedStorage({ directory: path.join(dir, 'ipfs') });
    stops.push(() => storage.close());
    const rpc = await createKuboRpcServer({ storage });
    stops.push(() => rpc.close());
    const { hub } = devnet.addresses;
    const chain = { rpc: devnet.rpcUrl, chainId: String(devnet.chainId) };
    const [market, sms] = await Promise.all([
      startBin('market', {
        MARKET_RPC_URL: chain.rpc,
        MARKET_HUB: hub,
        MARKET_CHAIN_ID: chain.chainId,
        MARKET_DATABASE: path.join(dir, 'market.db'),
        MARKET_PORT: '0',
        MARKET_POLL_MS: '100',
      }),
      startBin('sms', {
        SMS_MODE: 'development',
        SMS_PORT: '0',
        SMS_DATABASE: path.join(dir, 'sms.db'),
        SMS_MASTER_KEY: `0x${randomBytes(32).toString('hex')}`,
        SMS_RPC_URL: chain.rpc,
        SMS_CHAIN_ID: chain.chainId,
        SMS_HUB: hub,
      }),
    ]);
    children.push(market.child, sms.child);
    const network = {
      rpcUrl: devnet.rpcUrl,
      chainId: devnet.chainId,
      hub,
      marketUrl: market.url,
      smsUrl: sms.url,
      storageUrl: rpc.url,
      apps: {},
    };
    await writeFile(path.join(dir, 'network.json'), `${JSON.stringify(network, null, 2)}\n`);
    return {
      devnet,
      network,
      /** The storage node's blocks, to check what the CLI stored. */
      storage,
      async stop() {
        await Promise.all(children.map(stopChild));
        await Promise.all([devnet.stop(), stopStorage()]);
      },
    };
  } catch (error) {
    await Promise.all(children.map(stopChild));
    await Promise.all([devnet.stop(), stopStorage()]);
    throw error;
  }
}
