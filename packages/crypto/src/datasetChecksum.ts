import type { Hex } from 'viem';
import { primitives } from '#primitives';
import { toHexString } from './bytes.js';

/** Input of {@link datasetChecksum}: the encrypted bytes, or a stream / async iterable of them. */
export type DatasetChecksumParameters = Uint8Array | AsyncIterable<Uint8Array>;

/** What {@link datasetChecksum} returns: 0x-prefixed lowercase hex of 32 bytes. */
export type DatasetChecksumReturnType = Promise<Hex>;

/**
 * The dataset checksum stored on chain: SHA-256 of the CIPHERTEXT, as iExec's
 * `computeEncryptedFileChecksum`. The enclave re-hashes what it downloads and refuses a mismatch.
 * @param input - the encrypted dataset, whole or as a stream (hashed in constant memory).
 * @returns `0x…` SHA-256.
 * @example const checksum = await datasetChecksum(createReadStream('data.cfds'))
 */
export async function datasetChecksum(input: DatasetChecksumParameters): DatasetChecksumReturnType {
  const hash = primitives.createSha256();
  if (input instanceof Uint8Array) {
    hash.update(input);
  } else {
    for await (const chunk of input) hash.update(chunk);
  }
  return `0x${toHexString(hash.digest())}`;
}
