import { gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes } from '../bytes.js';
import type { Aead, CryptoPrimitives, Sha256 } from './types.js';

// Internal: the primitives over the audited pure-JS @noble libraries (see types.ts), for browsers
// (selected by the "browser" condition of package.json `imports`); they run in Node too, which is
// how the tests check them against node.ts and the committed vectors.

const TAG_LENGTH = 16;

type NobleAead = (
  key: Uint8Array,
  nonce: Uint8Array,
  aad?: Uint8Array,
) => { encrypt(data: Uint8Array): Uint8Array; decrypt(data: Uint8Array): Uint8Array };

function aead(cipher: NobleAead, key: Uint8Array): Aead {
  const secret = Uint8Array.from(key); // noble may clean what it is given; the caller keeps its key
  return {
    seal(nonce, aad, pieces) {
      const sealed = cipher(secret, nonce, aad).encrypt(concatBytes(pieces));
      const split = sealed.length - TAG_LENGTH;
      return [sealed.subarray(0, split), sealed.subarray(split)];
    },
    open(nonce, aad, pieces, tag) {
      const plaintext = cipher(secret, nonce, aad).decrypt(concatBytes([...pieces, tag]));
      return plaintext.length > 0 ? [plaintext] : [];
    },
  };
}

/** `crypto.getRandomValues` (Web Crypto, in every browser and in Node), which gives at most 64 KiB a call. */
function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let at = 0; at < length; at += 65_536) globalThis.crypto.getRandomValues(out.subarray(at, at + 65_536));
  return out;
}

function createSha256(): Sha256 {
  const hash = sha256.create();
  const wrapper: Sha256 = {
    update(bytes) {
      hash.update(bytes);
      return wrapper;
    },
    digest: () => hash.digest(),
  };
  return wrapper;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array, previous = 0): number {
  let crc = ~previous >>> 0;
  for (let i = 0; i < bytes.length; i++) crc = (CRC_TABLE[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return ~crc >>> 0;
}

export const primitives: CryptoPrimitives = {
  implementation: '@noble',
  randomBytes,
  aes256Gcm: (key) => aead(gcm, key),
  chacha20Poly1305: (key) => aead(chacha20poly1305, key),
  hkdfSha256: (ikm, salt, info, length) => hkdf(sha256, ikm, salt, info, length),
  hmacSha256: (key, data) => hmac(sha256, key, data),
  createSha256,
  x25519: {
    generateKeyPair() {
      const privateKey = x25519.utils.randomSecretKey();
      return { privateKey, publicKey: x25519.getPublicKey(privateKey) };
    },
    publicKey: (privateKey) => x25519.getPublicKey(privateKey),
    sharedSecret(privateKey, publicKey) {
      try {
        return x25519.getSharedSecret(privateKey, publicKey);
      } catch {
        return undefined; // noble refuses the all-zero result of a low-order point
      }
    },
  },
  crc32,
};
