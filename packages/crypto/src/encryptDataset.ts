import { createCipheriv, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { Transform } from 'node:stream';
import { ByteQueue } from './byteQueue.js';
import {
  chunkNonce,
  type DatasetKey,
  DEFAULT_CHUNK_SIZE,
  datasetKeyBytes,
  encodeDatasetHeader,
  FLAG_FINAL,
  FLAG_MORE,
  NONCE_PREFIX_LENGTH,
  TAG_LENGTH,
} from './datasetFormat.js';
import { ownedBytes } from './ownedBytes.js';

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

/** What {@link encryptDataset} returns: a Transform from plaintext bytes to the encrypted dataset. */
export type EncryptDatasetReturnType = Transform;

/** Errors {@link encryptDataset} and {@link encryptDatasetBytes} may throw or emit. */
export type EncryptDatasetErrorType =
  | import('./errors.js').DatasetKeyInvalidError
  | import('./errors.js').DatasetTooLargeError;

/** Internal: the synchronous core shared by the stream and the bytes forms. */
type DatasetSealer = { write(bytes: Uint8Array): Uint8Array[]; end(): Uint8Array[] };

function createDatasetSealer({ key, chunkSize = DEFAULT_CHUNK_SIZE, noncePrefix }: EncryptDatasetParameters) {
  const secret: KeyObject = createSecretKey(datasetKeyBytes(key));
  const prefix = noncePrefix ?? randomBytes(NONCE_PREFIX_LENGTH);
  const header = encodeDatasetHeader(chunkSize, prefix);
  const queue = new ByteQueue();
  let index = 0;
  let headerSent = false;

  // Returns the record as pieces (lead byte(s), ciphertext, tag): pushing them as they are avoids a
  // copy per chunk, which keeps garbage, and so peak memory, low.
  const seal = (pieces: Uint8Array[], plaintextLength: number, final: boolean): Uint8Array[] => {
    const cipher = createCipheriv('aes-256-gcm', secret, chunkNonce(prefix, index, final), {
      authTagLength: TAG_LENGTH,
    });
    cipher.setAAD(header);
    let lead: Buffer;
    if (final) {
      lead = Buffer.alloc(5);
      lead[0] = FLAG_FINAL;
      lead.writeUInt32BE(plaintextLength, 1);
    } else {
      lead = Buffer.of(FLAG_MORE);
    }
    const parts: Uint8Array[] = [lead];
    for (const piece of pieces) parts.push(cipher.update(piece));
    const rest = cipher.final(); // empty for GCM, kept for form
    if (rest.length > 0) parts.push(rest);
    parts.push(cipher.getAuthTag());
    index++;
    return parts;
  };

  const start = (out: Uint8Array[]) => {
    if (!headerSent) out.push(header);
    headerSent = true;
  };

  const sealer: DatasetSealer = {
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
  return sealer;
}

/**
 * Creates a Transform that encrypts a dataset of any size in bounded memory: a versioned header,
 * then AES-256-GCM chunks in the STREAM construction (see docs/formats.md). Pipe plaintext in,
 * ciphertext out; hash the output with {@link datasetChecksum} for the on-chain checksum.
 * @param parameters - the key, and optionally the chunk size.
 * @returns a Node Transform stream.
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

/** Parameters of {@link encryptDatasetBytes}. */
export type EncryptDatasetBytesParameters = EncryptDatasetParameters & { plaintext: Uint8Array };

/** What {@link encryptDatasetBytes} returns: the whole encrypted dataset. */
export type EncryptDatasetBytesReturnType = Uint8Array;

/**
 * Encrypts a small dataset held in memory; same format as {@link encryptDataset}.
 * @param parameters - the plaintext and the key.
 * @returns header ‖ chunk records.
 * @example const ciphertext = encryptDatasetBytes({ plaintext: zip, key: generateDatasetKey() })
 */
export function encryptDatasetBytes({
  plaintext,
  ...options
}: EncryptDatasetBytesParameters): EncryptDatasetBytesReturnType {
  const sealer = createDatasetSealer(options);
  return ownedBytes(Buffer.concat([...sealer.write(plaintext), ...sealer.end()]));
}
