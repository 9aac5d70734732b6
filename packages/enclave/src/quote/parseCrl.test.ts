import assert from 'node:assert/strict';
import { verify, X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { constants, utils } from '@phala/dcap-qvl';
import { ECDSA_WITH_SHA256_OID, parseCrl } from './parseCrl.js';
import { loadDcapFixture } from './testHelpers.js';

const seconds = (date: string) => Date.parse(date) / 1000;

/** DER type-length-value, short or long length form. */
const tlv = (tag: number, content: Uint8Array): Uint8Array => {
  const n = content.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Uint8Array.from([tag, ...length, ...content]);
};
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

describe('parseCrl', () => {
  it("reads Intel's root CA CRL: window, algorithm, and a signature the root CA's key verifies", () => {
    const { collateral } = loadDcapFixture('sgx_quote');
    const crl = parseCrl(Buffer.from(collateral.root_ca_crl as string, 'hex'));
    assert.equal(crl.thisUpdate, seconds('2025-03-20T11:21:57Z'));
    assert.equal(crl.nextUpdate, seconds('2026-04-03T11:21:57Z'));
    assert.deepEqual(Uint8Array.from(crl.signatureAlgorithm), ECDSA_WITH_SHA256_OID);
    const root = new X509Certificate(constants.TRUSTED_ROOT_CA_DER);
    assert.ok(verify('sha256', crl.signed, root.publicKey, crl.signature));
  });

  it('reads a PCK CRL with its revoked entries and long-form lengths; its issuer verifies it', () => {
    const { collateral } = loadDcapFixture('tdx_quote');
    const crl = parseCrl(Buffer.from(collateral.pck_crl as string, 'hex'));
    assert.equal(crl.thisUpdate, seconds('2025-06-19T10:00:35Z'));
    assert.equal(crl.nextUpdate, seconds('2025-07-19T10:00:35Z'));
    const [issuer] = utils.extractCerts(Buffer.from(collateral.pck_crl_issuer_chain));
    assert.ok(issuer);
    assert.ok(verify('sha256', crl.signed, new X509Certificate(issuer).publicKey, crl.signature));
  });

  it('reads GeneralizedTime, and a CRL without version or next update', () => {
    const algorithm = tlv(0x30, tlv(0x06, ECDSA_WITH_SHA256_OID));
    const issuer = tlv(0x30, new Uint8Array());
    const thisUpdate = tlv(0x18, new TextEncoder().encode('20510102030405Z'));
    const tbs = tlv(0x30, concat(algorithm, issuer, thisUpdate));
    const der = tlv(0x30, concat(tbs, algorithm, tlv(0x03, Uint8Array.from([0, 1, 2, 3]))));
    const crl = parseCrl(der);
    assert.equal(crl.thisUpdate, seconds('2051-01-02T03:04:05Z'));
    assert.equal(crl.nextUpdate, undefined);
    assert.deepEqual(crl.signed, tbs);
    assert.deepEqual(crl.signature, Uint8Array.from([1, 2, 3]));
  });

  it('error: truncated, trailing bytes, or a certificate instead of a CRL', () => {
    const { collateral } = loadDcapFixture('sgx_quote');
    const der = Buffer.from(collateral.root_ca_crl as string, 'hex');
    assert.throws(() => parseCrl(der.subarray(0, der.length - 1)), /overruns|truncated/);
    assert.throws(() => parseCrl(Buffer.concat([der, Buffer.from([0])])), /trailing/);
    assert.throws(() => parseCrl(constants.TRUSTED_ROOT_CA_DER), /no signature algorithm/);
  });
});
