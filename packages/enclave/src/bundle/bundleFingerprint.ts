import { createHash } from 'node:crypto';
import type { Hex } from 'viem';

/**
 * The app's fingerprint: SHA-256 of the canonical bundle bytes, as 0x-hex. This value is
 * registered on chain for the app, and the SMS compares it with the measurement in the
 * enclave's quote, which the enclave runtime computes over the bundle it actually runs.
 * It hashes the bytes as given; `readBundle` is what checks that they are canonical.
 * @param bytes the bundle, as produced by `packBundle`
 * @returns `0x` followed by 64 lower-case hex digits
 * @example bundleFingerprint(await packBundle('apps/hello')) // '0x…'
 */
export function bundleFingerprint(bytes: Uint8Array): Hex {
  return `0x${createHash('sha256').update(bytes).digest('hex')}`;
}
