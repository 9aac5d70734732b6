import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createPublicClient, http } from 'viem';
import { confideHubAbi, confideTokenAbi, dataSharingAbi } from '../../protocol/src/index.js';
import { startDevnet } from './devnet.js';
import { binArgs } from './stack/bins.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  assert.ok(address && typeof address === 'object');
  return address.port;
}

async function rpcAnswers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
    });
    return response.ok;
  } catch {
    return false;
  }
}

/** Runs `confide devnet` on a free port and resolves once it says it is ready. */
async function startCommand(accounts: number) {
  const port = await freePort();
  const args = [...binArgs('confide'), 'devnet', '--port', String(port), '--accounts', String(accounts)];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Press Ctrl-C to stop.')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${output}`)));
  });
  return { child, port, output: () => output };
}

describe('confide devnet', () => {
  it('deploys the protocol, funds the accounts and writes the deployment file', async () => {
    const stateDir = await mkdtemp(path.join(tmpdir(), 'confide-devnet-'));
    const devnet = await startDevnet({ port: await freePort(), accounts: 3, stateDir });
    try {
      const client = createPublicClient({ transport: http(devnet.rpcUrl) });
      const token = await client.readContract({
        address: devnet.addresses.hub,
        abi: confideHubAbi,
        functionName: 'token',
      });
      assert.equal(token.toLowerCase(), devnet.addresses.token.toLowerCase());
      const [first] = devnet.accounts;
      assert.ok(first);
      const balance = await client.readContract({
        address: devnet.addresses.token,
        abi: confideTokenAbi,
        functionName: 'balanceOf',
        args: [first.address],
      });
      assert.equal(balance, 1_000_000n * 10n ** 9n);
      const written = JSON.parse(await readFile(devnet.deploymentFile, 'utf8'));
      assert.equal(written.addresses.hub, devnet.addresses.hub);
      assert.equal(written.addresses.dataSharing, devnet.addresses.dataSharing);
      const sharingHub = await client.readContract({
        address: devnet.addresses.dataSharing,
        abi: dataSharingAbi,
        functionName: 'hub',
      });
      assert.equal(sharingHub, devnet.addresses.hub, 'the sharing contract is wired to the hub');
      assert.equal(written.chainId, 31337);
    } finally {
      await devnet.stop();
    }
    assert.equal(await rpcAnswers(devnet.rpcUrl), false, 'the chain is gone after stop');
  });

  it('error: refuses a port already in use instead of deploying to whatever listens there', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    assert.ok(address && typeof address === 'object');
    try {
      await assert.rejects(startDevnet({ port: address.port, stateDir: await mkdtemp(path.join(tmpdir(), 'cd-')) }), {
        name: 'DevnetPortInUseError',
        code: 'CONFIDE_DEVNET_CONFIG',
        message: new RegExp(`port ${address.port} on 127.0.0.1 is in use`),
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('error: refuses a port outside 1..65535 with a code', async () => {
    await assert.rejects(startDevnet({ port: 70000 }), { code: 'CONFIDE_DEVNET_CONFIG' });
  });

  it('the confide devnet command starts, prints readiness, and stops cleanly on SIGINT', async () => {
    const { child, port, output } = await startCommand(2);
    assert.match(output(), /Confide devnet ready in \d+\.\d s/);
    assert.equal(await rpcAnswers(`http://127.0.0.1:${port}`), true);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    assert.equal(await exited, 0);
    assert.match(output(), /devnet stopped/);
    assert.equal(await rpcAnswers(`http://127.0.0.1:${port}`), false, 'anvil was stopped with the devnet');
  });

  it('leaves no chain behind when the devnet process is killed outright (SIGKILL)', async () => {
    const { child, port } = await startCommand(1);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const deadline = Date.now() + 10_000;
    while ((await rpcAnswers(`http://127.0.0.1:${port}`)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(await rpcAnswers(`http://127.0.0.1:${port}`), false, 'anvil died with its parent');
  });

  it('error: an unknown command exits 2 with the usage', async () => {
    const child = spawn(process.execPath, [...binArgs('confide'), 'devnot'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 2);
    assert.match(stderr, /unknown command 'devnot'/);
  });
});
