import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, it } from 'node:test';
import { datasetChecksum } from './datasetChecksum.js';
import { DATASET_HEADER_LENGTH, TAG_LENGTH } from './datasetFormat.js';
import { decryptDatasetBytes } from './datasetOpener.js';
import { encryptDatasetBytes } from './datasetSealer.js';
import { decryptDataset } from './decryptDataset.js';
import { encodeDatasetKey } from './encodeDatasetKey.js';
import { encryptDataset } from './encryptDataset.js';
import { expectCryptoError } from './expectCryptoError.js';
import { generateDatasetKey } from './generateDatasetKey.js';

const pattern = (length: number) => Uint8Array.from({ length }, (_, i) => (i * 31 + 7) & 0xff);

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

/** Feeds `bytes` to a transform in writes of `size` bytes and returns the output. */
async function throughStream(transform: NodeJS.ReadWriteStream, bytes: Uint8Array, size: number): Promise<Buffer> {
  const pieces = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) =>
    bytes.subarray(i * size, (i + 1) * size),
  );
  const out = collect(transform);
  await pipeline(Readable.from(pieces.length ? pieces : []), transform);
  return out;
}

describe('encryptDataset', () => {
  for (const length of [0, 1, 1023, 1024, 1025, 4096, 10_000]) {
    it(`round-trips ${length} bytes with 1 KiB chunks, bytes and stream forms agree`, async () => {
      const key = generateDatasetKey();
      const noncePrefix = Uint8Array.of(1, 2, 3, 4, 5, 6, 7);
      const plaintext = pattern(length);
      const ciphertext = encryptDatasetBytes({ plaintext, key, chunkSize: 1024, noncePrefix });
      for (const writeSize of [1, 7, 1024, 5000]) {
        const streamed = await throughStream(
          encryptDataset({ key, chunkSize: 1024, noncePrefix }),
          plaintext,
          writeSize,
        );
        assert.deepEqual(new Uint8Array(streamed), ciphertext, `write size ${writeSize}`);
        const decrypted = await throughStream(decryptDataset({ key }), ciphertext, writeSize);
        assert.deepEqual(new Uint8Array(decrypted), plaintext);
      }
      assert.deepEqual(decryptDatasetBytes({ ciphertext, key }), plaintext);
    });
  }

  it('lays out header, full records and one final record as documented', () => {
    const ciphertext = encryptDatasetBytes({ plaintext: pattern(2500), key: generateDatasetKey(), chunkSize: 1024 });
    const full = 1 + 1024 + TAG_LENGTH;
    assert.equal(ciphertext.length, DATASET_HEADER_LENGTH + 2 * full + 5 + 452 + TAG_LENGTH);
    assert.equal(Buffer.from(ciphertext.subarray(0, 5)).toString('latin1'), 'CFDS\x01');
    assert.equal(Buffer.from(ciphertext).readUInt32BE(5), 1024);
    assert.equal(ciphertext[16], 0x00);
    assert.equal(ciphertext[16 + full], 0x00);
    assert.equal(ciphertext[16 + 2 * full], 0x01);
    assert.equal(Buffer.from(ciphertext).readUInt32BE(16 + 2 * full + 1), 452);
  });

  it('ends an exact multiple of the chunk size with a full final chunk, and empty input with an empty one', () => {
    const key = generateDatasetKey();
    assert.equal(
      encryptDatasetBytes({ plaintext: pattern(2048), key, chunkSize: 1024 }).length,
      16 + 1041 + 5 + 1024 + 16,
    );
    assert.equal(encryptDatasetBytes({ plaintext: new Uint8Array(0), key, chunkSize: 1024 }).length, 16 + 5 + 16);
  });

  it('draws a fresh nonce prefix each time, so equal inputs give different ciphertexts', () => {
    const key = generateDatasetKey();
    const a = encryptDatasetBytes({ plaintext: pattern(10), key });
    const b = encryptDatasetBytes({ plaintext: pattern(10), key });
    assert.notDeepEqual(a.subarray(9, 16), b.subarray(9, 16));
  });

  it('accepts the key as base64, as the SMS hands it over', () => {
    const key = generateDatasetKey();
    const ciphertext = encryptDatasetBytes({ plaintext: pattern(100), key: encodeDatasetKey(key) });
    assert.deepEqual(decryptDatasetBytes({ ciphertext, key }), pattern(100));
  });

  it('uses 64 KiB chunks by default', () => {
    const ciphertext = encryptDatasetBytes({ plaintext: new Uint8Array(0), key: generateDatasetKey() });
    assert.equal(Buffer.from(ciphertext).readUInt32BE(5), 64 * 1024);
  });

  it('error: a key of the wrong size', async () => {
    await expectCryptoError(
      () => encryptDataset({ key: new Uint8Array(16) }),
      'DatasetKeyInvalidError',
      'CONFIDE_CRYPTO_DATASET_KEY_INVALID',
    );
    await expectCryptoError(
      () => encryptDatasetBytes({ plaintext: new Uint8Array(1), key: 'bm90IGEga2V5' }),
      'DatasetKeyInvalidError',
      'CONFIDE_CRYPTO_DATASET_KEY_INVALID',
    );
  });

  it('error: a chunk size outside [1 KiB, 16 MiB]', () => {
    assert.throws(() => encryptDataset({ key: generateDatasetKey(), chunkSize: 512 }), RangeError);
  });
});

describe('datasetChecksum', () => {
  it('is the SHA-256 of the ciphertext, the same for bytes and for a stream', async () => {
    const ciphertext = encryptDatasetBytes({ plaintext: pattern(5000), key: generateDatasetKey(), chunkSize: 1024 });
    const expected = `0x${createHash('sha256').update(ciphertext).digest('hex')}`;
    assert.equal(await datasetChecksum(ciphertext), expected);
    assert.equal(
      await datasetChecksum(Readable.from([ciphertext.subarray(0, 100), ciphertext.subarray(100)])),
      expected,
    );
  });
});
