import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { type Account, type Address, encodeFunctionData, getContract, zeroAddress } from 'viem';
import { confideHubAbi, testHookTokenAbi, testHookTokenBytecode } from '../../packages/protocol/src/index.js';
import {
  decodeHubError,
  deploy,
  depositFor,
  expectUnchanged,
  hubEvents,
  onSnapshot,
  spareAccounts,
  strict,
} from './helpers/fixtures.js';
import { balances, createWorkerpool, deployWorld, expectRevert, PRICES, TOKEN, type World } from './helpers/world.js';

const TASK_PRICE = PRICES.app + PRICES.dataset + PRICES.workerpool;
const STAKE = (PRICES.workerpool * 30n) / 100n;
const MAX_UINT128 = 2n ** 128n - 1n;

describe('ConfideHub#escrow', () => {
  let world: World;
  before(async () => {
    world = await deployWorld();
  });

  /** Mints `amount` devnet tokens to `account` and lets the hub pull them. */
  async function tokensFor(account: Account, amount: bigint) {
    await world.mined(world.as(world.actors.deployer).token.write.mint([account.address, amount]));
    await world.mined(world.as(account).token.write.approve([world.addresses.hub, amount]));
  }

  it('error: zero amounts are refused by every deposit and withdrawal, even after a valid entry', async () => {
    const { other } = world.actors;
    await tokensFor(other, TOKEN);
    const hub = strict(world, other).hub.write;
    await expectUnchanged(world, [other.address], async () => {
      await expectRevert(hub.deposit([0n]), 'EscrowZeroAmount');
      await expectRevert(hub.depositFor([0n, other.address]), 'EscrowZeroAmount');
      await expectRevert(
        hub.depositForArray([
          [TOKEN, 0n],
          [other.address, other.address],
        ]),
        'EscrowZeroAmount',
      );
      await expectRevert(hub.withdraw([0n]), 'EscrowZeroAmount');
      await expectRevert(hub.withdrawTo([0n, other.address]), 'EscrowZeroAmount');
    });
  });

  it('error: the zero address can neither be credited nor paid', async () => {
    const { other } = world.actors;
    await tokensFor(other, TOKEN);
    const hub = strict(world, other).hub.write;
    await expectUnchanged(world, [other.address, zeroAddress], async () => {
      await expectRevert(hub.depositFor([TOKEN, zeroAddress]), 'EscrowZeroAddress');
      await expectRevert(hub.depositForArray([[TOKEN], [zeroAddress]]), 'EscrowZeroAddress');
      await expectRevert(hub.withdrawTo([TOKEN, zeroAddress]), 'EscrowZeroAddress');
    });
  });

  it('error: withdrawing more than the free balance, frozen funds included', async () => {
    const { requester } = world.actors;
    const orders = await world.orders();
    await world.mined(
      world.as(requester).hub.write.matchOrders([orders.app, orders.dataset, orders.workerpool, orders.request]),
    );
    const [balance, frozen] = await world.hub.read.viewAccount([requester.address]);
    assert.equal(frozen, TASK_PRICE);
    await expectUnchanged(world, [requester.address], () =>
      expectRevert(strict(world, requester).hub.write.withdraw([balance + 1n]), 'EscrowInsufficientBalance', [
        requester.address,
        balance,
        balance + 1n,
      ]),
    );
  });

  it('error: matching for a requester whose balance is below the deal price', async () => {
    const [poor] = spareAccounts(world);
    await depositFor(world, poor.address, TOKEN);
    const orders = await world.orders({ request: { requester: poor.address }, signers: { request: poor } });
    await expectUnchanged(world, [poor.address, world.actors.scheduler.address], () =>
      expectRevert(
        strict(world, poor).hub.write.matchOrders([orders.app, orders.dataset, orders.workerpool, orders.request]),
        'EscrowInsufficientBalance',
        [poor.address, TOKEN, TASK_PRICE],
      ),
    );
  });

  it('error: matching with a workerpool whose owner cannot stake', async () => {
    const [, broke] = spareAccounts(world);
    const workerpool = await createWorkerpool(world, broke, 'pool without stake');
    const orders = await world.orders({ workerpool: { workerpool }, signers: { workerpool: broke } });
    await expectUnchanged(world, [world.actors.requester.address, broke.address], () =>
      expectRevert(
        strict(world).hub.write.matchOrders([orders.app, orders.dataset, orders.workerpool, orders.request]),
        'EscrowInsufficientBalance',
        [broke.address, 0n, STAKE],
      ),
    );
  });

  it('error: depositForArray with arrays of different lengths', async () => {
    const { other } = world.actors;
    await expectRevert(
      strict(world, other).hub.write.depositForArray([[TOKEN, TOKEN], [other.address]]),
      'EscrowArrayLengthMismatch',
      [2n, 1n],
    );
  });

  it('depositFor and depositForArray pull from the caller and credit the targets', async () => {
    const { other, sponsor, worker } = world.actors;
    const tokens = await world.as(other).token.read.balanceOf([other.address]);
    await tokensFor(other, 6n * TOKEN);
    const before0 = await balances(world, [sponsor.address, worker.address]);
    const supply = await world.hub.read.totalSupply();
    const hub = world.as(other).hub.write;
    const receipt = await world.mined(hub.depositFor([TOKEN, sponsor.address]));
    assert.deepEqual(hubEvents(receipt, 'Deposited')[0]?.args, {
      from: other.address,
      account: sponsor.address,
      amount: TOKEN,
    });
    await world.mined(
      hub.depositForArray([
        [2n * TOKEN, 3n * TOKEN],
        [sponsor.address, worker.address],
      ]),
    );
    const [[sponsorBalance, sponsorFrozen], [workerBalance, workerFrozen]] = before0 as [
      [bigint, bigint],
      [bigint, bigint],
    ];
    assert.deepEqual(await balances(world, [sponsor.address, worker.address]), [
      [sponsorBalance + 3n * TOKEN, sponsorFrozen],
      [workerBalance + 3n * TOKEN, workerFrozen],
    ]);
    assert.equal(await world.hub.read.totalSupply(), supply + 6n * TOKEN);
    assert.equal(await world.as(other).token.read.balanceOf([other.address]), tokens);
  });

  it('withdrawTo pays another address from the caller balance', async () => {
    const { other, datasetOwner } = world.actors;
    const [balance] = await world.hub.read.viewAccount([other.address]);
    const tokens = await world.as(other).token.read.balanceOf([datasetOwner.address]);
    const receipt = await world.mined(world.as(other).hub.write.withdrawTo([2n * TOKEN, datasetOwner.address]));
    assert.deepEqual(hubEvents(receipt, 'Withdrawn')[0]?.args, {
      account: other.address,
      to: datasetOwner.address,
      amount: 2n * TOKEN,
    });
    assert.equal(await world.hub.read.balanceOf([other.address]), balance - 2n * TOKEN);
    assert.equal(await world.as(other).token.read.balanceOf([datasetOwner.address]), tokens + 2n * TOKEN);
  });

  it('viewAccount reads (stake, locked) as balanceOf and frozenOf', async () => {
    const { scheduler } = world.actors;
    const [stake, locked] = await world.hub.read.viewAccount([scheduler.address]);
    assert.equal(stake, await world.hub.read.balanceOf([scheduler.address]));
    assert.equal(locked, await world.hub.read.frozenOf([scheduler.address]));
    assert.ok(locked >= STAKE, 'the scheduler stake of the earlier deal is locked');
  });

  it('error: a deposit that takes an account above 2^128-1', async () => {
    await onSnapshot(world, async () => {
      const { other } = world.actors;
      const [balance] = await world.hub.read.viewAccount([other.address]);
      const fill = MAX_UINT128 - balance;
      await tokensFor(other, fill + 1n);
      await world.mined(world.as(other).hub.write.deposit([fill]));
      assert.equal(await world.hub.read.balanceOf([other.address]), MAX_UINT128);
      await expectUnchanged(world, [other.address], () =>
        expectRevert(strict(world, other).hub.write.deposit([1n]), 'EscrowAmountTooLarge', [MAX_UINT128 + 1n]),
      );
    });
  });

  it('a token hook reentering withdraw during a deposit is refused; only the deposit lands', async () => {
    const hookToken = await deploy(world, testHookTokenAbi, testHookTokenBytecode);
    const hooked = await deployWorld({ token: hookToken.address });
    const { sponsor } = hooked.actors;
    const token = getContract({
      address: hookToken.address,
      abi: testHookTokenAbi,
      client: strict(hooked, sponsor).client,
    });
    const hub = hooked.as(sponsor).hub;
    await hooked.mined(token.write.mint([sponsor.address, 100n * TOKEN]));
    await hooked.mined(token.write.approve([hooked.addresses.hub, 100n * TOKEN]));
    await hooked.mined(hub.write.depositFor([10n * TOKEN, token.address]));

    const withdraw = encodeFunctionData({ abi: confideHubAbi, functionName: 'withdraw', args: [4n * TOKEN] });
    await hooked.mined(token.write.arm([hooked.addresses.hub, withdraw]));
    await hooked.mined(hub.write.deposit([20n * TOKEN]));

    assert.equal(await token.read.hookRan(), true);
    assert.equal(await token.read.hookSucceeded(), false);
    assert.equal(decodeHubError(await token.read.hookResult()).errorName, 'ReentrancyGuardReentrantCall');
    const accounts: Address[] = [token.address, sponsor.address];
    assert.deepEqual(await balances(hooked, accounts), [
      [10n * TOKEN, 0n],
      [20n * TOKEN, 0n],
    ]);
    assert.equal(await token.read.balanceOf([hooked.addresses.hub]), 30n * TOKEN);
    assert.equal(await token.read.balanceOf([sponsor.address]), 70n * TOKEN);
    assert.equal(await hooked.hub.read.totalSupply(), 30n * TOKEN);
  });
});
