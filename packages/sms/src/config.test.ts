import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSmsConfig } from './config.js';

const valid = {
  SMS_MODE: 'production',
  SMS_DATABASE: '/var/lib/sms.db',
  SMS_MASTER_KEY: `0x${'ab'.repeat(32)}`,
  SMS_RPC_URL: 'http://127.0.0.1:8545',
  SMS_CHAIN_ID: '31337',
  SMS_HUB: '0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9',
};

describe('parseSmsConfig', () => {
  it('reads a valid environment with defaults', () => {
    const config = parseSmsConfig(valid);
    assert.equal(config.port, 13300);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.chainId, 31337);
    assert.equal(config.challengeTtlSeconds, 300);
    assert.equal(config.storageUrl, undefined, 'no storage: bulk tasks are refused');
  });

  it('reads SMS_STORAGE_URL, where bulk slices are read; error: one that is not a URL', () => {
    assert.equal(
      parseSmsConfig({ ...valid, SMS_STORAGE_URL: 'http://127.0.0.1:5001' }).storageUrl,
      'http://127.0.0.1:5001',
    );
    assert.throws(() => parseSmsConfig({ ...valid, SMS_STORAGE_URL: 'not a url' }), {
      code: 'SMS_CONFIG_INVALID',
      message: /storageUrl:/,
    });
  });

  it('reads SMS_DATA_SHARING, whose datasets are their collection owners’; error: one that is not an address', () => {
    assert.equal(parseSmsConfig(valid).dataSharing, undefined);
    const sharing = '0x5FC8d32690cc91D4c39d9d3abcBD16989F875707';
    assert.equal(parseSmsConfig({ ...valid, SMS_DATA_SHARING: sharing }).dataSharing, sharing);
    assert.throws(() => parseSmsConfig({ ...valid, SMS_DATA_SHARING: '0x1234' }), {
      code: 'SMS_CONFIG_INVALID',
      message: /dataSharing: must be the DataSharing address/,
    });
  });

  it('error: lists every wrong value with what to do, and never echoes the master key', () => {
    const badKey = `0x${'cd'.repeat(31)}`;
    assert.throws(
      () =>
        parseSmsConfig({ ...valid, SMS_MODE: 'prod', SMS_MASTER_KEY: badKey, SMS_HUB: '0x1234', SMS_PORT: '70000' }),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'SMS_CONFIG_INVALID');
        for (const field of ['mode', 'masterKey', 'hub', 'port']) assert.match(error.message, new RegExp(`${field}:`));
        assert.match(error.message, /openssl rand -hex 32/);
        assert.equal(error.message.includes(badKey), false);
        return true;
      },
    );
  });
});
