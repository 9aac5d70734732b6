import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type ServerType, serve } from '@hono/node-server';
import pino from 'pino';
import { deployWorld, PRICES, type World } from '../../../../contracts/test/helpers/world.js';
import { createIndexer, type Indexer } from '../createIndexer.js';
import { createIndexerServer } from '../createIndexerServer.js';
import { IndexerHttpError, IndexerInputError, IndexerQueryError, IndexerUnreachableError } from '../errors.js';
import { SCHEMAS, type Story, tellStory } from '../testing/story.js';
import { createIndexerClient, type IndexerClient } from './createIndexerClient.js';

describe('createIndexerClient over HTTP', () => {
  let world: World;
  let story: Story;
  let indexer: Indexer;
  let server: ServerType;
  let client: IndexerClient;

  before(async () => {
    world = await deployWorld();
    story = await tellStory(world);
    indexer = await createIndexer({
      database: ':memory:',
      publicClient: world.publicClient,
      addresses: world.addresses,
    });
    await indexer.syncOnce();
    const app = createIndexerServer({ db: indexer.db, logger: pino({ enabled: false }) });
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    client = createIndexerClient({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` });
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await indexer.close();
  });

  it('getProtectedData() returns DataProtector’s shape, newest first, with the schema parsed', async () => {
    const all = await client.getProtectedData();
    assert.deepEqual(
      all.map((p) => p.name),
      ['broken', 'bob-contact', 'alice-contact', 'air-quality'],
    );
    const air = all.find((p) => p.name === 'air-quality');
    assert.ok(air);
    assert.deepEqual(air.schema, SCHEMAS.air);
    assert.equal(air.address, story.protectedData.air);
    assert.equal(air.owner, world.actors.datasetOwner.address);
    assert.equal(air.multiaddr, '/ipfs/bafyair-quality');
    assert.equal(typeof air.creationTimestamp, 'number');
    assert.equal(typeof air.blockNumber, 'bigint');
    assert.deepEqual(all.find((p) => p.name === 'broken')?.schema, {}, 'a schema that is not JSON reads as {}');
  });

  it('getProtectedData filters by owner, requiredSchema, creation time and address; pages', async () => {
    const names = async (p: Parameters<IndexerClient['getProtectedData']>[0]) =>
      (await client.getProtectedData(p)).map((d) => d.name);
    assert.deepEqual(await names({ owner: world.actors.sponsor.address }), ['alice-contact']);
    assert.deepEqual(await names({ requiredSchema: { email: 'string', picture: ['image/png', 'image/jpeg'] } }), [
      'bob-contact',
      'alice-contact',
    ]);
    assert.deepEqual(await names({ requiredSchema: { meta: { year: 'f64' } } }), ['air-quality']);
    const bob = (await client.getProtectedData({ protectedDataAddress: story.protectedData.bob }))[0];
    assert.equal(bob?.name, 'bob-contact');
    assert.deepEqual(await names({ createdAfterTimestamp: bob?.creationTimestamp }), ['broken', 'bob-contact']);
    assert.deepEqual(await names({ page: 1, pageSize: 3 }), ['air-quality']);
    assert.deepEqual(await names({ page: 0, pageSize: 1 }), ['broken']);
  });

  it('getTask() returns the status, result location or failure reason, and the history', async () => {
    const done = await client.getTask(story.tasks.done);
    assert.equal(done?.status, 'COMPLETED');
    assert.equal(done?.results, '/ipfs/bafyresult');
    assert.equal(done?.dealId, story.deals.done);
    assert.equal(done?.index, 0n);
    assert.deepEqual(
      done?.history.map((h) => [h.status, typeof h.blockNumber, typeof h.timestamp]),
      [
        ['ACTIVE', 'bigint', 'number'],
        ['COMPLETED', 'bigint', 'number'],
      ],
    );
    assert.equal((await client.getTask(story.tasks.failed))?.failureReason, 'APP_EXIT_NONZERO');
    assert.equal((await client.getTask(story.tasks.claimed))?.failureReason, 'CLAIMED');
    assert.equal(await client.getTask(story.tasks.onAirUnset), null, 'not initialized yet');
  });

  it('getDeal() returns prices as bigints and every task’s status', async () => {
    const deal = await client.getDeal(story.deals.onAir);
    assert.equal(deal?.dataset, story.protectedData.air);
    assert.equal(deal?.appPrice, PRICES.app);
    assert.equal(deal?.botSize, 2);
    assert.deepEqual(deal?.tasks, [
      { taskId: story.tasks.onAirActive, index: 0n, status: 'ACTIVE' },
      { taskId: story.tasks.onAirUnset, index: 1n, status: 'UNSET' },
    ]);
    assert.equal(await client.getDeal(`0x${'00'.repeat(32)}`), null);
  });

  it('query() runs any query and returns its data', async () => {
    const data = await client.query<{ apps: { name: string }[] }>(
      'query($o: String) { apps(where: { owner: $o }) { name } }',
      {
        o: world.actors.other.address,
      },
    );
    assert.deepEqual(data, { apps: [{ name: 'hello' }] });
  });

  it('error: a refused query → IndexerQueryError carrying the server’s codes', async () => {
    await assert.rejects(
      client.getProtectedData({ owner: '0x12' as `0x${string}` }),
      (error: unknown) =>
        error instanceof IndexerQueryError &&
        error.code === 'CONFIDE_INDEXER_QUERY_FAILED' &&
        error.errors[0]?.extensions?.code === 'CONFIDE_INDEXER_INVALID_INPUT',
    );
    await assert.rejects(client.query('{ nope }'), (error: unknown) => error instanceof IndexerQueryError);
  });

  it('error: a page size outside 1..1000 is refused before any request', async () => {
    for (const pageSize of [0, 1001, 2.5]) {
      await assert.rejects(client.getProtectedData({ pageSize }), IndexerInputError);
    }
    await assert.rejects(client.getProtectedData({ page: -1 }), IndexerInputError);
  });

  it('error: an answer that is not GraphQL (a proxy’s 502 page) → IndexerHttpError with the status', async () => {
    const proxy = serve({
      fetch: () => new Response('<h1>Bad gateway</h1>', { status: 502 }),
      hostname: '127.0.0.1',
      port: 0,
    });
    await new Promise((resolve) => proxy.once('listening', resolve));
    try {
      const behind = createIndexerClient({ url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` });
      await assert.rejects(
        behind.getDeal(story.deals.done),
        (error: unknown) =>
          error instanceof IndexerHttpError && error.status === 502 && error.code === 'CONFIDE_INDEXER_HTTP_ERROR',
      );
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it('error: nothing listening → IndexerUnreachableError', async () => {
    const probe = serve({ fetch: () => new Response(), hostname: '127.0.0.1', port: 0 });
    await new Promise((resolve) => probe.once('listening', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const gone = createIndexerClient({ url: `http://127.0.0.1:${port}` });
    await assert.rejects(
      gone.getTask(story.tasks.done),
      (error: unknown) => error instanceof IndexerUnreachableError && error.code === 'CONFIDE_INDEXER_UNREACHABLE',
    );
  });
});
