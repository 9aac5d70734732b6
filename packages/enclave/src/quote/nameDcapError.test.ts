import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import { nameDcapError } from './nameDcapError.js';

/** Every message `verify` of @phala/dcap-qvl 0.3.9 can throw, and what it must become. */
const CASES: [message: string, name: string, reason: string][] = [
  ['Failed to decode quote', 'QuoteInvalidError', 'UNSUPPORTED'],
  ['Unsupported DCAP quote version', 'QuoteInvalidError', 'UNSUPPORTED'],
  ['Unsupported DCAP TEE type', 'QuoteInvalidError', 'UNSUPPORTED'],
  ['SGX TEE quote must have version 3', 'QuoteInvalidError', 'UNSUPPORTED'],
  ['TDX TEE quote must have version 4 or 5', 'QuoteInvalidError', 'UNSUPPORTED'],
  ['Unsupported DCAP attestation key type', 'QuoteInvalidError', 'UNSUPPORTED'],
  [
    'Unsupported DCAP PCK cert format: 3. Use get_collateral() to fetch PCK certificate.',
    'QuoteInvalidError',
    'UNSUPPORTED',
  ],
  ['Failed to extract PCK certificates from quote', 'QuoteInvalidError', 'UNSUPPORTED'],
  ['Certificate chain is too short in quote', 'QuoteInvalidError', 'UNSUPPORTED'],
  ['Failed to decode TcbInfo', 'QuoteCollateralError', 'MALFORMED'],
  ['TCBInfo issue date is in the future', 'QuoteCollateralError', 'NOT_YET_VALID'],
  ['TCBInfo expired', 'QuoteCollateralError', 'EXPIRED'],
  ['Certificate chain is too short for TCB Info', 'QuoteCollateralError', 'SIGNATURE'],
  ['Signature is invalid for tcb_info', 'QuoteCollateralError', 'SIGNATURE'],
  ['Failed to decode QeIdentity', 'QuoteCollateralError', 'MALFORMED'],
  ['Key length is invalid: expected 64, got 63', 'QuoteCollateralError', 'MALFORMED'],
  ['Failed to extract PCK certificates from collateral', 'QuoteCollateralError', 'MALFORMED'],
  ['QE Identity issue date is in the future', 'QuoteCollateralError', 'NOT_YET_VALID'],
  ['QE Identity expired', 'QuoteCollateralError', 'EXPIRED'],
  ['Certificate chain is too short for QE Identity', 'QuoteCollateralError', 'SIGNATURE'],
  ['Signature is invalid for qe_identity', 'QuoteCollateralError', 'SIGNATURE'],
  ['Unsupported QE Identity id/version for the quote TEE type', 'QuoteCollateralError', 'MISMATCH'],
  ['Fmspc mismatch', 'QuoteCollateralError', 'MISMATCH'],
  ['TDX quote with non-TDX TCB info in the collateral', 'QuoteCollateralError', 'MISMATCH'],
  ['SGX quote with non-SGX TCB info in the collateral', 'QuoteCollateralError', 'MISMATCH'],
  ['Certificate is revoked', 'QuoteTcbRejectedError', 'REVOKED'],
  ['Failed to verify certificate chain - leaf signature invalid', 'QuoteSignatureError', 'PCK_CERTIFICATE_INVALID'],
  [
    'Failed to verify certificate chain - intermediate signature invalid',
    'QuoteSignatureError',
    'PCK_CERTIFICATE_INVALID',
  ],
  ['Certificate is expired or not yet valid', 'QuoteSignatureError', 'PCK_CERTIFICATE_INVALID'],
  ['CaUsedAsEndEntity', 'QuoteSignatureError', 'PCK_CERTIFICATE_INVALID'],
  ['Signature is invalid for qe_report in quote', 'QuoteSignatureError', 'BAD_SIGNATURE'],
  ['QE report hash mismatch', 'QuoteSignatureError', 'BAD_SIGNATURE'],
  ['ISV enclave report signature is invalid', 'QuoteSignatureError', 'BAD_SIGNATURE'],
  ['QE MRSIGNER mismatch: expected 8C4F, got 0000', 'QuoteSignatureError', 'BAD_SIGNATURE'],
  ['QE ISVPRODID mismatch: expected 1, got 2', 'QuoteSignatureError', 'BAD_SIGNATURE'],
  ['QE MISCSELECT mismatch: expected 00000000 (masked), got 00000001 (masked)', 'QuoteSignatureError', 'BAD_SIGNATURE'],
  ['QE ATTRIBUTES mismatch at byte 0: expected 11 (masked), got 13 (masked)', 'QuoteSignatureError', 'BAD_SIGNATURE'],
  ['QE ISVSVN 2 is below minimum required 8 from QE Identity', 'QuoteTcbRejectedError', 'NO_MATCHING_TCB_LEVEL'],
  ['No TCB levels found in QE Identity', 'QuoteTcbRejectedError', 'NO_MATCHING_TCB_LEVEL'],
  ['No SGX components in the TCB info', 'QuoteTcbRejectedError', 'NO_MATCHING_TCB_LEVEL'],
  ['No TDX components in the TCB info', 'QuoteTcbRejectedError', 'NO_MATCHING_TCB_LEVEL'],
  ['Failed to get TD10 report', 'QuoteTcbRejectedError', 'NO_MATCHING_TCB_LEVEL'],
  ['No matching TCB level found', 'QuoteTcbRejectedError', 'NO_MATCHING_TCB_LEVEL'],
  ['TCB status is invalid: Revoked', 'QuoteTcbRejectedError', 'REVOKED'],
  ['TCB status is invalid: Unknown', 'QuoteTcbRejectedError', 'STATUS_NOT_ALLOWED'],
  ['Debug mode is enabled', 'QuotePlatformNotAllowedError', 'DEBUG_ENCLAVE'],
  ['Reserved bits in TD attributes are set', 'QuotePlatformNotAllowedError', 'INSECURE_TD_ATTRIBUTES'],
  ['SEPT_VE_DISABLE is not enabled', 'QuotePlatformNotAllowedError', 'INSECURE_TD_ATTRIBUTES'],
  ['Invalid mr service td', 'QuotePlatformNotAllowedError', 'INSECURE_TD_ATTRIBUTES'],
];

describe('nameDcapError', () => {
  for (const [message, name, reason] of CASES) {
    it(`names "${message}" ${name} (${reason})`, () => {
      const cause = new Error(message);
      const error = nameDcapError(cause);
      assert.deepEqual({ name: error.name, reason: error.reason }, { name, reason });
      assert.equal(error.cause, cause);
      assert.equal(error.details, message);
    });
  }

  it('refuses what it does not know (fail closed)', () => {
    const error = nameDcapError(new Error('something new'));
    assert.deepEqual([error.name, error.reason], ['QuoteInvalidError', 'UNSUPPORTED']);
    assert.equal(nameDcapError('a string').details, 'a string');
  });

  it('knows every message the installed @phala/dcap-qvl throws (guards an upgrade)', () => {
    const dir = path.dirname(createRequire(import.meta.url).resolve('@phala/dcap-qvl'));
    const source = ['verify.js', 'utils.js', 'quote.js'].map((f) => readFileSync(path.join(dir, f), 'utf8')).join('\n');
    const thrown = [...source.matchAll(/throw new Error\((['`])(.*?)\1/g)].map((m) => m[2] ?? '');
    assert.ok(thrown.length > 40);
    // Not reaching nameDcapError as such: quote parsing errors (parseDcapQuote parses first), the
    // inner 'Signature verification failed' (re-thrown with what was verified), and the reading of
    // the PCK certificate's Intel extension (Intel-signed certificates have it; the fallback refuses).
    const elsewhere =
      /^(Not enough data|Invalid (tee|TEE) type|Unsupported (body type|quote version|auth data version|cert type)|encryptedPpidParams|Certification data body|Signature verification failed|Intel extension|OID |(Fmspc|CpuSvn|PceSvn) length)/;
    for (const message of thrown) {
      const stem = message.split('${')[0] ?? '';
      if (elsewhere.test(stem)) continue;
      assert.ok(
        CASES.some(([known]) => known.startsWith(stem)),
        `@phala/dcap-qvl throws "${message}", which nameDcapError.test.ts does not list`,
      );
    }
  });
});
