/**
 * Just enough DER to check an X.509 CRL (RFC 5280 §5.1) the way `@phala/dcap-qvl` 0.3.9 does not:
 * its validity window and its issuer's signature. That library reads the revoked serial numbers
 * of the collateral's CRLs but never checks that Intel signed them, nor when they expire.
 *
 * ```text
 * CertificateList ::= SEQUENCE { tbsCertList TBSCertList, signatureAlgorithm AlgorithmIdentifier, signatureValue BIT STRING }
 * TBSCertList     ::= SEQUENCE { version INTEGER OPTIONAL, signature AlgorithmIdentifier, issuer Name,
 *                                thisUpdate Time, nextUpdate Time OPTIONAL, ... }
 * ```
 */

/** A parsed CRL: what must be signed, the signature, and the validity window. */
type ParseCrlReturnType = {
  /** The DER of `tbsCertList`, header included: the bytes the signature covers. */
  signed: Uint8Array;
  /** The DER of the signature algorithm's OID, content only (e.g. ecdsa-with-SHA256). */
  signatureAlgorithm: Uint8Array;
  /** The signature (for ECDSA, a DER `Ecdsa-Sig-Value`). */
  signature: Uint8Array;
  /** Unix seconds. */
  thisUpdate: number;
  /** Unix seconds; `undefined` when the CRL has none (Intel's always have one). */
  nextUpdate: number | undefined;
};

/** OID 1.2.840.10045.4.3.2, ecdsa-with-SHA256: how Intel signs its SGX/TDX CRLs. */
export const ECDSA_WITH_SHA256_OID = Uint8Array.from([0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02]);

type Node = { tag: number; start: number; contentStart: number; end: number };

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const OID = 0x06;
const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;

/**
 * Parses a DER-encoded X.509 CRL.
 * @param der the CRL
 * @returns the signed part, the signature and the validity window
 * @throws {Error} when the bytes are not a DER CRL (callers wrap it in their own error)
 * @example const { thisUpdate, nextUpdate } = parseCrl(Buffer.from(collateral.pck_crl, 'hex'))
 */
export function parseCrl(der: Uint8Array): ParseCrlReturnType {
  const list = expect(der, 0, SEQUENCE, der.length);
  if (list.end !== der.length) throw new Error('trailing bytes after the CRL');
  const tbs = expect(der, list.contentStart, SEQUENCE, list.end);
  const algorithm = expect(der, tbs.end, SEQUENCE, list.end);
  const oid = expect(der, algorithm.contentStart, OID, algorithm.end);
  const bits = expect(der, algorithm.end, BIT_STRING, list.end);
  if (bits.end !== list.end) throw new Error('trailing fields in the CRL');
  if (der[bits.contentStart] !== 0) throw new Error('the CRL signature has unused bits');

  let field = readNode(der, tbs.contentStart, tbs.end);
  if (field.tag === INTEGER) field = readNode(der, field.end, tbs.end);
  if (field.tag !== SEQUENCE) throw new Error('the CRL has no signature algorithm');
  const issuer = expect(der, field.end, SEQUENCE, tbs.end);
  const thisUpdate = readNode(der, issuer.end, tbs.end);
  let nextUpdate: number | undefined;
  if (thisUpdate.end < tbs.end) {
    const next = readNode(der, thisUpdate.end, tbs.end);
    if (next.tag === UTC_TIME || next.tag === GENERALIZED_TIME) nextUpdate = readTime(der, next);
  }
  return {
    signed: der.subarray(tbs.start, tbs.end),
    signatureAlgorithm: der.subarray(oid.contentStart, oid.end),
    signature: der.subarray(bits.contentStart + 1, bits.end),
    thisUpdate: readTime(der, thisUpdate),
    nextUpdate,
  };
}

function expect(der: Uint8Array, offset: number, tag: number, limit: number): Node {
  const node = readNode(der, offset, limit);
  if (node.tag !== tag)
    throw new Error(`expected DER tag 0x${tag.toString(16)} at ${offset}, got 0x${node.tag.toString(16)}`);
  return node;
}

function readNode(der: Uint8Array, offset: number, limit: number): Node {
  const byte = (i: number): number => {
    const b = der[i];
    if (b === undefined || i >= limit) throw new Error(`DER truncated at ${i}`);
    return b;
  };
  const tag = byte(offset);
  if ((tag & 0x1f) === 0x1f) throw new Error('multi-byte DER tags are not used in CRLs');
  const first = byte(offset + 1);
  let length = first;
  let contentStart = offset + 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4) throw new Error(`unsupported DER length of ${count} bytes`);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + byte(offset + 2 + i);
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > limit) throw new Error(`DER value at ${offset} overruns its container`);
  return { tag, start: offset, contentStart, end };
}

function readTime(der: Uint8Array, node: Node): number {
  const text = new TextDecoder().decode(der.subarray(node.contentStart, node.end));
  const match =
    node.tag === UTC_TIME
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : node.tag === GENERALIZED_TIME
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
        : null;
  if (!match) throw new Error(`unsupported CRL time ${JSON.stringify(text)}`);
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  // RFC 5280 §4.1.2.5.1: two-digit years 50..99 are 19xx, 00..49 are 20xx.
  const fullYear = node.tag === UTC_TIME ? (year >= 50 ? 1900 + year : 2000 + year) : year;
  return Date.UTC(fullYear, month - 1, day, hour, minute, second) / 1000;
}
