/**
 * Errors of quote creation, verification and binding. One root, {@link QuoteError}, extending the
 * shared `ConfideError` (`shortMessage`, `details`, `cause`, `code`, `reason`, `walk()`): callers
 * (the SMS, the CLI, HTTP clients) switch on `code` and `reason`, never on message text.
 */

import { ConfideError, type ConfideErrorOptions } from '../../../errors/src/index.js';

/** Every stable code a {@link QuoteError} can carry. */
export type QuoteErrorCode =
  | 'CONFIDE_QUOTE_PARAMETER'
  | 'CONFIDE_QUOTE_INVALID'
  | 'CONFIDE_QUOTE_SIGNATURE'
  | 'CONFIDE_QUOTE_COLLATERAL'
  | 'CONFIDE_QUOTE_TCB_REJECTED'
  | 'CONFIDE_QUOTE_PLATFORM_NOT_ALLOWED'
  | 'CONFIDE_QUOTE_BINDING';

/** Options shared by every quote error: `details` (text) and `cause`. */
export type QuoteErrorOptions = ConfideErrorOptions;

/**
 * Root of all quote errors.
 * @example
 * try { await verifyQuote(quote, policy) } catch (e) { if (e instanceof QuoteError) log(e.code, e.reason) }
 */
export class QuoteError extends ConfideError<QuoteErrorCode> {
  override name: string = 'QuoteError';
  /** Finer stable reason within the code, e.g. `EXPIRED`. */
  declare readonly reason: string;

  constructor(code: QuoteErrorCode, reason: string, shortMessage: string, options: QuoteErrorOptions = {}) {
    super({ code, reason, shortMessage, details: options.details, cause: options.cause });
  }
}

/** A function of this module was called with a malformed argument (length, hex, address, time). */
export class QuoteParameterError extends QuoteError {
  override name = 'QuoteParameterError' as const;
  declare readonly code: 'CONFIDE_QUOTE_PARAMETER';
  constructor(reason: string, shortMessage: string, options?: QuoteErrorOptions) {
    super('CONFIDE_QUOTE_PARAMETER', reason, shortMessage, options);
  }
}

/** Why a quote's bytes were refused before any signature was checked. */
export type QuoteInvalidReason = 'MALFORMED' | 'UNSUPPORTED' | 'PLATFORM_MISMATCH';

/** The quote's bytes cannot be parsed, use an unsupported format, or contradict its `platform`. */
export class QuoteInvalidError extends QuoteError {
  override name = 'QuoteInvalidError' as const;
  declare readonly code: 'CONFIDE_QUOTE_INVALID';
  declare readonly reason: QuoteInvalidReason;
  constructor(reason: QuoteInvalidReason, shortMessage: string, options?: QuoteErrorOptions) {
    super('CONFIDE_QUOTE_INVALID', reason, shortMessage, options);
  }
}

/** Why a quote's signature was refused. */
export type QuoteSignatureReason = 'BAD_SIGNATURE' | 'UNTRUSTED_PLATFORM_KEY' | 'PCK_CERTIFICATE_INVALID';

/**
 * The quote is not signed as it must be: a bad signature (one flipped bit), a sim platform key
 * the policy does not trust, or a DCAP attestation key not certified by Intel.
 */
export class QuoteSignatureError extends QuoteError {
  override name = 'QuoteSignatureError' as const;
  declare readonly code: 'CONFIDE_QUOTE_SIGNATURE';
  declare readonly reason: QuoteSignatureReason;
  constructor(reason: QuoteSignatureReason, shortMessage: string, options?: QuoteErrorOptions) {
    super('CONFIDE_QUOTE_SIGNATURE', reason, shortMessage, options);
  }
}

/** Why DCAP collateral was refused. */
export type QuoteCollateralReason =
  | 'UNAVAILABLE'
  | 'MALFORMED'
  | 'MISMATCH'
  | 'SIGNATURE'
  | 'REVOKED'
  | 'EXPIRED'
  | 'NOT_YET_VALID';

/**
 * The DCAP collateral (TCB info, QE identity, CRLs and their certificate chains) is missing,
 * malformed, for another platform, not signed by Intel, or not valid at the verification time.
 */
export class QuoteCollateralError extends QuoteError {
  override name = 'QuoteCollateralError' as const;
  declare readonly code: 'CONFIDE_QUOTE_COLLATERAL';
  declare readonly reason: QuoteCollateralReason;
  constructor(reason: QuoteCollateralReason, shortMessage: string, options?: QuoteErrorOptions) {
    super('CONFIDE_QUOTE_COLLATERAL', reason, shortMessage, options);
  }
}

/** Why a platform's TCB was refused. */
export type QuoteTcbRejectedReason = 'NO_MATCHING_TCB_LEVEL' | 'STATUS_NOT_ALLOWED' | 'REVOKED';

/** The platform's TCB level is not acceptable: unknown to Intel, revoked, or not allowed by the policy. */
export class QuoteTcbRejectedError extends QuoteError {
  override name = 'QuoteTcbRejectedError' as const;
  declare readonly code: 'CONFIDE_QUOTE_TCB_REJECTED';
  declare readonly reason: QuoteTcbRejectedReason;
  /** The TCB status Intel's collateral gives this platform, when one matched. */
  readonly tcbStatus: string | undefined;
  constructor(
    reason: QuoteTcbRejectedReason,
    shortMessage: string,
    options: QuoteErrorOptions & { tcbStatus?: string } = {},
  ) {
    super('CONFIDE_QUOTE_TCB_REJECTED', reason, shortMessage, options);
    this.tcbStatus = options.tcbStatus;
  }
}

/** Why a platform was refused whatever its signature. */
export type QuotePlatformNotAllowedReason = 'SIM_NOT_ALLOWED' | 'DEBUG_ENCLAVE' | 'INSECURE_TD_ATTRIBUTES';

/**
 * The quote comes from a platform the policy refuses: a sim quote in production mode, or a
 * debug enclave / TD whose memory the host can read.
 */
export class QuotePlatformNotAllowedError extends QuoteError {
  override name = 'QuotePlatformNotAllowedError' as const;
  declare readonly code: 'CONFIDE_QUOTE_PLATFORM_NOT_ALLOWED';
  declare readonly reason: QuotePlatformNotAllowedReason;
  constructor(reason: QuotePlatformNotAllowedReason, shortMessage: string, options?: QuoteErrorOptions) {
    super('CONFIDE_QUOTE_PLATFORM_NOT_ALLOWED', reason, shortMessage, options);
  }
}

/** Why a verified quote does not bind to what the enclave presented. */
export type QuoteBindingReason = 'MEASUREMENT_MISMATCH' | 'REPORT_DATA_MISMATCH';

/**
 * A genuine quote that is not for this app, or not for this task and these enclave keys: a quote
 * cannot be reused for another task or key.
 */
export class QuoteBindingError extends QuoteError {
  override name = 'QuoteBindingError' as const;
  declare readonly code: 'CONFIDE_QUOTE_BINDING';
  declare readonly reason: QuoteBindingReason;
  constructor(reason: QuoteBindingReason, shortMessage: string, options?: QuoteErrorOptions) {
    super('CONFIDE_QUOTE_BINDING', reason, shortMessage, options);
  }
}
