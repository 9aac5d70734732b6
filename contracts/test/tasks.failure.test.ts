import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { type Hex, keccak256, type LocalAccount, toHex, zeroAddress, zeroHash } from 'viem';
import {
  authorizationHash,
  confideHubAbi,
  failureMessageHash,
  failureReason,
  parseFailureReason,
} from '../../packages/protocol/src/index.js';
import {
  activeTask,
  deployWorld,
  expectRevert,
  newEnclave,
  PRICES,
  teeSignatures,
  type World,
} from './helpers/world.js';

const TASK_PRICE = PRICES.app + PRICES.dataset + PRICES.workerpool;
const STAKE = (PRICES.workerpool * 30n) / 100n;
const REASON = failureReason('APP_EXIT_NONZERO');

async function failureSignatures(world: World, taskId: Hex, enclave: LocalAccount, reason: Hex = REASON) {
  const { scheduler, worker } = world.actors;
  return {
    authorizationSign: await scheduler.signMessage({
      message: { raw: authorizationHash(worker.address, taskId, enclave.address) },
    }),
    enclaveSign: await enclave.signMessage({ message: { raw: failureMessageHash(worker.address, taskId, reason) } }),
  };
}

async function accounts(world: World) {
  const { requester, scheduler, worker } = world.actors;
  const read = async (a: Hex): Promise<[bigint, bigint]> => [
    await world.hub.read.balanceOf([a]),
    await world.hub.read.frozenOf([a]),
  ];
  return {
    requester: await read(requester.address),
    scheduler: await read(scheduler.address),
    worker: await read(worker.address),
  };
}

describe('ConfideHub#reportFailure', () => {
  let world: World;
  before(async () => {
    world = await deployWorld();
  });

  it('ends the task FAILED at once, refunds the requester and releases the scheduler stake', async () => {
    const { taskId } = await activeTask(world);
    const before0 = await accounts(world);
    const enclave = newEnclave();
    const sigs = await failureSignatures(world, taskId, enclave);
    const receipt = await world.mined(
      world
        .as(world.actors.worker)
        .hub.write.reportFailure([taskId, REASON, enclave.address, sigs.enclaveSign, sigs.authorizationSign]),
    );
    const after = await accounts(world);
    assert.deepEqual(after.requester, [before0.requester[0] + TASK_PRICE, before0.requester[1] - TASK_PRICE]);
    assert.deepEqual(after.scheduler, [before0.scheduler[0] + STAKE, before0.scheduler[1] - STAKE]);
    assert.deepEqual(after.worker, before0.worker, 'nobody is paid for a failed task');
    assert.equal((await world.hub.read.viewTask([taskId])).status, 4, 'FAILED');
    const [event] = await world.publicClient.getContractEvents({
      address: world.addresses.hub,
      abi: confideHubAbi,
      eventName: 'TaskFailed',
      blockHash: receipt.blockHash,
    });
    assert.equal(event?.args.taskId, taskId);
    assert.equal(parseFailureReason(event?.args.reason ?? zeroHash), 'APP_EXIT_NONZERO');
    await expectRevert(world.hub.read.resultFor([taskId]), 'TaskNotCompleted', [taskId, 4]);
    await expectRevert(world.hub.write.claim([taskId]), 'TaskNotClaimable', [taskId, 4]);
  });

  it('error: a result signature replayed as a failure report', async () => {
    const { taskId } = await activeTask(world);
    const { scheduler, worker } = world.actors;
    const enclave = newEnclave();
    const resultSigs = await teeSignatures({
      taskId,
      worker: worker.address,
      enclave,
      scheduler,
      resultDigest: REASON,
    });
    const before0 = await accounts(world);
    await expectRevert(
      world
        .as(worker)
        .hub.write.reportFailure([
          taskId,
          REASON,
          enclave.address,
          resultSigs.enclaveSign,
          resultSigs.authorizationSign,
        ]),
      'TaskEnclaveSignatureInvalid',
    );
    assert.deepEqual(await accounts(world), before0);
  });

  it('error: a failure signed by another enclave key than the authorised one', async () => {
    const { taskId } = await activeTask(world);
    const authorised = newEnclave();
    const rogue = newEnclave();
    const sigs = await failureSignatures(world, taskId, authorised);
    const rogueSign = await rogue.signMessage({
      message: { raw: failureMessageHash(world.actors.worker.address, taskId, REASON) },
    });
    await expectRevert(
      world
        .as(world.actors.worker)
        .hub.write.reportFailure([taskId, REASON, authorised.address, rogueSign, sigs.authorizationSign]),
      'TaskEnclaveSignatureInvalid',
      [taskId, rogue.address, authorised.address],
    );
  });

  it('error: a signature for another reason', async () => {
    const { taskId } = await activeTask(world);
    const enclave = newEnclave();
    const sigs = await failureSignatures(world, taskId, enclave, failureReason('APP_TIMEOUT'));
    await expectRevert(
      world
        .as(world.actors.worker)
        .hub.write.reportFailure([taskId, REASON, enclave.address, sigs.enclaveSign, sigs.authorizationSign]),
      'TaskEnclaveSignatureInvalid',
    );
  });

  it('error: not authorised by the workerpool owner', async () => {
    const { taskId } = await activeTask(world);
    const enclave = newEnclave();
    const sigs = await failureSignatures(world, taskId, enclave);
    const forged = await world.actors.other.signMessage({
      message: { raw: authorizationHash(world.actors.worker.address, taskId, enclave.address) },
    });
    await expectRevert(
      world
        .as(world.actors.worker)
        .hub.write.reportFailure([taskId, REASON, enclave.address, sigs.enclaveSign, forged]),
      'TaskAuthorizationInvalid',
      [taskId, world.actors.other.address, world.actors.scheduler.address],
    );
  });

  it('error: no reason, no enclave, or a task already completed', async () => {
    const { taskId } = await activeTask(world);
    const enclave = newEnclave();
    const sigs = await failureSignatures(world, taskId, enclave);
    const hub = world.as(world.actors.worker).hub;
    await expectRevert(
      hub.write.reportFailure([taskId, zeroHash, enclave.address, sigs.enclaveSign, sigs.authorizationSign]),
      'TaskFailureReasonMissing',
      [taskId],
    );
    await expectRevert(
      hub.write.reportFailure([taskId, REASON, zeroAddress, sigs.enclaveSign, sigs.authorizationSign]),
      'TaskEnclaveRequired',
      [taskId],
    );
    const done = await teeSignatures({
      taskId,
      worker: world.actors.worker.address,
      enclave,
      scheduler: world.actors.scheduler,
      resultDigest: keccak256(toHex('r')),
    });
    await world.mined(
      hub.write.contributeAndFinalize([
        taskId,
        keccak256(toHex('r')),
        '0x',
        '0x',
        enclave.address,
        done.enclaveSign,
        done.authorizationSign,
      ]),
    );
    await expectRevert(
      hub.write.reportFailure([taskId, REASON, enclave.address, sigs.enclaveSign, sigs.authorizationSign]),
      'TaskNotActive',
      [taskId, 3],
    );
  });

  it('error: after the contribution deadline (claim is the way then)', async () => {
    const snapshot = await world.chain.snapshot();
    try {
      const { taskId } = await activeTask(world);
      const task = await world.hub.read.viewTask([taskId]);
      await world.chain.increaseTime(task.contributionDeadline - (await world.chain.now()));
      const enclave = newEnclave();
      const sigs = await failureSignatures(world, taskId, enclave);
      await expectRevert(
        world
          .as(world.actors.worker)
          .hub.write.reportFailure([taskId, REASON, enclave.address, sigs.enclaveSign, sigs.authorizationSign]),
        'TaskContributionDeadlinePassed',
      );
    } finally {
      await world.chain.revert(snapshot);
    }
  });
});
