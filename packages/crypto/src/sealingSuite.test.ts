import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Aes128Gcm, OpenError } from '@hpke/core';
import { createHpkeSuite } from './sealingSuite.js';
import { x25519PublicKey } from './x25519.js';

// RFC 9180 Appendix A.1.1: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, base mode, seq 0.
// The RFC publishes no X25519 + AES-256-GCM vector; this one pins the KEM, KDF and key schedule
// that sealed secrets use (createHpkeSuite builds them; only the AEAD differs). AES-256-GCM wire
// compatibility is pinned by test-vectors/sealed-secret.json (see sealSecret.test.ts).
const hex = (text: string) => Buffer.from(text, 'hex');
const toHex = (bytes: ArrayBuffer | Uint8Array) => Buffer.from(new Uint8Array(bytes)).toString('hex');
const A11 = {
  info: hex('4f6465206f6e2061204772656369616e2055726e'),
  ikmE: hex('7268600d403fce431561aef583ee1613527cff655c1343f29812e66706df3234'),
  pkEm: '37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431',
  ikmR: hex('6db9df30aa07dd42ee5e8181afdb977e538f5e1fec8a06223f33f7013e525037'),
  skRm: '4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8',
  pkRm: '3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d',
  aad: hex('436f756e742d30'),
  pt: hex('4265617574792069732074727574682c20747275746820626561757479'),
  ct: 'f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a',
};

describe('sealing suite (@hpke/core, RFC 9180)', () => {
  const suite = createHpkeSuite(new Aes128Gcm());

  it('derives the RFC 9180 A.1.1 recipient key pair; node:crypto agrees on its public key', async () => {
    const { privateKey, publicKey } = await suite.kem.deriveKeyPair(A11.ikmR);
    assert.equal(toHex(await suite.kem.serializePrivateKey(privateKey)), A11.skRm);
    assert.equal(toHex(await suite.kem.serializePublicKey(publicKey)), A11.pkRm);
    assert.equal(toHex(x25519PublicKey(hex(A11.skRm))), A11.pkRm);
  });

  it('reproduces the RFC 9180 A.1.1 base-mode vector from the fixed ephemeral key', async () => {
    const sender = await suite.createSenderContext({
      recipientPublicKey: await suite.kem.deserializePublicKey(hex(A11.pkRm)),
      info: A11.info,
      ekm: A11.ikmE, // test-only: derives the ephemeral key pair from ikmE, as the RFC does
    });
    assert.equal(toHex(sender.enc), A11.pkEm);
    assert.equal(toHex(await sender.seal(A11.pt, A11.aad)), A11.ct);
  });

  it('opens the RFC 9180 A.1.1 ciphertext, and refuses it with another aad', async () => {
    const params = {
      recipientKey: await suite.kem.deserializePrivateKey(hex(A11.skRm)),
      enc: hex(A11.pkEm),
      info: A11.info,
    };
    assert.equal(toHex(await suite.open(params, hex(A11.ct), A11.aad)), toHex(A11.pt));
    await assert.rejects(suite.open(params, hex(A11.ct), hex('436f756e742d31')), OpenError);
  });
});
