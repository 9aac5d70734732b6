import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { getAddress, type Hex } from 'viem';
import { confideDomain, hashOrder, type OrderKind, orderKinds, orderTypes } from '../../../protocol/src/index.js';
import { createOrderHasher } from './createOrderHasher.js';

const hex = (bytes: number) =>
  fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => `0x${Buffer.from(b).toString('hex')}` as Hex);
const field = (type: string) => {
  if (type === 'address') return hex(20).map((a) => getAddress(a));
  if (type === 'bytes32') return hex(32);
  if (type === 'uint256') return fc.bigInt({ min: 0n, max: 2n ** 256n - 1n });
  return fc.string({ unit: 'binary', maxLength: 200 });
};
const orderOf = (kind: OrderKind) =>
  fc.record(Object.fromEntries(orderTypes[kind].map((f) => [f.name, field(f.type)]))) as fc.Arbitrary<never>;

describe('createOrderHasher', () => {
  for (const kind of orderKinds) {
    it(`hashes ${kind}s exactly as hashOrder (viem's typed-data encoder)`, () => {
      const domain = confideDomain(31337, '0x5FbDB2315678afecb367f032d93F642f64180aa3');
      const hasher = createOrderHasher(domain);
      fc.assert(
        fc.property(orderOf(kind), (order) => {
          assert.equal(hasher.hash(kind, order), hashOrder({ domain, kind, order }));
        }),
        { seed: 20_251_125, numRuns: 200 },
      );
    });
  }
});
