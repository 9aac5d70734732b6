import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Hex, LocalAccount } from 'viem';
import { hashOrder, OrderOperation, signOrderOperation } from '../../packages/protocol/src/index.js';
import { hubEvents, Kind, STRANGER, strict } from './helpers/fixtures.js';
import {
  createApp,
  deployWorld,
  expectRevert,
  match,
  matchArgs,
  type OrderSet,
  PRICES,
  type World,
} from './helpers/world.js';

type Key = keyof OrderSet;
const KIND_OF = { app: Kind.App, dataset: Kind.Dataset, workerpool: Kind.Workerpool, request: Kind.Request } as const;
const KEYS: Key[] = ['app', 'dataset', 'workerpool', 'request'];

describe('ConfideHub#manage*Order', () => {
  let world: World;
  before(async () => {
    world = await deployWorld();
  });

  const ownerOf = (key: Key): LocalAccount =>
    ({
      app: world.actors.appOwner,
      dataset: world.actors.datasetOwner,
      workerpool: world.actors.scheduler,
      request: world.actors.requester,
    })[key];

  const hashOf = (o: OrderSet, key: Key): Hex => {
    const domain = world.domain;
    if (key === 'app') return hashOrder({ domain, kind: 'AppOrder', order: o.app });
    if (key === 'dataset') return hashOrder({ domain, kind: 'DatasetOrder', order: o.dataset });
    if (key === 'workerpool') return hashOrder({ domain, kind: 'WorkerpoolOrder', order: o.workerpool });
    return hashOrder({ domain, kind: 'RequestOrder', order: o.request });
  };

  /** Calls manage<Kind>Order on order `key` of `o` as `caller` (strict client: reverts surface at once). */
  const manage = (caller: LocalAccount, o: OrderSet, key: Key, operation: bigint, sign: Hex = '0x') => {
    const hub = strict(world, caller).hub.write;
    if (key === 'app') return hub.manageAppOrder([{ order: o.app, operation, sign }]);
    if (key === 'dataset') return hub.manageDatasetOrder([{ order: o.dataset, operation, sign }]);
    if (key === 'workerpool') return hub.manageWorkerpoolOrder([{ order: o.workerpool, operation, sign }]);
    return hub.manageRequestOrder([{ order: o.request, operation, sign }]);
  };

  /** `signer`'s EIP-712 signature of `operation` on order `key` of `o`. */
  const signOperation = (signer: LocalAccount, o: OrderSet, key: Key, operation: bigint) => {
    const domain = world.domain;
    if (key === 'app') return signOrderOperation({ signer, domain, kind: 'AppOrder', order: o.app, operation });
    if (key === 'dataset')
      return signOrderOperation({ signer, domain, kind: 'DatasetOrder', order: o.dataset, operation });
    if (key === 'workerpool')
      return signOrderOperation({ signer, domain, kind: 'WorkerpoolOrder', order: o.workerpool, operation });
    return signOrderOperation({ signer, domain, kind: 'RequestOrder', order: o.request, operation });
  };

  const unsigned = (o: OrderSet): OrderSet => ({
    app: { ...o.app, sign: '0x' },
    dataset: { ...o.dataset, sign: '0x' },
    workerpool: { ...o.workerpool, sign: '0x' },
    request: { ...o.request, sign: '0x' },
  });

  it('presign (operation 0) by each owner lets orders with an empty signature match', async () => {
    const orders = await world.orders();
    const bare = unsigned(orders);
    for (const key of KEYS) {
      const receipt = await world.mined(manage(ownerOf(key), bare, key, OrderOperation.Sign));
      const [event] = hubEvents(receipt, 'OrderPresigned');
      assert.deepEqual(event?.args, {
        kind: KIND_OF[key],
        orderHash: hashOf(orders, key),
        owner: ownerOf(key).address,
      });
      assert.equal(await world.hub.read.viewPresigned([hashOf(orders, key)]), ownerOf(key).address);
    }
    const { dealId } = await match(world, bare, world.actors.other);
    assert.equal((await world.hub.read.viewDeal([dealId])).requester, world.actors.requester.address);
  });

  it('error: an order without signature nor presign', async () => {
    const bare = unsigned(await world.orders());
    await expectRevert(strict(world).hub.write.matchOrders(matchArgs(bare)), 'MatchInvalidSignature', [
      Kind.App,
      hashOf(bare, 'app'),
      world.actors.appOwner.address,
    ]);
  });

  for (const key of KEYS) {
    it(`close (operation 1) consumes the whole ${key} order; replaying its signature fails`, async () => {
      const orders = await world.orders({ [key]: { volume: 3n } });
      const hash = hashOf(orders, key);
      const receipt = await world.mined(manage(ownerOf(key), orders, key, OrderOperation.Close));
      const [event] = hubEvents(receipt, 'OrderClosed');
      assert.deepEqual(event?.args, { kind: KIND_OF[key], orderHash: hash, volume: 3n });
      assert.equal(await world.hub.read.viewConsumed([hash]), 3n);
      const remaining = KEYS.map((k) => (k === key ? 0n : 1n));
      await expectRevert(
        strict(world, world.actors.requester).hub.write.matchOrders(matchArgs(orders)),
        'MatchVolumeExhausted',
        remaining,
      );
    });
  }

  it('a close signed by the owner and relayed by another account takes effect', async () => {
    const orders = await world.orders();
    const sign = await signOperation(world.actors.requester, orders, 'request', OrderOperation.Close);
    await world.mined(manage(world.actors.other, orders, 'request', OrderOperation.Close, sign));
    assert.equal(await world.hub.read.viewConsumed([hashOf(orders, 'request')]), 1n);
    await expectRevert(strict(world).hub.write.matchOrders(matchArgs(orders)), 'MatchVolumeExhausted', [
      1n,
      1n,
      1n,
      0n,
    ]);
  });

  it('a presign signed by each owner and relayed by another account takes effect', async () => {
    const orders = await world.orders();
    const bare = unsigned(orders);
    for (const key of KEYS) {
      const sign = await signOperation(ownerOf(key), orders, key, OrderOperation.Sign);
      await world.mined(manage(world.actors.other, bare, key, OrderOperation.Sign, sign));
      assert.equal(await world.hub.read.viewPresigned([hashOf(orders, key)]), ownerOf(key).address);
    }
    await match(world, bare);
  });

  it('error: operation 2 is neither sign nor close', async () => {
    const orders = await world.orders();
    for (const key of KEYS) {
      await expectRevert(manage(ownerOf(key), orders, key, 2n), 'OrderOperationInvalid', [2n]);
    }
  });

  for (const key of KEYS) {
    it(`error: operation on the ${key} order by a stranger, unsigned or signed by the stranger`, async () => {
      const orders = await world.orders();
      const { other } = world.actors;
      const expected = [KIND_OF[key], hashOf(orders, key), other.address, ownerOf(key).address];
      await expectRevert(manage(other, orders, key, OrderOperation.Close), 'OrderOperationUnauthorized', expected);
      const forged = await signOperation(other, orders, key, OrderOperation.Close);
      await expectRevert(
        manage(other, orders, key, OrderOperation.Close, forged),
        'OrderOperationUnauthorized',
        expected,
      );
      assert.equal(await world.hub.read.viewConsumed([hashOf(orders, key)]), 0n);
    });
  }

  it('error: a presign signature replayed as a close', async () => {
    const orders = await world.orders();
    const { other, appOwner } = world.actors;
    const sign = await signOperation(appOwner, orders, 'app', OrderOperation.Sign);
    await expectRevert(manage(other, orders, 'app', OrderOperation.Close, sign), 'OrderOperationUnauthorized', [
      Kind.App,
      hashOf(orders, 'app'),
      other.address,
      appOwner.address,
    ]);
    assert.equal(await world.hub.read.viewConsumed([hashOf(orders, 'app')]), 0n);
  });

  for (const key of ['app', 'dataset', 'workerpool'] as const) {
    it(`error: operation on the ${key} order naming an unregistered asset`, async () => {
      const orders = await world.orders({ [key]: { [key]: STRANGER } });
      await expectRevert(manage(ownerOf(key), orders, key, OrderOperation.Sign), 'OrderAssetNotRegistered', [
        KIND_OF[key],
        STRANGER,
      ]);
    });
  }

  it('error: signature or presign by a former owner after the app NFT is transferred', async () => {
    const { appOwner, other } = world.actors;
    const app = await createApp(world, appOwner, 'transferable-app');
    const overrides = { app: { app }, dataset: { apprestrict: app } };
    const presigned = unsigned(await world.orders(overrides));
    await world.mined(manage(appOwner, presigned, 'app', OrderOperation.Sign));

    await world.mined(world.as(appOwner).apps.write.transferFrom([appOwner.address, other.address, BigInt(app)]));
    assert.equal(await world.as(appOwner).apps.read.ownerOfAsset([app]), other.address);

    const fresh = await world.orders(overrides);
    for (const orders of [fresh, presigned]) {
      await expectRevert(
        strict(world, world.actors.requester).hub.write.matchOrders(matchArgs(orders)),
        'MatchInvalidSignature',
        [Kind.App, hashOf(orders, 'app'), other.address],
      );
    }
    await expectRevert(manage(appOwner, fresh, 'app', OrderOperation.Close), 'OrderOperationUnauthorized', [
      Kind.App,
      hashOf(fresh, 'app'),
      appOwner.address,
      other.address,
    ]);
    const { dealId } = await match(world, await world.orders({ ...overrides, signers: { app: other } }));
    assert.equal((await world.hub.read.viewDeal([dealId])).appPrice, PRICES.app);
  });
});
