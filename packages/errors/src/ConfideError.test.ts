import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfideError } from './index.js';

class OvenColdError extends ConfideError<'CONFIDE_TEST_OVEN_COLD'> {
  override name = 'OvenColdError' as const;
  constructor(options: { details?: string; cause?: unknown; reason?: string } = {}) {
    super({ code: 'CONFIDE_TEST_OVEN_COLD', shortMessage: 'The oven is cold; switch it on.', ...options });
  }
}

describe('ConfideError', () => {
  it('keeps code, shortMessage, details, reason and cause, with a literal subclass name', () => {
    const cause = new Error('fuse blown');
    const error = new OvenColdError({ details: '12 °C', reason: 'NO_POWER', cause });
    assert.ok(error instanceof ConfideError && error instanceof Error);
    assert.equal(error.name, 'OvenColdError');
    assert.equal(error.code, 'CONFIDE_TEST_OVEN_COLD');
    assert.equal(error.reason, 'NO_POWER');
    assert.equal(error.shortMessage, 'The oven is cold; switch it on.');
    assert.equal(error.details, '12 °C');
    assert.equal(error.cause, cause);
  });

  it('composes the message: short message, text details, code and reason', () => {
    assert.equal(
      new OvenColdError({ details: '12 °C', reason: 'NO_POWER' }).message,
      'The oven is cold; switch it on.\nDetails: 12 °C\nCode: CONFIDE_TEST_OVEN_COLD (NO_POWER)',
    );
    assert.equal(new OvenColdError().message, 'The oven is cold; switch it on.\nCode: CONFIDE_TEST_OVEN_COLD');
  });

  it('renders structured details as key: value lines after a blank line', () => {
    const error = new ConfideError({
      code: 'CONFIDE_TEST_X',
      shortMessage: 'x',
      details: { url: 'http://h', status: 500 },
    });
    assert.deepEqual(error.details, { url: 'http://h', status: 500 });
    assert.equal(error.name, 'ConfideError');
    assert.equal(error.reason, undefined);
    assert.equal(error.message, 'x\nCode: CONFIDE_TEST_X\n\nurl: http://h\nstatus: 500');
  });

  it('walk() returns the deepest cause, the first match, or null', () => {
    const root = { code: 'ECONNREFUSED' };
    const middle = new OvenColdError({ cause: root });
    const top = new OvenColdError({ cause: middle });
    assert.equal(top.walk(), root);
    assert.equal(
      top.walk((e) => e !== top && e instanceof OvenColdError),
      middle,
    );
    assert.equal(
      top.walk((e) => e instanceof TypeError),
      null,
    );
    const alone = new OvenColdError();
    assert.equal(alone.walk(), alone);
  });

  it('walk() stops on a cyclic cause chain', () => {
    const a = new OvenColdError();
    const b = new OvenColdError({ cause: a });
    (a as { cause: unknown }).cause = b;
    assert.equal(
      a.walk(() => false),
      null,
    );
  });
});
