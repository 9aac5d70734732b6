import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Hex, zeroAddress } from 'viem';
import { deploy } from '../../../../contracts/test/helpers/fixtures.js';
import { match } from '../../../../contracts/test/helpers/world.js';
import { forEachDatabase } from '../../../../scripts/testing/postgres.js';
import {
  hashOrder,
  OrderOperation,
  orderTypes,
  randomSalt,
  testERC1271WalletAbi,
  testERC1271WalletBytecode,
} from '../../../protocol/src/index.js';
import { orderToJson } from '../orders/orderSchemas.js';
import {
  type Answer,
  type MarketFixture,
  marketFixture,
  registerDataset,
  transferDataset,
} from '../testing/marketFixture.js';

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** The signature with `s` mirrored (n − s) and v flipped: valid math, refused by the hub. */
function highS(sign: Hex): Hex {
  const s = BigInt(`0x${sign.slice(66, 130)}`);
  const v = Number.parseInt(sign.slice(130, 132), 16);
  return `${sign.slice(0, 66)}${(N - s).toString(16).padStart(64, '0')}${(v === 27 ? 28 : 27).toString(16)}` as Hex;
}

forEachDatabase((database) => {
  describe(`POST /<book> (ingestOrder) (${database.kind})`, () => {
    let m: MarketFixture;
    before(async () => {
      m = await marketFixture({ database: await database.create() });
    });
    after(() => m.close());

    const expectRefused = async (answer: Promise<Answer>, code: string, status: number) => {
      const { status: got, body } = await answer;
      assert.equal(body?.error?.code, code, `expected ${code}, got ${JSON.stringify(body)}`);
      assert.equal(got, status);
      assert.equal(typeof body.error.message, 'string');
    };

    it('publishes an order of each kind: 201 with its hash, remaining volume and signer', async () => {
      const orders = await m.world.orders({ app: { volume: 5n }, request: { volume: 3n } });
      const { appOwner, datasetOwner, scheduler, requester } = m.world.actors;
      const cases = [
        ['AppOrder', orders.app, appOwner.address, 5n],
        ['DatasetOrder', orders.dataset, datasetOwner.address, 1n],
        ['WorkerpoolOrder', orders.workerpool, scheduler.address, 1n],
        ['RequestOrder', orders.request, requester.address, 3n],
      ] as const;
      for (const [kind, order, signer, volume] of cases) {
        const { status, body } = await m.publish(kind, order as never);
        assert.equal(status, 201, JSON.stringify(body));
        assert.equal(body.published.orderHash, hashOrder({ domain: m.world.domain, kind, order: order as never }));
        assert.equal(body.published.remaining, volume.toString());
        assert.equal(body.published.signer, signer);
        assert.ok(!Number.isNaN(Date.parse(body.published.publicationTimestamp)));
        const entry = await m.request('GET', `/${kind.toLowerCase()}s/${body.published.orderHash}`);
        assert.equal(entry.status, 200);
        assert.deepEqual(entry.body.order, orderToJson(order));
        assert.equal(entry.body.status, 'open');
      }
    });

    it('answers a second publication of the same order with 200 and the same hash (idempotent)', async () => {
      const { app } = await m.world.orders();
      const first = await m.publish('AppOrder', app);
      const again = await m.publish('AppOrder', app);
      assert.equal(first.status, 201);
      assert.equal(again.status, 200);
      assert.deepEqual(again.body.published, first.body.published);
    });

    it('accepts an order presigned on chain with an empty signature', async () => {
      const { app } = await m.world.orders();
      const bare = { ...app, sign: '0x' as Hex };
      await m.world.mined(
        m.world
          .as(m.world.actors.appOwner)
          .hub.write.manageAppOrder([{ order: bare, operation: OrderOperation.Sign, sign: '0x' }]),
      );
      const { status, body } = await m.publish('AppOrder', bare);
      assert.equal(status, 201, JSON.stringify(body));
    });

    it('accepts a request order of an ERC-1271 wallet requester, signed by its key', async () => {
      const { requester } = m.world.actors;
      const wallet = await deploy(m.world, testERC1271WalletAbi, testERC1271WalletBytecode, [requester.address]);
      const { request } = await m.world.orders({ request: { requester: wallet.address } });
      const { status, body } = await m.publish('RequestOrder', request);
      assert.equal(status, 201, JSON.stringify(body));
      assert.equal(body.published.signer, wallet.address);
    });

    it('error: a forged or malformed signature is MARKET_SIGNATURE_INVALID (401)', async () => {
      const { dataset, request } = await m.world.orders();
      const v = (sign: Hex, byte: string) => `${sign.slice(0, 130)}${byte}` as Hex;
      for (const sign of [
        v(dataset.sign, '1d'), // v = 29
        v(dataset.sign, '00'), // v = 0: viem accepts it, the hub does not
        highS(dataset.sign), // malleable twin
        `0x${'00'.repeat(65)}` as Hex,
        `0x${'ab'.repeat(10)}` as Hex,
        '0x' as Hex, // not presigned
      ]) {
        await expectRefused(m.publish('DatasetOrder', { ...dataset, sign }), 'MARKET_SIGNATURE_INVALID', 401);
      }
      const other = await m.world.orders({ signers: { request: m.world.actors.other } });
      await expectRefused(m.publish('RequestOrder', other.request), 'MARKET_SIGNATURE_INVALID', 401);
      await expectRefused(
        m.publish('RequestOrder', { ...request, requester: zeroAddress }),
        'MARKET_SIGNATURE_INVALID',
        401,
      );
    });

    it("error: another account's signature on an asset order is MARKET_NOT_OWNER (403)", async () => {
      const { other } = m.world.actors;
      const orders = await m.world.orders({ signers: { app: other, dataset: other, workerpool: other } });
      await expectRefused(m.publish('AppOrder', orders.app), 'MARKET_NOT_OWNER', 403);
      await expectRefused(m.publish('DatasetOrder', orders.dataset), 'MARKET_NOT_OWNER', 403);
      await expectRefused(m.publish('WorkerpoolOrder', orders.workerpool), 'MARKET_NOT_OWNER', 403);
      // Changing a field after signing makes the signature someone else's.
      const { dataset } = await m.world.orders();
      await expectRefused(m.publish('DatasetOrder', { ...dataset, datasetprice: 0n }), 'MARKET_NOT_OWNER', 403);
    });

    it('error: the former owner after an NFT transfer is MARKET_NOT_OWNER (403); the new owner publishes', async () => {
      const { datasetOwner, other } = m.world.actors;
      const dataset = await registerDataset(m.world, datasetOwner, 'sold.csv');
      const before = await m.world.orders({ dataset: { dataset } });
      assert.equal((await m.publish('DatasetOrder', before.dataset)).status, 201);
      await transferDataset(m.world, datasetOwner, dataset, other.address);
      await m.follower.sync();
      const stale = await m.world.orders({ dataset: { dataset } });
      await expectRefused(m.publish('DatasetOrder', stale.dataset), 'MARKET_NOT_OWNER', 403);
      const fresh = await m.world.orders({ dataset: { dataset }, signers: { dataset: other } });
      assert.equal((await m.publish('DatasetOrder', fresh.dataset)).status, 201);
    });

    it('error: an unregistered asset is MARKET_ASSET_UNKNOWN (404)', async () => {
      const stranger = '0x000000000000000000000000000000000000dEaD';
      const orders = await m.world.orders({ app: { app: stranger }, dataset: { dataset: stranger } });
      await expectRefused(m.publish('AppOrder', orders.app), 'MARKET_ASSET_UNKNOWN', 404);
      await expectRefused(m.publish('DatasetOrder', orders.dataset), 'MARKET_ASSET_UNKNOWN', 404);
      const pool = await m.world.orders({ workerpool: { workerpool: stranger } });
      await expectRefused(m.publish('WorkerpoolOrder', pool.workerpool), 'MARKET_ASSET_UNKNOWN', 404);
    });

    it('error: malformed fields are MARKET_INVALID_ORDER (400), naming the field', async () => {
      const { app, request } = await m.world.orders();
      const json = orderToJson(app) as Record<string, unknown>;
      const cases: [Record<string, unknown>, string][] = [
        [{ ...json, volume: '0' }, 'volume'],
        [{ ...json, volume: '-1' }, 'volume'],
        [{ ...json, volume: 1 }, 'volume'],
        [{ ...json, appprice: '01' }, 'appprice'],
        [{ ...json, appprice: (2n ** 256n).toString() }, 'appprice'],
        [{ ...json, appprice: '1e3' }, 'appprice'],
        [{ ...json, app: '0x123' }, 'app'],
        [{ ...json, app: json.app?.toString().replace(/[a-f]/, (c) => c.toUpperCase()) }, 'app'],
        [{ ...json, tag: '0x01' }, 'tag'],
        [{ ...json, salt: 42 }, 'salt'],
        [{ ...json, sign: '0xabc' }, 'sign'],
        [{ ...json, extra: 'field' }, 'order'],
        [Object.fromEntries(Object.entries(json).filter(([k]) => k !== 'datasetrestrict')), 'datasetrestrict'],
      ];
      for (const [order, field] of cases) {
        const { status, body } = await m.request('POST', '/apporders', { order });
        assert.equal(status, 400, `${field}: ${JSON.stringify(body)}`);
        assert.equal(body.error.code, 'MARKET_INVALID_ORDER');
        assert.match(body.error.message, new RegExp(`^${field}`), body.error.message);
      }
      const long = { ...orderToJson(request), params: 'x'.repeat(20_000) };
      await expectRefused(m.request('POST', '/requestorders', { order: long }), 'MARKET_INVALID_ORDER', 400);
      await expectRefused(m.request('POST', '/apporders', '{"order":'), 'MARKET_INVALID_ORDER', 400);
      await expectRefused(m.request('POST', '/apporders', { app: json }), 'MARKET_INVALID_ORDER', 400);
      await expectRefused(m.request('POST', '/apporders', { order: null }), 'MARKET_INVALID_ORDER', 400);
      assert.ok(orderTypes.AppOrder.every((f) => f.name in json));
    });

    it('error: a body over 64 KiB is MARKET_BODY_TOO_LARGE (413), announced by content-length or streamed', async () => {
      const { app } = await m.world.orders();
      const big = JSON.stringify({ order: { ...orderToJson(app), pad: 'x'.repeat(70_000) } });
      const chunks = [big.slice(0, 40_000), big.slice(40_000)];
      const bodies: [string, RequestInit][] = [
        ['content-length', { body: big, headers: { 'content-length': String(big.length) } }],
        [
          'streamed',
          {
            body: new ReadableStream({
              start(controller) {
                for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
                controller.close();
              },
            }),
            duplex: 'half',
          } as RequestInit,
        ],
      ];
      for (const [how, init] of bodies) {
        const response = await m.app.request('/apporders', { method: 'POST', ...init });
        const body = await response.json();
        assert.equal(response.status, 413, how);
        assert.equal(body.error.code, 'MARKET_BODY_TOO_LARGE', how);
      }
      // Just under the limit, in several chunks: read whole, then judged by the schema.
      const fits = JSON.stringify({ order: orderToJson(app) });
      const streamed = new ReadableStream({
        start(controller) {
          for (let i = 0; i < fits.length; i += 100)
            controller.enqueue(new TextEncoder().encode(fits.slice(i, i + 100)));
          controller.close();
        },
      });
      const response = await m.app.request('/apporders', {
        method: 'POST',
        body: streamed,
        duplex: 'half',
      } as RequestInit);
      assert.equal(response.status, 201, await response.clone().text());
    });

    it('error: a fully used order is MARKET_ORDER_CONSUMED (409), a partly used one has its remaining volume', async () => {
      const orders = await m.world.orders({ app: { volume: 3n }, workerpool: { volume: 2n } });
      await match(m.world, orders);
      const partly = await m.publish('AppOrder', orders.app);
      assert.equal(partly.status, 201);
      assert.equal(partly.body.published.remaining, '2');
      await expectRefused(m.publish('DatasetOrder', orders.dataset), 'MARKET_ORDER_CONSUMED', 409);
      await expectRefused(m.publish('RequestOrder', orders.request), 'MARKET_ORDER_CONSUMED', 409);
      // Over volume: the workerpool order's second unit is used by another deal, then nothing is left.
      const second = await m.world.orders({ workerpool: { ...orders.workerpool } });
      await match(m.world, { ...second, workerpool: orders.workerpool });
      await expectRefused(m.publish('WorkerpoolOrder', orders.workerpool), 'MARKET_ORDER_CONSUMED', 409);
    });

    it('error: an order cancelled on chain (manageAppOrder close) is MARKET_ORDER_CONSUMED (409)', async () => {
      const { app } = await m.world.orders({ app: { salt: randomSalt() } });
      await m.world.mined(
        m.world
          .as(m.world.actors.appOwner)
          .hub.write.manageAppOrder([{ order: app, operation: OrderOperation.Close, sign: '0x' }]),
      );
      await expectRefused(m.publish('AppOrder', app), 'MARKET_ORDER_CONSUMED', 409);
    });
  });
});
