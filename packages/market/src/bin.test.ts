import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Devnet, startDevnet } from '../../cli/src/devnet.js';
import { binArgs } from '../../cli/src/stack/bins.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, binArgs('market'), {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

/** Resolves with the URL of the `listening` line. */
async function listening(p: ReturnType<typeof start>): Promise<string> {
  for (let i = 0; i < 300; i++) {
    for (const line of p.stdout().split('\n').filter(Boolean)) {
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'listening' && entry.url) return entry.url;
    }
    if (p.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no listening line; stdout: ${p.stdout()} stderr: ${p.stderr()}`);
}

describe('confide-market (bin)', () => {
  let devnet: Devnet;
  let dir: string;
  let running: ChildProcess | undefined;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'confide-market-'));
    devnet = await startDevnet({ port: await freePort(), accounts: 2, stateDir: dir });
  });
  after(async () => {
    running?.kill('SIGKILL');
    await devnet?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const env = () => ({
    MARKET_RPC_URL: devnet.rpcUrl,
    MARKET_HUB: devnet.addresses.hub,
    MARKET_CHAIN_ID: String(devnet.chainId),
    MARKET_DATABASE: path.join(dir, 'market.sqlite'),
    MARKET_PORT: '0',
    MARKET_POLL_MS: '50',
  });

  it('logs a listening line with its real port, serves, follows the chain, and exits 0 on SIGTERM', async () => {
    const p = start(env());
    running = p.child;
    const url = await listening(p);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(url, 'http://127.0.0.1:0');
    const version = (await (await fetch(`${url}/version`)).json()) as { hub: string; chainId: number };
    assert.deepEqual([version.hub, version.chainId], [devnet.addresses.hub, devnet.chainId]);
    const events = await fetch(`${url}/events`);
    assert.equal(events.status, 200);
    const book = (await (await fetch(`${url}/apporders`)).json()) as { count: number };
    assert.equal(book.count, 0);
    p.child.kill('SIGTERM');
    assert.equal(await p.exited, 0, p.stderr());
    running = undefined;
  });

  it('error: a wrong configuration exits 2 with one line naming each wrong variable', async () => {
    const p = start({ ...env(), MARKET_HUB: 'nope', MARKET_PORT: '70000' });
    assert.equal(await p.exited, 2);
    const lines = p.stderr().trim().split('\n');
    assert.equal(lines.length, 1, p.stderr());
    assert.match(lines[0] ?? '', /MARKET_HUB: must be the hub address.*MARKET_PORT/);
  });
});
