import {
  QuoteCollateralError,
  type QuoteCollateralReason,
  type QuoteError,
  QuoteInvalidError,
  QuotePlatformNotAllowedError,
  type QuotePlatformNotAllowedReason,
  QuoteSignatureError,
  type QuoteSignatureReason,
  QuoteTcbRejectedError,
  type QuoteTcbRejectedReason,
} from './errors.js';

type Namer = (details: string, cause: unknown) => QuoteError;

const invalid =
  (message: string): Namer =>
  (details, cause) =>
    new QuoteInvalidError('UNSUPPORTED', message, { cause, details });
const collateral =
  (reason: QuoteCollateralReason, message: string): Namer =>
  (details, cause) =>
    new QuoteCollateralError(reason, message, { cause, details });
const signature =
  (reason: QuoteSignatureReason, message: string): Namer =>
  (details, cause) =>
    new QuoteSignatureError(reason, message, { cause, details });
const tcb =
  (reason: QuoteTcbRejectedReason, message: string, tcbStatus?: string): Namer =>
  (details, cause) =>
    new QuoteTcbRejectedError(
      reason,
      message,
      tcbStatus === undefined ? { cause, details } : { cause, details, tcbStatus },
    );
const platform =
  (reason: QuotePlatformNotAllowedReason, message: string): Namer =>
  (details, cause) =>
    new QuotePlatformNotAllowedError(reason, message, { cause, details });

/**
 * The messages of `@phala/dcap-qvl` 0.3.9's plain `Error`s, in the order it checks. Certificate
 * chain errors can only come from the quote's PCK chain: `checkDcapCollateral` has verified the
 * collateral's chains with the same function before; and only the collateral's signatures can have
 * a wrong length (`Key length is invalid`), the quote's are read at fixed sizes.
 * `nameDcapError.test.ts` lists every message and checks the installed library throws no other.
 */
const LIBRARY_ERRORS: [RegExp, Namer][] = [
  [
    /^Failed to decode quote|^Unsupported DCAP (quote version|TEE type|attestation key type)|must have version/,
    invalid('unsupported DCAP quote'),
  ],
  [
    /^Unsupported DCAP PCK cert format|^Failed to extract PCK certificates from quote|^Certificate chain is too short in quote/,
    invalid('the quote does not carry its PCK certificate chain'),
  ],
  [/(TCBInfo|QE Identity) expired$/, collateral('EXPIRED', 'the collateral has expired: fetch fresh collateral')],
  [/issue date is in the future$/, collateral('NOT_YET_VALID', 'the collateral is not valid yet')],
  [
    /^Signature is invalid for (tcb_info|qe_identity)|^Certificate chain is too short for/,
    collateral('SIGNATURE', 'the collateral is not signed by Intel'),
  ],
  [
    /^Failed to decode (TcbInfo|QeIdentity)|^Key length is invalid|^Failed to extract PCK certificates from collateral/,
    collateral('MALFORMED', 'the collateral cannot be decoded'),
  ],
  [
    /^Fmspc mismatch|TCB info in the collateral$|^Unsupported QE Identity/,
    collateral('MISMATCH', 'the collateral is for another platform'),
  ],
  [/^Certificate is revoked/, tcb('REVOKED', "the platform's PCK certificate is revoked", 'Revoked')],
  [
    /^Failed to verify certificate chain|^Certificate is expired or not yet valid|^CaUsedAsEndEntity/,
    signature('PCK_CERTIFICATE_INVALID', "the quote's attestation key is not certified by Intel"),
  ],
  [
    /^Signature is invalid for qe_report|^QE report hash mismatch|^ISV enclave report signature is invalid/,
    signature('BAD_SIGNATURE', 'the quote signature is invalid: the quote was altered or forged'),
  ],
  [
    /^QE (MRSIGNER|ISVPRODID|MISCSELECT|ATTRIBUTES) mismatch/,
    signature('BAD_SIGNATURE', "the quote was not made by Intel's quoting enclave"),
  ],
  [
    /^No matching TCB level|^No (SGX|TDX) components|^Failed to get TD10 report|^QE ISVSVN .* below minimum|^No TCB levels/,
    tcb(
      'NO_MATCHING_TCB_LEVEL',
      "no TCB level of Intel's collateral matches this platform: it is older than any level Intel lists",
    ),
  ],
  [/^TCB status is invalid: Revoked/, tcb('REVOKED', "the platform's TCB is revoked", 'Revoked')],
  [/^TCB status is invalid/, tcb('STATUS_NOT_ALLOWED', "the platform's TCB status is not valid")],
  [
    /^Debug mode is enabled/,
    platform('DEBUG_ENCLAVE', 'the quote comes from a debug enclave, whose memory the host can read'),
  ],
  [
    /^Reserved bits in TD attributes|^SEPT_VE_DISABLE is not enabled|^Invalid mr service td/,
    platform('INSECURE_TD_ATTRIBUTES', 'the trust domain runs with attributes that void its isolation'),
  ],
];

/**
 * Turns an error thrown by `@phala/dcap-qvl`'s `verify` into the named quote error it means.
 * An unknown message still refuses the quote (`QuoteInvalidError`, `UNSUPPORTED`): fail closed.
 * @param cause what the library threw
 * @returns the quote error to throw, with `cause` and the library's message as `details`
 * @example try { verify(bytes, collateral, now) } catch (e) { throw nameDcapError(e) }
 */
export function nameDcapError(cause: unknown): QuoteError {
  const message = cause instanceof Error ? cause.message : String(cause);
  for (const [pattern, name] of LIBRARY_ERRORS) if (pattern.test(message)) return name(message, cause);
  return invalid('the DCAP verifier refused the quote')(message, cause);
}
