import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, it } from 'node:test';
import { decryptDatasetBytes } from './datasetOpener.js';
import { encryptDatasetBytes } from './datasetSealer.js';
import { decryptDataset } from './decryptDataset.js';
import type { ConfideCryptoErrorCode } from './errors.js';
import { DatasetChunkTamperedError } from './errors.js';
import { expectCryptoError } from './expectCryptoError.js';
import { generateDatasetKey } from './generateDatasetKey.js';

// 3 full chunks of 1 KiB and a final chunk of 500 bytes.
const CHUNK = 1024;
const FULL = 1 + CHUNK + 16;
const key = generateDatasetKey();
const plaintext = Uint8Array.from({ length: 3 * CHUNK + 500 }, (_, i) => (i * 13) & 0xff);
const ciphertext = encryptDatasetBytes({ plaintext, key, chunkSize: CHUNK });
const header = ciphertext.subarray(0, 16);
const record = (i: number) => ciphertext.subarray(16 + i * FULL, 16 + (i + 1) * FULL);
const finalRecord = ciphertext.subarray(16 + 3 * FULL);
const join = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
const flip = (bytes: Uint8Array, at: number) => {
  const copy = new Uint8Array(bytes);
  copy[at] = (copy[at] as number) ^ 0x01;
  return copy;
};

const cases: { title: string; bytes: Uint8Array; name: string; code: ConfideCryptoErrorCode; chunk?: number }[] = [
  {
    title: 'a flipped magic byte',
    bytes: flip(ciphertext, 0),
    name: 'DatasetHeaderInvalidError',
    code: 'CONFIDE_CRYPTO_DATASET_HEADER_INVALID',
  },
  {
    title: 'a flipped version byte',
    bytes: flip(ciphertext, 4),
    name: 'DatasetHeaderInvalidError',
    code: 'CONFIDE_CRYPTO_DATASET_HEADER_INVALID',
  },
  {
    title: 'a chunk size out of range',
    bytes: flip(ciphertext, 5),
    name: 'DatasetHeaderInvalidError',
    code: 'CONFIDE_CRYPTO_DATASET_HEADER_INVALID',
  },
  // 1024 -> 1025 is still a valid chunk size: the header is AAD, so chunk 0 fails authentication.
  {
    title: 'a changed (valid) chunk size',
    bytes: flip(ciphertext, 8),
    name: 'DatasetChunkTamperedError',
    code: 'CONFIDE_CRYPTO_CHUNK_TAMPERED',
    chunk: 0,
  },
  {
    title: 'a flipped nonce-prefix byte',
    bytes: flip(ciphertext, 12),
    name: 'DatasetChunkTamperedError',
    code: 'CONFIDE_CRYPTO_CHUNK_TAMPERED',
    chunk: 0,
  },
  {
    title: 'a flipped ciphertext byte in chunk 1',
    bytes: flip(ciphertext, 16 + FULL + 100),
    name: 'DatasetChunkTamperedError',
    code: 'CONFIDE_CRYPTO_CHUNK_TAMPERED',
    chunk: 1,
  },
  {
    title: 'a flipped tag byte of chunk 2',
    bytes: flip(ciphertext, 16 + 3 * FULL - 3),
    name: 'DatasetChunkTamperedError',
    code: 'CONFIDE_CRYPTO_CHUNK_TAMPERED',
    chunk: 2,
  },
  {
    title: 'a flipped byte in the final chunk',
    bytes: flip(ciphertext, ciphertext.length - 30),
    name: 'DatasetChunkTamperedError',
    code: 'CONFIDE_CRYPTO_CHUNK_TAMPERED',
    chunk: 3,
  },
  {
    title: 'a changed final-chunk length',
    bytes: flip(ciphertext, 16 + 3 * FULL + 4),
    name: 'DatasetChunkTamperedError',
    code: 'CONFIDE_CRYPTO_CHUNK_TAMPERED',
    chunk: 3,
  },
  {
    title: 'a non-final record marked final',
    bytes: flip(ciphertext, 16 + FULL),
    name: 'DatasetChunkTamperedError',
    code: 'CONFIDE_CRYPTO_CHUNK_TAMPERED',
    chunk: 1,
  },
  {
    title: 'an unknown record flag',
    bytes: join(header, Uint8Array.of(7), ciphertext.subarray(17)),
    name: 'DatasetChunkTamperedError',
    code: 'CONFIDE_CRYPTO_CHUNK_TAMPERED',
    chunk: 0,
  },
  {
    title: 'two chunks swapped',
    bytes: join(header, record(1), record(0), record(2), finalRecord),
    name: 'DatasetChunkTamperedError',
    code: 'CONFIDE_CRYPTO_CHUNK_TAMPERED',
    chunk: 0,
  },
  {
    title: 'a duplicated chunk',
    bytes: join(header, record(0), record(1), record(1), record(2), finalRecord),
    name: 'DatasetChunkTamperedError',
    code: 'CONFIDE_CRYPTO_CHUNK_TAMPERED',
    chunk: 2,
  },
  {
    title: 'a dropped middle chunk',
    bytes: join(header, record(0), record(2), finalRecord),
    name: 'DatasetChunkTamperedError',
    code: 'CONFIDE_CRYPTO_CHUNK_TAMPERED',
    chunk: 1,
  },
  {
    title: 'the final chunk dropped',
    bytes: join(header, record(0), record(1), record(2)),
    name: 'DatasetTruncatedError',
    code: 'CONFIDE_CRYPTO_DATASET_TRUNCATED',
    chunk: 3,
  },
  {
    title: 'a cut inside chunk 2',
    bytes: ciphertext.subarray(0, 16 + 2 * FULL + 500),
    name: 'DatasetTruncatedError',
    code: 'CONFIDE_CRYPTO_DATASET_TRUNCATED',
    chunk: 2,
  },
  {
    title: 'a cut inside the final chunk',
    bytes: ciphertext.subarray(0, ciphertext.length - 1),
    name: 'DatasetTruncatedError',
    code: 'CONFIDE_CRYPTO_DATASET_TRUNCATED',
    chunk: 3,
  },
  {
    title: 'the header alone',
    bytes: header,
    name: 'DatasetTruncatedError',
    code: 'CONFIDE_CRYPTO_DATASET_TRUNCATED',
    chunk: 0,
  },
  {
    title: 'one byte after the final chunk',
    bytes: join(ciphertext, Uint8Array.of(0)),
    name: 'DatasetTrailingDataError',
    code: 'CONFIDE_CRYPTO_DATASET_TRAILING_DATA',
  },
  {
    title: 'a whole chunk replayed after the final chunk',
    bytes: join(ciphertext, record(0)),
    name: 'DatasetTrailingDataError',
    code: 'CONFIDE_CRYPTO_DATASET_TRAILING_DATA',
  },
  {
    title: 'a second dataset concatenated',
    bytes: join(ciphertext, ciphertext),
    name: 'DatasetTrailingDataError',
    code: 'CONFIDE_CRYPTO_DATASET_TRAILING_DATA',
  },
  {
    title: 'an empty input',
    bytes: new Uint8Array(0),
    name: 'DatasetHeaderInvalidError',
    code: 'CONFIDE_CRYPTO_DATASET_HEADER_INVALID',
  },
  {
    title: 'fewer bytes than a header',
    bytes: header.subarray(0, 10),
    name: 'DatasetHeaderInvalidError',
    code: 'CONFIDE_CRYPTO_DATASET_HEADER_INVALID',
  },
];

async function decryptStream(bytes: Uint8Array, writeSize: number): Promise<void> {
  const pieces = Array.from({ length: Math.ceil(bytes.length / writeSize) }, (_, i) =>
    bytes.subarray(i * writeSize, (i + 1) * writeSize),
  );
  const sink = async (source: AsyncIterable<unknown>) => {
    for await (const _ of source);
  };
  await pipeline(Readable.from(pieces), decryptDataset({ key }), sink);
}

describe('decryptDataset', () => {
  it('decrypts the untouched ciphertext (control for the cases below)', async () => {
    assert.deepEqual(decryptDatasetBytes({ ciphertext, key }), plaintext);
    await decryptStream(ciphertext, 333);
  });

  for (const { title, bytes, name, code, chunk } of cases) {
    it(`error: ${title} gives ${name}, in bytes and in stream form`, async () => {
      const error = await expectCryptoError(() => decryptDatasetBytes({ ciphertext: bytes, key }), name, code);
      if (chunk !== undefined) assert.equal((error as DatasetChunkTamperedError).chunkIndex, chunk);
      await expectCryptoError(() => decryptStream(bytes, 333), name, code);
      await expectCryptoError(() => decryptStream(bytes, 4096), name, code);
    });
  }

  it('error: a changed chunk size that still frames the records (only the header-as-AAD catches it)', async () => {
    const single = encryptDatasetBytes({ plaintext: plaintext.subarray(0, 500), key, chunkSize: CHUNK });
    const resized = new Uint8Array(single);
    resized[7] = 0x08; // 1024 -> 2048: the one final record of 500 bytes still parses
    await expectCryptoError(
      () => decryptDatasetBytes({ ciphertext: resized, key }),
      'DatasetChunkTamperedError',
      'CONFIDE_CRYPTO_CHUNK_TAMPERED',
    );
  });

  it('error: the wrong key fails chunk 0, and the message shows no key material', async () => {
    const wrong = generateDatasetKey();
    const error = await expectCryptoError(
      () => decryptDatasetBytes({ ciphertext, key: wrong }),
      'DatasetChunkTamperedError',
      'CONFIDE_CRYPTO_CHUNK_TAMPERED',
    );
    assert.ok(error instanceof DatasetChunkTamperedError && error.chunkIndex === 0);
    for (const secret of [wrong, key]) {
      assert.ok(!error.message.includes(Buffer.from(secret).toString('hex')));
      assert.ok(!error.message.includes(Buffer.from(secret).toString('base64')));
    }
  });

  it('releases no plaintext of a chunk that fails authentication', async () => {
    const out: Buffer[] = [];
    const tampered = flip(ciphertext, 16 + FULL + 100);
    await assert.rejects(
      pipeline(Readable.from([tampered]), decryptDataset({ key }), async (source: AsyncIterable<Buffer>) => {
        for await (const part of source) out.push(part);
      }),
    );
    assert.ok(Buffer.concat(out).length <= CHUNK, 'at most chunk 0 was released');
  });
});
