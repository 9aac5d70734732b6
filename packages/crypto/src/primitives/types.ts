// Internal: the cryptographic primitives the Confide formats are built on. The formats (dataset
// STREAM, age, zip) are written once over this interface; `node.ts` implements it with node:crypto
// (fast, native), `browser.ts` with the audited pure-JS @noble libraries (any JavaScript runtime).
// package.json `imports` picks one: `#primitives` is `browser.ts` under the "browser" condition.

/** An AEAD bound to one key. Ciphertext and plaintext are given and returned as pieces (no concatenation). */
export type Aead = {
  /** Encrypts the pieces as one message; returns the ciphertext pieces, then the 16-byte tag. */
  seal(nonce: Uint8Array, aad: Uint8Array | undefined, pieces: readonly Uint8Array[]): Uint8Array[];
  /** Decrypts and authenticates; throws (any error) unless the tag verifies. Returns plaintext pieces. */
  open(nonce: Uint8Array, aad: Uint8Array | undefined, pieces: readonly Uint8Array[], tag: Uint8Array): Uint8Array[];
};

/** An incremental SHA-256. */
export type Sha256 = { update(bytes: Uint8Array): Sha256; digest(): Uint8Array };

/** A raw X25519 key pair (32 bytes each). */
export type X25519KeyPair = { privateKey: Uint8Array; publicKey: Uint8Array };

export type CryptoPrimitives = {
  /** Which implementation this is, for tests and diagnostics. */
  implementation: 'node:crypto' | '@noble';
  /** Bytes from the platform CSPRNG. */
  randomBytes(length: number): Uint8Array;
  aes256Gcm(key: Uint8Array): Aead;
  chacha20Poly1305(key: Uint8Array): Aead;
  hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array;
  hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array;
  createSha256(): Sha256;
  x25519: {
    generateKeyPair(): X25519KeyPair;
    publicKey(privateKey: Uint8Array): Uint8Array;
    /** X25519(privateKey, publicKey); `undefined` for the all-zero result of a low-order public key. */
    sharedSecret(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array | undefined;
  };
  /** CRC-32 (zip's), continuing from `previous`. */
  crc32(bytes: Uint8Array, previous?: number): number;
};
