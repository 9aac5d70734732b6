import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  type Address,
  type Hex,
  type LocalAccount,
  parseEventLogs,
  sha256,
  type TransactionReceipt,
  toHex,
  zeroAddress,
} from 'viem';
import {
  computeTaskId,
  confideHubAbi,
  dataSharingClientAbi,
  datasetRegistryAbi,
  SharingMode,
  TAG_TEE,
} from '../../packages/protocol/src/index.js';
import { contribution, expectUnchanged, onSnapshot, STRANGER, strict } from './helpers/fixtures.js';
import {
  createApp,
  createDataset,
  deployWorld,
  expectRevert,
  type OrderOverrides,
  PRICES,
  TOKEN,
  type World,
} from './helpers/world.js';

const HOUR = 3600n;
const RENT = 5n * TOKEN;
const MONTH = 30n * 24n * HOUR;
const SUBSCRIPTION = 20n * TOKEN;
const SALE = 100n * TOKEN;
const TASK_PRICE = PRICES.app + PRICES.dataset + PRICES.workerpool;
/** Terms of a policy that restricts nothing. */
const NO_LIMITS = {
  restrictApps: false,
  restrictUsers: false,
  pricePerUse: 0n,
  maxUses: 0,
  expiry: 0,
  maxResultSize: 0n,
};

function sharingEvents(receipt: TransactionReceipt) {
  return parseEventLogs({ abi: dataSharingClientAbi, logs: receipt.logs });
}

describe('DataSharing: collections, rentals, subscriptions, sales, consumption', () => {
  let world: World;
  /** A second dataset of the owner, sold in the sale tests. */
  let forSale: Address;
  let collectionId: bigint;
  let owner: LocalAccount;
  let renter: LocalAccount;
  let subscriber: LocalAccount;
  let buyer: LocalAccount;

  before(async () => {
    world = await deployWorld();
    owner = world.actors.datasetOwner;
    renter = world.actors.requester;
    subscriber = world.actors.other;
    buyer = world.actors.sponsor;
    forSale = await createDataset(world, owner, 'second.csv');
    const o = world.as(owner);
    await world.mined(o.datasets.write.setApprovalForAll([world.addresses.dataSharing, true]));
    const created = await world.mined(o.sharing.write.createCollection([owner.address]));
    const [event] = parseEventLogs({ abi: dataSharingClientAbi, logs: created.logs, eventName: 'CollectionCreated' });
    assert.ok(event);
    collectionId = event.args.collectionId;
    await world.mined(o.sharing.write.addToCollection([collectionId, world.dataset]));
    await world.mined(o.sharing.write.addToCollection([collectionId, forSale]));
    // Each data use pays the owner's price per use through the deal.
    await world.mined(o.sharing.write.setPolicy([world.dataset, { ...NO_LIMITS, pricePerUse: PRICES.dataset }]));
    await world.mined(o.sharing.write.setProtectedDataToRenting([world.dataset, RENT, HOUR]));
    await world.mined(o.sharing.write.setSubscriptionParams([collectionId, SUBSCRIPTION, MONTH]));
    await world.mined(o.sharing.write.setProtectedDataForSale([forSale, SALE]));
    for (const payer of [renter, subscriber, buyer]) {
      await world.mined(world.as(payer).hub.write.approve([world.addresses.dataSharing, 1000n * TOKEN]));
    }
  });

  const balance = (a: Address) => world.hub.read.balanceOf([a]);

  /** The app, workerpool and request orders of a consumption of `dataset` by `consumer`, signed. */
  async function consumeArgs(consumer: LocalAccount, dataset: Address = world.dataset, o: OrderOverrides = {}) {
    const orders = await world.orders({
      ...o,
      request: { requester: consumer.address, beneficiary: consumer.address, dataset, ...o.request },
      signers: { request: consumer },
    });
    return [dataset, orders.app, orders.workerpool, orders.request] as const;
  }

  /** Consumes as `consumer` and returns the deal and the ProtectedDataConsumed event. */
  async function consume(consumer: LocalAccount, dataset: Address = world.dataset) {
    const receipt = await world.mined(
      world.as(consumer).sharing.write.consumeProtectedData(await consumeArgs(consumer, dataset)),
    );
    const [event] = parseEventLogs({
      abi: dataSharingClientAbi,
      logs: receipt.logs,
      eventName: 'ProtectedDataConsumed',
    });
    assert.ok(event, 'ProtectedDataConsumed is emitted');
    return event.args;
  }

  /** Runs the deal's task to completion on the TEE path. */
  async function complete(dealId: Hex) {
    await world.mined(world.as(world.actors.scheduler).hub.write.initialize([dealId, 0n]));
    const taskId = computeTaskId(dealId, 0n);
    await world.mined(await (await contribution(world, taskId)).send());
    return taskId;
  }

  it('collections: the data NFTs are held by the contract, the collection is an ERC-721 of its owner', async () => {
    const info = await world.hub.read.viewPolicy([world.dataset]);
    assert.equal(info.pricePerUse, PRICES.dataset, 'the collection owner set the policy through the contract');
    const sharing = world.as(owner).sharing;
    assert.equal(await world.as(owner).datasets.read.ownerOfAsset([world.dataset]), world.addresses.dataSharing);
    assert.equal(await sharing.read.ownerOf([collectionId]), owner.address);
    assert.deepEqual(await sharing.read.viewCollection([collectionId]), {
      owner: owner.address,
      size: 2,
      subscriptionPrice: SUBSCRIPTION,
      subscriptionDuration: Number(MONTH),
      subscribedUntil: 0,
    });
    assert.deepEqual(await sharing.read.viewProtectedData([world.dataset]), {
      collectionId,
      rentalPrice: RENT,
      rentalDuration: Number(HOUR),
      rentedUntil: 0,
      forSale: false,
      salePrice: 0n,
      pendingConsumptions: 0,
    });
    await onSnapshot(world, async () => {
      const removed = await world.mined(sharing.write.removeProtectedDataFromCollection([world.dataset]));
      assert.equal(await world.as(owner).datasets.read.ownerOfAsset([world.dataset]), owner.address);
      assert.deepEqual(
        sharingEvents(removed).map((e) => e.eventName),
        ['ProtectedDataRemovedFromCollection', 'Transfer'],
      );
      await expectRevert(
        strict(world, owner).sharing.write.removeCollection([collectionId]),
        'SharingCollectionNotEmpty',
        [collectionId, 1n],
      );
      await world.mined(sharing.write.removeProtectedDataFromCollection([forSale]));
      const burnt = await world.mined(sharing.write.removeCollection([collectionId]));
      assert.ok(sharingEvents(burnt).some((e) => e.eventName === 'CollectionRemoved'));
      await expectRevert(strict(world).sharing.read.viewCollection([collectionId]), 'SharingCollectionUnknown', [
        collectionId,
      ]);
    });
  });

  it('key rotation of held data: its collection owner points it at the new ciphertext through the contract', async () => {
    const multiaddr = toHex('/ipfs/bafyrotated');
    const checksum = sha256(toHex('rotated ciphertext'));
    await onSnapshot(world, async () => {
      const receipt = await world.mined(
        world.as(owner).sharing.write.updateProtectedData([world.dataset, multiaddr, checksum]),
      );
      const events = parseEventLogs({ abi: datasetRegistryAbi, logs: receipt.logs, eventName: 'DatasetUpdated' });
      assert.deepEqual(
        events.map((e) => e.args),
        [{ dataset: world.dataset, multiaddr, checksum }],
      );
      const view = await world.as(owner).datasets.read.viewDataset([world.dataset]);
      assert.deepEqual([view.owner, view.multiaddr, view.checksum], [world.addresses.dataSharing, multiaddr, checksum]);
      await expectRevert(
        strict(world, owner).datasets.write.updateDataset([world.dataset, multiaddr, sha256(toHex('again'))]),
        'RegistryNotAssetOwner',
        [world.dataset, owner.address, world.addresses.dataSharing],
      );
    });
  });

  it('rental: paid from escrow to the owner, consumed twice, refused once expired before any money moves', async () => {
    await onSnapshot(world, async () => {
      const [renterBefore, ownerBefore] = [await balance(renter.address), await balance(owner.address)];
      const rented = await world.mined(world.as(renter).sharing.write.rentProtectedData([world.dataset, RENT, HOUR]));
      const now = await world.chain.now();
      const [rental] = parseEventLogs({ abi: dataSharingClientAbi, logs: rented.logs, eventName: 'NewRental' });
      assert.deepEqual(rental?.args, {
        collectionId,
        dataset: world.dataset,
        renter: renter.address,
        endDate: Number(now + HOUR),
        price: RENT,
      });
      assert.equal(await balance(owner.address), ownerBefore + RENT, 'the owner earned the rent');
      assert.equal(await world.hub.read.allowance([renter.address, world.addresses.dataSharing]), 995n * TOKEN);

      const first = await consume(renter);
      assert.equal(first.mode, SharingMode.Rental);
      assert.equal(first.price, PRICES.dataset);
      const deal = await world.hub.read.viewDeal([first.dealId]);
      assert.equal(deal.requester, renter.address, 'the renter is the requester and pays the deal');
      assert.equal(deal.datasetPrice, PRICES.dataset, "the deal pays the owner's price per use");
      await expectRevert(strict(world).sharing.write.settleConsumption([first.dealId]), 'SharingTaskNotFinished', [
        computeTaskId(first.dealId, 0n),
        0,
      ]);
      await complete(first.dealId);
      const ownerBeforeSettle = await balance(owner.address);
      const settled = await world.mined(world.as(world.actors.other).sharing.write.settleConsumption([first.dealId]));
      const [event] = parseEventLogs({
        abi: dataSharingClientAbi,
        logs: settled.logs,
        eventName: 'ConsumptionSettled',
      });
      assert.deepEqual(event?.args, {
        dealId: first.dealId,
        dataset: world.dataset,
        payee: owner.address,
        amount: PRICES.dataset,
      });
      assert.equal(
        await balance(owner.address),
        ownerBeforeSettle + PRICES.dataset,
        'the per-use price reached the owner',
      );
      assert.equal(await balance(world.addresses.dataSharing), 0n, 'the contract keeps nothing');
      await expectRevert(strict(world).sharing.write.settleConsumption([first.dealId]), 'SharingConsumptionUnknown', [
        first.dealId,
      ]);

      const second = await consume(renter);
      await complete(second.dealId);
      await world.mined(world.as(renter).sharing.write.settleConsumption([second.dealId]));
      assert.equal(await balance(renter.address), renterBefore - RENT - 2n * TASK_PRICE, "the renter's exact cost");
      assert.equal(
        await balance(owner.address),
        ownerBefore + RENT + 2n * PRICES.dataset,
        "the owner's exact earnings",
      );

      await world.chain.increaseTime(HOUR);
      const args = await consumeArgs(renter);
      await expectUnchanged(world, [renter.address, owner.address], () =>
        expectRevert(strict(world, renter).sharing.write.consumeProtectedData(args), 'SharingNoAccess', [
          world.dataset,
          renter.address,
        ]),
      );
    });
  });

  it('rental: renting again extends the running rental; a failed task is settled with nothing paid', async () => {
    await onSnapshot(world, async () => {
      const sharing = world.as(renter).sharing;
      await world.mined(sharing.write.rentProtectedData([world.dataset, RENT, HOUR]));
      const end = await sharing.read.rentalEnd([world.dataset, renter.address]);
      await world.mined(sharing.write.rentProtectedData([world.dataset, RENT, HOUR]));
      assert.equal(await sharing.read.rentalEnd([world.dataset, renter.address]), end + HOUR);

      const renterBefore = await balance(renter.address);
      const { dealId } = await consume(renter);
      const taskId = computeTaskId(dealId, 0n);
      assert.equal((await world.hub.read.viewTask([taskId])).status, 0);
      const deal = await world.hub.read.viewDeal([dealId]);
      const finalDeadline = BigInt(deal.startTime) + 10n * BigInt(deal.timeref);
      await world.chain.increaseTime(finalDeadline - (await world.chain.now()));
      await world.mined(world.as(renter).hub.write.initializeAndClaimArray([[dealId], [0n]]));
      const settled = await world.mined(sharing.write.settleConsumption([dealId]));
      const [event] = parseEventLogs({
        abi: dataSharingClientAbi,
        logs: settled.logs,
        eventName: 'ConsumptionSettled',
      });
      assert.deepEqual(event?.args, { dealId, dataset: world.dataset, payee: zeroAddress, amount: 0n });
      assert.equal(await balance(renter.address), renterBefore, 'the renter was refunded in full');
      assert.equal((await sharing.read.viewProtectedData([world.dataset])).pendingConsumptions, 0);
    });
  });

  it('subscription: one payment opens every data of the collection until the period ends', async () => {
    await onSnapshot(world, async () => {
      const ownerBefore = await balance(owner.address);
      const sharing = world.as(subscriber).sharing;
      const receipt = await world.mined(sharing.write.subscribeToCollection([collectionId, SUBSCRIPTION, MONTH]));
      const [event] = parseEventLogs({ abi: dataSharingClientAbi, logs: receipt.logs, eventName: 'NewSubscription' });
      const end = (await world.chain.now()) + MONTH;
      assert.deepEqual(event?.args, {
        collectionId,
        subscriber: subscriber.address,
        endDate: Number(end),
        price: SUBSCRIPTION,
      });
      assert.equal(await balance(owner.address), ownerBefore + SUBSCRIPTION);
      const consumed = await consume(subscriber);
      assert.equal(consumed.mode, SharingMode.Subscription);
      // The second data of the collection, never rented, is open to the subscriber too.
      const other = await consume(subscriber, forSale);
      assert.equal(other.price, 0n, 'no policy price on it: nothing to settle');
      assert.deepEqual(await sharing.read.viewConsumption([other.dealId]), { dataset: zeroAddress, price: 0n });
      await world.chain.increaseTime(MONTH);
      await expectRevert(
        strict(world, subscriber).sharing.write.consumeProtectedData(await consumeArgs(subscriber)),
        'SharingNoAccess',
        [world.dataset, subscriber.address],
      );
    });
  });

  it('sale: payment and ownership pass together; the buyer owns the data everywhere', async () => {
    await onSnapshot(world, async () => {
      const [ownerBefore, buyerBefore] = [await balance(owner.address), await balance(buyer.address)];
      const receipt = await world.mined(world.as(buyer).sharing.write.buyProtectedData([forSale, SALE]));
      const [sold] = parseEventLogs({ abi: dataSharingClientAbi, logs: receipt.logs, eventName: 'ProtectedDataSold' });
      assert.deepEqual(sold?.args, {
        collectionId,
        dataset: forSale,
        seller: owner.address,
        buyer: buyer.address,
        price: SALE,
      });
      assert.equal(await world.as(buyer).datasets.read.ownerOfAsset([forSale]), buyer.address);
      assert.equal(await balance(owner.address), ownerBefore + SALE);
      assert.equal(await balance(buyer.address), buyerBefore - SALE);
      // Earnings are escrow balance like any other: the seller withdraws them to its wallet.
      const wallet = await world.as(owner).token.read.balanceOf([owner.address]);
      await world.mined(world.as(owner).hub.write.withdraw([SALE]));
      assert.equal(await world.as(owner).token.read.balanceOf([owner.address]), wallet + SALE);
      assert.equal((await world.as(buyer).sharing.read.viewCollection([collectionId])).size, 1);
      assert.equal((await world.as(buyer).sharing.read.viewProtectedData([forSale])).collectionId, 0n);
      // The new owner manages the policy; the seller no longer can.
      await world.mined(world.as(buyer).hub.write.setPolicy([forSale, { ...NO_LIMITS, maxUses: 1 }]));
      await expectRevert(strict(world, buyer).sharing.write.buyProtectedData([forSale, SALE]), 'SharingNotForSale', [
        forSale,
      ]);
    });
  });

  it('error: a sale the buyer cannot pay leaves the data with the seller', async () => {
    await onSnapshot(world, async () => {
      await world.mined(world.as(buyer).hub.write.approve([world.addresses.dataSharing, SALE - 1n]));
      await expectRevert(
        strict(world, buyer).sharing.write.buyProtectedData([forSale, SALE]),
        'EscrowInsufficientAllowance',
        [buyer.address, world.addresses.dataSharing, SALE - 1n, SALE],
      );
      assert.equal(await world.as(buyer).datasets.read.ownerOfAsset([forSale]), world.addresses.dataSharing);
    });
  });

  it('the owner policy binds consumption: an app off the allow-list is refused by the hub', async () => {
    await onSnapshot(world, async () => {
      const o = world.as(owner).sharing;
      await world.mined(o.write.setPolicy([world.dataset, { ...NO_LIMITS, restrictApps: true }]));
      await world.mined(world.as(renter).sharing.write.rentProtectedData([world.dataset, RENT, HOUR]));
      const otherApp = await createApp(world, world.actors.appOwner, 'not-allowed');
      await expectRevert(
        strict(world, renter).sharing.write.consumeProtectedData(
          await consumeArgs(renter, world.dataset, { app: { app: otherApp } }),
        ),
        'PolicyAppNotAllowed',
        [world.dataset, otherApp],
      );
      await world.mined(o.write.allowApps([world.dataset, [world.app]]));
      await consume(renter);
      assert.equal((await world.hub.read.viewPolicy([world.dataset])).uses, 1);
    });
  });

  it('error: a user the policy refuses cannot rent (PolicyUserNotAllowed), nor rent expired data (PolicyExpired)', async () => {
    await onSnapshot(world, async () => {
      const o = world.as(owner).sharing;
      await world.mined(o.write.setPolicy([world.dataset, { ...NO_LIMITS, restrictUsers: true }]));
      const rent = () => strict(world, renter).sharing.write.rentProtectedData([world.dataset, RENT, HOUR]);
      await expectUnchanged(world, [renter.address, owner.address], () =>
        expectRevert(rent(), 'PolicyUserNotAllowed', [world.dataset, renter.address]),
      );
      await world.mined(o.write.allowUsers([world.dataset, [renter.address]]));
      const expiry = Number(await world.chain.now()) + 10;
      await world.mined(o.write.setPolicy([world.dataset, { ...NO_LIMITS, restrictUsers: true, expiry }]));
      await world.chain.increaseTime(10);
      await expectRevert(rent(), 'PolicyExpired', [world.dataset, BigInt(expiry)]);
      await world.mined(o.write.revokeUsers([world.dataset, [renter.address]]));
      assert.equal(await world.hub.read.isUserAllowed([world.dataset, renter.address]), false);
    });
  });

  it('held data has no other valid dataset order: only the consumption in progress is signed', async () => {
    const sharing = strict(world).sharing;
    const orders = await world.orders({ signers: { dataset: owner } });
    await expectRevert(
      strict(world, renter).hub.write.matchOrders([orders.app, orders.dataset, orders.workerpool, orders.request]),
      'MatchInvalidSignature',
    );
    const hash = await world.hub.read.hashDatasetOrder([orders.dataset]);
    assert.equal(await sharing.read.isValidSignature([hash, '0x']), '0xffffffff');
  });

  it('error: only the collection owner manages the collection and its data', async () => {
    const s = strict(world, subscriber).sharing;
    const refused = [collectionId, subscriber.address, owner.address] as const;
    await expectRevert(
      s.write.setProtectedDataToRenting([world.dataset, RENT, HOUR]),
      'SharingNotCollectionOwner',
      refused,
    );
    await expectRevert(s.write.removeProtectedDataFromRenting([world.dataset]), 'SharingNotCollectionOwner', refused);
    await expectRevert(s.write.setProtectedDataForSale([world.dataset, 1n]), 'SharingNotCollectionOwner', refused);
    await expectRevert(s.write.removeProtectedDataForSale([forSale]), 'SharingNotCollectionOwner', refused);
    await expectRevert(s.write.setSubscriptionParams([collectionId, 1n, 1n]), 'SharingNotCollectionOwner', refused);
    await expectRevert(
      s.write.removeProtectedDataFromCollection([world.dataset]),
      'SharingNotCollectionOwner',
      refused,
    );
    await expectRevert(s.write.removeCollection([collectionId]), 'SharingNotCollectionOwner', refused);
    await expectRevert(
      s.write.updateProtectedData([world.dataset, toHex('/ipfs/bafyrotated'), sha256(toHex('rotated'))]),
      'SharingNotCollectionOwner',
      refused,
    );
    await expectRevert(s.write.addToCollection([collectionId, world.dataset]), 'SharingNotCollectionOwner', refused);
    await expectRevert(s.write.setPolicy([world.dataset, NO_LIMITS]), 'SharingNotCollectionOwner', refused);
    await expectRevert(s.write.allowApps([world.dataset, [world.app]]), 'SharingNotCollectionOwner', refused);
    await expectRevert(s.write.allowUsers([world.dataset, [subscriber.address]]), 'SharingNotCollectionOwner', refused);
    await expectRevert(
      s.write.revokeUsers([world.dataset, [subscriber.address]]),
      'SharingNotCollectionOwner',
      refused,
    );
    await expectRevert(s.write.addToCollection([99n, world.dataset]), 'SharingCollectionUnknown', [99n]);
    await expectRevert(s.write.setPolicy([STRANGER, NO_LIMITS]), 'SharingNotInCollection', [STRANGER]);
    // A collection of one's own does not let one add somebody else's data.
    await onSnapshot(world, async () => {
      await world.mined(world.as(subscriber).sharing.write.createCollection([subscriber.address]));
      const theirs = collectionId + 1n;
      const mine = await createDataset(world, world.actors.appOwner, 'not-theirs.csv');
      await expectRevert(s.write.addToCollection([theirs, mine]), 'SharingNotDataOwner', [
        mine,
        subscriber.address,
        world.actors.appOwner.address,
      ]);
    });
  });

  it('error: terms, offers and durations are checked by name', async () => {
    const s = strict(world, renter).sharing;
    await expectRevert(s.write.rentProtectedData([world.dataset, RENT - 1n, HOUR]), 'SharingTermsChanged', [
      RENT - 1n,
      HOUR,
      RENT,
      HOUR,
    ]);
    await expectRevert(s.write.rentProtectedData([forSale, RENT, HOUR]), 'SharingNotForRent', [forSale]);
    await expectRevert(s.write.subscribeToCollection([collectionId, SUBSCRIPTION, HOUR]), 'SharingTermsChanged', [
      SUBSCRIPTION,
      HOUR,
      SUBSCRIPTION,
      MONTH,
    ]);
    await expectRevert(s.write.subscribeToCollection([99n, 0n, HOUR]), 'SharingNotForSubscription', [99n]);
    await expectRevert(s.write.buyProtectedData([forSale, SALE + 1n]), 'SharingTermsChanged', [
      SALE + 1n,
      0n,
      SALE,
      0n,
    ]);
    await expectRevert(s.write.buyProtectedData([world.dataset, 0n]), 'SharingNotForSale', [world.dataset]);
    const o = strict(world, owner).sharing;
    await expectRevert(o.write.setProtectedDataToRenting([world.dataset, RENT, 0n]), 'SharingInvalidDuration', [0n]);
    await expectRevert(o.write.setProtectedDataToRenting([world.dataset, 2n ** 96n, HOUR]), 'SharingPriceTooLarge', [
      2n ** 96n,
    ]);
    await expectRevert(o.write.setSubscriptionParams([collectionId, 1n, 2n ** 40n]), 'SharingInvalidDuration', [
      2n ** 40n,
    ]);
    const args = await consumeArgs(renter);
    await expectRevert(strict(world, subscriber).sharing.write.consumeProtectedData(args), 'SharingNotRequester', [
      renter.address,
      subscriber.address,
    ]);
    await expectRevert(s.write.consumeProtectedData(args), 'SharingNoAccess', [world.dataset, renter.address]);
    await expectRevert(s.write.consumeProtectedData([STRANGER, args[1], args[2], args[3]]), 'SharingNotInCollection', [
      STRANGER,
    ]);
  });

  it('error: data in use cannot leave: running rental or subscription (SharingDataInUse), unsettled use (SharingPendingConsumptions)', async () => {
    await onSnapshot(world, async () => {
      await world.mined(world.as(renter).sharing.write.rentProtectedData([world.dataset, RENT, HOUR]));
      const until = await world.as(renter).sharing.read.rentalEnd([world.dataset, renter.address]);
      const o = strict(world, owner).sharing;
      await expectRevert(o.write.removeProtectedDataFromCollection([world.dataset]), 'SharingDataInUse', [
        world.dataset,
        until,
      ]);
      const { dealId } = await consume(renter);
      await complete(dealId);
      await world.chain.increaseTime(HOUR);
      await expectRevert(o.write.removeProtectedDataFromCollection([world.dataset]), 'SharingPendingConsumptions', [
        world.dataset,
        1n,
      ]);
      await world.mined(world.as(owner).sharing.write.settleConsumption([dealId]));
      await world.mined(world.as(owner).sharing.write.removeProtectedDataFromCollection([world.dataset]));
      // A subscription to the collection holds its other data.
      await world.mined(world.as(subscriber).sharing.write.subscribeToCollection([collectionId, SUBSCRIPTION, MONTH]));
      const end = await world.as(owner).sharing.read.subscriptionEnd([collectionId, subscriber.address]);
      await expectRevert(strict(world, buyer).sharing.write.buyProtectedData([forSale, SALE]), 'SharingDataInUse', [
        forSale,
        end,
      ]);
    });
  });

  it('offers can be withdrawn, with events', async () => {
    await onSnapshot(world, async () => {
      const o = world.as(owner).sharing;
      const a = await world.mined(o.write.removeProtectedDataFromRenting([world.dataset]));
      const b = await world.mined(o.write.removeProtectedDataForSale([forSale]));
      const c = await world.mined(o.write.setSubscriptionParams([collectionId, 0n, 0n]));
      assert.deepEqual(
        [...sharingEvents(a), ...sharingEvents(b), ...sharingEvents(c)].map((e) => e.eventName),
        ['ProtectedDataRemovedFromRenting', 'ProtectedDataRemovedFromSale', 'NewSubscriptionParams'],
      );
      const s = strict(world, renter).sharing;
      await expectRevert(s.write.rentProtectedData([world.dataset, 0n, 0n]), 'SharingNotForRent', [world.dataset]);
      await expectRevert(s.write.buyProtectedData([forSale, 0n]), 'SharingNotForSale', [forSale]);
      await expectRevert(s.write.subscribeToCollection([collectionId, 0n, 0n]), 'SharingNotForSubscription', [
        collectionId,
      ]);
    });
  });

  it('consumption orders are TEE, volume 1, restricted to the consumer, app and workerpool', async () => {
    await onSnapshot(world, async () => {
      await world.mined(world.as(renter).sharing.write.rentProtectedData([world.dataset, RENT, HOUR]));
      const args = await consumeArgs(renter, world.dataset, { request: { volume: 5n } });
      const receipt = await world.mined(world.as(renter).sharing.write.consumeProtectedData(args));
      const [matched] = parseEventLogs({ abi: confideHubAbi, logs: receipt.logs, eventName: 'OrdersMatched' });
      assert.equal(matched?.args.volume, 1n);
      const deal = await world.hub.read.viewDeal([matched?.args.dealId as Hex]);
      assert.equal(deal.app, world.app);
      assert.equal(deal.workerpool, world.workerpool);
      assert.equal(BigInt(deal.tag) & BigInt(TAG_TEE), 1n);
    });
  });
});
