import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Address, getAddress, zeroAddress } from 'viem';
import {
  BULK_MIN_VOLUME,
  bulkOrderProblem,
  DATASET_INFINITE_VOLUME,
  encodeBulkRoot,
  encodeBulkSlice,
  MAX_BULK_DOCUMENT_BYTES,
  MAX_DATASETS_PER_SLICE,
  parseBulkRoot,
  parseBulkSlice,
  readBulkSlice,
} from './bulk.js';
import type { DatasetOrder, Signed } from './eip712.js';
import { TAG_TEE, tagFromBits } from './orders.js';

const APP = getAddress('0x00000000000000000000000000000000000000aa');
const REQUESTER = getAddress('0x00000000000000000000000000000000000000bb');
const POOL = getAddress('0x00000000000000000000000000000000000000cc');
const CID = (n: number) => `bafkrei${String(n).padStart(52, 'a')}`;

const order = (n: number, o: Partial<DatasetOrder> = {}): Signed<DatasetOrder> => ({
  dataset: `0x${n.toString(16).padStart(40, '0')}` as Address,
  datasetprice: 0n,
  volume: DATASET_INFINITE_VOLUME,
  tag: TAG_TEE,
  apprestrict: APP,
  workerpoolrestrict: zeroAddress,
  requesterrestrict: zeroAddress,
  salt: `0x${'11'.repeat(32)}`,
  sign: `0x${'22'.repeat(65)}`,
  ...o,
});
/** Orders in their stored JSON form. */
const jsonOf = (orders: Signed<DatasetOrder>[]) => JSON.parse(new TextDecoder().decode(encodeBulkSlice(orders)));
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const invalid =
  (reason: string, details: RegExp) => (error: Error & { code?: string; reason?: string; details?: string }) =>
    error.name === 'BulkInvalidError' &&
    error.code === 'CONFIDE_BULK_INVALID' &&
    error.reason === reason &&
    details.test(String(error.details));

describe('bulk slices and root', () => {
  it('DATASET_INFINITE_VOLUME is 2^53 − 1 and the SMS threshold 2^53 − 2, as iExec', () => {
    assert.equal(DATASET_INFINITE_VOLUME, 9007199254740991n);
    assert.equal(BULK_MIN_VOLUME, 9007199254740990n);
  });

  it('a slice round-trips: uint256 fields as decimal strings, addresses checksummed', () => {
    const orders = [order(1), order(2, { requesterrestrict: REQUESTER })];
    const text = new TextDecoder().decode(encodeBulkSlice(orders));
    assert.match(text, /"volume":"9007199254740991"/);
    assert.deepEqual(parseBulkSlice(encodeBulkSlice(orders)), orders);
  });

  it('a root round-trips', () => {
    assert.deepEqual(parseBulkRoot(encodeBulkRoot([CID(1), CID(2)])), [CID(1), CID(2)]);
  });

  const badSlices: [string, unknown, RegExp][] = [
    ['an empty slice', [], /array of 1 to 100/],
    [
      '101 orders',
      jsonOf(Array.from({ length: MAX_DATASETS_PER_SLICE + 1 }, (_, i) => order(i + 1))),
      /array of 1 to 100/,
    ],
    ['an extra field', [{ ...jsonOf([order(1)])[0], x: '1' }], /exactly/],
    ['a bigint as a number', [{ ...jsonOf([order(1)])[0], volume: 5 }], /exactly/],
    ['a bad address', [{ ...jsonOf([order(1)])[0], apprestrict: '0x12' }], /apprestrict/],
    ['a negative price', [{ ...jsonOf([order(1)])[0], datasetprice: '-1' }], /datasetprice/],
    ['a short salt', [{ ...jsonOf([order(1)])[0], salt: '0x11' }], /salt/],
    ['the zero dataset', jsonOf([order(0)]), /zero address/],
    ['the same dataset twice', jsonOf([order(1), order(1)]), /appears twice/],
  ];
  for (const [name, value, details] of badSlices) {
    it(`error: a slice with ${name} (CONFIDE_BULK_INVALID, SLICE)`, () => {
      assert.throws(() => parseBulkSlice(bytes(value)), invalid('SLICE', details));
    });
  }

  it('error: a root that is not an array of CIDs, or that is empty (ROOT)', () => {
    assert.throws(() => parseBulkRoot(bytes([])), invalid('ROOT', /array of 1 to 1000/));
    assert.throws(() => parseBulkRoot(bytes(['../etc'])), invalid('ROOT', /entry 0 is not a CID/));
    assert.throws(() => parseBulkRoot(new Uint8Array([0xff, 0xfe])), invalid('ROOT', /not UTF-8 JSON/));
  });

  it('error: a document over the size limit (TOO_LARGE), also while streaming', async () => {
    assert.throws(() => parseBulkRoot(new Uint8Array(MAX_BULK_DOCUMENT_BYTES + 1)), invalid('TOO_LARGE', /over/));
    const source = {
      async *get() {
        for (let i = 0; i < 5; i++) yield new Uint8Array(MAX_BULK_DOCUMENT_BYTES / 4);
      },
    };
    await assert.rejects(readBulkSlice({ source, rootCid: CID(0), index: 0 }), invalid('TOO_LARGE', /over/));
  });

  it('readBulkSlice fetches the root then slice i; an index past the last slice is INDEX', async () => {
    const docs = new Map<string, Uint8Array>([
      [CID(0), encodeBulkRoot([CID(1), CID(2)])],
      [CID(1), encodeBulkSlice([order(1), order(2)])],
      [CID(2), encodeBulkSlice([order(3)])],
    ]);
    const source = {
      async *get(cid: string) {
        const doc = docs.get(cid);
        if (!doc) throw new Error(`no ${cid}`);
        yield doc;
      },
    };
    assert.deepEqual(await readBulkSlice({ source, rootCid: CID(0), index: 1 }), [order(3)]);
    assert.equal((await readBulkSlice({ source, rootCid: CID(0), index: 0 })).length, 2);
    await assert.rejects(readBulkSlice({ source, rootCid: CID(0), index: 2 }), invalid('INDEX', /root lists 2/));
  });
});

describe('bulkOrderProblem', () => {
  const deal = { app: APP, requester: REQUESTER, workerpool: POOL, tag: TAG_TEE };
  it('accepts a bulk order restricted to the app, or open to any app, requester and workerpool', () => {
    assert.equal(bulkOrderProblem(order(1), deal), undefined);
    assert.equal(
      bulkOrderProblem(
        order(1, { apprestrict: zeroAddress, requesterrestrict: REQUESTER, workerpoolrestrict: POOL }),
        deal,
      ),
      undefined,
    );
    assert.equal(bulkOrderProblem(order(1, { tag: `0x${'0'.repeat(64)}` }), deal), undefined);
  });
  const cases: [string, Partial<DatasetOrder>, string][] = [
    ['a price', { datasetprice: 1n }, 'PRICE'],
    ['a volume under 2^53 − 2', { volume: BULK_MIN_VOLUME - 1n }, 'VOLUME'],
    ['another app', { apprestrict: REQUESTER }, 'APP'],
    ['another requester', { requesterrestrict: APP }, 'REQUESTER'],
    ['another workerpool', { workerpoolrestrict: APP }, 'WORKERPOOL'],
    ['a tag bit the deal lacks', { tag: tagFromBits([0, 3]) }, 'TAG'],
  ];
  for (const [name, overrides, problem] of cases) {
    it(`error: ${name} → ${problem}`, () => {
      assert.equal(bulkOrderProblem(order(1, overrides), deal), problem);
    });
  }
});
