import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, it } from 'node:test';
import { computeReportData } from './computeReportData.js';
import { createSimPlatform } from './createSimPlatform.js';
import { expectQuoteError, loadDcapFixture } from './testHelpers.js';
import type { Quote, QuotePolicy } from './types.js';
import { verifyQuote } from './verifyQuote.js';

const platform = createSimPlatform();
const measurement = `0x${'ab'.repeat(32)}` as const;
const reportData = computeReportData({
  enclaveAddress: '0x00000000000000000000000000000000000000e1',
  sealingPublicKey: `0x${'5e'.repeat(32)}`,
  taskId: `0x${'7a'.repeat(32)}`,
});
const development: QuotePolicy = { allowSim: true, simPlatformKeys: [platform.publicKey] };

const flipBit = (quote: Quote, bit: number): Quote => {
  const bytes = Uint8Array.from(quote.bytes);
  bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) ^ (1 << (bit & 7));
  return { ...quote, bytes };
};

describe('verifyQuote (sim)', () => {
  it('accepts a sim quote signed by a trusted platform key', async () => {
    const verified = await verifyQuote(platform.quote({ measurement, reportData }), development);
    assert.deepEqual(verified, { ok: true, platform: 'sim', measurement, reportData, platformKey: platform.publicKey });
  });

  it('accepts it whatever the case of the trusted key', async () => {
    const policy = {
      allowSim: true,
      simPlatformKeys: [platform.publicKey.toUpperCase().replace('0X', '0x') as `0x${string}`],
    };
    assert.equal((await verifyQuote(platform.quote({ measurement, reportData }), policy)).ok, true);
  });

  it('error: sim quote in production mode', async () => {
    const error = await expectQuoteError(
      () => verifyQuote(platform.quote({ measurement, reportData }), { ...development, allowSim: false }),
      'QuotePlatformNotAllowedError',
      'CONFIDE_QUOTE_PLATFORM_NOT_ALLOWED',
      'SIM_NOT_ALLOWED',
    );
    assert.match(error.shortMessage, /sim quote in production mode/);
  });

  it('error: signed by another platform key', async () => {
    const other = createSimPlatform();
    await expectQuoteError(
      () => verifyQuote(other.quote({ measurement, reportData }), development),
      'QuoteSignatureError',
      'CONFIDE_QUOTE_SIGNATURE',
      'UNTRUSTED_PLATFORM_KEY',
    );
    await expectQuoteError(
      () => verifyQuote(platform.quote({ measurement, reportData }), { allowSim: true }),
      'QuoteSignatureError',
      'CONFIDE_QUOTE_SIGNATURE',
      'UNTRUSTED_PLATFORM_KEY',
    );
  });

  it('error: signed by another key but naming the trusted one', async () => {
    const forged = Uint8Array.from(platform.quote({ measurement, reportData }).bytes);
    const { privateKey } = generateKeyPairSync('ed25519');
    forged.set(sign(null, forged.subarray(0, 136), privateKey), 136);
    await expectQuoteError(
      () => verifyQuote({ platform: 'sim', bytes: forged }, development),
      'QuoteSignatureError',
      'CONFIDE_QUOTE_SIGNATURE',
      'BAD_SIGNATURE',
    );
  });

  it('error: any one bit flipped', async () => {
    const quote = platform.quote({ measurement, reportData });
    for (let bit = 0; bit < quote.bytes.length * 8; bit++) {
      const byte = bit >> 3;
      const [name, code, reason] =
        byte < 8
          ? ['QuoteInvalidError', 'CONFIDE_QUOTE_INVALID', 'MALFORMED'] // no magic: not a sim quote, not a DCAP quote
          : byte >= 104 && byte < 136
            ? ['QuoteSignatureError', 'CONFIDE_QUOTE_SIGNATURE', 'UNTRUSTED_PLATFORM_KEY']
            : ['QuoteSignatureError', 'CONFIDE_QUOTE_SIGNATURE', 'BAD_SIGNATURE'];
      await expectQuoteError(() => verifyQuote(flipBit(quote, bit), development), name, code, reason);
    }
  });

  it('error: truncated, or extended', async () => {
    const { bytes } = platform.quote({ measurement, reportData });
    for (const wrong of [bytes.subarray(0, 199), Uint8Array.from([...bytes, 0])]) {
      await expectQuoteError(
        () => verifyQuote({ platform: 'sim', bytes: wrong }, development),
        'QuoteInvalidError',
        'CONFIDE_QUOTE_INVALID',
        'MALFORMED',
      );
    }
  });

  it('does not read the caller buffer after it is called', async () => {
    const quote = platform.quote({ measurement, reportData });
    const pending = verifyQuote(quote, development);
    quote.bytes.fill(0);
    assert.equal((await pending).measurement, measurement);
  });
});

describe('verifyQuote (platform claim and policy)', () => {
  it('error: a quote whose platform claim differs from its bytes', async () => {
    const sim = platform.quote({ measurement, reportData });
    await expectQuoteError(
      () => verifyQuote({ ...sim, platform: 'sgx' }, development),
      'QuoteInvalidError',
      'CONFIDE_QUOTE_INVALID',
      'PLATFORM_MISMATCH',
    );
    const { bytes, collateral, now } = loadDcapFixture('tdx_quote');
    await expectQuoteError(
      () => verifyQuote({ platform: 'sgx', bytes }, { allowSim: false, collateral, now }),
      'QuoteInvalidError',
      'CONFIDE_QUOTE_INVALID',
      'PLATFORM_MISMATCH',
    );
  });

  it('error: bytes that are no quote at all', async () => {
    for (const bytes of [new Uint8Array(), new Uint8Array(1000), new TextEncoder().encode('hello')]) {
      await expectQuoteError(
        () => verifyQuote({ platform: 'sgx', bytes }, development),
        'QuoteInvalidError',
        'CONFIDE_QUOTE_INVALID',
        'MALFORMED',
      );
    }
  });

  it('error: a DCAP quote with an unsupported attestation key type', async () => {
    const { bytes, collateral, now } = loadDcapFixture('sgx_quote');
    bytes[2] = 3; // header.attestationKeyType: ECDSA P-384, which DCAP defines but does not use
    await expectQuoteError(
      () => verifyQuote({ platform: 'sgx', bytes }, { allowSim: false, collateral, now }),
      'QuoteInvalidError',
      'CONFIDE_QUOTE_INVALID',
      'UNSUPPORTED',
    );
  });

  it('error: a verification time that is not whole unix seconds', async () => {
    const quote = platform.quote({ measurement, reportData });
    for (const now of [1.5, -1, Number.NaN]) {
      await expectQuoteError(
        () => verifyQuote(quote, { ...development, now }),
        'QuoteParameterError',
        'CONFIDE_QUOTE_PARAMETER',
        'NOW',
      );
    }
  });
});
