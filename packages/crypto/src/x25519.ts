import { createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, type KeyObject } from 'node:crypto';

// Internal: raw 32-byte X25519 keys over node:crypto (which speaks DER), for age (HPKE sealing
// uses @hpke/core; its tests cross-check public keys with x25519PublicKey).

const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

/** A raw X25519 key pair. */
type X25519KeyPair = { privateKey: Uint8Array; publicKey: Uint8Array };

function x25519PrivateKeyObject(privateKey: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, privateKey]), format: 'der', type: 'pkcs8' });
}

function x25519PublicKeyObject(publicKey: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
}

/** The public key of a raw private key. */
export function x25519PublicKey(privateKey: Uint8Array): Uint8Array {
  const spki = createPublicKey(x25519PrivateKeyObject(privateKey)).export({ format: 'der', type: 'spki' });
  return new Uint8Array(spki.subarray(SPKI_PREFIX.length));
}

/** A fresh random key pair. */
export function generateX25519KeyPair(): X25519KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  return {
    privateKey: new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_PREFIX.length)),
    publicKey: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length)),
  };
}

/**
 * X25519(privateKey, publicKey). Returns `undefined` for an all-zero result (a low-order public key),
 * which both age and RFC 9180 require callers to reject.
 */
export function x25519(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array | undefined {
  const shared = diffieHellman({
    privateKey: x25519PrivateKeyObject(privateKey),
    publicKey: x25519PublicKeyObject(publicKey),
  });
  return shared.every((byte) => byte === 0) ? undefined : new Uint8Array(shared);
}
