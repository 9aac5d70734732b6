import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { maxUint256, zeroAddress } from 'viem';
import { expectUnchanged, hubEvents, onSnapshot, strict } from './helpers/fixtures.js';
import { deployWorld, expectRevert, match, TOKEN, type World } from './helpers/world.js';

describe('ConfideHub#escrow transfers and allowances', () => {
  let world: World;
  before(async () => {
    world = await deployWorld();
  });

  const balance = (a: `0x${string}`) => world.hub.read.balanceOf([a]);

  it('transfer moves free balance between accounts; totalSupply does not change', async () => {
    await onSnapshot(world, async () => {
      const { requester, other } = world.actors;
      const supply = await world.hub.read.totalSupply();
      const [from, to] = [await balance(requester.address), await balance(other.address)];
      const receipt = await world.mined(world.as(requester).hub.write.transfer([other.address, 3n * TOKEN]));
      assert.deepEqual(hubEvents(receipt, 'Transferred')[0]?.args, {
        from: requester.address,
        to: other.address,
        amount: 3n * TOKEN,
      });
      assert.equal(await balance(requester.address), from - 3n * TOKEN);
      assert.equal(await balance(other.address), to + 3n * TOKEN);
      assert.equal(await world.hub.read.totalSupply(), supply);
    });
  });

  it('transferFrom spends the allowance; an unlimited allowance is never decreased', async () => {
    await onSnapshot(world, async () => {
      const { requester, other, sponsor } = world.actors;
      const approved = await world.mined(world.as(requester).hub.write.approve([other.address, 5n * TOKEN]));
      assert.deepEqual(hubEvents(approved, 'Approved')[0]?.args, {
        owner: requester.address,
        spender: other.address,
        amount: 5n * TOKEN,
      });
      const before = await balance(sponsor.address);
      await world.mined(world.as(other).hub.write.transferFrom([requester.address, sponsor.address, 2n * TOKEN]));
      assert.equal(await world.hub.read.allowance([requester.address, other.address]), 3n * TOKEN);
      assert.equal(await balance(sponsor.address), before + 2n * TOKEN);
      await world.mined(world.as(requester).hub.write.approve([other.address, maxUint256]));
      await world.mined(world.as(other).hub.write.transferFrom([requester.address, sponsor.address, TOKEN]));
      assert.equal(await world.hub.read.allowance([requester.address, other.address]), maxUint256);
    });
  });

  it('error: allowance, balance, zero amounts and addresses are refused by name, nothing moving', async () => {
    const { requester, other } = world.actors;
    const hub = strict(world, other).hub.write;
    await expectUnchanged(world, [requester.address, other.address], async () => {
      await expectRevert(hub.transferFrom([requester.address, other.address, 1n]), 'EscrowInsufficientAllowance', [
        requester.address,
        other.address,
        0n,
        1n,
      ]);
      const held = await balance(other.address);
      await expectRevert(hub.transfer([requester.address, held + 1n]), 'EscrowInsufficientBalance', [
        other.address,
        held,
        held + 1n,
      ]);
      await expectRevert(hub.transfer([requester.address, 0n]), 'EscrowZeroAmount');
      await expectRevert(hub.transfer([zeroAddress, 1n]), 'EscrowZeroAddress');
      await expectRevert(hub.approve([zeroAddress, 1n]), 'EscrowZeroAddress');
    });
  });

  it('error: frozen funds cannot be transferred, only the free balance', async () => {
    await onSnapshot(world, async () => {
      const { requester, other } = world.actors;
      await match(world, await world.orders());
      const [free, frozen] = [await balance(requester.address), await world.hub.read.frozenOf([requester.address])];
      assert.ok(frozen > 0n);
      await expectRevert(
        strict(world, requester).hub.write.transfer([other.address, free + frozen]),
        'EscrowInsufficientBalance',
        [requester.address, free, free + frozen],
      );
      await world.mined(world.as(requester).hub.write.transfer([other.address, free]));
      assert.equal(await balance(requester.address), 0n);
      assert.equal(await world.hub.read.frozenOf([requester.address]), frozen);
    });
  });
});
