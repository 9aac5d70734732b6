import { timingSafeEqual } from 'node:crypto';
import { bytesToHex, type Hex, hexToBytes, isHex } from 'viem';
import { computeReportData } from './computeReportData.js';
import { QuoteBindingError, type QuoteParameterError } from './errors.js';
import type { VerifiedQuote } from './types.js';

/** Parameters of {@link checkQuoteBinding}. */
export type CheckQuoteBindingParameters = {
  /** What `verifyQuote` returned. */
  verified: Pick<VerifiedQuote, 'measurement' | 'reportData'>;
  /**
   * The app's TEE fingerprint as registered on chain: compared, case-insensitively and at full
   * length, with the quote's measurement (32 bytes for sim and SGX, 48 for TDX).
   */
  expectedMeasurement: Hex;
  /** The enclave address (`enclaveChallenge`) the enclave presented. */
  enclaveAddress: Hex;
  /** The X25519 sealing key the enclave presented (32 bytes). */
  sealingPublicKey: Hex;
  /** The task the enclave asks secrets for (32 bytes). */
  taskId: Hex;
};

/** Errors {@link checkQuoteBinding} throws. */
export type CheckQuoteBindingErrorType = QuoteBindingError | QuoteParameterError;

/**
 * Checks that a verified quote is for this app, and for this task and these enclave keys: its
 * measurement equals the on-chain fingerprint, and its report data equals
 * `computeReportData({ enclaveAddress, sealingPublicKey, taskId })` on all 64 bytes. What the SMS
 * calls right after `verifyQuote`, before it looks at the chain.
 * @param parameters the verified quote and what it must bind to
 * @throws {QuoteBindingError} `MEASUREMENT_MISMATCH` (another app, or another build of it) or
 * `REPORT_DATA_MISMATCH` (another task, enclave address or sealing key: a replayed quote)
 * @throws {QuoteParameterError} when a presented key or id is not of its size
 * @example
 * const verified = await verifyQuote(quote, policy)
 * checkQuoteBinding({ verified, expectedMeasurement: app.fingerprint, enclaveAddress, sealingPublicKey, taskId })
 */
export function checkQuoteBinding({
  verified,
  expectedMeasurement,
  enclaveAddress,
  sealingPublicKey,
  taskId,
}: CheckQuoteBindingParameters): void {
  const measured = hexToBytes(verified.measurement);
  const expected = isHex(expectedMeasurement, { strict: true }) ? hexToBytes(expectedMeasurement) : new Uint8Array();
  if (expected.length === 0 || !sameBytes(measured, expected)) {
    throw new QuoteBindingError(
      'MEASUREMENT_MISMATCH',
      'the enclave does not run the app whose fingerprint is on chain',
      {
        details: `measured ${bytesToHex(measured)}, on chain ${String(expectedMeasurement)}`,
      },
    );
  }
  const bound = computeReportData({ enclaveAddress, sealingPublicKey, taskId });
  if (!sameBytes(hexToBytes(verified.reportData), hexToBytes(bound))) {
    throw new QuoteBindingError(
      'REPORT_DATA_MISMATCH',
      'the quote is not for this task and these enclave keys: a quote cannot be reused for another task or key',
      { details: `report data ${verified.reportData}, expected ${bound} for task ${taskId}` },
    );
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
