import { toBase64 } from './bytes.js';
import { DATASET_KEY_LENGTH, datasetKeyBytes } from './datasetFormat.js';
import { DatasetKeyInvalidError } from './errors.js';

/** What {@link encodeDatasetKey} returns: standard base64 with padding (44 characters). */
export type EncodeDatasetKeyReturnType = string;

/**
 * Encodes a dataset key as base64, the form iExec's SDK and SMS carry (`generateEncryptionKey`).
 * @param key - 32 key bytes.
 * @returns base64 text of the key.
 * @example encodeDatasetKey(generateDatasetKey()) // 'q83v…=' (44 chars)
 */
export function encodeDatasetKey(key: Uint8Array): EncodeDatasetKeyReturnType {
  if (!(key instanceof Uint8Array) || key.length !== DATASET_KEY_LENGTH) {
    throw new DatasetKeyInvalidError({ details: 'encodeDatasetKey needs 32 bytes' });
  }
  return toBase64(key);
}

/** What {@link decodeDatasetKey} returns: the 32 key bytes. */
export type DecodeDatasetKeyReturnType = Uint8Array;

/**
 * Decodes a base64 dataset key; throws DatasetKeyInvalidError unless it is canonical base64 of 32 bytes.
 * @param base64 - as returned by {@link encodeDatasetKey} or iExec's `generateEncryptionKey`.
 * @returns the 32 key bytes.
 * @example const key = decodeDatasetKey(process.env.IEXEC_DATASET_KEY ?? '')
 */
export function decodeDatasetKey(base64: string): DecodeDatasetKeyReturnType {
  if (typeof base64 !== 'string') throw new DatasetKeyInvalidError({ details: 'decodeDatasetKey needs a string' });
  return new Uint8Array(datasetKeyBytes(base64.trim()));
}
