import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { getContract, parseEventLogs, sha256, toHex } from 'viem';
import { dataProtectorAbi, datasetRegistryAbi } from '../../packages/protocol/src/index.js';
import { deployWorld, expectRevert, type World } from './helpers/world.js';

const SCHEMA = JSON.stringify({ csv: 'application/octet-stream', meta: { station: 'string', year: 'f64' } });
const MULTIADDR = toHex('/ipfs/bafyprotected');

describe('DataProtector', () => {
  let world: World;
  before(async () => {
    world = await deployWorld();
  });

  it('creates the dataset for its owner and emits its schema in the same transaction', async () => {
    const { datasetOwner, other } = world.actors;
    const args = [datasetOwner.address, 'air.csv', SCHEMA, MULTIADDR, sha256(toHex('ciphertext'))] as const;
    const predicted = await world
      .as(other)
      .datasets.read.predictDataset([datasetOwner.address, 'air.csv', MULTIADDR, sha256(toHex('ciphertext'))]);
    // Sent by another account, as a relayer would: the owner still gets the NFT.
    const receipt = await world.mined(world.as(other).dataProtector.write.createDatasetWithSchema(args));
    const [event] = parseEventLogs({ abi: dataProtectorAbi, logs: receipt.logs, eventName: 'DatasetSchema' });
    assert.deepEqual(event?.args, { dataset: predicted, schema: SCHEMA });
    const info = await world.as(other).datasets.read.viewDataset([predicted]);
    assert.equal(info.owner, datasetOwner.address);
    assert.equal(info.name, 'air.csv');
    assert.equal(await world.as(other).dataProtector.read.datasetRegistry(), world.addresses.datasetRegistry);
  });

  it('error: an empty schema → DataProtectorEmptySchema()', async () => {
    const { datasetOwner } = world.actors;
    await expectRevert(
      world
        .as(datasetOwner)
        .dataProtector.write.createDatasetWithSchema([datasetOwner.address, 'x', '', MULTIADDR, sha256(toHex('x'))]),
      'DataProtectorEmptySchema',
    );
  });

  it('error: the registry’s own refusals pass through (duplicate → RegistryAssetExists(dataset))', async () => {
    const { datasetOwner } = world.actors;
    const args = [datasetOwner.address, 'dup.csv', SCHEMA, MULTIADDR, sha256(toHex('dup'))] as const;
    await world.mined(world.as(datasetOwner).dataProtector.write.createDatasetWithSchema(args));
    const dataset = await world
      .as(datasetOwner)
      .datasets.read.predictDataset([datasetOwner.address, 'dup.csv', MULTIADDR, sha256(toHex('dup'))]);
    // The registry's errors bubble up unchanged; decode them with the registry's ABI beside ours.
    const withRegistryErrors = getContract({
      address: world.addresses.dataProtector,
      abi: [...dataProtectorAbi, ...datasetRegistryAbi.filter((item) => item.type === 'error')],
      client: { public: world.publicClient, wallet: world.chain.clientsOf(datasetOwner).wallet },
    });
    await expectRevert(withRegistryErrors.write.createDatasetWithSchema(args), 'RegistryAssetExists', [dataset]);
  });
});
