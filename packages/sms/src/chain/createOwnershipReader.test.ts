import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { parseEventLogs } from 'viem';
import { createDataset, deployWorld, type World } from '../../../../contracts/test/helpers/world.js';
import { dataSharingClientAbi } from '../../../protocol/src/index.js';
import { SmsError } from '../errors.js';
import { createOwnershipReader } from './createOwnershipReader.js';

describe('createOwnershipReader: a dataset held by DataSharing is its collection owner’s', () => {
  let world: World;
  let collectionId: bigint;

  before(async () => {
    world = await deployWorld();
    const owner = world.as(world.actors.datasetOwner);
    await world.mined(owner.datasets.write.approve([world.addresses.dataSharing, BigInt(world.dataset)]));
    const created = await world.mined(owner.sharing.write.createCollection([world.actors.datasetOwner.address]));
    const [event] = parseEventLogs({ abi: dataSharingClientAbi, logs: created.logs, eventName: 'CollectionCreated' });
    assert.ok(event);
    collectionId = event.args.collectionId;
    await world.mined(owner.sharing.write.addToCollection([collectionId, world.dataset]));
  });

  it('resolves to the collection owner, and follows the collection when it changes hands', async () => {
    const reader = createOwnershipReader({
      client: world.publicClient,
      hub: world.addresses.hub,
      dataSharing: world.addresses.dataSharing,
    });
    assert.equal(await reader.datasetOwner(world.dataset), world.actors.datasetOwner.address);
    const { datasetOwner, other } = world.actors;
    await world.mined(
      world.as(datasetOwner).sharing.write.transferFrom([datasetOwner.address, other.address, collectionId]),
    );
    assert.equal(await reader.datasetOwner(world.dataset), other.address, 'the new collection owner');
    await world.mined(world.as(other).sharing.write.transferFrom([other.address, datasetOwner.address, collectionId]));
  });

  it('a dataset outside any collection keeps its registry owner; apps are unaffected', async () => {
    const reader = createOwnershipReader({
      client: world.publicClient,
      hub: world.addresses.hub,
      dataSharing: world.addresses.dataSharing,
    });
    const loose = await createDataset(world, world.actors.other, 'loose.csv');
    assert.equal(await reader.datasetOwner(loose), world.actors.other.address);
    assert.equal(await reader.appOwner(world.app), world.actors.appOwner.address);
  });

  it('without the DataSharing address, the holder is DataSharing itself (nobody may push the key)', async () => {
    const reader = createOwnershipReader({ client: world.publicClient, hub: world.addresses.hub });
    assert.equal(await reader.datasetOwner(world.dataset), world.addresses.dataSharing);
  });

  it('error: an unreachable chain while reading the collection is SMS_CHAIN_UNAVAILABLE', async () => {
    let calls = 0;
    const flaky = {
      readContract: (async (args: Parameters<World['publicClient']['readContract']>[0]) => {
        calls += 1;
        if (args.functionName === 'viewProtectedData') throw new Error('connection refused');
        return world.publicClient.readContract(args);
      }) as World['publicClient']['readContract'],
    };
    const reader = createOwnershipReader({
      client: flaky,
      hub: world.addresses.hub,
      dataSharing: world.addresses.dataSharing,
    });
    await assert.rejects(reader.datasetOwner(world.dataset), (e: unknown) => {
      assert.ok(e instanceof SmsError);
      assert.equal(e.code, 'SMS_CHAIN_UNAVAILABLE');
      return true;
    });
    assert.ok(calls >= 3);
  });
});
