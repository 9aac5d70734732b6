import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  type Address,
  getContract,
  type Hex,
  type LocalAccount,
  parseEventLogs,
  sha256,
  type TransactionReceipt,
  toHex,
  zeroAddress,
} from 'viem';
import { appRegistryAbi, datasetRegistryAbi, workerpoolRegistryAbi } from '../../packages/protocol/src/index.js';
import { hubEvents, STRANGER, strict } from './helpers/fixtures.js';
import { deployWorld, expectRevert, FINGERPRINT, type World } from './helpers/world.js';

/** What a registry test needs to know of one registry, in terms shared by all three. */
type RegistrySpec = {
  /** Predicted identifier of the asset named `name` owned by `owner`. */
  predict: (world: World, owner: Address, name: string) => Promise<Address>;
  /** Registers that asset, sent by `caller`. */
  create: (world: World, caller: LocalAccount, owner: Address, name: string) => Promise<Hex>;
  /** The registry's view of an asset (reverts for an unknown one). */
  view: (world: World, asset: Address) => Promise<unknown>;
  /** What `view` returns for the asset named `name`, owned by `owner`. */
  expected: (owner: Address, name: string) => unknown;
  /** The registry's address. */
  address: (world: World) => Address;
};

const MULTIADDR = toHex('/ipfs/bafyasset');

const apps: RegistrySpec = {
  predict: (w, owner, name) =>
    strict(w).apps.read.predictApp([owner, name, 'NODE', MULTIADDR, sha256(toHex(name)), FINGERPRINT]),
  create: (w, caller, owner, name) =>
    strict(w, caller).apps.write.createApp([owner, name, 'NODE', MULTIADDR, sha256(toHex(name)), FINGERPRINT]),
  view: (w, asset) => strict(w).apps.read.viewApp([asset]),
  expected: (owner, name) => ({
    owner,
    name,
    appType: 'NODE',
    multiaddr: MULTIADDR,
    checksum: sha256(toHex(name)),
    fingerprint: FINGERPRINT,
  }),
  address: (w) => w.addresses.appRegistry,
};

const datasets: RegistrySpec = {
  predict: (w, owner, name) => strict(w).datasets.read.predictDataset([owner, name, MULTIADDR, sha256(toHex(name))]),
  create: (w, caller, owner, name) =>
    strict(w, caller).datasets.write.createDataset([owner, name, MULTIADDR, sha256(toHex(name))]),
  view: (w, asset) => strict(w).datasets.read.viewDataset([asset]),
  expected: (owner, name) => ({ owner, name, multiaddr: MULTIADDR, checksum: sha256(toHex(name)) }),
  address: (w) => w.addresses.datasetRegistry,
};

const workerpools: RegistrySpec = {
  predict: (w, owner, name) => strict(w).workerpools.read.predictWorkerpool([owner, name]),
  create: (w, caller, owner, name) => strict(w, caller).workerpools.write.createWorkerpool([owner, name]),
  view: (w, asset) => strict(w).workerpools.read.viewWorkerpool([asset]),
  expected: (owner, name) => ({
    owner,
    description: name,
    workerStakeRatioPolicy: 30n,
    schedulerRewardRatioPolicy: 1n,
  }),
  address: (w) => w.addresses.workerpoolRegistry,
};

/** A registry's ERC-721 and IAssetRegistry functions, the same in all three (so the app ABI serves). */
function assetRegistry(world: World, spec: RegistrySpec, account?: LocalAccount) {
  return getContract({ address: spec.address(world), abi: appRegistryAbi, client: strict(world, account).client });
}

/** The ERC-721 mints in a receipt (Transfer has the same signature in the three registries). */
function mints(receipt: TransactionReceipt) {
  return parseEventLogs({ abi: appRegistryAbi, logs: receipt.logs, eventName: 'Transfer' });
}

function shouldBehaveLikeRegistry(getWorld: () => World, spec: RegistrySpec) {
  const owners = (w: World) => ({ owner: w.actors.appOwner, caller: w.actors.other, buyer: w.actors.sponsor });

  it('creates the asset at its predicted address, owned by the given owner, for any caller', async () => {
    const world = getWorld();
    const { owner, caller } = owners(world);
    const asset = await spec.predict(world, owner.address, 'predicted');
    assert.equal(await assetRegistry(world, spec).read.isRegistered([asset]), false);
    const receipt = await world.mined(spec.create(world, caller, owner.address, 'predicted'));
    assert.deepEqual(
      mints(receipt).map((e) => e.args),
      [{ from: zeroAddress, to: owner.address, tokenId: BigInt(asset) }],
    );
    assert.equal(await assetRegistry(world, spec).read.isRegistered([asset]), true);
    assert.equal(await assetRegistry(world, spec).read.ownerOfAsset([asset]), owner.address);
    assert.deepEqual(await spec.view(world, asset), spec.expected(owner.address, 'predicted'));
    assert.notEqual(await spec.predict(world, caller.address, 'predicted'), asset, 'the owner is part of the id');
  });

  it('error: registering the same fields for the same owner twice', async () => {
    const world = getWorld();
    const { owner } = owners(world);
    await world.mined(spec.create(world, owner, owner.address, 'duplicate'));
    const asset = await spec.predict(world, owner.address, 'duplicate');
    await expectRevert(spec.create(world, owner, owner.address, 'duplicate'), 'RegistryAssetExists', [asset]);
  });

  it('error: an empty name', async () => {
    const world = getWorld();
    const { owner } = owners(world);
    await expectRevert(spec.create(world, owner, owner.address, ''), 'RegistryEmptyName');
  });

  it('error: viewing an asset that was never registered', async () => {
    const world = getWorld();
    await expectRevert(spec.view(world, STRANGER), 'RegistryAssetUnknown', [STRANGER]);
    assert.equal(await assetRegistry(world, spec).read.isRegistered([STRANGER]), false);
    assert.equal(await assetRegistry(world, spec).read.ownerOfAsset([STRANGER]), zeroAddress);
  });

  it('an NFT transfer changes the owner everywhere', async () => {
    const world = getWorld();
    const { owner, buyer } = owners(world);
    await world.mined(spec.create(world, owner, owner.address, 'transferred'));
    const asset = await spec.predict(world, owner.address, 'transferred');
    await world.mined(
      assetRegistry(world, spec, owner).write.transferFrom([owner.address, buyer.address, BigInt(asset)]),
    );
    assert.equal(await assetRegistry(world, spec).read.ownerOfAsset([asset]), buyer.address);
    assert.equal(await assetRegistry(world, spec).read.ownerOf([BigInt(asset)]), buyer.address);
    assert.deepEqual(await spec.view(world, asset), spec.expected(buyer.address, 'transferred'));
  });
}

describe('registries', () => {
  let world: World;
  before(async () => {
    world = await deployWorld({ deposit: false });
  });

  describe('AppRegistry', () => shouldBehaveLikeRegistry(() => world, apps));
  describe('DatasetRegistry', () => {
    shouldBehaveLikeRegistry(() => world, datasets);

    it('updateDataset by the owner moves the ciphertext (key rotation) and emits DatasetUpdated', async () => {
      const { datasetOwner } = world.actors;
      const before = await datasets.view(world, world.dataset);
      const multiaddr = toHex('/ipfs/bafyrotated');
      const checksum = sha256(toHex('rotated ciphertext'));
      const receipt = await world.mined(
        strict(world, datasetOwner).datasets.write.updateDataset([world.dataset, multiaddr, checksum]),
      );
      const events = parseEventLogs({ abi: datasetRegistryAbi, logs: receipt.logs, eventName: 'DatasetUpdated' });
      assert.deepEqual(
        events.map((e) => e.args),
        [{ dataset: world.dataset, multiaddr, checksum }],
      );
      assert.deepEqual(await datasets.view(world, world.dataset), { ...(before as object), multiaddr, checksum });
      assert.equal(await assetRegistry(world, datasets).read.ownerOfAsset([world.dataset]), datasetOwner.address);
    });

    it('error: updateDataset by another account, on an unknown dataset, empty or unchanged', async () => {
      const { datasetOwner, other } = world.actors;
      const checksum = sha256(toHex('another ciphertext'));
      await expectRevert(
        strict(world, other).datasets.write.updateDataset([world.dataset, MULTIADDR, checksum]),
        'RegistryNotAssetOwner',
        [world.dataset, other.address, datasetOwner.address],
      );
      const owner = strict(world, datasetOwner).datasets.write;
      await expectRevert(owner.updateDataset([STRANGER, MULTIADDR, checksum]), 'RegistryAssetUnknown', [STRANGER]);
      await expectRevert(owner.updateDataset([world.dataset, '0x', checksum]), 'DatasetMultiaddrEmpty', [
        world.dataset,
      ]);
      const { checksum: current } = await strict(world).datasets.read.viewDataset([world.dataset]);
      await expectRevert(owner.updateDataset([world.dataset, MULTIADDR, current]), 'DatasetChecksumUnchanged', [
        world.dataset,
        current,
      ]);
    });
  });
  describe('WorkerpoolRegistry', () => {
    shouldBehaveLikeRegistry(() => world, workerpools);

    it('changePolicy by the owner updates the ratios and emits PolicyUpdated', async () => {
      const { scheduler } = world.actors;
      const receipt = await world.mined(
        strict(world, scheduler).workerpools.write.changePolicy([world.workerpool, 40n, 5n]),
      );
      const [event] = parseEventLogs({ abi: workerpoolRegistryAbi, logs: receipt.logs, eventName: 'PolicyUpdated' });
      assert.deepEqual(event?.args, {
        workerpool: world.workerpool,
        oldWorkerStakeRatioPolicy: 30n,
        newWorkerStakeRatioPolicy: 40n,
        oldSchedulerRewardRatioPolicy: 1n,
        newSchedulerRewardRatioPolicy: 5n,
      });
      assert.deepEqual(await workerpools.view(world, world.workerpool), {
        owner: scheduler.address,
        description: 'pool',
        workerStakeRatioPolicy: 40n,
        schedulerRewardRatioPolicy: 5n,
      });
    });

    it('error: changePolicy by someone else than the owner, or on an unknown workerpool', async () => {
      const { other, scheduler } = world.actors;
      const registry = strict(world, other).workerpools.write;
      await expectRevert(registry.changePolicy([world.workerpool, 10n, 10n]), 'RegistryNotAssetOwner', [
        world.workerpool,
        other.address,
        scheduler.address,
      ]);
      await expectRevert(registry.changePolicy([STRANGER, 10n, 10n]), 'RegistryAssetUnknown', [STRANGER]);
    });

    it('error: a policy ratio above 100', async () => {
      const registry = strict(world, world.actors.scheduler).workerpools.write;
      await expectRevert(registry.changePolicy([world.workerpool, 101n, 1n]), 'WorkerpoolPolicyInvalid', [101n, 1n]);
      await expectRevert(registry.changePolicy([world.workerpool, 30n, 101n]), 'WorkerpoolPolicyInvalid', [30n, 101n]);
    });
  });

  describe('ConfideHub categories', () => {
    it('starts with PoCo categories XS..XL of 300, 1200, 3600, 10800, 36000 seconds', async () => {
      assert.equal(await world.hub.read.countCategory(), 5n);
      const categories = await Promise.all([0n, 1n, 2n, 3n, 4n].map((id) => world.hub.read.viewCategory([id])));
      assert.deepEqual(
        categories.map((c) => [c.name, c.workClockTimeRef]),
        [
          ['XS', 300n],
          ['S', 1200n],
          ['M', 3600n],
          ['L', 10800n],
          ['XL', 36000n],
        ],
      );
    });

    it('createCategory by the hub owner appends a category and emits CategoryCreated', async () => {
      const receipt = await world.mined(
        world.as(world.actors.deployer).hub.write.createCategory(['XXL', 'huge', 72000n]),
      );
      assert.deepEqual(hubEvents(receipt, 'CategoryCreated')[0]?.args, {
        catid: 5n,
        name: 'XXL',
        description: 'huge',
        workClockTimeRef: 72000n,
      });
      assert.deepEqual(await world.hub.read.viewCategory([5n]), {
        name: 'XXL',
        description: 'huge',
        workClockTimeRef: 72000n,
      });
    });

    it('error: createCategory by someone else than the hub owner', async () => {
      const { other } = world.actors;
      await expectRevert(strict(world, other).hub.write.createCategory(['x', 'x', 1n]), 'OwnableUnauthorizedAccount', [
        other.address,
      ]);
    });

    it('error: a time reference of zero or above 2^32-1 seconds', async () => {
      const hub = strict(world).hub.write;
      await expectRevert(hub.createCategory(['zero', 'x', 0n]), 'CategoryInvalidTimeRef', [0n]);
      await expectRevert(hub.createCategory(['huge', 'x', 2n ** 24n]), 'CategoryInvalidTimeRef', [2n ** 24n]);
    });

    it('error: viewing category 99', async () => {
      const count = await world.hub.read.countCategory();
      await expectRevert(strict(world).hub.read.viewCategory([99n]), 'CategoryUnknown', [99n, count]);
    });
  });

  describe('ConfideToken', () => {
    const LIMIT = 1000n * 10n ** 9n;

    it('faucet gives up to 1000 tokens per call', async () => {
      const { other } = world.actors;
      const token = strict(world, other).token;
      const before0 = await token.read.balanceOf([other.address]);
      await world.mined(token.write.faucet([other.address, LIMIT]));
      assert.equal(await token.read.balanceOf([other.address]), before0 + LIMIT);
    });

    it('error: a faucet request above the limit, or a mint by someone else than the owner', async () => {
      const { other } = world.actors;
      const token = strict(world, other).token.write;
      await expectRevert(token.faucet([other.address, LIMIT + 1n]), 'TokenFaucetLimitExceeded', [LIMIT + 1n, LIMIT]);
      await expectRevert(token.mint([other.address, 1n]), 'OwnableUnauthorizedAccount', [other.address]);
    });
  });
});
