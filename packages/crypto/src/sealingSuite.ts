import { type AeadInterface, Aes256Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';

// Internal: the RFC 9180 HPKE suite of sealed secrets, from @hpke/core: base mode,
// DHKEM(X25519, HKDF-SHA256) + HKDF-SHA256 + AES-256-GCM. sealingSuite.test.ts checks the KEM and
// KDF against RFC 9180 Appendix A.1.1.

/** Length of `enc`, the encapsulated (ephemeral X25519 public) key that starts a sealed secret. */
export const SEALED_ENC_LENGTH = 32;

/** Length of the AES-GCM tag that ends a sealed secret. */
export const SEALED_TAG_LENGTH = 16;

/** An HPKE suite with the sealing KEM and KDF and the given AEAD (tests pass AES-128-GCM for A.1.1). */
export function createHpkeSuite(aead: AeadInterface): CipherSuite {
  // A suite initialises its KDF with its own suite id: never share KEM or KDF instances between suites.
  return new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead });
}

/** The suite of sealed secrets; stateless across calls, so one instance serves them all. */
export const sealingSuite = createHpkeSuite(new Aes256Gcm());
