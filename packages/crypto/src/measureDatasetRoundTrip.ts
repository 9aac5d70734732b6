import { createHash, randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { decryptDataset } from './decryptDataset.js';
import { encryptDataset } from './encryptDataset.js';
import { generateDatasetKey } from './generateDatasetKey.js';

/** What {@link measureDatasetRoundTrip} returns. */
export type MeasureDatasetRoundTripReturnType = {
  bytes: number;
  plaintextSha256: string;
  decryptedSha256: string;
  ciphertextBytes: number;
  seconds: number;
  /** `process.resourceUsage().maxRSS` at the end, in bytes: the peak of this whole process. */
  maxRssBytes: number;
};

/**
 * Test and bench helper: streams `bytes` of generated data (never held in memory) through
 * encryptDataset → decryptDataset and hashes both ends. Run as a script it prints the result as
 * JSON, so a test can measure peak RSS in a fresh process:
 * `node --import tsx packages/crypto/src/measureDatasetRoundTrip.ts 1073741824`.
 * @param bytes - how much plaintext to generate.
 * @returns hashes of the plaintext and the decrypted output, timing and peak RSS.
 * @example const { plaintextSha256, decryptedSha256 } = await measureDatasetRoundTrip(16 * 1024 * 1024)
 */
export async function measureDatasetRoundTrip(bytes: number): Promise<MeasureDatasetRoundTripReturnType> {
  // Pieces are 64 KiB views into one random block at shifting offsets: distinct from one another,
  // and allocating nothing, so the peak RSS measured is the codec's, not this generator's.
  const PIECE = 64 * 1024;
  const block = randomBytes(1024 * 1024 + PIECE);
  const plaintextHash = createHash('sha256');
  const decryptedHash = createHash('sha256');
  let produced = 0;
  let ciphertextBytes = 0;
  const source = new Readable({
    read() {
      if (produced >= bytes) return void this.push(null);
      const offset = ((produced / PIECE) * 4099) % (block.length - PIECE);
      const piece = block.subarray(offset, offset + Math.min(PIECE, bytes - produced));
      produced += piece.length;
      plaintextHash.update(piece);
      this.push(piece);
    },
  });
  const countCiphertext = async function* (stream: AsyncIterable<Buffer>) {
    for await (const chunk of stream) {
      ciphertextBytes += chunk.length;
      yield chunk;
    }
  };
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      decryptedHash.update(chunk);
      callback();
    },
  });
  const key = generateDatasetKey();
  const started = performance.now();
  await pipeline(source, encryptDataset({ key }), countCiphertext, decryptDataset({ key }), sink);
  return {
    bytes,
    plaintextSha256: plaintextHash.digest('hex'),
    decryptedSha256: decryptedHash.digest('hex'),
    ciphertextBytes,
    seconds: (performance.now() - started) / 1000,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await measureDatasetRoundTrip(Number(process.argv[2] ?? 1024 ** 3));
  console.log(JSON.stringify(result));
}
