import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseEventLogs } from 'viem';
import { deployWorld, PRICES, TOKEN, type World } from '../../../contracts/test/helpers/world.js';
import { createIndexer, type Indexer } from '../../indexer/src/createIndexer.js';
import { inProcessQuery } from '../../indexer/src/testing/graphqlRequest.js';
import { protect } from '../../indexer/src/testing/story.js';
import { dataSharingClientAbi } from '../../protocol/src/index.js';
import { DataProtectorError } from './errors.js';
import { createSharingReads, getCollectionById, type SharingReads } from './sharingReads.js';

const HOUR = 3600n;
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

const rejectsWith = (work: Promise<unknown>, code: string, details: RegExp) =>
  assert.rejects(work, (error: unknown) => {
    assert.ok(error instanceof DataProtectorError);
    assert.equal(error.code, code);
    assert.match(String(error.details), details);
    return true;
  });

describe('DataProtector sharing reads, answered by a real indexer of a real chain', () => {
  let world: World;
  let indexer: Indexer;
  let reads: SharingReads;
  let indexerClient: { query: <T>(source: string, variables?: Record<string, unknown>) => Promise<T> };
  let rented: `0x${string}`;
  let forSale: `0x${string}`;
  let collectionId: bigint;

  before(async () => {
    world = await deployWorld();
    const { datasetOwner: owner, requester: renter, other: subscriber } = world.actors;
    rented = await protect(world, owner, 'rented', { email: 'string' });
    forSale = await protect(world, owner, 'for-sale', { email: 'string' });
    const o = world.as(owner);
    await world.mined(o.datasets.write.setApprovalForAll([world.addresses.dataSharing, true]));
    const created = await world.mined(o.sharing.write.createCollection([owner.address]));
    const [event] = parseEventLogs({ abi: dataSharingClientAbi, logs: created.logs, eventName: 'CollectionCreated' });
    assert.ok(event);
    collectionId = event.args.collectionId;
    for (const dataset of [rented, forSale])
      await world.mined(o.sharing.write.addToCollection([collectionId, dataset]));
    await world.mined(o.sharing.write.setPolicy([rented, { ...NO_LIMITS, pricePerUse: PRICES.dataset }]));
    await world.mined(o.sharing.write.setProtectedDataToRenting([rented, RENT, HOUR]));
    await world.mined(o.sharing.write.setProtectedDataForSale([forSale, SALE]));
    await world.mined(o.sharing.write.setSubscriptionParams([collectionId, SUBSCRIPTION, HOUR]));
    for (const payer of [renter, subscriber]) {
      await world.mined(world.as(payer).hub.write.approve([world.addresses.dataSharing, 1000n * TOKEN]));
    }
    await world.mined(world.as(renter).sharing.write.rentProtectedData([rented, RENT, HOUR]));
    await world.mined(world.as(subscriber).sharing.write.subscribeToCollection([collectionId, SUBSCRIPTION, HOUR]));

    indexer = await createIndexer({
      database: ':memory:',
      publicClient: world.publicClient,
      addresses: world.addresses,
    });
    await indexer.syncOnce();
    indexerClient = { query: inProcessQuery(indexer.db) };
    reads = createSharingReads(indexerClient);
  });
  after(() => indexer.close());

  it('getCollectionsByOwner and getProtectedDataInCollections', async () => {
    const { datasetOwner: owner, requester } = world.actors;
    const { collections } = await reads.getCollectionsByOwner({ owner: owner.address });
    assert.deepEqual(
      collections.map((c) => [c.collectionId, c.owner, c.protectedData, c.subscriptionParams]),
      [[collectionId, owner.address, [forSale, rented], { price: SUBSCRIPTION, duration: Number(HOUR) }]],
    );
    assert.deepEqual(await getCollectionById(indexerClient, Number(collectionId)), collections[0]);
    assert.deepEqual(await reads.getCollectionsByOwner({ owner: requester.address }), { collections: [] });

    const all = await reads.getProtectedDataInCollections({ collectionOwner: owner.address });
    assert.deepEqual(
      all.protectedDataInCollection.map((d) => [d.address, d.effectiveOwner, d.collectionId]),
      [
        [forSale, owner.address, collectionId],
        [rented, owner.address, collectionId],
      ],
    );
    const sale = await reads.getProtectedDataInCollections({ collectionId, isForSale: true });
    assert.deepEqual(
      sale.protectedDataInCollection.map((d) => [d.address, d.salePrice]),
      [[forSale, SALE]],
    );
    const rent = await reads.getProtectedDataInCollections({ isRentable: true, pageSize: 1 });
    assert.deepEqual(rent.protectedDataInCollection[0]?.rentalParams, { price: RENT, duration: Number(HOUR) });
  });

  it('getRentals, getCollectionSubscriptions, getProtectedDataPolicy, getEarnings', async () => {
    const { datasetOwner: owner, requester: renter, other: subscriber } = world.actors;
    const { rentals } = await reads.getRentals({ renterAddress: renter.address, includePastRentals: true });
    assert.deepEqual(
      rentals.map((r) => [r.protectedData, r.renter, r.price, r.payee]),
      [[rented, renter.address, RENT, owner.address]],
    );
    const { collectionSubscriptions } = await reads.getCollectionSubscriptions({
      collectionId,
      includePastSubscriptions: true,
    });
    assert.deepEqual(
      collectionSubscriptions.map((s) => [s.subscriber, s.price]),
      [[subscriber.address, SUBSCRIPTION]],
    );
    assert.equal((await reads.getProtectedDataPolicy({ protectedData: rented }))?.pricePerUse, PRICES.dataset);
    assert.equal(await reads.getProtectedDataPolicy({ protectedData: forSale }), null);
    assert.deepEqual(await reads.getEarnings({ account: owner.address }), {
      rentals: RENT,
      subscriptions: SUBSCRIPTION,
      sales: 0n,
      consumptions: 0n,
      total: RENT + SUBSCRIPTION,
    });
  });

  it('by default only running rentals and subscriptions are listed', async () => {
    const [rental] = (await reads.getRentals({ includePastRentals: true })).rentals;
    assert.ok(rental);
    const at = (seconds: number) => createSharingReads(indexerClient, () => seconds);
    assert.equal((await at(rental.endDate - 1).getRentals()).rentals.length, 1, 'one second before its end');
    assert.deepEqual(await at(rental.endDate).getRentals(), { rentals: [] }, 'ended');
    assert.equal((await at(rental.endDate).getRentals({ includePastRentals: true })).rentals.length, 1);
    const [subscription] = (await reads.getCollectionSubscriptions({ includePastSubscriptions: true }))
      .collectionSubscriptions;
    assert.ok(subscription);
    assert.equal((await at(subscription.endDate - 1).getCollectionSubscriptions()).collectionSubscriptions.length, 1);
    assert.deepEqual(await at(subscription.endDate).getCollectionSubscriptions(), { collectionSubscriptions: [] });
  });

  it('error: bad parameters are CONFIDE_DATAPROTECTOR_INVALID_PARAMETER; an indexer failure is SERVICE_FAILED', async () => {
    const INVALID = 'CONFIDE_DATAPROTECTOR_INVALID_PARAMETER';
    await rejectsWith(reads.getCollectionsByOwner({ owner: '0x12' as never }), INVALID, /owner must be an address/);
    await rejectsWith(reads.getRentals({ pageSize: 1001 }), INVALID, /pageSize must be an integer between 1 and 1000/);
    await rejectsWith(
      reads.getProtectedDataInCollections({ collectionId: -1 }),
      INVALID,
      /collectionId must be a collection id/,
    );
    await rejectsWith(reads.getCollectionSubscriptions({ page: -1 }), INVALID, /page must be an integer ≥ 0/);
    await rejectsWith(
      reads.getRentals({ includePastRentals: 'yes' as never }),
      INVALID,
      /includePastRentals must be a boolean/,
    );
    const down = createSharingReads({
      query: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:13700')),
    });
    await rejectsWith(
      down.getEarnings({ account: world.actors.datasetOwner.address }),
      'CONFIDE_DATAPROTECTOR_SERVICE_FAILED',
      /querying the indexer: connect ECONNREFUSED/,
    );
  });
});
