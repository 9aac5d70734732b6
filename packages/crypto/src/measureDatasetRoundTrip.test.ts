import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { measureDatasetRoundTrip } from './measureDatasetRoundTrip.js';

const GIB = 1024 ** 3;
const MAX_RSS = 200 * 1000 * 1000;

describe('measureDatasetRoundTrip', () => {
  it('decrypts to the bytes it generated (8 MiB, in process)', async () => {
    const result = await measureDatasetRoundTrip(8 * 1024 * 1024 + 123);
    assert.equal(result.decryptedSha256, result.plaintextSha256);
    assert.equal(result.ciphertextBytes, 16 + 128 * (1 + 65536 + 16) + 5 + 123 + 16);
  });

  it('streams 1 GiB through encrypt and decrypt in a fresh process with peak RSS ≤ 200 MB', async () => {
    const script = fileURLToPath(new URL('./measureDatasetRoundTrip.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, String(GIB)], {
      timeout: 120_000,
    });
    const result = JSON.parse(stdout);
    assert.equal(result.bytes, GIB);
    assert.equal(result.decryptedSha256, result.plaintextSha256);
    assert.equal(result.ciphertextBytes, 16 + 16383 * (1 + 65536 + 16) + 5 + 65536 + 16);
    console.log(
      `1 GiB round trip: ${result.seconds.toFixed(1)} s, peak RSS ${(result.maxRssBytes / 1e6).toFixed(0)} MB`,
    );
    assert.ok(result.maxRssBytes <= MAX_RSS, `peak RSS ${result.maxRssBytes} bytes exceeds ${MAX_RSS}`);
  });
});
