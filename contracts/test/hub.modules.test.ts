import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { type Abi, type AbiFunction, getContract, toFunctionSelector, zeroAddress, zeroHash } from 'viem';
import {
  confideHubAbi,
  confideHubContractAbi,
  confideReplicatedModuleAbi,
  confideTaskModuleAbi,
  iConfideHubAbi,
} from '../../packages/protocol/src/index.js';
import { Status, strict } from './helpers/fixtures.js';
import { deployWorld, expectRevert, type World } from './helpers/world.js';

const functions = (abi: Abi) => abi.filter((item): item is AbiFunction => item.type === 'function');
const signatures = (abi: Abi) =>
  new Set(functions(abi).map((f) => `${f.name}(${f.inputs.map((i) => i.type).join(',')})`));

/** Public constants: getters of the contracts that the interface does not list. */
const CONSTANT_GETTERS = new Set([
  'WORKERPOOL_STAKE_RATIO()',
  'CONTRIBUTION_DEADLINE_RATIO()',
  'FINAL_DEADLINE_RATIO()',
  'KITTY_RATIO()',
  'KITTY_MIN()',
  'KITTY_ADDRESS()',
  'owner()',
  'renounceOwnership()',
  'transferOwnership(address)',
  'eip712Domain()',
]);

describe('ConfideHub and its task modules', () => {
  let world: World;
  before(async () => {
    world = await deployWorld();
  });

  it('no selector of the task module is shadowed by a hub function', () => {
    const hub = new Set(functions(confideHubContractAbi).map((f) => toFunctionSelector(f)));
    const shadowed = functions(confideTaskModuleAbi).filter((f) => hub.has(toFunctionSelector(f)));
    assert.deepEqual(
      shadowed.map((f) => f.name),
      [],
    );
  });

  it('no selector of the replicated module is shadowed by the hub or the task module, constants aside', () => {
    const taken = new Set(
      [...functions(confideHubContractAbi), ...functions(confideTaskModuleAbi)].map((f) => toFunctionSelector(f)),
    );
    const shadowed = functions(confideReplicatedModuleAbi).filter(
      (f) => taken.has(toFunctionSelector(f)) && !CONSTANT_GETTERS.has(`${f.name}()`),
    );
    assert.deepEqual(
      shadowed.map((f) => f.name),
      [],
    );
  });

  it('routes every replicated-module function through the hub to that module', async () => {
    const hub = strict(world, world.actors.other).hub;
    const { other, scheduler } = world.actors;
    // Each call reaches the module's code: a decoded custom error or a read proves it ran there
    // (the task module has no such selector and would revert without data).
    const calls: Record<string, () => Promise<unknown>> = {
      contribute: () =>
        expectRevert(hub.write.contribute([zeroHash, zeroHash, zeroHash, zeroAddress, '0x', '0x']), 'TaskNotActive', [
          zeroHash,
          Status.Unset,
        ]),
      reveal: () => expectRevert(hub.write.reveal([zeroHash, zeroHash]), 'TaskNotRevealing', [zeroHash, Status.Unset]),
      reopen: () =>
        expectRevert(hub.write.reopen([zeroHash]), 'TaskCallerNotScheduler', [zeroHash, other.address, zeroAddress]),
      finalize: () =>
        expectRevert(strict(world, scheduler).hub.write.finalize([zeroHash, '0x', '0x']), 'TaskCallerNotScheduler', [
          zeroHash,
          scheduler.address,
          zeroAddress,
        ]),
      viewConsensus: async () => assert.equal((await hub.read.viewConsensus([zeroHash])).total, 0n),
      viewContribution: async () => assert.equal((await hub.read.viewContribution([zeroHash, zeroAddress])).status, 0),
      viewScore: async () => assert.equal(await hub.read.viewScore([zeroAddress]), 0n),
    };
    const own = functions(confideReplicatedModuleAbi)
      .map((f) => f.name)
      .filter((name) => !CONSTANT_GETTERS.has(`${name}()`));
    assert.deepEqual(own.sort(), Object.keys(calls).sort(), 'every function of the module is called here');
    for (const call of Object.values(calls)) await call();
    assert.equal(await world.hub.read.replicatedModule(), world.addresses.replicatedModule);
  });

  it('the merged ABI serves exactly IConfideHub plus the public constants and ownership', () => {
    const merged = signatures(confideHubAbi);
    const declared = signatures(iConfideHubAbi);
    assert.deepEqual(
      [...declared].filter((s) => !merged.has(s)),
      [],
      'every interface function is implemented',
    );
    assert.deepEqual(
      [...merged].filter((s) => !declared.has(s) && !CONSTANT_GETTERS.has(s)),
      [],
      'every implemented function is in the interface',
    );
  });

  it('reaches module functions through the hub address', async () => {
    assert.equal(await world.hub.read.taskModule(), world.addresses.taskModule);
    assert.equal(await world.hub.read.KITTY_ADDRESS(), '0x99c2268479b93fDe36232351229815DF80837e23');
    await expectRevert(world.hub.read.resultFor([zeroHash]), 'TaskNotCompleted', [zeroHash, 0]);
  });

  it('error: the module refuses state changes when called directly', async () => {
    const { publicClient, wallet } = world.chain.clientsOf(world.actors.other);
    const module = getContract({
      address: world.addresses.taskModule,
      abi: confideTaskModuleAbi,
      client: { public: publicClient, wallet },
    });
    await expectRevert(module.write.initialize([zeroHash, 0n]), 'TaskModuleCalledDirectly');
    await expectRevert(module.write.claim([zeroHash]), 'TaskModuleCalledDirectly');
    const replicated = getContract({
      address: world.addresses.replicatedModule,
      abi: confideReplicatedModuleAbi,
      client: { public: publicClient, wallet },
    });
    await expectRevert(replicated.write.reveal([zeroHash, zeroHash]), 'TaskModuleCalledDirectly');
    await expectRevert(replicated.write.reopen([zeroHash]), 'TaskModuleCalledDirectly');
  });

  it('error: an unknown selector reverts without data rather than succeeding silently', async () => {
    const { wallet, publicClient } = world.chain.clientsOf(world.actors.other);
    await assert.rejects(
      wallet
        .sendTransaction({ to: world.addresses.hub, data: '0xdeadbeef', gas: 100_000n })
        .then((hash) => publicClient.waitForTransactionReceipt({ hash }))
        .then((r) => assert.equal(r.status, 'success', 'reverted')),
    );
  });
});
