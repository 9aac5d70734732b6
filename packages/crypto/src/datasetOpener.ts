import { primitives } from '#primitives';
import { ByteQueue } from './byteQueue.js';
import { joinBytes } from './bytes.js';
import {
  chunkNonce,
  DATASET_HEADER_LENGTH,
  type DatasetHeader,
  type DatasetKey,
  datasetKeyBytes,
  FLAG_FINAL,
  FLAG_MORE,
  parseDatasetHeader,
  TAG_LENGTH,
} from './datasetFormat.js';
import {
  DatasetChunkTamperedError,
  DatasetHeaderInvalidError,
  DatasetTrailingDataError,
  DatasetTruncatedError,
} from './errors.js';

// The dataset reader of every runtime: a synchronous core behind the Node Transform
// (decryptDataset.ts), the bytes form and the async-iterable form.

/** Parameters of {@link decryptDataset}. */
export type DecryptDatasetParameters = {
  /** The dataset key: 32 bytes or their base64. */
  key: DatasetKey;
};

/** Errors {@link decryptDataset} emits and {@link decryptDatasetBytes} throws. */
export type DecryptDatasetErrorType =
  | import('./errors.js').DatasetKeyInvalidError
  | DatasetHeaderInvalidError
  | DatasetChunkTamperedError
  | DatasetTruncatedError
  | DatasetTrailingDataError;

/** Internal: the synchronous core shared by the stream, async-iterable and bytes forms. */
export function createDatasetOpener({ key }: DecryptDatasetParameters) {
  const aead = primitives.aes256Gcm(datasetKeyBytes(key));
  const queue = new ByteQueue();
  let header: DatasetHeader | undefined;
  let index = 0;
  let done = false;

  /** Returns the chunk's plaintext as pieces (no concatenation: less garbage, lower peak memory). */
  const open = (h: DatasetHeader, pieces: Uint8Array[], tag: Uint8Array, final: boolean): Uint8Array[] => {
    let parts: Uint8Array[];
    try {
      parts = aead.open(chunkNonce(h.noncePrefix, index, final), h.bytes, pieces, tag);
    } catch (cause) {
      throw new DatasetChunkTamperedError({ chunkIndex: index, cause });
    }
    index++;
    return parts;
  };

  const trailing = () =>
    new DatasetTrailingDataError({ details: `at least ${queue.length} bytes follow the final chunk (${index - 1})` });

  return {
    write(bytes: Uint8Array): Uint8Array[] {
      queue.push(bytes);
      if (done && queue.length > 0) throw trailing();
      const out: Uint8Array[] = [];
      if (!header) {
        if (queue.length < DATASET_HEADER_LENGTH) return out;
        header = parseDatasetHeader(queue.takeBytes(DATASET_HEADER_LENGTH));
      }
      const { chunkSize } = header;
      while (queue.length > 0) {
        const flag = queue.byteAt(0);
        if (flag === FLAG_MORE) {
          if (queue.length < 1 + chunkSize + TAG_LENGTH) break;
          queue.take(1);
          out.push(...open(header, queue.take(chunkSize), queue.takeBytes(TAG_LENGTH), false));
        } else if (flag === FLAG_FINAL) {
          if (queue.length < 5) break;
          const length =
            queue.byteAt(1) * 0x1000000 + queue.byteAt(2) * 0x10000 + queue.byteAt(3) * 0x100 + queue.byteAt(4);
          if (length > chunkSize) {
            throw new DatasetChunkTamperedError({
              chunkIndex: index,
              details: `final chunk claims ${length} bytes, more than the chunk size ${chunkSize}`,
            });
          }
          if (queue.length < 5 + length + TAG_LENGTH) break;
          queue.take(5);
          out.push(...open(header, queue.take(length), queue.takeBytes(TAG_LENGTH), true));
          done = true;
          if (queue.length > 0) throw trailing();
        } else {
          throw new DatasetChunkTamperedError({
            chunkIndex: index,
            details: `record flag 0x${flag.toString(16).padStart(2, '0')} is neither 0x00 (more) nor 0x01 (final)`,
          });
        }
      }
      return out;
    },
    end(): void {
      if (!header) {
        throw new DatasetHeaderInvalidError({
          details: queue.length === 0 ? 'the input is empty' : `only ${queue.length} bytes, a header has 16`,
        });
      }
      if (!done) {
        const remaining = queue.length;
        // A final record whose length field claims more bytes than remain is either cut short or has
        // an altered length: if the bytes that are there authenticate as the final chunk, it is the latter.
        if (remaining >= 5 + TAG_LENGTH && queue.byteAt(0) === FLAG_FINAL) {
          queue.take(5);
          const pieces = queue.take(remaining - 5 - TAG_LENGTH);
          let authentic = true;
          try {
            open(header, pieces, queue.takeBytes(TAG_LENGTH), true);
          } catch {
            authentic = false;
          }
          if (authentic) {
            throw new DatasetChunkTamperedError({
              chunkIndex: index - 1,
              details: 'the final chunk length was altered',
            });
          }
        }
        throw new DatasetTruncatedError({
          chunkIndex: index,
          details:
            remaining === 0
              ? `the input stops after ${index} complete non-final chunk(s)`
              : `the input stops ${remaining} bytes into chunk ${index}`,
        });
      }
    },
  };
}

/** Parameters of {@link decryptDatasetBytes}. */
export type DecryptDatasetBytesParameters = DecryptDatasetParameters & { ciphertext: Uint8Array };

/** What {@link decryptDatasetBytes} returns: the plaintext. */
export type DecryptDatasetBytesReturnType = Uint8Array;

/**
 * Decrypts a small encrypted dataset held in memory; throws the same named errors as the stream.
 * Runs in Node and in browsers.
 * @param parameters - the ciphertext and the key.
 * @returns the authenticated plaintext.
 * @example const zip = decryptDatasetBytes({ ciphertext, key: process.env.IEXEC_DATASET_KEY ?? '' })
 */
export function decryptDatasetBytes({ ciphertext, key }: DecryptDatasetBytesParameters): DecryptDatasetBytesReturnType {
  const opener = createDatasetOpener({ key });
  const out = opener.write(ciphertext);
  opener.end();
  return joinBytes(out);
}

/** Parameters of {@link decryptDatasetChunks}. */
export type DecryptDatasetChunksParameters = DecryptDatasetParameters & {
  /** The encrypted dataset as an async iterable of bytes (a download's body, a Node Readable…). */
  source: AsyncIterable<Uint8Array>;
};

/** What {@link decryptDatasetChunks} returns: authenticated plaintext, piece by piece. */
export type DecryptDatasetChunksReturnType = AsyncGenerator<Uint8Array>;

/**
 * Decrypts a dataset of any size in bounded memory, from and to async iterables: the form that runs
 * in Node and in browsers. A chunk's plaintext is yielded only after its tag verifies; throws the
 * same named errors as {@link decryptDataset}.
 * @param parameters - the ciphertext stream and the key.
 * @returns an async generator of plaintext pieces.
 * @example for await (const piece of decryptDatasetChunks({ source: response.body, key })) sink(piece)
 */
export async function* decryptDatasetChunks({
  source,
  key,
}: DecryptDatasetChunksParameters): DecryptDatasetChunksReturnType {
  const opener = createDatasetOpener({ key });
  for await (const bytes of source) yield* opener.write(bytes);
  opener.end();
}
