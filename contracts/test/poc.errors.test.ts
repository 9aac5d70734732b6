import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { type Address, type Hex, keccak256, type LocalAccount, toHex, zeroAddress, zeroHash } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import {
  resultHash,
  resultSeal,
  TAG_TEE,
  testResultReceiverAbi,
  testResultReceiverBytecode,
} from '../../packages/protocol/src/index.js';
import {
  deploy,
  depositFor,
  expectUnchanged,
  KITTY,
  newTaskId,
  Status,
  setNextTimestamp,
  strict,
} from './helpers/fixtures.js';
import {
  ContributionStatus,
  contribute,
  contributeArgs,
  digestOf,
  finalize,
  passDeadline,
  pocWorkers,
  RESULTS,
  replicatedTask,
  reveal,
} from './helpers/poc.js';
import { activeTask, deployWorld, expectRevert, newEnclave, TOKEN, type World } from './helpers/world.js';

describe('ConfideHub#contribute/reveal/reopen/finalize errors', () => {
  let world: World;
  let workers: LocalAccount[];
  let a: LocalAccount;
  let b: LocalAccount;
  let parties: Address[];
  before(async () => {
    world = await deployWorld();
    workers = await pocWorkers(world);
    [a, b] = workers as [LocalAccount, LocalAccount];
    const { requester, scheduler } = world.actors;
    parties = [...workers.map((w) => w.address), requester.address, scheduler.address, KITTY];
  });

  /** `promise` reverts with `name(args)` and no party's balance moves. */
  const rejects = (promise: () => Promise<unknown>, name: string, args: readonly unknown[]) =>
    expectUnchanged(world, parties, () => expectRevert(promise(), name, args));
  const send = (w: LocalAccount) => strict(world, w).hub.write;
  const scheduler = () => strict(world, world.actors.scheduler).hub.write;

  /** A trust-3 task where a and b agreed: REVEALING. */
  const revealing = async () => {
    const { taskId } = await replicatedTask(world, 3n);
    await contribute(world, taskId, a);
    await contribute(world, taskId, b);
    return { taskId, deadline: (await world.hub.read.viewConsensus([taskId])).revealDeadline };
  };

  it('error: contribute to a task that is not ACTIVE', async () => {
    const taskId = newTaskId();
    const args = await contributeArgs(world, taskId, a);
    await rejects(() => send(a).contribute(args), 'TaskNotActive', [taskId, Status.Unset]);
  });

  it('error: contribute to a trust-1 deal or to a TEE deal (they use contributeAndFinalize)', async () => {
    const plain = await replicatedTask(world, 1n);
    const args = await contributeArgs(world, plain.taskId, a);
    await rejects(() => send(a).contribute(args), 'TaskNotReplicated', [plain.taskId, 1n, zeroHash]);
    const tee = await activeTask(world, { workerpool: { trust: 3n }, request: { trust: 3n } });
    const teeArgs = await contributeArgs(world, tee.taskId, a, { enclave: newEnclave() });
    await rejects(() => send(a).contribute(teeArgs), 'TaskNotReplicated', [tee.taskId, 3n, TAG_TEE]);
  });

  it('error: contribute at or after the contribution deadline', async () => {
    const { taskId } = await replicatedTask(world, 3n);
    const { contributionDeadline } = await world.hub.read.viewTask([taskId]);
    const args = await contributeArgs(world, taskId, a);
    await setNextTimestamp(world, contributionDeadline);
    await rejects(() => send(a).contribute(args), 'TaskContributionDeadlinePassed', [
      taskId,
      contributionDeadline,
      contributionDeadline,
    ]);
    await world.chain.increaseTime(0);
  });

  it('error: contribute a zero result hash', async () => {
    const { taskId } = await replicatedTask(world, 3n);
    const args = await contributeArgs(world, taskId, a, { resultHash: zeroHash });
    await rejects(() => send(a).contribute(args), 'TaskResultHashMissing', [taskId]);
  });

  it('error: contribute twice', async () => {
    const { taskId } = await replicatedTask(world, 5n);
    await contribute(world, taskId, a);
    const args = await contributeArgs(world, taskId, a, { digest: digestOf('second thoughts') });
    await rejects(() => send(a).contribute(args), 'TaskAlreadyContributed', [
      taskId,
      a.address,
      ContributionStatus.Contributed,
    ]);
  });

  it('error: contribute without the scheduler authorization, or with a forged enclave signature', async () => {
    const { taskId } = await replicatedTask(world, 3n);
    const { scheduler: owner, other } = world.actors;
    const unauthorized = await contributeArgs(world, taskId, a, { authorizer: other });
    await rejects(() => send(a).contribute(unauthorized), 'TaskAuthorizationInvalid', [
      taskId,
      other.address,
      owner.address,
    ]);
    const enclave = newEnclave();
    const forger = newEnclave();
    const forged = await contributeArgs(world, taskId, a, { enclave, enclaveSigner: forger });
    await rejects(() => send(a).contribute(forged), 'TaskEnclaveSignatureInvalid', [
      taskId,
      forger.address,
      enclave.address,
    ]);
    // The same enclave, signing itself, is accepted and recorded.
    await contribute(world, taskId, a, { enclave });
    assert.equal((await world.hub.read.viewContribution([taskId, a.address])).enclaveChallenge, enclave.address);
  });

  it('error: the seventeenth contribution to a task', async () => {
    const { taskId } = await replicatedTask(world, 60_000n, { workerpool: { trust: 60_000n } });
    const request = world.chain.provider.request as (args: { method: string; params?: unknown[] }) => Promise<unknown>;
    const crowd = Array.from({ length: 17 }, () => privateKeyToAccount(generatePrivateKey()));
    for (const w of crowd) {
      await request({ method: 'hardhat_setBalance', params: [w.address, toHex(10n ** 18n)] });
      await depositFor(world, w.address, 10n * TOKEN);
    }
    // Distinct results, so that no group reaches trust 60,000 however many join.
    for (const [i, w] of crowd.slice(0, 16).entries()) {
      await contribute(world, taskId, w, { digest: digestOf(`crowd ${i}`) });
    }
    const last = crowd[16] as LocalAccount;
    const args = await contributeArgs(world, taskId, last);
    await expectRevert(send(last).contribute(args), 'TaskContributorsFull', [taskId, 16n]);
  });

  it('error: reveal on a task that is not REVEALING', async () => {
    const { taskId } = await replicatedTask(world, 3n);
    await rejects(() => send(a).reveal([taskId, digestOf('honest')]), 'TaskNotRevealing', [taskId, Status.Active]);
  });

  it('error: reveal at or after the reveal deadline', async () => {
    const { taskId, deadline } = await revealing();
    await setNextTimestamp(world, deadline);
    await rejects(() => send(a).reveal([taskId, digestOf('honest')]), 'TaskRevealDeadlinePassed', [
      taskId,
      deadline,
      deadline,
    ]);
    await world.chain.increaseTime(0);
  });

  it('error: reveal without a pending commitment: none, or already revealed', async () => {
    const { taskId } = await revealing();
    const stranger = workers[2] as LocalAccount;
    await rejects(() => send(stranger).reveal([taskId, digestOf('honest')]), 'TaskContributionNotCommitted', [
      taskId,
      stranger.address,
      ContributionStatus.Unset,
    ]);
    await reveal(world, taskId, a);
    await rejects(() => send(a).reveal([taskId, digestOf('honest')]), 'TaskContributionNotCommitted', [
      taskId,
      a.address,
      ContributionStatus.Proved,
    ]);
  });

  it('error: reveal a digest that is not the committed one', async () => {
    const { taskId } = await revealing();
    const wrong = digestOf('wrong');
    await rejects(() => send(a).reveal([taskId, wrong]), 'TaskResultHashMismatch', [
      taskId,
      resultHash(taskId, digestOf('honest')),
      resultHash(taskId, wrong),
    ]);
  });

  it('error: reveal a commitment sealed for another worker', async () => {
    const { taskId } = await replicatedTask(world, 3n);
    const digest = digestOf('honest');
    await contribute(world, taskId, a);
    // b commits the right hash under a's seal: its reveal can never match.
    await contribute(world, taskId, b, { resultSeal: resultSeal(a.address, taskId, digest) });
    await rejects(() => send(b).reveal([taskId, digest]), 'TaskResultSealMismatch', [
      taskId,
      resultSeal(a.address, taskId, digest),
      resultSeal(b.address, taskId, digest),
    ]);
  });

  it('error: reopen or finalize by anyone but the scheduler', async () => {
    const { taskId } = await revealing();
    const owner = world.actors.scheduler.address;
    await rejects(() => send(a).reopen([taskId]), 'TaskCallerNotScheduler', [taskId, a.address, owner]);
    await rejects(() => send(a).finalize([taskId, RESULTS, '0x']), 'TaskCallerNotScheduler', [
      taskId,
      a.address,
      owner,
    ]);
  });

  it('error: reopen or finalize a task that is not REVEALING', async () => {
    const { taskId } = await replicatedTask(world, 3n);
    await rejects(() => scheduler().reopen([taskId]), 'TaskNotRevealing', [taskId, Status.Active]);
    await rejects(() => scheduler().finalize([taskId, RESULTS, '0x']), 'TaskNotRevealing', [taskId, Status.Active]);
  });

  it('error: reopen before the reveal deadline, or once a winner revealed', async () => {
    const { taskId, deadline } = await revealing();
    await setNextTimestamp(world, deadline - 1n);
    await rejects(() => scheduler().reopen([taskId]), 'TaskRevealDeadlineNotReached', [
      taskId,
      deadline,
      deadline - 1n,
    ]);
    await world.chain.increaseTime(0);
    const other = await revealing();
    await reveal(world, other.taskId, a);
    await passDeadline(world, other.deadline);
    await rejects(() => scheduler().reopen([other.taskId]), 'TaskAlreadyRevealed', [other.taskId, 1n]);
  });

  it('error: reopen or finalize at or after the final deadline; claim still works', async () => {
    const { taskId } = await revealing();
    await reveal(world, taskId, a);
    const { finalDeadline } = await world.hub.read.viewTask([taskId]);
    await setNextTimestamp(world, finalDeadline);
    await rejects(() => scheduler().finalize([taskId, RESULTS, '0x']), 'TaskFinalDeadlinePassed', [
      taskId,
      finalDeadline,
      finalDeadline,
    ]);
    await setNextTimestamp(world, finalDeadline);
    await rejects(() => scheduler().reopen([taskId]), 'TaskFinalDeadlinePassed', [
      taskId,
      finalDeadline,
      finalDeadline,
    ]);
    await world.mined(send(a).claim([taskId]));
    assert.equal((await world.hub.read.viewTask([taskId])).status, Status.Failed);
  });

  it('error: finalize while winners may still reveal', async () => {
    const { taskId, deadline } = await revealing();
    await rejects(() => scheduler().finalize([taskId, RESULTS, '0x']), 'TaskRevealsPending', [
      taskId,
      0n,
      2n,
      deadline,
    ]);
    await passDeadline(world, deadline);
    // Past the deadline with no reveal, finalize still refuses: reopen is the way on.
    await rejects(() => scheduler().finalize([taskId, RESULTS, '0x']), 'TaskRevealsPending', [
      taskId,
      0n,
      2n,
      deadline,
    ]);
  });

  it('error: finalize with callback data that does not hash to the revealed digest; the right data is delivered', async () => {
    const receiver = await deploy(world, testResultReceiverAbi, testResultReceiverBytecode);
    const { taskId } = await replicatedTask(world, 3n, { request: { callback: receiver.address } });
    const callbackData: Hex = toHex('{"mean_pm25":12.5}');
    const digest = keccak256(callbackData);
    await contribute(world, taskId, a, { digest });
    await contribute(world, taskId, b, { digest });
    await reveal(world, taskId, a, digest);
    await reveal(world, taskId, b, digest);
    const wrong: Hex = toHex('{"mean_pm25":99}');
    await rejects(() => scheduler().finalize([taskId, RESULTS, wrong]), 'TaskCallbackDataMismatch', [
      taskId,
      digest,
      keccak256(wrong),
    ]);
    await finalize(world, taskId, callbackData);
    assert.equal(await world.hub.read.resultFor([taskId]), callbackData);
    assert.equal(await receiver.read.lastTaskId(), taskId);
  });

  it('error: contribute with an empty authorization signature', async () => {
    const { taskId } = await replicatedTask(world, 3n);
    const args = await contributeArgs(world, taskId, a);
    const broken = [args[0], args[1], args[2], zeroAddress, '0x', '0x'] as const;
    await rejects(() => send(a).contribute(broken), 'TaskAuthorizationInvalid', [
      taskId,
      zeroAddress,
      world.actors.scheduler.address,
    ]);
  });
});
