import secp256k1 from 'secp256k1';
import type { Address, Hex } from 'viem';
import { bytesToHexFast } from './createOrderHasher.js';
import { keccak256 } from './keccak256.js';

/** Half the secp256k1 group order: OpenZeppelin's ECDSA (so the hub) refuses any larger `s`. */
const HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

/**
 * Who signed `digest`, by the hub's own rules (`Signatures.recover`: OpenZeppelin's ECDSA):
 * 65 bytes `r ‖ s ‖ v` with v 27 or 28, or 64 bytes EIP-2098 `r ‖ vs`; `s` in the lower half
 * of the group order. Anything else, or a signature no key produced, is `null`: the hub would
 * refuse it too. Uses libsecp256k1 (native, prebuilt), about thirty times faster than a
 * JavaScript recovery; the market recovers the signer of every order it ingests.
 * @param digest the 32-byte EIP-712 digest
 * @param sign the signature as 0x-hex
 * @returns the signer, lowercase, or `null` when the signature is malformed or recovers to nobody
 * @example recoverOrderSigner(hasher.digest('AppOrder', order), order.sign)
 */
export function recoverOrderSigner(digest: Uint8Array, sign: Hex): Address | null {
  const bytes = Buffer.from(sign.slice(2), 'hex');
  let recovery: number;
  const compact = new Uint8Array(64);
  if (bytes.length === 65) {
    const v = bytes[64] ?? 0;
    if (v !== 27 && v !== 28) return null;
    recovery = v - 27;
    compact.set(bytes.subarray(0, 64));
  } else if (bytes.length === 64) {
    recovery = (bytes[32] ?? 0) >> 7;
    compact.set(bytes.subarray(0, 64));
    compact[32] = (compact[32] ?? 0) & 0x7f;
  } else {
    return null;
  }
  const s = BigInt(bytesToHexFast(compact.subarray(32, 64)));
  if (s === 0n || s > HALF_N) return null;
  let publicKey: Uint8Array;
  try {
    publicKey = secp256k1.ecdsaRecover(compact, recovery, digest, false);
  } catch {
    return null;
  }
  const hash = keccak256(publicKey.subarray(1));
  return bytesToHexFast(hash.subarray(12)) as Address;
}
