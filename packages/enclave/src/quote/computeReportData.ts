import { createHash } from 'node:crypto';
import { bytesToHex, type Hex, hexToBytes, isAddress, isHex } from 'viem';
import { QuoteParameterError } from './errors.js';

/** Size of the report data of SGX reports and TDX TD reports, and of sim quotes. */
export const REPORT_DATA_LENGTH = 64;

/** Parameters of {@link computeReportData}. */
export type ComputeReportDataParameters = {
  /** Address of the enclave's secp256k1 key: the task's `enclaveChallenge`, which signs results. */
  enclaveAddress: Hex;
  /** The enclave's X25519 public key (32 bytes), to which secrets are sealed. */
  sealingPublicKey: Hex;
  /** The task the enclave runs (32 bytes). */
  taskId: Hex;
};

/** The 64 bytes of report data, lowercase hex. */
export type ComputeReportDataReturnType = Hex;

/** Errors {@link computeReportData} throws. */
export type ComputeReportDataErrorType = QuoteParameterError;

/**
 * Computes the report data an enclave puts in its quote, binding the quote to its two keys and
 * its task, so that a quote cannot be reused for another task or another key:
 *
 * ```text
 * digest     = SHA-256( enclaveAddress (20 bytes) ‖ sealingPublicKey (32 bytes) ‖ taskId (32 bytes) )
 * reportData = digest (32 bytes) ‖ 0x00 × 32                                  -- 64 bytes
 * ```
 *
 * The three inputs are fixed-size raw bytes (hex decoded, address case ignored), so the
 * concatenation is unambiguous. SGX `REPORTDATA` and TDX `REPORTDATA` are both 64 bytes; the
 * verifier compares all 64, so a later version can give the second half a meaning.
 *
 * @param parameters the enclave's address and sealing key, and the task id
 * @returns the 64-byte report data as lowercase hex
 * @throws {QuoteParameterError} when an input is not of its size
 * @example
 * const reportData = computeReportData({ enclaveAddress: account.address, sealingPublicKey, taskId })
 */
export function computeReportData({
  enclaveAddress,
  sealingPublicKey,
  taskId,
}: ComputeReportDataParameters): ComputeReportDataReturnType {
  if (typeof enclaveAddress !== 'string' || !isAddress(enclaveAddress, { strict: false })) {
    throw new QuoteParameterError('ENCLAVE_ADDRESS', 'enclaveAddress must be a 20-byte hex address', {
      details: `got ${String(enclaveAddress)}`,
    });
  }
  const digest = createHash('sha256')
    .update(hexToBytes(enclaveAddress))
    .update(fixedBytes('sealingPublicKey', sealingPublicKey, 32))
    .update(fixedBytes('taskId', taskId, 32))
    .digest();
  const reportData = new Uint8Array(REPORT_DATA_LENGTH);
  reportData.set(digest, 0);
  return bytesToHex(reportData);
}

/**
 * Decodes a hex string that must hold exactly `length` bytes.
 * @throws {QuoteParameterError} otherwise, with reason `name` in upper snake case
 */
export function fixedBytes(name: string, value: unknown, length: number): Uint8Array {
  if (typeof value !== 'string' || !isHex(value, { strict: true }) || value.length !== 2 + 2 * length) {
    throw new QuoteParameterError(
      name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase(),
      `${name} must be ${length} bytes of 0x-prefixed hex`,
      { details: `got ${typeof value === 'string' ? JSON.stringify(value.slice(0, 100)) : typeof value}` },
    );
  }
  return hexToBytes(value);
}
