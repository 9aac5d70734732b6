import { Transform } from 'node:stream';
import { createDatasetOpener, type DecryptDatasetParameters } from './datasetOpener.js';

/** What {@link decryptDataset} returns: a Transform from the encrypted dataset to plaintext. */
export type DecryptDatasetReturnType = Transform;

/**
 * Creates a Transform that decrypts and authenticates a dataset made by {@link encryptDataset}.
 * Plaintext of a chunk is released only after its tag verifies; the stream errors with a named
 * error on tampering, truncation or trailing bytes. Memory use is bounded by the chunk size.
 * @param parameters - the dataset key.
 * @returns a Node Transform stream (for browsers, see {@link decryptDatasetChunks}).
 * @example
 * await pipeline(createReadStream('data.cfds'), decryptDataset({ key }), createWriteStream('/iexec_in/data'));
 */
export function decryptDataset(parameters: DecryptDatasetParameters): DecryptDatasetReturnType {
  const opener = createDatasetOpener(parameters);
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        for (const out of opener.write(chunk)) this.push(out);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback) {
      try {
        opener.end();
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}
