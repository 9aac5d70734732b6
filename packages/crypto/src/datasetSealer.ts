import { primitives } from '#primitives';
import { ByteQueue } from './byteQueue.js';
import { joinBytes } from './bytes.js';
import {
  chunkNonce,
  type DatasetKey,
  DEFAULT_CHUNK_SIZE,
  datasetKeyBytes,
  encodeDatasetHeader,
  FLAG_FINAL,
  FLAG_MORE,
  NONCE_PREFIX_LENGTH,
} from './datasetFormat.js';

// The dataset writer of every runtime: a synchronous core (plaintext pieces in, record pieces out)
// behind the Node Transform (encryptDataset.ts), the bytes form and the async-iterable form.

/** Parameters of {@link encryptDataset}. */
export type EncryptDatasetParameters = {
  /** The dataset key: 32 bytes or their base64 (see {@link generateDatasetKey}). */
  key: DatasetKey;
  /** Plaintext bytes per chunk, 1 KiB ..= 16 MiB; default 64 KiB. Memory use is a few chunks. */
  chunkSize?: number | undefined;
  /**
   * FOR TEST VECTORS ONLY: a fixed 7-byte nonce prefix. Left out, 7 random bytes are drawn, which is
   * what production must do (a fixed prefix with a reused key repeats GCM nonces).
   */
  noncePrefix?: Uint8Array | undefined;
};

/** Errors {@link encryptDataset}, {@link encryptDatasetBytes} and {@link encryptDatasetChunks} may throw or emit. */
export type EncryptDatasetErrorType =
  | import('./errors.js').DatasetKeyInvalidError
  | import('./errors.js').DatasetTooLargeError;

/** Internal: the synchronous core shared by the stream, async-iterable and bytes forms. */
export type DatasetSealer = { write(bytes: Uint8Array): Uint8Array[]; end(): Uint8Array[] };

/** Internal: see {@link DatasetSealer}. */
export function createDatasetSealer({
  key,
  chunkSize = DEFAULT_CHUNK_SIZE,
  noncePrefix,
}: EncryptDatasetParameters): DatasetSealer {
  const aead = primitives.aes256Gcm(datasetKeyBytes(key));
  const prefix = noncePrefix ?? primitives.randomBytes(NONCE_PREFIX_LENGTH);
  const header = encodeDatasetHeader(chunkSize, prefix);
  const queue = new ByteQueue();
  let index = 0;
  let headerSent = false;

  // Returns the record as pieces (lead byte(s), ciphertext, tag): pushing them as they are avoids a
  // copy per chunk, which keeps garbage, and so peak memory, low.
  const seal = (pieces: Uint8Array[], plaintextLength: number, final: boolean): Uint8Array[] => {
    let lead: Uint8Array;
    if (final) {
      lead = new Uint8Array(5);
      lead[0] = FLAG_FINAL;
      new DataView(lead.buffer).setUint32(1, plaintextLength);
    } else {
      lead = Uint8Array.of(FLAG_MORE);
    }
    const parts = [lead, ...aead.seal(chunkNonce(prefix, index, final), header, pieces)];
    index++;
    return parts;
  };

  const start = (out: Uint8Array[]) => {
    if (!headerSent) out.push(header);
    headerSent = true;
  };

  return {
    write(bytes) {
      const out: Uint8Array[] = [];
      start(out);
      queue.push(bytes);
      // A chunk is sealed as non-final only once at least one more byte is known to follow it.
      while (queue.length > chunkSize) out.push(...seal(queue.take(chunkSize), chunkSize, false));
      return out;
    },
    end() {
      const out: Uint8Array[] = [];
      start(out);
      const length = queue.length;
      out.push(...seal(queue.take(length), length, true));
      return out;
    },
  };
}

/** Parameters of {@link encryptDatasetBytes}. */
export type EncryptDatasetBytesParameters = EncryptDatasetParameters & { plaintext: Uint8Array };

/** What {@link encryptDatasetBytes} returns: the whole encrypted dataset. */
export type EncryptDatasetBytesReturnType = Uint8Array;

/**
 * Encrypts a small dataset held in memory; same format as {@link encryptDataset}. Runs in Node and in browsers.
 * @param parameters - the plaintext and the key.
 * @returns header ‖ chunk records.
 * @example const ciphertext = encryptDatasetBytes({ plaintext: zip, key: generateDatasetKey() })
 */
export function encryptDatasetBytes({
  plaintext,
  ...options
}: EncryptDatasetBytesParameters): EncryptDatasetBytesReturnType {
  const sealer = createDatasetSealer(options);
  return joinBytes([...sealer.write(plaintext), ...sealer.end()]);
}

/** Parameters of {@link encryptDatasetChunks}. */
export type EncryptDatasetChunksParameters = EncryptDatasetParameters & {
  /** The plaintext as a stream: an async iterable of bytes (a Node Readable, a web ReadableStream in Node or recent browsers, a generator). */
  source: AsyncIterable<Uint8Array>;
};

/** What {@link encryptDatasetChunks} returns: the encrypted dataset, piece by piece. */
export type EncryptDatasetChunksReturnType = AsyncGenerator<Uint8Array>;

/**
 * Encrypts a dataset of any size in bounded memory, from and to async iterables: the form that runs
 * in Node and in browsers (no node:stream). Same bytes as {@link encryptDataset}.
 * @param parameters - the plaintext stream, the key, and optionally the chunk size.
 * @returns an async generator of ciphertext pieces.
 * @example for await (const piece of encryptDatasetChunks({ source: file.stream(), key })) upload(piece)
 */
export async function* encryptDatasetChunks({
  source,
  ...options
}: EncryptDatasetChunksParameters): EncryptDatasetChunksReturnType {
  const sealer = createDatasetSealer(options);
  for await (const bytes of source) yield* sealer.write(bytes);
  yield* sealer.end();
}
