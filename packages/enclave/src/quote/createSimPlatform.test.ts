import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { describe, it } from 'node:test';
import { bytesToHex } from 'viem';
import { computeReportData } from './computeReportData.js';
import { createSimPlatform } from './createSimPlatform.js';
import { parseSimQuote } from './parseSimQuote.js';
import { expectQuoteError } from './testHelpers.js';

// RFC 8032 §7.1, test 1.
const RFC8032_SECRET = '0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const RFC8032_PUBLIC = '0xd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';

const measurement = `0x${'aa'.repeat(32)}` as const;
const reportData = computeReportData({
  enclaveAddress: '0x1111111111111111111111111111111111111111',
  sealingPublicKey: `0x${'22'.repeat(32)}`,
  taskId: `0x${'33'.repeat(32)}`,
});

describe('createSimPlatform', () => {
  it('derives the Ed25519 public key of the given private key', () => {
    assert.equal(createSimPlatform({ privateKey: RFC8032_SECRET }).publicKey, RFC8032_PUBLIC);
  });

  it('creates a fresh key when none is given', () => {
    assert.notEqual(createSimPlatform().publicKey, createSimPlatform().publicKey);
  });

  it('lays a sim quote v1 out as documented: magic, measurement, report data, key, signature', () => {
    const quote = createSimPlatform({ privateKey: RFC8032_SECRET }).quote({ measurement, reportData });
    assert.equal(quote.platform, 'sim');
    assert.equal(quote.bytes.length, 200);
    const b = Buffer.from(quote.bytes);
    assert.equal(b.subarray(0, 8).toString('latin1'), 'CFDSIMQ1');
    assert.equal(`0x${b.subarray(8, 40).toString('hex')}`, measurement);
    assert.equal(`0x${b.subarray(40, 104).toString('hex')}`, reportData);
    assert.equal(`0x${b.subarray(104, 136).toString('hex')}`, RFC8032_PUBLIC);
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), b.subarray(104, 136)]);
    const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    assert.ok(verify(null, b.subarray(0, 136), key, b.subarray(136, 200)));

    const fields = parseSimQuote(quote.bytes);
    assert.equal(bytesToHex(fields.measurement), measurement);
    assert.equal(bytesToHex(fields.reportData), reportData);
  });

  it('signs deterministically (test vector for docs/formats.md)', () => {
    const quote = createSimPlatform({ privateKey: RFC8032_SECRET }).quote({ measurement, reportData });
    assert.equal(bytesToHex(quote.bytes.subarray(136)), SIGNATURE_VECTOR);
  });

  it('error: a measurement or report data of the wrong size', async () => {
    const platform = createSimPlatform();
    await expectQuoteError(
      () => platform.quote({ measurement: `0x${'aa'.repeat(48)}`, reportData }),
      'QuoteParameterError',
      'CONFIDE_QUOTE_PARAMETER',
      'MEASUREMENT',
    );
    await expectQuoteError(
      () => platform.quote({ measurement, reportData: `0x${'00'.repeat(32)}` }),
      'QuoteParameterError',
      'CONFIDE_QUOTE_PARAMETER',
      'REPORT_DATA',
    );
    await expectQuoteError(
      () => createSimPlatform({ privateKey: '0x1234' }),
      'QuoteParameterError',
      'CONFIDE_QUOTE_PARAMETER',
      'PRIVATE_KEY',
    );
  });
});

describe('parseSimQuote', () => {
  it('error: bytes without the magic, or of another size', async () => {
    const quote = createSimPlatform().quote({ measurement, reportData });
    await expectQuoteError(
      () => parseSimQuote(quote.bytes.subarray(0, 199)),
      'QuoteInvalidError',
      'CONFIDE_QUOTE_INVALID',
      'MALFORMED',
    );
    await expectQuoteError(
      () => parseSimQuote(new Uint8Array(200)),
      'QuoteInvalidError',
      'CONFIDE_QUOTE_INVALID',
      'MALFORMED',
    );
  });
});

// Checked independently with `openssl pkeyutl -sign -rawin` over bytes [0, 136).
const SIGNATURE_VECTOR =
  '0xa1c2ee2e317f7b19209155a1948ea9a08d20237ec391b40aac6a009cc66961a47622a64344ddfb6002e149f81e501f0ca9006443aab6b54b21d112ae56f7490a';
