import { Quote as DcapQuote } from '@phala/dcap-qvl';
import { QuoteInvalidError } from './errors.js';

/** TEE type of SGX quotes in the quote header. */
const TEE_TYPE_SGX = 0x00000000;
/** TEE type of TDX quotes in the quote header. */
export const TEE_TYPE_TDX = 0x00000081;

/**
 * Parses the header of a DCAP quote and tells its platform.
 * @throws {QuoteInvalidError} `MALFORMED` or `UNSUPPORTED`
 * @example parseDcapQuote(bytes).platform // 'sgx'
 */
export function parseDcapQuote(bytes: Uint8Array): { quote: DcapQuote; platform: 'sgx' | 'tdx' } {
  let quote: DcapQuote;
  try {
    quote = DcapQuote.parse(bytes);
  } catch (cause) {
    throw new QuoteInvalidError('MALFORMED', 'the quote is neither a sim quote nor a parsable DCAP quote', {
      cause,
      details: cause instanceof Error ? cause.message : String(cause),
    });
  }
  const { version, teeType, attestationKeyType } = quote.header;
  const ECDSA_P256 = 2;
  if (teeType === TEE_TYPE_SGX && version === 3 && attestationKeyType === ECDSA_P256) return { quote, platform: 'sgx' };
  if (teeType === TEE_TYPE_TDX && (version === 4 || version === 5) && attestationKeyType === ECDSA_P256) {
    return { quote, platform: 'tdx' };
  }
  throw new QuoteInvalidError('UNSUPPORTED', 'unsupported DCAP quote: SGX v3 and TDX v4/v5 with ECDSA P-256 are', {
    details: `version ${version}, TEE type 0x${teeType.toString(16)}, attestation key type ${attestationKeyType}`,
  });
}
