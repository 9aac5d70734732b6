import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Hono } from 'hono';
import pino from 'pino';
import { type Address, type Hex, type LocalAccount, parseEventLogs, zeroAddress } from 'viem';
import { deployWorld, PRICES, TOKEN, type World } from '../../../contracts/test/helpers/world.js';
import { forEachDatabase } from '../../../scripts/testing/postgres.js';
import { computeTaskId, dataSharingClientAbi } from '../../protocol/src/index.js';
import {
  getCollection,
  getCollections,
  getConsumptions,
  getEarnings,
  getPolicy,
  getRentals,
  getSales,
  getSharedProtectedData,
  getSubscriptions,
} from './client/sharing.js';
import { createIndexer, type Indexer } from './createIndexer.js';
import { createIndexerServer } from './createIndexerServer.js';
import { IndexerInputError } from './errors.js';
import { DUMP_QUERY, graphqlRequest } from './testing/graphqlRequest.js';
import { completeTask, protect } from './testing/story.js';

const silent = pino({ enabled: false });
const HOUR = 3600n;
const MONTH = 30n * 24n * HOUR;
const RENT = 5n * TOKEN;
const SUBSCRIPTION = 20n * TOKEN;
const SALE = 100n * TOKEN;
const NO_LIMITS = {
  restrictApps: false,
  restrictUsers: false,
  pricePerUse: 0n,
  maxUses: 0,
  expiry: 0,
  maxResultSize: 0n,
};

type DataAnswer = {
  id: string;
  owner: string;
  effectiveOwner: string;
  collection: { id: string; owner: string } | null;
  rentalParams: { price: string; duration: string } | null;
  saleParams: { price: string } | null;
  policy: {
    restrictApps: boolean;
    restrictUsers: boolean;
    pricePerUse: string;
    maxUses: string;
    expiry: string;
    maxResultSize: string;
    uses: string;
    allowedApps: string[];
    allowedUsers: string[];
  } | null;
  rentals: { renter: string; endDate: string; price: string; payee: string }[];
};
const DATA_FIELDS = `id owner effectiveOwner collection { id owner } rentalParams { price duration } saleParams { price }
  policy { restrictApps restrictUsers pricePerUse maxUses expiry maxResultSize uses allowedApps allowedUsers }
  rentals { renter endDate price payee }`;
type CollectionAnswer = {
  id: string;
  owner: string;
  removed: boolean;
  subscriptionParams: { price: string; duration: string } | null;
  protectedDatas: { id: string }[];
  subscriptions: { subscriber: string; price: string }[];
  transfers: { from: string; to: string }[];
};
const COLLECTION_FIELDS = `id owner removed subscriptionParams { price duration } protectedDatas { id }
  subscriptions { subscriber price } transfers { from to }`;
type Earnings = { rentals: string; subscriptions: string; sales: string; consumptions: string; total: string };

forEachDatabase((database) =>
  describe(`indexer: DataSharing collections, rentals, subscriptions, sales, consumptions, policies (${database.kind})`, () => {
    let world: World;
    let indexer: Indexer;
    let app: Hono;
    let owner: LocalAccount;
    let renter: LocalAccount;
    let subscriber: LocalAccount;
    let buyer: LocalAccount;
    let rented: Address;
    let sold: Address;
    let collectionId: string;
    let ownerBefore: bigint;

    const query = async <T>(source: string, variables?: Record<string, unknown>) => {
      await indexer.syncOnce();
      const answer = await graphqlRequest<T>(app, source, variables);
      assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
      return answer.data as T;
    };
    const dataOf = async (id: Address) =>
      (
        await query<{ protectedData: DataAnswer }>(`query($id: ID!) { protectedData(id: $id) { ${DATA_FIELDS} } }`, {
          id,
        })
      ).protectedData;
    const collectionOf = async (id: string) =>
      (
        await query<{ collection: CollectionAnswer | null }>(
          `query($id: ID!) { collection(id: $id) { ${COLLECTION_FIELDS} } }`,
          { id },
        )
      ).collection;
    const earningsOf = async (account: Address) =>
      (
        await query<{ account: { earnings: Earnings } }>(
          `query($id: ID!) { account(id: $id) { earnings { rentals subscriptions sales consumptions total } } }`,
          { id: account },
        )
      ).account.earnings;

    /** Consumes `dataset` through DataSharing as `consumer`, runs the task and settles it; returns the deal. */
    async function consumeAndSettle(consumer: LocalAccount, dataset: Address): Promise<Hex> {
      const orders = await world.orders({
        request: { requester: consumer.address, beneficiary: consumer.address, dataset },
        signers: { request: consumer },
      });
      const receipt = await world.mined(
        world.as(consumer).sharing.write.consumeProtectedData([dataset, orders.app, orders.workerpool, orders.request]),
      );
      const [consumed] = parseEventLogs({
        abi: dataSharingClientAbi,
        logs: receipt.logs,
        eventName: 'ProtectedDataConsumed',
      });
      assert.ok(consumed);
      const { dealId } = consumed.args;
      await world.mined(world.as(world.actors.scheduler).hub.write.initialize([dealId, 0n]));
      await completeTask(world, computeTaskId(dealId, 0n), '/ipfs/bafyconsumed');
      await world.mined(world.as(world.actors.other).sharing.write.settleConsumption([dealId]));
      return dealId;
    }

    before(async () => {
      world = await deployWorld();
      ({ datasetOwner: owner, requester: renter, other: subscriber, sponsor: buyer } = world.actors);
      rented = await protect(world, owner, 'rented', { email: 'string' });
      sold = await protect(world, owner, 'sold', { email: 'string' });
      indexer = await createIndexer({
        database: await database.create(),
        publicClient: world.publicClient,
        addresses: world.addresses,
        logger: silent,
      });
      app = createIndexerServer({ db: indexer.db, logger: silent });
      ownerBefore = await world.hub.read.balanceOf([owner.address]);
      const o = world.as(owner);
      await world.mined(o.datasets.write.setApprovalForAll([world.addresses.dataSharing, true]));
      const created = await world.mined(o.sharing.write.createCollection([owner.address]));
      const [event] = parseEventLogs({ abi: dataSharingClientAbi, logs: created.logs, eventName: 'CollectionCreated' });
      assert.ok(event);
      collectionId = event.args.collectionId.toString();
      for (const dataset of [rented, sold]) {
        await world.mined(o.sharing.write.addToCollection([event.args.collectionId, dataset]));
      }
      await world.mined(o.sharing.write.setPolicy([rented, { ...NO_LIMITS, pricePerUse: PRICES.dataset }]));
      await world.mined(o.sharing.write.allowApps([rented, [world.app]]));
      await world.mined(o.sharing.write.allowUsers([rented, [renter.address, subscriber.address]]));
      await world.mined(o.sharing.write.revokeUsers([rented, [renter.address]]));
      await world.mined(o.sharing.write.setProtectedDataToRenting([rented, RENT, HOUR]));
      await world.mined(o.sharing.write.setSubscriptionParams([event.args.collectionId, SUBSCRIPTION, MONTH]));
      await world.mined(o.sharing.write.setProtectedDataForSale([sold, SALE]));
      for (const payer of [renter, subscriber, buyer]) {
        await world.mined(world.as(payer).hub.write.approve([world.addresses.dataSharing, 1000n * TOKEN]));
      }
    });
    after(() => indexer.close());

    it('a collection holds its data: registry owner DataSharing, effective owner the collection owner, offers and policy', async () => {
      const collection = await collectionOf(collectionId);
      assert.deepEqual(collection, {
        id: collectionId,
        owner: owner.address,
        removed: false,
        subscriptionParams: { price: SUBSCRIPTION.toString(), duration: MONTH.toString() },
        protectedDatas: [{ id: sold }, { id: rented }],
        subscriptions: [],
        transfers: [{ from: zeroAddress, to: owner.address }],
      });
      const data = await dataOf(rented);
      assert.equal(data.owner, world.addresses.dataSharing, 'the registry holder');
      assert.equal(data.effectiveOwner, owner.address);
      assert.deepEqual(data.collection, { id: collectionId, owner: owner.address });
      assert.deepEqual(data.rentalParams, { price: RENT.toString(), duration: HOUR.toString() });
      assert.equal(data.saleParams, null);
      assert.deepEqual(data.policy, {
        restrictApps: false,
        restrictUsers: false,
        pricePerUse: PRICES.dataset.toString(),
        maxUses: '0',
        expiry: '0',
        maxResultSize: '0',
        uses: '0',
        allowedApps: [world.app],
        allowedUsers: [subscriber.address],
      });
      assert.deepEqual((await dataOf(sold)).saleParams, { price: SALE.toString() });

      const { collections } = await query<{ collections: { id: string }[] }>(
        `query($owner: String) { collections(where: { owner: $owner }) { id } }`,
        { owner: owner.address.toLowerCase() },
      );
      assert.deepEqual(collections, [{ id: collectionId }]);
      const mine = await query<{ byOwner: { id: string }[]; byHolder: { id: string }[]; forRent: { id: string }[] }>(
        `query($owner: String, $holder: String, $c: ID) {
          byOwner: protectedDatas(where: { effectiveOwner: $owner }) { id }
          byHolder: protectedDatas(where: { owner: $holder }) { id }
          forRent: protectedDatas(where: { collection: $c, forRent: true }) { id }
        }`,
        { owner: owner.address, holder: world.addresses.dataSharing, c: collectionId },
      );
      assert.deepEqual(mine.byOwner, [{ id: sold }, { id: rented }]);
      assert.deepEqual(mine.byHolder, [{ id: sold }, { id: rented }]);
      assert.deepEqual(mine.forRent, [{ id: rented }]);
    });

    it('rental, subscription, consumption and sale: listed by party, the buyer owns the data, earnings match the escrow', async () => {
      await world.mined(world.as(renter).sharing.write.rentProtectedData([rented, RENT, HOUR]));
      const rentedAt = await world.chain.now();
      const deal = await consumeAndSettle(renter, rented);
      // Sold before the subscription: a running one keeps every data of the collection in it.
      await world.mined(world.as(buyer).sharing.write.buyProtectedData([sold, SALE]));
      await world.mined(
        world.as(subscriber).sharing.write.subscribeToCollection([BigInt(collectionId), SUBSCRIPTION, MONTH]),
      );

      const lists = await query<{
        rentals: {
          dataset: string;
          renter: string;
          endDate: string;
          price: string;
          payee: string;
          collection: { id: string };
        }[];
        subscriptions: { subscriber: string; price: string; payee: string; collection: { id: string } }[];
        sales: { dataset: string; seller: string; buyer: string; price: string; protectedData: { owner: string } }[];
        consumptions: {
          dealId: string;
          dataset: string;
          consumer: string;
          mode: string;
          price: string;
          settled: boolean;
          settledAmount: string;
          payee: string;
          deal: { requester: string };
        }[];
      }>(
        `query($renter: String, $subscriber: String, $c: ID, $buyer: String, $dataset: String) {
          rentals(where: { renter: $renter, dataset: $dataset }) { dataset renter endDate price payee collection { id } }
          subscriptions(where: { subscriber: $subscriber, collection: $c }) { subscriber price payee collection { id } }
          sales(where: { buyer: $buyer }) { dataset seller buyer price protectedData { owner } }
          consumptions(where: { consumer: $renter, dataset: $dataset }) {
            dealId dataset consumer mode price settled settledAmount payee deal { requester }
          }
        }`,
        {
          renter: renter.address,
          subscriber: subscriber.address,
          c: collectionId,
          buyer: buyer.address,
          dataset: rented,
        },
      );
      assert.deepEqual(lists.rentals, [
        {
          dataset: rented,
          renter: renter.address,
          endDate: (rentedAt + HOUR).toString(),
          price: RENT.toString(),
          payee: owner.address,
          collection: { id: collectionId },
        },
      ]);
      assert.deepEqual(lists.subscriptions, [
        {
          subscriber: subscriber.address,
          price: SUBSCRIPTION.toString(),
          payee: owner.address,
          collection: { id: collectionId },
        },
      ]);
      assert.deepEqual(lists.sales, [
        {
          dataset: sold,
          seller: owner.address,
          buyer: buyer.address,
          price: SALE.toString(),
          protectedData: { owner: buyer.address },
        },
      ]);
      assert.deepEqual(lists.consumptions, [
        {
          dealId: deal,
          dataset: rented,
          consumer: renter.address,
          mode: 'RENTAL',
          price: PRICES.dataset.toString(),
          settled: true,
          settledAmount: PRICES.dataset.toString(),
          payee: owner.address,
          deal: { requester: renter.address },
        },
      ]);

      const bought = await dataOf(sold);
      assert.deepEqual(
        [bought.owner, bought.effectiveOwner, bought.collection, bought.saleParams],
        [buyer.address, buyer.address, null, null],
        'after the sale the buyer owns it, outside any collection',
      );
      assert.equal((await dataOf(rented)).policy?.uses, '1', 'the consumption is one use of the policy');
      assert.equal((await dataOf(rented)).policy?.uses, (await world.hub.read.viewPolicy([rented])).uses.toString());
      assert.deepEqual(
        (await collectionOf(collectionId))?.protectedDatas.map((d) => d.id),
        [rented],
      );

      const earnings = await earningsOf(owner.address);
      assert.deepEqual(earnings, {
        rentals: RENT.toString(),
        subscriptions: SUBSCRIPTION.toString(),
        sales: SALE.toString(),
        consumptions: PRICES.dataset.toString(),
        total: (RENT + SUBSCRIPTION + SALE + PRICES.dataset).toString(),
      });
      const earned = (await world.hub.read.balanceOf([owner.address])) - ownerBefore;
      assert.equal(earnings.total, earned.toString(), "the owner's escrow grew by exactly its earnings");
      assert.equal((await earningsOf(renter.address)).total, '0');
    });

    it('the typed client reads: collections, shared data, policy, rentals, subscriptions, sales, consumptions, earnings', async () => {
      await indexer.syncOnce();
      const client = {
        query: async <T>(source: string, variables?: Record<string, unknown>) => {
          const answer = await graphqlRequest<T>(app, source, variables);
          assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
          return answer.data as T;
        },
      };
      const id = BigInt(collectionId);
      const [mine] = await getCollections(client, { owner: owner.address });
      assert.deepEqual(
        { ...mine, creationTimestamp: undefined, transactionHash: undefined },
        {
          collectionId: id,
          owner: owner.address,
          removed: false,
          subscriptionParams: { price: SUBSCRIPTION, duration: Number(MONTH) },
          protectedData: [rented],
          creationTimestamp: undefined,
          transactionHash: undefined,
        },
      );
      assert.deepEqual(await getCollection(client, id), mine);
      assert.equal(await getCollection(client, 999n), null);
      assert.deepEqual(await getCollections(client, { owner: renter.address }), []);

      const [shared] = await getSharedProtectedData(client, { collectionId: id, isRentable: true });
      assert.deepEqual(
        [
          shared?.address,
          shared?.owner,
          shared?.effectiveOwner,
          shared?.collectionId,
          shared?.rentalParams,
          shared?.salePrice,
        ],
        [rented, world.addresses.dataSharing, owner.address, id, { price: RENT, duration: Number(HOUR) }, null],
      );
      assert.deepEqual(
        (await getSharedProtectedData(client, { effectiveOwner: buyer.address })).map((d) => d.address),
        [sold],
      );
      assert.deepEqual(
        (await getSharedProtectedData(client, { inCollection: true })).map((d) => d.address),
        [rented],
      );
      assert.deepEqual(await getPolicy(client, rented), {
        restrictApps: false,
        restrictUsers: false,
        pricePerUse: PRICES.dataset,
        maxUses: 0,
        expiry: 0,
        maxResultSize: 0n,
        uses: 1,
        allowedApps: [world.app],
        allowedUsers: [subscriber.address],
      });
      assert.equal(await getPolicy(client, sold), null);

      const [rental] = await getRentals(client, { renter: renter.address, collectionId: id });
      assert.deepEqual([rental?.protectedData, rental?.price, rental?.payee], [rented, RENT, owner.address]);
      assert.equal(typeof rental?.blockNumber, 'bigint');
      assert.deepEqual(await getRentals(client, { activeAfter: (rental?.endDate ?? 0) + 1 }), [], 'ended by then');
      const [sub] = await getSubscriptions(client, { collectionId: id });
      assert.deepEqual([sub?.subscriber, sub?.price], [subscriber.address, SUBSCRIPTION]);
      const [sale] = await getSales(client, { seller: owner.address });
      assert.deepEqual([sale?.protectedData, sale?.buyer, sale?.price], [sold, buyer.address, SALE]);
      const [consumed] = await getConsumptions(client, { protectedData: rented });
      assert.deepEqual(
        [consumed?.consumer, consumed?.mode, consumed?.settled, consumed?.settledAmount, consumed?.payee],
        [renter.address, 'RENTAL', true, PRICES.dataset, owner.address],
      );
      assert.deepEqual(await getEarnings(client, owner.address), {
        rentals: RENT,
        subscriptions: SUBSCRIPTION,
        sales: SALE,
        consumptions: PRICES.dataset,
        total: RENT + SUBSCRIPTION + SALE + PRICES.dataset,
      });
      await assert.rejects(getRentals(client, { pageSize: 0 }), IndexerInputError);
      await assert.rejects(getCollection(client, -1n), IndexerInputError);
    });

    it('a reorg rolls back removals, transfers and offers of collections; a full re-index answers the same', async () => {
      await indexer.syncOnce();
      const fork = await world.chain.snapshot();
      // The orphaned branch: everything ends, the data leaves, the collection is burnt; another is given away.
      await world.chain.increaseTime(MONTH);
      const o = world.as(owner).sharing;
      await world.mined(o.write.removeProtectedDataFromRenting([rented]));
      await world.mined(o.write.removeProtectedDataFromCollection([rented]));
      await world.mined(o.write.removeCollection([BigInt(collectionId)]));
      await world.mined(o.write.createCollection([owner.address]));
      const second = (BigInt(collectionId) + 1n).toString();
      await world.mined(
        world.as(owner).sharing.write.transferFrom([owner.address, subscriber.address, BigInt(second)]),
      );
      await world.mined(world.as(buyer).hub.write.setPolicy([sold, { ...NO_LIMITS, maxUses: 3 }]));
      const removed = await collectionOf(collectionId);
      assert.equal(removed?.removed, true);
      assert.equal(removed?.owner, zeroAddress);
      assert.deepEqual(removed?.protectedDatas, []);
      const back = await dataOf(rented);
      assert.deepEqual(
        [back.owner, back.effectiveOwner, back.collection, back.rentalParams],
        [owner.address, owner.address, null, null],
      );
      assert.equal((await collectionOf(second))?.owner, subscriber.address);
      const listed = await query<{ collections: { id: string }[] }>('{ collections { id } }');
      assert.deepEqual(listed.collections, [{ id: second }], 'a removed collection is not listed');
      assert.equal((await dataOf(sold)).policy?.maxUses, '3');

      await world.chain.revert(fork);
      await protect(world, renter, 'replacement', { note: 'string' });
      assert.equal((await indexer.syncOnce()).reorgs, 1);
      const restored = await dataOf(rented);
      assert.deepEqual(
        [restored.owner, restored.effectiveOwner, restored.collection?.id, restored.rentalParams?.price],
        [world.addresses.dataSharing, owner.address, collectionId, RENT.toString()],
      );
      assert.equal((await collectionOf(collectionId))?.removed, false);
      assert.equal(await collectionOf(second), null);
      assert.equal((await dataOf(sold)).policy, null, 'the buyer never set a policy on this branch');

      const fresh = await createIndexer({
        database: await database.create(),
        publicClient: world.publicClient,
        addresses: world.addresses,
        logger: silent,
        batchSize: 4,
      });
      try {
        await fresh.syncOnce();
        const dump = async (db: Indexer['db']) => {
          const server = createIndexerServer({ db, logger: silent });
          const answer = await graphqlRequest(server, DUMP_QUERY);
          assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
          const earnings = await graphqlRequest(
            server,
            `query($a: ID!, $b: ID!) { a: account(id: $a) { earnings { total } } b: account(id: $b) { earnings { total } } }`,
            { a: owner.address, b: buyer.address },
          );
          return { ...(answer.data as { rentals: unknown[] }), earnings: earnings.data };
        };
        const live = await dump(indexer.db);
        assert.ok(live.rentals.length > 0, 'the dump covers the sharing tables');
        assert.deepEqual(await dump(fresh.db), live, 'as if the orphaned branch was never seen');
      } finally {
        await fresh.close();
      }
    });

    it('error: a malformed collection id or address → CONFIDE_INDEXER_INVALID_INPUT', async () => {
      const bad = await graphqlRequest(app, '{ collection(id: "0x1") { id } }');
      assert.equal(bad.errors?.[0]?.extensions?.code, 'CONFIDE_INDEXER_INVALID_INPUT');
      assert.match(bad.errors?.[0]?.message ?? '', /id: "0x1" is not a collection id/);
      const renterBad = await graphqlRequest(app, '{ rentals(where: { renter: "0x12" }) { price } }');
      assert.match(renterBad.errors?.[0]?.message ?? '', /where\.renter: "0x12" is not an address/);
      const account = await graphqlRequest(app, '{ account(id: "nope") { earnings { total } } }');
      assert.equal(account.errors?.[0]?.extensions?.code, 'CONFIDE_INDEXER_INVALID_INPUT');
      assert.equal((await collectionOf('999'))?.id, undefined, 'an unknown collection is null');
    });
  }),
);
