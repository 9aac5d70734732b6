import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import type { Hex } from 'viem';
import { match } from '../../../../contracts/test/helpers/world.js';
import { forEachDatabase } from '../../../../scripts/testing/postgres.js';
import { OrderOperation } from '../../../protocol/src/index.js';
import { createMarket } from '../createMarket.js';
import type { OrderEvent } from '../events/createOrderEvents.js';
import {
  type Answer,
  type MarketFixture,
  marketFixture,
  registerDataset,
  transferDataset,
} from '../testing/marketFixture.js';
import { createChainFollower } from './createChainFollower.js';

forEachDatabase((database) => {
  describe(`createChainFollower (${database.kind})`, () => {
    let m: MarketFixture;
    let events: OrderEvent[] = [];
    before(async () => {
      m = await marketFixture({ database: await database.create() });
      m.market.events.subscribe((event) => events.push(event));
    });
    after(() => m.close());

    const entry = async (book: string, hash: Hex) => (await m.request('GET', `/${book}/${hash}`)).body;
    const hashOf = async (answer: Promise<Answer>): Promise<Hex> => {
      const { status, body } = await answer;
      assert.equal(status, 201, JSON.stringify(body));
      return body.published.orderHash;
    };

    it('after a real matchOrders, lowers the remaining volume and takes fully used orders out of the book', async () => {
      const orders = await m.world.orders({ app: { volume: 3n } });
      const app = await hashOf(m.publish('AppOrder', orders.app));
      const dataset = await hashOf(m.publish('DatasetOrder', orders.dataset));
      const workerpool = await hashOf(m.publish('WorkerpoolOrder', orders.workerpool));
      const request = await hashOf(m.publish('RequestOrder', orders.request));
      events = [];
      await match(m.world, orders);
      const report = await m.follower.sync();
      assert.equal(report.changed, 4);
      assert.deepEqual(
        [await entry('apporders', app)].map((e) => [e.remaining, e.status]),
        [['2', 'open']],
      );
      for (const [book, hash] of [
        ['datasetorders', dataset],
        ['workerpoolorders', workerpool],
        ['requestorders', request],
      ] as const) {
        const e = await entry(book, hash);
        assert.deepEqual([e.remaining, e.status], ['0', 'filled']);
        const list = await m.request('GET', `/${book}`);
        assert.ok(!list.body.orders.some((o: { orderHash: Hex }) => o.orderHash === hash), `${book} still lists it`);
      }
      assert.deepEqual(
        events.map((e) => [e.type, e.orderHash, e.remaining, e.status]).sort(),
        [
          ['removed', dataset, '0', 'filled'],
          ['removed', request, '0', 'filled'],
          ['removed', workerpool, '0', 'filled'],
          ['updated', app, '2', 'open'],
        ].sort(),
      );
    });

    it('takes an order cancelled on chain out of the book', async () => {
      const { app } = await m.world.orders();
      const hash = await hashOf(m.publish('AppOrder', app));
      await m.world.mined(
        m.world
          .as(m.world.actors.appOwner)
          .hub.write.manageAppOrder([{ order: app, operation: OrderOperation.Close, sign: '0x' }]),
      );
      await m.follower.sync();
      assert.deepEqual(
        [(await entry('apporders', hash)).status, (await entry('apporders', hash)).remaining],
        ['cancelled', '0'],
      );
    });

    it("after an NFT transfer, takes the former owner's orders out, except those the new owner presigned", async () => {
      const { datasetOwner, other } = m.world.actors;
      const dataset = await registerDataset(m.world, datasetOwner, 'transferred.csv');
      const a = await m.world.orders({ dataset: { dataset } });
      const b = await m.world.orders({ dataset: { dataset } });
      const dead = await hashOf(m.publish('DatasetOrder', a.dataset));
      const kept = await hashOf(m.publish('DatasetOrder', b.dataset));
      await transferDataset(m.world, datasetOwner, dataset, other.address);
      await m.world.mined(
        m.world
          .as(other)
          .hub.write.manageDatasetOrder([{ order: b.dataset, operation: OrderOperation.Sign, sign: '0x' }]),
      );
      events = [];
      await m.follower.sync();
      assert.equal((await entry('datasetorders', dead)).status, 'dead');
      const survivor = await entry('datasetorders', kept);
      assert.deepEqual([survivor.status, survivor.signer], ['open', other.address]);
      assert.deepEqual(
        events.map((e) => [e.type, e.orderHash, e.status]),
        [['removed', dead, 'dead']],
      );
      const book = await m.request('GET', `/datasetorders?dataset=${dataset}`);
      assert.deepEqual(
        book.body.orders.map((o: { orderHash: Hex }) => o.orderHash),
        [kept],
      );
    });

    it('restarted from its cursor, applies nothing twice', async () => {
      const orders = await m.world.orders({ app: { volume: 5n } });
      const app = await hashOf(m.publish('AppOrder', orders.app));
      await match(m.world, orders);
      await m.follower.sync();
      assert.equal((await entry('apporders', app)).remaining, '4');

      // A new process: new caches and event fan-out over the same database.
      const fresh = createMarket({ db: m.db, chain: m.chain });
      const seen: OrderEvent[] = [];
      fresh.events.subscribe((e) => seen.push(e));
      const head = await m.world.publicClient.getBlockNumber();
      const restarted = createChainFollower({ market: fresh });
      assert.deepEqual(await restarted.sync(), { changed: 0 });
      assert.equal((await entry('apporders', app)).remaining, '4');
      assert.deepEqual(seen, []);
      assert.equal(await fresh.store.cursor(`follower:31337:${m.world.addresses.hub.toLowerCase()}`), head);

      // The next deal is applied once, by whichever follower reads it first.
      const again = await m.world.orders({ app: orders.app });
      await match(m.world, { ...again, app: orders.app });
      const report = await restarted.sync();
      assert.equal(report.fromBlock, head + 1n);
      assert.equal((await m.follower.sync()).changed, 0);
      assert.equal((await entry('apporders', app)).remaining, '3');
    });

    it('runs in the background until stopped', async () => {
      const follower = createChainFollower({ market: m.market, pollMs: 20 });
      const { app } = await m.world.orders({ app: { volume: 2n } });
      const hash = await hashOf(m.publish('AppOrder', app));
      follower.start();
      await m.world.mined(
        m.world
          .as(m.world.actors.appOwner)
          .hub.write.manageAppOrder([{ order: app, operation: OrderOperation.Close, sign: '0x' }]),
      );
      for (let i = 0; i < 100 && (await entry('apporders', hash)).status === 'open'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await follower.stop();
      assert.equal((await entry('apporders', hash)).status, 'cancelled');
    });

    describe('GET /events', () => {
      let url: string;
      let server: ReturnType<typeof serve>;
      before(async () => {
        server = serve({ fetch: m.app.fetch, hostname: '127.0.0.1', port: 0 });
        await new Promise((resolve) => server.once('listening', resolve));
        url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      });
      after(async () => {
        (server as unknown as { closeAllConnections: () => void }).closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      });

      it('streams published, updated and removed events to a fetch reader', async () => {
        const abort = new AbortController();
        const response = await fetch(`${url}/events`, { signal: abort.signal });
        assert.equal(response.headers.get('content-type'), 'text/event-stream');
        const reader = (response.body as ReadableStream<Uint8Array>)
          .pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>)
          .getReader();
        let text = '';
        const until = async (predicate: (t: string) => boolean) => {
          while (!predicate(text)) {
            const { value, done } = await reader.read();
            if (done) throw new Error(`stream ended: ${text}`);
            text += value;
          }
        };
        await until((t) => t.includes(': ready'));

        const orders = await m.world.orders({ app: { volume: 2n } });
        const app = await hashOf(m.publish('AppOrder', orders.app));
        const request = await hashOf(m.publish('RequestOrder', orders.request));
        await match(m.world, orders);
        await m.follower.sync();
        await until(
          (t) =>
            t.includes(`"orderHash":"${request}","remaining":"0","status":"filled"`) &&
            t.includes(`"orderHash":"${app}","remaining":"1","status":"open"`),
        );
        abort.abort();

        const messages = text
          .split('\n\n')
          .filter((block) => block.startsWith('event:'))
          .map((block) => {
            const [event, data] = block.split('\n');
            return { event: event?.slice('event: '.length), data: JSON.parse(data?.slice('data: '.length) ?? '') };
          });
        assert.deepEqual(messages, [
          { event: 'published', data: { kind: 'AppOrder', orderHash: app, remaining: '2', status: 'open' } },
          { event: 'published', data: { kind: 'RequestOrder', orderHash: request, remaining: '1', status: 'open' } },
          { event: 'updated', data: { kind: 'AppOrder', orderHash: app, remaining: '1', status: 'open' } },
          { event: 'removed', data: { kind: 'RequestOrder', orderHash: request, remaining: '0', status: 'filled' } },
        ]);
      });

      it('error: an unknown book or parameter is MARKET_INVALID_QUERY (400)', async () => {
        for (const query of ['?book=nope', '?kind=apporders', '?book=apporders&book=requestorders']) {
          const response = await fetch(`${url}/events${query}`);
          assert.equal(response.status, 400);
          assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'MARKET_INVALID_QUERY');
        }
      });
    });
  });
});
