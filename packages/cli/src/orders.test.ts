import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Address, defineChain, type Hex, http, sha256 } from 'viem';
import { bundleFingerprint, packBundle } from '../../enclave/src/index.js';
import { createConfideClient } from '../../sdk/src/index.js';
import { startMarketAndSms } from './testing/marketAndSms.js';
import { runConfide, runProcess } from './testing/runConfide.js';

const PASSWORD = 'orders test password';
const BIN = path.resolve(import.meta.dirname, 'bin.ts');

type Json = Record<string, unknown>;

let dir: string;
let net: Awaited<ReturnType<typeof startMarketAndSms>>;
const env = (extra: Record<string, string> = {}) => ({
  CONFIDE_HOME: dir,
  CONFIDE_NETWORK: dir,
  CONFIDE_PASSWORD: PASSWORD,
  ...extra,
});

/** The real binary with `--json`, stdout parsed. */
async function confide(args: string[], extra?: Record<string, string>) {
  const run = await runConfide([...args, '--json'], env(extra));
  let json: Json;
  try {
    json = JSON.parse(run.stdout) as Json;
  } catch {
    assert.fail(`confide ${args.join(' ')}: stdout is not JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
  return { ...run, json };
}

async function ok(args: string[], extra?: Record<string, string>): Promise<Json> {
  const run = await confide(args, extra);
  assert.equal(run.code, 0, `confide ${args.join(' ')}: ${run.stderr}`);
  return run.json;
}

async function fails(args: string[], exit: number, code: string, extra?: Record<string, string>) {
  const run = await confide(args, extra);
  assert.equal(run.code, exit, `confide ${args.join(' ')}: ${run.stderr}`);
  const error = run.json.error as { code: string; message: string };
  assert.equal(error.code, code, run.stderr);
  assert.match(run.stderr, new RegExp(code));
  assert.doesNotMatch(run.stderr + run.stdout, new RegExp(PASSWORD));
  return error;
}

/** Polls `read` until `done` holds (the market follows the chain a little behind), 20 s at most. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
  }
}

const CHECKSUM = `0x${'ab'.repeat(32)}`;

/** An SDK client in this process, to check on chain what the binary did. */
const reader = () =>
  createConfideClient({
    chain: defineChain({
      id: net.network.chainId,
      name: 'devnet',
      nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
      rpcUrls: { default: { http: [net.network.rpcUrl] } },
    }),
    transport: http(net.network.rpcUrl),
    hub: net.network.hub,
    pollingInterval: 100,
  });

/** Moves the devnet's clock `seconds` on and mines a block there (anvil's evm_increaseTime). */
async function passTime(seconds: number): Promise<void> {
  for (const [method, params] of [
    ['evm_increaseTime', [seconds]],
    ['evm_mine', []],
  ] as const) {
    const response = await fetch(net.network.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    });
    assert.equal(((await response.json()) as { error?: unknown }).error, undefined, method);
  }
}

describe('confide app|dataset|workerpool deploy, order, secrets: the write commands on a devnet, a market and an SMS', () => {
  let app: string;
  let dataset: string;
  let workerpool: string;
  /** A deal of one task nobody runs (no workers here): claimable once its final deadline passes. */
  let unrun: Hex;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'confide-orders-'));
    net = await startMarketAndSms(dir);
    const keys = net.devnet.accounts.map((a) => a.privateKey);
    // The devnet's deployer (account 0) owns the hub: it alone creates categories.
    await Promise.all(
      ['hubOwner', 'appOwner', 'dataOwner', 'scheduler', 'requester'].map((name, i) =>
        ok(['wallet', 'import', String(keys[i]), '--name', name]),
      ),
    );
  });
  after(async () => {
    await net?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('deploys an app, a dataset and a workerpool owned by the wallets; a second identical app is refused (6)', async () => {
    const [a, d, w] = await Promise.all([
      ok([
        'app',
        'deploy',
        '--name',
        'my-app',
        '--multiaddr',
        '/ipfs/bafyapp',
        '--checksum',
        CHECKSUM,
        '--fingerprint',
        '0x1234',
        '--wallet',
        'appOwner',
      ]),
      ok([
        'dataset',
        'deploy',
        '--name',
        'air.csv',
        '--multiaddr',
        '/ipfs/bafydata',
        '--checksum',
        CHECKSUM,
        '--wallet',
        'dataOwner',
      ]),
      ok(['workerpool', 'deploy', '--description', 'my pool', '--wallet', 'scheduler']),
    ]);
    [app, dataset, workerpool] = [String(a.address), String(d.address), String(w.address)];
    const shown = await ok(['app', 'show', app]);
    assert.deepEqual(
      { owner: shown.owner, name: shown.name, type: shown.type, multiaddr: shown.multiaddr, checksum: shown.checksum },
      { owner: a.owner, name: 'my-app', type: 'NODE', multiaddr: '/ipfs/bafyapp', checksum: CHECKSUM },
    );
    assert.equal((await ok(['dataset', 'show', dataset])).owner, net.devnet.accounts[2]?.address);
    assert.equal((await ok(['workerpool', 'count', '--owner', 'scheduler'])).count, '1');
    const again = [
      'app',
      'deploy',
      '--name',
      'my-app',
      '--multiaddr',
      '/ipfs/bafyapp',
      '--checksum',
      CHECKSUM,
      '--fingerprint',
      '0x1234',
      '--wallet',
      'appOwner',
    ];
    await Promise.all([
      fails(again, 6, 'CONFIDE_SDK_ASSET_EXISTS'),
      fails([...again.slice(0, 7), '0x12', ...again.slice(8)], 2, 'CONFIDE_CLI_INVALID_INPUT'),
      fails(
        ['workerpool', 'deploy', '--description', 'x', '--wallet', 'scheduler'],
        3,
        'CONFIDE_KEYSTORE_WRONG_PASSWORD',
        {
          CONFIDE_PASSWORD: 'not it',
        },
      ),
    ]);
  });

  it('secrets: pushes from stdin or a file, checks existence, refuses a second push and a non-owner (6)', async () => {
    const valueFile = path.join(dir, 'key.txt');
    await writeFile(valueFile, 'dataset-key-value\n');
    // From stdin, as a user pipes it: the value never on the command line.
    const piped = await runProcess(
      'bash',
      [
        '-euo',
        'pipefail',
        '-c',
        `printf 'tok-123\\n' | node --import tsx ${BIN} secrets push-requester-secret api-token --wallet requester --json`,
      ],
      env(),
    );
    assert.equal(piped.code, 0, piped.stderr);
    assert.deepEqual(JSON.parse(piped.stdout), { requester: net.devnet.accounts[4]?.address, name: 'api-token' });
    await Promise.all([
      ok(['secrets', 'push-dataset-secret', dataset, '--value-file', valueFile, '--wallet', 'dataOwner']),
      ok(['secrets', 'push-app-secret', app, '--value-file', valueFile, '--wallet', 'appOwner']),
    ]);
    const [requester, other, appSecret, datasetKey, noKey] = await Promise.all([
      ok(['secrets', 'check-requester-secret', 'api-token', '--requester', 'requester']),
      ok(['secrets', 'check-requester-secret', 'api-token', '--requester', 'appOwner']),
      ok(['secrets', 'check-app-secret', app]),
      ok(['secrets', 'check-dataset-secret', dataset]),
      ok(['secrets', 'check-dataset-secret', app]),
    ]);
    assert.equal(requester.exists, true);
    assert.equal(other.exists, false);
    assert.equal(appSecret.exists, true);
    assert.equal(datasetKey.exists, true);
    assert.equal(noKey.exists, false);
    await Promise.all([
      fails(
        ['secrets', 'push-app-secret', app, '--value-file', valueFile, '--wallet', 'appOwner'],
        6,
        'CONFIDE_SDK_SMS_REFUSED',
      ),
      fails(
        ['secrets', 'push-dataset-secret', app, '--value-file', valueFile, '--wallet', 'requester'],
        6,
        'CONFIDE_SDK_SMS_REFUSED',
      ),
      // No stdin (the runner gives /dev/null) and no file: nothing to push.
      fails(['secrets', 'push-requester-secret', 'empty', '--wallet', 'requester'], 2, 'CONFIDE_CLI_INVALID_INPUT'),
      fails(
        ['secrets', 'check-requester-secret', 'bad name', '--requester', 'requester'],
        2,
        'CONFIDE_CLI_INVALID_INPUT',
      ),
    ]);
    const leaked = await readFile(path.join(dir, 'sms.db')).catch(() => Buffer.alloc(0));
    assert.equal(leaked.includes('tok-123'), false, 'the SMS stores secrets encrypted');
  });

  it('orders: init, sign to a file, publish (file, or flags), show, fill from files, hashes and the market; tasks listed', async () => {
    const appFile = path.join(dir, 'app-order.json');
    const poolDraft = path.join(dir, 'pool-unsigned.json');
    const poolFile = path.join(dir, 'pool-order.json');
    await Promise.all([
      ok([
        'order',
        'sign',
        '--app',
        app,
        '--price',
        '1',
        '--volume',
        '10',
        '--tag',
        'tee',
        '--out',
        appFile,
        '--wallet',
        'appOwner',
      ]),
      ok(['order', 'init', '--workerpool', workerpool, '--tag', 'tee', '--volume', '3', '--out', poolDraft]),
    ]);
    const draft = JSON.parse(await readFile(poolDraft, 'utf8'));
    assert.equal(draft.kind, 'WorkerpoolOrder');
    assert.equal(draft.order.sign, undefined, 'init does not sign');
    assert.equal(draft.order.volume, '3');
    assert.equal(draft.order.category, '0');
    await ok(['order', 'sign', poolDraft, '--out', poolFile, '--wallet', 'scheduler']);
    const signedApp = JSON.parse(await readFile(appFile, 'utf8'));
    assert.deepEqual(
      {
        kind: signedApp.kind,
        price: signedApp.order.appprice,
        volume: signedApp.order.volume,
        tag: signedApp.order.tag,
      },
      { kind: 'AppOrder', price: '1000000000', volume: '10', tag: `0x${'0'.repeat(63)}1` },
    );
    assert.match(signedApp.order.sign, /^0x[0-9a-f]{130}$/);

    const [appPub, poolPub, dataPub] = await Promise.all([
      ok(['order', 'publish', appFile, '--wallet', 'appOwner']),
      ok(['order', 'publish', poolFile, '--wallet', 'scheduler']),
      // Signed and published in one go.
      ok([
        'order',
        'publish',
        '--dataset',
        dataset,
        '--volume',
        '5',
        '--tag',
        'tee',
        '--app-restrict',
        app,
        '--wallet',
        'dataOwner',
      ]),
    ]);
    assert.equal(appPub.orderHash, signedApp.orderHash);
    assert.equal(appPub.remaining, '10');
    assert.equal(dataPub.signer, net.devnet.accounts[2]?.address);
    const shown = await ok(['order', 'show', String(appPub.orderHash)]);
    assert.deepEqual(
      { kind: shown.kind, status: shown.status, remaining: shown.remaining, signer: shown.signer },
      { kind: 'AppOrder', status: 'open', remaining: '10', signer: net.devnet.accounts[1]?.address },
    );

    // The requester pays 1 CFD per task to the app: a deposit first.
    await ok(['account', 'deposit', '5', '--wallet', 'requester']);
    // Every order from the market (the best for the app and dataset), the request signed by the wallet.
    const fromMarket = await ok([
      'order',
      'fill',
      '--app',
      app,
      '--dataset',
      dataset,
      '--args',
      'x',
      '--wallet',
      'requester',
    ]);
    assert.match(String(fromMarket.dealId), /^0x[0-9a-f]{64}$/);
    unrun = fromMarket.dealId as Hex;
    assert.equal((fromMarket.tasks as string[]).length, 1);
    const deal = await ok(['deal', 'show', String(fromMarket.dealId)]);
    assert.deepEqual(
      [deal.app, deal.dataset, deal.workerpool, deal.requester].map((a) => String(a).toLowerCase()),
      [app, dataset, workerpool, net.devnet.accounts[4]?.address].map((a) => String(a).toLowerCase()),
    );
    assert.deepEqual(deal.tasks, fromMarket.tasks);

    // A request of 2 tasks signed beforehand, the app order from its file, the pool's by its hash.
    const requestFile = path.join(dir, 'request.json');
    await ok([
      'order',
      'sign',
      '--request',
      '--app',
      app,
      '--dataset',
      dataset,
      '--app-max-price',
      '1',
      '--volume',
      '2',
      '--tag',
      'tee',
      '--out',
      requestFile,
      '--wallet',
      'requester',
    ]);
    const request = JSON.parse(await readFile(requestFile, 'utf8'));
    assert.match(JSON.parse(request.order.params).confide_result_recipient, /^age1/);
    const fromFiles = await ok([
      'order',
      'fill',
      '--request-order',
      requestFile,
      '--app-order',
      appFile,
      '--workerpool-order',
      String(poolPub.orderHash),
      '--wallet',
      'requester',
    ]);
    assert.equal(fromFiles.volume, '2');
    assert.equal((fromFiles.tasks as string[]).length, 2);

    // The market follows the chain: 3 of the app order's 10 tasks are consumed, the pool's 3 all.
    const remaining = await until(
      () => ok(['order', 'show', String(appPub.orderHash)]),
      (o) => o.remaining === '7',
    );
    assert.equal(remaining.remaining, '7');
    const pool = await until(
      () => ok(['order', 'show', String(poolPub.orderHash), '--kind', 'workerpool']),
      (o) => o.status === 'filled',
    );
    assert.deepEqual([pool.status, pool.remaining], ['filled', '0']);
    // No pool order left: nothing to fill with.
    await fails(
      ['order', 'fill', '--app', app, '--dataset', dataset, '--wallet', 'requester'],
      1,
      'CONFIDE_CLI_NO_ORDER',
    );
  });

  it("orders: unpublish and cancel are the owner's; an invalid file, a wrong kind flag, an unknown hash are refused", async () => {
    // One order to cancel on chain, another to unpublish (an unpublished order leaves the market,
    // so cancelling it needs its file).
    const [mine, other] = await Promise.all([
      ok(['order', 'publish', '--app', app, '--volume', '2', '--wallet', 'appOwner']),
      ok(['order', 'publish', '--app', app, '--volume', '3', '--wallet', 'appOwner']),
    ]);
    const hash = String(mine.orderHash);
    const otherHash = String(other.orderHash);
    const bad = path.join(dir, 'bad-order.json');
    const notJson = path.join(dir, 'not-json.json');
    await writeFile(bad, JSON.stringify({ kind: 'AppOrder', order: { app: '0x12' } }));
    await writeFile(notJson, 'app=0x12');
    await Promise.all([
      fails(['order', 'cancel', hash, '--wallet', 'requester'], 6, 'CONFIDE_SDK_NOT_OWNER'),
      fails(['order', 'unpublish', hash, '--wallet', 'requester'], 6, 'CONFIDE_MARKET_NOT_OWNER'),
      fails(['order', 'publish', bad, '--wallet', 'appOwner'], 2, 'CONFIDE_CLI_ORDER_INVALID'),
      fails(['order', 'cancel', notJson, '--wallet', 'appOwner'], 2, 'CONFIDE_CLI_ORDER_INVALID'),
      fails(['order', 'sign', '--app', '0x12', '--wallet', 'appOwner'], 2, 'CONFIDE_CLI_INVALID_INPUT'),
      fails(
        ['order', 'sign', '--app', app, '--dataset', dataset, '--wallet', 'appOwner'],
        2,
        'CONFIDE_CLI_INVALID_INPUT',
      ),
      fails(['order', 'sign', '--app', app, '--category', '1', '--wallet', 'appOwner'], 2, 'CONFIDE_CLI_INVALID_INPUT'),
      fails(['order', 'sign', '--app', app, '--wallet', 'appOwner'], 3, 'CONFIDE_KEYSTORE_WRONG_PASSWORD', {
        CONFIDE_PASSWORD: 'not it',
      }),
      fails(['order', 'show', `0x${'cd'.repeat(32)}`], 5, 'CONFIDE_CLI_UNKNOWN_ADDRESS'),
      fails(['order', 'show', hash, '--kind', 'dataset'], 5, 'CONFIDE_CLI_UNKNOWN_ADDRESS'),
    ]);
    const unpublished = await ok(['order', 'unpublish', otherHash, '--wallet', 'appOwner']);
    assert.deepEqual(unpublished.unpublished, [otherHash]);
    await fails(['order', 'show', otherHash], 5, 'CONFIDE_CLI_UNKNOWN_ADDRESS');
    const cancelled = await ok(['order', 'cancel', hash, '--wallet', 'appOwner']);
    assert.equal(cancelled.orderHash, hash);
    assert.match(String(cancelled.txHash), /^0x[0-9a-f]{64}$/);
  });

  it('app deploy --bundle: packs the folder, stores it on the storage node, registers it; a missing folder, a missing entrypoint, --bundle with --multiaddr are refused (2)', async () => {
    const appDir = path.join(dir, 'bundle-app');
    const noEntry = path.join(dir, 'bundle-no-entry');
    await Promise.all([mkdir(appDir), mkdir(noEntry)]);
    const manifest = (name: string) =>
      JSON.stringify({ name, version: '1.0.0', runtime: 'node', entrypoint: 'main.mjs' });
    await Promise.all([
      writeFile(path.join(appDir, 'confide.json'), manifest('bundled')),
      writeFile(path.join(appDir, 'main.mjs'), 'console.log("bundled");\n'),
      writeFile(path.join(noEntry, 'confide.json'), manifest('no-entry')),
    ]);
    const [deployed, , invalid, both] = await Promise.all([
      ok(['app', 'deploy', '--bundle', appDir, '--wallet', 'appOwner']),
      fails(
        ['app', 'deploy', '--bundle', path.join(dir, 'no-such-app'), '--wallet', 'appOwner'],
        2,
        'CONFIDE_CLI_BUNDLE_NOT_FOUND',
      ),
      fails(['app', 'deploy', '--bundle', noEntry, '--wallet', 'appOwner'], 2, 'CONFIDE_CLI_BUNDLE_INVALID'),
      confide(['app', 'deploy', '--bundle', appDir, '--multiaddr', '/ipfs/bafyapp', '--wallet', 'appOwner']),
    ]);
    assert.match(invalid.message, /ENTRYPOINT_MISSING: entrypoint main\.mjs/);
    assert.equal(both.code, 2, both.stderr);
    assert.equal((both.json.error as { code: string }).code, 'CONFIDE_CLI_USAGE');
    assert.match(both.stderr, /--bundle <dir>' cannot be used with option '--multiaddr/);

    // What was registered is the folder's canonical bundle, as stored on the node.
    const bundle = await packBundle(appDir);
    const fingerprint = bundleFingerprint(bundle);
    assert.deepEqual(
      [deployed.name, deployed.type, deployed.checksum, deployed.fingerprint, deployed.multiaddr, deployed.size],
      ['bundled', 'NODE', sha256(bundle), fingerprint, `/ipfs/${deployed.cid}`, bundle.length],
    );
    const chunks: Uint8Array[] = [];
    for await (const chunk of net.storage.get(String(deployed.cid))) chunks.push(chunk);
    assert.equal(sha256(Buffer.concat(chunks)), sha256(bundle));
    const onChain = await reader().showApp({ app: deployed.address as Address });
    assert.deepEqual(
      [onChain.owner, onChain.name, onChain.multiaddr, onChain.checksum, onChain.fingerprint],
      [net.devnet.accounts[1]?.address, 'bundled', deployed.multiaddr, sha256(bundle), fingerprint],
    );
  });

  it("category create is the hub owner's (else NOT_OWNER, 6); count and show read it back", async () => {
    const [created, refused] = await Promise.all([
      ok([
        'category',
        'create',
        '--name',
        'GPU-S',
        '--description',
        '15 min on a GPU',
        '--duration',
        '900',
        '--wallet',
        'hubOwner',
      ]),
      fails(
        ['category', 'create', '--name', 'mine', '--duration', '60', '--wallet', 'requester'],
        6,
        'CONFIDE_SDK_NOT_OWNER',
      ),
    ]);
    assert.match(refused.message, new RegExp(`OwnableUnauthorizedAccount\\(${net.devnet.accounts[4]?.address}\\)`));
    assert.deepEqual([created.id, created.name, created.workClockTimeRef], [5, 'GPU-S', '900']);
    const [count, shown] = await Promise.all([ok(['category', 'count']), ok(['category', 'show', '5'])]);
    assert.equal(count.count, '6');
    assert.deepEqual(shown, { id: 5, name: 'GPU-S', description: '15 min on a GPU', workClockTimeRef: '900' });
  });

  it("deal claim: refused with the hub's TaskFinalDeadlineNotReached before the final deadline (6); after it, refunds the requester", async () => {
    const early = await fails(['deal', 'claim', unrun, '--wallet', 'requester'], 6, 'CONFIDE_SDK_TASK_NOT_CLAIMABLE');
    const [, deadline] =
      /TaskFinalDeadlineNotReached\((0x[0-9a-f]{64}), (\d+), (\d+)\)/.exec(early.message)?.slice(1) ?? [];
    assert.ok(deadline, early.message);
    const deal = await reader().showDeal({ dealId: unrun });
    assert.equal(BigInt(deadline), deal.finalDeadline);
    const price = deal.appPrice + deal.datasetPrice + deal.workerpoolPrice;
    const before = await reader().getAccountBalance({ address: deal.sponsor });
    const now = (await reader().publicClient.getBlock()).timestamp;
    await passTime(Number(BigInt(deadline) - now) + 1);

    const claimed = await ok(['deal', 'claim', unrun, '--wallet', 'scheduler']);
    assert.deepEqual(claimed.claimed, deal.tasks);
    assert.equal((claimed.txHashes as string[]).length, 1);
    const after = await reader().getAccountBalance({ address: deal.sponsor });
    assert.equal(price > 0n, true);
    assert.deepEqual([after.stake - before.stake, before.locked - after.locked], [price, price]);
    assert.equal((await reader().showTask({ taskId: claimed.claimed[0] as Hex })).statusName, 'FAILED');
  });
});
