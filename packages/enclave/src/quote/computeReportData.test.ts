import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { computeReportData } from './computeReportData.js';
import { expectQuoteError } from './testHelpers.js';

const enclaveAddress = '0x1111111111111111111111111111111111111111';
const sealingPublicKey = `0x${'22'.repeat(32)}` as const;
const taskId = `0x${'33'.repeat(32)}` as const;

describe('computeReportData', () => {
  it('is SHA-256(address ‖ sealing key ‖ task id) followed by 32 zero bytes', () => {
    const digest = createHash('sha256')
      .update(Buffer.from(`${'11'.repeat(20)}${'22'.repeat(32)}${'33'.repeat(32)}`, 'hex'))
      .digest('hex');
    const reportData = computeReportData({ enclaveAddress, sealingPublicKey, taskId });
    assert.equal(reportData, `0x${digest}${'00'.repeat(32)}`);
    // Test vector for docs/formats.md.
    assert.equal(
      reportData,
      '0x6df91bf88a1e11e7c9032b1fe7aee540744dacaafc76507895c153800abacec50000000000000000000000000000000000000000000000000000000000000000',
    );
  });

  it('ignores the case of the address (checksummed or not)', () => {
    const address = '0xAbCdEf0123456789aBcDeF0123456789AbCdEf01';
    assert.equal(
      computeReportData({ enclaveAddress: address, sealingPublicKey, taskId }),
      computeReportData({ enclaveAddress: address.toLowerCase() as `0x${string}`, sealingPublicKey, taskId }),
    );
  });

  it('changes with each of its inputs', () => {
    const base = computeReportData({ enclaveAddress, sealingPublicKey, taskId });
    const others = [
      computeReportData({ enclaveAddress: '0x1111111111111111111111111111111111111112', sealingPublicKey, taskId }),
      computeReportData({ enclaveAddress, sealingPublicKey: `0x${'22'.repeat(31)}23`, taskId }),
      computeReportData({ enclaveAddress, sealingPublicKey, taskId: `0x${'33'.repeat(31)}34` }),
    ];
    for (const other of others) assert.notEqual(other, base);
  });

  it('error: an input of the wrong size', async () => {
    await expectQuoteError(
      () => computeReportData({ enclaveAddress: '0x1234', sealingPublicKey, taskId }),
      'QuoteParameterError',
      'CONFIDE_QUOTE_PARAMETER',
      'ENCLAVE_ADDRESS',
    );
    await expectQuoteError(
      () => computeReportData({ enclaveAddress, sealingPublicKey: `0x${'22'.repeat(33)}`, taskId }),
      'QuoteParameterError',
      'CONFIDE_QUOTE_PARAMETER',
      'SEALING_PUBLIC_KEY',
    );
    await expectQuoteError(
      () => computeReportData({ enclaveAddress, sealingPublicKey, taskId: `0x${'3'.repeat(64)}g` as `0x${string}` }),
      'QuoteParameterError',
      'CONFIDE_QUOTE_PARAMETER',
      'TASK_ID',
    );
  });
});
