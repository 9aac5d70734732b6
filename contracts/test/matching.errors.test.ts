import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  type Address,
  bytesToHex,
  getAddress,
  type Hex,
  hexToBytes,
  parseSignature,
  serializeCompactSignature,
  signatureToCompactSignature,
  size,
  slice,
  zeroAddress,
  zeroHash,
} from 'viem';
import {
  computeTaskId,
  hashOrder,
  type OrderKind,
  OrderOperation,
  signOrderOperation,
  TAG_TEE,
  tagFromBits,
  testERC734GroupAbi,
  testERC734GroupBytecode,
  testERC1271WalletAbi,
  testERC1271WalletBytecode,
} from '../../packages/protocol/src/index.js';
import {
  contribution,
  deploy,
  depositFor,
  expectUnchanged,
  hubEvents,
  Kind,
  MAX_UINT96,
  STRANGER,
  spareAccounts,
  strict,
} from './helpers/fixtures.js';
import {
  balances,
  deployWorld,
  expectRevert,
  match,
  matchArgs,
  type OrderOverrides,
  type OrderSet,
  PRICES,
  type World,
} from './helpers/world.js';

const TASK_PRICE = PRICES.app + PRICES.dataset + PRICES.workerpool;
const STAKE = (PRICES.workerpool * 30n) / 100n;
const KIND_NAME = { app: 'App', dataset: 'Dataset', workerpool: 'Workerpool', request: 'Request' } as const;

describe('ConfideHub#matchOrders', () => {
  let world: World;
  let parties: Address[];
  before(async () => {
    world = await deployWorld();
    const { requester, scheduler, appOwner, datasetOwner, sponsor } = world.actors;
    parties = [requester.address, scheduler.address, appOwner.address, datasetOwner.address, sponsor.address];
  });

  /** Matching `overrides` fails with `name(args)` and moves no funds. */
  async function rejects(overrides: OrderOverrides, name: string, args: (o: OrderSet) => readonly unknown[]) {
    const orders = await world.orders(overrides);
    await expectUnchanged(world, parties, () =>
      expectRevert(strict(world, world.actors.requester).hub.write.matchOrders(matchArgs(orders)), name, args(orders)),
    );
    return orders;
  }

  const hashOf = (o: OrderSet, kind: OrderKind): Hex => {
    const domain = world.domain;
    if (kind === 'AppOrder') return hashOrder({ domain, kind, order: o.app });
    if (kind === 'DatasetOrder') return hashOrder({ domain, kind, order: o.dataset });
    if (kind === 'WorkerpoolOrder') return hashOrder({ domain, kind, order: o.workerpool });
    return hashOrder({ domain, kind, order: o.request });
  };

  it('locks the requester payment and the scheduler stake for a valid deal', async () => {
    const { requester, scheduler } = world.actors;
    const before0 = await balances(world, [requester.address, scheduler.address]);
    const { dealId } = await match(world, await world.orders());
    const [[balance, frozen], [stake, locked]] = before0 as [[bigint, bigint], [bigint, bigint]];
    assert.deepEqual(await balances(world, [requester.address, scheduler.address]), [
      [balance - TASK_PRICE, frozen + TASK_PRICE],
      [stake - STAKE, locked + STAKE],
    ]);
    assert.equal((await world.hub.read.viewDeal([dealId])).sponsor, world.actors.requester.address);
  });

  it('error: request category differs from the workerpool category', async () => {
    await rejects({ request: { category: 1n } }, 'MatchCategoryMismatch', () => [1n, 0n]);
  });

  it('error: category 99 does not exist', async () => {
    await rejects({ request: { category: 99n }, workerpool: { category: 99n } }, 'CategoryUnknown', () => [99n, 5n]);
  });

  it('error: workerpool trust below the requested trust', async () => {
    await rejects({ request: { trust: 2n }, workerpool: { trust: 1n } }, 'MatchTrustTooLow', () => [2n, 1n]);
  });

  it('error: app price above the request maximum', async () => {
    const max = PRICES.app - 1n;
    await rejects({ request: { appmaxprice: max } }, 'MatchPriceTooHigh', () => [Kind.App, max, PRICES.app]);
  });

  it('error: dataset price above the request maximum', async () => {
    const max = PRICES.dataset - 1n;
    await rejects({ request: { datasetmaxprice: max } }, 'MatchPriceTooHigh', () => [
      Kind.Dataset,
      max,
      PRICES.dataset,
    ]);
  });

  it('error: workerpool price above the request maximum', async () => {
    const max = PRICES.workerpool - 1n;
    await rejects({ request: { workerpoolmaxprice: max } }, 'MatchPriceTooHigh', () => [
      Kind.Workerpool,
      max,
      PRICES.workerpool,
    ]);
  });

  it('error: the workerpool lacks a tag bit the request asks for', async () => {
    const requested = tagFromBits([0, 1]);
    await rejects({ request: { tag: requested } }, 'MatchTagNotCovered', () => [requested, TAG_TEE]);
  });

  it('ignores dataset framework bits 1-3 but not bit 4', async () => {
    await match(world, await world.orders({ dataset: { tag: tagFromBits([0, 1, 2, 3]) } }));
    const tag = tagFromBits([0, 4]);
    await rejects({ dataset: { tag } }, 'MatchTagNotCovered', () => [tag, TAG_TEE]);
  });

  it('error: a TEE request with an app order not tagged TEE', async () => {
    await rejects({ app: { tag: zeroHash } }, 'MatchAppNotTee', () => [zeroHash]);
  });

  it('error: the request names another app', async () => {
    await rejects({ request: { app: STRANGER } }, 'MatchAssetMismatch', () => [Kind.App, STRANGER, world.app]);
  });

  it('error: the request names another dataset', async () => {
    await rejects({ request: { dataset: STRANGER } }, 'MatchAssetMismatch', () => [
      Kind.Dataset,
      STRANGER,
      world.dataset,
    ]);
  });

  /** The ten restrictions: order, field, and which party the field restricts. */
  const restrictions = [
    ['request', 'workerpool', Kind.Workerpool],
    ['app', 'datasetrestrict', Kind.Dataset],
    ['app', 'workerpoolrestrict', Kind.Workerpool],
    ['app', 'requesterrestrict', Kind.Request],
    ['dataset', 'apprestrict', Kind.App],
    ['dataset', 'workerpoolrestrict', Kind.Workerpool],
    ['dataset', 'requesterrestrict', Kind.Request],
    ['workerpool', 'apprestrict', Kind.App],
    ['workerpool', 'datasetrestrict', Kind.Dataset],
    ['workerpool', 'requesterrestrict', Kind.Request],
  ] as const;
  for (const [key, field, restricted] of restrictions) {
    it(`error: ${key}.${field} excludes another party, and admits the party it names`, async () => {
      const restrictTo = (r: Address) => ({ [key]: { [field]: r } }) as OrderOverrides;
      const party = [world.app, world.dataset, world.workerpool, world.actors.requester.address][restricted];
      assert.ok(party);
      await rejects(restrictTo(STRANGER), 'MatchRestricted', () => [Kind[KIND_NAME[key]], restricted, STRANGER, party]);
      await match(world, await world.orders(restrictTo(party)));
    });
  }

  it('an ERC-734 group restriction admits a purpose-4 member and rejects others', async () => {
    const [member, outsider] = spareAccounts(world);
    for (const account of [member, outsider]) await depositFor(world, account.address, 10n * TASK_PRICE);
    const g = await deploy(world, testERC734GroupAbi, testERC734GroupBytecode);
    await world.mined(g.write.addKey([member.address, 4n]));
    await world.mined(g.write.addKey([outsider.address, 1n]));
    const asRequester = (account: typeof member): OrderOverrides => ({
      workerpool: { requesterrestrict: g.address },
      request: { requester: account.address, beneficiary: account.address },
      signers: { request: account },
    });
    await match(world, await world.orders(asRequester(member)), member);
    await rejects(asRequester(outsider), 'MatchRestricted', () => [
      Kind.Workerpool,
      Kind.Request,
      g.address,
      outsider.address,
    ]);
    // A contract that does not implement ERC-734 admits nobody (the hub itself, here).
    const hub = getAddress(world.addresses.hub);
    await rejects({ workerpool: { apprestrict: hub } }, 'MatchRestricted', () => [
      Kind.Workerpool,
      Kind.App,
      hub,
      world.app,
    ]);
  });

  const unregistered: [string, number, OrderOverrides][] = [
    ['app', Kind.App, { app: { app: STRANGER }, dataset: { apprestrict: STRANGER } }],
    ['dataset', Kind.Dataset, { dataset: { dataset: STRANGER } }],
    ['workerpool', Kind.Workerpool, { workerpool: { workerpool: STRANGER } }],
  ];
  for (const [label, kind, overrides] of unregistered) {
    it(`error: the ${label} is not registered`, async () => {
      await rejects(overrides, 'MatchAssetNotRegistered', () => [kind, STRANGER]);
    });
  }

  const signatures: [keyof OrderSet, OrderKind, number, (w: World) => Address][] = [
    ['app', 'AppOrder', Kind.App, (w) => w.actors.appOwner.address],
    ['dataset', 'DatasetOrder', Kind.Dataset, (w) => w.actors.datasetOwner.address],
    ['workerpool', 'WorkerpoolOrder', Kind.Workerpool, (w) => w.actors.scheduler.address],
    ['request', 'RequestOrder', Kind.Request, (w) => w.actors.requester.address],
  ];
  for (const [key, typeName, kind, signer] of signatures) {
    it(`error: ${key} order signed by someone else than its owner`, async () => {
      await rejects({ signers: { [key]: world.actors.other } }, 'MatchInvalidSignature', (o) => [
        kind,
        hashOf(o, typeName),
        signer(world),
      ]);
    });
  }

  it('error: a signature over other order fields (tampered price)', async () => {
    const orders = await world.orders();
    const tampered = { ...orders, app: { ...orders.app, appprice: PRICES.app - 1n } };
    await expectRevert(
      strict(world, world.actors.requester).hub.write.matchOrders(matchArgs(tampered)),
      'MatchInvalidSignature',
      [Kind.App, hashOf(tampered, 'AppOrder'), world.actors.appOwner.address],
    );
  });

  it('error: orders of volume 1 matched a second time', async () => {
    const orders = await world.orders();
    await match(world, orders);
    await expectUnchanged(world, parties, () =>
      expectRevert(
        strict(world, world.actors.requester).hub.write.matchOrders(matchArgs(orders)),
        'MatchVolumeExhausted',
        [0n, 0n, 0n, 0n],
      ),
    );
    const fresh = await world.orders();
    const reused = { ...orders, request: fresh.request };
    await expectRevert(
      strict(world, world.actors.requester).hub.write.matchOrders(matchArgs(reused)),
      'MatchVolumeExhausted',
      [0n, 0n, 0n, 1n],
    );
  });

  it('error: an app price that does not fit in 96 bits', async () => {
    const price = MAX_UINT96 + 1n;
    await rejects({ app: { appprice: price } }, 'MatchValueTooLarge', () => [price, MAX_UINT96]);
  });

  it('matches a deal without dataset, charging only app and workerpool', async () => {
    const [balance] = await world.hub.read.viewAccount([world.actors.requester.address]);
    const { dealId } = await match(world, await world.orders({ dataset: null }));
    const deal = await world.hub.read.viewDeal([dealId]);
    assert.equal(deal.dataset, zeroAddress);
    assert.equal(deal.datasetPrice, 0n);
    const [after] = await world.hub.read.viewAccount([world.actors.requester.address]);
    assert.equal(after, balance - PRICES.app - PRICES.workerpool);
  });

  it('without dataset, ignores the price of the unsigned all-zero dataset order (set by whoever matches)', async () => {
    const { requester, other } = world.actors;
    const o = await world.orders({ dataset: null, request: { datasetmaxprice: PRICES.dataset } });
    const forged: OrderSet = { ...o, dataset: { ...o.dataset, datasetprice: PRICES.dataset } };
    const before0 = await balances(world, [requester.address, zeroAddress]);
    const { dealId } = await match(world, forged, other);
    assert.equal((await world.hub.read.viewDeal([dealId])).datasetPrice, 0n);
    await world.mined(world.as(world.actors.scheduler).hub.write.initialize([dealId, 0n]));
    await world.mined((await contribution(world, computeTaskId(dealId, 0n))).send());
    const [[balance, frozen]] = before0 as [[bigint, bigint]];
    assert.deepEqual(await balances(world, [requester.address, zeroAddress]), [
      [balance - PRICES.app - PRICES.workerpool, frozen],
      [0n, 0n],
    ]);
  });

  it('viewDeal shows the requester as sponsor and beneficiary unless others were named', async () => {
    const { requester, other } = world.actors;
    const plain = await world.hub.read.viewDeal([(await match(world, await world.orders())).dealId]);
    assert.equal(plain.sponsor, requester.address);
    assert.equal(plain.beneficiary, requester.address);
    const named = await world.orders({
      request: { beneficiary: other.address, category: 1n },
      workerpool: { category: 1n },
    });
    const deal = await world.hub.read.viewDeal([(await match(world, named)).dealId]);
    assert.equal(deal.beneficiary, other.address);
    assert.equal(deal.category, 1);
    assert.equal(deal.workerStake, (PRICES.workerpool * 30n) / 100n, 'the default worker stake policy is 30 %');
  });

  it('without dataset, ignores the tag of the unsigned all-zero dataset order', async () => {
    const o = await world.orders({ dataset: null });
    const forged: OrderSet = { ...o, dataset: { ...o.dataset, tag: tagFromBits([0, 8]) } };
    const { dealId } = await match(world, forged, world.actors.other);
    assert.equal((await world.hub.read.viewDeal([dealId])).tag, 1n, 'only the TEE bit, from app and request');
  });

  it('error: a deal tag above bit 87 does not fit the packed deal', async () => {
    const tag = tagFromBits([0, 88]);
    await rejects({ request: { tag }, workerpool: { tag } }, 'MatchValueTooLarge', () => [
      BigInt(tag),
      (1n << 88n) - 1n,
    ]);
  });

  it('accepts an ERC-1271 contract requester, signed or presigned by its owner key', async () => {
    const { requester, other } = world.actors;
    const wallet = await deploy(world, testERC1271WalletAbi, testERC1271WalletBytecode, [requester.address]);
    await depositFor(world, wallet.address, 10n * TASK_PRICE);
    const as1271: OrderOverrides = { request: { requester: wallet.address } };

    const { dealId } = await match(world, await world.orders(as1271));
    assert.equal((await world.hub.read.viewDeal([dealId])).sponsor, wallet.address);
    assert.deepEqual(await world.hub.read.viewAccount([wallet.address]), [9n * TASK_PRICE, TASK_PRICE]);

    const orders = await world.orders(as1271);
    const hash = hashOf(orders, 'RequestOrder');
    const sign = await signOrderOperation({
      signer: requester,
      domain: world.domain,
      kind: 'RequestOrder',
      order: orders.request,
      operation: OrderOperation.Sign,
    });
    await world.mined(world.as(other).hub.write.manageRequestOrder([{ order: orders.request, operation: 0n, sign }]));
    assert.equal(await world.hub.read.viewPresigned([hash]), wallet.address);
    await match(world, { ...orders, request: { ...orders.request, sign: '0x' } });

    await rejects({ ...as1271, signers: { request: other } }, 'MatchInvalidSignature', (o) => [
      Kind.Request,
      hashOf(o, 'RequestOrder'),
      wallet.address,
    ]);
  });

  it('accepts 64-byte EIP-2098 compact signatures and rejects a flipped or truncated one', async () => {
    const compact = (sign: Hex) => serializeCompactSignature(signatureToCompactSignature(parseSignature(sign)));
    const o = await world.orders();
    const orders: OrderSet = {
      app: { ...o.app, sign: compact(o.app.sign) },
      dataset: { ...o.dataset, sign: compact(o.dataset.sign) },
      workerpool: { ...o.workerpool, sign: compact(o.workerpool.sign) },
      request: { ...o.request, sign: compact(o.request.sign) },
    };
    for (const order of Object.values(orders)) assert.equal(size(order.sign), 64);
    await match(world, orders);

    const next = await world.orders();
    const hash = hashOf(next, 'RequestOrder');
    const packed = hexToBytes(compact(next.request.sign));
    packed[32] = (packed[32] ?? 0) ^ 0x80; // the yParity bit of EIP-2098
    for (const sign of [bytesToHex(packed), slice(next.request.sign, 0, 63)]) {
      await expectRevert(
        strict(world, world.actors.requester).hub.write.matchOrders(
          matchArgs({ ...next, request: { ...next.request, sign } }),
        ),
        'MatchInvalidSignature',
        [Kind.Request, hash, world.actors.requester.address],
      );
    }
  });

  it('sponsorMatchOrders locks the caller funds, not the requester', async () => {
    const { requester, sponsor } = world.actors;
    const [requesterBefore, sponsorBefore] = await Promise.all(
      [requester, sponsor].map((a) => world.hub.read.viewAccount([a.address])),
    );
    const orders = await world.orders();
    const receipt = await world.mined(world.as(sponsor).hub.write.sponsorMatchOrders(matchArgs(orders)));
    const [sponsored] = hubEvents(receipt, 'DealSponsored');
    assert.ok(sponsored, 'DealSponsored is emitted');
    const { dealId } = sponsored.args;
    assert.equal(sponsored.args.sponsor, sponsor.address);
    assert.equal((await world.hub.read.viewDeal([dealId])).sponsor, sponsor.address);
    assert.deepEqual(await world.hub.read.viewAccount([requester.address]), requesterBefore);
    assert.ok(sponsorBefore);
    assert.deepEqual(await world.hub.read.viewAccount([sponsor.address]), [
      sponsorBefore[0] - TASK_PRICE,
      sponsorBefore[1] + TASK_PRICE,
    ]);
  });
});
