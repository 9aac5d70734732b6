import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { TAG_TEE } from '../../../../protocol/src/index.js';
import { orderSet } from '../../testing/orderSet.js';
import { expectSdkError, type SdkFixture, sdkFixture } from '../../testing/sdkFixture.js';
import { fetchAppOrderbook } from './fetchAppOrderbook.js';
import { fetchDatasetOrderbook } from './fetchDatasetOrderbook.js';
import { fetchOrder } from './fetchOrder.js';
import { fetchRequestOrderbook } from './fetchRequestOrderbook.js';
import { fetchWorkerpoolOrderbook } from './fetchWorkerpoolOrderbook.js';

describe('orderbook', () => {
  let f: SdkFixture;
  before(async () => {
    f = await sdkFixture();
    // Three app orders at prices 3, 1, 2; one restricted to the requester. One of each other kind.
    for (const [i, appprice] of [3n, 1n, 2n].entries()) {
      const orders = await orderSet(f, {
        app: { appprice, ...(i === 0 ? { requesterrestrict: f.world.actors.requester.address } : {}) },
      });
      await f.clientOf(f.world.actors.appOwner).publishOrder({ kind: 'AppOrder', order: orders.appOrder });
      if (i === 0) {
        const publisher = f.clientOf(f.world.actors.requester);
        await f
          .clientOf(f.world.actors.datasetOwner)
          .publishOrder({ kind: 'DatasetOrder', order: orders.datasetOrder });
        await f
          .clientOf(f.world.actors.scheduler)
          .publishOrder({ kind: 'WorkerpoolOrder', order: orders.workerpoolOrder });
        await publisher.publishOrder({ kind: 'RequestOrder', order: orders.requestOrder });
      }
    }
  });

  it('fetchAppOrderbook pages the open app orders, cheapest first', async () => {
    const client = f.clientOf();
    const first = await fetchAppOrderbook(client, { app: f.world.app, pageSize: 2 });
    assert.equal(first.count, 3);
    assert.deepEqual(
      first.orders.map((o) => o.order.appprice),
      [1n, 2n],
    );
    assert.equal(first.nextPage, 1);
    const second = await fetchAppOrderbook(client, { app: f.world.app, pageSize: 2, page: 1 });
    assert.deepEqual(
      second.orders.map((o) => o.order.appprice),
      [3n],
    );
    assert.equal(second.nextPage, undefined);
  });

  it("applies iExec's filters: requester restriction, 'any' wildcard, tags and volume", async () => {
    const client = f.clientOf();
    const { requester, other } = f.world.actors;
    assert.equal((await fetchAppOrderbook(client, { app: f.world.app, requester: requester.address })).count, 3);
    assert.equal((await fetchAppOrderbook(client, { app: f.world.app, requester: other.address })).count, 2);
    assert.equal((await fetchAppOrderbook(client, { app: f.world.app, requester: 'any', dataset: 'any' })).count, 3);
    assert.equal((await fetchAppOrderbook(client, { app: f.world.app, minTag: ['tee'] })).count, 3);
    assert.equal((await fetchAppOrderbook(client, { app: f.world.app, maxTag: [] })).count, 0);
    assert.equal((await fetchAppOrderbook(client, { app: f.world.app, minVolume: 2 })).count, 0);
    // Strict: only the order restricted to exactly this requester, not the two open to anyone.
    const strict = { app: f.world.app, isRequesterStrict: true };
    assert.equal((await fetchAppOrderbook(client, { ...strict, requester: requester.address })).count, 1);
    assert.equal((await fetchAppOrderbook(client, { ...strict, requester: other.address })).count, 0);
  });

  it('fetches the dataset, workerpool and request books', async () => {
    const client = f.clientOf();
    const datasets = await fetchDatasetOrderbook(client, { dataset: f.world.dataset, app: f.world.app });
    assert.equal(datasets.count, 1);
    assert.equal(datasets.orders[0]?.signer, f.world.actors.datasetOwner.address);
    const pools = await fetchWorkerpoolOrderbook(client, { category: 0, minTag: TAG_TEE, minTrust: 0 });
    assert.equal(pools.count, 1);
    assert.equal(pools.orders[0]?.order.workerpool, f.world.workerpool);
    const requests = await fetchRequestOrderbook(client, {
      requester: f.world.actors.requester.address,
      app: f.world.app,
    });
    assert.equal(requests.count, 1);
    assert.equal((await fetchRequestOrderbook(client, { requester: f.world.actors.other.address })).count, 0);
    assert.equal((await fetchWorkerpoolOrderbook(client)).count, 1);
  });

  it('fetchOrder gives one order by hash with its remaining volume; an unknown hash is CONFIDE_MARKET_ORDER_NOT_FOUND', async () => {
    const client = f.clientOf();
    const [cheapest] = (await fetchAppOrderbook(client, { app: f.world.app, pageSize: 1 })).orders;
    assert.ok(cheapest);
    const one = await fetchOrder(client, { kind: 'AppOrder', orderHash: cheapest.orderHash });
    assert.deepEqual(
      { hash: one.orderHash, order: one.order, remaining: one.remaining, signer: one.signer, status: one.status },
      {
        hash: cheapest.orderHash,
        order: cheapest.order,
        remaining: cheapest.remaining,
        signer: f.world.actors.appOwner.address,
        status: 'open',
      },
    );
    const missing = await fetchOrder(client, { kind: 'DatasetOrder', orderHash: cheapest.orderHash }).catch(
      (e: unknown) => e,
    );
    assert.equal((missing as { code?: string }).code, 'CONFIDE_MARKET_ORDER_NOT_FOUND');
    await expectSdkError(
      fetchOrder(client, { kind: 'AppOrder', orderHash: '0x12' as never }),
      'CONFIDE_SDK_PARAMETERS_INVALID',
    );
  });

  it('error: wrong filters and pages are CONFIDE_SDK_PARAMETERS_INVALID before any request', async () => {
    const client = f.clientOf();
    await expectSdkError(fetchAppOrderbook(client, {} as never), 'CONFIDE_SDK_PARAMETERS_INVALID');
    await expectSdkError(
      fetchAppOrderbook(client, { app: f.world.app, pageSize: 0 }),
      'CONFIDE_SDK_PARAMETERS_INVALID',
    );
    await expectSdkError(
      fetchDatasetOrderbook(client, { dataset: f.world.dataset, page: -1 }),
      'CONFIDE_SDK_PARAMETERS_INVALID',
    );
    await expectSdkError(
      fetchWorkerpoolOrderbook(client, { minTrust: 'high' as never }),
      'CONFIDE_SDK_PARAMETERS_INVALID',
    );
    const unknown = await expectSdkError(
      fetchRequestOrderbook(client, { isRequesterStrict: true } as never),
      'CONFIDE_SDK_PARAMETERS_INVALID',
    );
    assert.match(unknown.message, /isRequesterStrict/);
    // A strict flag without the address it makes strict means nothing: refused.
    for (const requester of [undefined, 'any' as const]) {
      const error = await expectSdkError(
        fetchAppOrderbook(client, { app: f.world.app, isRequesterStrict: true, ...(requester ? { requester } : {}) }),
        'CONFIDE_SDK_PARAMETERS_INVALID',
      );
      assert.match(error.message, /isRequesterStrict: needs requester/);
    }
  });

  it('error: without a market CONFIDE_SDK_SERVICE_MISSING; an unreachable one CONFIDE_MARKET_UNREACHABLE', async () => {
    await expectSdkError(
      fetchAppOrderbook(f.clientOf(undefined, {}), { app: f.world.app }),
      'CONFIDE_SDK_SERVICE_MISSING',
    );
    const down = f.clientOf(undefined, { marketUrl: 'http://down.test', fetch: f.fetch });
    const error = await fetchWorkerpoolOrderbook(down).catch((e: unknown) => e);
    assert.equal((error as { code?: string }).code, 'CONFIDE_MARKET_UNREACHABLE');
  });
});
