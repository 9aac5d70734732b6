import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  QuoteBindingError,
  QuoteCollateralError,
  QuoteError,
  QuoteInvalidError,
  QuoteParameterError,
  QuotePlatformNotAllowedError,
  QuoteSignatureError,
  QuoteTcbRejectedError,
} from './errors.js';

describe('QuoteError', () => {
  it('gives every error a literal name, a stable code and its reason', () => {
    const errors = [
      [new QuoteParameterError('NOW', 'm'), 'QuoteParameterError', 'CONFIDE_QUOTE_PARAMETER'],
      [new QuoteInvalidError('MALFORMED', 'm'), 'QuoteInvalidError', 'CONFIDE_QUOTE_INVALID'],
      [new QuoteSignatureError('BAD_SIGNATURE', 'm'), 'QuoteSignatureError', 'CONFIDE_QUOTE_SIGNATURE'],
      [new QuoteCollateralError('EXPIRED', 'm'), 'QuoteCollateralError', 'CONFIDE_QUOTE_COLLATERAL'],
      [new QuoteTcbRejectedError('REVOKED', 'm'), 'QuoteTcbRejectedError', 'CONFIDE_QUOTE_TCB_REJECTED'],
      [
        new QuotePlatformNotAllowedError('SIM_NOT_ALLOWED', 'm'),
        'QuotePlatformNotAllowedError',
        'CONFIDE_QUOTE_PLATFORM_NOT_ALLOWED',
      ],
      [new QuoteBindingError('REPORT_DATA_MISMATCH', 'm'), 'QuoteBindingError', 'CONFIDE_QUOTE_BINDING'],
    ] as const;
    for (const [error, name, code] of errors) {
      assert.ok(error instanceof QuoteError && error instanceof Error);
      assert.equal(error.name, name);
      assert.equal(error.code, code);
    }
    assert.equal(new Set(errors.map(([, , code]) => code)).size, errors.length);
  });

  it('puts message, details, code and reason in the message; keeps the short message apart', () => {
    const error = new QuoteCollateralError('EXPIRED', 'the TCB info has expired', { details: 'nextUpdate 2025-07-19' });
    assert.equal(error.shortMessage, 'the TCB info has expired');
    assert.equal(error.details, 'nextUpdate 2025-07-19');
    assert.equal(
      error.message,
      'the TCB info has expired\nDetails: nextUpdate 2025-07-19\nCode: CONFIDE_QUOTE_COLLATERAL (EXPIRED)',
    );
  });

  it('walks the cause chain', () => {
    const root = new Error('TCBInfo expired');
    const middle = new QuoteCollateralError('EXPIRED', 'expired', { cause: root });
    const top = new QuoteInvalidError('UNSUPPORTED', 'outer', { cause: middle });
    assert.equal(top.walk(), root);
    assert.equal(
      top.walk((e) => e instanceof QuoteCollateralError),
      middle,
    );
    assert.equal(
      top.walk((e) => e instanceof QuoteBindingError),
      null,
    );
  });
});
