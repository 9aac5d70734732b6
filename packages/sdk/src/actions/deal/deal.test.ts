import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { zeroHash } from 'viem';
import { computeTaskId } from '../../../../protocol/src/index.js';
import { completeTask, initializeTask, matchedDeal, passFinalDeadline } from '../../testing/lifecycle.js';
import { RESULT_KEY } from '../../testing/orderSet.js';
import { expectSdkError, type SdkFixture, sdkFixture } from '../../testing/sdkFixture.js';
import { claimDeal } from './claimDeal.js';
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
    await expectSdkError(
      claimDeal(f.clientOf(f.world.actors.other), { dealId }),
      'CONFIDE_SDK_TASK_NOT_CLAIMABLE',
      'TaskFinalDeadlineNotReached',
    );
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
});
