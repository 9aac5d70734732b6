import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Address, getAddress, recoverTypedDataAddress, zeroAddress } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import {
  confideDomain,
  DATASET_INFINITE_VOLUME,
  type DatasetOrder,
  hashOrder,
  orderTypes,
  parseBulkRoot,
  parseBulkSlice,
  parseDealParams,
  randomSalt,
  type Signed,
  signOrder,
  TAG_TEE,
  tagFromBits,
} from '../../../protocol/src/index.js';
import type { GrantedAccess } from '../createDataProtector.js';
import type { BulkContext } from './bulkRequest.js';
import { readBulkRequest } from './bulkRequest.js';
import { prepareBulkRequest } from './prepareBulkRequest.js';

// A unit test of slicing and validation: the chain is a chain id, storage an in-memory content map
// (the end-to-end proof on the real stack is test/002_bulk.e2e.test.ts).
const requester = privateKeyToAccount(`0x${'42'.repeat(32)}`);
const owner = privateKeyToAccount(`0x${'43'.repeat(32)}`);
const HUB = getAddress('0x00000000000000000000000000000000000000f1');
const APP = getAddress('0x00000000000000000000000000000000000000aa');
const domain = confideDomain(31337, HUB);

function context() {
  const stored = new Map<string, Uint8Array>();
  const calls: string[] = [];
  const ctx = {
    publicClient: { getChainId: async () => 31337 },
    wallet: { account: requester },
    hub: HUB,
    storage: {
      async put(bytes: Uint8Array) {
        const cid = `bafkreitest${String(stored.size).padStart(20, '0')}`;
        stored.set(cid, bytes);
        calls.push('put');
        return { cid, size: bytes.length };
      },
    },
    market: {},
    smsUrl: 'http://127.0.0.1:9',
  } as unknown as BulkContext;
  return { ctx, stored, calls };
}

async function access(n: number, overrides: Partial<DatasetOrder> = {}, remaining?: number): Promise<GrantedAccess> {
  const order: Signed<DatasetOrder> = await signOrder({
    domain,
    kind: 'DatasetOrder',
    signer: owner,
    order: {
      dataset: getAddress(`0x${(n + 1).toString(16).padStart(40, '0')}`),
      datasetprice: 0n,
      volume: DATASET_INFINITE_VOLUME,
      tag: TAG_TEE,
      apprestrict: APP,
      workerpoolrestrict: zeroAddress,
      requesterrestrict: zeroAddress,
      salt: randomSalt(),
      ...overrides,
    },
  });
  return {
    ...order,
    datasetprice: order.datasetprice.toString(),
    volume: order.volume.toString(),
    remainingAccess: remaining ?? Number(order.volume),
  };
}

describe('prepareBulkRequest', () => {
  it('splits 5 accesses into slices of 2 (3 tasks), stores each slice and the root, signs a request for dataset 0x0', async () => {
    const { ctx, stored } = context();
    const accesses = await Promise.all([0, 1, 2, 3, 4].map((n) => access(n)));
    const steps: string[] = [];
    const { bulkRequest, resultKey } = await prepareBulkRequest(ctx, {
      bulkAccesses: accesses,
      app: APP,
      maxProtectedDataPerTask: 2,
      appMaxPrice: 5,
      workerpoolMaxPrice: 7,
      args: '--hello bulk',
      onStatusUpdate: (u) => steps.push(`${u.title}:${u.isDone}`),
    });
    assert.deepEqual(
      steps,
      ['GENERATE_ENCRYPTION_KEY', 'PREPARE_PROTECTED_DATA_BULK', 'CREATE_BULK_REQUEST'].flatMap((t) => [
        `${t}:false`,
        `${t}:true`,
      ]),
    );
    const request = readBulkRequest(bulkRequest);
    assert.equal(request.dataset, zeroAddress);
    assert.equal(request.datasetmaxprice, 0n);
    assert.equal(request.volume, 3n);
    assert.equal(request.appmaxprice, 5n);
    assert.equal(request.workerpoolmaxprice, 7n);
    assert.equal(request.requester, requester.address);
    assert.equal(request.tag, TAG_TEE);
    const params = parseDealParams(request.params);
    assert.deepEqual(params.args, ['--hello', 'bulk']);
    assert.equal(params.resultRecipient, resultKey.recipient);
    const root = parseBulkRoot(stored.get(params.bulkCid ?? '') ?? new Uint8Array());
    const slices = root.map((cid) => parseBulkSlice(stored.get(cid) ?? new Uint8Array()));
    assert.deepEqual(
      slices.map((s) => s.map((o) => o.dataset)),
      [
        [accesses[0]?.dataset, accesses[1]?.dataset],
        [accesses[2]?.dataset, accesses[3]?.dataset],
        [accesses[4]?.dataset],
      ],
    );
    assert.equal(slices[0]?.[0]?.sign, accesses[0]?.sign, 'the owners’ signatures travel in the slices');
    const { sign, ...unsigned } = request;
    const recovered = await recoverTypedDataAddress({
      domain,
      types: { RequestOrder: orderTypes.RequestOrder },
      primaryType: 'RequestOrder',
      message: unsigned,
      signature: sign,
    });
    assert.equal(recovered, requester.address, 'signed by the requester');
    assert.ok(hashOrder({ domain, kind: 'RequestOrder', order: request }));
  });

  it('asks for the union of the orders’ tags, and takes 100 per task by default', async () => {
    const { ctx } = context();
    const accesses = [await access(0), await access(1, { tag: tagFromBits([0, 3]) })];
    const { bulkRequest } = await prepareBulkRequest(ctx, { bulkAccesses: accesses, app: APP });
    assert.equal(bulkRequest.tag, tagFromBits([0, 3]));
    assert.equal(bulkRequest.volume, '1');
  });

  const refusals: [string, () => Promise<GrantedAccess[]>, RegExp][] = [
    ['a priced access', async () => [await access(0, { datasetprice: 1n })], /allowBulk/],
    ['a limited access', async () => [await access(0, { volume: 10n })], /allowBulk/],
    ['an access for another app', async () => [await access(0, { apprestrict: HUB })], /granted to app/],
    [
      'an access for another user',
      async () => [await access(0, { requesterrestrict: owner.address })],
      /granted to user/,
    ],
    [
      'an access restricted to a workerpool',
      async () => [await access(0, { workerpoolrestrict: HUB })],
      /restricted to workerpool/,
    ],
    ['a revoked access', async () => [await access(0, {}, 0)], /revoked/],
    ['the same data twice', async () => [await access(0), await access(0)], /listed twice/],
  ];
  for (const [name, make, details] of refusals) {
    it(`error: ${name} → CONFIDE_DATAPROTECTOR_BULK_ACCESS_INVALID, nothing stored`, async () => {
      const { ctx, calls } = context();
      await assert.rejects(
        prepareBulkRequest(ctx, { bulkAccesses: await make(), app: APP }),
        (error: Error & { code?: string; details?: string }) => {
          assert.equal(error.name, 'DataProtectorError');
          assert.equal(error.code, 'CONFIDE_DATAPROTECTOR_BULK_ACCESS_INVALID');
          assert.match(String(error.details), details);
          return true;
        },
      );
      assert.deepEqual(calls, []);
    });
  }

  const invalid: [string, (a: GrantedAccess) => Parameters<typeof prepareBulkRequest>[1], RegExp][] = [
    ['no access', () => ({ bulkAccesses: [], app: APP }), /bulkAccesses/],
    ['0 per task', (a) => ({ bulkAccesses: [a], app: APP, maxProtectedDataPerTask: 0 }), /maxProtectedDataPerTask/],
    ['101 per task', (a) => ({ bulkAccesses: [a], app: APP, maxProtectedDataPerTask: 101 }), /at most 100/],
    ['an app that is not an address', (a) => ({ bulkAccesses: [a], app: 'x' as Address }), /app/],
    ['encryptResult false', (a) => ({ bulkAccesses: [a], app: APP, encryptResult: false }), /always encrypts/],
    ['a file URL as input', (a) => ({ bulkAccesses: [a], app: APP, inputFiles: ['file:///etc/passwd'] }), /http/],
    ['a fractional max price', (a) => ({ bulkAccesses: [a], app: APP, appMaxPrice: 0.5 }), /appMaxPrice/],
    [
      'an access with a malformed volume',
      (a) => ({ bulkAccesses: [{ ...a, volume: '-1' }], app: APP }),
      /volume must be a decimal string/,
    ],
  ];
  for (const [name, make, details] of invalid) {
    it(`error: ${name} → CONFIDE_DATAPROTECTOR_INVALID_PARAMETER, nothing stored`, async () => {
      const { ctx, calls } = context();
      await assert.rejects(prepareBulkRequest(ctx, make(await access(0))), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'CONFIDE_DATAPROTECTOR_INVALID_PARAMETER');
        assert.match(String((error as { details?: string }).details), details);
        return true;
      });
      assert.deepEqual(calls, []);
    });
  }
});

describe('readBulkRequest', () => {
  it('error: a bulk request with a missing or malformed field → CONFIDE_DATAPROTECTOR_INVALID_PARAMETER', () => {
    for (const bad of [undefined, {}, { volume: '1' }]) {
      assert.throws(() => readBulkRequest(bad), { code: 'CONFIDE_DATAPROTECTOR_INVALID_PARAMETER' });
    }
  });
});
