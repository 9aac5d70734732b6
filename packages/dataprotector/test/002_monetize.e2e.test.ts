import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { type Address, type Hex, parseUnits } from 'viem';
import { nonceManager, privateKeyToAccount } from 'viem/accounts';
import { computeClimateStats } from '../../../apps/climate-stats-data/reference.mjs';
import { offerApp } from '../../cli/src/stack/publishApp.js';
import { encodeDatasetKey, generateDatasetKey } from '../../crypto/src/index.js';
import { confideHubAbi, confideTokenAbi, datasetRegistryAbi } from '../../protocol/src/index.js';
import { pushSecret, SmsPushError } from '../../sms/src/client/pushSecret.js';
import { escrowOf } from '../../workerpool/test/marketplace.js';
import { type Network, startNetwork } from '../../workerpool/test/network.js';
import { type DataProtector, DataProtectorError } from '../src/index.js';
import { dataProtectorOn } from './dataProtectorOn.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const TOKEN = parseUnits('1', 9);
const PRICE = { app: 2n * TOKEN, dataset: TOKEN, workerpool: 3n * TOKEN };
const TASK = PRICE.app + PRICE.dataset + PRICE.workerpool;
const HOUR = 3600;
const MONTH = 30 * 24 * HOUR;
const RENT = 5n * TOKEN;
const SUBSCRIPTION = 20n * TOKEN;
const SALE = 100n * TOKEN;

type Actor = ReturnType<typeof privateKeyToAccount>;
let net: Network;
const opened: DataProtector[] = [];

function dataProtectorOf(account: Actor): DataProtector {
  const dp = dataProtectorOn(net, account);
  opened.push(dp);
  return dp;
}

/** A devnet account with no role in the stack, given an escrow deposit of `amount`. */
async function newcomer(index: number, amount: bigint): Promise<Actor> {
  const key = net.devnet.accounts[index]?.privateKey;
  assert.ok(key, `the devnet has an account #${index}`);
  const account = privateKeyToAccount(key, { nonceManager });
  const { wallet, publicClient } = net.clients(account);
  const mined = async (hash: Hex) =>
    assert.equal((await publicClient.waitForTransactionReceipt({ hash })).status, 'success');
  await mined(
    await wallet.writeContract({
      address: net.devnet.addresses.token,
      abi: confideTokenAbi,
      functionName: 'approve',
      args: [net.hub, amount],
    }),
  );
  await mined(
    await wallet.writeContract({ address: net.hub, abi: confideHubAbi, functionName: 'deposit', args: [amount] }),
  );
  return account;
}

/** Whether the SMS lets `account` push the key of `dataset`: `accepted`, or the SMS's refusal code. */
async function smsOwnership(account: Actor, dataset: Address): Promise<string> {
  try {
    await pushSecret({
      smsUrl: net.sms.url,
      chainId: net.devnet.chainId,
      account,
      target: { kind: 'dataset-key', dataset },
      value: encodeDatasetKey(generateDatasetKey()),
    });
    return 'accepted';
  } catch (error) {
    if (!(error instanceof SmsPushError)) throw error;
    // The key exists (pushed at protectData): refused after the ownership check passed.
    return error.code === 'SMS_SECRET_EXISTS' ? 'accepted' : error.code;
  }
}

describe('002 DataProtector monetization: collections, rental, subscription, sale, consumption, settlement', () => {
  before(async () => {
    net = await startNetwork({ workers: 1, workerpoolPrice: PRICE.workerpool });
  });
  after(async () => {
    for (const dp of opened) await dp.close();
    await net?.stop();
  });

  it('rent and consume twice, refused once expired, subscribe and consume, buy, settle: every balance exact', async () => {
    const { appOwner, dataOwner, requester, scheduler } = net.roles;
    const [worker] = net.roles.workers;
    assert.ok(worker);
    const labB = await newcomer(7, 1000n * TOKEN);
    const buyerAccount = await newcomer(8, 1000n * TOKEN);
    const scientist = dataProtectorOf(dataOwner);
    const labA = dataProtectorOf(requester);
    const lab2 = dataProtectorOf(labB);
    const buyer = dataProtectorOf(buyerAccount);
    const { publicClient } = net.clients(requester);
    const sharing = net.devnet.addresses.dataSharing;

    const { app } = await offerApp(net, {
      folder: path.join(ROOT, 'apps/climate-stats'),
      name: 'climate-stats',
      price: PRICE.app,
      volume: 1000n,
    });
    // The scientist protects the climate data and a second data set, then shares them: the first in
    // a collection for rent (1 hour) and by subscription (a month), the second in another one for sale.
    const csv = await readFile(path.join(ROOT, 'apps/climate-stats-data/air-quality.csv'));
    const climate = await scientist.protectData({ data: { csv }, name: 'Air quality 2024' });
    const second = await scientist.protectData({ data: { csv: csv.subarray(0, 400) }, name: 'Air quality, sample' });
    const { collectionId } = await scientist.createCollection();
    await scientist.addToCollection({ protectedData: climate.address, collectionId });
    await scientist.setPolicy({ protectedData: climate.address, pricePerUse: PRICE.dataset });
    await scientist.setProtectedDataToRenting({ protectedData: climate.address, price: RENT, duration: HOUR });
    await scientist.setSubscriptionParams({ collectionId, price: SUBSCRIPTION, duration: MONTH });
    const { collectionId: shop } = await scientist.createCollection();
    await scientist.addToCollection({ protectedData: second.address, collectionId: shop });
    await scientist.setProtectedDataForSale({ protectedData: second.address, price: SALE });
    assert.deepEqual(await labA.getProtectedDataPricingParams({ protectedData: climate.address }), {
      protectedData: climate.address,
      isInCollection: true,
      collectionId,
      isRentable: true,
      rentingParams: { price: RENT, duration: HOUR },
      rentedUntil: 0,
      isForSale: false,
      salePrice: 0n,
      pendingConsumptions: 0,
    });
    // DataSharing holds the data; the SMS sees the collection's owner as its owner.
    assert.equal(await smsOwnership(dataOwner, second.address), 'accepted');
    assert.equal(await smsOwnership(buyerAccount, second.address), 'SMS_NOT_OWNER');

    const parties: Address[] = [
      requester.address,
      labB.address,
      buyerAccount.address,
      dataOwner.address,
      appOwner.address,
      scheduler.address,
      worker.address,
      sharing,
    ];
    const total = async (a: Address) => {
      const e = await escrowOf(net, a);
      return e.balance + e.frozen;
    };
    const before0 = await Promise.all(parties.map(total));
    const expected = `${JSON.stringify(computeClimateStats(csv.toString('utf8')), null, 2)}\n`;
    const consume = (dp: DataProtector) =>
      dp.consumeProtectedData({
        protectedData: climate.address,
        app,
        dataMaxPrice: PRICE.dataset,
        appMaxPrice: PRICE.app,
        workerpoolMaxPrice: PRICE.workerpool,
        path: 'result.json',
      });

    // Lab A rents for an hour and runs climate-stats twice.
    const rental = await labA.rentProtectedData({ protectedData: climate.address, price: RENT, duration: HOUR });
    const deals: Hex[] = [];
    for (let run = 0; run < 2; run++) {
      const { dealId, result } = await consume(labA);
      assert.equal(Buffer.from(result as Uint8Array).toString('utf8'), expected);
      deals.push(dealId);
    }

    // The hour passes on chain: a third run is refused before any money moves.
    await publicClient.request({ method: 'evm_increaseTime' as never, params: [HOUR + 1] as never });
    await publicClient.request({ method: 'evm_mine' as never });
    assert.ok(Number((await publicClient.getBlock()).timestamp) > rental.endDate);
    const beforeRefusal = await Promise.all(parties.map(total));
    await assert.rejects(consume(labA), (error: unknown) => {
      assert.ok(error instanceof DataProtectorError);
      assert.equal(error.code, 'CONFIDE_DATAPROTECTOR_SHARING_REFUSED');
      assert.deepEqual(error.revert, { name: 'SharingNoAccess', args: [climate.address, requester.address] });
      return true;
    });
    assert.deepEqual(await Promise.all(parties.map(total)), beforeRefusal, 'no money moved');

    // Lab B subscribes to the collection and runs it once (the worker still runs after the time jump).
    await lab2.subscribeToCollection({ collectionId, price: SUBSCRIPTION, duration: MONTH });
    const subscribed = await consume(lab2);
    assert.equal(Buffer.from(subscribed.result as Uint8Array).toString('utf8'), expected);
    deals.push(subscribed.dealId);

    // The scientist rotates the key of the data its collection holds (through DataSharing); the
    // subscriber's next run reads the new ciphertext with the new key.
    const rotated = await scientist.rotateKey({ protectedData: climate.address });
    assert.equal(rotated.address, climate.address);
    const afterRotation = await consume(lab2);
    assert.equal(Buffer.from(afterRotation.result as Uint8Array).toString('utf8'), expected);
    deals.push(afterRotation.dealId);

    // A buyer buys the second data set: its owner on chain and in the SMS.
    await buyer.buyProtectedData({ protectedData: second.address, price: SALE });
    const owner = await publicClient.readContract({
      address: net.devnet.addresses.datasetRegistry,
      abi: datasetRegistryAbi,
      functionName: 'ownerOfAsset',
      args: [second.address],
    });
    assert.equal(owner, buyerAccount.address);
    assert.equal(await smsOwnership(buyerAccount, second.address), 'accepted');
    assert.equal(await smsOwnership(dataOwner, second.address), 'SMS_NOT_OWNER');

    // Settlement pays the scientist each run's price per use (anyone may settle).
    for (const dealId of deals) {
      const settled = await lab2.settleConsumption({ dealId });
      assert.deepEqual([settled.payee, settled.amount], [dataOwner.address, PRICE.dataset]);
    }
    assert.equal(
      (await scientist.getProtectedDataPricingParams({ protectedData: climate.address })).pendingConsumptions,
      0,
    );

    // Every escrow balance, exact to the unit.
    const deal = await publicClient.readContract({
      address: net.hub,
      abi: confideHubAbi,
      functionName: 'viewDeal',
      args: [deals[0] as Hex],
    });
    const schedulerReward = (PRICE.workerpool * BigInt(deal.schedulerRewardRatio)) / 100n;
    const after0 = await Promise.all(parties.map(total));
    assert.deepEqual(
      after0.map((v, i) => v - (before0[i] ?? 0n)),
      [
        -RENT - 2n * TASK,
        -SUBSCRIPTION - 2n * TASK,
        -SALE,
        RENT + SUBSCRIPTION + SALE + 4n * PRICE.dataset,
        4n * PRICE.app,
        4n * schedulerReward,
        4n * (PRICE.workerpool - schedulerReward),
        0n,
      ],
    );
    // The indexer shows the same story. It follows the chain a little behind: poll (with a deadline)
    // until it has the last settlement, then read everything else from it.
    const earned = { rentals: RENT, subscriptions: SUBSCRIPTION, sales: SALE, consumptions: 4n * PRICE.dataset };
    const deadline = Date.now() + 30_000;
    let earnings = await scientist.getEarnings({ account: dataOwner.address });
    while (earnings.consumptions !== earned.consumptions) {
      assert.ok(Date.now() < deadline, `the indexer shows consumptions ${earnings.consumptions}`);
      await setTimeout(200);
      earnings = await scientist.getEarnings({ account: dataOwner.address });
    }
    assert.deepEqual(earnings, { ...earned, total: RENT + SUBSCRIPTION + SALE + 4n * PRICE.dataset });
    const { collections } = await labA.getCollectionsByOwner({ owner: dataOwner.address });
    const byId = new Map(collections.map((c) => [c.collectionId, c]));
    assert.deepEqual(byId.get(BigInt(collectionId))?.protectedData, [climate.address]);
    assert.deepEqual(byId.get(BigInt(collectionId))?.subscriptionParams, { price: SUBSCRIPTION, duration: MONTH });
    assert.deepEqual(byId.get(BigInt(shop))?.protectedData, [], 'the sold data left its collection');
    const { rentals } = await labA.getRentals({ protectedData: climate.address, includePastRentals: true });
    assert.deepEqual(
      rentals.map((r) => [r.renter, r.price, r.endDate, r.payee]),
      [[requester.address, RENT, rental.endDate, dataOwner.address]],
    );
    const { collectionSubscriptions } = await lab2.getCollectionSubscriptions({ collectionId });
    assert.deepEqual(
      collectionSubscriptions.map((s) => [s.subscriber, s.price, s.payee]),
      [[labB.address, SUBSCRIPTION, dataOwner.address]],
    );
    const { protectedDataInCollection } = await labA.getProtectedDataInCollections({ collectionId });
    assert.deepEqual(
      protectedDataInCollection.map((d) => [d.address, d.owner, d.effectiveOwner, d.rentalParams]),
      [[climate.address, sharing, dataOwner.address, { price: RENT, duration: HOUR }]],
    );
    const bought = await buyer.getProtectedData({ owner: buyerAccount.address });
    assert.deepEqual(
      bought.map((d) => d.address),
      [second.address],
      'the buyer owns the second data set in the indexer',
    );
  });
});
