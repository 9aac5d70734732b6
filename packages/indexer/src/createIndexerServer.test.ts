import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Hono } from 'hono';
import pino from 'pino';
import { getAddress, zeroAddress } from 'viem';
import { deployWorld, FINGERPRINT, PRICES, type World } from '../../../contracts/test/helpers/world.js';
import { forEachDatabase } from '../../../scripts/testing/postgres.js';
import { TAG_TEE } from '../../protocol/src/index.js';
import { createIndexer, type Indexer } from './createIndexer.js';
import { createIndexerServer } from './createIndexerServer.js';
import { graphqlRequest } from './testing/graphqlRequest.js';
import { type Story, tellStory } from './testing/story.js';

type Named = { protectedDatas: { name: string }[] };

forEachDatabase((database) => {
  describe(`createIndexerServer: the GraphQL API over an indexed chain (${database.kind})`, () => {
    let world: World;
    let story: Story;
    let indexer: Indexer;
    let app: Hono;
    const names = async (where: Record<string, unknown>, page: { first?: number; skip?: number } = {}) => {
      const answer = await graphqlRequest<Named>(
        app,
        'query($where: ProtectedDataFilter, $first: Int, $skip: Int) { protectedDatas(where: $where, first: $first, skip: $skip) { name } }',
        { where, ...page },
      );
      assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
      return answer.data?.protectedDatas.map((p) => p.name);
    };
    const errorOf = async (query: string, variables?: Record<string, unknown>) => {
      const answer = await graphqlRequest(app, query, variables);
      assert.equal(answer.status, 200);
      assert.ok(answer.errors?.[0], `expected an error for ${query}`);
      return answer.errors[0];
    };

    before(async () => {
      world = await deployWorld();
      story = await tellStory(world);
      indexer = await createIndexer({
        database: await database.create(),
        publicClient: world.publicClient,
        addresses: world.addresses,
      });
      await indexer.syncOnce();
      app = createIndexerServer({ db: indexer.db, logger: pino({ enabled: false }) });
    });
    after(() => indexer.close());

    describe('protectedDatas', () => {
      it('lists protected data newest first; plain datasets are not protected data', async () => {
        assert.deepEqual(await names({}), ['broken', 'bob-contact', 'alice-contact', 'air-quality']);
        const plain = await graphqlRequest(app, `{ protectedData(id: "${world.dataset}") { id } }`);
        assert.deepEqual(plain.data, { protectedData: null });
      });

      it('protectedData(id) gives every field, schema flattened as the iExec subgraph', async () => {
        const { air } = story.protectedData;
        const answer = await graphqlRequest<{ protectedData: Record<string, unknown> }>(
          app,
          `query($id: ID!) { protectedData(id: $id) {
          id owner name jsonSchema schema { id path type } multiaddr checksum creationTimestamp blockNumber transactionHash
          transfers { from to blockNumber timestamp transactionHash } } }`,
          { id: air.toLowerCase() },
        );
        const data = answer.data?.protectedData as Record<string, unknown>;
        const block = await world.publicClient.getBlock({ blockNumber: BigInt(data.blockNumber as string) });
        assert.deepEqual(data, {
          id: air,
          owner: world.actors.datasetOwner.address,
          name: 'air-quality',
          jsonSchema: '{"csv":"application/octet-stream","meta":{"station":"string","year":"f64"}}',
          schema: [
            { id: 'csv:application/octet-stream', path: 'csv', type: 'application/octet-stream' },
            { id: 'meta.station:string', path: 'meta.station', type: 'string' },
            { id: 'meta.year:f64', path: 'meta.year', type: 'f64' },
          ],
          multiaddr: '/ipfs/bafyair-quality',
          checksum: data.checksum,
          creationTimestamp: block.timestamp.toString(),
          blockNumber: block.number.toString(),
          transactionHash: block.transactions[0],
          transfers: [
            {
              from: zeroAddress,
              to: world.actors.datasetOwner.address,
              blockNumber: block.number.toString(),
              timestamp: block.timestamp.toString(),
              transactionHash: block.transactions[0],
            },
          ],
        });
        const onChain = await world.as(world.actors.other).datasets.read.viewDataset([air]);
        assert.equal(data.checksum, onChain.checksum);
      });

      it('where.owner follows transfers (any address case)', async () => {
        const { other, sponsor, requester } = world.actors;
        assert.deepEqual(await names({ owner: other.address.toLowerCase() }), ['broken']);
        assert.deepEqual(await names({ owner: sponsor.address }), ['alice-contact']);
        assert.deepEqual(await names({ owner: requester.address }), ['bob-contact']);
      });

      it('requiredSchema: every required key path exists with one of its accepted types', async () => {
        const cases: [unknown, string[]][] = [
          [{ email: 'string' }, ['bob-contact', 'alice-contact']],
          [{ email: 'string', picture: 'image/png' }, ['alice-contact']],
          [{ picture: ['image/png', 'image/jpeg'] }, ['bob-contact', 'alice-contact']],
          [{ email: ['string'], vip: 'bool' }, ['bob-contact']],
          [{ meta: { station: 'string' } }, ['air-quality']],
          [{ meta: { station: 'string', year: ['f64', 'i128'] }, csv: 'application/octet-stream' }, ['air-quality']],
          [{ meta: { station: 'f64' } }, []],
          [{ meta: 'string' }, []],
          [{ station: 'string' }, []],
          [{ email: 'string', nickname: 'string' }, []],
          [{}, ['broken', 'bob-contact', 'alice-contact', 'air-quality']],
        ];
        for (const [requiredSchema, expected] of cases) {
          assert.deepEqual(await names({ requiredSchema }), expected, JSON.stringify(requiredSchema));
        }
      });

      it('requiredSchema written inline in the query, combined with owner', async () => {
        const answer = await graphqlRequest<Named>(
          app,
          `{ protectedDatas(where: { requiredSchema: { email: "string", picture: ["image/png", "image/jpeg"] }, owner: "${world.actors.requester.address}" }) { name } }`,
        );
        assert.deepEqual(answer.data?.protectedDatas, [{ name: 'bob-contact' }]);
      });

      it('createdAfter (inclusive) and createdBefore (exclusive) bound the creation time', async () => {
        const stamps = await graphqlRequest<{ protectedDatas: { name: string; creationTimestamp: string }[] }>(
          app,
          '{ protectedDatas { name creationTimestamp } }',
        );
        const at = Object.fromEntries(stamps.data?.protectedDatas.map((p) => [p.name, p.creationTimestamp]) ?? []);
        assert.deepEqual(await names({ createdAfter: at['alice-contact'] }), [
          'broken',
          'bob-contact',
          'alice-contact',
        ]);
        assert.deepEqual(await names({ createdBefore: at['bob-contact'] }), ['alice-contact', 'air-quality']);
        assert.deepEqual(await names({ createdAfter: Number(at['alice-contact']), createdBefore: at['bob-contact'] }), [
          'alice-contact',
        ]);
        assert.deepEqual(await names({ createdAfter: '99999999999' }), []);
      });

      it('pages with first and skip, newest first', async () => {
        assert.deepEqual(await names({}, { first: 2 }), ['broken', 'bob-contact']);
        assert.deepEqual(await names({}, { first: 2, skip: 1 }), ['bob-contact', 'alice-contact']);
        assert.deepEqual(await names({}, { first: 2, skip: 3 }), ['air-quality']);
        assert.deepEqual(await names({}, { first: 0 }), []);
        assert.deepEqual(await names({}, { skip: 10 }), []);
      });
    });

    describe('apps and workerpools', () => {
      it('apps(where: { owner }) and app(id) with the registry’s fields', async () => {
        const answer = await graphqlRequest<{ apps: unknown[]; app: unknown }>(
          app,
          `query($owner: String, $id: ID!) {
          apps(where: { owner: $owner }) { id name }
          app(id: $id) { id owner name appType multiaddr fingerprint transfers { from to } } }`,
          { owner: world.actors.other.address, id: story.apps.climate },
        );
        assert.deepEqual(answer.data?.apps, [{ id: story.apps.hello, name: 'hello' }]);
        assert.deepEqual(answer.data?.app, {
          id: story.apps.climate,
          owner: world.actors.appOwner.address,
          name: 'climate-stats',
          appType: 'NODE',
          multiaddr: '/ipfs/bafyapp',
          fingerprint: FINGERPRINT,
          transfers: [{ from: zeroAddress, to: world.actors.appOwner.address }],
        });
        const all = await graphqlRequest<{ apps: { id: string }[] }>(app, '{ apps { id } }');
        assert.deepEqual(
          all.data?.apps.map((a) => a.id),
          [story.apps.hello, story.apps.climate],
        );
      });

      it('workerpools and workerpool(id)', async () => {
        const answer = await graphqlRequest(
          app,
          `{ workerpools(where: { owner: "${world.actors.scheduler.address}" }) { id description }
           workerpool(id: "${world.workerpool}") { owner } }`,
        );
        assert.deepEqual(answer.data, {
          workerpools: [{ id: world.workerpool, description: 'pool' }],
          workerpool: { owner: world.actors.scheduler.address },
        });
      });
    });

    describe('deals and tasks', () => {
      it('deals newest first, filtered by requester, app, dataset, workerpool', async () => {
        const ids = async (where: Record<string, string>) =>
          (
            await graphqlRequest<{ deals: { id: string }[] }>(
              app,
              'query($w: DealFilter) { deals(where: $w) { id } }',
              {
                w: where,
              },
            )
          ).data?.deals.map((d) => d.id);
        const { done, failed, claimed, onAir } = story.deals;
        assert.deepEqual(await ids({}), [onAir, claimed, failed, done]);
        assert.deepEqual(await ids({ requester: world.actors.requester.address }), [onAir, claimed, failed, done]);
        assert.deepEqual(await ids({ dataset: story.protectedData.air }), [onAir]);
        assert.deepEqual(await ids({ dataset: world.dataset, app: world.app }), [claimed, failed, done]);
        assert.deepEqual(await ids({ app: story.apps.hello }), []);
        assert.deepEqual(await ids({ workerpool: world.workerpool.toLowerCase() }), [onAir, claimed, failed, done]);
        assert.deepEqual(await ids({ requester: world.actors.other.address }), []);
      });

      it('deal(id) carries viewDeal’s fields, the params and every task by index (UNSET until initialized)', async () => {
        const answer = await graphqlRequest<{ done: Record<string, unknown>; onAir: Record<string, unknown> }>(
          app,
          `query($done: ID!, $onAir: ID!) {
          done: deal(id: $done) { app dataset workerpool requester beneficiary sponsor callback appPrice datasetPrice
            workerpoolPrice botFirst botSize volume category tag trust params tasks { id index status } }
          onAir: deal(id: $onAir) { dataset botSize volume params tasks { id index status }
            second: tasks(first: 1, skip: 1) { id index status history { status } } } }`,
          { done: story.deals.done, onAir: story.deals.onAir.toUpperCase().replace('0X', '0x') },
        );
        const { requester } = world.actors;
        assert.deepEqual(answer.data?.done, {
          app: world.app,
          dataset: world.dataset,
          workerpool: world.workerpool,
          requester: requester.address,
          beneficiary: requester.address,
          sponsor: requester.address,
          callback: null,
          appPrice: PRICES.app.toString(),
          datasetPrice: PRICES.dataset.toString(),
          workerpoolPrice: PRICES.workerpool.toString(),
          botFirst: '0',
          botSize: 1,
          volume: '1',
          category: 0,
          tag: TAG_TEE,
          trust: 1,
          params: '{"iexec_args":"--mean pm25"}',
          tasks: [{ id: story.tasks.done, index: '0', status: 'COMPLETED' }],
        });
        assert.deepEqual(answer.data?.onAir, {
          dataset: story.protectedData.air,
          botSize: 2,
          volume: '2',
          params: '{"iexec_args":"--mean pm25"}',
          tasks: [
            { id: story.tasks.onAirActive, index: '0', status: 'ACTIVE' },
            { id: story.tasks.onAirUnset, index: '1', status: 'UNSET' },
          ],
          second: [{ id: story.tasks.onAirUnset, index: '1', status: 'UNSET', history: [] }],
        });
      });

      it('task(id): COMPLETED with its result location and the history of its status changes', async () => {
        const answer = await graphqlRequest<{ task: Record<string, unknown> & { history: Record<string, string>[] } }>(
          app,
          `query($id: ID!) { task(id: $id) { id dealId index status workerpool worker resultDigest results failureReason
          deal { id } history { status blockNumber timestamp transactionHash worker reason } } }`,
          { id: story.tasks.done },
        );
        const task = answer.data?.task;
        assert.ok(task);
        const { history, resultDigest, ...rest } = task;
        assert.deepEqual(rest, {
          id: story.tasks.done,
          dealId: story.deals.done,
          index: '0',
          status: 'COMPLETED',
          workerpool: world.workerpool,
          worker: world.actors.worker.address,
          results: '/ipfs/bafyresult',
          failureReason: null,
          deal: { id: story.deals.done },
        });
        assert.match(String(resultDigest), /^0x[0-9a-f]{64}$/);
        assert.deepEqual(
          history.map((h) => [h.status, h.worker, h.reason]),
          [
            ['ACTIVE', null, null],
            ['COMPLETED', world.actors.worker.address, null],
          ],
        );
        for (const change of history) {
          const receipt = await world.publicClient.getTransactionReceipt({
            hash: change.transactionHash as `0x${string}`,
          });
          const block = await world.publicClient.getBlock({ blockNumber: receipt.blockNumber });
          assert.deepEqual(
            [change.blockNumber, change.timestamp],
            [block.number.toString(), block.timestamp.toString()],
          );
        }
      });

      it('task(id): FAILED by the enclave with its reason; claimed after the deadline as FAILED, CLAIMED', async () => {
        const answer = await graphqlRequest(
          app,
          `query($failed: ID!, $claimed: ID!, $unset: ID!) {
          failed: task(id: $failed) { status worker failureReason results history { status reason } }
          claimed: task(id: $claimed) { status worker failureReason history { status reason } }
          unset: task(id: $unset) { id } }`,
          { failed: story.tasks.failed, claimed: story.tasks.claimed, unset: story.tasks.onAirUnset },
        );
        assert.deepEqual(answer.data, {
          failed: {
            status: 'FAILED',
            worker: world.actors.worker.address,
            failureReason: 'APP_EXIT_NONZERO',
            results: null,
            history: [
              { status: 'ACTIVE', reason: null },
              { status: 'FAILED', reason: 'APP_EXIT_NONZERO' },
            ],
          },
          claimed: {
            status: 'FAILED',
            worker: null,
            failureReason: 'CLAIMED',
            history: [
              { status: 'ACTIVE', reason: null },
              { status: 'FAILED', reason: 'CLAIMED' },
            ],
          },
          unset: null,
        });
      });

      it('tasks(where: { status, dealId, worker }), most recently initialized first', async () => {
        const ids = async (where: Record<string, string>) =>
          (
            await graphqlRequest<{ tasks: { id: string }[] }>(
              app,
              'query($w: TaskFilter) { tasks(where: $w) { id } }',
              {
                w: where,
              },
            )
          ).data?.tasks.map((t) => t.id);
        const t = story.tasks;
        assert.deepEqual(await ids({}), [t.onAirActive, t.claimed, t.failed, t.done]);
        assert.deepEqual(await ids({ status: 'COMPLETED' }), [t.done]);
        assert.deepEqual(await ids({ status: 'FAILED' }), [t.claimed, t.failed]);
        assert.deepEqual(await ids({ status: 'ACTIVE' }), [t.onAirActive]);
        assert.deepEqual(await ids({ status: 'UNSET' }), []);
        assert.deepEqual(await ids({ dealId: story.deals.onAir }), [t.onAirActive]);
        assert.deepEqual(await ids({ worker: world.actors.worker.address }), [t.failed, t.done]);
        assert.deepEqual(await ids({ status: 'FAILED', worker: world.actors.worker.address }), [t.failed]);
      });

      it('orderOperations: a presigned app order and a closed dataset order', async () => {
        const answer = await graphqlRequest<{ orderOperations: Record<string, unknown>[] }>(
          app,
          '{ orderOperations { kind operation owner volume } }',
        );
        assert.deepEqual(answer.data?.orderOperations, [
          { kind: 0, operation: 'PRESIGNED', owner: world.actors.appOwner.address, volume: null },
          { kind: 1, operation: 'CLOSED', owner: null, volume: '1' },
        ]);
      });

      it('_meta.block is the last indexed block', async () => {
        const head = await world.publicClient.getBlock();
        const answer = await graphqlRequest(app, '{ _meta { block { number hash timestamp } } }');
        assert.deepEqual(answer.data, {
          _meta: { block: { number: head.number.toString(), hash: head.hash, timestamp: head.timestamp.toString() } },
        });
      });
    });

    describe('errors: GraphQL errors with codes, never a 500', () => {
      it('a syntax error or an unknown field → GRAPHQL_VALIDATION_FAILED', async () => {
        assert.equal((await errorOf('{ protectedDatas { name }')).extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
        const unknown = await errorOf('{ protectedDatas { password } }');
        assert.equal(unknown.extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
        assert.match(unknown.message, /Cannot query field "password"/);
      });

      it('malformed arguments → CONFIDE_INDEXER_INVALID_INPUT naming the argument', async () => {
        const cases: [string, RegExp][] = [
          ['{ protectedDatas(where: { owner: "0x12" }) { name } }', /where\.owner: "0x12" is not an address/],
          ['{ protectedDatas(first: 1001) { name } }', /first: must be in 0\.\.1000/],
          ['{ protectedDatas(skip: -1) { name } }', /skip: must be ≥ 0/],
          [
            '{ protectedDatas(where: { requiredSchema: { meta: {} } }) { name } }',
            /requiredSchema\.meta: an empty object/,
          ],
          [
            '{ protectedDatas(where: { requiredSchema: { email: 3 } }) { name } }',
            /requiredSchema\.email: must be a type/,
          ],
          ['{ protectedDatas(where: { requiredSchema: "email" }) { name } }', /requiredSchema: must be an object/],
          ['{ deal(id: "0x1234") { id } }', /id: "0x1234" is not a 32-byte 0x-hex id/],
          ['{ tasks(where: { worker: "bob" }) { id } }', /where\.worker: "bob" is not an address/],
          ['{ app(id: "nope") { id } }', /id: "nope" is not an address/],
        ];
        for (const [query, message] of cases) {
          const error = await errorOf(query);
          assert.equal(error.extensions?.code, 'CONFIDE_INDEXER_INVALID_INPUT', query);
          assert.match(error.message, message, query);
        }
      });

      it('a BigInt or enum that does not parse → a validation error', async () => {
        for (const query of [
          '{ protectedDatas(where: { createdAfter: "yesterday" }) { name } }',
          '{ protectedDatas(where: { createdAfter: -5 }) { name } }',
          '{ tasks(where: { status: DONE }) { id } }',
        ]) {
          assert.equal((await errorOf(query)).extensions?.code, 'GRAPHQL_VALIDATION_FAILED', query);
        }
        const variable = await errorOf('query($t: BigInt) { protectedDatas(where: { createdAfter: $t }) { name } }', {
          t: '1.5',
        });
        assert.match(variable.message, /BigInt must be a non-negative integer/);
      });

      it('a query nested too deep, or reading too many rows, is refused', async () => {
        const deep = await errorOf(
          '{ deals { tasks { deal { tasks { deal { tasks { deal { tasks { deal { tasks { id } } } } } } } } } } }',
        );
        assert.match(deep.message, /nests 11 levels deep; at most 10/);
        const small = createIndexerServer({ db: indexer.db, logger: pino({ enabled: false }), maxRows: 5 });
        const answer = await graphqlRequest(small, '{ deals { id tasks { id history { status } } } }');
        assert.equal(answer.errors?.[0]?.extensions?.code, 'CONFIDE_INDEXER_INVALID_INPUT');
        assert.equal(answer.errors?.[0]?.extensions?.reason, 'QUERY_TOO_LARGE');
      });

      it('a body that is no GraphQL request → 400 with errors; other routes → 404 { error }', async () => {
        const post = (body: string, type = 'application/json') =>
          app.request('/graphql', { method: 'POST', headers: { 'content-type': type }, body });
        for (const response of [
          await post('{"query": '),
          await post('{"variables": {}}'),
          await post('[1, 2]'),
          await post('null'),
          await post('{"query": "{ _meta { block { number } } }", "variables": [1]}'),
          await post('{"query": "{ _meta { block { number } } }"}', 'text/plain'),
          await post(JSON.stringify({ query: `{ ${'_meta { block { number } } '.repeat(5000)} }` })),
        ]) {
          assert.equal(response.status, 400);
          const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
          assert.equal(body.errors[0]?.extensions.code, 'CONFIDE_INDEXER_BAD_REQUEST');
        }
        const get = await app.request('/graphql');
        assert.equal(get.status, 404);
        assert.deepEqual(((await get.json()) as { error: { code: string } }).error.code, 'CONFIDE_INDEXER_NOT_FOUND');
        const health = await app.request('/health');
        assert.equal(health.status, 200);
      });
    });

    it('addresses in answers are checksummed', async () => {
      const answer = await graphqlRequest<{ deals: { requester: string }[] }>(app, '{ deals(first: 1) { requester } }');
      const requester = answer.data?.deals[0]?.requester ?? '';
      assert.equal(requester, getAddress(requester));
    });
  });
});
