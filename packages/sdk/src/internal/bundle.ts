import { type Hex, sha256 } from 'viem';

/**
 * The on-chain fields of an app bundle stored at `cid`: its location, its checksum and its TEE
 * fingerprint (both SHA-256 of the canonical bytes: what the worker downloads, what the enclave runs).
 * @example const { multiaddr, checksum, fingerprint } = appBundleFields(bundle, cid)
 */
export function appBundleFields(
  bundle: Uint8Array,
  cid: string,
): { multiaddr: string; checksum: Hex; fingerprint: Hex } {
  const digest = sha256(bundle);
  return { multiaddr: `/ipfs/${cid}`, checksum: digest, fingerprint: digest };
}
