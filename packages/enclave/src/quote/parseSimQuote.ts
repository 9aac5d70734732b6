import { QuoteInvalidError } from './errors.js';

/**
 * Sim quote, version 1 — the quote of the development `sim` platform. Fixed size, 200 bytes:
 *
 * ```text
 * offset  size  field
 *      0     8  magic            ASCII "CFDSIMQ1" (Confide sim quote, format version 1)
 *      8    32  measurement      the app fingerprint the sim runtime computed of the bundle it runs
 *     40    64  reportData       see computeReportData: SHA-256(address ‖ sealing key ‖ taskId) ‖ 0×32
 *    104    32  platformKey      Ed25519 public key of the sim platform (raw, RFC 8032)
 *    136    64  signature        Ed25519 signature by platformKey over bytes [0, 136)
 * ```
 *
 * The signature covers the magic, so a platform key's signature over anything else cannot pass
 * for a quote. A sim quote is signed by a key on the developer's machine, not by TEE hardware: it
 * proves nothing against that machine's root user, and a production SMS refuses it.
 */
export const SIM_QUOTE_MAGIC = new TextEncoder().encode('CFDSIMQ1');

/** Byte offsets and sizes of the sim quote v1 fields. */
export const SIM_QUOTE_LAYOUT = {
  magic: { offset: 0, size: 8 },
  measurement: { offset: 8, size: 32 },
  reportData: { offset: 40, size: 64 },
  platformKey: { offset: 104, size: 32 },
  signature: { offset: 136, size: 64 },
} as const;

/** Total size of a sim quote v1. */
export const SIM_QUOTE_LENGTH = 200;

/** The fields of a sim quote, before any signature check. */
export type ParseSimQuoteReturnType = {
  measurement: Uint8Array;
  reportData: Uint8Array;
  platformKey: Uint8Array;
  signature: Uint8Array;
  /** The bytes the signature covers: [0, 136). */
  signed: Uint8Array;
};

/** Errors {@link parseSimQuote} throws. */
export type ParseSimQuoteErrorType = QuoteInvalidError;

/**
 * Tells whether bytes start with the sim quote magic (of any length).
 * @example isSimQuote(quote.bytes)
 */
export function isSimQuote(bytes: Uint8Array): boolean {
  return bytes.length >= SIM_QUOTE_MAGIC.length && SIM_QUOTE_MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * Splits a sim quote v1 into its fields. Checks the magic and the size only: the signature is
 * checked by `verifyQuote`.
 * @param bytes the raw sim quote
 * @returns its fields, as views of `bytes`
 * @throws {QuoteInvalidError} `MALFORMED` when the magic or the size is wrong
 * @example const { measurement, reportData } = parseSimQuote(quote.bytes)
 */
export function parseSimQuote(bytes: Uint8Array): ParseSimQuoteReturnType {
  if (!isSimQuote(bytes)) {
    throw new QuoteInvalidError('MALFORMED', 'not a sim quote: the magic "CFDSIMQ1" is missing');
  }
  if (bytes.length !== SIM_QUOTE_LENGTH) {
    throw new QuoteInvalidError('MALFORMED', `a sim quote v1 is ${SIM_QUOTE_LENGTH} bytes`, {
      details: `got ${bytes.length} bytes`,
    });
  }
  const field = ({ offset, size }: { offset: number; size: number }) => bytes.subarray(offset, offset + size);
  return {
    measurement: field(SIM_QUOTE_LAYOUT.measurement),
    reportData: field(SIM_QUOTE_LAYOUT.reportData),
    platformKey: field(SIM_QUOTE_LAYOUT.platformKey),
    signature: field(SIM_QUOTE_LAYOUT.signature),
    signed: bytes.subarray(0, SIM_QUOTE_LAYOUT.signature.offset),
  };
}
