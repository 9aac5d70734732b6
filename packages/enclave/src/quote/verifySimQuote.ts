import { createPublicKey, verify } from 'node:crypto';
import { bytesToHex } from 'viem';
import { fixedBytes } from './computeReportData.js';
import { SPKI_ED25519_PREFIX } from './createSimPlatform.js';
import { QuotePlatformNotAllowedError, QuoteSignatureError } from './errors.js';
import { parseSimQuote } from './parseSimQuote.js';
import type { QuotePolicy, VerifiedQuote } from './types.js';

/**
 * Verifies a sim quote v1: refused outright unless the policy allows sim; then its platform key
 * must be one the policy trusts, and its Ed25519 signature must cover its first 136 bytes.
 * Called by `verifyQuote`, which callers should use.
 * @param bytes the raw sim quote
 * @param policy `allowSim` and `simPlatformKeys` are read
 * @returns the verified measurement, report data and platform key
 * @throws {QuotePlatformNotAllowedError} `SIM_NOT_ALLOWED` in production mode
 * @throws {QuoteInvalidError} `MALFORMED` when the bytes are not a sim quote v1
 * @throws {QuoteSignatureError} `UNTRUSTED_PLATFORM_KEY` or `BAD_SIGNATURE`
 * @example const verified = verifySimQuote(quote.bytes, { allowSim: true, simPlatformKeys: [platform.publicKey] })
 */
export function verifySimQuote(
  bytes: Uint8Array,
  policy: Pick<QuotePolicy, 'allowSim' | 'simPlatformKeys'>,
): VerifiedQuote {
  if (policy.allowSim !== true) {
    throw new QuotePlatformNotAllowedError(
      'SIM_NOT_ALLOWED',
      'sim quote in production mode: sim quotes are signed by a key on the worker machine, not by TEE hardware',
      {
        details:
          'a sim enclave does not protect data from the root user of its machine; set allowSim only in development',
      },
    );
  }
  const { measurement, reportData, platformKey, signature, signed } = parseSimQuote(bytes);
  const trusted = (policy.simPlatformKeys ?? []).map((k, i) => bytesToHex(fixedBytes(`simPlatformKeys[${i}]`, k, 32)));
  const platformKeyHex = bytesToHex(platformKey);
  if (!trusted.includes(platformKeyHex)) {
    throw new QuoteSignatureError(
      'UNTRUSTED_PLATFORM_KEY',
      'the sim quote is signed by a platform key this verifier does not trust',
      {
        details: `platform key ${platformKeyHex}; trusted: ${trusted.join(', ') || 'none'}`,
      },
    );
  }
  let valid = false;
  try {
    const key = createPublicKey({
      key: Buffer.concat([SPKI_ED25519_PREFIX, platformKey]),
      format: 'der',
      type: 'spki',
    });
    valid = verify(null, signed, key, signature);
  } catch (cause) {
    throw new QuoteSignatureError('BAD_SIGNATURE', 'the sim quote signature cannot be checked', { cause });
  }
  if (!valid) {
    throw new QuoteSignatureError(
      'BAD_SIGNATURE',
      'the sim quote signature is invalid: the quote was altered or forged',
    );
  }
  return {
    ok: true,
    platform: 'sim',
    measurement: bytesToHex(measurement),
    reportData: bytesToHex(reportData),
    platformKey: platformKeyHex,
  };
}
