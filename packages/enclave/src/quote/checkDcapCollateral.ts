import { verify as verifySignature, X509Certificate } from 'node:crypto';
import { constants, type Quote as DcapQuote, utils } from '@phala/dcap-qvl';
import { QuoteCollateralError, QuoteError } from './errors.js';
import { ECDSA_WITH_SHA256_OID, parseCrl } from './parseCrl.js';
import { TEE_TYPE_TDX } from './parseDcapQuote.js';
import type { DcapCollateral } from './types.js';

/** Parameters of {@link checkDcapCollateral}. */
type CheckDcapCollateralParameters = {
  /** The parsed quote (`Quote.parse` of `@phala/dcap-qvl`). */
  quote: DcapQuote;
  collateral: DcapCollateral;
  /** Verification time, unix seconds. */
  now: number;
};

const REQUIRED_STRINGS = [
  'pck_crl_issuer_chain',
  'tcb_info_issuer_chain',
  'tcb_info',
  'qe_identity_issuer_chain',
  'qe_identity',
] as const;
const REQUIRED_BYTES = ['root_ca_crl', 'pck_crl', 'tcb_info_signature', 'qe_identity_signature'] as const;

/**
 * Checks DCAP collateral before the quote is verified with it, so that every collateral fault is
 * named as one, and adds what `@phala/dcap-qvl` 0.3.9 leaves out:
 *
 * 1. shape: every field present; TCB info and QE identity parse;
 * 2. kind: SGX TCB info and `QE` identity for an SGX quote, TDX TCB info and `TD_QE` for TDX;
 * 3. time: `now` inside [issueDate, nextUpdate] of the TCB info and QE identity, and inside
 *    [thisUpdate, nextUpdate] of both CRLs (the library checks neither CRL window);
 * 4. CRL signatures (the library checks none): the root CA CRL signed by Intel's SGX root CA; the
 *    PCK CRL signed by the first certificate of `pck_crl_issuer_chain`, itself signed by the root
 *    and valid now, and that CA must be the one that issued the quote's PCK certificate;
 * 5. the TCB info and QE identity signing chains: valid now, signed up to Intel's root, not revoked.
 *
 * The signatures over the TCB info and QE identity bodies, the FMSPC match and the TCB level
 * matching stay with the library (`verifyDcapQuote`).
 *
 * @param parameters the parsed quote, its collateral and the verification time
 * @throws {QuoteCollateralError} `MALFORMED`, `MISMATCH`, `NOT_YET_VALID`, `EXPIRED`, `SIGNATURE` or `REVOKED`
 * @example checkDcapCollateral({ quote: Quote.parse(bytes), collateral, now: 1750330631 })
 */
export function checkDcapCollateral(parameters: CheckDcapCollateralParameters): void {
  try {
    checkCollateral(parameters);
  } catch (cause) {
    if (cause instanceof QuoteError) throw cause;
    // A certificate or signature node:crypto cannot read: malformed, whatever the field.
    throw malformed('the collateral cannot be read', cause, cause instanceof Error ? cause.message : String(cause));
  }
}

function checkCollateral({ quote, collateral, now }: CheckDcapCollateralParameters): void {
  const fields = collateral as unknown as Record<string, unknown>;
  for (const name of REQUIRED_STRINGS) {
    if (typeof fields[name] !== 'string') throw malformed(`collateral.${name} must be a string`);
  }
  for (const name of REQUIRED_BYTES) {
    if (typeof fields[name] !== 'string' && !Array.isArray(fields[name])) {
      throw malformed(`collateral.${name} must be hex or an array of bytes`);
    }
  }
  for (const name of ['tcb_info_signature', 'qe_identity_signature'] as const) {
    const length = toBytes(collateral[name]).length;
    if (length !== 64)
      throw malformed(
        `collateral.${name} must be a 64-byte ECDSA P-256 signature (r ‖ s)`,
        undefined,
        `got ${length} bytes`,
      );
  }
  const tcbInfo = readSignedJson('tcb_info', collateral.tcb_info);
  const qeIdentity = readSignedJson('qe_identity', collateral.qe_identity);

  const tdx = quote.header.teeType === TEE_TYPE_TDX;
  const [tcbId, qeId] = tdx ? ['TDX', 'TD_QE'] : ['SGX', 'QE'];
  if (tcbInfo.id !== tcbId || qeIdentity.id !== qeId) {
    throw new QuoteCollateralError('MISMATCH', `the collateral is not for ${tdx ? 'a TDX' : 'an SGX'} quote`, {
      details: `TCB info id ${String(tcbInfo.id)}, QE identity id ${String(qeIdentity.id)}; expected ${tcbId} and ${qeId}`,
    });
  }
  checkWindow('TCB info', now, tcbInfo.issueDate, tcbInfo.nextUpdate);
  checkWindow('QE identity', now, qeIdentity.issueDate, qeIdentity.nextUpdate);

  const rootCrlDer = toBytes(collateral.root_ca_crl);
  const pckCrlDer = toBytes(collateral.pck_crl);
  const rootCrl = readCrl('root CA CRL', rootCrlDer, now);
  const pckCrl = readCrl('PCK CRL', pckCrlDer, now);

  const root = new X509Certificate(constants.TRUSTED_ROOT_CA_DER);
  if (!verifySignature('sha256', rootCrl.signed, root.publicKey, rootCrl.signature)) {
    throw new QuoteCollateralError('SIGNATURE', "the root CA CRL is not signed by Intel's SGX root CA");
  }
  const [pckCrlIssuerDer] = utils.extractCerts(Buffer.from(collateral.pck_crl_issuer_chain));
  if (!pckCrlIssuerDer) throw malformed('collateral.pck_crl_issuer_chain holds no certificate');
  const pckCrlIssuer = new X509Certificate(pckCrlIssuerDer);
  checkCertificateTime('PCK CRL issuer certificate', pckCrlIssuer, now);
  if (!pckCrlIssuer.verify(root.publicKey)) {
    throw new QuoteCollateralError('SIGNATURE', "the PCK CRL issuer is not certified by Intel's SGX root CA", {
      details: pckCrlIssuer.subject,
    });
  }
  if (!verifySignature('sha256', pckCrl.signed, pckCrlIssuer.publicKey, pckCrl.signature)) {
    throw new QuoteCollateralError('SIGNATURE', 'the PCK CRL is not signed by its issuer');
  }
  const quoteCa = pckIssuerOfQuote(quote, collateral);
  if (quoteCa && !quoteCa.equals(pckCrlIssuerDer)) {
    throw new QuoteCollateralError(
      'MISMATCH',
      "the PCK CRL is not the CRL of the CA that issued the quote's PCK certificate",
      {
        details: `CRL issuer ${pckCrlIssuer.subject}; quote PCK issuer ${new X509Certificate(quoteCa).subject}`,
      },
    );
  }

  const crls = [Buffer.from(rootCrlDer), Buffer.from(pckCrlDer)];
  checkSigningChain('TCB info', collateral.tcb_info_issuer_chain, now, crls);
  checkSigningChain('QE identity', collateral.qe_identity_issuer_chain, now, crls);
}

type SignedJson = { id?: unknown; issueDate?: unknown; nextUpdate?: unknown };

function readSignedJson(name: string, json: string): SignedJson {
  try {
    const value: unknown = JSON.parse(json);
    if (value && typeof value === 'object') return value as SignedJson;
  } catch (cause) {
    throw malformed(`collateral.${name} is not JSON`, cause);
  }
  throw malformed(`collateral.${name} is not a JSON object`);
}

function checkWindow(what: string, now: number, from: unknown, until: unknown): void {
  const start = typeof from === 'string' ? Date.parse(from) / 1000 : Number.NaN;
  const end = typeof until === 'string' ? Date.parse(until) / 1000 : Number.NaN;
  if (Number.isNaN(start) || Number.isNaN(end)) throw malformed(`the ${what} has no valid issue and next-update dates`);
  const window = `valid from ${new Date(start * 1000).toISOString()} to ${new Date(end * 1000).toISOString()}, verification time ${new Date(now * 1000).toISOString()}`;
  if (now < start) {
    throw new QuoteCollateralError('NOT_YET_VALID', `the ${what} is not valid yet`, { details: window });
  }
  if (now > end) {
    throw new QuoteCollateralError('EXPIRED', `the ${what} has expired: fetch fresh collateral`, { details: window });
  }
}

function readCrl(what: string, der: Uint8Array, now: number) {
  let crl: ReturnType<typeof parseCrl>;
  try {
    crl = parseCrl(der);
  } catch (cause) {
    throw malformed(`the ${what} is not a DER CRL`, cause);
  }
  if (crl.nextUpdate === undefined) throw malformed(`the ${what} has no next update`);
  if (!Buffer.from(crl.signatureAlgorithm).equals(ECDSA_WITH_SHA256_OID)) {
    throw new QuoteCollateralError('SIGNATURE', `the ${what} is not signed with ECDSA-SHA256 as Intel's are`);
  }
  checkWindow(what, now, new Date(crl.thisUpdate * 1000).toISOString(), new Date(crl.nextUpdate * 1000).toISOString());
  return crl;
}

function checkCertificateTime(what: string, certificate: X509Certificate, now: number): void {
  checkWindow(what, now, new Date(certificate.validFrom).toISOString(), new Date(certificate.validTo).toISOString());
}

function checkSigningChain(what: string, pem: string, now: number, crls: Buffer[]): void {
  const certificates = utils.extractCerts(Buffer.from(pem));
  const [leaf, ...intermediates] = certificates;
  if (!leaf || intermediates.length === 0)
    throw malformed(`the ${what} issuer chain must hold at least two certificates`);
  for (const der of certificates) checkCertificateTime(`${what} signing certificate`, new X509Certificate(der), now);
  try {
    utils.verifyCertificateChain(leaf, intermediates, now, crls, constants.TRUSTED_ROOT_CA_DER);
  } catch (cause) {
    const revoked = cause instanceof Error && cause.message === 'Certificate is revoked';
    throw new QuoteCollateralError(
      revoked ? 'REVOKED' : 'SIGNATURE',
      revoked
        ? `a ${what} signing certificate is revoked`
        : `the ${what} is not signed by a chain up to Intel's SGX root CA`,
      { cause, details: cause instanceof Error ? cause.message : String(cause) },
    );
  }
}

/** The CA certificate that issued the quote's PCK certificate, when the quote or collateral carries its chain. */
function pckIssuerOfQuote(quote: DcapQuote, collateral: DcapCollateral): Buffer | undefined {
  const fromCollateral = (collateral as { pck_certificate_chain?: unknown }).pck_certificate_chain;
  if (typeof fromCollateral === 'string') return utils.extractCerts(Buffer.from(fromCollateral))[1];
  const certification = quote.authData.intoV3().certificationData;
  const PCK_CERT_CHAIN = 5;
  if (certification.certType !== PCK_CERT_CHAIN) return undefined;
  return utils.extractCerts(Buffer.from(certification.body))[1];
}

function toBytes(value: number[] | string): Uint8Array {
  return typeof value === 'string' ? Buffer.from(value, 'hex') : Uint8Array.from(value);
}

function malformed(message: string, cause?: unknown, details?: string): QuoteCollateralError {
  return new QuoteCollateralError('MALFORMED', message, {
    ...(cause === undefined ? {} : { cause }),
    ...(details === undefined ? {} : { details }),
  });
}
