import { fromBase64, toBase64, toHexString } from './bytes.js';
import { DatasetHeaderInvalidError, DatasetKeyInvalidError, DatasetTooLargeError } from './errors.js';

// Byte layout of the Confide dataset format, version 1 (see docs/formats.md#dataset-encryption).
//
//   header (16 bytes, authenticated as AAD of every chunk)
//     0  4  magic "CFDS"
//     4  1  version = 0x01
//     5  4  chunk size in bytes, u32 big-endian, 1 KiB ..= 16 MiB
//     9  7  nonce prefix, random per encryption
//   records, one per chunk, in order
//     0x00 ‖ ciphertext (chunk size bytes) ‖ tag (16)            non-final chunk, full
//     0x01 ‖ length (u32 BE, 0 ..= chunk size) ‖ ciphertext ‖ tag   final chunk, exactly one, last
//   AES-256-GCM nonce of chunk i = prefix (7) ‖ i (u32 BE) ‖ flag (0x00, or 0x01 for the final chunk)

const DATASET_MAGIC = Uint8Array.of(0x43, 0x46, 0x44, 0x53); // "CFDS"
/** The dataset format version this library writes and reads (header byte 4). */
export const DATASET_VERSION = 1;
/** Bytes of the dataset header: magic, version, chunk size, nonce prefix. */
export const DATASET_HEADER_LENGTH = 16;
export const NONCE_PREFIX_LENGTH = 7;
export const TAG_LENGTH = 16;
/** Plaintext bytes per chunk unless `chunkSize` says otherwise: 64 KiB. */
export const DEFAULT_CHUNK_SIZE = 64 * 1024;
/** Smallest chunk size a header may declare: 1 KiB. */
export const MIN_CHUNK_SIZE = 1024;
/** Largest chunk size a header may declare: 16 MiB, which bounds a reader's memory. */
export const MAX_CHUNK_SIZE = 16 * 1024 * 1024;
const MAX_CHUNK_INDEX = 0xffffffff;
export const FLAG_MORE = 0x00;
export const FLAG_FINAL = 0x01;
export const DATASET_KEY_LENGTH = 32;

/** A dataset key: 32 raw bytes, or their base64 encoding (as iExec and the SMS carry it). */
export type DatasetKey = Uint8Array | string;

/** The parsed header of an encrypted dataset. */
export type DatasetHeader = { bytes: Uint8Array; chunkSize: number; noncePrefix: Uint8Array };

/** Returns the 32 key bytes of `key`, or throws DatasetKeyInvalidError. */
export function datasetKeyBytes(key: DatasetKey): Uint8Array {
  if (typeof key === 'string') {
    const bytes = fromBase64(key);
    if (bytes?.length !== DATASET_KEY_LENGTH || toBase64(bytes) !== key) {
      throw new DatasetKeyInvalidError({ details: 'the string is not canonical base64 of 32 bytes' });
    }
    return bytes;
  }
  if (!(key instanceof Uint8Array) || key.length !== DATASET_KEY_LENGTH) {
    throw new DatasetKeyInvalidError({
      details: `got ${key instanceof Uint8Array ? `${key.length} bytes` : typeof key}, expected 32 bytes`,
    });
  }
  return key;
}

/** Builds a header; throws on an out-of-range chunk size or a nonce prefix that is not 7 bytes. */
export function encodeDatasetHeader(chunkSize: number, noncePrefix: Uint8Array): Uint8Array {
  if (!Number.isInteger(chunkSize) || chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
    throw new RangeError(`chunkSize must be an integer in [${MIN_CHUNK_SIZE}, ${MAX_CHUNK_SIZE}], got ${chunkSize}`);
  }
  if (noncePrefix.length !== NONCE_PREFIX_LENGTH) {
    throw new RangeError(`noncePrefix must be ${NONCE_PREFIX_LENGTH} bytes, got ${noncePrefix.length}`);
  }
  const header = new Uint8Array(DATASET_HEADER_LENGTH);
  header.set(DATASET_MAGIC, 0);
  header[4] = DATASET_VERSION;
  new DataView(header.buffer).setUint32(5, chunkSize);
  header.set(noncePrefix, 9);
  return header;
}

/** Parses and checks the 16 header bytes. */
export function parseDatasetHeader(bytes: Uint8Array): DatasetHeader {
  const header = bytes;
  if (header.length !== DATASET_HEADER_LENGTH) {
    throw new DatasetHeaderInvalidError({ details: `only ${header.length} bytes, a header has 16` });
  }
  if (DATASET_MAGIC.some((byte, i) => header[i] !== byte)) {
    throw new DatasetHeaderInvalidError({
      details: `magic is 0x${toHexString(header.subarray(0, 4))}, expected "CFDS"`,
    });
  }
  if (header[4] !== DATASET_VERSION) {
    throw new DatasetHeaderInvalidError({
      details: `version ${header[4]} is not supported (this library reads version ${DATASET_VERSION}); upgrade @confide/crypto`,
    });
  }
  const chunkSize = new DataView(header.buffer, header.byteOffset, header.byteLength).getUint32(5);
  if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
    throw new DatasetHeaderInvalidError({ details: `chunk size ${chunkSize} is outside [1 KiB, 16 MiB]` });
  }
  return { bytes: header, chunkSize, noncePrefix: header.subarray(9, 16) };
}

/** The 12-byte AES-GCM nonce of chunk `index`: prefix ‖ index (u32 BE) ‖ flag. */
export function chunkNonce(noncePrefix: Uint8Array, index: number, final: boolean): Uint8Array {
  if (index > MAX_CHUNK_INDEX) throw new DatasetTooLargeError({ details: `chunk index ${index} exceeds 2^32 - 1` });
  const nonce = new Uint8Array(12);
  nonce.set(noncePrefix, 0);
  new DataView(nonce.buffer).setUint32(NONCE_PREFIX_LENGTH, index);
  nonce[11] = final ? FLAG_FINAL : FLAG_MORE;
  return nonce;
}
