import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Hono } from 'hono';
import pino from 'pino';
import type { Hex, LocalAccount } from 'viem';
import { strict } from '../../../contracts/test/helpers/fixtures.js';
import {
  contribute,
  digestOf,
  finalize,
  passDeadline,
  pocWorkers,
  replicatedTask,
  reveal,
  WORKER_STAKE,
} from '../../../contracts/test/helpers/poc.js';
import { deployWorld, type World } from '../../../contracts/test/helpers/world.js';
import { forEachDatabase } from '../../../scripts/testing/postgres.js';
import { resultHash } from '../../protocol/src/index.js';
import { createIndexer, type Indexer } from './createIndexer.js';
import { createIndexerServer } from './createIndexerServer.js';
import { DUMP_QUERY, graphqlRequest } from './testing/graphqlRequest.js';
import { protect } from './testing/story.js';

const silent = pino({ enabled: false });

type Contribution = {
  taskId: string;
  worker: string;
  status: string;
  resultDigest: string | null;
  amount: string | null;
};
type TaskAnswer = {
  task: {
    status: string;
    consensusValue: string | null;
    winnerCounter: number | null;
    revealDeadline: string | null;
    contributions: Contribution[];
    history: { status: string }[];
  };
};

forEachDatabase((database) =>
  describe(`indexer: replicated tasks, contributions and worker scores (${database.kind})`, () => {
    let world: World;
    let workers: LocalAccount[];
    let indexer: Indexer;
    let app: Hono;
    const query = async <T>(source: string, variables?: Record<string, unknown>) => {
      await indexer.syncOnce();
      const answer = await graphqlRequest<T>(app, source, variables);
      assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
      return answer.data as T;
    };
    const taskOf = (taskId: Hex) =>
      query<TaskAnswer>(
        `query($id: ID!) { task(id: $id) { status consensusValue winnerCounter revealDeadline history { status }
          contributions { taskId worker status resultDigest amount } } }`,
        { id: taskId },
      ).then((d) => d.task);
    const scoreOf = async (worker: LocalAccount) =>
      (await query<{ worker: { score: string } | null }>(`{ worker(id: "${worker.address}") { score } }`)).worker
        ?.score;

    before(async () => {
      world = await deployWorld();
      workers = await pocWorkers(world);
      indexer = await createIndexer({
        database: await database.create(),
        publicClient: world.publicClient,
        addresses: world.addresses,
        logger: silent,
      });
      app = createIndexerServer({ db: indexer.db, logger: silent });
    });
    after(() => indexer.close());

    it('three honest workers (trust 5): contributions, consensus, reveals, rewards and scores', async () => {
      const [w0, w1, w2] = workers as [LocalAccount, LocalAccount, LocalAccount];
      const { taskId } = await replicatedTask(world, 5n);
      for (const w of [w0, w1]) await contribute(world, taskId, w);
      const pending = await taskOf(taskId);
      assert.equal(pending.status, 'ACTIVE');
      assert.equal(pending.consensusValue, null);
      assert.deepEqual(
        pending.contributions.map((c) => [c.worker, c.status]),
        [
          [w0.address, 'CONTRIBUTED'],
          [w1.address, 'CONTRIBUTED'],
        ],
      );
      assert.equal(await scoreOf(w0), '0', 'a contributor has score 0 until its first settlement');

      await contribute(world, taskId, w2);
      const consensus = await world.hub.read.viewConsensus([taskId]);
      const revealing = await taskOf(taskId);
      assert.equal(revealing.status, 'REVEALING');
      assert.equal(revealing.consensusValue, resultHash(taskId, digestOf('honest')));
      assert.equal(revealing.winnerCounter, 3);
      assert.equal(revealing.revealDeadline, consensus.revealDeadline.toString());

      for (const w of [w0, w1, w2]) await reveal(world, taskId, w);
      assert.deepEqual(
        (await taskOf(taskId)).contributions.map((c) => [c.status, c.resultDigest]),
        Array(3).fill(['REVEALED', digestOf('honest')]),
      );
      await finalize(world, taskId);
      const done = await taskOf(taskId);
      assert.equal(done.status, 'COMPLETED');
      assert.deepEqual(
        done.history.map((h) => h.status),
        ['ACTIVE', 'REVEALING', 'COMPLETED'],
      );
      assert.deepEqual(
        done.contributions.map((c) => [c.status, c.resultDigest]),
        Array(3).fill(['REWARDED', digestOf('honest')]),
      );
      for (const w of [w0, w1, w2]) {
        assert.equal(await scoreOf(w), (await world.hub.read.viewScore([w.address])).toString());
        assert.equal(await scoreOf(w), '1');
      }
    });

    it('a liar (trust 3) is outvoted and slashed: its score falls, workers are ranked by score', async () => {
      const [w0, w1, liar, w3] = workers as [LocalAccount, LocalAccount, LocalAccount, LocalAccount];
      const { taskId } = await replicatedTask(world, 3n);
      await contribute(world, taskId, liar, { digest: digestOf('lie') });
      for (const w of [w0, w1, w3]) await contribute(world, taskId, w);
      for (const w of [w0, w1, w3]) await reveal(world, taskId, w);
      await finalize(world, taskId);

      const task = await taskOf(taskId);
      const lie = task.contributions.find((c) => c.worker === liar.address);
      assert.deepEqual(lie, {
        taskId,
        worker: liar.address,
        status: 'SLASHED',
        resultDigest: null,
        amount: WORKER_STAKE.toString(),
      });
      assert.equal(await scoreOf(liar), '0', 'score 1 × 2/3, rounded down');
      assert.equal(await scoreOf(liar), (await world.hub.read.viewScore([liar.address])).toString());

      const { workers: ranked } = await query<{ workers: { id: string; score: string }[] }>('{ workers { id score } }');
      const byAddress = (a: string, b: string) => (a < b ? -1 : 1);
      assert.deepEqual(ranked, [
        ...[w0, w1]
          .map((w) => w.address)
          .sort(byAddress)
          .map((id) => ({ id, score: '2' })),
        { id: w3.address, score: '1' },
        { id: liar.address, score: '0' },
      ]);
      const page = await query<{ workers: { id: string }[] }>('{ workers(first: 2, skip: 2) { id } }');
      assert.deepEqual(
        page.workers.map((w) => w.id),
        [w3.address, liar.address],
      );

      const { worker } = await query<{ worker: { id: string; contributions: Contribution[] } }>(
        `{ worker(id: "${w0.address.toLowerCase()}") { id contributions { taskId status task { status } } } }`,
      );
      assert.equal(worker.id, w0.address);
      assert.deepEqual(
        worker.contributions.map((c) => c.status),
        ['REWARDED', 'REWARDED'],
      );
      assert.equal(worker.contributions[0]?.taskId, taskId, 'newest first');
      const second = await query<{ worker: { contributions: { taskId: string }[] } }>(
        `{ worker(id: "${w0.address}") { contributions(first: 1, skip: 1) { taskId } } }`,
      );
      assert.notEqual(second.worker.contributions[0]?.taskId, taskId);
    });

    it('a silent winner is REJECTED when the scheduler reopens; a reorg removes it all', async () => {
      const silentWorker = workers[4] as LocalAccount;
      await indexer.syncOnce();
      const fork = await world.chain.snapshot();
      const { taskId } = await replicatedTask(world, 2n);
      await contribute(world, taskId, silentWorker);
      await passDeadline(world, (await world.hub.read.viewConsensus([taskId])).revealDeadline);
      await world.mined(strict(world, world.actors.scheduler).hub.write.reopen([taskId]));
      const reopened = await taskOf(taskId);
      assert.equal(reopened.status, 'ACTIVE');
      assert.equal(reopened.consensusValue, null);
      assert.equal(reopened.winnerCounter, null);
      assert.deepEqual(
        reopened.history.map((h) => h.status),
        ['ACTIVE', 'REVEALING', 'ACTIVE'],
      );
      assert.deepEqual(
        reopened.contributions.map((c) => [c.worker, c.status]),
        [[silentWorker.address, 'REJECTED']],
      );

      await world.chain.revert(fork);
      await protect(world, world.actors.other, 'replacement', { note: 'string' });
      assert.equal((await indexer.syncOnce()).reorgs, 1);
      assert.equal(await scoreOf(silentWorker), undefined, 'the orphaned contribution is gone');
      const fresh = await createIndexer({
        database: await database.create(),
        publicClient: world.publicClient,
        addresses: world.addresses,
        logger: silent,
      });
      try {
        await fresh.syncOnce();
        const dump = async (db: Indexer['db']) =>
          (await graphqlRequest(createIndexerServer({ db, logger: silent }), DUMP_QUERY)).data;
        assert.deepEqual(await dump(indexer.db), await dump(fresh.db), 'as if the orphaned branch was never seen');
      } finally {
        await fresh.close();
      }
    });

    it('error: worker(id) that is not an address → CONFIDE_INDEXER_INVALID_INPUT', async () => {
      const answer = await graphqlRequest(app, '{ worker(id: "0x12") { score } }');
      assert.equal(answer.errors?.[0]?.extensions?.code, 'CONFIDE_INDEXER_INVALID_INPUT');
      assert.match(answer.errors?.[0]?.message ?? '', /id: "0x12" is not an address/);
      const page = await graphqlRequest(app, '{ workers(first: 1001) { id } }');
      assert.match(page.errors?.[0]?.message ?? '', /first: must be in 0\.\.1000/);
    });
  }),
);
