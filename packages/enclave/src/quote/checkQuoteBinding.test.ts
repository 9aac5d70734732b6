import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { type Hex, keccak256, toHex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { checkQuoteBinding } from './checkQuoteBinding.js';
import { computeReportData } from './computeReportData.js';
import { createSimPlatform } from './createSimPlatform.js';
import { expectQuoteError, loadDcapFixture } from './testHelpers.js';
import { verifyQuote } from './verifyQuote.js';

/** A fresh enclave identity, as the enclave runtime creates one per task. */
function enclaveKeys() {
  const account = privateKeyToAccount(generatePrivateKey());
  const jwk = generateKeyPairSync('x25519').publicKey.export({ format: 'jwk' });
  return { enclaveAddress: account.address, sealingPublicKey: toHex(Buffer.from(jwk.x ?? '', 'base64url')) };
}

const platform = createSimPlatform();
const policy = { allowSim: true, simPlatformKeys: [platform.publicKey] };
const fingerprint = keccak256(toHex('climate-stats bundle'));
const taskId = keccak256(toHex('task 0'));

async function verifiedQuoteFor(keys: { enclaveAddress: Hex; sealingPublicKey: Hex }, task: Hex) {
  const quote = platform.quote({ measurement: fingerprint, reportData: computeReportData({ ...keys, taskId: task }) });
  return verifyQuote(quote, policy);
}

const binding = (reason: string) => ['QuoteBindingError', 'CONFIDE_QUOTE_BINDING', reason] as const;

describe('checkQuoteBinding', () => {
  it('accepts the quote of this app, for this task and these enclave keys', async () => {
    const keys = enclaveKeys();
    const verified = await verifiedQuoteFor(keys, taskId);
    checkQuoteBinding({ verified, expectedMeasurement: fingerprint, taskId, ...keys });
    checkQuoteBinding({
      verified,
      expectedMeasurement: fingerprint.toUpperCase().replace('0X', '0x') as Hex,
      taskId,
      ...keys,
      enclaveAddress: keys.enclaveAddress.toLowerCase() as Hex,
    });
  });

  it('error: another measurement (another app, or another build of it)', async () => {
    const keys = enclaveKeys();
    const verified = await verifiedQuoteFor(keys, taskId);
    const other = keccak256(toHex('another bundle'));
    await expectQuoteError(
      () => checkQuoteBinding({ verified, expectedMeasurement: other, taskId, ...keys }),
      ...binding('MEASUREMENT_MISMATCH'),
    );
    // A prefix is not a match: a TDX MRTD is 48 bytes, a sim or SGX measurement 32.
    await expectQuoteError(
      () => checkQuoteBinding({ verified, expectedMeasurement: `${fingerprint}${'00'.repeat(16)}`, taskId, ...keys }),
      ...binding('MEASUREMENT_MISMATCH'),
    );
    await expectQuoteError(
      () => checkQuoteBinding({ verified, expectedMeasurement: '0x', taskId, ...keys }),
      ...binding('MEASUREMENT_MISMATCH'),
    );
  });

  it('error: a quote cannot be reused for another task or key', async () => {
    const keys = enclaveKeys();
    const verified = await verifiedQuoteFor(keys, taskId);
    const other = enclaveKeys();
    const attempts = [
      { ...keys, taskId: keccak256(toHex('task 1')) },
      { ...keys, enclaveAddress: other.enclaveAddress, taskId },
      { ...keys, sealingPublicKey: other.sealingPublicKey, taskId },
      { ...other, taskId },
    ];
    for (const attempt of attempts) {
      await expectQuoteError(
        () => checkQuoteBinding({ verified, expectedMeasurement: fingerprint, ...attempt }),
        ...binding('REPORT_DATA_MISMATCH'),
      );
    }
  });

  it('error: the genuine SGX quote, whose report data binds nothing of ours', async () => {
    const { bytes, collateral, now } = loadDcapFixture('sgx_quote');
    const verified = await verifyQuote({ platform: 'sgx', bytes }, { allowSim: false, collateral, now });
    await expectQuoteError(
      () => checkQuoteBinding({ verified, expectedMeasurement: verified.measurement, taskId, ...enclaveKeys() }),
      ...binding('REPORT_DATA_MISMATCH'),
    );
  });

  it('error: a presented key that is not 32 bytes', async () => {
    const keys = enclaveKeys();
    const verified = await verifiedQuoteFor(keys, taskId);
    await expectQuoteError(
      () =>
        checkQuoteBinding({ verified, expectedMeasurement: fingerprint, taskId, ...keys, sealingPublicKey: '0x1234' }),
      'QuoteParameterError',
      'CONFIDE_QUOTE_PARAMETER',
      'SEALING_PUBLIC_KEY',
    );
  });
});
