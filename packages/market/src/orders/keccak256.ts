import createKeccakHash from 'keccak';

/**
 * keccak-256 of bytes, by the native `keccak` addon (prebuilt; pure JavaScript where no build
 * fits): about nine times faster than viem's, and the market hashes each order three times.
 * @example keccak256(new Uint8Array(32))
 */
export function keccak256(data: Uint8Array): Uint8Array {
  return createKeccakHash('keccak256')
    .update(Buffer.from(data.buffer, data.byteOffset, data.byteLength))
    .digest();
}
