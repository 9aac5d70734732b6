import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { before, describe, it } from 'node:test';
import { type Address, bytesToHex, type Hex, type LocalAccount, sha256, toHex, zeroAddress } from 'viem';
import {
  activeTask,
  createApp,
  deployWorld,
  FINGERPRINT,
  type World,
} from '../../../../contracts/test/helpers/world.js';
import { generateResultKeyPair, generateSealingKeyPair, openSealedSecret } from '../../../crypto/src/index.js';
import { computeReportData, createSimPlatform, type SimPlatform } from '../../../enclave/src/index.js';
import {
  authorizationHash,
  computeTaskId,
  DATASET_INFINITE_VOLUME,
  type DatasetOrder,
  encodeBulkRoot,
  encodeBulkSlice,
  OrderOperation,
  randomSalt,
  type Signed,
  signOrder,
  TAG_TEE,
  tagFromBits,
} from '../../../protocol/src/index.js';
import { createBulkOrderReader } from '../chain/createBulkOrderReader.js';
import { createOwnershipReader } from '../chain/createOwnershipReader.js';
import { createTaskReader } from '../chain/createTaskReader.js';
import { createSmsServer } from '../createSmsServer.js';
import { enclaveSecretsRequestHash, type ReleasedSecrets } from '../routes/enclaveRelease.js';
import { openSecretStore, type SecretStore } from '../store/openSecretStore.js';

// The bulk release rules on a real chain (the hub, registries and signatures are real); the
// storage that holds slices is an in-memory content map, as the SMS only calls its `get`.
const RECIPIENT = generateResultKeyPair().recipient;
const KEYS = { first: 'KEY-FIRST-b64', second: 'KEY-SECOND-b64', guarded: 'KEY-GUARDED-b64' };

let world: World;
let platform: SimPlatform;
let store: SecretStore;
let sms: ReturnType<typeof createSmsServer>['app'];
let unconfigured: ReturnType<typeof createSmsServer>['app'];
const logs: string[] = [];
const contents = new Map<string, Uint8Array>();
let nextCid = 0;
/**
 * Datasets: `first` of the data owner (world.dataset), `second` of another owner, `keyless` with
 * no key pushed, `guarded` whose owner policy the policy tests change.
 */
const datasets = {} as Record<'first' | 'second' | 'keyless' | 'guarded', { address: Address; owner: LocalAccount }>;
/** `setPolicy`'s terms with nothing restricted. */
const NO_LIMITS = {
  restrictApps: false,
  restrictUsers: false,
  pricePerUse: 0n,
  maxUses: 0,
  expiry: 0,
  maxResultSize: 0n,
};

/** Stores bytes under a fresh fake CID, as a storage `put` would. */
function put(bytes: Uint8Array): string {
  const cid = `bafkreitest${String(nextCid++).padStart(20, '0')}`;
  contents.set(cid, bytes);
  return cid;
}
const source = {
  async *get(cid: string) {
    const bytes = contents.get(cid);
    if (!bytes) throw new Error(`no content ${cid}`);
    yield bytes;
  },
};

async function registerDataset(owner: LocalAccount, name: string): Promise<Address> {
  const args = [owner.address, name, toHex(`/ipfs/bafy${name}`), sha256(toHex(name))] as const;
  const address = await world.as(owner).datasets.read.predictDataset(args);
  await world.mined(world.as(owner).datasets.write.createDataset(args));
  return address;
}

/** A bulk dataset order of `which`, signed by its owner unless another signer is given. */
async function bulkOrder(
  which: keyof typeof datasets,
  overrides: Partial<DatasetOrder> = {},
  signer?: LocalAccount,
): Promise<Signed<DatasetOrder>> {
  const { address, owner } = datasets[which];
  return signOrder({
    domain: world.domain,
    kind: 'DatasetOrder',
    signer: signer ?? owner,
    order: {
      dataset: address,
      datasetprice: 0n,
      volume: DATASET_INFINITE_VOLUME,
      tag: TAG_TEE,
      apprestrict: world.app,
      workerpoolrestrict: zeroAddress,
      requesterrestrict: zeroAddress,
      salt: randomSalt(),
      ...overrides,
    },
  });
}

/** An ACTIVE task `index` of a bulk deal over `slices`; with `dataset`, a deal that names one. */
async function bulkTask(
  slices: Signed<DatasetOrder>[][],
  options: { index?: number; withDataset?: boolean; beneficiary?: Address } = {},
) {
  const rootCid = put(encodeBulkRoot(slices.map((s) => put(encodeBulkSlice(s)))));
  const index = options.index ?? 0;
  const volume = BigInt(Math.max(slices.length, index + 1));
  const { dealId } = await activeTask(world, {
    ...(options.withDataset ? {} : { dataset: null }),
    app: { volume },
    workerpool: { volume },
    request: {
      volume,
      params: JSON.stringify({ bulk_cid: rootCid, confide_result_recipient: RECIPIENT }),
      ...(options.beneficiary ? { beneficiary: options.beneficiary } : {}),
    },
  });
  if (index > 0) {
    await world.mined(world.as(world.actors.scheduler).hub.write.initialize([dealId, BigInt(index)]));
  }
  return computeTaskId(dealId, BigInt(index));
}

async function release(taskId: Hex, app = sms) {
  const signer = world.actors.worker;
  const sealing = await generateSealingKeyPair();
  const enclave = world.actors.other; // any fresh key would do: it only has to be the authorised one
  const sealingPublicKey = bytesToHex(sealing.publicKey);
  const reportData = computeReportData({ enclaveAddress: enclave.address, sealingPublicKey, taskId });
  const quote = bytesToHex(platform.quote({ measurement: FINGERPRINT, reportData }).bytes);
  const body = {
    taskId,
    worker: signer.address,
    enclaveAddress: enclave.address,
    sealingPublicKey,
    platform: 'sim',
    quote,
    authorizationSign: await world.actors.scheduler.signMessage({
      message: { raw: authorizationHash(signer.address, taskId, enclave.address) },
    }),
    workerSign: await signer.signMessage({
      message: {
        raw: enclaveSecretsRequestHash({ taskId, enclaveAddress: enclave.address, sealingPublicKey, quote }),
      },
    }),
  };
  const res = await app.request('/enclave/secrets', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await res.json()) as {
    sealed?: Hex;
    error?: { code: string; message: string; reason?: string; args?: string[] };
  };
  const open = async (): Promise<ReleasedSecrets> => {
    assert.ok(answer.sealed, JSON.stringify(answer));
    const plaintext = await openSealedSecret({
      privateKey: sealing.privateKey,
      sealed: Buffer.from(answer.sealed.slice(2), 'hex'),
      taskId,
    });
    return JSON.parse(Buffer.from(plaintext).toString('utf8'));
  };
  return { status: res.status, error: answer.error, open };
}

describe('SMS: bulk tasks (dataset 0x0, bulk_cid) release every dataset of their slice, or nothing', () => {
  before(async () => {
    world = await deployWorld();
    platform = createSimPlatform();
    datasets.first = { address: world.dataset, owner: world.actors.datasetOwner };
    datasets.second = { address: await registerDataset(world.actors.sponsor, 'second'), owner: world.actors.sponsor };
    datasets.keyless = { address: await registerDataset(world.actors.sponsor, 'keyless'), owner: world.actors.sponsor };
    datasets.guarded = { address: await registerDataset(world.actors.sponsor, 'guarded'), owner: world.actors.sponsor };
    store = openSecretStore({
      path: path.join(mkdtempSync(path.join(tmpdir(), 'sms-bulk-')), 'sms.db'),
      masterKey: `0x${'44'.repeat(32)}`,
    });
    store.putSecret({ kind: 'dataset-key', owner: datasets.first.address, name: '' }, Buffer.from(KEYS.first));
    store.putSecret({ kind: 'dataset-key', owner: datasets.second.address, name: '' }, Buffer.from(KEYS.second));
    store.putSecret({ kind: 'dataset-key', owner: datasets.guarded.address, name: '' }, Buffer.from(KEYS.guarded));
    const common = {
      store,
      ownership: createOwnershipReader({ client: world.publicClient, hub: world.addresses.hub }),
      tasks: createTaskReader({ client: world.publicClient, hub: world.addresses.hub }),
      config: {
        mode: 'development' as const,
        chainId: 31337,
        challengeTtlSeconds: 300,
        simPlatformKeys: [platform.publicKey],
      },
      logDestination: new Writable({
        write(chunk, _encoding, done) {
          logs.push(chunk.toString());
          done();
        },
      }),
    };
    sms = createSmsServer({
      ...common,
      bulkOrders: createBulkOrderReader({ client: world.publicClient, hub: world.addresses.hub }),
      bulkSource: source,
    }).app;
    unconfigured = createSmsServer(common).app;
  });

  it('releases the key, location and checksum of each dataset of slice i to task i, in slice order', async () => {
    const slices = [[await bulkOrder('first')], [await bulkOrder('second'), await bulkOrder('first')]];
    const taskId = await bulkTask(slices, { index: 1 });
    const res = await release(taskId);
    assert.equal(res.status, 200, JSON.stringify(res.error));
    const secrets = await res.open();
    assert.equal(secrets.datasetKey, undefined);
    assert.equal(secrets.resultRecipient, RECIPIENT);
    assert.deepEqual(secrets.bulkDatasets, [
      {
        address: datasets.second.address,
        location: '/ipfs/bafysecond',
        checksum: sha256(toHex('second')),
        key: KEYS.second,
      },
      {
        address: datasets.first.address,
        location: '/ipfs/bafydata',
        checksum: sha256(toHex('air-quality.csv')),
        key: KEYS.first,
      },
    ]);
    const line = logs.find((l) => l.includes('"released"') && l.includes(taskId));
    assert.ok(line?.includes(datasets.second.address), 'the audit line names the released datasets');
    assert.ok(!line?.includes(KEYS.second) && !logs.join('').includes(KEYS.first), 'no key in the logs');
  });

  it('accepts orders open to any app, restricted to this requester and this workerpool, and presigned ones', async () => {
    const presigned = await bulkOrder('second', {}, world.actors.other);
    await world.mined(
      world
        .as(datasets.second.owner)
        .hub.write.manageDatasetOrder([{ order: presigned, operation: OrderOperation.Sign, sign: '0x' }]),
    );
    const taskId = await bulkTask([
      [
        await bulkOrder('first', {
          apprestrict: zeroAddress,
          requesterrestrict: world.actors.requester.address,
          workerpoolrestrict: world.workerpool,
        }),
        presigned,
      ],
    ]);
    const res = await release(taskId);
    assert.equal(res.status, 200, JSON.stringify(res.error));
    assert.equal((await res.open()).bulkDatasets?.length, 2);
  });

  const refusals: { name: string; code: string; status: number; slice: () => Promise<Signed<DatasetOrder>[]> }[] = [
    {
      name: 'an order with a price',
      code: 'SMS_BULK_ORDER_NOT_BULK',
      status: 403,
      slice: async () => [await bulkOrder('first'), await bulkOrder('second', { datasetprice: 1n })],
    },
    {
      name: 'an order with a volume under 2^53 − 2',
      code: 'SMS_BULK_ORDER_NOT_BULK',
      status: 403,
      slice: async () => [await bulkOrder('second', { volume: 10n })],
    },
    {
      name: 'an order for another app',
      code: 'SMS_BULK_ORDER_RESTRICTED',
      status: 403,
      slice: async () => [
        await bulkOrder('second', { apprestrict: await createApp(world, world.actors.appOwner, 'other-app') }),
      ],
    },
    {
      name: 'an order for another requester',
      code: 'SMS_BULK_ORDER_RESTRICTED',
      status: 403,
      slice: async () => [await bulkOrder('second', { requesterrestrict: world.actors.other.address })],
    },
    {
      name: 'an order for another workerpool',
      code: 'SMS_BULK_ORDER_RESTRICTED',
      status: 403,
      slice: async () => [await bulkOrder('second', { workerpoolrestrict: world.actors.other.address })],
    },
    {
      name: 'an order with a tag bit the deal lacks',
      code: 'SMS_BULK_ORDER_RESTRICTED',
      status: 403,
      slice: async () => [await bulkOrder('second', { tag: tagFromBits([0, 4]) })],
    },
    {
      name: 'an order signed by someone other than the dataset owner',
      code: 'SMS_BULK_ORDER_SIGNATURE',
      status: 403,
      slice: async () => [await bulkOrder('first'), await bulkOrder('second', {}, world.actors.requester)],
    },
    {
      name: 'an order its owner revoked (closed on chain)',
      code: 'SMS_BULK_ORDER_REVOKED',
      status: 403,
      slice: async () => {
        const order = await bulkOrder('second');
        await world.mined(
          world
            .as(datasets.second.owner)
            .hub.write.manageDatasetOrder([{ order, operation: OrderOperation.Close, sign: '0x' }]),
        );
        return [await bulkOrder('first'), order];
      },
    },
    {
      name: 'a dataset whose owner never pushed its key',
      code: 'SMS_SECRET_NOT_FOUND',
      status: 404,
      slice: async () => [await bulkOrder('keyless')],
    },
  ];
  for (const refusal of refusals) {
    it(`error: a slice with ${refusal.name} releases nothing → ${refusal.code}`, async () => {
      const taskId = await bulkTask([await refusal.slice()]);
      const res = await release(taskId);
      assert.equal(res.status, refusal.status);
      assert.equal(res.error?.code, refusal.code, res.error?.message);
      assert.ok(
        logs.some((l) => l.includes('release refused') && l.includes(taskId) && l.includes(refusal.code)),
        'an audit line with the code',
      );
    });
  }

  describe('the owner policy of each dataset, checked by the SMS as the hub checks a match (bulk deals name none)', () => {
    /** Sets the policy of `guarded` as its owner: `terms` over no limits. */
    async function setPolicy(terms: Partial<typeof NO_LIMITS>) {
      const { address, owner } = datasets.guarded;
      await world.mined(world.as(owner).hub.write.setPolicy([address, { ...NO_LIMITS, ...terms }]));
    }

    const policyRefusals: {
      name: string;
      terms: () => Partial<typeof NO_LIMITS>;
      beneficiary?: () => Address;
      reason: string;
      args: () => string[];
    }[] = [
      {
        name: 'admits only other apps',
        terms: () => ({ restrictApps: true }),
        reason: 'PolicyAppNotAllowed',
        args: () => [datasets.guarded.address, world.app],
      },
      {
        name: 'admits only other users',
        terms: () => ({ restrictUsers: true }),
        reason: 'PolicyUserNotAllowed',
        args: () => [datasets.guarded.address, world.actors.requester.address],
      },
      {
        name: 'admits the requester but not the beneficiary',
        terms: () => ({ restrictUsers: true }),
        beneficiary: () => world.actors.other.address,
        reason: 'PolicyUserNotAllowed',
        args: () => [datasets.guarded.address, world.actors.other.address],
      },
      {
        name: 'asks a price per use (bulk grants are free)',
        terms: () => ({ pricePerUse: 5n }),
        reason: 'PolicyPriceTooLow',
        args: () => [datasets.guarded.address, '0', '5'],
      },
      {
        name: 'has expired',
        terms: () => ({ expiry: 1 }),
        reason: 'PolicyExpired',
        args: () => [datasets.guarded.address, '1'],
      },
      {
        name: 'caps the uses, which bulk tasks cannot count on chain',
        terms: () => ({ maxUses: 1000 }),
        reason: 'PolicyMaxUsesUncountable',
        args: () => [datasets.guarded.address, '1000'],
      },
    ];
    for (const refusal of policyRefusals) {
      it(`error: a dataset whose policy ${refusal.name} → SMS_POLICY_REFUSED (${refusal.reason})`, async () => {
        const { address, owner } = datasets.guarded;
        await setPolicy(refusal.terms());
        if (refusal.beneficiary) {
          await world.mined(world.as(owner).hub.write.allowUsers([address, [world.actors.requester.address]]));
        }
        const taskId = await bulkTask([[await bulkOrder('first'), await bulkOrder('guarded')]], {
          ...(refusal.beneficiary ? { beneficiary: refusal.beneficiary() } : {}),
        });
        const res = await release(taskId);
        assert.equal(res.status, 403);
        assert.deepEqual(
          { code: res.error?.code, reason: res.error?.reason, args: res.error?.args },
          { code: 'SMS_POLICY_REFUSED', reason: refusal.reason, args: refusal.args() },
          res.error?.message,
        );
        assert.ok(
          logs.some(
            (l) =>
              l.includes('release refused') &&
              l.includes(taskId) &&
              l.includes('SMS_POLICY_REFUSED') &&
              l.includes(refusal.reason),
          ),
          'an audit line with the code and the policy error',
        );
        if (refusal.beneficiary) {
          await world.mined(world.as(owner).hub.write.revokeUsers([address, [world.actors.requester.address]]));
        }
      });
    }

    it('a slice whose datasets’ policies admit the deal (allow-listed app and requester, not expired) is released with the strictest maxResultSize', async () => {
      const { address, owner } = datasets.guarded;
      await setPolicy({ restrictApps: true, restrictUsers: true, maxResultSize: 4096n, expiry: 2 ** 40 - 1 });
      await world.mined(world.as(owner).hub.write.allowApps([address, [world.app]]));
      await world.mined(world.as(owner).hub.write.allowUsers([address, [world.actors.requester.address]]));
      await world.mined(
        world
          .as(datasets.second.owner)
          .hub.write.setPolicy([datasets.second.address, { ...NO_LIMITS, maxResultSize: 10_000n }]),
      );
      try {
        const taskId = await bulkTask([
          [await bulkOrder('second'), await bulkOrder('guarded'), await bulkOrder('first')],
        ]);
        const res = await release(taskId);
        assert.equal(res.status, 200, JSON.stringify(res.error));
        const secrets = await res.open();
        assert.equal(secrets.maxResultSize, 4096, 'the smallest limit of the slice');
        assert.deepEqual(
          secrets.bulkDatasets?.map((d) => [d.address, d.maxResultSize]),
          [
            [datasets.second.address, 10_000],
            [address, 4096],
            [datasets.first.address, undefined],
          ],
        );
      } finally {
        await world.mined(world.as(datasets.second.owner).hub.write.setPolicy([datasets.second.address, NO_LIMITS]));
      }
    });
  });

  it('error: a task past the last slice of the root → SMS_BULK_SLICE_INVALID', async () => {
    const taskId = await bulkTask([[await bulkOrder('first')]], { index: 1 });
    const res = await release(taskId);
    assert.equal(res.status, 422);
    assert.equal(res.error?.code, 'SMS_BULK_SLICE_INVALID');
    assert.match(String(res.error?.message), /root lists 1/);
  });

  it('error: a slice that is not an array of dataset orders → SMS_BULK_SLICE_INVALID', async () => {
    const rootCid = put(encodeBulkRoot([put(new TextEncoder().encode('{"not":"a slice"}'))]));
    const { taskId } = await activeTask(world, {
      dataset: null,
      request: { params: JSON.stringify({ bulk_cid: rootCid, confide_result_recipient: RECIPIENT }) },
    });
    const res = await release(taskId);
    assert.equal(res.error?.code, 'SMS_BULK_SLICE_INVALID');
  });

  it('error: a root that storage does not have → SMS_BULK_SLICE_UNAVAILABLE (503: the enclave retries)', async () => {
    const { taskId } = await activeTask(world, {
      dataset: null,
      request: {
        params: JSON.stringify({ bulk_cid: 'bafkreimissing0000000000000', confide_result_recipient: RECIPIENT }),
      },
    });
    const res = await release(taskId);
    assert.equal(res.status, 503);
    assert.equal(res.error?.code, 'SMS_BULK_SLICE_UNAVAILABLE');
  });

  it('error: an SMS without storage refuses bulk tasks → SMS_BULK_SLICE_UNAVAILABLE', async () => {
    const taskId = await bulkTask([[await bulkOrder('first')]]);
    const res = await release(taskId, unconfigured);
    assert.equal(res.error?.code, 'SMS_BULK_SLICE_UNAVAILABLE');
  });

  it('error: bulk_cid on a deal that names a dataset → SMS_DEAL_PARAMS_INVALID', async () => {
    const taskId = await bulkTask([[await bulkOrder('first')]], { withDataset: true });
    const res = await release(taskId);
    assert.equal(res.status, 422);
    assert.equal(res.error?.code, 'SMS_DEAL_PARAMS_INVALID');
  });
});
