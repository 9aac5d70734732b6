import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { type Address, keccak256, recoverMessageAddress, toHex, zeroAddress, zeroHash } from 'viem';
import {
  authorizationHash,
  computeTaskId,
  testResultReceiverAbi,
  testResultReceiverBytecode,
} from '../../packages/protocol/src/index.js';
import {
  contribution,
  deploy,
  expectUnchanged,
  hubEvents,
  KITTY,
  newTaskId,
  onSnapshot,
  Status,
  setNextTimestamp,
  strict,
} from './helpers/fixtures.js';
import {
  activeTask,
  deployWorld,
  expectRevert,
  match,
  newEnclave,
  type OrderOverrides,
  type World,
} from './helpers/world.js';

/** Overrides for a deal with nothing requiring a TEE. */
const NON_TEE: OrderOverrides = {
  app: { tag: zeroHash },
  dataset: { tag: zeroHash },
  workerpool: { tag: zeroHash },
  request: { tag: zeroHash },
};

describe('ConfideHub#initialize/contributeAndFinalize/claim', () => {
  let world: World;
  let parties: Address[];
  before(async () => {
    world = await deployWorld();
    const { requester, scheduler, worker, appOwner, datasetOwner, other } = world.actors;
    parties = [requester, scheduler, worker, appOwner, datasetOwner, other].map((a) => a.address).concat(KITTY);
  });

  /** `promise` reverts with `name(args)` and no party's balance moves. */
  const rejects = (promise: () => Promise<unknown>, name: string, args: readonly unknown[]) =>
    expectUnchanged(world, parties, () => expectRevert(promise(), name, args));

  it('error: initialize or view of a deal that does not exist', async () => {
    const dealId = keccak256(toHex('no such deal'));
    await expectRevert(strict(world).hub.write.initialize([dealId, 0n]), 'DealNotFound', [dealId]);
    await expectRevert(strict(world).hub.read.viewDeal([dealId]), 'DealNotFound', [dealId]);
  });

  it('error: task index outside [botFirst, botFirst + botSize) of each deal of one request', async () => {
    const first = await world.orders({ request: { volume: 2n } });
    const { dealId: deal1 } = await match(world, first);
    const second = await world.orders();
    const { dealId: deal2 } = await match(world, { ...second, request: first.request });
    await rejects(() => strict(world).hub.write.initialize([deal1, 1n]), 'TaskIndexOutOfRange', [deal1, 1n, 0n, 1n]);
    await rejects(() => strict(world).hub.write.initialize([deal2, 0n]), 'TaskIndexOutOfRange', [deal2, 0n, 1n, 1n]);
    await world.mined(strict(world).hub.write.initialize([deal2, 1n]));
    assert.equal((await world.hub.read.viewTask([computeTaskId(deal2, 1n)])).status, Status.Active);
  });

  it('error: initializing a task twice', async () => {
    const { dealId, taskId } = await activeTask(world);
    await rejects(() => strict(world).hub.write.initialize([dealId, 0n]), 'TaskAlreadyInitialized', [taskId]);
  });

  it('error: initializeArray and initializeAndClaimArray with arrays of different lengths', async () => {
    const { dealId } = await match(world, await world.orders());
    const hub = strict(world).hub.write;
    await rejects(() => hub.initializeArray([[dealId, dealId], [0n]]), 'TaskArrayLengthMismatch', [2n, 1n]);
    await rejects(() => hub.initializeAndClaimArray([[dealId], [0n, 1n]]), 'TaskArrayLengthMismatch', [1n, 2n]);
  });

  it('error: finalizing a task that was never initialized, or twice', async () => {
    const unknown = newTaskId();
    await rejects(async () => (await contribution(world, unknown)).send(), 'TaskNotActive', [unknown, Status.Unset]);
    const { taskId } = await activeTask(world);
    await world.mined((await contribution(world, taskId)).send());
    await rejects(async () => (await contribution(world, taskId)).send(), 'TaskNotActive', [taskId, Status.Completed]);
  });

  it('error: claiming an unknown, a completed or an already failed task', async () => {
    const unknown = newTaskId();
    await rejects(() => strict(world).hub.write.claim([unknown]), 'TaskNotClaimable', [unknown, Status.Unset]);
    const completed = await activeTask(world);
    await world.mined((await contribution(world, completed.taskId)).send());
    await rejects(() => strict(world).hub.write.claim([completed.taskId]), 'TaskNotClaimable', [
      completed.taskId,
      Status.Completed,
    ]);
    await onSnapshot(world, async () => {
      const { taskId } = await activeTask(world);
      const { finalDeadline } = await world.hub.read.viewTask([taskId]);
      await world.chain.increaseTime(finalDeadline - (await world.chain.now()));
      await world.mined(strict(world).hub.write.claim([taskId]));
      await rejects(() => strict(world).hub.write.claimArray([[taskId]]), 'TaskNotClaimable', [taskId, Status.Failed]);
    });
  });

  it('error: result of a task that is not completed', async () => {
    const { taskId } = await activeTask(world);
    await expectRevert(strict(world).hub.read.resultFor([taskId]), 'TaskNotCompleted', [taskId, Status.Active]);
  });

  it('error: contribution at the contribution deadline; one second earlier is accepted', async () => {
    await onSnapshot(world, async () => {
      const volume = { volume: 2n };
      const orders = await world.orders({ app: volume, dataset: volume, workerpool: volume, request: volume });
      const { dealId } = await match(world, orders);
      await world.mined(
        strict(world).hub.write.initializeArray([
          [dealId, dealId],
          [0n, 1n],
        ]),
      );
      const [early, late] = [computeTaskId(dealId, 0n), computeTaskId(dealId, 1n)];
      const { contributionDeadline: deadline } = await world.hub.read.viewTask([late]);
      await world.chain.increaseTime(deadline - (await world.chain.now()) - 10n);
      await setNextTimestamp(world, deadline - 1n);
      await world.mined((await contribution(world, early)).send());
      await setNextTimestamp(world, deadline);
      const c = await contribution(world, late);
      await rejects(() => c.send(), 'TaskContributionDeadlinePassed', [late, deadline, deadline]);
      assert.equal((await world.hub.read.viewTask([late])).status, Status.Active);
    });
  });

  it('error: claim one second before the final deadline; at the deadline it succeeds', async () => {
    await onSnapshot(world, async () => {
      const { taskId } = await activeTask(world);
      const { finalDeadline } = await world.hub.read.viewTask([taskId]);
      await world.chain.increaseTime(finalDeadline - (await world.chain.now()) - 10n);
      await setNextTimestamp(world, finalDeadline - 1n);
      await rejects(() => strict(world).hub.write.claim([taskId]), 'TaskFinalDeadlineNotReached', [
        taskId,
        finalDeadline,
        finalDeadline - 1n,
      ]);
      await setNextTimestamp(world, finalDeadline);
      await world.mined(strict(world).hub.write.claim([taskId]));
      assert.equal((await world.hub.read.viewTask([taskId])).status, Status.Failed);
    });
  });

  it('error: the one-call path on a deal of trust 2', async () => {
    const { taskId } = await activeTask(world, { request: { trust: 2n }, workerpool: { trust: 2n } });
    await rejects(async () => (await contribution(world, taskId)).send(), 'TaskTrustNotOne', [taskId, 2n]);
  });

  it('error: a TEE deal finalized without enclave; a non-TEE deal needs none', async () => {
    const tee = await activeTask(world);
    await rejects(
      async () => (await contribution(world, tee.taskId, { enclave: null })).send(),
      'TaskEnclaveRequired',
      [tee.taskId],
    );
    const plain = await activeTask(world, NON_TEE);
    await world.mined((await contribution(world, plain.taskId, { enclave: null })).send());
    assert.equal((await world.hub.read.viewTask([plain.taskId])).status, Status.Completed);
  });

  it('error: authorization signed by another account than the workerpool owner', async () => {
    const { taskId } = await activeTask(world);
    const { other, scheduler } = world.actors;
    const c = await contribution(world, taskId, { authorizer: other });
    await rejects(() => c.send(), 'TaskAuthorizationInvalid', [taskId, other.address, scheduler.address]);
  });

  it('error: authorization for another worker (scheduler signed for worker A, worker B submits)', async () => {
    const { taskId } = await activeTask(world);
    const { other, worker, scheduler } = world.actors;
    const c = await contribution(world, taskId, { worker: other, authorizedWorker: worker.address });
    assert.ok(c.enclave);
    const signer = await recoverMessageAddress({
      message: { raw: authorizationHash(other.address, taskId, c.enclave.address) },
      signature: c.authorizationSign,
    });
    assert.notEqual(signer, scheduler.address);
    await rejects(() => c.send(), 'TaskAuthorizationInvalid', [taskId, signer, scheduler.address]);
  });

  it('error: authorization for another task', async () => {
    const { taskId } = await activeTask(world);
    const { taskId: otherTask } = await activeTask(world);
    const c = await contribution(world, taskId, { authorizedTask: otherTask });
    assert.ok(c.enclave);
    const signer = await recoverMessageAddress({
      message: { raw: authorizationHash(world.actors.worker.address, taskId, c.enclave.address) },
      signature: c.authorizationSign,
    });
    await rejects(() => c.send(), 'TaskAuthorizationInvalid', [taskId, signer, world.actors.scheduler.address]);
  });

  it('error: a malformed authorization recovers no signer', async () => {
    const { taskId } = await activeTask(world);
    const c = await contribution(world, taskId, { authorizationSign: '0x1234' });
    await rejects(() => c.send(), 'TaskAuthorizationInvalid', [taskId, zeroAddress, world.actors.scheduler.address]);
  });

  it('error: result signed by a wrong enclave key', async () => {
    const { taskId } = await activeTask(world);
    const wrong = newEnclave();
    const c = await contribution(world, taskId, { enclaveSigner: wrong });
    assert.ok(c.enclave);
    await rejects(() => c.send(), 'TaskEnclaveSignatureInvalid', [taskId, wrong.address, c.enclave.address]);
  });

  it('error: callback data that does not hash to the result digest', async () => {
    const receiver = await deploy(world, testResultReceiverAbi, testResultReceiverBytecode);
    const { taskId } = await activeTask(world, { request: { callback: receiver.address } });
    const callbackData = toHex('pm25 mean: 12.3');
    const resultDigest = keccak256(toHex('pm25 mean: 99.9'));
    const c = await contribution(world, taskId, { callbackData, resultDigest });
    await rejects(() => c.send(), 'TaskCallbackDataMismatch', [taskId, resultDigest, keccak256(callbackData)]);
    assert.equal(await receiver.read.received(), 0n);
  });

  it('setCallbackGas: the owner changes it (CallbackGasUpdated), anyone else is refused', async () => {
    const { other, deployer } = world.actors;
    await expectRevert(strict(world, other).hub.write.setCallbackGas([1n]), 'OwnableUnauthorizedAccount', [
      other.address,
    ]);
    const receipt = await world.mined(world.as(deployer).hub.write.setCallbackGas([300_000n]));
    assert.deepEqual(hubEvents(receipt, 'CallbackGasUpdated')[0]?.args, { oldGas: 200_000n, newGas: 300_000n });
    assert.equal(await world.hub.read.callbackGas(), 300_000n);
    await world.mined(world.as(deployer).hub.write.setCallbackGas([200_000n]));
  });
});
