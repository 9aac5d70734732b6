import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import pino from 'pino';
import { type Address, type Hex, sha256, toHex } from 'viem';
import { deployWorld, type World } from '../../../contracts/test/helpers/world.js';
import { forEachDatabase } from '../../../scripts/testing/postgres.js';
import { getProtectedData } from './client/getProtectedData.js';
import { createIndexer, type Indexer } from './createIndexer.js';
import { createIndexerServer } from './createIndexerServer.js';
import { DUMP_QUERY, graphqlRequest, inProcessQuery } from './testing/graphqlRequest.js';
import { protect } from './testing/story.js';

// DatasetRegistry's `DatasetUpdated` (what rotateKey's `updateDataset` emits): the indexer serves
// the last location and checksum, lists the updates, undoes them with a reorg, and an index made
// before it followed them (migration 003) is upgraded and backfilled.

const silent = pino({ enabled: false });

type Location = { multiaddr: string; checksum: Hex };
type Update = Location & { blockNumber: string; timestamp: string; transactionHash: Hex };
type Served = Location & { updates: Update[] };

async function dump(indexer: Indexer) {
  const answer = await graphqlRequest(createIndexerServer({ db: indexer.db, logger: silent }), DUMP_QUERY);
  assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
  return answer.data;
}

async function served(indexer: Indexer, dataset: Address): Promise<Served> {
  const answer = await graphqlRequest<{ protectedData: Served | null }>(
    createIndexerServer({ db: indexer.db, logger: silent }),
    `query ($id: ID!) {
      protectedData(id: $id) {
        multiaddr checksum updates { multiaddr checksum blockNumber timestamp transactionHash }
      }
    }`,
    { id: dataset },
  );
  assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
  assert.ok(answer.data?.protectedData, `${dataset} is served`);
  return answer.data.protectedData;
}

forEachDatabase((database) =>
  describe(`indexer: dataset updates (key rotation) (${database.kind})`, () => {
    let world: World;
    let rotated: Address;
    let untouched: Address;
    let live: Indexer;
    const created = (name: string): Location => ({
      multiaddr: `/ipfs/bafy${name}`,
      checksum: sha256(toHex(`ciphertext of ${name}`)),
    });
    const locations = new Map<string, Promise<string>>();
    const locate = (name: string) => {
      if (!locations.has(name)) locations.set(name, database.create());
      return locations.get(name) as Promise<string>;
    };
    const open = async (name: string, options: { batchSize?: number } = {}) =>
      createIndexer({
        database: await locate(name),
        publicClient: world.publicClient,
        addresses: world.addresses,
        logger: silent,
        ...options,
      });

    /** `updateDataset` as the owner (what rotateKey does last); returns the update as served. */
    const update = async (label: string): Promise<Update> => {
      const location = { multiaddr: `/ipfs/bafy${label}`, checksum: sha256(toHex(`ciphertext ${label}`)) };
      const receipt = await world.mined(
        world
          .as(world.actors.datasetOwner)
          .datasets.write.updateDataset([rotated, toHex(location.multiaddr), location.checksum]),
      );
      const block = await world.publicClient.getBlock({ blockNumber: receipt.blockNumber });
      return {
        ...location,
        blockNumber: String(receipt.blockNumber),
        timestamp: String(block.timestamp),
        transactionHash: receipt.transactionHash,
      };
    };
    const only = ({ multiaddr, checksum }: Location): Location => ({ multiaddr, checksum });

    before(async () => {
      world = await deployWorld();
      rotated = await protect(world, world.actors.datasetOwner, 'rotated', { email: 'string' });
      untouched = await protect(world, world.actors.datasetOwner, 'untouched', { email: 'string' });
    });
    after(() => live?.close());

    let beforeFirst: Hex;

    it('an update is indexed: the protected data serves its new location and lists it', async () => {
      live = await open('live');
      await live.syncOnce();
      assert.deepEqual(await served(live, rotated), { ...created('rotated'), updates: [] });

      beforeFirst = await world.chain.snapshot();
      const first = await update('rotated-a');
      const result = await live.syncOnce();
      assert.equal(result.events, 1, 'DatasetUpdated');
      assert.deepEqual(await served(live, rotated), { ...only(first), updates: [first] });
      assert.deepEqual(await served(live, untouched), { ...created('untouched'), updates: [] }, 'others unchanged');

      const [typed] = await getProtectedData({ query: inProcessQuery(live.db) }, { protectedDataAddress: rotated });
      assert.deepEqual(typed && only(typed), only(first), 'the typed client reads the current location');
      const listed = await getProtectedData(
        { query: inProcessQuery(live.db) },
        { owner: world.actors.datasetOwner.address },
      );
      assert.deepEqual(
        listed.map((p) => only(p)),
        [created('untouched'), only(first)],
        'lists serve current locations too',
      );
    });

    it('a reorg that drops updates serves the previous location again (the creation one, then the last kept)', async () => {
      await world.chain.revert(beforeFirst);
      await world.chain.increaseTime(5);
      await world.chain.increaseTime(5);
      const gone = await live.syncOnce();
      assert.equal(gone.reorgs, 1);
      assert.deepEqual(await served(live, rotated), { ...created('rotated'), updates: [] }, 'back to creation');

      const b1 = await update('rotated-b1');
      await live.syncOnce();
      const fork = await world.chain.snapshot();
      const b2 = await update('rotated-b2');
      await live.syncOnce();
      assert.deepEqual(await served(live, rotated), { ...only(b2), updates: [b1, b2] });

      await world.chain.revert(fork);
      await world.chain.increaseTime(5);
      assert.equal((await live.syncOnce()).reorgs, 1);
      assert.deepEqual(await served(live, rotated), { ...only(b1), updates: [b1] }, 'back to the kept update');

      const b3 = await update('rotated-b3');
      await live.syncOnce();
      assert.deepEqual(await served(live, rotated), { ...only(b3), updates: [b1, b3] });
    });

    it('a full re-index, in small batches, gives the same answers', async () => {
      await live.syncOnce();
      const fresh = await open('fresh', { batchSize: 3 });
      try {
        await fresh.syncOnce();
        assert.deepEqual(await dump(fresh), await dump(live));
        assert.deepEqual(await served(fresh, rotated), await served(live, rotated));
      } finally {
        await fresh.close();
      }
    });

    it('an index made at migration 003 is upgraded in place: its blocks are read again for updates alone', async () => {
      const old = await open('old');
      await old.syncOnce();
      // What the indexer before migration 004 left: creation locations, no updates, no 004.
      for (const statement of [
        sql`update datasets set multiaddr = created_multiaddr, checksum = created_checksum`,
        sql`alter table datasets drop column created_multiaddr`,
        sql`alter table datasets drop column created_checksum`,
        sql`drop table dataset_updates`,
        sql`delete from kysely_migration where name = '004_dataset_updates'`,
      ]) {
        await statement.execute(old.db);
      }
      await old.close();

      const upgraded = await open('old', { batchSize: 4 });
      try {
        assert.deepEqual(
          await served(upgraded, rotated),
          { ...created('rotated'), updates: [] },
          'migrated, not yet backfilled',
        );
        const head = await world.publicClient.getBlockNumber();
        const result = await upgraded.syncOnce();
        assert.deepEqual(result, { head, indexedTo: head, events: 2, reorgs: 0 }, 'the two updates, nothing else');
        await live.syncOnce();
        assert.deepEqual(await dump(upgraded), await dump(live), 'as a full re-index');
        const pending = await upgraded.db.selectFrom('meta').select('key').where('key', 'like', 'backfill:%').execute();
        assert.deepEqual(pending, [], 'the backfill is done and forgotten');
        const next = await update('rotated-c');
        await upgraded.syncOnce();
        assert.deepEqual((await served(upgraded, rotated)).updates.at(-1), next, 'and it follows new updates');
      } finally {
        await upgraded.close();
      }
    });
  }),
);
