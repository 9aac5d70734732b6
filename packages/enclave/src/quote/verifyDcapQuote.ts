import { verify as dcapVerify, type VerifiedReport } from '@phala/dcap-qvl';
import { bytesToHex } from 'viem';
import { checkDcapCollateral } from './checkDcapCollateral.js';
import { QuoteInvalidError, QuoteTcbRejectedError } from './errors.js';
import { nameDcapError } from './nameDcapError.js';
import { parseDcapQuote } from './parseDcapQuote.js';
import { type DcapCollateral, DEFAULT_ALLOWED_TCB_STATUSES, type QuotePolicy, type VerifiedQuote } from './types.js';

/** Parameters of {@link verifyDcapQuote}. */
type VerifyDcapQuoteParameters = {
  bytes: Uint8Array;
  collateral: DcapCollateral;
  /** Verification time, unix seconds. */
  now: number;
  allowedTcbStatuses?: QuotePolicy['allowedTcbStatuses'];
};

/**
 * Verifies an Intel DCAP quote (SGX or TDX) with its collateral at a given time, then applies
 * the policy's accepted TCB statuses. Collateral is checked first (`checkDcapCollateral`), then
 * `@phala/dcap-qvl` checks the PCK chain, the quoting enclave, the quote signature and matches
 * the TCB level; `nameDcapError` names its plain `Error`s.
 *
 * The measurement and report data come from the report the verified signature covers:
 *
 * ```text
 * SGX, quote v3: header 48 bytes, then the 384-byte enclave report
 *   MRENCLAVE   report offset  64, 32 bytes  (quote offset 112)
 *   REPORTDATA  report offset 320, 64 bytes  (quote offset 368)
 * TDX, quote v4: header 48 bytes, then the 584-byte TD report (TDX 1.0)
 *   MRTD        report offset 136, 48 bytes  (quote offset 184)
 *   REPORTDATA  report offset 520, 64 bytes  (quote offset 568)
 * TDX, quote v5: header 48 bytes, body descriptor (type u16, size u32) 6 bytes, then the TD report
 *   (TDX 1.0: 584 bytes, TDX 1.5: 648 bytes, same offsets for these fields): MRTD at 190, REPORTDATA at 574
 * ```
 *
 * @param parameters the raw quote, its collateral, the time and the accepted TCB statuses
 * @returns the verified quote
 * @throws the DCAP errors listed by `verifyQuote` (invalid, signature, collateral, TCB, platform)
 * @example const verified = verifyDcapQuote({ bytes, collateral, now: 1750330631 })
 */
export function verifyDcapQuote({
  bytes,
  collateral,
  now,
  allowedTcbStatuses,
}: VerifyDcapQuoteParameters): VerifiedQuote {
  const { quote, platform } = parseDcapQuote(bytes);
  checkDcapCollateral({ quote, collateral, now });

  let verified: VerifiedReport;
  try {
    verified = dcapVerify(bytes, collateral, now);
  } catch (cause) {
    throw nameDcapError(cause);
  }

  const allowed = allowedTcbStatuses ?? DEFAULT_ALLOWED_TCB_STATUSES;
  if (!allowed.includes(verified.status)) {
    throw new QuoteTcbRejectedError(
      'STATUS_NOT_ALLOWED',
      `TCB status ${verified.status} is not allowed by the policy`,
      {
        tcbStatus: verified.status,
        details: `allowed: ${allowed.join(', ')}; advisories: ${verified.advisory_ids.join(', ') || 'none'}`,
      },
    );
  }

  const report = verified.report;
  const body =
    report.type === 'sgx' ? report.asSgx() : report.type === 'td10' ? report.asTd10() : report.asTd15()?.base;
  if (!body) throw new QuoteInvalidError('UNSUPPORTED', `unsupported report type ${report.type}`);
  const measurement = 'mrEnclave' in body ? body.mrEnclave : body.mrTd;
  return {
    ok: true,
    platform,
    measurement: bytesToHex(measurement),
    reportData: bytesToHex(body.reportData),
    tcbStatus: verified.status,
    advisoryIds: [...verified.advisory_ids],
  };
}
