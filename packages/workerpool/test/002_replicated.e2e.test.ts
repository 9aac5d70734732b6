import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { type Address, formatUnits, type Hex, zeroHash } from 'viem';
import { binArgs } from '../../cli/src/stack/bins.js';
import { confideHubAbi } from '../../protocol/src/index.js';
import { showWorker } from '../../sdk/src/actions/worker/showWorker.js';
import { fetchWorkerpoolOrder } from '../src/requester/fetchWorkerpoolOrder.js';
import { fetchTaskResult, requestConfidentialTask, waitForTask } from '../src/requester/runConfidentialTask.js';
import { escrowOf, PRICE, publishApp, writeApp } from './marketplace.js';
import { type Network, startNetwork } from './network.js';

/** A deterministic app: every honest worker computes the same result. */
const ANSWER_APP = `
const { writeFileSync } = await import('node:fs');
writeFileSync(process.env.IEXEC_OUT + '/answer.txt', 'forty-two\\n');
writeFileSync(process.env.IEXEC_OUT + '/computed.json', JSON.stringify({ 'deterministic-output-path': process.env.IEXEC_OUT + '/answer.txt' }));
`;
/** An app whose result differs at every run: no two workers can agree. */
const DICE_APP = `
const { writeFileSync } = await import('node:fs');
const { randomBytes } = await import('node:crypto');
writeFileSync(process.env.IEXEC_OUT + '/roll.txt', randomBytes(16).toString('hex'));
writeFileSync(process.env.IEXEC_OUT + '/computed.json', JSON.stringify({ 'deterministic-output-path': process.env.IEXEC_OUT + '/roll.txt' }));
`;

// Worker indexes and their (test-only, fault-injected) behaviours.
const SILENT = 0;
const COPIER = 1;
const LIAR = 2;
const HONEST = [3, 4, 5];

let net: Network;

/** Polls `probe` until it returns something, failing after `timeoutMs`. */
async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function reader() {
  const { publicClient } = net.clients(net.roles.requester);
  const read = <T>(functionName: string, args: unknown[]) =>
    publicClient.readContract({ address: net.hub, abi: confideHubAbi, functionName, args } as never) as Promise<T>;
  return {
    publicClient,
    consensus: (taskId: Hex) =>
      read<{ consensusValue: Hex; revealDeadline: bigint; contributors: readonly Address[] }>('viewConsensus', [
        taskId,
      ]),
    contribution: (taskId: Hex, worker: Address) =>
      read<{ status: number; resultHash: Hex; resultSeal: Hex }>('viewContribution', [taskId, worker]),
    task: (taskId: Hex) => read<{ status: number; finalDeadline: bigint }>('viewTask', [taskId]),
    deal: (dealId: Hex) => read<{ workerStake: bigint; schedulerRewardRatio: number }>('viewDeal', [dealId]),
  };
}

/** Moves the devnet's clock past `timestamp` (anvil's time controls) and mines a block there. */
async function passTime(timestamp: bigint): Promise<void> {
  const block = await reader().publicClient.getBlock();
  for (const [method, params] of [
    ['evm_increaseTime', [Number(timestamp - block.timestamp) + 1]],
    ['evm_mine', []],
  ] as const) {
    const response = await fetch(net.devnet.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    });
    assert.equal(((await response.json()) as { error?: unknown }).error, undefined, `${method} failed`);
  }
}

/** Pauses worker processes (they stop polling the scheduler) until {@link resume}. */
function pause(indexes: number[]): void {
  for (const i of indexes) net.workers[i]?.child.kill('SIGSTOP');
}

function resume(indexes: number[]): void {
  for (const i of indexes) net.workers[i]?.child.kill('SIGCONT');
}

/** Escrow balance plus frozen funds. */
async function total(account: Address): Promise<bigint> {
  const { balance, frozen } = await escrowOf(net, account);
  return balance + frozen;
}

/** A replicated request (trust 3, no TEE tag) for `appOrder`. */
async function requestReplicated(appOrder: Awaited<ReturnType<typeof publishApp>>['order']) {
  const { dealId, taskIds, resultKey } = await requestConfidentialTask({
    ...net.clients(net.roles.requester),
    hub: net.hub,
    appOrder,
    workerpoolOrder: await fetchWorkerpoolOrder(net.scheduler.url),
    trust: 3n,
    tag: zeroHash,
  });
  const taskId = taskIds[0];
  assert.ok(taskId);
  return { dealId, taskId, resultKey };
}

/** The real `confide` binary with `--json`, on the stack's chain. */
async function confide(args: string[]): Promise<{ code: number | null; json: Record<string, unknown> }> {
  const child = spawn(
    process.execPath,
    [...binArgs('confide'), ...args, '--rpc', net.devnet.rpcUrl, '--hub', net.hub, '--json'],
    { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', CONFIDE_HOME: net.dir }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, json: JSON.parse(stdout) as Record<string, unknown> };
}

describe('002 replicated tasks (Proof of Contribution) with Byzantine workers, as separate processes', () => {
  before(async () => {
    net = await startNetwork({
      workers: 6,
      trust: 3,
      workerpoolPrice: PRICE.workerpool,
      // The liar is honest on its first contribution, to earn a score it then loses.
      byzantine: { [SILENT]: 'silent-after-commit', [COPIER]: 'copy', [LIAR]: 'lie-after:1' },
    });
    // The first task is for the silent worker and the liar (still honest) alone: the others are
    // paused (SIGSTOP) before any task exists.
    pause([COPIER, ...HONEST]);
  });
  after(async () => {
    resume([COPIER, LIAR, ...HONEST]);
    await net?.stop();
  });

  it('a silent winner beside an honest one (the liar, honest on its first contribution): finalized after the reveal deadline on the one reveal, by a restarted scheduler; the silent worker slashed, the honest one paid and scored', async () => {
    const chain = reader();
    const workers = net.roles.workers.map((w) => w.address);
    // Only the silent worker and the liar (honest this once: lie-after:1) take this task.
    const honest = LIAR;
    const { order: appOrder } = await publishApp(net, {
      folder: await writeApp('answer-again', ANSWER_APP),
      name: 'answer-again',
      tag: zeroHash,
    });
    const parties = [net.roles.requester.address, net.roles.scheduler.address, workers[SILENT], workers[honest]];
    const before0 = await Promise.all(parties.map((a) => total(a as Address)));
    const { dealId, taskId } = await requestReplicated(appOrder);
    const revealing = await until('the consensus and the honest reveal', async () => {
      const c = await chain.consensus(taskId);
      const mine = await chain.contribution(taskId, workers[honest] as Address);
      return mine.status === 2 ? c : undefined;
    });
    assert.deepEqual(new Set(revealing.contributors), new Set([workers[SILENT], workers[honest]]));
    assert.equal((await chain.task(taskId)).status, 2, 'still REVEALING: the scheduler waits for the silent winner');
    // The scheduler knows where the revealed result is; killed now, it finalizes from its journal.
    await until('the scheduler to hear of the reveal', async () => {
      const status = (await (await fetch(new URL(`/tasks/${taskId}`, net.scheduler.url))).json()) as {
        replicas: { worker: string; workerStatus: string }[];
      };
      return status.replicas.some((r) => r.worker === workers[honest] && r.workerStatus === 'REVEALED')
        ? true
        : undefined;
    });
    await net.scheduler.kill();
    await passTime(revealing.revealDeadline);
    net.scheduler = await net.startScheduler(new URL(net.scheduler.url).port);
    const end = await waitForTask({ ...chain, hub: net.hub, taskId, timeoutMs: 60_000 });
    assert.equal(end.status, 'COMPLETED', JSON.stringify(end));
    assert.match(end.status === 'COMPLETED' ? end.location : '', /^\/ipfs\/\w+$/, 'the location the worker reported');
    const deal = await chain.deal(dealId);
    const pool = PRICE.workerpool + deal.workerStake;
    const reward = (pool * BigInt(100 - deal.schedulerRewardRatio)) / 100n;
    const after0 = await Promise.all(parties.map((a) => total(a as Address)));
    assert.deepEqual(
      after0.map((v, i) => v - (before0[i] ?? 0n)),
      [-(PRICE.app + PRICE.workerpool), pool - reward, -deal.workerStake, reward],
    );
    const client = { publicClient: chain.publicClient, hub: net.hub };
    assert.deepEqual(
      await Promise.all(
        [SILENT, honest].map(async (i) => (await showWorker(client, { worker: workers[i] as Address })).score),
      ),
      [0n, 1n],
      'the liar, honest this once, has agreed once; the silent one has nothing',
    );
  });

  it("a silent worker and a copier win a consensus nobody reveals: reopened; then a liar is outvoted by three honest workers; every byzantine stake is seized, the liar's earned score falls, honest workers are paid exactly", async () => {
    const chain = reader();
    const workers = net.roles.workers.map((w) => w.address);
    // The silent worker and the copier are alone at first, so that they are the first two
    // contributors: the liar and the honest workers are paused (SIGSTOP) and join later.
    pause([LIAR]);
    resume([COPIER]);
    const client = { publicClient: chain.publicClient, hub: net.hub };
    const liarBefore = (await showWorker(client, { worker: workers[LIAR] as Address })).score;
    assert.equal(liarBefore, 1n, 'the liar earned a score in the previous, honest, consensus');
    const { order: appOrder } = await publishApp(net, {
      folder: await writeApp('answer', ANSWER_APP),
      name: 'answer',
      tag: zeroHash,
    });
    const parties = [net.roles.requester.address, net.roles.appOwner.address, net.roles.scheduler.address, ...workers];
    const before0 = await Promise.all(parties.map(total));
    const { dealId, taskId, resultKey } = await requestReplicated(appOrder);

    // (b) + (c): the silent worker commits the right result, the copier copies its hash: with two
    // fresh workers agreeing, trust 3 is reached, and neither can reveal (the copier has no seal).
    const first = await until('the consensus of the silent worker and the copier', async () => {
      const c = await chain.consensus(taskId);
      return c.consensusValue !== zeroHash ? c : undefined;
    });
    assert.deepEqual(new Set(first.contributors), new Set([workers[SILENT], workers[COPIER]]));
    const silent = await chain.contribution(taskId, workers[SILENT] as Address);
    const copied = await chain.contribution(taskId, workers[COPIER] as Address);
    assert.equal(copied.resultHash, silent.resultHash, 'the copier committed the same hash');
    assert.notEqual(copied.resultSeal, silent.resultSeal, 'but not a seal of its own result');

    // Nobody reveals by the deadline: the scheduler reopens the task, and the liar takes it alone.
    resume([LIAR]);
    await passTime(first.revealDeadline);
    await until('the liar to commit', async () =>
      (await chain.contribution(taskId, workers[LIAR] as Address)).status === 1 ? true : undefined,
    );
    assert.equal((await chain.consensus(taskId)).consensusValue, zeroHash, 'reopened: no consensus');
    const rejected = await Promise.all([SILENT, COPIER].map((i) => chain.contribution(taskId, workers[i] as Address)));
    assert.deepEqual(
      rejected.map((c) => c.status),
      [3, 3],
      'both REJECTED by the reopen',
    );

    // (a): three honest workers outvote the liar (one against one needs two more agreeing).
    resume(HONEST);
    const end = await waitForTask({ ...chain, hub: net.hub, taskId, timeoutMs: 60_000 });
    assert.equal(end.status, 'COMPLETED', JSON.stringify(end));
    if (end.status !== 'COMPLETED') return;
    const files = await fetchTaskResult({ storage: net.storage, taskId, identity: resultKey.identity, ...end });
    assert.equal(Buffer.from(files.get('answer.txt') ?? []).toString(), 'forty-two\n', 'the honest result');
    const consensus = await chain.consensus(taskId);
    assert.equal(consensus.contributors.length, 6, 'six contributions: two rejected, a lie, three agreeing');
    const statuses = await Promise.all(workers.map((w) => chain.contribution(taskId, w)));
    assert.deepEqual(
      statuses.map((c) => c.status),
      [3, 3, 1, 2, 2, 2],
      'REJECTED, REJECTED, CONTRIBUTED (the lie), PROVED ×3',
    );

    // Money: to the unit.
    const deal = await chain.deal(dealId);
    const stake = deal.workerStake;
    assert.ok(stake > 0n);
    const pool = PRICE.workerpool + 3n * stake;
    const reward = (pool * BigInt(100 - deal.schedulerRewardRatio)) / 100n / 3n;
    const after0 = await Promise.all(parties.map(total));
    const delta = after0.map((v, i) => v - (before0[i] ?? 0n));
    assert.deepEqual(delta, [
      -(PRICE.app + PRICE.workerpool),
      PRICE.app,
      pool - 3n * reward,
      -stake,
      -stake,
      -stake,
      reward,
      reward,
      reward,
    ]);
    const { publicClient } = chain;
    const slashed = await publicClient.getContractEvents({
      address: net.hub,
      abi: confideHubAbi,
      eventName: 'ContributionSlashed',
      args: { taskId },
      fromBlock: 0n,
      strict: true,
    });
    // A slashed worker keeps 2/3 of its score, rounded down (the hub's rule): the liar's 1 becomes 0.
    const liarAfter = (liarBefore * 2n) / 3n;
    assert.deepEqual(
      slashed.map((e) => [e.args.worker, e.args.stake, e.args.score]),
      [
        [workers[SILENT], stake, 0n],
        [workers[COPIER], stake, 0n],
        [workers[LIAR], stake, liarAfter],
      ],
    );

    // Scores and stakes through the SDK, the CLI and the indexer.
    const shown = await Promise.all(workers.map((worker) => showWorker(client, { worker })));
    assert.deepEqual(
      shown.map((s) => [s.score, s.locked]),
      [0n, 0n, liarAfter, 1n, 1n, 1n].map((score) => [score, 0n]),
    );
    assert.ok((shown[LIAR]?.score ?? liarBefore) < liarBefore, "the liar's score fell");
    const [cliHonest, indexed] = await Promise.all([
      confide(['worker', 'show', workers[HONEST[0] as number] as string]),
      until('the indexer to see the task completed', async () => {
        const response = await fetch(new URL('/graphql', net.indexer.url), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            query: `{ task(id: "${taskId}") { status contributions { worker status } } worker(id: "${workers[LIAR]}") { score } }`,
          }),
        });
        const { data } = (await response.json()) as {
          data?: {
            task: { status: string; contributions: { worker: string; status: string }[] } | null;
            worker: { score: string } | null;
          };
        };
        return data?.task?.status === 'COMPLETED' ? data : undefined;
      }),
    ]);
    assert.equal(cliHonest.code, 0);
    assert.deepEqual(cliHonest.json, {
      worker: workers[HONEST[0] as number],
      score: '1',
      stake: formatUnits(shown[HONEST[0] as number]?.stake ?? 0n, 9),
      locked: '0',
    });
    assert.equal(indexed.task?.contributions.length, 6);
    assert.equal(indexed.worker?.score, String(liarAfter), 'the liar, as the indexer sees it');
    for (const w of net.workers) assert.equal(w.child.exitCode, null, 'every worker still runs');
  });

  it('(d) no two workers agree: no consensus before the final deadline, the task is claimed FAILED, the requester refunded to the unit', async () => {
    const chain = reader();
    // The copier would make a consensus out of any result: it leaves for this one.
    resume([COPIER, LIAR, ...HONEST]);
    const [silentProcess, copierProcess] = net.workers;
    await Promise.all([silentProcess?.stop(), copierProcess?.stop()]);
    const { order: appOrder } = await publishApp(net, {
      folder: await writeApp('dice', DICE_APP),
      name: 'dice',
      tag: zeroHash,
    });
    const workers = [LIAR, ...HONEST].map((i) => net.roles.workers[i]?.address as Address);
    const parties = [net.roles.requester.address, ...workers];
    const before0 = await Promise.all(parties.map(total));
    const scheduler0 = await total(net.roles.scheduler.address);
    const { taskId } = await requestReplicated(appOrder);
    const consensus = await until('four different results', async () => {
      const c = await chain.consensus(taskId);
      return c.contributors.length === 4 ? c : undefined;
    });
    assert.equal(consensus.consensusValue, zeroHash);
    const hashes = await Promise.all(consensus.contributors.map((w) => chain.contribution(taskId, w)));
    assert.equal(new Set(hashes.map((h) => h.resultHash)).size, 4, 'four different results');
    const wanted = await until('the scheduler to want more workers than it has', async () => {
      const status = (await (await fetch(new URL(`/tasks/${taskId}`, net.scheduler.url))).json()) as {
        replicasWanted: number;
      };
      return status.replicasWanted === 3 ? status : undefined;
    });
    assert.equal(wanted.replicasWanted, 3, 'one against three others needs three more agreeing');

    await passTime((await chain.task(taskId)).finalDeadline);
    const end = await waitForTask({ ...chain, hub: net.hub, taskId, timeoutMs: 30_000 });
    assert.deepEqual(end, { status: 'FAILED', reason: 'CLAIMED' });
    assert.deepEqual(await Promise.all(parties.map(total)), before0, 'requester refunded, worker stakes returned');
    for (const w of workers) assert.equal((await escrowOf(net, w)).frozen, 0n);
    assert.equal(scheduler0 - (await total(net.roles.scheduler.address)), (PRICE.workerpool * 30n) / 100n);
  });
});
