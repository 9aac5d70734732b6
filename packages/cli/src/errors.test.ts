import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DataProtectorError } from '../../dataprotector/src/index.js';
import { ConfideSdkError } from '../../sdk/src/index.js';
import { CliError, failureOf } from './errors.js';

const DOCS = path.resolve(import.meta.dirname, '../../../docs/cli.md');

describe('failureOf: one exit status per error code', () => {
  it('gives every code of the docs/cli.md exit table the exit status the table says', async () => {
    const rows = (await readFile(DOCS, 'utf8')).split('\n').filter((line) => /^\| [0-7] +\|/.test(line));
    assert.equal(rows.length, 8, 'the table has exits 0 to 7');
    let checked = 0;
    for (const row of rows) {
      const exit = Number(row.slice(2, 3));
      for (const [, code] of row.matchAll(/`(CONFIDE_[A-Z0-9_]+)`/g)) {
        assert.equal(failureOf({ code, message: 'x' }).exit, exit, `${code} exits ${exit}`);
        checked++;
      }
    }
    assert.ok(checked >= 25, `checked ${checked} codes`);
  });

  it('turns an escrow revert anywhere in the cause chain into CONFIDE_CLI_INSUFFICIENT_FUNDS (exit 4)', () => {
    const revert = { name: 'ContractFunctionRevertedError', data: { errorName: 'EscrowInsufficientBalance' } };
    const wrapped = new DataProtectorError('CONFIDE_DATAPROTECTOR_SERVICE_FAILED', {
      details: 'matching the orders: reverted',
      cause: new Error('the orders do not match', { cause: { shortMessage: 'reverted', cause: revert } }),
    });
    const failure = failureOf(wrapped);
    assert.equal(failure.code, 'CONFIDE_CLI_INSUFFICIENT_FUNDS');
    assert.equal(failure.exit, 4);
    assert.match(failure.message, /confide account deposit/);
  });

  it('keeps library codes, and reports anything else as CONFIDE_CLI_FAILED (exit 1)', () => {
    assert.deepEqual(
      { ...failureOf(new DataProtectorError('CONFIDE_DATAPROTECTOR_NO_ACCESS')), message: '' },
      { code: 'CONFIDE_DATAPROTECTOR_NO_ACCESS', exit: 6, message: '' },
    );
    assert.equal(failureOf(new CliError('CONFIDE_CLI_NO_WALLET')).exit, 3);
    assert.deepEqual(failureOf(new TypeError('boom')), { code: 'CONFIDE_CLI_FAILED', message: 'boom', exit: 1 });
  });

  it('keeps SDK codes with their exit status: not found 5, not claimable 6, invalid parameters 2', () => {
    const sdk = (
      code: 'CONFIDE_SDK_TASK_NOT_FOUND' | 'CONFIDE_SDK_TASK_NOT_CLAIMABLE' | 'CONFIDE_SDK_PARAMETERS_INVALID',
    ) => failureOf(new ConfideSdkError({ code, shortMessage: 'x' }));
    assert.deepEqual(
      [
        sdk('CONFIDE_SDK_TASK_NOT_FOUND'),
        sdk('CONFIDE_SDK_TASK_NOT_CLAIMABLE'),
        sdk('CONFIDE_SDK_PARAMETERS_INVALID'),
      ].map((f) => [f.code, f.exit]),
      [
        ['CONFIDE_SDK_TASK_NOT_FOUND', 5],
        ['CONFIDE_SDK_TASK_NOT_CLAIMABLE', 6],
        ['CONFIDE_SDK_PARAMETERS_INVALID', 2],
      ],
    );
  });
});
