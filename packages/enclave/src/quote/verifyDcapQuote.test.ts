import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { verify as dcapVerify } from '@phala/dcap-qvl';
import { bytesToHex } from 'viem';
import { parseCrl } from './parseCrl.js';
import { type DcapFixtureName, expectQuoteError, loadDcapFixture } from './testHelpers.js';
import type { DcapCollateral, QuotePlatform, QuotePolicy } from './types.js';
import { verifyQuote } from './verifyQuote.js';

const production = (collateral: DcapCollateral, now: number): QuotePolicy => ({ allowSim: false, collateral, now });
const platformOf = (name: DcapFixtureName): QuotePlatform => (name.startsWith('sgx') ? 'sgx' : 'tdx');
const seconds = (date: string) => Date.parse(date) / 1000;

/** Where the documented offsets put a field, read straight from the raw quote. */
const at = (bytes: Uint8Array, offset: number, size: number) => bytesToHex(bytes.subarray(offset, offset + size));

describe('verifyQuote (Intel DCAP, recorded genuine quotes)', () => {
  it('accepts the SGX quote: ConfigurationAndSWHardeningNeeded with INTEL-SA-00289 and INTEL-SA-00615', async () => {
    const { bytes, collateral, now } = loadDcapFixture('sgx_quote');
    const verified = await verifyQuote({ platform: 'sgx', bytes }, production(collateral, now));
    assert.equal(verified.ok, true);
    assert.equal(verified.platform, 'sgx');
    assert.equal(verified.tcbStatus, 'ConfigurationAndSWHardeningNeeded');
    assert.deepEqual([...(verified.advisoryIds ?? [])].sort(), ['INTEL-SA-00289', 'INTEL-SA-00615']);
    // MRENCLAVE at quote offset 112 (32 bytes), REPORTDATA at 368 (64 bytes).
    assert.equal(verified.measurement, at(bytes, 112, 32));
    assert.equal(verified.reportData, at(bytes, 368, 64));
    assert.equal(Buffer.from(bytes.subarray(368, 381)).toString('latin1'), 'Hello, world!');
    assert.equal(verified.platformKey, undefined);
  });

  it('accepts the TDX quote: UpToDate, MRTD as the 48-byte measurement', async () => {
    const { bytes, collateral, now } = loadDcapFixture('tdx_quote');
    const verified = await verifyQuote({ platform: 'tdx', bytes }, production(collateral, now));
    assert.equal(verified.platform, 'tdx');
    assert.equal(verified.tcbStatus, 'UpToDate');
    assert.deepEqual(verified.advisoryIds, []);
    // TDX quote v4: MRTD at quote offset 184 (48 bytes), REPORTDATA at 568 (64 bytes).
    assert.equal(bytes[0], 4);
    assert.equal(verified.measurement, at(bytes, 184, 48));
    assert.equal(verified.reportData, at(bytes, 568, 64));
  });

  it('takes the collateral from a function of the quote, and the time as a bigint', async () => {
    const { bytes, collateral, now } = loadDcapFixture('tdx_quote');
    const seen: string[] = [];
    const verified = await verifyQuote(
      { platform: 'tdx', bytes },
      {
        allowSim: false,
        now: BigInt(now),
        collateral: async (quote) => {
          seen.push(quote.platform);
          return collateral;
        },
      },
    );
    assert.equal(verified.tcbStatus, 'UpToDate');
    assert.deepEqual(seen, ['tdx']);
  });

  for (const name of ['sgx_quote', 'tdx_quote'] as const) {
    it(`error: ${name} with one byte of its report body changed`, async () => {
      const { bytes: genuine, collateral, now } = loadDcapFixture(name);
      const body = name === 'sgx_quote' ? { start: 48, size: 384 } : { start: 48, size: 584 };
      for (let offset = body.start; offset < body.start + body.size; offset += 29) {
        const bytes = Uint8Array.from(genuine);
        bytes[offset] = (bytes[offset] ?? 0) ^ 0x01;
        await expectQuoteError(
          () => verifyQuote({ platform: platformOf(name), bytes }, production(collateral, now)),
          'QuoteSignatureError',
          'CONFIDE_QUOTE_SIGNATURE',
          'BAD_SIGNATURE',
        );
      }
    });
  }

  it('error: the TDX collateral for the SGX quote, and the SGX collateral for the TDX quote', async () => {
    const sgx = loadDcapFixture('sgx_quote');
    const tdx = loadDcapFixture('tdx_quote');
    await expectQuoteError(
      () => verifyQuote({ platform: 'sgx', bytes: sgx.bytes }, production(tdx.collateral, sgx.now)),
      'QuoteCollateralError',
      'CONFIDE_QUOTE_COLLATERAL',
      'MISMATCH',
    );
    await expectQuoteError(
      () => verifyQuote({ platform: 'tdx', bytes: tdx.bytes }, production(sgx.collateral, tdx.now)),
      'QuoteCollateralError',
      'CONFIDE_QUOTE_COLLATERAL',
      'MISMATCH',
    );
  });

  it('error: the collateral of another TDX platform (FMSPC mismatch)', async () => {
    const tdx = loadDcapFixture('tdx_quote');
    const other = loadDcapFixture('tdx_quote_outdated');
    await expectQuoteError(
      () => verifyQuote({ platform: 'tdx', bytes: tdx.bytes }, production(other.collateral, other.now)),
      'QuoteCollateralError',
      'CONFIDE_QUOTE_COLLATERAL',
      'MISMATCH',
    );
  });

  it('error: a tampered TCB info or QE identity', async () => {
    const { bytes, collateral, now } = loadDcapFixture('tdx_quote');
    assert.match(collateral.tcb_info, /"tcbStatus":"OutOfDate"/);
    const tcbInfo = { ...collateral, tcb_info: collateral.tcb_info.replaceAll('"OutOfDate"', '"UpToDate"') };
    await expectQuoteError(
      () => verifyQuote({ platform: 'tdx', bytes }, production(tcbInfo, now)),
      'QuoteCollateralError',
      'CONFIDE_QUOTE_COLLATERAL',
      'SIGNATURE',
    );
    const qeIdentity = { ...collateral, qe_identity: collateral.qe_identity.replace('"isvsvn":', '"isvsvn":0,"x":') };
    assert.notEqual(qeIdentity.qe_identity, collateral.qe_identity);
    await expectQuoteError(
      () => verifyQuote({ platform: 'tdx', bytes }, production(qeIdentity, now)),
      'QuoteCollateralError',
      'CONFIDE_QUOTE_COLLATERAL',
      'SIGNATURE',
    );
  });

  it('error: a tampered PCK CRL (which @phala/dcap-qvl alone accepts)', async () => {
    const { bytes, collateral, now } = loadDcapFixture('tdx_quote');
    const crl = Buffer.from(collateral.pck_crl as string, 'hex');
    const firstSerial = crl.indexOf(Buffer.from('6fc34e5023e7289234', 'hex'));
    assert.ok(firstSerial > 0);
    crl[firstSerial] = 0x70; // another revoked serial: the CRL no longer says what Intel signed
    const tampered = { ...collateral, pck_crl: crl.toString('hex') };
    assert.equal(dcapVerify(bytes, tampered, now).status, 'UpToDate');
    await expectQuoteError(
      () => verifyQuote({ platform: 'tdx', bytes }, production(tampered, now)),
      'QuoteCollateralError',
      'CONFIDE_QUOTE_COLLATERAL',
      'SIGNATURE',
    );
  });

  it("error: the PCK CRL of another CA than the one that issued the quote's PCK certificate", async () => {
    const sgx = loadDcapFixture('sgx_quote'); // PCK issued by the Processor CA
    const tdx = loadDcapFixture('tdx_quote'); // PCK issued by the Platform CA
    const collateral = {
      ...sgx.collateral,
      pck_crl: tdx.collateral.pck_crl,
      pck_crl_issuer_chain: tdx.collateral.pck_crl_issuer_chain,
    };
    assert.equal(dcapVerify(sgx.bytes, collateral, sgx.now).status, 'ConfigurationAndSWHardeningNeeded');
    await expectQuoteError(
      () => verifyQuote({ platform: 'sgx', bytes: sgx.bytes }, production(collateral, sgx.now)),
      'QuoteCollateralError',
      'CONFIDE_QUOTE_COLLATERAL',
      'MISMATCH',
    );
  });

  it('error: verified after the collateral expired, or before it was issued', async () => {
    for (const name of ['sgx_quote', 'tdx_quote'] as const) {
      const { bytes, collateral } = loadDcapFixture(name);
      const tcb = JSON.parse(collateral.tcb_info) as { issueDate: string; nextUpdate: string };
      const qe = JSON.parse(collateral.qe_identity) as { issueDate: string; nextUpdate: string };
      const crls = [collateral.root_ca_crl, collateral.pck_crl].map((c) => parseCrl(Buffer.from(c as string, 'hex')));
      const notBefore = Math.max(seconds(tcb.issueDate), seconds(qe.issueDate), ...crls.map((c) => c.thisUpdate));
      const notAfter = Math.min(seconds(tcb.nextUpdate), seconds(qe.nextUpdate), ...crls.map((c) => c.nextUpdate ?? 0));
      const quote = { platform: platformOf(name), bytes };
      assert.equal((await verifyQuote(quote, production(collateral, notAfter))).ok, true);
      assert.equal((await verifyQuote(quote, production(collateral, notBefore))).ok, true);
      await expectQuoteError(
        () => verifyQuote(quote, production(collateral, notAfter + 1)),
        'QuoteCollateralError',
        'CONFIDE_QUOTE_COLLATERAL',
        'EXPIRED',
      );
      await expectQuoteError(
        () => verifyQuote(quote, production(collateral, notBefore - 1)),
        'QuoteCollateralError',
        'CONFIDE_QUOTE_COLLATERAL',
        'NOT_YET_VALID',
      );
    }
  });

  it('error: verified after the PCK CRL expired, while TCB info and QE identity are still valid', async () => {
    const { bytes, collateral } = loadDcapFixture('tdx_quote');
    const crlExpired = seconds('2025-07-19T10:00:35Z') + 60; // PCK CRL nextUpdate + 1 min < TCB info nextUpdate
    assert.equal(dcapVerify(bytes, collateral, crlExpired).status, 'UpToDate');
    await expectQuoteError(
      () => verifyQuote({ platform: 'tdx', bytes }, production(collateral, crlExpired)),
      'QuoteCollateralError',
      'CONFIDE_QUOTE_COLLATERAL',
      'EXPIRED',
    );
  });

  it('error: the outdated TDX quote at its time: no matching TCB level', async () => {
    const { bytes, collateral, now } = loadDcapFixture('tdx_quote_outdated');
    await expectQuoteError(
      () => verifyQuote({ platform: 'tdx', bytes }, production(collateral, now)),
      'QuoteTcbRejectedError',
      'CONFIDE_QUOTE_TCB_REJECTED',
      'NO_MATCHING_TCB_LEVEL',
    );
  });

  it('error: a TCB status the policy does not allow', async () => {
    const { bytes, collateral, now } = loadDcapFixture('sgx_quote');
    const error = await expectQuoteError(
      () =>
        verifyQuote({ platform: 'sgx', bytes }, { ...production(collateral, now), allowedTcbStatuses: ['UpToDate'] }),
      'QuoteTcbRejectedError',
      'CONFIDE_QUOTE_TCB_REJECTED',
      'STATUS_NOT_ALLOWED',
    );
    assert.equal((error as { tcbStatus?: string }).tcbStatus, 'ConfigurationAndSWHardeningNeeded');
  });

  it('error: no collateral configured, unobtainable, or malformed', async () => {
    const { bytes, collateral, now } = loadDcapFixture('sgx_quote');
    const quote = { platform: 'sgx' as const, bytes };
    await expectQuoteError(
      () => verifyQuote(quote, { allowSim: true, now }),
      'QuoteCollateralError',
      'CONFIDE_QUOTE_COLLATERAL',
      'UNAVAILABLE',
    );
    const unreachable = () => Promise.reject(new Error('PCCS unreachable'));
    await expectQuoteError(
      () => verifyQuote(quote, { allowSim: false, now, collateral: unreachable }),
      'QuoteCollateralError',
      'CONFIDE_QUOTE_COLLATERAL',
      'UNAVAILABLE',
    );
    const { tcb_info: _dropped, ...partial } = collateral;
    await expectQuoteError(
      () => verifyQuote(quote, production(partial as DcapCollateral, now)),
      'QuoteCollateralError',
      'CONFIDE_QUOTE_COLLATERAL',
      'MALFORMED',
    );
    await expectQuoteError(
      () => verifyQuote(quote, production({ ...collateral, pck_crl: 'c0ffee' }, now)),
      'QuoteCollateralError',
      'CONFIDE_QUOTE_COLLATERAL',
      'MALFORMED',
    );
  });
});
