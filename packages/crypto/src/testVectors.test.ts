import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { privateKeyToAccount } from 'viem/accounts';
import { computeResultDigest } from './computeResultDigest.js';
import { buildDeterministicVectors, PATTERN_FILE, VECTORS_DIR } from './testVectors.js';

const readJson = async (name: string) => JSON.parse(await readFile(path.join(VECTORS_DIR, name), 'utf8'));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('test vectors (packages/crypto/test-vectors)', () => {
  it('the committed deterministic vectors are what this code produces now', async () => {
    const built = await buildDeterministicVectors();
    assert.deepEqual(await readJson('dataset.json'), built.dataset);
    assert.deepEqual(await readJson('protected-data.json'), built.protectedData);
    assert.deepEqual(await readJson('enclave-signature.json'), {
      ...built.enclaveSignature,
      resultDigestOfFolder: built.resultDigestOfFolder,
    });
    assert.deepEqual(new Uint8Array(await readFile(path.join(VECTORS_DIR, PATTERN_FILE))), built.patternCiphertext);
  });

  const script = fileURLToPath(new URL('./testVectors.ts', import.meta.url));
  /** Runs testVectors.ts in a fresh process; `browser` selects the @noble primitives (the browser build's). */
  const runVectors = async (command: 'check' | 'build', browser: boolean) => {
    const flags = browser ? ['--conditions=browser'] : [];
    const { stdout } = await promisify(execFile)(process.execPath, [...flags, '--import', 'tsx', script, command], {
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    const found = JSON.parse(stdout);
    assert.equal(found.implementation, browser ? '@noble' : 'node:crypto');
    return found;
  };

  for (const browser of [false, true]) {
    it(`a fresh process decrypts every committed vector to the expected plaintext (${browser ? '@noble, the browser primitives' : 'node:crypto'})`, async () => {
      const found = await runVectors('check', browser);

      const dataset = await readJson('dataset.json');
      assert.equal(Object.keys(found.datasets).length, dataset.vectors.length);
      for (const vector of dataset.vectors) {
        const got = found.datasets[vector.name];
        assert.equal(got.ciphertextSha256, vector.ciphertextSha256, vector.name);
        const expected = vector.plaintextSha256 ?? sha256(Buffer.from(vector.plaintextHex, 'hex'));
        assert.equal(got.plaintextSha256, expected, vector.name);
      }
      assert.equal(
        found.datasets['pattern-150KiB'].plaintextSha256,
        '6d24ed09e8332da6ef65691271e7ab58b1f74b373a27cd846e25e5dc2425d24c',
      );

      const protectedData = await readJson('protected-data.json');
      assert.equal(found.protectedData.zipSha256, protectedData.zipSha256);
      assert.deepEqual(found.protectedData.object, protectedData.object);

      assert.equal(found.sealedSecret.plaintextHex, (await readJson('sealed-secret.json')).plaintextHex);
      assert.equal(found.ageResult.plaintextHex, (await readJson('age-result.json')).plaintextHex);
      const signature = await readJson('enclave-signature.json');
      assert.equal(found.enclaveSignature.signer, privateKeyToAccount(signature.enclavePrivateKey).address);
    });
  }

  it('the browser primitives (@noble) build the committed deterministic vectors byte for byte', async () => {
    const built = await runVectors('build', true);
    assert.deepEqual(built.dataset, await readJson('dataset.json'));
    assert.deepEqual(built.protectedData, await readJson('protected-data.json'));
    assert.equal(built.patternCiphertextSha256, sha256(await readFile(path.join(VECTORS_DIR, PATTERN_FILE))));
  });

  it('the folder digest vector matches computeResultDigest', async () => {
    const { resultDigestOfFolder } = await readJson('enclave-signature.json');
    const dir = await mkdtemp(path.join(tmpdir(), 'confide-vector-'));
    try {
      for (const [name, content] of Object.entries(resultDigestOfFolder.files)) {
        await writeFile(path.join(dir, name), content as string);
      }
      assert.equal(await computeResultDigest(dir), resultDigestOfFolder.digest);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
