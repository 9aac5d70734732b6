import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { type Address, encodeFunctionData, type Hex, toHex } from 'viem';
import {
  confideHubAbi,
  testGasBurnerAbi,
  testGasBurnerBytecode,
  testReentrantReceiverAbi,
  testReentrantReceiverBytecode,
  testResultReceiverAbi,
  testResultReceiverBytecode,
} from '../../packages/protocol/src/index.js';
import {
  contribution,
  decodeHubError,
  deploy,
  depositFor,
  expectUnchanged,
  revertOf,
  Status,
  strict,
} from './helpers/fixtures.js';
import { activeTask, balances, deployWorld, PRICES, TOKEN, type World } from './helpers/world.js';

const TASK_PRICE = PRICES.app + PRICES.dataset + PRICES.workerpool;
const STAKE = (PRICES.workerpool * 30n) / 100n;
const WORKER_REWARD = (PRICES.workerpool * 99n) / 100n;
/** What the hub demands before calling back with the default 200,000 gas budget. */
const REQUIRED_GAS = (200_000n * 64n) / 63n + 10_000n;

describe('ConfideHub#contributeAndFinalize result callback', () => {
  let world: World;
  let parties: Address[];
  before(async () => {
    world = await deployWorld();
    const { requester, appOwner, datasetOwner, worker, scheduler } = world.actors;
    parties = [requester, appOwner, datasetOwner, worker, scheduler].map((a) => a.address);
  });

  /** Checks that the balances moved from `before` exactly as one completed task pays (no kitty here). */
  async function expectPaidOnce(before: bigint[][]) {
    type Pair = [bigint, bigint];
    const [requester, app, dataset, worker, scheduler] = before as [Pair, Pair, Pair, Pair, Pair];
    assert.deepEqual(await balances(world, parties), [
      [requester[0], requester[1] - TASK_PRICE],
      [app[0] + PRICES.app, app[1]],
      [dataset[0] + PRICES.dataset, dataset[1]],
      [worker[0] + WORKER_REWARD, worker[1]],
      [scheduler[0] + PRICES.workerpool - WORKER_REWARD + STAKE, scheduler[1] - STAKE],
    ]);
  }

  /** An active task whose deal calls back `callback`, and an honest contribution carrying `data`. */
  async function taskCallingBack(callback: Address, data: Hex) {
    const { taskId } = await activeTask(world, { request: { callback } });
    return { taskId, c: await contribution(world, taskId, { callbackData: data }) };
  }

  it('error: too little gas left for the callback budget; one more unit of gas succeeds', async () => {
    const receiver = await deploy(world, testResultReceiverAbi, testResultReceiverBytecode);
    const data = toHex('pm25 mean: 12.3');
    const { taskId, c } = await taskCallingBack(receiver.address, data);
    const { public: client } = strict(world).client;
    const call = { address: world.addresses.hub, abi: confideHubAbi, account: c.worker, args: c.args } as const;
    const succeeds = (gas: bigint) =>
      client.simulateContract({ ...call, functionName: 'contributeAndFinalize', gas }).then(
        () => true,
        () => false,
      );
    // Binary search of the least gas limit that succeeds, below viem's (generous) estimate.
    let high = await client.estimateContractGas({ ...call, functionName: 'contributeAndFinalize' });
    let low = high - REQUIRED_GAS;
    assert.equal(await succeeds(low), false);
    while (high - low > 1n) {
      const mid = (low + high) / 2n;
      if (await succeeds(mid)) high = mid;
      else low = mid;
    }

    const before = await balances(world, parties);
    const failure = await revertOf(c.send({ gas: high - 1n }));
    assert.equal(failure.name, 'TaskCallbackGasInsufficient');
    const [available, required] = failure.args as [bigint, bigint];
    assert.equal(required, REQUIRED_GAS);
    assert.ok(available < required && available > required - 100n, `available ${available} just below ${required}`);
    assert.deepEqual(await balances(world, parties), before, 'balances are unchanged');
    assert.equal((await world.hub.read.viewTask([taskId])).status, Status.Active);
    assert.equal(await receiver.read.received(), 0n);

    await world.mined(c.send({ gas: high }));
    assert.equal(await receiver.read.lastData(), data);
    await expectPaidOnce(before);
  });

  it('a callback reentering claim is refused by the guard; the task completes and pays once', async () => {
    const receiver = await deploy(world, testReentrantReceiverAbi, testReentrantReceiverBytecode, [
      world.addresses.hub,
    ]);
    const { taskId, c } = await taskCallingBack(receiver.address, toHex('reenter claim'));
    const claim = encodeFunctionData({ abi: confideHubAbi, functionName: 'claim', args: [taskId] });
    await world.mined(receiver.write.setPayload([claim]));
    const before = await balances(world, parties);
    await world.mined(c.send());
    assert.equal(await receiver.read.called(), true);
    assert.equal(await receiver.read.reentered(), false);
    assert.equal(decodeHubError(await receiver.read.reentryResult()).errorName, 'ReentrancyGuardReentrantCall');
    assert.equal((await world.hub.read.viewTask([taskId])).status, Status.Completed);
    await expectPaidOnce(before);
  });

  it('a callback reentering withdraw is refused by the guard; its escrow and token balances stay', async () => {
    const receiver = await deploy(world, testReentrantReceiverAbi, testReentrantReceiverBytecode, [
      world.addresses.hub,
    ]);
    await depositFor(world, receiver.address, 5n * TOKEN);
    const { taskId, c } = await taskCallingBack(receiver.address, toHex('reenter withdraw'));
    const withdraw = encodeFunctionData({ abi: confideHubAbi, functionName: 'withdraw', args: [1n] });
    await world.mined(receiver.write.setPayload([withdraw]));
    const before = await balances(world, parties);
    await expectUnchanged(world, [receiver.address], () => world.mined(c.send()));
    assert.equal(await receiver.read.reentered(), false);
    assert.equal(decodeHubError(await receiver.read.reentryResult()).errorName, 'ReentrancyGuardReentrantCall');
    assert.equal(await world.hub.read.balanceOf([receiver.address]), 5n * TOKEN);
    assert.equal(await world.as(world.actors.deployer).token.read.balanceOf([receiver.address]), 0n);
    assert.equal((await world.hub.read.viewTask([taskId])).status, Status.Completed);
    await expectPaidOnce(before);
  });

  it('a callback burning all its gas does not undo the task: COMPLETED and paid', async () => {
    const burner = await deploy(world, testGasBurnerAbi, testGasBurnerBytecode);
    const data = toHex('burn');
    const { taskId, c } = await taskCallingBack(burner.address, data);
    const before = await balances(world, parties);
    await world.mined(c.send());
    const task = await world.hub.read.viewTask([taskId]);
    assert.equal(task.status, Status.Completed);
    assert.equal(task.resultsCallback, data);
    assert.equal(await burner.read.counter(), 0n, 'the burner reverted out of gas');
    await expectPaidOnce(before);
  });
});
