import {
  QuoteCollateralError,
  QuoteInvalidError,
  QuoteParameterError,
  type QuotePlatformNotAllowedError,
  type QuoteSignatureError,
  type QuoteTcbRejectedError,
} from './errors.js';
import { parseDcapQuote } from './parseDcapQuote.js';
import { isSimQuote } from './parseSimQuote.js';
import type { DcapCollateral, Quote, QuotePolicy, VerifiedQuote } from './types.js';
import { verifyDcapQuote } from './verifyDcapQuote.js';
import { verifySimQuote } from './verifySimQuote.js';

/** What {@link verifyQuote} resolves to. */
export type VerifyQuoteReturnType = VerifiedQuote;

/** Errors {@link verifyQuote} rejects with; each has a stable `code` and `reason`. */
export type VerifyQuoteErrorType =
  | QuoteParameterError
  | QuoteInvalidError
  | QuoteSignatureError
  | QuoteCollateralError
  | QuoteTcbRejectedError
  | QuotePlatformNotAllowedError;

/**
 * Verifies an attestation quote of any platform and returns one result shape. The platform is
 * read from the bytes (sim magic, DCAP header) and must match `quote.platform`.
 *
 * - `sim`: refused unless `policy.allowSim`; then signed by one of `policy.simPlatformKeys`.
 * - `sgx` / `tdx`: genuine Intel DCAP quote, verified with `policy.collateral` valid at
 *   `policy.now`, with a TCB status in `policy.allowedTcbStatuses`; debug enclaves refused.
 *
 * This says who measured what and which report data it signed. It does not say that the quote
 * is for this app, task and keys: call `checkQuoteBinding` next.
 *
 * @param quote the quote the enclave presented
 * @param policy what this verifier accepts
 * @returns the platform, measurement (hex), report data (hex) and, per platform, TCB status and
 * advisories (DCAP) or platform key (sim)
 * @throws {QuoteInvalidError} malformed bytes, unsupported format, or a wrong `platform` claim
 * @throws {QuoteSignatureError} bad signature, untrusted platform key, uncertified attestation key
 * @throws {QuoteCollateralError} missing, wrong, tampered or expired collateral
 * @throws {QuoteTcbRejectedError} no matching TCB level, revoked, or status not allowed
 * @throws {QuotePlatformNotAllowedError} a sim quote in production mode, a debug enclave
 * @example
 * const verified = await verifyQuote(quote, { allowSim: false, collateral: (q) => getCollateral(pccsUrl, q.bytes) })
 * checkQuoteBinding({ verified, expectedMeasurement: app.fingerprint, enclaveAddress, sealingPublicKey, taskId })
 */
export async function verifyQuote(quote: Quote, policy: QuotePolicy): Promise<VerifyQuoteReturnType> {
  if (!quote || !(quote.bytes instanceof Uint8Array)) {
    throw new QuoteInvalidError('MALFORMED', 'a quote is { platform, bytes: Uint8Array }');
  }
  const now = unixSeconds(policy.now);
  // A copy: the collateral source may await, and the caller's buffer must not change under us.
  const bytes = Uint8Array.from(quote.bytes);

  if (isSimQuote(bytes)) {
    claim(quote, 'sim');
    return verifySimQuote(bytes, policy);
  }
  const { platform } = parseDcapQuote(bytes);
  claim(quote, platform);
  const collateral = await resolveCollateral(policy, { platform, bytes: Uint8Array.from(bytes) });
  return verifyDcapQuote({ bytes, collateral, now, allowedTcbStatuses: policy.allowedTcbStatuses });
}

function claim(quote: Quote, platform: Quote['platform']): void {
  if (quote.platform !== platform) {
    throw new QuoteInvalidError(
      'PLATFORM_MISMATCH',
      `the quote says platform ${String(quote.platform)}, its bytes are a ${platform} quote`,
    );
  }
}

async function resolveCollateral(policy: QuotePolicy, quote: Quote): Promise<DcapCollateral> {
  const source = policy.collateral;
  if (source === undefined) {
    throw new QuoteCollateralError(
      'UNAVAILABLE',
      `no DCAP collateral is configured: this verifier cannot check ${quote.platform} quotes`,
      {
        details: 'give policy.collateral (fixed collateral, or a function fetching it from a PCCS)',
      },
    );
  }
  let collateral: unknown;
  try {
    collateral = typeof source === 'function' ? await source(quote) : source;
  } catch (cause) {
    throw new QuoteCollateralError('UNAVAILABLE', 'the DCAP collateral could not be obtained', {
      cause,
      details: cause instanceof Error ? cause.message : String(cause),
    });
  }
  if (!collateral || typeof collateral !== 'object') {
    throw new QuoteCollateralError('MALFORMED', 'the DCAP collateral is not an object');
  }
  return collateral as DcapCollateral;
}

function unixSeconds(now: QuotePolicy['now']): number {
  if (now === undefined) return Math.floor(Date.now() / 1000);
  const seconds = typeof now === 'bigint' ? Number(now) : now;
  if (typeof seconds !== 'number' || !Number.isSafeInteger(seconds) || seconds < 0) {
    throw new QuoteParameterError('NOW', 'policy.now must be a non-negative integer number of unix seconds', {
      details: `got ${String(now)}`,
    });
  }
  return seconds;
}
