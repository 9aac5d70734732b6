import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { forEachDatabase } from '../../../scripts/testing/postgres.js';
import { orderToJson } from './orders/orderSchemas.js';
import { type MarketFixture, marketFixture } from './testing/marketFixture.js';

/** Requests per endpoint; `bench/` may raise it. */
const RUNS = Number(process.env.CONFIDE_FUZZ_RUNS ?? 1000);
const BOOKS = ['apporders', 'datasetorders', 'workerpoolorders', 'requestorders'] as const;
const PARAMS = [
  'app',
  'dataset',
  'workerpool',
  'requester',
  'apprestrict',
  'datasetrestrict',
  'workerpoolrestrict',
  'requesterrestrict',
  'category',
  'minTag',
  'maxTag',
  'minVolume',
  'minTrust',
  'maxTrust',
  'page',
  'pageSize',
  'chainId',
  'book',
  'address',
];

/** Values that break naive parsers: huge numbers, hex of every length, unicode, bad escapes. */
const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.bigInt({ min: -(2n ** 300n), max: 2n ** 300n }).map(String),
  fc.integer().map(String),
  fc.uint8Array({ maxLength: 40 }).map((b) => `0x${Buffer.from(b).toString('hex')}`),
  fc.constantFrom('', '0x', '%', '%E0%A4%A', '\u0000', '1e400', 'NaN', '-0', '[]', '{}', 'null', '9'.repeat(5000)),
);
const query = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...PARAMS), fc.string()), nasty), { maxLength: 6 })
  .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));
const rawQuery = fc.oneof(
  query,
  fc.string().map((s) => s.replace(/[#\s]/g, '')),
);

forEachDatabase((database) => {
  describe(`createMarketServer: malformed input (fuzz, fixed seed) (${database.kind})`, () => {
    let m: MarketFixture;
    let orderJson: Record<string, unknown>[];
    before(async () => {
      m = await marketFixture({ database: await database.create() });
      const orders = await m.world.orders();
      orderJson = [orders.app, orders.dataset, orders.workerpool, orders.request].map(
        (o) => orderToJson(o as never) as Record<string, unknown>,
      );
    });
    after(() => m.close());

    /** Real-looking orders with fields replaced, dropped or added: they get past JSON parsing. */
    const mutatedOrder = () =>
      fc
        .tuple(
          fc.integer({ min: 0, max: 3 }),
          fc.array(fc.tuple(fc.string({ maxLength: 20 }), fc.oneof(nasty, fc.jsonValue())), { maxLength: 4 }),
          fc.array(fc.nat(20), { maxLength: 3 }),
        )
        .map(([i, replaced, dropped]) => {
          const order: Record<string, unknown> = { ...orderJson[i] };
          const keys = Object.keys(order);
          for (const d of dropped) delete order[keys[d % keys.length] as string];
          for (const [k, v] of replaced) order[keys.includes(k) ? k : (keys[k.length % keys.length] as string)] = v;
          return JSON.stringify({ order });
        });
    /** Well-typed orders with fields changed to other well-typed values: they reach the chain checks. */
    const retypedOrder = () =>
      fc
        .tuple(
          fc.integer({ min: 0, max: 3 }),
          fc.array(
            fc.tuple(
              fc.nat(20),
              fc.oneof(
                fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }).map(String),
                fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => `0x${Buffer.from(b).toString('hex')}`),
                fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => `0x${Buffer.from(b).toString('hex')}`),
                fc.uint8Array({ minLength: 65, maxLength: 65 }).map((b) => `0x${Buffer.from(b).toString('hex')}`),
              ),
            ),
            { minLength: 1, maxLength: 2 },
          ),
        )
        .map(([i, replaced]) => {
          const order: Record<string, unknown> = { ...orderJson[i] };
          const keys = Object.keys(order);
          for (const [k, v] of replaced) order[keys[k % keys.length] as string] = v;
          return JSON.stringify({ order });
        });
    const body = () =>
      fc.oneof(
        retypedOrder(),
        fc.jsonValue().map((v) => JSON.stringify(v)),
        fc.jsonValue().map((v) => JSON.stringify({ order: v })),
        fc.string(),
        mutatedOrder(),
        fc.constantFrom(`{"order":${'['.repeat(5000)}`, `{"order":"${'a'.repeat(70_000)}"}`, '{"order":1e999}'),
      );

    /** Codes answered per endpoint: the fuzzing must reach past the first schema check. */
    const seen = new Map<string, Set<string>>();
    const expectHandled = async (method: string, path: string, payload?: string) => {
      const init: RequestInit = { method };
      if (payload !== undefined) {
        init.body = payload;
        init.headers = { 'content-type': 'application/json' };
      }
      const response = await m.app.request(path, init);
      const text = response.headers.get('content-type') === 'text/event-stream' ? '' : await response.text();
      if (response.headers.get('content-type') === 'text/event-stream') await response.body?.cancel();
      assert.ok(response.status < 500, `${method} ${path} ${payload?.slice(0, 200)} → ${response.status} ${text}`);
      if (response.status >= 400) {
        const error = JSON.parse(text).error;
        assert.match(error.code, /^MARKET_[A-Z_]+$/);
      }
      const endpoint = `${method} ${path.split('?')[0]?.split('/').slice(0, 2).join('/')}`;
      const codes = seen.get(endpoint) ?? new Set<string>();
      codes.add(response.status < 400 ? String(response.status) : JSON.parse(text).error.code);
      seen.set(endpoint, codes);
    };
    const run = (name: string, arbitrary: fc.Arbitrary<[string, string, string?]>) =>
      it(`${name}: ${RUNS} requests, never a 5xx`, async () => {
        await fc.assert(
          fc.asyncProperty(arbitrary, ([method, path, payload]) => expectHandled(method, path, payload)),
          { seed: 1125, numRuns: RUNS },
        );
      });

    for (const book of BOOKS) {
      run(
        `POST /${book}`,
        body().map((b) => ['POST', `/${book}`, b]),
      );
      run(
        `GET /${book}?…`,
        rawQuery.map((q) => ['GET', `/${book}?${q}`]),
      );
      run(
        `GET /${book}/:orderHash`,
        fc.oneof(nasty, fc.string()).map((p) => ['GET', `/${book}/${encodeURIComponent(p)}`]),
      );
      run(
        `PUT /${book}`,
        body().map((b) => ['PUT', `/${book}`, b]),
      );
    }
    run(
      'GET /challenge?…',
      rawQuery.map((q) => ['GET', `/challenge?${q}`]),
    );
    run(
      'GET /events?…',
      rawQuery.map((q) => ['GET', `/events?${q}`]),
    );
    run(
      'any method, any path',
      fc
        .tuple(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'), fc.webPath(), fc.option(fc.string()))
        .map(([method, path, payload]) => [method, path || '/', method === 'GET' ? undefined : (payload ?? undefined)]),
    );

    it('reached past the schemas: body limits, signatures and owners were checked too', () => {
      for (const book of BOOKS) {
        const codes = seen.get(`POST /${book}`) ?? new Set();
        for (const code of ['MARKET_INVALID_ORDER', 'MARKET_BODY_TOO_LARGE'])
          assert.ok(codes.has(code), `${book}: ${code}`);
        const deeper = ['MARKET_SIGNATURE_INVALID', 'MARKET_NOT_OWNER', 'MARKET_ASSET_UNKNOWN'];
        assert.ok(
          deeper.some((code) => codes.has(code)),
          `POST /${book} saw only ${[...codes]}`,
        );
        assert.ok(seen.get(`GET /${book}`)?.has('200'), `GET /${book} never answered a page`);
      }
    });

    it('answers pages of any origin (CORS), preflight included: writes carry their own signatures', async () => {
      const page = 'http://127.0.0.1:5173';
      const preflight = await m.app.request('/apporders', {
        method: 'OPTIONS',
        headers: {
          origin: page,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
      assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /PUT/);
      const list = await m.app.request('/apporders', { headers: { origin: page } });
      assert.equal(list.status, 200);
      assert.equal(list.headers.get('access-control-allow-origin'), '*');
    });

    it('still answers after the fuzzing, and /version names the chain and hub', async () => {
      const { status, body } = await m.request('GET', '/version');
      assert.equal(status, 200);
      assert.deepEqual(
        { ...body, version: typeof body.version },
        { name: 'confide-market', version: 'string', chainId: 31337, hub: m.world.addresses.hub },
      );
      const { app } = await m.world.orders();
      assert.equal((await m.publish('AppOrder', app)).status, 201);
      assert.ok(!m.logs.some((line) => JSON.parse(line).level >= 50), 'no error was logged');
    });
  });
});
