import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { computeClimateStats } from '../../../apps/climate-stats-data/reference.mjs';
import { startLocalNetwork } from './start.js';
import { codeBlocks, REPO_ROOT } from './testing/markdown.js';
import { runConfide, runProcess } from './testing/runConfide.js';

const CSV = path.resolve(import.meta.dirname, '../../../apps/climate-stats-data/air-quality.csv');
// The tutorial's password: its keystores are the ones the later tests sign with.
const PASSWORD = 'choose a password';

type Run = { code: number | null; stdout: string; stderr: string; json: Record<string, unknown> };

let dir: string;
let home: string;
let started: Awaited<ReturnType<typeof startLocalNetwork>>;

/** Runs the real `confide` binary with `--json`, as a user's shell would, and parses its stdout. */
async function confide(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const { code, stdout, stderr } = await runConfide([...args, '--json'], {
    CONFIDE_HOME: home,
    CONFIDE_NETWORK: dir,
    CONFIDE_PASSWORD: PASSWORD,
    ...env,
  });
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(stdout) as Record<string, unknown>;
  } catch {
    assert.fail(`confide ${args.join(' ')}: stdout is not one JSON document (exit ${code}):\n${stdout}\n${stderr}`);
  }
  return { code, stdout, stderr, json };
}

/** Runs a script with bash (errexit, pipefail) as a user's terminal would, with the test's network and home. */
const bash = (script: string, cwd: string) =>
  runProcess('bash', ['-euo', 'pipefail', '-c', script], { CONFIDE_HOME: home, CONFIDE_NETWORK: dir, CI: 'true' }, cwd);

/** Asserts a command succeeded and returns its JSON. */
async function ok(args: string[], env?: Record<string, string>) {
  const run = await confide(args, env);
  assert.equal(run.code, 0, `confide ${args.join(' ')}: ${run.stderr}`);
  return run.json;
}

/** Asserts a command failed with `exit` and `code`, the message on stderr and the error on stdout. */
async function fails(args: string[], exit: number, code: string, env?: Record<string, string>) {
  const run = await confide(args, env);
  assert.equal(run.code, exit, `confide ${args.join(' ')}: ${run.stderr}`);
  const error = run.json.error as { code: string; message: string };
  assert.equal(error.code, code);
  assert.match(run.stderr, new RegExp(code));
  assert.doesNotMatch(run.stderr + run.stdout, new RegExp(PASSWORD));
  return error;
}

describe('confide CLI on a running network (the real binary, --json parsed)', () => {
  let protectedData: string;
  let taskId: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'confide-cli-net-'));
    home = await mkdtemp(path.join(tmpdir(), 'confide-cli-home-'));
    started = await startLocalNetwork({ stateDir: dir, ports: 'auto', workers: 1 }, () => undefined);
  });
  after(async () => {
    await started?.stop();
    await rm(dir, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
  });

  it('the tutorial of docs/cli.md, pasted into bash: demo wallets, protect, grant, run climate-stats, statistics', async () => {
    // The block as a user pastes it, in a fresh folder that has the sample data and the installed packages.
    const tutorial = codeBlocks(path.join(REPO_ROOT, 'docs/cli.md')).find(
      (block) => block.lang === 'bash' && block.body.includes('confide protect'),
    );
    assert.ok(tutorial, 'docs/cli.md has the tutorial block');
    const work = await mkdtemp(path.join(tmpdir(), 'confide-tutorial-'));
    await symlink(path.join(REPO_ROOT, 'apps'), path.join(work, 'apps'));
    await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(work, 'node_modules'));
    const shell = await bash(`${tutorial.body}\nprintf '\\nPD=%s\\n' "$PD"`, work);
    assert.equal(shell.code, 0, `the tutorial failed:\n${shell.stdout}\n${shell.stderr}`);
    protectedData = String(/^PD=(0x[0-9a-fA-F]{40})$/m.exec(shell.stdout)?.[1]);
    taskId = String(/task (0x[0-9a-f]{64}) completed/.exec(shell.stdout)?.[1]);
    assert.match(protectedData, /^0x/, shell.stdout);
    assert.match(taskId, /^0x/, shell.stdout);
    for (const step of ['FETCH_ORDERS', 'REQUEST_TO_PROCESS_PROTECTED_DATA', 'TASK_EXECUTION', 'TASK_RESULT_DECRYPT']) {
      assert.match(shell.stderr, new RegExp(`${step} done`), `progress shows ${step}`);
    }
    assert.doesNotMatch(shell.stdout + shell.stderr, /choose a password/, 'the password is never printed');
    const expected = `${JSON.stringify(computeClimateStats(await readFile(CSV, 'utf8')), null, 2)}\n`;
    assert.equal(await readFile(path.join(work, 'climate-result/result.json'), 'utf8'), expected);
    assert.ok(shell.stdout.includes(expected), 'the last command prints the statistics');
    await rm(work, { recursive: true, force: true });

    // What the tutorial made: V3 keystores, and the grant with one of its 10 uses spent.
    const keystore = JSON.parse(await readFile(path.join(home, 'wallets/dataOwner.json'), 'utf8'));
    assert.equal(keystore.version, 3);
    assert.equal(keystore.crypto.kdf, 'scrypt');
    const lab = started.stack.roles.requester.address;
    const granted = (await ok(['orderbook', 'dataset', protectedData, '--requester', lab])) as unknown as {
      orders: { remaining: string; order: { requesterrestrict: string; datasetprice: string } }[];
    };
    assert.equal(granted.orders.length, 1);
    assert.equal(granted.orders[0]?.order.requesterrestrict, lab);
    assert.equal(granted.orders[0]?.order.datasetprice, '1000000000');
    assert.equal(granted.orders[0]?.remaining, '9');

    // The same result again, later, with the wallet's result key.
    const again = await ok(['result', taskId, '--out', path.join(home, 'again'), '--wallet', 'requester']);
    assert.equal(await readFile(path.join(String(again.out), 'result.json'), 'utf8'), expected);

    // The indexer finds it by schema and owner (it follows the chain a little behind: poll).
    for (;;) {
      const list = (await ok([
        'list',
        '--owner',
        'dataOwner',
        '--schema',
        'csv:application/octet-stream',
      ])) as unknown as {
        address: string;
      }[];
      if (list.some((d) => d.address === protectedData)) break;
    }
    const revoked = await ok(['revoke', protectedData, '--user', 'requester', '--wallet', 'dataOwner']);
    assert.equal((revoked.revoked as unknown[]).length, 1);

    // Then a key rotation: new ciphertext registered, the old key destroyed in the SMS.
    await fails(['revoke', protectedData, '--user', 'requester', '--rotate-key'], 2, 'CONFIDE_CLI_USAGE');
    const rotated = await ok(['rotate-key', protectedData, '--wallet', 'dataOwner']);
    const shown = await ok(['dataset', 'show', protectedData]);
    assert.deepEqual([shown.multiaddr, shown.checksum], [rotated.multiaddr, rotated.checksum]);
    await fails(['rotate-key', protectedData, '--wallet', 'requester'], 6, 'CONFIDE_DATAPROTECTOR_NOT_OWNER');
  });

  it('app/dataset/workerpool show, app count, orderbook, category, task show, deal show: the read commands', async () => {
    const climate = started.apps['climate-stats'] as string;
    const appOwner = started.stack.roles.appOwner.address;
    const same = (a: unknown, b: string) => assert.equal(String(a).toLowerCase(), b.toLowerCase());
    // Independent commands, run side by side to keep the suite short.
    const [app, byAddress, count, book, admits, past, dataset, workerpool, task, categories, xl, worker] =
      await Promise.all([
        ok(['app', 'show', 'climate-stats']),
        ok(['app', 'show', climate]),
        ok(['app', 'count', '--owner', appOwner]),
        ok(['orderbook', 'app', climate, '--requester', 'any', '--page-size', '5']),
        // An unrestricted TEE order admits any dataset.
        ok(['orderbook', 'app', 'climate-stats', '--dataset', `0x${'01'.repeat(20)}`, '--tag', 'tee']),
        ok(['orderbook', 'app', climate, '--page', '1000']),
        ok(['dataset', 'show', protectedData]),
        ok(['workerpool', 'show', started.stack.workerpool]),
        ok(['task', 'show', taskId]),
        ok(['category', 'list']),
        ok(['category', 'show', '4']),
        ok(['worker', 'show', started.stack.roles.workers[0]?.address ?? '']),
      ]);
    assert.equal(app.address, climate);
    assert.equal(app.name, 'climate-stats');
    assert.equal(app.owner, appOwner);
    assert.equal(app.type, 'NODE');
    assert.match(String(app.multiaddr), /^\/ipfs\/\w+/);
    assert.deepEqual(byAddress, app);
    assert.deepEqual(count, { owner: appOwner, count: String(Object.keys(started.apps).length) });

    // The app order `confide start` published: 2 CFD, signed by the app owner.
    type Book = { count: number; orders: { orderHash: string; signer: string; order: Record<string, string> }[] };
    const orders = (book as unknown as Book).orders;
    assert.ok((book as unknown as Book).count >= 1);
    assert.ok(orders.length >= 1);
    for (const entry of orders) {
      same(entry.order.app, climate);
      assert.equal(entry.order.appprice, '2000000000');
      assert.equal(entry.signer, appOwner);
    }
    assert.deepEqual(
      (admits as unknown as Book).orders.map((o) => o.orderHash),
      orders.map((o) => o.orderHash),
    );
    assert.deepEqual((past as unknown as Book).orders, []);

    same(dataset.address, protectedData);
    assert.equal(dataset.owner, started.stack.roles.dataOwner.address);
    same(workerpool.owner, started.stack.roles.scheduler.address);

    // The hub's five categories, born with it as PoCo's.
    const names = (categories as unknown as { id: number; name: string }[]).map((c) => `${c.id}:${c.name}`);
    assert.deepEqual(names, ['0:XS', '1:S', '2:M', '3:L', '4:XL']);
    assert.deepEqual(xl, {
      id: 4,
      name: 'XL',
      description: '10 h of compute per task, 100 h per deal',
      workClockTimeRef: '36000',
    });

    // The TEE worker: never in a replicated task, so score 0 and nothing locked.
    assert.deepEqual(
      { ...worker, stake: undefined },
      { worker: started.stack.roles.workers[0]?.address, score: '0', stake: undefined, locked: '0' },
    );
    assert.match(String(worker.stake), /^\d+(\.\d+)?$/);

    // The tutorial's task: completed, its result on IPFS; its deal names climate-stats and the dataset.
    assert.equal(task.taskId, taskId);
    assert.equal(task.statusName, 'COMPLETED');
    assert.deepEqual(Object.keys(task.results as object).sort(), ['location', 'storage']);
    assert.equal((task.results as { storage: string }).storage, 'ipfs');
    assert.match((task.results as { location: string }).location, /^\/ipfs\/\w+/);
    const deal = await ok(['deal', 'show', String(task.dealId)]);
    same(deal.app, climate);
    same(deal.dataset, protectedData);
    assert.deepEqual(deal.tasks, [taskId]);
  });

  it('errors of the SDK commands: unknown task, app, deal, category 5; unclaimable task 6; malformed id 2', async () => {
    const unknown = `0x${'ab'.repeat(32)}`;
    const [error] = await Promise.all([
      fails(['task', 'show', unknown], 5, 'CONFIDE_SDK_TASK_NOT_FOUND'),
      fails(['app', 'show', `0x${'de'.repeat(20)}`], 5, 'CONFIDE_SDK_ASSET_NOT_FOUND'),
      fails(['deal', 'show', unknown], 5, 'CONFIDE_SDK_DEAL_NOT_FOUND'),
      fails(['task', 'claim', taskId, '--wallet', 'requester'], 6, 'CONFIDE_SDK_TASK_NOT_CLAIMABLE'),
      fails(['task', 'show', '0x1234'], 2, 'CONFIDE_CLI_INVALID_INPUT'),
      fails(['orderbook', 'app', 'climate-stats', '--page-size', '0'], 2, 'CONFIDE_SDK_PARAMETERS_INVALID'),
      fails(['category', 'show', '99'], 5, 'CONFIDE_CLI_UNKNOWN_ADDRESS'),
      fails(['worker', 'show', '0x12'], 2, 'CONFIDE_CLI_INVALID_INPUT'),
    ]);
    assert.match(error.message, new RegExp(unknown));
  });

  it('error: a wrong password exits 3 with CONFIDE_KEYSTORE_WRONG_PASSWORD', async () => {
    await fails(['protect', CSV, '--wallet', 'dataOwner'], 3, 'CONFIDE_KEYSTORE_WRONG_PASSWORD', {
      CONFIDE_PASSWORD: 'not the password',
    });
  });

  it('error: no password and no terminal exits 3 with CONFIDE_CLI_PASSWORD_REQUIRED', async () => {
    await fails(['protect', CSV, '--wallet', 'dataOwner'], 3, 'CONFIDE_CLI_PASSWORD_REQUIRED', {
      CONFIDE_PASSWORD: '',
    });
  });

  it('error: a missing key (no keystore) exits 3 with CONFIDE_CLI_NO_WALLET', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'confide-cli-empty-'));
    try {
      await fails(['protect', CSV], 3, 'CONFIDE_CLI_NO_WALLET', { CONFIDE_HOME: empty });
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('error: granting a protected data that does not exist exits 5 with CONFIDE_CLI_UNKNOWN_ADDRESS', async () => {
    const error = await fails(
      ['grant', `0x${'de'.repeat(20)}`, '--app', 'climate-stats', '--user', 'requester', '--wallet', 'dataOwner'],
      5,
      'CONFIDE_CLI_UNKNOWN_ADDRESS',
    );
    assert.match(error.message, /0xDEDEDEDEDEDEDEDEDEDEDEDEDEDEDEDEDEDEDEDE is not a protected data/i);
  });

  it('error: no network exits 2 with CONFIDE_CLI_NO_NETWORK', async () => {
    await fails(['wallet', 'show', '--wallet', 'dataOwner'], 2, 'CONFIDE_CLI_NO_NETWORK', {
      CONFIDE_NETWORK: path.join(home, 'nowhere'),
    });
  });

  it('error: running with an empty escrow exits 4 with CONFIDE_CLI_INSUFFICIENT_FUNDS; a deposit fills it', async () => {
    // A funded devnet account that never deposited: tokens in the wallet, nothing in the escrow.
    const key = String(started.stack.devnet.accounts[9]?.privateKey);
    const broke = await ok(['wallet', 'import', key, '--name', 'broke']);
    assert.deepEqual(await ok(['account', 'show', '--wallet', 'broke']), {
      address: broke.address,
      balance: '0',
      frozen: '0',
    });
    await ok([
      'grant',
      protectedData,
      '--app',
      'climate-stats',
      '--user',
      'broke',
      '--price',
      '1',
      '--wallet',
      'dataOwner',
    ]);
    const run = ['run', protectedData, '--app', 'climate-stats', '--data-max-price', '1', '--app-max-price', '2'];
    await fails([...run, '--workerpool-max-price', '3', '--wallet', 'broke'], 4, 'CONFIDE_CLI_INSUFFICIENT_FUNDS');
    const deposit = await ok(['account', 'deposit', '6', '--wallet', 'broke']);
    assert.deepEqual(deposit.escrow, { balance: '6', frozen: '0' });
    // A workerpool with no order on the market: refused before anything is paid.
    await fails(
      [...run, '--workerpool-max-price', '3', '--workerpool', broke.address as string, '--wallet', 'broke'],
      1,
      'CONFIDE_DATAPROTECTOR_NO_WORKERPOOL_ORDER',
    );
    assert.deepEqual((await ok(['account', 'show', '--wallet', 'broke'])).balance, '6');
  });
});
