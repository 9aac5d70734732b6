import assert from 'node:assert/strict';
import { ConfideCryptoError, type ConfideCryptoErrorCode } from './errors.js';

/**
 * Test helper: asserts that `run` throws (or rejects with) a ConfideCryptoError of this `name` and `code`.
 * @example await expectCryptoError(() => decryptDatasetBytes({ ciphertext, key }), 'DatasetTruncatedError', 'CONFIDE_CRYPTO_DATASET_TRUNCATED')
 */
export async function expectCryptoError(
  run: () => unknown,
  name: string,
  code: ConfideCryptoErrorCode,
): Promise<ConfideCryptoError> {
  let thrown: unknown;
  try {
    await run();
  } catch (error) {
    thrown = error;
  }
  assert.ok(
    thrown instanceof ConfideCryptoError,
    `expected ${name}, got ${thrown === undefined ? 'no error' : String(thrown)}`,
  );
  assert.equal(thrown.name, name, thrown.message);
  assert.equal(thrown.code, code);
  return thrown;
}
