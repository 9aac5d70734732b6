import { primitives } from '#primitives';
import { DATASET_KEY_LENGTH } from './datasetFormat.js';

/** What {@link generateDatasetKey} returns: 32 random bytes. */
export type GenerateDatasetKeyReturnType = Uint8Array;

/**
 * Draws a fresh random 256-bit key for one dataset. Never reuse a key for two datasets.
 * @returns 32 bytes from the platform CSPRNG (the OS's in Node, `crypto.getRandomValues` in browsers).
 * @example
 * const key = generateDatasetKey();
 * const secret = encodeDatasetKey(key); // base64, what the SMS stores
 */
export function generateDatasetKey(): GenerateDatasetKeyReturnType {
  return primitives.randomBytes(DATASET_KEY_LENGTH);
}
