import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import { forEachDatabase } from '../../../../scripts/testing/postgres.js';
import { ConfideError } from '../../../errors/src/index.js';
import { TAG_TEE } from '../../../protocol/src/index.js';
import { type MarketFixture, marketFixture } from '../testing/marketFixture.js';
import { createMarketClient, type MarketClient } from './createMarketClient.js';
import { MarketError } from './MarketError.js';

forEachDatabase((database) => {
  describe(`createMarketClient (${database.kind})`, () => {
    let m: MarketFixture;
    let server: ReturnType<typeof serve>;
    let client: MarketClient;
    before(async () => {
      m = await marketFixture({ database: await database.create() });
      server = serve({ fetch: m.app.fetch, hostname: '127.0.0.1', port: 0 });
      await new Promise((resolve) => server.once('listening', resolve));
      client = createMarketClient({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    });
    after(async () => {
      await new Promise((resolve) => server.close(resolve));
      await m.close();
    });

    it('publishes, fetches a page with bigint filters and one order, with bigints back', async () => {
      const { dataset } = await m.world.orders({ dataset: { volume: 7n, datasetprice: 12n } });
      const published = await client.publishOrder('DatasetOrder', dataset);
      assert.equal(published.remaining, 7n);
      assert.equal(published.signer, m.world.actors.datasetOwner.address);

      const page = await client.fetchOrders('DatasetOrder', {
        dataset: m.world.dataset,
        apprestrict: m.world.app,
        minTag: TAG_TEE,
        minVolume: 7n,
        pageSize: 10,
      });
      assert.equal(page.count, 1);
      assert.equal(page.nextPage, undefined);
      assert.deepEqual(page.orders[0]?.order, dataset);
      assert.equal(page.orders[0]?.remaining, 7n);

      const one = await client.fetchOrder('DatasetOrder', published.orderHash);
      assert.deepEqual(one.order, dataset);
      assert.equal(one.status, 'open');
      assert.equal(one.chainId, 31337);
    });

    it('unpublishes as the signer', async () => {
      const { app } = await m.world.orders();
      const { orderHash } = await client.publishOrder('AppOrder', app);
      assert.deepEqual(await client.unpublishOrder('AppOrder', { orderHash }, m.world.actors.appOwner), [orderHash]);
      const { app: another } = await m.world.orders();
      const second = await client.publishOrder('AppOrder', another);
      const all = await client.unpublishOrder('AppOrder', { all: true, asset: m.world.app }, m.world.actors.appOwner);
      assert.deepEqual(all, [second.orderHash]);
    });

    it("error: throws MarketError with code CONFIDE_<server code> and the server's code as reason", async () => {
      const { app } = await m.world.orders({ signers: { app: m.world.actors.other } });
      const error = await client.publishOrder('AppOrder', app).catch((e: unknown) => e);
      assert.ok(error instanceof MarketError && error instanceof ConfideError);
      assert.equal(error.code, 'CONFIDE_MARKET_NOT_OWNER');
      assert.equal(error.reason, 'MARKET_NOT_OWNER');
      assert.equal(error.status, 403);
      assert.match(error.shortMessage, /belongs to/);
    });

    it('error: an unreachable market is CONFIDE_MARKET_UNREACHABLE, a bad URL CONFIDE_MARKET_URL_INVALID', async () => {
      const closed = createMarketClient({ url: 'http://127.0.0.1:9', timeoutMs: 2000 });
      const error = await closed.fetchOrders('AppOrder').catch((e: unknown) => e);
      assert.ok(error instanceof MarketError);
      assert.equal(error.code, 'CONFIDE_MARKET_UNREACHABLE');
      assert.throws(() => createMarketClient({ url: 'not a url' }), { code: 'CONFIDE_MARKET_URL_INVALID' });
    });
  });
});
