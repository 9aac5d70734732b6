import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createPublicClient, http } from 'viem';
import { confideHubAbi } from '../../protocol/src/index.js';
import { type Devnet, startDevnet } from './devnet.js';
import { runConfide } from './testing/runConfide.js';

const PASSWORD = 'deploy test password';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('confide deploy: the contracts on a chain given by its RPC URL', () => {
  let devnet: Devnet;
  let dir: string;
  const env = () => ({ CONFIDE_HOME: dir, CONFIDE_PASSWORD: PASSWORD });
  const json = async (args: string[]) => {
    const run = await runConfide([...args, '--json'], env());
    return { ...run, json: JSON.parse(run.stdout) as Record<string, unknown> };
  };

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'confide-deploy-'));
    devnet = await startDevnet({ port: await freePort(), accounts: 2, stateDir: path.join(dir, 'chain') });
    const key = String(devnet.accounts[1]?.privateKey);
    assert.equal((await json(['wallet', 'import', key, '--name', 'deployer'])).code, 0);
    assert.equal((await json(['wallet', 'create', '--name', 'empty'])).code, 0);
  });
  after(async () => {
    await devnet?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('deploys a second hub, writes a network file that the other commands read', async () => {
    const out = path.join(dir, 'deployment.json');
    const run = await json(['deploy', '--rpc', devnet.rpcUrl, '--wallet', 'deployer', '--out', out]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.json.chainId, 31337);
    assert.equal(run.json.deployer, devnet.accounts[1]?.address);
    assert.notEqual(run.json.hub, devnet.addresses.hub, 'a new deployment, not the devnet one');
    const file = JSON.parse(await readFile(out, 'utf8'));
    assert.equal(file.hub, run.json.hub);
    assert.equal(file.dataProtector, run.json.dataProtector);
    assert.equal(file.rpcUrl, devnet.rpcUrl);

    // The deployer owns the new hub, whose five categories are born with it.
    const client = createPublicClient({ transport: http(devnet.rpcUrl) });
    const owner = await client.readContract({ address: file.hub, abi: confideHubAbi, functionName: 'owner' });
    assert.equal(owner, devnet.accounts[1]?.address);
    const categories = await json(['category', 'list', '--network', out]);
    assert.equal(categories.code, 0, categories.stderr);
    assert.equal((categories.json as unknown as unknown[]).length, 5);
  });

  it('errors: an existing --out (2), a wallet without gas (4), an RPC that does not answer (2)', async () => {
    const taken = path.join(dir, 'taken.json');
    await writeFile(taken, '{}');
    const [exists, broke, nowhere] = await Promise.all([
      json(['deploy', '--rpc', devnet.rpcUrl, '--wallet', 'deployer', '--out', taken]),
      json(['deploy', '--rpc', devnet.rpcUrl, '--wallet', 'empty', '--out', path.join(dir, 'broke.json')]),
      json(['deploy', '--rpc', `http://127.0.0.1:${await freePort()}`, '--wallet', 'deployer']),
    ]);
    const error = (run: { json: Record<string, unknown> }) => run.json.error as { code: string; message: string };
    assert.equal(exists.code, 2);
    assert.equal(error(exists).code, 'CONFIDE_CLI_INVALID_INPUT');
    assert.match(error(exists).message, /exists/);
    assert.equal(await readFile(taken, 'utf8'), '{}', 'not overwritten');
    assert.equal(broke.code, 4);
    assert.equal(error(broke).code, 'CONFIDE_CLI_INSUFFICIENT_FUNDS');
    assert.equal(nowhere.code, 2);
    assert.equal(error(nowhere).code, 'CONFIDE_CLI_NO_NETWORK');
  });
});
