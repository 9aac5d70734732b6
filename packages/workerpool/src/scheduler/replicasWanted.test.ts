import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keccak256, toHex } from 'viem';
import { MAX_CONTRIBUTORS, replicasWanted } from './replicasWanted.js';

const A = keccak256(toHex('a'));
const B = keccak256(toHex('b'));
const fresh = (resultHash: typeof A) => ({ resultHash, weight: 1 });

describe('replicasWanted: how many workers the scheduler keeps on a replicated task', () => {
  it('trust 3 with fresh workers: two to start, none once two agree', () => {
    assert.equal(replicasWanted(3n, [], 0), 2);
    assert.equal(replicasWanted(3n, [fresh(A)], 1), 1);
    assert.equal(replicasWanted(3n, [fresh(A), fresh(A)], 2), 0);
  });

  it('a disagreement raises it: one against one needs two more agreeing', () => {
    assert.equal(replicasWanted(3n, [fresh(A), fresh(B)], 2), 2);
    assert.equal(replicasWanted(3n, [fresh(A), fresh(B), fresh(A)], 3), 1);
    assert.equal(replicasWanted(3n, [fresh(A), fresh(B), fresh(A), fresh(A)], 4), 0);
  });

  it('higher trust needs more agreeing workers; a heavier worker counts for more', () => {
    assert.equal(replicasWanted(32n, [], 0), 5);
    assert.equal(replicasWanted(3n, [{ resultHash: A, weight: 3 }], 1), 0);
  });

  it('rejected contributions use places: a full task wants no one', () => {
    assert.equal(replicasWanted(3n, [], MAX_CONTRIBUTORS), 0);
    assert.equal(replicasWanted(1000n, [], MAX_CONTRIBUTORS - 3), 3);
  });
});
