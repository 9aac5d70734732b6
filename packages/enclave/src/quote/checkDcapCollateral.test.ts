import { describe, it } from 'node:test';
import { Quote as DcapQuote } from '@phala/dcap-qvl';
import { checkDcapCollateral } from './checkDcapCollateral.js';
import { expectQuoteError, loadDcapFixture } from './testHelpers.js';
import type { DcapCollateral } from './types.js';

const check = (name: 'sgx_quote' | 'tdx_quote', edit: (c: DcapCollateral) => DcapCollateral, at?: number) => {
  const { bytes, collateral, now } = loadDcapFixture(name);
  return () => checkDcapCollateral({ quote: DcapQuote.parse(bytes), collateral: edit(collateral), now: at ?? now });
};
const collateralError = (reason: string) => ['QuoteCollateralError', 'CONFIDE_QUOTE_COLLATERAL', reason] as const;

describe('checkDcapCollateral', () => {
  it('accepts the recorded collateral at the recorded times', () => {
    check('sgx_quote', (c) => c)();
    check('tdx_quote', (c) => c)();
  });

  it('error: a root CA CRL not signed by the root CA', async () => {
    const tamper = (c: DcapCollateral) => {
      const crl = Buffer.from(c.root_ca_crl as string, 'hex');
      crl[crl.length - 5] = (crl[crl.length - 5] ?? 0) ^ 1; // inside the signature
      return { ...c, root_ca_crl: [...crl] }; // also the byte-array form PCCS clients produce
    };
    await expectQuoteError(check('sgx_quote', tamper), ...collateralError('SIGNATURE'));
  });

  it('error: a PCK CRL issuer chain that does not lead to the root CA', async () => {
    // The TCB signing certificate (issued by the root) in place of the PCK CA: it did not sign the CRL.
    const swap = (c: DcapCollateral) => ({ ...c, pck_crl_issuer_chain: c.tcb_info_issuer_chain });
    await expectQuoteError(check('tdx_quote', swap), ...collateralError('SIGNATURE'));
  });

  it('error: a TCB info signing chain that is not a signing certificate of the root', async () => {
    // A CA certificate as the signer of TCB info: refused (CaUsedAsEndEntity).
    const swap = (c: DcapCollateral) => ({ ...c, tcb_info_issuer_chain: c.pck_crl_issuer_chain });
    await expectQuoteError(check('tdx_quote', swap), ...collateralError('SIGNATURE'));
  });

  it('error: a signing chain with one certificate', async () => {
    const cut = (c: DcapCollateral) => ({
      ...c,
      qe_identity_issuer_chain: `${c.qe_identity_issuer_chain.split('-----END CERTIFICATE-----')[0]}-----END CERTIFICATE-----\n`,
    });
    await expectQuoteError(check('sgx_quote', cut), ...collateralError('MALFORMED'));
  });

  it('error: a certificate that is not one', async () => {
    const garbage = '-----BEGIN CERTIFICATE-----\nMIIBAAAA\n-----END CERTIFICATE-----\n';
    const chain = (c: DcapCollateral) => ({ ...c, pck_crl_issuer_chain: garbage + c.pck_crl_issuer_chain });
    await expectQuoteError(check('sgx_quote', chain), ...collateralError('MALFORMED'));
  });

  it('error: a TCB info signature that is not 64 bytes', async () => {
    const short = (c: DcapCollateral) => ({ ...c, tcb_info_signature: (c.tcb_info_signature as string).slice(2) });
    await expectQuoteError(check('sgx_quote', short), ...collateralError('MALFORMED'));
  });

  it('error: TCB info that is not JSON, or without dates', async () => {
    await expectQuoteError(
      check('sgx_quote', (c) => ({ ...c, tcb_info: '{' })),
      ...collateralError('MALFORMED'),
    );
    const undated = (c: DcapCollateral) => ({
      ...c,
      tcb_info: JSON.stringify({ ...JSON.parse(c.tcb_info), issueDate: 'soon' }),
    });
    await expectQuoteError(check('sgx_quote', undated), ...collateralError('MALFORMED'));
  });
});
