import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Hex, LocalAccount } from 'viem';
import { resultHash, resultSeal } from '../../packages/protocol/src/index.js';
import { hubEvents, KITTY, Status, setNextTimestamp, strict } from './helpers/fixtures.js';
import {
  ContributionStatus,
  contribute,
  digestOf,
  finalize,
  ledger,
  passDeadline,
  pocWorkers,
  replicatedTask,
  reveal,
  WORKER_STAKE,
} from './helpers/poc.js';
import { deployWorld, expectRevert, PRICES, type World } from './helpers/world.js';

const TASK_PRICE = PRICES.app + PRICES.dataset + PRICES.workerpool;
const SCHEDULER_STAKE = (PRICES.workerpool * 30n) / 100n;
/** What the workers share of a pool: 99 % under the default scheduler ratio of 1 %. */
const workersShare = (pool: bigint) => (pool * 99n) / 100n;

describe('ConfideHub replicated tasks: liars, silent workers, copiers, no consensus', () => {
  let world: World;
  let workers: LocalAccount[];
  let a: LocalAccount;
  let b: LocalAccount;
  let c: LocalAccount;
  let d: LocalAccount;
  before(async () => {
    world = await deployWorld();
    workers = await pocWorkers(world);
    [a, b, c, d] = workers as [LocalAccount, LocalAccount, LocalAccount, LocalAccount];
  });

  const score = (w: LocalAccount) => world.hub.read.viewScore([w.address]);
  const revealDeadline = async (taskId: Hex) => (await world.hub.read.viewConsensus([taskId])).revealDeadline;

  it('a liar among honest workers is outvoted, slashed, and its score falls by a third', async () => {
    const liar = workers[4] as LocalAccount;
    // An honest task first gives the future liar a score of 2 (two replicated tasks).
    for (let i = 0; i < 2; i++) {
      const { taskId } = await replicatedTask(world, 3n);
      await contribute(world, taskId, liar);
      await contribute(world, taskId, a);
      await reveal(world, taskId, liar);
      await reveal(world, taskId, a);
      await finalize(world, taskId);
    }
    const liarScore = await score(liar);
    assert.equal(liarScore, 2n);

    const { taskId } = await replicatedTask(world, 3n);
    const honest = [a, b, c];
    const book = await ledger(world, [...honest.map((w) => w.address), liar.address]);
    await contribute(world, taskId, a);
    await contribute(world, taskId, liar, { digest: digestOf('lie') });
    await contribute(world, taskId, b);
    // Groups 4 (honest) and 2 (liar), total 7: 4·3 ≤ 7·2, a third honest worker is needed.
    assert.equal((await world.hub.read.viewTask([taskId])).status, Status.Active);
    await contribute(world, taskId, c);
    const consensus = await world.hub.read.viewConsensus([taskId]);
    assert.equal(consensus.consensusValue, resultHash(taskId, digestOf('honest')));
    assert.equal(consensus.winnerCounter, 3n);
    await expectRevert(
      strict(world, liar).hub.write.reveal([taskId, digestOf('lie')]),
      'TaskContributionNotInConsensus',
      [taskId, liar.address, resultHash(taskId, digestOf('lie')), consensus.consensusValue],
    );
    for (const w of honest) await reveal(world, taskId, w);
    const receipt = await finalize(world, taskId);

    // The pool is the workerpool price plus the liar's stake; three equal shares of 99 % of it.
    const share = workersShare(PRICES.workerpool + WORKER_STAKE) / 3n;
    await book.moved([
      [share, 0n],
      [share, 0n],
      [share, 0n],
      [-WORKER_STAKE, 0n],
    ]);
    const [slashed] = hubEvents(receipt, 'ContributionSlashed');
    assert.deepEqual(slashed?.args, { taskId, worker: liar.address, stake: WORKER_STAKE, score: 1n });
    assert.equal(await score(liar), (liarScore * 2n) / 3n);
  });

  it('a winner silent after its commitment is slashed when the scheduler finalizes after the reveal deadline', async () => {
    const { taskId } = await replicatedTask(world, 3n);
    await contribute(world, taskId, a);
    await contribute(world, taskId, b);
    await reveal(world, taskId, a);
    const deadline = await revealDeadline(taskId);
    await expectRevert(
      strict(world, world.actors.scheduler).hub.write.finalize([taskId, '0x', '0x']),
      'TaskRevealsPending',
      [taskId, 1n, 2n, deadline],
    );
    const book = await ledger(world, [a.address, b.address]);
    const silentScore = await score(b);
    await passDeadline(world, deadline);
    await finalize(world, taskId);
    await book.moved([
      [WORKER_STAKE + workersShare(PRICES.workerpool + WORKER_STAKE), -WORKER_STAKE],
      [0n, -WORKER_STAKE],
    ]);
    assert.equal(await score(b), (silentScore * 2n) / 3n);
    assert.equal((await world.hub.read.viewContribution([taskId, b.address])).status, ContributionStatus.Contributed);
  });

  it('winners who all stay silent are rejected by reopen, then slashed when others finalize the task', async () => {
    const { taskId } = await replicatedTask(world, 3n);
    const [silent1, silent2] = [workers[4] as LocalAccount, workers[5] as LocalAccount];
    const book = await ledger(world, [silent1.address, silent2.address, c.address, d.address]);
    await contribute(world, taskId, silent1);
    await contribute(world, taskId, silent2);
    const scheduler = strict(world, world.actors.scheduler).hub.write;
    const deadline = await revealDeadline(taskId);
    await passDeadline(world, deadline);
    const reopened = await world.mined(scheduler.reopen([taskId]));
    assert.deepEqual(hubEvents(reopened, 'TaskReopened')[0]?.args, { taskId, rejected: 2n });
    assert.equal((await world.hub.read.viewTask([taskId])).status, Status.Active);
    const consensus = await world.hub.read.viewConsensus([taskId]);
    assert.equal(consensus.total, 1n, 'the rejected group no longer weighs');
    assert.equal(consensus.consensusValue, `0x${'0'.repeat(64)}`);
    for (const w of [silent1, silent2]) {
      assert.equal((await world.hub.read.viewContribution([taskId, w.address])).status, ContributionStatus.Rejected);
    }
    await expectRevert(contribute(world, taskId, silent1), 'TaskAlreadyContributed', [
      taskId,
      silent1.address,
      ContributionStatus.Rejected,
    ]);

    const scores = [await score(silent1), await score(silent2)];
    await contribute(world, taskId, c);
    await contribute(world, taskId, d);
    await reveal(world, taskId, c);
    await reveal(world, taskId, d);
    const receipt = await finalize(world, taskId);
    const share = workersShare(PRICES.workerpool + 2n * WORKER_STAKE) / 2n;
    await book.moved([
      [-WORKER_STAKE, 0n],
      [-WORKER_STAKE, 0n],
      [share, 0n],
      [share, 0n],
    ]);
    assert.deepEqual(
      hubEvents(receipt, 'ContributionSlashed').map((e) => e.args.worker),
      [silent1.address, silent2.address],
    );
    assert.deepEqual(
      [await score(silent1), await score(silent2)],
      scores.map((s) => (s * 2n) / 3n),
    );
  });

  it("a copier replaying another worker's commitment helps the consensus but cannot reveal it, and is slashed", async () => {
    const { taskId } = await replicatedTask(world, 3n);
    const copier = workers[5] as LocalAccount;
    await contribute(world, taskId, a);
    // The copier has no result: it replays a's resultHash and resultSeal, read from the chain.
    const seen = await world.hub.read.viewContribution([taskId, a.address]);
    await contribute(world, taskId, copier, { resultHash: seen.resultHash, resultSeal: seen.resultSeal });
    assert.equal((await world.hub.read.viewTask([taskId])).status, Status.Revealing, 'the copy counts as agreement');
    await reveal(world, taskId, a);
    // a's reveal made the digest public, yet the seal binds a's address: the copy can never be opened.
    const digest = digestOf('honest');
    await expectRevert(strict(world, copier).hub.write.reveal([taskId, digest]), 'TaskResultSealMismatch', [
      taskId,
      seen.resultSeal,
      resultSeal(copier.address, taskId, digest),
    ]);
    const book = await ledger(world, [a.address, copier.address]);
    await passDeadline(world, await revealDeadline(taskId));
    await finalize(world, taskId);
    await book.moved([
      [WORKER_STAKE + workersShare(PRICES.workerpool + WORKER_STAKE), -WORKER_STAKE],
      [0n, -WORKER_STAKE],
    ]);
  });

  it('no consensus: claim after the final deadline refunds the requester and returns every stake', async () => {
    const { taskId } = await replicatedTask(world, 3n);
    const trio = [a, b, c];
    const { requester, scheduler } = world.actors;
    const parties = [...trio.map((w) => w.address), requester.address, scheduler.address, KITTY];
    const book = await ledger(world, parties);
    const scores = await Promise.all(trio.map(score));
    for (const [i, w] of trio.entries()) await contribute(world, taskId, w, { digest: digestOf(`opinion ${i}`) });
    assert.equal((await world.hub.read.viewTask([taskId])).status, Status.Active, 'three groups of 2: no majority');
    const task = await world.hub.read.viewTask([taskId]);
    await setNextTimestamp(world, task.contributionDeadline);
    await expectRevert(contribute(world, taskId, d), 'TaskContributionDeadlinePassed', [
      taskId,
      task.contributionDeadline,
      task.contributionDeadline,
    ]);
    await world.chain.increaseTime(0); // mines the block pinned at the contribution deadline
    await passDeadline(world, task.finalDeadline);
    await world.mined(strict(world, world.actors.other).hub.write.claim([taskId]));
    assert.equal((await world.hub.read.viewTask([taskId])).status, Status.Failed);
    await book.moved([
      [0n, 0n],
      [0n, 0n],
      [0n, 0n],
      [TASK_PRICE, -TASK_PRICE],
      [0n, -SCHEDULER_STAKE],
      [0n, SCHEDULER_STAKE],
    ]);
    assert.deepEqual(await Promise.all(trio.map(score)), scores, 'a failed task leaves scores alone');
  });

  it('a consensus nobody revealed nor reopened: claim returns the winners their stakes', async () => {
    const { taskId } = await replicatedTask(world, 3n);
    const book = await ledger(world, [a.address, b.address]);
    await contribute(world, taskId, a);
    await contribute(world, taskId, b);
    await passDeadline(world, (await world.hub.read.viewTask([taskId])).finalDeadline);
    await world.mined(strict(world, world.actors.other).hub.write.claim([taskId]));
    await book.moved([
      [0n, 0n],
      [0n, 0n],
    ]);
  });
});
