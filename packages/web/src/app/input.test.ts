import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DashboardInputError, durationSeconds, tokenAmount, wholeNumber } from './input.js';
import { messageOf } from './ui.js';

/** Asserts `read` refuses with CONFIDE_WEB_INVALID_INPUT, `reason`, and details matching `details`. */
function refused(read: () => unknown, reason: string, details: RegExp) {
  assert.throws(read, (error: unknown) => {
    assert.ok(error instanceof DashboardInputError);
    assert.equal(error.code, 'CONFIDE_WEB_INVALID_INPUT');
    assert.equal(error.reason, reason);
    assert.match(String(error.details), details);
    return true;
  });
}

describe('dashboard form input', () => {
  it('reads CFD amounts to 9-decimal units; empty is 0', () => {
    assert.equal(tokenAmount('5', 'The price'), 5_000_000_000n);
    assert.equal(tokenAmount(' 0.5 ', 'The price'), 500_000_000n);
    assert.equal(tokenAmount('.25', 'The price'), 250_000_000n);
    assert.equal(tokenAmount('2.', 'The price'), 2_000_000_000n);
    assert.equal(tokenAmount('0.000000001', 'The price'), 1n);
    assert.equal(tokenAmount('', 'The price'), 0n);
  });

  it('refuses amounts that are not plain non-negative CFD numbers, with the field named', () => {
    for (const typed of ['-5', 'abc', '1e3', '1,5', '0x10', '1.2.3', '.', 'Infinity']) {
      refused(() => tokenAmount(typed, 'The sale price'), 'AMOUNT', /^The sale price must be an amount in CFD/);
    }
    refused(() => tokenAmount('0.0000000001', 'The price'), 'AMOUNT', /at most 9 decimals.*got "0\.0000000001"/);
    refused(() => tokenAmount('1'.repeat(30), 'The price'), 'AMOUNT', /at most 79228162514264337593543950335 units/);
  });

  it('reads durations in a unit to whole seconds, between 1 s and 2^40 − 1 s', () => {
    assert.equal(durationSeconds('1', 3600, 'hours', 'The rental duration'), 3600);
    assert.equal(durationSeconds('1.5', 3600, 'hours', 'The rental duration'), 5400);
    assert.equal(durationSeconds('30', 86_400, 'days', 'The subscription duration'), 2_592_000);
    for (const typed of ['0', '', '-1', 'two', '0.0001', '1e2', `${2 ** 40}`]) {
      refused(
        () => durationSeconds(typed, 3600, 'hours', 'The rental duration'),
        'DURATION',
        /^The rental duration must be a positive number of hours/,
      );
    }
  });

  it('reads whole numbers at least the minimum', () => {
    assert.equal(wholeNumber(' 3 ', 1, 'The number of uses'), 3);
    for (const typed of ['0', '1.5', '-2', 'x', '']) {
      refused(
        () => wholeNumber(typed, 1, 'The number of uses'),
        'COUNT',
        /^The number of uses must be a whole number ≥ 1/,
      );
    }
  });

  it('is shown on the page with its code', () => {
    const error = new DashboardInputError('AMOUNT', 'The sale price must be an amount in CFD');
    assert.equal(
      messageOf(error),
      'A value typed in the form is not valid; fix it and try again. The sale price must be an amount in CFD (CONFIDE_WEB_INVALID_INPUT)',
    );
  });
});
