import { primitives } from '#primitives';

// Internal: raw 32-byte X25519 keys for age (HPKE sealing uses @hpke/core; its tests cross-check
// public keys with x25519PublicKey), over the runtime's primitives.

/** The public key of a raw private key. */
export const x25519PublicKey = (privateKey: Uint8Array): Uint8Array => primitives.x25519.publicKey(privateKey);

/** A fresh random key pair. */
export const generateX25519KeyPair = () => primitives.x25519.generateKeyPair();

/**
 * X25519(privateKey, publicKey). Returns `undefined` for an all-zero result (a low-order public key),
 * which both age and RFC 9180 require callers to reject.
 */
export const x25519 = (privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array | undefined =>
  primitives.x25519.sharedSecret(privateKey, publicKey);
