import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { sha256, toHex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { type Devnet, startDevnet } from '../../cli/src/devnet.js';
import { binArgs } from '../../cli/src/stack/bins.js';
import { createChainClients, dataProtectorAbi } from '../../protocol/src/index.js';
import { createIndexerClient } from './client/createIndexerClient.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

type LogLine = { level: number; msg: string; [field: string]: unknown };

/** `confide-indexer` as a shell starts it; `ready` resolves with the url of its listening line. */
function spawnBin(env: Record<string, string>) {
  const { NODE_TEST_CONTEXT: _, ...inherited } = process.env;
  const child: ChildProcess = spawn(process.execPath, binArgs('indexer'), {
    cwd: ROOT,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let onReady: (url: string) => void = () => {};
  const ready = new Promise<string>((resolve) => {
    onReady = resolve;
  });
  const reader = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const closed = once(reader, 'close');
  reader.on('line', (text) => {
    const line = JSON.parse(text) as LogLine;
    lines.push(line);
    if (line.msg === 'listening') onReady(String(line.url));
  });
  const exited = (async () => {
    const [code] = (await once(child, 'exit')) as [number | null];
    await closed;
    return { code, lines, stderr };
  })();
  const readyOrExited = Promise.race([
    ready,
    exited.then((r) => {
      throw new Error(
        `confide-indexer exited with ${r.code} before it was ready: ${JSON.stringify(r.lines)} ${r.stderr}`,
      );
    }),
  ]);
  readyOrExited.catch(() => {});
  return { child, ready: readyOrExited, exited };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('confide-indexer (bin) on an anvil devnet', () => {
  let devnet: Devnet;
  let directory: string;
  before(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'confide-indexer-bin-'));
    devnet = await startDevnet({ port: await freePort(), accounts: 2, stateDir: directory });
  });
  after(async () => {
    await devnet?.stop();
    await rm(directory, { recursive: true, force: true });
  });

  it('serves what it indexes from the deployment file, and stops cleanly on SIGTERM', async () => {
    const database = path.join(directory, 'index.sqlite');
    const bin = spawnBin({
      INDEXER_DEPLOYMENT: devnet.deploymentFile,
      INDEXER_DATABASE: database,
      INDEXER_PORT: '0',
      INDEXER_POLL_MS: '50',
    });
    const url = await bin.ready;
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.doesNotMatch(url, /:0$/, 'port 0 is reported as the real port');

    const owner = privateKeyToAccount(devnet.accounts[1]?.privateKey ?? '0x');
    const { wallet, publicClient } = createChainClients({
      rpc: devnet.rpcUrl,
      chainId: devnet.chainId,
      account: owner,
    });
    const schema = JSON.stringify({ email: 'string' });
    const hash = await wallet.writeContract({
      address: devnet.addresses.dataProtector,
      abi: dataProtectorAbi,
      functionName: 'createDatasetWithSchema',
      args: [owner.address, 'mailbox', schema, toHex('/ipfs/bafymailbox'), sha256(toHex('mailbox'))],
    });
    await publicClient.waitForTransactionReceipt({ hash });

    const client = createIndexerClient({ url });
    const deadline = Date.now() + 15_000;
    let found = await client.getProtectedData({ requiredSchema: { email: 'string' } });
    while (found.length === 0) {
      assert.ok(Date.now() < deadline, 'indexed within 15 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
      found = await client.getProtectedData({ requiredSchema: { email: 'string' } });
    }
    assert.deepEqual(
      found.map((p) => [p.name, p.owner, p.transactionHash]),
      [['mailbox', owner.address, hash]],
    );

    bin.child.kill('SIGTERM');
    const { code, lines } = await bin.exited;
    assert.equal(code, 0);
    assert.deepEqual(
      lines.slice(-2).map((l) => l.msg),
      ['stopping', 'stopped'],
    );

    // Restarted with another hub, the same database is refused: it indexes another deployment.
    const mismatch = spawnBin({
      INDEXER_DEPLOYMENT: devnet.deploymentFile,
      INDEXER_HUB: devnet.addresses.appRegistry,
      INDEXER_DATABASE: database,
      INDEXER_PORT: '0',
    });
    const refused = await mismatch.exited;
    assert.equal(refused.code, 2);
    assert.equal(refused.lines.at(-1)?.code, 'CONFIDE_INDEXER_DATABASE_MISMATCH');
  });

  it('error: a wrong configuration exits 2 with one line naming every wrong value', async () => {
    const bin = spawnBin({ INDEXER_RPC_URL: devnet.rpcUrl, INDEXER_PORT: 'eighty', INDEXER_DEPLOYMENT: '' });
    const { code, lines } = await bin.exited;
    assert.equal(code, 2);
    assert.equal(lines.length, 1);
    const [line] = lines;
    assert.equal(line?.code, 'CONFIDE_INDEXER_CONFIG_INVALID');
    for (const name of ['INDEXER_HUB', 'INDEXER_DATABASE', 'INDEXER_PORT: must be an integer in 0..65535']) {
      assert.ok(String(line?.details).includes(name), `${name} in ${line?.details}`);
    }
  });
});
