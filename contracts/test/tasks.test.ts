import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { getContract, type Hex, keccak256, toHex } from 'viem';
import {
  computeTaskId,
  confideHubAbi,
  testResultReceiverAbi,
  testResultReceiverBytecode,
} from '../../packages/protocol/src/index.js';
import {
  activeTask,
  deployWorld,
  expectRevert,
  match,
  newEnclave,
  PRICES,
  teeSignatures,
  type World,
} from './helpers/world.js';

const KITTY = '0x99c2268479b93fDe36232351229815DF80837e23';
const TASK_PRICE = PRICES.app + PRICES.dataset + PRICES.workerpool;
const STAKE = (PRICES.workerpool * 30n) / 100n;
const RESULTS = toHex('{"storage":"ipfs","location":"/ipfs/bafyresult"}');

async function deployReceiver(world: World) {
  const { wallet, publicClient } = world.chain.clientsOf(world.actors.deployer);
  const hash = await wallet.deployContract({ abi: testResultReceiverAbi, bytecode: testResultReceiverBytecode });
  const { contractAddress } = await publicClient.waitForTransactionReceipt({ hash });
  assert.ok(contractAddress);
  return getContract({ address: contractAddress, abi: testResultReceiverAbi, client: publicClient });
}

async function ledger(world: World) {
  const { appOwner, datasetOwner, scheduler, worker, requester } = world.actors;
  const read = async (a: Hex) => ({
    balance: await world.hub.read.balanceOf([a]),
    frozen: await world.hub.read.frozenOf([a]),
  });
  return {
    app: await read(appOwner.address),
    dataset: await read(datasetOwner.address),
    scheduler: await read(scheduler.address),
    worker: await read(worker.address),
    requester: await read(requester.address),
    kitty: await read(KITTY),
  };
}

async function assertConserved(world: World) {
  const held = await world.as(world.actors.deployer).token.read.balanceOf([world.addresses.hub]);
  assert.equal(await world.hub.read.totalSupply(), held, 'escrow holds exactly the sum of all accounts');
}

describe('ConfideHub TEE task', () => {
  let world: World;
  before(async () => {
    world = await deployWorld();
  });

  it('runs match → initialize → contributeAndFinalize, pays every party to the unit and calls back', async () => {
    const receiver = await deployReceiver(world);
    const callbackData = toHex('pm25 mean: 12.3');
    const resultDigest = keccak256(callbackData);
    const before0 = await ledger(world);

    const orders = await world.orders({ request: { callback: receiver.address } });
    const { dealId } = await match(world, orders);
    const afterMatch = await ledger(world);
    assert.equal(afterMatch.requester.balance, before0.requester.balance - TASK_PRICE);
    assert.equal(afterMatch.requester.frozen, TASK_PRICE);
    assert.equal(afterMatch.scheduler.frozen, STAKE);

    const { scheduler, worker } = world.actors;
    await world.mined(world.as(scheduler).hub.write.initialize([dealId, 0n]));
    const taskId = computeTaskId(dealId, 0n);
    assert.equal((await world.hub.read.viewTask([taskId])).status, 1, 'ACTIVE');

    const enclave = newEnclave();
    const sigs = await teeSignatures({ taskId, worker: worker.address, enclave, scheduler, resultDigest });
    await world.mined(
      world
        .as(worker)
        .hub.write.contributeAndFinalize([
          taskId,
          resultDigest,
          RESULTS,
          callbackData,
          enclave.address,
          sigs.enclaveSign,
          sigs.authorizationSign,
        ]),
    );

    const after = await ledger(world);
    const workerReward = (PRICES.workerpool * 99n) / 100n;
    assert.deepEqual(after.requester, { balance: before0.requester.balance - TASK_PRICE, frozen: 0n });
    assert.deepEqual(after.app, { balance: before0.app.balance + PRICES.app, frozen: 0n });
    assert.deepEqual(after.dataset, { balance: before0.dataset.balance + PRICES.dataset, frozen: 0n });
    assert.deepEqual(after.worker, { balance: before0.worker.balance + workerReward, frozen: 0n });
    assert.deepEqual(after.scheduler, {
      balance: before0.scheduler.balance + PRICES.workerpool - workerReward,
      frozen: 0n,
    });
    assert.equal(await receiver.read.lastTaskId(), taskId);
    assert.equal(await receiver.read.lastData(), callbackData);
    assert.equal(await world.hub.read.resultFor([taskId]), callbackData, 'resultFor serves the callback data');
    const [finalized] = await world.publicClient.getContractEvents({
      address: world.addresses.hub,
      abi: confideHubAbi,
      eventName: 'TaskFinalized',
      args: { taskId },
      fromBlock: 0n,
    });
    assert.equal(finalized?.args.results, RESULTS, 'the result location is in TaskFinalized');
    assert.equal(finalized?.args.worker, worker.address);
    const task = await world.hub.read.viewTask([taskId]);
    assert.equal(task.status, 3, 'COMPLETED');
    assert.equal(task.resultDigest, resultDigest);
    await assertConserved(world);
  });

  it('claim after the final deadline refunds the sponsor exactly and seizes the scheduler stake', async () => {
    const { taskId } = await activeTask(world);
    const before0 = await ledger(world);
    const task = await world.hub.read.viewTask([taskId]);
    await expectRevert(world.as(world.actors.other).hub.write.claim([taskId]), 'TaskFinalDeadlineNotReached');
    const now = await world.chain.now();
    await world.chain.increaseTime(task.finalDeadline - now);
    await world.mined(world.as(world.actors.other).hub.write.claim([taskId]));

    const after = await ledger(world);
    assert.deepEqual(after.requester, {
      balance: before0.requester.balance + TASK_PRICE,
      frozen: before0.requester.frozen - TASK_PRICE,
    });
    assert.equal(after.scheduler.frozen, before0.scheduler.frozen - STAKE);
    assert.equal(after.scheduler.balance, before0.scheduler.balance);
    assert.deepEqual(after.kitty, { balance: 0n, frozen: before0.kitty.frozen + STAKE });
    assert.equal((await world.hub.read.viewTask([taskId])).status, 4, 'FAILED');
    await expectRevert(world.hub.read.resultFor([taskId]), 'TaskNotCompleted', [taskId, 4]);
    await assertConserved(world);
  });

  it('gives the scheduler a kitty bonus on its next completed task', async () => {
    const { taskId } = await activeTask(world);
    const kitty = await world.hub.read.frozenOf([KITTY]);
    assert.ok(kitty > 0n, 'the kitty holds the stake seized by the previous claim');
    const bonus =
      kitty < 1_000_000_000n ? kitty : (kitty * 10n) / 100n > 1_000_000_000n ? (kitty * 10n) / 100n : 1_000_000_000n;
    const before0 = await ledger(world);
    const { scheduler, worker } = world.actors;
    const enclave = newEnclave();
    const resultDigest = keccak256(toHex('digest'));
    const sigs = await teeSignatures({ taskId, worker: worker.address, enclave, scheduler, resultDigest });
    await world.mined(
      world
        .as(worker)
        .hub.write.contributeAndFinalize([
          taskId,
          resultDigest,
          RESULTS,
          '0x',
          enclave.address,
          sigs.enclaveSign,
          sigs.authorizationSign,
        ]),
    );
    const after = await ledger(world);
    const workerReward = (PRICES.workerpool * 99n) / 100n;
    assert.equal(after.kitty.frozen, kitty - bonus);
    assert.equal(after.scheduler.balance, before0.scheduler.balance + PRICES.workerpool - workerReward + bonus + STAKE);
    await assertConserved(world);
  });
});
