import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { type Hex, zeroHash } from 'viem';
import { computeTaskId } from '../../../../protocol/src/index.js';
import { completeTask, failTask, initializeTask, matchedDeal, passFinalDeadline } from '../../testing/lifecycle.js';
import { RESULT_KEY } from '../../testing/orderSet.js';
import { expectSdkError, type SdkFixture, sdkFixture } from '../../testing/sdkFixture.js';
import { claimDeal } from './claimDeal.js';
import { observeDeal } from './observeDeal.js';
import { showDeal } from './showDeal.js';

const TOKEN = 1_000_000_000n;

describe('deal', () => {
  let f: SdkFixture;
  before(async () => {
    f = await sdkFixture();
  });

  it('showDeal returns the record, the signed params, the task ids and the deadline', async () => {
    const { dealId, orders } = await matchedDeal(f, 3n);
    const deal = await showDeal(f.clientOf(), { dealId });
    assert.equal(deal.dealId, dealId);
    assert.equal(deal.app, f.world.app);
    assert.equal(deal.dataset, f.world.dataset);
    assert.equal(deal.workerpool, f.world.workerpool);
    assert.equal(deal.requester, f.world.actors.requester.address);
    assert.equal(deal.appPrice, 2n * TOKEN);
    assert.equal(deal.botSize, 3);
    assert.equal(deal.params, orders.requestOrder.params);
    assert.match(deal.params, new RegExp(RESULT_KEY.recipient));
    assert.deepEqual(
      deal.tasks,
      [0n, 1n, 2n].map((i) => computeTaskId(dealId, BigInt(deal.botFirst) + i)),
    );
    assert.ok(deal.finalDeadline > BigInt(deal.startTime));
    assert.equal(deal.dealTimedOut, false);
  });

  it('claimDeal after the final deadline claims initialized and never-initialized tasks, skipping completed ones', async () => {
    const { dealId, tasks } = await matchedDeal(f, 3n);
    const [done, started, untouched] = tasks as [`0x${string}`, `0x${string}`, `0x${string}`];
    await initializeTask(f, dealId, 0n);
    await completeTask(f, done, '/ipfs/bafydone');
    await initializeTask(f, dealId, 1n);
    const requester = f.clientOf(f.world.actors.requester);
    const before = await requester.getAccountBalance();
    await passFinalDeadline(f, dealId);
    assert.equal((await showDeal(f.clientOf(), { dealId })).dealTimedOut, true);
    const { claimed, txHashes } = await claimDeal(f.clientOf(f.world.actors.other), { dealId });
    assert.deepEqual(claimed, [started, untouched]);
    assert.equal(txHashes.length, 2);
    const after = await requester.getAccountBalance();
    assert.equal(after.stake - before.stake, 2n * 6n * TOKEN, 'two tasks refunded');
    assert.equal((await requester.showTask({ taskId: untouched })).statusName, 'FAILED');
  });

  it('error: claiming a deal with every task ended is CONFIDE_SDK_TASK_NOT_CLAIMABLE', async () => {
    const { dealId, tasks } = await matchedDeal(f);
    await initializeTask(f, dealId, 0n);
    await completeTask(f, tasks[0] as `0x${string}`, '/ipfs/bafyend');
    await expectSdkError(claimDeal(f.clientOf(f.world.actors.other), { dealId }), 'CONFIDE_SDK_TASK_NOT_CLAIMABLE');
  });

  it('error: claiming before the final deadline is CONFIDE_SDK_TASK_NOT_CLAIMABLE (TaskFinalDeadlineNotReached)', async () => {
    const { dealId } = await matchedDeal(f);
    const early = await expectSdkError(
      claimDeal(f.clientOf(f.world.actors.other), { dealId }),
      'CONFIDE_SDK_TASK_NOT_CLAIMABLE',
      'TaskFinalDeadlineNotReached',
    );
    // The hub's error with its arguments: the task, the final deadline, the block's time.
    assert.match(early.details ?? '', /^TaskFinalDeadlineNotReached\(0x[0-9a-f]{64}, (\d+), (\d+)\)$/);
  });

  it('error: an unknown deal is CONFIDE_SDK_DEAL_NOT_FOUND; a bad id CONFIDE_SDK_PARAMETERS_INVALID; no account CONFIDE_SDK_ACCOUNT_REQUIRED', async () => {
    await expectSdkError(showDeal(f.clientOf(), { dealId: zeroHash }), 'CONFIDE_SDK_DEAL_NOT_FOUND');
    await expectSdkError(
      claimDeal(f.clientOf(f.world.actors.other), { dealId: zeroHash }),
      'CONFIDE_SDK_DEAL_NOT_FOUND',
    );
    await expectSdkError(showDeal(f.clientOf(), { dealId: '0x1234' }), 'CONFIDE_SDK_PARAMETERS_INVALID');
    const { dealId } = await matchedDeal(f);
    await passFinalDeadline(f, dealId);
    await expectSdkError(claimDeal(f.clientOf(), { dealId }), 'CONFIDE_SDK_ACCOUNT_REQUIRED');
  });

  it('observeDeal yields DEAL_UPDATED on each task change and ends with DEAL_COMPLETED', async () => {
    const { dealId, tasks } = await matchedDeal(f, 2n);
    const [first, second] = tasks as [Hex, Hex];
    const events = observeDeal(f.clientOf(), { dealId });
    const next = async () => (await events.next()).value;
    assert.deepEqual(await next(), {
      message: 'DEAL_UPDATED',
      dealId,
      tasks: [
        { taskId: first, statusName: 'UNSET' },
        { taskId: second, statusName: 'UNSET' },
      ],
      completedTasks: 0,
      failedTasks: 0,
    });
    await initializeTask(f, dealId, 0n);
    assert.deepEqual(
      (await next())?.tasks.map((t) => t.statusName),
      ['ACTIVE', 'UNSET'],
    );
    await completeTask(f, first, '/ipfs/bafyfirst');
    const half = await next();
    assert.deepEqual([half?.message, half?.completedTasks], ['DEAL_UPDATED', 1]);
    await initializeTask(f, dealId, 1n);
    assert.deepEqual(
      (await next())?.tasks.map((t) => t.statusName),
      ['COMPLETED', 'ACTIVE'],
    );
    await completeTask(f, second, '/ipfs/bafysecond');
    const done = await next();
    assert.deepEqual([done?.message, done?.completedTasks, done?.failedTasks], ['DEAL_COMPLETED', 2, 0]);
    assert.equal((await events.next()).done, true);
  });

  it('observeDeal ends with DEAL_FAILED when every task is final and one failed, DEAL_TIMEDOUT past the deadline', async () => {
    const failing = await matchedDeal(f, 1n);
    await initializeTask(f, failing.dealId, 0n);
    await failTask(f, failing.tasks[0] as Hex);
    const seen = [];
    for await (const event of observeDeal(f.clientOf(), { dealId: failing.dealId })) seen.push(event.message);
    assert.deepEqual(seen, ['DEAL_FAILED']);

    const late = await matchedDeal(f, 2n);
    await initializeTask(f, late.dealId, 0n);
    await passFinalDeadline(f, late.dealId);
    const last = [];
    for await (const event of f.clientOf().observeDeal({ dealId: late.dealId })) last.push(event);
    assert.deepEqual(
      last.map((e) => [e.message, e.tasks.map((t) => t.statusName)]),
      [['DEAL_TIMEDOUT', ['ACTIVE', 'UNSET']]],
    );
  });

  it('error: observeDeal of an unknown deal is DEAL_NOT_FOUND; OBSERVE_TIMEOUT after timeoutMs; PARAMETERS_INVALID', async () => {
    await expectSdkError(
      observeDeal(f.clientOf(), { dealId: `0x${'ab'.repeat(32)}` }).next(),
      'CONFIDE_SDK_DEAL_NOT_FOUND',
    );
    const { dealId } = await matchedDeal(f, 1n);
    const events = observeDeal(f.clientOf(), { dealId, timeoutMs: 0 });
    assert.equal((await events.next()).value?.message, 'DEAL_UPDATED');
    const timeout = await expectSdkError(events.next(), 'CONFIDE_SDK_OBSERVE_TIMEOUT');
    assert.match(timeout.shortMessage, /0 of 1 tasks completed after 0 ms/);
    for (const parameters of [{ dealId: '0x12' }, { dealId, timeoutMs: -1 }, { dealId, extra: true }]) {
      await expectSdkError(() => observeDeal(f.clientOf(), parameters as never), 'CONFIDE_SDK_PARAMETERS_INVALID');
    }
  });
});
