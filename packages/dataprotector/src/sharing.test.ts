// The sharing methods on the real contracts (an in-process EVM): collections, policies, rentals,
// subscriptions, sales, settlement, and how the contracts' refusals and bad parameters surface.
// The full path of consumeProtectedData (market, SMS, workers) is in test/002_monetize.e2e.test.ts.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Account, Address } from 'viem';
import { createDataset, deployWorld, type World } from '../../../contracts/test/helpers/world.js';
import { createDataProtector, type DataProtector } from './createDataProtector.js';
import { DataProtectorError, type DataProtectorErrorCode } from './errors.js';

const TOKEN = 1_000_000_000n;
const HOUR = 3600;
const MONTH = 30 * 24 * HOUR;
const RENT = 5n * TOKEN;
const SUBSCRIPTION = 20n * TOKEN;
const SALE = 100n * TOKEN;
/** No service but the chain is reached here: any other call fails loudly. */
const NOWHERE = 'http://127.0.0.1:9';

/** Awaits `promise` and checks it failed with a DataProtectorError of `code` (and revert). */
async function expectError(
  promise: Promise<unknown>,
  code: DataProtectorErrorCode,
  revert?: { name: string; args?: readonly unknown[] },
) {
  let error: unknown;
  try {
    await promise;
  } catch (caught) {
    error = caught;
  }
  assert.ok(error instanceof DataProtectorError, `expected DataProtectorError ${code}, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  if (revert) {
    assert.equal(error.reason, revert.name);
    assert.equal(error.revert?.name, revert.name);
    if (revert.args) assert.deepEqual(error.revert?.args, revert.args);
  }
  return error;
}

describe('DataProtector sharing methods on the contracts', () => {
  let world: World;
  let forSale: Address;
  let collectionId: number;
  let owner: DataProtector;
  let renter: DataProtector;
  let subscriber: DataProtector;
  let buyer: DataProtector;

  const dpOf = (account: Account) => {
    const { publicClient, wallet } = world.chain.clientsOf(account);
    return createDataProtector({
      publicClient,
      wallet,
      hub: world.addresses.hub,
      dataProtector: world.addresses.dataProtector,
      dataSharing: world.addresses.dataSharing,
      services: { storageUrl: NOWHERE, smsUrl: NOWHERE, marketUrl: NOWHERE, indexerUrl: NOWHERE },
    });
  };
  const balance = (a: Address) => world.hub.read.balanceOf([a]);
  const holderOf = (dataset: Address) => world.as(world.actors.deployer).datasets.read.ownerOfAsset([dataset]);

  before(async () => {
    world = await deployWorld();
    forSale = await createDataset(world, world.actors.datasetOwner, 'second.csv');
    owner = dpOf(world.actors.datasetOwner);
    renter = dpOf(world.actors.requester);
    subscriber = dpOf(world.actors.other);
    buyer = dpOf(world.actors.sponsor);
  });

  it('createCollection, addToCollection (registry approval included), getCollection, getProtectedDataPricingParams', async () => {
    ({ collectionId } = await owner.createCollection());
    assert.ok(collectionId >= 1);
    const steps: string[] = [];
    await owner.addToCollection({
      protectedData: world.dataset,
      collectionId,
      onStatusUpdate: (u) => steps.push(`${u.title}:${u.isDone}`),
    });
    assert.deepEqual(steps, [
      'APPROVE_COLLECTION_CONTRACT:false',
      'APPROVE_COLLECTION_CONTRACT:true',
      'ADD_PROTECTED_DATA_TO_COLLECTION:false',
      'ADD_PROTECTED_DATA_TO_COLLECTION:true',
    ]);
    await owner.addToCollection({ protectedData: forSale, collectionId });
    assert.equal(await holderOf(world.dataset), world.addresses.dataSharing, 'DataSharing holds the data');
    assert.deepEqual(await owner.getCollection({ collectionId }), {
      collectionId,
      owner: world.actors.datasetOwner.address,
      size: 2,
      isSubscribable: false,
      subscriptionParams: { price: 0n, duration: 0 },
      subscribedUntil: 0,
    });
    assert.deepEqual(await renter.getProtectedDataPricingParams({ protectedData: world.dataset }), {
      protectedData: world.dataset,
      isInCollection: true,
      collectionId,
      isRentable: false,
      rentingParams: { price: 0n, duration: 0 },
      rentedUntil: 0,
      isForSale: false,
      salePrice: 0n,
      pendingConsumptions: 0,
    });
    const other = await createDataset(world, world.actors.other, 'not-mine.csv');
    await expectError(owner.addToCollection({ protectedData: other, collectionId }), 'CONFIDE_DATAPROTECTOR_NOT_OWNER');
    await expectError(owner.getCollection({ collectionId: 999 }), 'CONFIDE_DATAPROTECTOR_SHARING_REFUSED', {
      name: 'SharingCollectionUnknown',
      args: [999n],
    });
    await expectError(owner.removeCollection({ collectionId }), 'CONFIDE_DATAPROTECTOR_SHARING_REFUSED', {
      name: 'SharingCollectionNotEmpty',
      args: [BigInt(collectionId), 2n],
    });
  });

  it('policies: through DataSharing for collection data, through the hub for data held directly', async () => {
    const { datasetOwner, other, requester } = world.actors;
    await owner.setPolicy({ protectedData: world.dataset, pricePerUse: TOKEN, maxUses: 100 });
    await owner.allowApps({ protectedData: world.dataset, apps: [world.app] });
    await owner.allowUsers({ protectedData: world.dataset, users: [requester.address, other.address] });
    await owner.revokeUsers({ protectedData: world.dataset, users: [other.address] });
    const policy = await renter.getPolicy({ protectedData: world.dataset });
    assert.deepEqual(policy, {
      active: true,
      restrictApps: false,
      restrictUsers: false,
      pricePerUse: TOKEN,
      maxUses: 100,
      uses: 0,
      expiry: 0,
      maxResultSize: 0n,
    });
    const hub = world.as(datasetOwner).hub.read;
    assert.equal(await hub.isUserAllowed([world.dataset, requester.address]), true);
    assert.equal(await hub.isAppAllowed([world.dataset, world.app]), true);
    await expectError(
      subscriber.setPolicy({ protectedData: world.dataset, pricePerUse: 0 }),
      'CONFIDE_DATAPROTECTOR_SHARING_REFUSED',
      { name: 'SharingNotCollectionOwner', args: [BigInt(collectionId), other.address, datasetOwner.address] },
    );

    const loose = await createDataset(world, datasetOwner, 'loose.csv');
    await owner.setPolicy({ protectedData: loose, restrictUsers: true, expiry: 4_000_000_000, maxResultSize: 1024 });
    assert.equal((await owner.getPolicy({ protectedData: loose })).maxResultSize, 1024n);
    await expectError(
      subscriber.allowUsers({ protectedData: loose, users: [other.address] }),
      'CONFIDE_DATAPROTECTOR_POLICY_REFUSED',
      {
        name: 'PolicyNotDatasetOwner',
        args: [loose, other.address, datasetOwner.address],
      },
    );
  });

  it('rentProtectedData: refused before paying when the terms changed, then approves exactly the rent and pays the owner', async () => {
    const { datasetOwner, requester } = world.actors;
    await expectError(
      renter.rentProtectedData({ protectedData: world.dataset }),
      'CONFIDE_DATAPROTECTOR_SHARING_REFUSED',
      {
        name: 'SharingNotForRent',
        args: [world.dataset],
      },
    );
    await owner.setProtectedDataToRenting({ protectedData: world.dataset, price: RENT, duration: HOUR });
    const before = [await balance(requester.address), await balance(datasetOwner.address)] as const;
    await expectError(
      renter.rentProtectedData({ protectedData: world.dataset, price: RENT - 1n, duration: HOUR }),
      'CONFIDE_DATAPROTECTOR_SHARING_REFUSED',
      { name: 'SharingTermsChanged', args: [RENT - 1n, BigInt(HOUR), RENT, BigInt(HOUR)] },
    );
    assert.deepEqual([await balance(requester.address), await balance(datasetOwner.address)], before);
    assert.equal(await world.hub.read.allowance([requester.address, world.addresses.dataSharing]), 0n);

    const { endDate, price } = await renter.rentProtectedData({
      protectedData: world.dataset,
      price: RENT,
      duration: HOUR,
    });
    assert.equal(price, RENT);
    assert.equal(endDate, Number(await world.chain.now()) + HOUR);
    assert.equal(await renter.getRentalEnd({ protectedData: world.dataset }), endDate);
    assert.equal(await owner.getRentalEnd({ protectedData: world.dataset, renter: requester.address }), endDate);
    assert.deepEqual(
      [await balance(requester.address), await balance(datasetOwner.address)],
      [before[0] - RENT, before[1] + RENT],
    );
    assert.equal(
      await world.hub.read.allowance([requester.address, world.addresses.dataSharing]),
      0n,
      'exactly the rent was approved',
    );
    await expectError(
      owner.removeProtectedDataFromCollection({ protectedData: world.dataset }),
      'CONFIDE_DATAPROTECTOR_SHARING_REFUSED',
      { name: 'SharingDataInUse', args: [world.dataset, BigInt(endDate)] },
    );
    await owner.removeProtectedDataFromRenting({ protectedData: world.dataset });
    assert.equal((await owner.getProtectedDataPricingParams({ protectedData: world.dataset })).isRentable, false);
  });

  it('consumeProtectedData: refused before any service is reached or money moves without a rental or subscription', async () => {
    const { other } = world.actors;
    const before = await balance(other.address);
    // The market and SMS are unreachable here: the refusal comes from the chain, first.
    await expectError(
      subscriber.consumeProtectedData({ protectedData: world.dataset, app: world.app }),
      'CONFIDE_DATAPROTECTOR_SHARING_REFUSED',
      { name: 'SharingNoAccess', args: [world.dataset, other.address] },
    );
    assert.equal(await balance(other.address), before);
    const loose = await createDataset(world, other, 'loose-2.csv');
    await expectError(
      subscriber.consumeProtectedData({ protectedData: loose, app: world.app }),
      'CONFIDE_DATAPROTECTOR_SHARING_REFUSED',
      { name: 'SharingNotInCollection', args: [loose] },
    );
  });

  it('buyProtectedData: the buyer pays the sale price and owns the data; the sale offer can be withdrawn', async () => {
    const { datasetOwner, sponsor } = world.actors;
    await owner.setProtectedDataForSale({ protectedData: forSale, price: SALE + 1n });
    await owner.removeProtectedDataForSale({ protectedData: forSale });
    await expectError(buyer.buyProtectedData({ protectedData: forSale }), 'CONFIDE_DATAPROTECTOR_SHARING_REFUSED', {
      name: 'SharingNotForSale',
    });
    await owner.setProtectedDataForSale({ protectedData: forSale, price: SALE });
    await expectError(
      buyer.buyProtectedData({ protectedData: forSale, price: SALE - 1n }),
      'CONFIDE_DATAPROTECTOR_SHARING_REFUSED',
      {
        name: 'SharingTermsChanged',
      },
    );
    const before = [await balance(sponsor.address), await balance(datasetOwner.address)] as const;
    await buyer.buyProtectedData({ protectedData: forSale, price: SALE });
    assert.equal(await holderOf(forSale), sponsor.address);
    assert.deepEqual(
      [await balance(sponsor.address), await balance(datasetOwner.address)],
      [before[0] - SALE, before[1] + SALE],
    );
    assert.equal((await owner.getCollection({ collectionId })).size, 1);
  });

  it('subscribeToCollection: at the offered terms; getSubscriptionEnd and getCollection show it', async () => {
    const { datasetOwner, other } = world.actors;
    await expectError(subscriber.subscribeToCollection({ collectionId }), 'CONFIDE_DATAPROTECTOR_SHARING_REFUSED', {
      name: 'SharingNotForSubscription',
      args: [BigInt(collectionId)],
    });
    await owner.setSubscriptionParams({ collectionId, price: SUBSCRIPTION, duration: MONTH });
    const before = [await balance(other.address), await balance(datasetOwner.address)] as const;
    const { endDate } = await subscriber.subscribeToCollection({ collectionId, price: SUBSCRIPTION, duration: MONTH });
    assert.equal(endDate, Number(await world.chain.now()) + MONTH);
    assert.equal(await subscriber.getSubscriptionEnd({ collectionId }), endDate);
    assert.equal(await owner.getSubscriptionEnd({ collectionId, subscriber: datasetOwner.address }), 0);
    const info = await owner.getCollection({ collectionId });
    assert.deepEqual(
      [info.isSubscribable, info.subscriptionParams, info.subscribedUntil],
      [true, { price: SUBSCRIPTION, duration: MONTH }, endDate],
    );
    assert.deepEqual(
      [await balance(other.address), await balance(datasetOwner.address)],
      [before[0] - SUBSCRIPTION, before[1] + SUBSCRIPTION],
    );
  });

  it('contract refusals outside sharing and policy: a payer without escrow gets TRANSACTION_REVERTED with the escrow error', async () => {
    await owner.setProtectedDataToRenting({ protectedData: world.dataset, price: RENT, duration: HOUR });
    const broke = dpOf(world.actors.deployer);
    const error = await expectError(
      broke.rentProtectedData({ protectedData: world.dataset }),
      'CONFIDE_DATAPROTECTOR_TRANSACTION_REVERTED',
    );
    assert.match(error.reason ?? '', /^Escrow|^ERC20/);
    await expectError(
      owner.settleConsumption({ dealId: `0x${'ab'.repeat(32)}` }),
      'CONFIDE_DATAPROTECTOR_SHARING_REFUSED',
      { name: 'SharingConsumptionUnknown', args: [`0x${'ab'.repeat(32)}`] },
    );
  });

  it('error: bad parameters are refused before anything is sent; no dataSharing address is SHARING_UNAVAILABLE', async () => {
    const bad: [string, () => Promise<unknown>, RegExp][] = [
      ['removeCollection id 0', () => owner.removeCollection({ collectionId: 0 }), /collectionId/],
      ['addToCollection no data', () => owner.addToCollection({ collectionId: 1 } as never), /protectedData/],
      [
        'addToCollection id 1.5',
        () => owner.addToCollection({ protectedData: forSale, collectionId: 1.5 }),
        /collectionId/,
      ],
      [
        'renting duration 0',
        () => owner.setProtectedDataToRenting({ protectedData: forSale, price: 1, duration: 0 }),
        /duration/,
      ],
      [
        'renting duration 2^40',
        () => owner.setProtectedDataToRenting({ protectedData: forSale, price: 1, duration: 2 ** 40 }),
        /duration/,
      ],
      [
        'renting price -1',
        () => owner.setProtectedDataToRenting({ protectedData: forSale, price: -1, duration: 1 }),
        /price/,
      ],
      [
        'renting price 2^96',
        () => owner.setProtectedDataToRenting({ protectedData: forSale, price: 2n ** 96n, duration: 1 }),
        /price/,
      ],
      ['rent price "5"', () => renter.rentProtectedData({ protectedData: forSale, price: '5' as never }), /price/],
      [
        'subscription params duration -1',
        () => owner.setSubscriptionParams({ collectionId: 1, price: 1, duration: -1 }),
        /duration/,
      ],
      ['subscribe no id', () => renter.subscribeToCollection({} as never), /collectionId/],
      ['sale no price', () => owner.setProtectedDataForSale({ protectedData: forSale } as never), /price/],
      ['buy not an address', () => renter.buyProtectedData({ protectedData: 'bob' as never }), /protectedData/],
      ['consume no app', () => renter.consumeProtectedData({ protectedData: forSale } as never), /app/],
      [
        'consume dataMaxPrice -1',
        () => renter.consumeProtectedData({ protectedData: forSale, app: world.app, dataMaxPrice: -1 }),
        /dataMaxPrice/,
      ],
      ['settle short id', () => renter.settleConsumption({ dealId: '0x12' }), /dealId/],
      ['rental end renter', () => renter.getRentalEnd({ protectedData: forSale, renter: 'x' as never }), /renter/],
      ['policy maxUses 2^32', () => owner.setPolicy({ protectedData: forSale, maxUses: 2 ** 32 }), /maxUses/],
      ['policy expiry -1', () => owner.setPolicy({ protectedData: forSale, expiry: -1 }), /expiry/],
      [
        'policy restrictApps "yes"',
        () => owner.setPolicy({ protectedData: forSale, restrictApps: 'yes' as never }),
        /restrictApps/,
      ],
      [
        'policy maxResultSize 2^64',
        () => owner.setPolicy({ protectedData: forSale, maxResultSize: 2n ** 64n }),
        /maxResultSize/,
      ],
      ['allowApps empty', () => owner.allowApps({ protectedData: forSale, apps: [] }), /apps/],
      [
        'allowUsers bad entry',
        () => owner.allowUsers({ protectedData: forSale, users: ['nobody' as never] }),
        /users\[0\]/,
      ],
      ['revokeUsers none', () => owner.revokeUsers({ protectedData: forSale } as never), /users/],
      ['getPolicy no params', () => owner.getPolicy(undefined as never), /parameters/],
    ];
    for (const [name, call, details] of bad) {
      const error = await expectError(call(), 'CONFIDE_DATAPROTECTOR_INVALID_PARAMETER');
      assert.match(error.message, details, name);
    }
    const bare = createDataProtector({
      ...world.chain.clientsOf(world.actors.datasetOwner),
      hub: world.addresses.hub,
      dataProtector: world.addresses.dataProtector,
      services: { storageUrl: NOWHERE, smsUrl: NOWHERE, marketUrl: NOWHERE, indexerUrl: NOWHERE },
    });
    await expectError(bare.createCollection(), 'CONFIDE_DATAPROTECTOR_SHARING_UNAVAILABLE');
    await expectError(bare.getCollection({ collectionId: 1 }), 'CONFIDE_DATAPROTECTOR_SHARING_UNAVAILABLE');
  });
});
