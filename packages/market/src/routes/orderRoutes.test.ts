import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Address, type Hex, zeroAddress, zeroHash } from 'viem';
import { createApp } from '../../../../contracts/test/helpers/world.js';
import { forEachDatabase } from '../../../../scripts/testing/postgres.js';
import { tagFromBits } from '../../../protocol/src/index.js';
import { unpublishTypedData } from '../auth/unpublishAuth.js';
import { type Answer, type MarketFixture, marketFixture, registerDataset } from '../testing/marketFixture.js';

forEachDatabase((database) => {
  describe(`GET /<book> and PUT /<book> (${database.kind})`, () => {
    let m: MarketFixture;
    let clock = Math.floor(Date.now() / 1000);
    before(async () => {
      m = await marketFixture({ now: () => clock, database: await database.create() });
    });
    after(() => m.close());

    const hashes = (answer: { body: { orders: { orderHash: Hex }[] } }) => answer.body.orders.map((o) => o.orderHash);
    const published = async (answer: Promise<Answer>): Promise<Hex> => {
      const { status, body } = await answer;
      assert.equal(status, 201, JSON.stringify(body));
      return body.published.orderHash;
    };

    it('lists app orders lowest price first, ties by publication time, with count and pages', async () => {
      const app = await createApp(m.world, m.world.actors.appOwner, 'pricing');
      const byPrice: Record<string, Hex> = {};
      for (const price of [5n, 1n, 3n, 3n, 8n]) {
        const { app: order } = await m.world.orders({ app: { app, appprice: price } });
        const hash = await published(m.publish('AppOrder', order));
        byPrice[price.toString()] ??= hash;
        byPrice[`${price}-last`] = hash;
        await sleep(3);
      }
      const all = await m.request('GET', `/apporders?app=${app}`);
      assert.equal(all.status, 200);
      assert.equal(all.body.count, 5);
      assert.equal(all.body.nextPage, undefined);
      assert.deepEqual(hashes(all), [byPrice['1'], byPrice['3'], byPrice['3-last'], byPrice['5'], byPrice['8']]);
      assert.deepEqual(
        all.body.orders.map((o: { order: { appprice: string } }) => o.order.appprice),
        ['1', '3', '3', '5', '8'],
      );
      const first = all.body.orders[0];
      assert.deepEqual(Object.keys(first).sort(), [
        'chainId',
        'order',
        'orderHash',
        'publicationTimestamp',
        'remaining',
        'signer',
        'status',
      ]);
      assert.equal(first.chainId, 31337);
      assert.equal(first.signer, m.world.actors.appOwner.address);

      const page0 = await m.request('GET', `/apporders?app=${app}&pageSize=2`);
      const page1 = await m.request('GET', `/apporders?app=${app}&pageSize=2&page=1`);
      const page2 = await m.request('GET', `/apporders?app=${app}&pageSize=2&page=2`);
      assert.equal(page0.body.nextPage, 1);
      assert.equal(page1.body.nextPage, 2);
      assert.equal(page2.body.nextPage, undefined);
      assert.deepEqual([...hashes(page0), ...hashes(page1), ...hashes(page2)], hashes(all));
      assert.equal(page2.body.count, 5);
    });

    it('lists request orders highest workerpool max price first', async () => {
      const prices = [2n, 9n, 4n];
      for (const workerpoolmaxprice of prices) {
        const { request } = await m.world.orders({ request: { workerpoolmaxprice } });
        await published(m.publish('RequestOrder', request));
      }
      const { body } = await m.request('GET', `/requestorders?requester=${m.world.actors.requester.address}`);
      const got = body.orders.map((o: { order: { workerpoolmaxprice: string } }) => o.order.workerpoolmaxprice);
      assert.deepEqual(got, ['9', '4', '2']);
    });

    it('filters dataset orders by dataset and restrictions: a zero restriction admits anyone', async () => {
      const dataset = await registerDataset(m.world, m.world.actors.datasetOwner, 'filters.csv');
      const other = '0x1111111111111111111111111111111111111111';
      const make = async (apprestrict: Address, requesterrestrict: Address = zeroAddress) => {
        const { dataset: order } = await m.world.orders({ dataset: { dataset, apprestrict, requesterrestrict } });
        return published(m.publish('DatasetOrder', order));
      };
      const forApp = await make(m.world.app);
      const forAnyone = await make(zeroAddress);
      const forOther = await make(other);
      const forRequester = await make(zeroAddress, m.world.actors.requester.address);
      const query = (q: string) => m.request('GET', `/datasetorders?dataset=${dataset}${q}`);
      assert.equal((await query('')).body.count, 4);
      const admitted = hashes(await query(`&apprestrict=${m.world.app}`));
      assert.deepEqual(admitted.sort(), [forApp, forAnyone, forRequester].sort());
      assert.deepEqual(hashes(await query(`&apprestrict=${other}`)).sort(), [forOther, forAnyone, forRequester].sort());
      const byOther = hashes(await query(`&apprestrict=${m.world.app}&requesterrestrict=${other}`));
      assert.deepEqual(byOther.sort(), [forApp, forAnyone].sort());
      // iExec's strict filters: only the orders restricted to exactly that address.
      assert.deepEqual(hashes(await query(`&apprestrict=${m.world.app}&isAppStrict=true`)), [forApp]);
      assert.deepEqual(hashes(await query(`&apprestrict=${other}&isAppStrict=true`)), [forOther]);
      const strictRequester = `&requesterrestrict=${m.world.actors.requester.address}&isRequesterStrict=true`;
      assert.deepEqual(hashes(await query(strictRequester)), [forRequester]);
      assert.deepEqual(hashes(await query(`&apprestrict=${m.world.app}&isAppStrict=false`)).sort(), admitted.sort());
    });

    it('filters workerpool orders by category, trust, tag bits and remaining volume', async () => {
      const gpuTee = tagFromBits([0, 8]);
      const make = async (o: { category?: bigint; trust?: bigint; tag?: Hex; volume?: bigint }) => {
        const { workerpool } = await m.world.orders({ workerpool: o });
        return published(m.publish('WorkerpoolOrder', workerpool));
      };
      const cat1 = await make({ category: 1n, trust: 5n, volume: 10n });
      const cat1Gpu = await make({ category: 1n, trust: 1n, tag: gpuTee, volume: 2n });
      const cat1Plain = await make({ category: 1n, tag: zeroHash });
      const q = (s: string) => m.request('GET', `/workerpoolorders?workerpool=${m.world.workerpool}&category=1${s}`);
      assert.deepEqual(hashes(await q('')).sort(), [cat1, cat1Gpu, cat1Plain].sort());
      assert.deepEqual(hashes(await q(`&minTag=${tagFromBits([0])}`)).sort(), [cat1, cat1Gpu].sort());
      assert.deepEqual(hashes(await q(`&minTag=${gpuTee}`)), [cat1Gpu]);
      assert.deepEqual(hashes(await q(`&maxTag=${tagFromBits([0])}`)).sort(), [cat1, cat1Plain].sort());
      assert.deepEqual(hashes(await q(`&minTag=${gpuTee}&maxTag=${tagFromBits([0])}`)), []);
      assert.deepEqual(hashes(await q('&minTrust=2')), [cat1]);
      assert.deepEqual(hashes(await q('&minVolume=2')).sort(), [cat1, cat1Gpu].sort());
      assert.equal((await m.request('GET', '/workerpoolorders?category=77')).body.count, 0);
    });

    it('error: a bad query is MARKET_INVALID_QUERY (400), naming the parameter', async () => {
      for (const [query, name] of [
        ['?pageSize=1001', 'pageSize'],
        ['?pageSize=0', 'pageSize'],
        ['?page=-1', 'page'],
        ['?dataset=0x12', 'dataset'],
        ['?app=0x0000000000000000000000000000000000000000', 'app'],
        ['?minTag=0x01', 'minTag'],
        ['?minVolume=abc', 'minVolume'],
        [
          '?dataset=0x0000000000000000000000000000000000000001&dataset=0x0000000000000000000000000000000000000002',
          'dataset',
        ],
        ['?chainId=1', 'chainId'],
        ['?isAppStrict=yes', 'isAppStrict'],
        ['?isAppStrict=true', 'isAppStrict'],
        ['?isDatasetStrict=true', 'isDatasetStrict'],
      ]) {
        const { status, body } = await m.request('GET', `/datasetorders${query}`);
        assert.equal(status, 400, `${query}: ${JSON.stringify(body)}`);
        assert.equal(body.error.code, 'MARKET_INVALID_QUERY');
        assert.match(body.error.message, new RegExp(`^${name}`));
      }
    });

    it('answers one order by hash, and MARKET_ORDER_NOT_FOUND (404) for an unknown one', async () => {
      const { app } = await m.world.orders();
      const hash = await published(m.publish('AppOrder', app));
      assert.equal((await m.request('GET', `/apporders/${hash}`)).body.orderHash, hash);
      const missing = await m.request('GET', `/datasetorders/${hash}`);
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.code, 'MARKET_ORDER_NOT_FOUND');
      assert.equal((await m.request('GET', '/apporders/0x12')).body.error.code, 'MARKET_INVALID_QUERY');
    });

    describe('unpublish', () => {
      const signed = async (
        signer = m.world.actors.appOwner,
        target: { target: 'orderHash'; orderHash: Hex } | { target: 'all'; asset?: Address },
        book = 'apporders' as const,
      ) => {
        const { body } = await m.request('GET', `/challenge?address=${signer.address}`);
        const request = {
          book,
          target: target.target,
          orderHash: target.target === 'orderHash' ? target.orderHash : zeroHash,
          asset: target.target === 'all' ? (target.asset ?? zeroAddress) : zeroAddress,
          challenge: body.challenge as Hex,
        };
        const signature = await signer.signTypedData(unpublishTypedData(31337, request));
        return { ...target, challenge: request.challenge, signature };
      };

      it('removes an order from the book at its signer’s signed request; the challenge is single-use', async () => {
        const { app } = await m.world.orders();
        const orderHash = await published(m.publish('AppOrder', app));
        const body = await signed(undefined, { target: 'orderHash', orderHash });
        const answer = await m.request('PUT', '/apporders', body);
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
        assert.deepEqual(answer.body.unpublished, [orderHash]);
        assert.equal((await m.request('GET', `/apporders/${orderHash}`)).status, 404);
        const replay = await m.request('PUT', '/apporders', body);
        assert.equal(replay.body.error.code, 'MARKET_CHALLENGE_UNKNOWN');
        assert.equal(replay.status, 401);
      });

      it('removes all of a signer’s open orders on one asset', async () => {
        const app = await createApp(m.world, m.world.actors.appOwner, 'unpublish-all');
        for (let i = 0; i < 3; i++) {
          const { app: order } = await m.world.orders({ app: { app } });
          await published(m.publish('AppOrder', order));
        }
        const answer = await m.request('PUT', '/apporders', await signed(undefined, { target: 'all', asset: app }));
        assert.equal(answer.body.unpublished.length, 3);
        assert.equal((await m.request('GET', `/apporders?app=${app}`)).body.count, 0);
      });

      it('error: not the signer is MARKET_NOT_OWNER (403); a signature by another than the challenged address is MARKET_SIGNATURE_INVALID (401)', async () => {
        const { app } = await m.world.orders();
        const orderHash = await published(m.publish('AppOrder', app));
        const stranger = await m.request(
          'PUT',
          '/apporders',
          await signed(m.world.actors.other, { target: 'orderHash', orderHash }),
        );
        assert.equal(stranger.status, 403);
        assert.equal(stranger.body.error.code, 'MARKET_NOT_OWNER');

        const { body } = await m.request('GET', `/challenge?address=${m.world.actors.appOwner.address}`);
        const request = {
          book: 'apporders',
          target: 'orderHash',
          orderHash,
          asset: zeroAddress,
          challenge: body.challenge,
        };
        const signature = await m.world.actors.other.signTypedData(unpublishTypedData(31337, request as never));
        const forged = await m.request('PUT', '/apporders', {
          target: 'orderHash',
          orderHash,
          challenge: body.challenge,
          signature,
        });
        assert.equal(forged.status, 401);
        assert.equal(forged.body.error.code, 'MARKET_SIGNATURE_INVALID');
        assert.equal((await m.request('GET', `/apporders/${orderHash}`)).body.status, 'open');
      });

      it('error: an expired challenge is MARKET_CHALLENGE_EXPIRED (401)', async () => {
        const { app } = await m.world.orders();
        const orderHash = await published(m.publish('AppOrder', app));
        const body = await signed(undefined, { target: 'orderHash', orderHash });
        clock += 301;
        const answer = await m.request('PUT', '/apporders', body);
        assert.equal(answer.body.error.code, 'MARKET_CHALLENGE_EXPIRED');
        assert.equal(answer.status, 401);
      });
    });
  });
});
