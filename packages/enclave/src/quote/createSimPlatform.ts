import { createPrivateKey, createPublicKey, type KeyObject, randomBytes, sign } from 'node:crypto';
import { bytesToHex, type Hex } from 'viem';
import { fixedBytes, REPORT_DATA_LENGTH } from './computeReportData.js';
import { SIM_QUOTE_LAYOUT, SIM_QUOTE_LENGTH, SIM_QUOTE_MAGIC } from './parseSimQuote.js';
import type { Quote } from './types.js';

// DER prefixes that wrap a raw Ed25519 key (RFC 8410) so node:crypto can import it.
const PKCS8_ED25519_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);
/** SPKI DER prefix of a raw 32-byte Ed25519 public key. */
export const SPKI_ED25519_PREFIX = Uint8Array.from([
  0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
]);

/** Parameters of {@link createSimPlatform}. */
export type CreateSimPlatformParameters = {
  /**
   * The platform's Ed25519 private key: its 32-byte seed (RFC 8032), hex. A fresh random key
   * when absent; pass one (e.g. kept in the devnet's state folder) for the SMS to keep trusting
   * the platform across restarts.
   */
  privateKey?: Hex;
};

/** Parameters of {@link SimPlatform.quote}. */
export type SimQuoteParameters = {
  /** The app fingerprint, measured by the sim runtime from the bundle it runs (32 bytes, hex). */
  measurement: Hex;
  /** The report data from `computeReportData` (64 bytes, hex). */
  reportData: Hex;
};

/** A development attestation platform. */
export type SimPlatform = {
  /** The platform's Ed25519 public key (32 bytes, hex): what an SMS lists in `simPlatformKeys`. */
  publicKey: Hex;
  /** Signs a sim quote v1 (format in `parseSimQuote.ts`) over a measurement and report data. */
  quote: (parameters: SimQuoteParameters) => Quote;
};

/** The platform {@link createSimPlatform} returns. */
export type CreateSimPlatformReturnType = SimPlatform;

/**
 * Creates the `sim` attestation platform: quotes signed by a local Ed25519 key instead of TEE
 * hardware. For development only: whoever has root on the machine can read the key and forge
 * quotes, so a production SMS never trusts a sim quote.
 *
 * Ed25519 (node:crypto) rather than secp256k1: the platform key is not an on-chain account, and
 * Ed25519 signatures are deterministic, fixed-size (64 bytes) and need no hashing choice.
 *
 * @param parameters the platform's private key, if it must be stable
 * @returns the platform's public key and its `quote` function
 * @throws {QuoteParameterError} when a key, measurement or report data is not of its size
 * @example
 * const platform = createSimPlatform()
 * const quote = platform.quote({ measurement: fingerprint, reportData: computeReportData({ enclaveAddress, sealingPublicKey, taskId }) })
 */
export function createSimPlatform({ privateKey }: CreateSimPlatformParameters = {}): CreateSimPlatformReturnType {
  const seed = privateKey === undefined ? randomBytes(32) : fixedBytes('privateKey', privateKey, 32);
  const key: KeyObject = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  const publicKey = new Uint8Array(spki.subarray(SPKI_ED25519_PREFIX.length));

  return {
    publicKey: bytesToHex(publicKey),
    quote({ measurement, reportData }) {
      const bytes = new Uint8Array(SIM_QUOTE_LENGTH);
      bytes.set(SIM_QUOTE_MAGIC, SIM_QUOTE_LAYOUT.magic.offset);
      bytes.set(
        fixedBytes('measurement', measurement, SIM_QUOTE_LAYOUT.measurement.size),
        SIM_QUOTE_LAYOUT.measurement.offset,
      );
      bytes.set(fixedBytes('reportData', reportData, REPORT_DATA_LENGTH), SIM_QUOTE_LAYOUT.reportData.offset);
      bytes.set(publicKey, SIM_QUOTE_LAYOUT.platformKey.offset);
      const signature = sign(null, bytes.subarray(0, SIM_QUOTE_LAYOUT.signature.offset), key);
      bytes.set(signature, SIM_QUOTE_LAYOUT.signature.offset);
      return { platform: 'sim', bytes };
    },
  };
}
