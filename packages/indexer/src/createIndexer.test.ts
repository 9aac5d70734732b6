import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { createPublicClient, http, zeroAddress } from 'viem';
import { deployWorld, type World } from '../../../contracts/test/helpers/world.js';
import { forEachDatabase } from '../../../scripts/testing/postgres.js';
import { createIndexer, type Indexer } from './createIndexer.js';
import { createIndexerServer } from './createIndexerServer.js';
import { IndexerDatabaseMismatchError, IndexerDatabaseUnavailableError } from './errors.js';
import { DUMP_QUERY, graphqlRequest } from './testing/graphqlRequest.js';
import { completeTask, failTask, protect, type Story, tellStory, transferDataset } from './testing/story.js';

const silent = pino({ enabled: false });

/** Everything the API serves from this indexer's database. */
async function dump(indexer: Indexer) {
  const answer = await graphqlRequest(createIndexerServer({ db: indexer.db, logger: silent }), DUMP_QUERY);
  assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
  return answer.data;
}

async function protectedNames(indexer: Indexer) {
  const answer = await graphqlRequest<{ protectedDatas: { name: string; owner: string }[] }>(
    createIndexerServer({ db: indexer.db, logger: silent }),
    '{ protectedDatas { name owner } }',
  );
  return answer.data?.protectedDatas ?? [];
}

forEachDatabase((database) =>
  describe(`createIndexer: following the chain (${database.kind})`, () => {
    let world: World;
    let story: Story;
    let live: Indexer;
    /** One database per name, created at its first use: the same name reopens the same database. */
    const locations = new Map<string, Promise<string>>();
    const locate = (name: string) => {
      if (!locations.has(name)) locations.set(name, database.create());
      return locations.get(name) as Promise<string>;
    };
    const open = async (name: string, options: { batchSize?: number; confirmations?: number } = {}) =>
      createIndexer({
        database: await locate(name),
        publicClient: world.publicClient,
        addresses: world.addresses,
        logger: silent,
        ...options,
      });

    before(async () => {
      world = await deployWorld();
      story = await tellStory(world);
    });
    after(() => live?.close());

    it('indexes every event up to the head and stores the cursor', async () => {
      live = await open('live');
      const head = await world.publicClient.getBlockNumber();
      const result = await live.syncOnce();
      assert.deepEqual({ ...result, events: result.events > 0 }, { head, indexedTo: head, events: true, reorgs: 0 });
      const cursor = await live.db.selectFrom('cursor').selectAll().executeTakeFirstOrThrow();
      assert.equal(cursor.block_hash, (await world.publicClient.getBlock({ blockNumber: head })).hash);
      assert.deepEqual((await live.syncOnce()).events, 0, 'nothing new: nothing indexed twice');
    });

    it('a restart resumes from the stored cursor and indexes only what is new', async () => {
      const before0 = await dump(live);
      await live.close();
      live = await open('live');
      assert.deepEqual(await dump(live), before0, 'the same answers after reopening');
      assert.equal((await live.syncOnce()).events, 0, 'no block read twice after a restart');
      await protect(world, world.actors.other, 'after-restart', { note: 'string' });
      const result = await live.syncOnce();
      assert.equal(result.events, 3, 'Transfer (mint), DatasetCreated, DatasetSchema');
      assert.equal((await protectedNames(live))[0]?.name, 'after-restart');
    });

    it('a full re-index from block 0, in small batches, gives identical answers', async () => {
      const fresh = await open('fresh', { batchSize: 3 });
      try {
        await fresh.syncOnce();
        assert.deepEqual(await dump(fresh), await dump(live));
      } finally {
        await fresh.close();
      }
    });

    it('confirmations hold the newest blocks back until they are deep enough', async () => {
      const careful = await open('careful', { confirmations: 2 });
      try {
        const head = await world.publicClient.getBlockNumber();
        assert.equal((await careful.syncOnce()).indexedTo, head - 2n);
        await protect(world, world.actors.other, 'unconfirmed', { note: 'string' });
        await careful.syncOnce();
        assert.notEqual((await protectedNames(careful))[0]?.name, 'unconfirmed', 'one block deep: not yet');
        await world.chain.increaseTime(1);
        await world.chain.increaseTime(1);
        await careful.syncOnce();
        assert.equal((await protectedNames(careful))[0]?.name, 'unconfirmed', 'two blocks deep: indexed');
      } finally {
        await careful.close();
      }
    });

    it('a reorg is rolled back to the common ancestor and the new branch indexed (evm_snapshot/evm_revert)', async () => {
      await live.syncOnce();
      const { datasetOwner, other } = world.actors;
      const fork = await world.chain.snapshot();
      // The branch that will be orphaned: a new protected data, a transfer, a completed task.
      await protect(world, other, 'orphan', { note: 'string' });
      await transferDataset(world, story.protectedData.air, datasetOwner, other.address);
      await completeTask(world, story.tasks.onAirActive, '/ipfs/bafyorphan');
      await live.syncOnce();
      assert.equal((await protectedNames(live))[0]?.name, 'orphan');
      const orphanHead = await world.publicClient.getBlockNumber();

      await world.chain.revert(fork);
      // The new branch is shorter: the cursor's block does not exist on it at first.
      await protect(world, other, 'replacement', { note: 'string' });
      await failTask(world, story.tasks.onAirActive, 'APP_TIMEOUT');
      assert.ok((await world.publicClient.getBlockNumber()) < orphanHead);
      const result = await live.syncOnce();
      assert.equal(result.reorgs, 1);

      const names = await protectedNames(live);
      assert.equal(names[0]?.name, 'replacement');
      assert.ok(!names.some((p) => p.name === 'orphan'), 'the orphaned protected data is gone');
      assert.equal(names.find((p) => p.name === 'air-quality')?.owner, datasetOwner.address, 'the transfer is undone');
      const task = await graphqlRequest<{ task: unknown }>(
        createIndexerServer({ db: live.db, logger: silent }),
        `{ task(id: "${story.tasks.onAirActive}") { status results failureReason history { status reason } } }`,
      );
      assert.deepEqual(task.data?.task, {
        status: 'FAILED',
        results: null,
        failureReason: 'APP_TIMEOUT',
        history: [
          { status: 'ACTIVE', reason: null },
          { status: 'FAILED', reason: 'APP_TIMEOUT' },
        ],
      });

      const fresh = await open('after-reorg');
      try {
        await fresh.syncOnce();
        assert.deepEqual(await dump(live), await dump(fresh), 'as if the orphaned branch had never been seen');
      } finally {
        await fresh.close();
      }
    });

    it('a reorg onto a longer branch is rolled back as well', async () => {
      await live.syncOnce();
      const fork = await world.chain.snapshot();
      await protect(world, world.actors.other, 'short-lived', { note: 'string' });
      await live.syncOnce();
      await world.chain.revert(fork);
      for (let i = 0; i < 3; i++) await world.chain.increaseTime(7);
      await protect(world, world.actors.other, 'longer', { note: 'string' });
      assert.equal((await live.syncOnce()).reorgs, 1);
      const names = (await protectedNames(live)).map((p) => p.name);
      assert.equal(names[0], 'longer');
      assert.ok(!names.includes('short-lived'));
    });

    it('start() follows new blocks by polling; stop() waits for the catch-up in progress', async () => {
      const follower = await open('follower', { batchSize: 50 });
      try {
        follower.start();
        follower.start(); // a second start is a no-op
        await protect(world, world.actors.requester, 'polled', { note: 'string' });
        const deadline = Date.now() + 10_000;
        while ((await protectedNames(follower))[0]?.name !== 'polled') {
          assert.ok(Date.now() < deadline, 'the follower indexed the new block within 10 s');
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await follower.stop();
        await protect(world, world.actors.requester, 'after-stop', { note: 'string' });
        await new Promise((resolve) => setTimeout(resolve, 50));
        assert.equal((await protectedNames(follower))[0]?.name, 'polled', 'stopped: nothing more indexed');
      } finally {
        await follower.close();
      }
    });

    it('error: a database filled from another deployment is refused', async () => {
      await assert.rejects(
        createIndexer({
          database: await locate('live'),
          publicClient: world.publicClient,
          addresses: { ...world.addresses, hub: world.addresses.appRegistry },
        }),
        (error: unknown) =>
          error instanceof IndexerDatabaseMismatchError &&
          error.code === 'CONFIDE_INDEXER_DATABASE_MISMATCH' &&
          /hub: stored 0x\w+, configured 0x\w+/.test(String(error.details)),
      );
    });
  }),
);

describe('createIndexer: a database that cannot be opened', () => {
  const attempt = (database: string) =>
    createIndexer({
      database,
      publicClient: createPublicClient({ transport: http('http://127.0.0.1:1') }),
      addresses: {
        hub: zeroAddress,
        appRegistry: zeroAddress,
        datasetRegistry: zeroAddress,
        workerpoolRegistry: zeroAddress,
        dataProtector: zeroAddress,
        dataSharing: zeroAddress,
      },
    });

  it('error: an unreachable PostgreSQL server is refused by name, its password left out', async () => {
    await assert.rejects(
      attempt('postgres://indexer:hunter2@127.0.0.1:1/index'),
      (error: unknown) =>
        error instanceof IndexerDatabaseUnavailableError &&
        error.code === 'CONFIDE_INDEXER_DATABASE_UNAVAILABLE' &&
        error.location === 'postgres://indexer:***@127.0.0.1:1/index' &&
        String(error.details).includes('ECONNREFUSED') &&
        !error.message.includes('hunter2'),
    );
  });

  it('error: a SQLite file in a directory that does not exist', async () => {
    await assert.rejects(
      attempt('/nonexistent-confide-dir/index.sqlite'),
      (error: unknown) =>
        error instanceof IndexerDatabaseUnavailableError &&
        error.code === 'CONFIDE_INDEXER_DATABASE_UNAVAILABLE' &&
        error.location === '/nonexistent-confide-dir/index.sqlite',
    );
  });
});
