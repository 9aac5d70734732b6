import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { type GasSnapshot, measureGas, SNAPSHOT_FILE } from './helpers/gas.js';

/** Contracts above this size cannot be deployed on Ethereum mainnet or its rollups (EIP-170). */
const EIP170_LIMIT = 24_576;

describe('gas snapshot', () => {
  it('matches contracts/gas-snapshot.json (run `npm run gas:snapshot` and explain the change in the commit)', async () => {
    const measured = await measureGas();
    if (process.env.UPDATE_GAS_SNAPSHOT === '1') {
      fs.writeFileSync(SNAPSHOT_FILE, `${JSON.stringify(measured, null, 2)}\n`);
    }
    const committed = JSON.parse(fs.readFileSync(SNAPSHOT_FILE, 'utf8')) as GasSnapshot;
    assert.deepEqual(measured, committed);
  });

  it('every contract fits the EIP-170 size limit', async () => {
    const committed = JSON.parse(fs.readFileSync(SNAPSHOT_FILE, 'utf8')) as GasSnapshot;
    for (const [name, size] of Object.entries(committed.bytecodeSize)) {
      assert.ok(size <= EIP170_LIMIT, `${name} is ${size} B, above ${EIP170_LIMIT} B`);
    }
  });
});
