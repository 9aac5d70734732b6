import { Transform } from 'node:stream';
import { createDatasetSealer, type EncryptDatasetParameters } from './datasetSealer.js';

/** What {@link encryptDataset} returns: a Transform from plaintext bytes to the encrypted dataset. */
export type EncryptDatasetReturnType = Transform;

/**
 * Creates a Transform that encrypts a dataset of any size in bounded memory: a versioned header,
 * then AES-256-GCM chunks in the STREAM construction (see docs/formats.md). Pipe plaintext in,
 * ciphertext out; hash the output with {@link datasetChecksum} for the on-chain checksum.
 * @param parameters - the key, and optionally the chunk size.
 * @returns a Node Transform stream (for browsers, see {@link encryptDatasetChunks}).
 * @example
 * await pipeline(createReadStream('data.csv'), encryptDataset({ key }), createWriteStream('data.csv.cfds'));
 */
export function encryptDataset(parameters: EncryptDatasetParameters): EncryptDatasetReturnType {
  const sealer = createDatasetSealer(parameters);
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        for (const out of sealer.write(chunk)) this.push(out);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback) {
      try {
        for (const out of sealer.end()) this.push(out);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}
