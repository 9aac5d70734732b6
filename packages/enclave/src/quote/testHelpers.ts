import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { QuoteError } from './errors.js';
import type { DcapCollateral } from './types.js';

/** The recorded genuine DCAP quotes of `test-fixtures/dcap` (see its README). */
export type DcapFixtureName = 'sgx_quote' | 'tdx_quote' | 'tdx_quote_outdated';

/** Verification times of the fixtures, from `test-fixtures/dcap/README.md`. */
const DCAP_FIXTURE_TIMES: Record<DcapFixtureName, number> = {
  sgx_quote: 1750330631,
  tdx_quote: 1750329207,
  tdx_quote_outdated: 1771412391,
};

/**
 * Loads a recorded quote and its collateral; each call returns fresh copies to tamper with.
 * @example const { bytes, collateral, now } = loadDcapFixture('sgx_quote')
 */
export function loadDcapFixture(name: DcapFixtureName): { bytes: Uint8Array; collateral: DcapCollateral; now: number } {
  const dir = new URL('../../test-fixtures/dcap/', import.meta.url);
  return {
    bytes: new Uint8Array(readFileSync(new URL(name, dir))),
    collateral: JSON.parse(readFileSync(new URL(`${name}_collateral.json`, dir), 'utf8')) as DcapCollateral,
    now: DCAP_FIXTURE_TIMES[name],
  };
}

/**
 * Asserts that `action` throws (or rejects with) a quote error of this name, code and reason.
 * @example await expectQuoteError(() => verifyQuote(q, policy), 'QuoteSignatureError', 'CONFIDE_QUOTE_SIGNATURE', 'BAD_SIGNATURE')
 */
export async function expectQuoteError(
  action: () => unknown,
  name: string,
  code: string,
  reason: string,
): Promise<QuoteError> {
  let thrown: unknown;
  try {
    await action();
  } catch (error) {
    thrown = error;
  }
  assert.ok(
    thrown instanceof QuoteError,
    `expected ${name} (${reason}), got ${thrown === undefined ? 'no error' : String(thrown)}`,
  );
  assert.deepEqual(
    { name: thrown.name, code: thrown.code, reason: thrown.reason },
    { name, code, reason },
    thrown.message,
  );
  return thrown;
}
