import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { type Address, getContract, parseEventLogs, zeroAddress } from 'viem';
import { confideHubAbi, confideTaskModuleAbi } from '../../packages/protocol/src/index.js';
import { onSnapshot, STRANGER, strict } from './helpers/fixtures.js';
import {
  createApp,
  deployWorld,
  expectRevert,
  match,
  matchArgs,
  type OrderOverrides,
  PRICES,
  TOKEN,
  type World,
} from './helpers/world.js';

/** The terms `setPolicy` takes, as viem types them. */
type Terms = {
  restrictApps: boolean;
  restrictUsers: boolean;
  pricePerUse: bigint;
  maxUses: number;
  expiry: number;
  maxResultSize: bigint;
};
const NO_LIMITS: Terms = {
  restrictApps: false,
  restrictUsers: false,
  pricePerUse: 0n,
  maxUses: 0,
  expiry: 0,
  maxResultSize: 0n,
};

/**
 * One rule of the policy: the terms that turn it on, a match it allows and one it blocks with its
 * own error. Every order set leaves the dataset order unrestricted, so only the policy decides.
 */
type Rule = {
  rule: string;
  terms: (world: World) => Promise<Partial<Terms>>;
  /** Runs after the policy is set (allow-lists, earlier uses, the passing of time). */
  prepare?: (world: World) => Promise<void>;
  allowed: (world: World) => OrderOverrides;
  blocked: (world: World) => OrderOverrides;
  /** Runs between the allowed and the blocked match. */
  between?: (world: World) => Promise<void>;
  error: string;
  args: (world: World) => readonly unknown[];
};

describe('Owner policy of protected data', () => {
  let world: World;
  let otherApp: Address;
  let expiry: number;

  before(async () => {
    world = await deployWorld();
    otherApp = await createApp(world, world.actors.appOwner, 'another-app');
  });

  /** Sets the dataset's policy as its owner. */
  async function setPolicy(terms: Partial<Terms>) {
    const owner = world.as(world.actors.datasetOwner);
    return world.mined(owner.hub.write.setPolicy([world.dataset, { ...NO_LIMITS, ...terms }]));
  }

  /** Default orders, the dataset order unrestricted and the given overrides on top. */
  function orders(o: OrderOverrides = {}) {
    return world.orders({ ...o, dataset: { apprestrict: zeroAddress, ...o.dataset } });
  }

  const requester = () => world.actors.requester;
  const other = () => world.actors.other;

  const RULES: Rule[] = [
    {
      rule: 'apps: only allow-listed apps',
      terms: async () => ({ restrictApps: true }),
      prepare: async (w) => {
        await w.mined(w.as(w.actors.datasetOwner).hub.write.allowApps([w.dataset, [w.app]]));
      },
      allowed: () => ({}),
      blocked: () => ({ app: { app: otherApp } }),
      error: 'PolicyAppNotAllowed',
      args: (w) => [w.dataset, otherApp],
    },
    {
      rule: 'users: only allow-listed requesters',
      terms: async () => ({ restrictUsers: true }),
      prepare: async (w) => {
        await w.mined(w.as(w.actors.datasetOwner).hub.write.allowUsers([w.dataset, [requester().address]]));
      },
      allowed: () => ({}),
      blocked: () => ({
        request: { requester: other().address, beneficiary: other().address },
        signers: { request: other() },
      }),
      error: 'PolicyUserNotAllowed',
      args: (w) => [w.dataset, other().address],
    },
    {
      rule: 'users: the beneficiary must be allowed too',
      terms: async () => ({ restrictUsers: true }),
      prepare: async (w) => {
        await w.mined(w.as(w.actors.datasetOwner).hub.write.allowUsers([w.dataset, [requester().address]]));
      },
      allowed: () => ({}),
      blocked: () => ({ request: { beneficiary: other().address } }),
      error: 'PolicyUserNotAllowed',
      args: (w) => [w.dataset, other().address],
    },
    {
      rule: 'price per use: the grant may not be cheaper',
      terms: async () => ({ pricePerUse: 2n * TOKEN }),
      allowed: () => ({ dataset: { datasetprice: 2n * TOKEN }, request: { datasetmaxprice: 2n * TOKEN } }),
      blocked: () => ({ dataset: { datasetprice: PRICES.dataset } }),
      error: 'PolicyPriceTooLow',
      args: (w) => [w.dataset, PRICES.dataset, 2n * TOKEN],
    },
    {
      rule: 'maximum uses: all deals together',
      terms: async () => ({ maxUses: 3 }),
      allowed: () => volume(2n),
      blocked: () => volume(2n),
      error: 'PolicyMaxUsesReached',
      args: (w) => [w.dataset, 2n, 2n, 3n],
    },
    {
      rule: 'expiry: no use from the expiry time on',
      terms: async (w) => {
        expiry = Number(await w.chain.now()) + 3600;
        return { expiry };
      },
      allowed: () => ({}),
      between: async (w) => {
        await w.chain.increaseTime(3600);
      },
      blocked: () => ({}),
      error: 'PolicyExpired',
      args: (w) => [w.dataset, BigInt(expiry)],
    },
  ];

  for (const r of RULES) {
    it(`${r.rule}: allows what it should, blocks the rest with ${r.error}`, async () => {
      await onSnapshot(world, async () => {
        await setPolicy(await r.terms(world));
        await r.prepare?.(world);
        const allowed = await orders(r.allowed(world));
        await match(world, allowed);
        await r.between?.(world);
        const blocked = await orders(r.blocked(world));
        const hub = strict(world, world.actors.requester).hub;
        await expectRevert(hub.write.matchOrders(matchArgs(blocked)), r.error, r.args(world));
        // checkPolicy answers as matching does, before anyone pays gas for a match.
        const req = blocked.request;
        await expectRevert(
          hub.read.checkPolicy([
            world.dataset,
            blocked.app.app,
            req.requester,
            req.beneficiary,
            blocked.dataset.datasetprice,
            blocked.dataset.volume,
          ]),
          r.error,
          r.args(world),
        );
      });
    });
  }

  it('maximum result size: recorded for the enclave runtime; checkResultSize refuses a larger result by name', async () => {
    await onSnapshot(world, async () => {
      await setPolicy({ maxResultSize: 1024n });
      const hub = strict(world).hub;
      await hub.read.checkResultSize([world.dataset, 1024n]);
      await expectRevert(hub.read.checkResultSize([world.dataset, 1025n]), 'PolicyResultTooLarge', [
        world.dataset,
        1025n,
        1024n,
      ]);
      assert.equal((await hub.read.viewPolicy([world.dataset])).maxResultSize, 1024n);
      // It does not restrict matching.
      await match(world, await orders());
    });
  });

  it('a policy change takes effect for orders signed before it', async () => {
    await onSnapshot(world, async () => {
      const signed = await orders();
      await setPolicy({ pricePerUse: 2n * TOKEN });
      const hub = strict(world, world.actors.requester).hub;
      await expectRevert(hub.write.matchOrders(matchArgs(signed)), 'PolicyPriceTooLow', [
        world.dataset,
        PRICES.dataset,
        2n * TOKEN,
      ]);
      await setPolicy({ pricePerUse: PRICES.dataset });
      await match(world, signed);
    });
  });

  it('counts the tasks it serves, volume included, and keeps the count and allow-lists across changes', async () => {
    await onSnapshot(world, async () => {
      const owner = world.as(world.actors.datasetOwner).hub;
      await setPolicy({ restrictApps: true });
      await world.mined(owner.write.allowApps([world.dataset, [world.app]]));
      await match(world, await orders(volume(3n)));
      await setPolicy({ maxUses: 4 });
      const policy = await world.hub.read.viewPolicy([world.dataset]);
      assert.deepEqual(policy, { active: true, ...NO_LIMITS, maxUses: 4, uses: 3 });
      // The app allow-list survived the change (it only grows), though apps are unrestricted now.
      assert.equal(await world.hub.read.isAppAllowed([world.dataset, otherApp]), true);
      await setPolicy({ restrictApps: true, maxUses: 4 });
      assert.equal(await world.hub.read.isAppAllowed([world.dataset, world.app]), true);
      assert.equal(await world.hub.read.isAppAllowed([world.dataset, otherApp]), false);
      await match(world, await orders());
      const hub = strict(world, world.actors.requester).hub;
      await expectRevert(hub.write.matchOrders(matchArgs(await orders())), 'PolicyMaxUsesReached', [
        world.dataset,
        4n,
        1n,
        4n,
      ]);
    });
  });

  it('a revoked user is refused from the next match on', async () => {
    await onSnapshot(world, async () => {
      const owner = world.as(world.actors.datasetOwner).hub;
      await setPolicy({ restrictUsers: true });
      await world.mined(owner.write.allowUsers([world.dataset, [requester().address]]));
      await match(world, await orders());
      const receipt = await world.mined(owner.write.revokeUsers([world.dataset, [requester().address]]));
      const [revoked] = parseEventLogs({ abi: confideHubAbi, logs: receipt.logs, eventName: 'PolicyUserRevoked' });
      assert.deepEqual(revoked?.args, { dataset: world.dataset, user: requester().address });
      assert.equal(await world.hub.read.isUserAllowed([world.dataset, requester().address]), false);
      const hub = strict(world, world.actors.requester).hub;
      await expectRevert(hub.write.matchOrders(matchArgs(await orders())), 'PolicyUserNotAllowed', [
        world.dataset,
        requester().address,
      ]);
    });
  });

  it('without a policy anything goes, nothing is counted, and deals without a dataset are never checked', async () => {
    await onSnapshot(world, async () => {
      await match(world, await orders());
      assert.deepEqual(await world.hub.read.viewPolicy([world.dataset]), { active: false, ...NO_LIMITS, uses: 0 });
      await setPolicy({ restrictApps: true, restrictUsers: true, expiry: 1 });
      await match(world, await world.orders({ dataset: null }));
    });
  });

  it('emits PolicySet with the terms and PolicyAppAllowed per app', async () => {
    await onSnapshot(world, async () => {
      const terms = { ...NO_LIMITS, restrictApps: true, pricePerUse: 5n, maxUses: 7, expiry: 2_000_000_000 };
      const set = await setPolicy(terms);
      const [event] = parseEventLogs({ abi: confideHubAbi, logs: set.logs, eventName: 'PolicySet' });
      assert.deepEqual(event?.args, { dataset: world.dataset, terms });
      const owner = world.as(world.actors.datasetOwner).hub;
      const allowed = await world.mined(owner.write.allowApps([world.dataset, [world.app, otherApp]]));
      const apps = parseEventLogs({ abi: confideHubAbi, logs: allowed.logs, eventName: 'PolicyAppAllowed' });
      assert.deepEqual(
        apps.map((e) => e.args.app),
        [world.app, otherApp],
      );
    });
  });

  it('error: only the dataset owner manages its policy (PolicyNotDatasetOwner)', async () => {
    const hub = strict(world, world.actors.other).hub;
    const { other: caller, datasetOwner } = world.actors;
    const refused = [world.dataset, caller.address, datasetOwner.address] as const;
    await expectRevert(hub.write.setPolicy([world.dataset, NO_LIMITS]), 'PolicyNotDatasetOwner', refused);
    await expectRevert(hub.write.allowApps([world.dataset, [world.app]]), 'PolicyNotDatasetOwner', refused);
    await expectRevert(hub.write.allowUsers([world.dataset, [caller.address]]), 'PolicyNotDatasetOwner', refused);
    await expectRevert(hub.write.revokeUsers([world.dataset, [caller.address]]), 'PolicyNotDatasetOwner', refused);
    await expectRevert(hub.write.setPolicy([STRANGER, NO_LIMITS]), 'PolicyNotDatasetOwner', [
      STRANGER,
      caller.address,
      zeroAddress,
    ]);
  });

  it('error: the task module refuses policy changes when called directly', async () => {
    const { publicClient, wallet } = world.chain.clientsOf(world.actors.datasetOwner);
    const module = getContract({
      address: world.addresses.taskModule,
      abi: confideTaskModuleAbi,
      client: { public: publicClient, wallet },
    });
    await expectRevert(module.write.setPolicy([world.dataset, NO_LIMITS]), 'TaskModuleCalledDirectly');
  });
});

/** Overrides giving every order of the deal `n` tasks. */
function volume(n: bigint): OrderOverrides {
  return { app: { volume: n }, dataset: { volume: n }, workerpool: { volume: n }, request: { volume: n } };
}
