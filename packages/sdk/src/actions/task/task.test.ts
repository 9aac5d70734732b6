import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Hex } from 'viem';
import { zeroHash } from 'viem';
import { completeTask, failTask, initializeTask, matchedDeal, passFinalDeadline } from '../../testing/lifecycle.js';
import { expectSdkError, type SdkFixture, sdkFixture } from '../../testing/sdkFixture.js';
import { claimTask } from './claimTask.js';
import { observeTask } from './observeTask.js';
import { showTask } from './showTask.js';

describe('task', () => {
  let f: SdkFixture;
  before(async () => {
    f = await sdkFixture();
  });

  it('showTask: ACTIVE with its deadlines, then COMPLETED with its result location', async () => {
    const { dealId, tasks } = await matchedDeal(f);
    const taskId = tasks[0] as Hex;
    await initializeTask(f, dealId, 0n);
    const active = await showTask(f.clientOf(), { taskId });
    assert.equal(active.statusName, 'ACTIVE');
    assert.equal(active.dealId, dealId);
    assert.equal(active.taskTimedOut, false);
    assert.ok(active.finalDeadline > active.contributionDeadline);
    assert.equal(active.results, undefined);
    const resultDigest = await completeTask(f, taskId, '/ipfs/bafyresult');
    const completed = await showTask(f.clientOf(), { taskId });
    assert.equal(completed.statusName, 'COMPLETED');
    assert.equal(completed.resultDigest, resultDigest);
    assert.deepEqual(completed.results, { storage: 'ipfs', location: '/ipfs/bafyresult' });
  });

  it('observeTask yields each status change and ends with TASK_COMPLETED', async () => {
    const { dealId, tasks } = await matchedDeal(f);
    const taskId = tasks[0] as Hex;
    const events = observeTask(f.clientOf(), { taskId, dealId });
    assert.deepEqual((await events.next()).value, { message: 'TASK_UPDATED', taskId, statusName: 'UNSET' });
    await initializeTask(f, dealId, 0n);
    assert.deepEqual((await events.next()).value, { message: 'TASK_UPDATED', taskId, statusName: 'ACTIVE' });
    await completeTask(f, taskId, '/ipfs/bafyobserved');
    assert.deepEqual((await events.next()).value, { message: 'TASK_COMPLETED', taskId, statusName: 'COMPLETED' });
    assert.equal((await events.next()).done, true);
  });

  it('observeTask ends with TASK_FAILED and the reason the enclave reported', async () => {
    const { dealId, tasks } = await matchedDeal(f);
    const taskId = tasks[0] as Hex;
    await initializeTask(f, dealId, 0n);
    await failTask(f, taskId);
    const seen = [];
    for await (const event of observeTask(f.clientOf(), { taskId })) seen.push(event);
    assert.deepEqual(seen, [{ message: 'TASK_FAILED', taskId, statusName: 'FAILED', reason: 'APP_EXIT_NONZERO' }]);
  });

  it('claimTask refunds an ACTIVE task after its final deadline; showTask said TIMEOUT, observeTask TASK_TIMEDOUT', async () => {
    const { dealId, tasks } = await matchedDeal(f, 2n);
    const [taskId, neverStarted] = tasks as [Hex, Hex];
    await initializeTask(f, dealId, 0n);
    await passFinalDeadline(f, dealId);
    const shown = await showTask(f.clientOf(), { taskId });
    assert.equal(shown.statusName, 'TIMEOUT');
    assert.equal(shown.taskTimedOut, true);
    const seen = [];
    for await (const event of observeTask(f.clientOf(), { taskId: neverStarted, dealId })) seen.push(event.message);
    assert.deepEqual(seen, ['TASK_TIMEDOUT']);
    const { txHash } = await claimTask(f.clientOf(f.world.actors.other), { taskId });
    assert.match(txHash, /^0x[0-9a-f]{64}$/);
    assert.equal((await showTask(f.clientOf(), { taskId })).statusName, 'FAILED');
    const { value: last } = await observeTask(f.clientOf(), { taskId }).next();
    assert.deepEqual(last, { message: 'TASK_FAILED', taskId, statusName: 'FAILED', reason: 'CLAIMED' });
  });

  it('error: claimTask before the deadline, or of a completed task, is CONFIDE_SDK_TASK_NOT_CLAIMABLE with the reason', async () => {
    const { dealId, tasks } = await matchedDeal(f);
    const taskId = tasks[0] as Hex;
    await initializeTask(f, dealId, 0n);
    const client = f.clientOf(f.world.actors.other);
    await expectSdkError(
      claimTask(client, { taskId }),
      'CONFIDE_SDK_TASK_NOT_CLAIMABLE',
      'TaskFinalDeadlineNotReached',
    );
    await completeTask(f, taskId, '/ipfs/bafyclaimed');
    const error = await expectSdkError(
      claimTask(client, { taskId }),
      'CONFIDE_SDK_TASK_NOT_CLAIMABLE',
      'TaskNotClaimable',
    );
    assert.match(error.shortMessage, /COMPLETED/);
    await expectSdkError(claimTask(f.clientOf(), { taskId }), 'CONFIDE_SDK_ACCOUNT_REQUIRED');
  });

  it('error: showTask of a task not initialized is CONFIDE_SDK_TASK_NOT_FOUND; bad ids CONFIDE_SDK_PARAMETERS_INVALID', async () => {
    await expectSdkError(showTask(f.clientOf(), { taskId: zeroHash }), 'CONFIDE_SDK_TASK_NOT_FOUND');
    await expectSdkError(showTask(f.clientOf(), { taskId: 'task-1' as Hex }), 'CONFIDE_SDK_PARAMETERS_INVALID');
    await expectSdkError(claimTask(f.clientOf(), { taskId: '0x' }), 'CONFIDE_SDK_PARAMETERS_INVALID');
    await expectSdkError(
      () => observeTask(f.clientOf(), { taskId: zeroHash, timeoutMs: -1 }),
      'CONFIDE_SDK_PARAMETERS_INVALID',
    );
  });

  it('error: observeTask gives up with CONFIDE_SDK_OBSERVE_TIMEOUT; an unknown deal is CONFIDE_SDK_DEAL_NOT_FOUND', async () => {
    const events = observeTask(f.clientOf(), { taskId: zeroHash, timeoutMs: 0 });
    assert.equal((await events.next()).value?.statusName, 'UNSET');
    await expectSdkError(events.next(), 'CONFIDE_SDK_OBSERVE_TIMEOUT');
    await expectSdkError(
      observeTask(f.clientOf(), { taskId: zeroHash, dealId: zeroHash }).next(),
      'CONFIDE_SDK_DEAL_NOT_FOUND',
    );
  });
});
