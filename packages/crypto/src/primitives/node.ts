import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { Aead, CryptoPrimitives, Sha256 } from './types.js';

// Internal: the primitives over node:crypto (see types.ts). Keys become KeyObjects once per AEAD.

const TAG_LENGTH = 16;
const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

function aead(name: 'aes-256-gcm' | 'chacha20-poly1305', key: Uint8Array): Aead {
  const secret: KeyObject = createSecretKey(key);
  // Both are AEADs with the same calls; the cast only picks the typings' AEAD overload.
  const algorithm = name as 'aes-256-gcm';
  return {
    seal(nonce, aad, pieces) {
      const cipher = createCipheriv(algorithm, secret, nonce, { authTagLength: TAG_LENGTH });
      if (aad) cipher.setAAD(aad);
      const parts: Uint8Array[] = pieces.map((piece) => cipher.update(piece));
      const rest = cipher.final(); // empty for these AEADs, kept for form
      if (rest.length > 0) parts.push(rest);
      parts.push(cipher.getAuthTag());
      return parts;
    },
    open(nonce, aad, pieces, tag) {
      const decipher = createDecipheriv(algorithm, secret, nonce, { authTagLength: TAG_LENGTH });
      if (aad) decipher.setAAD(aad);
      decipher.setAuthTag(tag);
      const parts: Uint8Array[] = pieces.map((piece) => decipher.update(piece));
      decipher.final(); // throws unless the tag verifies
      return parts.filter((part) => part.length > 0);
    },
  };
}

const privateKeyObject = (privateKey: Uint8Array) =>
  createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, privateKey]), format: 'der', type: 'pkcs8' });
const publicKeyObject = (publicKey: Uint8Array) =>
  createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
const rawPublic = (key: KeyObject) =>
  new Uint8Array(key.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length));

function sha256(): Sha256 {
  const hash = createHash('sha256');
  const wrapper: Sha256 = {
    update(bytes) {
      hash.update(bytes);
      return wrapper;
    },
    digest: () => new Uint8Array(hash.digest()),
  };
  return wrapper;
}

export const primitives: CryptoPrimitives = {
  implementation: 'node:crypto',
  randomBytes: (length) => new Uint8Array(randomBytes(length)),
  aes256Gcm: (key) => aead('aes-256-gcm', key),
  chacha20Poly1305: (key) => aead('chacha20-poly1305', key),
  hkdfSha256: (ikm, salt, info, length) => new Uint8Array(hkdfSync('sha256', ikm, salt, info, length)),
  hmacSha256: (key, data) => new Uint8Array(createHmac('sha256', key).update(data).digest()),
  createSha256: sha256,
  x25519: {
    generateKeyPair() {
      const { privateKey, publicKey } = generateKeyPairSync('x25519');
      return {
        privateKey: new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_PREFIX.length)),
        publicKey: rawPublic(publicKey),
      };
    },
    publicKey: (privateKey) => rawPublic(createPublicKey(privateKeyObject(privateKey))),
    sharedSecret(privateKey, publicKey) {
      let shared: Buffer;
      try {
        shared = diffieHellman({ privateKey: privateKeyObject(privateKey), publicKey: publicKeyObject(publicKey) });
      } catch {
        return undefined; // OpenSSL 3 refuses the all-zero result of a low-order point
      }
      return shared.every((byte) => byte === 0) ? undefined : new Uint8Array(shared);
    },
  },
  crc32: (bytes, previous = 0) => crc32(bytes, previous),
};
