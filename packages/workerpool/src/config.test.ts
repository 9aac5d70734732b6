import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSchedulerConfig, parseWorkerConfig } from './config.js';

const KEY = `0x${'11'.repeat(32)}`;
const ADDRESS = `0x${'22'.repeat(20)}`;

describe('workerpool configuration', () => {
  it('reads a scheduler from SCHEDULER_* with defaults', () => {
    const config = parseSchedulerConfig({
      SCHEDULER_RPC_URL: 'http://127.0.0.1:8545',
      SCHEDULER_HUB: ADDRESS,
      SCHEDULER_WORKERPOOL: ADDRESS,
      SCHEDULER_PRIVATE_KEY: KEY,
      SCHEDULER_DATABASE: '/tmp/s.db',
      SCHEDULER_WORKERS: ` ${ADDRESS} ,`,
      SCHEDULER_PRICE: '3000000000',
    });
    assert.deepEqual(config.workers, [ADDRESS]);
    assert.equal(config.price, 3_000_000_000n);
    assert.equal(config.port, 13400);
    assert.equal(config.leaseMs, 60_000);
    assert.equal(config.trust, 0n, 'TEE tasks only unless the pool sells trust');
  });

  it('the fault injection of a test worker is off unless named, and only known behaviours (lie-after:N with a whole N ≥ 1)', () => {
    const base = {
      WORKER_RPC_URL: 'http://127.0.0.1:8545',
      WORKER_HUB: ADDRESS,
      WORKER_PRIVATE_KEY: KEY,
      WORKER_SCHEDULER_URL: 'http://127.0.0.1:1',
      WORKER_SMS_URL: 'http://127.0.0.1:2',
      WORKER_STORAGE_URL: 'http://127.0.0.1:3',
      WORKER_DIR: '/tmp/w',
      WORKER_PLATFORM_KEY_FILE: '/tmp/k',
    };
    assert.equal(parseWorkerConfig(base).byzantine, undefined);
    assert.equal(parseWorkerConfig({ ...base, WORKER_BYZANTINE_FOR_TESTS: 'copy' }).byzantine, 'copy');
    assert.equal(parseWorkerConfig({ ...base, WORKER_BYZANTINE_FOR_TESTS: 'lie-after:1' }).byzantine, 'lie-after:1');
    assert.equal(
      parseWorkerConfig({ ...base, WORKER_BYZANTINE_FOR_TESTS: 'lie-after:9999' }).byzantine,
      'lie-after:9999',
    );
    for (const wrong of [
      'steal',
      'lie-after:0',
      'lie-after:',
      'lie-after:-1',
      'lie-after:1.5',
      'lie-after:x',
      'lie-after:10000',
      'lie-after:01',
      ' lie',
    ]) {
      assert.throws(
        () => parseWorkerConfig({ ...base, WORKER_BYZANTINE_FOR_TESTS: wrong }),
        (error: Error & { code?: string }) => {
          assert.equal(error.name, 'WorkerpoolConfigError');
          assert.equal(error.code, 'CONFIDE_WORKERPOOL_CONFIG_INVALID');
          assert.match(
            error.message,
            /WORKER_BYZANTINE_FOR_TESTS: must be lie, silent-after-commit, copy or lie-after:N/,
          );
          return true;
        },
        wrong,
      );
    }
  });

  it('names every wrong variable, never echoing a key', () => {
    assert.throws(
      () => parseWorkerConfig({ WORKER_RPC_URL: 'not a url', WORKER_PRIVATE_KEY: '0xsecret', WORKER_SLOTS: '0' }),
      (error: Error & { code?: string }) => {
        assert.equal(error.name, 'WorkerpoolConfigError');
        assert.equal(error.code, 'CONFIDE_WORKERPOOL_CONFIG_INVALID');
        for (const name of ['WORKER_RPC_URL', 'WORKER_HUB', 'WORKER_PRIVATE_KEY', 'WORKER_SLOTS', 'WORKER_SMS_URL']) {
          assert.match(error.message, new RegExp(`${name}:`));
        }
        assert.equal(error.message.includes('0xsecret'), false);
        return true;
      },
    );
  });
});
