import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { type Address, type Hex, type LocalAccount, zeroAddress } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import {
  authorizationHash,
  computeDealId,
  computeTaskId,
  hashOrder,
  resultHash,
  resultSeal,
} from '../../packages/protocol/src/index.js';
import { KITTY, Status } from './helpers/fixtures.js';
import { digestOf, pocWorkers, replicatedOverrides, setScore, WORKER_STAKE } from './helpers/poc.js';
import { ConsensusModel, settle } from './helpers/pocModel.js';
import { hubSender, type Outcome } from './helpers/send.js';
import { deployWorld, matchArgs, type OrderSet, PRICES, type World } from './helpers/world.js';

/** Runs of the property: 60 keep the suite fast (about 15 s); `CONFIDE_PROPERTY_RUNS` sets more. */
const RUNS = Number(process.env.CONFIDE_PROPERTY_RUNS ?? 60);
const TASK_PRICE = PRICES.app + PRICES.dataset + PRICES.workerpool;
const SCHEDULER_STAKE = (PRICES.workerpool * 30n) / 100n;
const TRUSTS = [2, 3, 4, 5, 8, 16] as const;

/** How a worker behaves: commits the truth and reveals it, lies (two different lies), or goes silent. */
type Behaviour = 'honest' | 'liar' | 'otherLiar' | 'silent';
type Plan = { behaviour: Behaviour; score: bigint };
type Run = { trust: (typeof TRUSTS)[number]; plans: Plan[] };

const DIGESTS: Record<Behaviour, Hex> = {
  honest: digestOf('truth'),
  silent: digestOf('truth'),
  liar: digestOf('lie'),
  otherLiar: digestOf('other lie'),
};

const runArb: fc.Arbitrary<Run> = fc.record({
  trust: fc.constantFrom(...TRUSTS),
  plans: fc.array(
    fc.record({
      behaviour: fc.constantFrom<Behaviour>('honest', 'honest', 'liar', 'otherLiar', 'silent'),
      score: fc.oneof(
        { weight: 4, arbitrary: fc.constant(0n) },
        { weight: 4, arbitrary: fc.bigInt({ min: 0n, max: 60n }) },
        { weight: 1, arbitrary: fc.constant(10_000n) },
      ),
    }),
    { minLength: 1, maxLength: 6 },
  ),
});

describe('ConfideHub replicated tasks: random contribution patterns against a TypeScript model', () => {
  let world: World;
  let workers: LocalAccount[];
  let accounts: Address[];
  const orderSets = new Map<number, { orders: OrderSet; taskId: Hex }>();
  const coverage = new Map<string, number>();
  const cover = (label: string) => coverage.set(label, (coverage.get(label) ?? 0) + 1);

  before(async () => {
    world = await deployWorld();
    workers = await pocWorkers(world);
    const dev = Array.from(
      { length: 12 },
      (_, addressIndex) =>
        mnemonicToAccount('test test test test test test test test test test test junk', { addressIndex }).address,
    );
    accounts = [...dev, KITTY];
    // Every run is on a snapshot: the same signed orders match again, into the same deal and task.
    for (const trust of TRUSTS) {
      const orders = await world.orders(replicatedOverrides(BigInt(trust)));
      const dealId = computeDealId(
        hashOrder({ domain: world.domain, kind: 'RequestOrder', order: orders.request }),
        0n,
      );
      orderSets.set(trust, { orders, taskId: computeTaskId(dealId, 0n) });
    }
  });

  /** (free, frozen) of every account that can hold escrow here, and the conservation invariant. */
  async function ledgerChecked(step: string) {
    const [held, supply, ...entries] = await Promise.all([
      world.as(world.actors.deployer).token.read.balanceOf([world.addresses.hub]),
      world.hub.read.totalSupply(),
      ...accounts.map((a) => world.hub.read.viewAccount([a])),
    ]);
    const sum = entries.reduce((total, [balance, frozen]) => total + balance + frozen, 0n);
    assert.equal(supply, held, `${step}: hub.totalSupply() equals the tokens the hub holds`);
    assert.equal(sum, supply, `${step}: Σ balance + frozen equals totalSupply`);
    return new Map(accounts.map((a, i) => [a, entries[i] as readonly [bigint, bigint]]));
  }

  function expectOk(outcome: Outcome, step: string) {
    assert.ok(
      outcome.ok,
      `${step} succeeded, got ${outcome.ok ? '' : `${outcome.errorName}(${outcome.args.join(', ')})`}`,
    );
  }

  async function execute({ trust, plans }: Run) {
    const send = hubSender(world.chain, world.addresses.hub);
    const { scheduler, requester, appOwner, datasetOwner } = world.actors;
    const set = orderSets.get(trust);
    assert.ok(set);
    const { taskId } = set;
    const team = plans.map((plan, i) => ({ ...plan, account: workers[i] as LocalAccount }));
    for (const w of team) await setScore(world, w.account.address, w.score);
    const start = await ledgerChecked('start');
    expectOk(await send(requester, 'matchOrders', matchArgs(set.orders)), 'matchOrders');
    const [dealId] = [
      computeDealId(hashOrder({ domain: world.domain, kind: 'RequestOrder', order: set.orders.request }), 0n),
    ];
    expectOk(await send(scheduler, 'initialize', [dealId, 0n]), 'initialize');

    const model = new ConsensusModel(BigInt(trust));
    const contributed: typeof team = [];
    for (const w of team) {
      const digest = DIGESTS[w.behaviour];
      const authorization = await scheduler.signMessage({
        message: { raw: authorizationHash(w.account.address, taskId, zeroAddress) },
      });
      const args = [
        taskId,
        resultHash(taskId, digest),
        resultSeal(w.account.address, taskId, digest),
        zeroAddress,
        '0x',
        authorization,
      ] as const;
      const outcome = await send(w.account, 'contribute', args);
      if (model.value !== undefined) {
        assert.deepEqual(outcome, { ok: false, errorName: 'TaskNotActive', args: [taskId, Status.Revealing] });
        cover('contribute after the consensus refused');
        break;
      }
      expectOk(outcome, 'contribute');
      model.contribute(w.account.address, resultHash(taskId, digest), w.score);
      contributed.push(w);
    }
    const consensus = await world.hub.read.viewConsensus([taskId]);
    assert.equal(consensus.total, model.total + 1n, 'total weight as the model computes it');
    assert.equal(
      (await world.hub.read.viewTask([taskId])).status,
      model.value ? Status.Revealing : Status.Active,
      'consensus reached exactly when the model says',
    );
    const task = await world.hub.read.viewTask([taskId]);
    const moved = new Map<Address, [bigint, bigint]>();
    const add = (a: Address, db: bigint, df: bigint) => {
      const [b, f] = moved.get(a) ?? [0n, 0n];
      moved.set(a, [b + db, f + df]);
    };
    const scoresAfter = new Map(team.map((w) => [w.account.address, w.score]));

    if (model.value !== undefined) {
      assert.equal(consensus.consensusValue, model.value);
      assert.equal(consensus.winnerCounter, BigInt(model.winners));
      if (model.value !== resultHash(taskId, DIGESTS.honest)) cover('a lie won the consensus');
      const winners = contributed.filter((w) => resultHash(taskId, DIGESTS[w.behaviour]) === model.value);
      const revealers = winners.filter((w) => w.behaviour !== 'silent');
      for (const w of revealers) {
        expectOk(await send(w.account, 'reveal', [taskId, DIGESTS[w.behaviour]]), 'reveal');
        model.reveal(w.account.address);
      }
      if (revealers.length === 0) {
        await world.chain.increaseTime(consensus.revealDeadline - (await world.chain.now()));
        expectOk(await send(scheduler, 'reopen', [taskId]), 'reopen');
        assert.equal(model.reopen(), winners.length);
        cover('nobody revealed: reopened, then claimed');
      } else {
        if (revealers.length < winners.length) {
          await world.chain.increaseTime(consensus.revealDeadline - (await world.chain.now()));
          cover('finalized after the reveal deadline without the silent');
        } else cover('finalized with every winner revealed');
        expectOk(await send(scheduler, 'finalize', [taskId, '0x', '0x']), 'finalize');
        const scores = new Map(contributed.map((w) => [w.account.address, w.score]));
        const s = settle(model, {
          workerpoolPrice: PRICES.workerpool,
          stake: WORKER_STAKE,
          schedulerRewardRatio: 1n,
          scores,
        });
        for (const [worker, reward] of s.rewards) add(worker, reward, 0n);
        for (const worker of s.slashed) add(worker, -WORKER_STAKE, 0n);
        for (const [worker, score] of s.scores) scoresAfter.set(worker, score);
        add(scheduler.address, s.schedulerShare, 0n);
        add(requester.address, -TASK_PRICE, 0n);
        add(appOwner.address, PRICES.app, 0n);
        add(datasetOwner.address, PRICES.dataset, 0n);
        assert.equal((await world.hub.read.viewTask([taskId])).status, Status.Completed);
      }
    } else cover('no consensus: claimed');

    if ((await world.hub.read.viewTask([taskId])).status !== Status.Completed) {
      await world.chain.increaseTime(task.finalDeadline - (await world.chain.now()));
      expectOk(await send(requester, 'claim', [taskId]), 'claim');
      add(scheduler.address, -SCHEDULER_STAKE, 0n);
      add(KITTY, 0n, SCHEDULER_STAKE);
    }

    const end = await ledgerChecked('end');
    for (const account of accounts) {
      const [b0, f0] = start.get(account) as readonly [bigint, bigint];
      const [db, df] = moved.get(account) ?? [0n, 0n];
      assert.deepEqual(end.get(account), [b0 + db, f0 + df], `ledger of ${account}`);
    }
    for (const w of team) {
      assert.equal(
        await world.hub.read.viewScore([w.account.address]),
        scoresAfter.get(w.account.address),
        `score of ${w.behaviour} worker`,
      );
    }
  }

  it('reaches the consensus the model predicts, pays and slashes as it says, and conserves funds', async (t) => {
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(runArb, async (run) => {
        const snapshot = await world.chain.snapshot();
        try {
          await execute(run);
        } finally {
          await world.chain.revert(snapshot);
        }
      }),
      { seed: 42, numRuns: RUNS, includeErrorInReport: true },
    );
    t.diagnostic(`${RUNS} runs in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    for (const [label, count] of [...coverage].sort()) t.diagnostic(`${label} × ${count}`);
    const paths = [
      'finalized with every winner revealed',
      'finalized after the reveal deadline without the silent',
      'nobody revealed: reopened, then claimed',
      'no consensus: claimed',
    ];
    assert.deepEqual(
      paths.filter((p) => !coverage.has(p)),
      [],
      'the runs reach every end of a task',
    );
  });
});
