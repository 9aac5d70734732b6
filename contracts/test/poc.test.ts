import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { type Address, type Hex, type LocalAccount, zeroAddress } from 'viem';
import { confideHubAbi, resultHash, resultSeal } from '../../packages/protocol/src/index.js';
import { contributionGas } from '../../packages/workerpool/src/worker/contributionGas.js';
import { hubEvents, KITTY, Status, strict } from './helpers/fixtures.js';
import {
  ContributionStatus,
  contribute,
  contributeArgs,
  digestOf,
  finalize,
  ledger,
  pocWorkers,
  RESULTS,
  replicatedTask,
  reveal,
  setScore,
  TIMEREF,
  WORKER_STAKE,
} from './helpers/poc.js';
import { deployWorld, expectRevert, PRICES, type World } from './helpers/world.js';

const TASK_PRICE = PRICES.app + PRICES.dataset + PRICES.workerpool;
const SCHEDULER_STAKE = (PRICES.workerpool * 30n) / 100n;

describe('ConfideHub#contribute/reveal/finalize (replicated, honest workers)', () => {
  let world: World;
  let workers: LocalAccount[];
  before(async () => {
    world = await deployWorld();
    workers = await pocWorkers(world);
  });

  it('contribute locks the worker stake, records the commitment and adds weight 2 for a new worker', async () => {
    const { taskId } = await replicatedTask(world, 5n);
    const [w] = workers as [LocalAccount];
    const workerLedger = await ledger(world, [w.address]);
    const receipt = await contribute(world, taskId, w);
    await workerLedger.moved([[-WORKER_STAKE, WORKER_STAKE]]);
    const hash = resultHash(taskId, digestOf('honest'));
    const [event] = hubEvents(receipt, 'TaskContributed');
    assert.deepEqual(event?.args, { taskId, worker: w.address, resultHash: hash });
    assert.deepEqual(await world.hub.read.viewContribution([taskId, w.address]), {
      status: ContributionStatus.Contributed,
      resultHash: hash,
      resultSeal: resultSeal(w.address, taskId, digestOf('honest')),
      enclaveChallenge: zeroAddress,
      weight: 1n,
    });
    const consensus = await world.hub.read.viewConsensus([taskId]);
    assert.deepEqual(consensus.contributors, [w.address]);
    assert.equal(consensus.total, 3n, 'the prior 1 plus the group of weight 2');
    assert.equal((await world.hub.read.viewTask([taskId])).status, Status.Active);
  });

  it('three honest workers reach trust 5, reveal, and finalize pays everyone by weight', async () => {
    const { taskId } = await replicatedTask(world, 5n);
    const trio = workers.slice(0, 3);
    const { appOwner, datasetOwner, scheduler, requester } = world.actors;
    const parties = [...trio.map((w) => w.address), scheduler.address, requester.address, KITTY];
    const start = await ledger(world, parties);
    const scoresBefore = await Promise.all(trio.map((w) => world.hub.read.viewScore([w.address])));

    // Fresh workers weigh 2: 2^k > trust − 1 = 4 needs k = 3 agreeing contributions.
    await contribute(world, taskId, trio[0] as LocalAccount);
    await contribute(world, taskId, trio[1] as LocalAccount);
    assert.equal((await world.hub.read.viewTask([taskId])).status, Status.Active, 'two of weight 2 are not enough');
    const receipt = await contribute(world, taskId, trio[2] as LocalAccount);
    const now = await world.chain.now();
    const hash = resultHash(taskId, digestOf('honest'));
    const [reached] = hubEvents(receipt, 'TaskConsensusReached');
    assert.deepEqual(reached?.args, {
      taskId,
      consensusValue: hash,
      winnerCounter: 3n,
      revealDeadline: now + 2n * TIMEREF,
    });
    assert.equal((await world.hub.read.viewTask([taskId])).status, Status.Revealing);
    await expectRevert(contribute(world, taskId, workers[3] as LocalAccount), 'TaskNotActive', [
      taskId,
      Status.Revealing,
    ]);

    for (const w of trio) {
      const [revealed] = hubEvents(await reveal(world, taskId, w), 'TaskRevealed');
      assert.deepEqual(revealed?.args, { taskId, worker: w.address, resultDigest: digestOf('honest') });
    }
    const consensus = await world.hub.read.viewConsensus([taskId]);
    assert.equal(consensus.revealCounter, 3n);
    assert.equal(consensus.winnerCounter, 3n);

    const owners = await ledger(world, [appOwner.address, datasetOwner.address]);
    const done = await finalize(world, taskId);
    const [finalized] = hubEvents(done, 'TaskFinalized');
    assert.deepEqual(finalized?.args, {
      taskId,
      worker: scheduler.address,
      resultDigest: digestOf('honest'),
      results: RESULTS,
    });
    const task = await world.hub.read.viewTask([taskId]);
    assert.equal(task.status, Status.Completed);
    assert.equal(task.resultDigest, digestOf('honest'));

    // Pool = workerpool price (no stake to seize); workers share 99 % equally (log-weight 1 each).
    const share = (PRICES.workerpool * 99n) / 100n / 3n;
    const schedulerShare = PRICES.workerpool - 3n * share;
    await start.moved([
      [share, 0n],
      [share, 0n],
      [share, 0n],
      [schedulerShare + SCHEDULER_STAKE, -SCHEDULER_STAKE],
      [0n, -TASK_PRICE],
      [0n, 0n],
    ]);
    await owners.moved([
      [PRICES.app, 0n],
      [PRICES.dataset, 0n],
    ]);
    const rewarded = hubEvents(done, 'ContributionRewarded');
    assert.deepEqual(
      rewarded.map((e) => e.args),
      trio.map((w, i) => ({ taskId, worker: w.address, reward: share, score: (scoresBefore[i] as bigint) + 1n })),
    );
    for (const [i, w] of trio.entries()) {
      assert.equal(await world.hub.read.viewScore([w.address]), (scoresBefore[i] as bigint) + 1n);
      assert.equal(
        (await world.hub.read.viewContribution([taskId, w.address])).status,
        ContributionStatus.Proved,
        'each winner proved its contribution',
      );
    }
    assert.equal(await world.hub.read.resultFor([taskId]), '0x');
  });

  it('trust 3 needs only two fresh workers: 2^2 > trust − 1', async () => {
    const { taskId } = await replicatedTask(world, 3n);
    await contribute(world, taskId, workers[0] as LocalAccount);
    assert.equal((await world.hub.read.viewTask([taskId])).status, Status.Active);
    await contribute(world, taskId, workers[1] as LocalAccount);
    assert.equal((await world.hub.read.viewTask([taskId])).status, Status.Revealing);
  });

  it('a worker of score 30 (weight 9) reaches trust 3 alone and gains no score without replication', async () => {
    const veteran = workers[5] as LocalAccount;
    await setScore(world, veteran.address, 30n);
    const { taskId } = await replicatedTask(world, 3n);
    await contribute(world, taskId, veteran);
    assert.equal((await world.hub.read.viewTask([taskId])).status, Status.Revealing, '9·3 > 10·2');
    assert.equal((await world.hub.read.viewContribution([taskId, veteran.address])).weight, 3n, 'log2(9) = 3');
    await reveal(world, taskId, veteran);
    const veteranLedger = await ledger(world, [veteran.address]);
    await finalize(world, taskId);
    const reward = (PRICES.workerpool * 99n) / 100n;
    await veteranLedger.moved([[WORKER_STAKE + reward, -WORKER_STAKE]]);
    assert.equal(await world.hub.read.viewScore([veteran.address]), 30n, 'one contributor: no score gained');
  });

  it('a worker score above 3,075 weighs no more than 1024', async () => {
    const whale = workers[4] as LocalAccount;
    await setScore(world, whale.address, 1_000_000n);
    const { taskId } = await replicatedTask(world, 2000n, { workerpool: { trust: 2000n } });
    await contribute(world, taskId, whale);
    assert.equal((await world.hub.read.viewContribution([taskId, whale.address])).weight, 10n, 'log2(1024)');
    assert.equal((await world.hub.read.viewConsensus([taskId])).total, 1025n);
    assert.equal((await world.hub.read.viewTask([taskId])).status, Status.Active, '1024 · 2000 ≤ 1025 · 1999');
  });

  it('views read zeros for an unknown task and worker', async () => {
    const taskId = resultHash(digestOf('none'), digestOf('none'));
    const stranger: Address = '0x000000000000000000000000000000000000dEaD';
    const consensus = await world.hub.read.viewConsensus([taskId]);
    assert.equal(consensus.total, 0n);
    assert.deepEqual(consensus.contributors, []);
    assert.equal((await world.hub.read.viewContribution([taskId, stranger])).status, ContributionStatus.Unset);
    assert.equal(await world.hub.read.viewScore([stranger]), 0n);
  });
});

describe('ConfideHub#contribute: gas of concurrent contributions (fresh workers)', () => {
  let world: World;
  let workers: LocalAccount[];
  before(async () => {
    world = await deployWorld();
    workers = await pocWorkers(world);
  });

  it("a worker's contribution gas, estimated while it would commit first, covers the consensus another worker's earlier commitment makes it reach, over up to 16 contributors", async () => {
    const estimateAsFirst = async (taskId: Hex, worker: LocalAccount) =>
      world.publicClient.estimateContractGas({
        address: world.addresses.hub,
        abi: confideHubAbi,
        functionName: 'contribute',
        args: await contributeArgs(world, taskId, worker),
        account: worker,
      });
    const send = async (taskId: Hex, worker: LocalAccount, gas: bigint) =>
      world.mined(strict(world, worker).hub.write.contribute(await contributeArgs(world, taskId, worker), { gas }));
    const [a, b] = workers as [LocalAccount, LocalAccount];

    // Trust 3: the second of two fresh workers reaches the consensus.
    const race = await replicatedTask(world, 3n);
    const estimate = await estimateAsFirst(race.taskId, b);
    await contribute(world, race.taskId, a);
    const late = await send(race.taskId, b, contributionGas(estimate));
    assert.equal(late.status, 'success');
    assert.equal((await world.hub.read.viewTask([race.taskId])).status, Status.Revealing);
    assert.ok(
      late.gasUsed > estimate,
      `reaching the consensus (${late.gasUsed}) costs more than estimated (${estimate})`,
    );

    // Trust 40: six fresh agreeing workers (2^6 > 39 ≥ 2^5); the sixth reaches the consensus over six.
    const wide = await replicatedTask(world, 40n);
    const used: bigint[] = [];
    for (const worker of workers) used.push((await contribute(world, wide.taskId, worker)).gasUsed);
    assert.equal((await world.hub.read.viewTask([wide.taskId])).status, Status.Revealing);
    // What reaching the consensus adds to a contribution, over two contributors and over six; it
    // grows by a constant per contributor. The worst case for an estimate: made for a contribution
    // that would not reach the consensus (the cheapest), mined as the one that reaches it over 16.
    const [, plainSecond, , , plainFifth, reachingOverSix] = used as [bigint, bigint, bigint, bigint, bigint, bigint];
    const extraOverTwo = late.gasUsed - plainSecond;
    const extraOverSix = reachingOverSix - plainFifth;
    const perContributor = (extraOverSix - extraOverTwo) / 4n;
    assert.ok(perContributor > 0n, 'the consensus reads every contribution');
    const worstCase = plainFifth + extraOverSix + 10n * perContributor;
    assert.ok(
      contributionGas(plainFifth) >= worstCase,
      `a limit of ${contributionGas(plainFifth)} for an estimate of ${plainFifth} < ${worstCase} to reach the consensus over 16`,
    );
  });
});
