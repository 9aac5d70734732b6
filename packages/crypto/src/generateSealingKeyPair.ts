import { sealingSuite } from './sealingSuite.js';

/** What {@link generateSealingKeyPair} returns: raw 32-byte X25519 keys. */
export type GenerateSealingKeyPairReturnType = { privateKey: Uint8Array; publicKey: Uint8Array };

/**
 * Creates the enclave's X25519 sealing key pair with the HPKE suite's KEM (`@hpke/core`). The enclave
 * runtime calls it at birth, keeps the private key in memory only, and commits to the public key in
 * its quote's report data. Asynchronous, like `sealSecret`.
 * @returns the private and public keys, 32 bytes each.
 * @example
 * const { privateKey, publicKey } = await generateSealingKeyPair();
 * // publicKey goes into the quote; the SMS seals secrets to it with sealSecret
 */
export async function generateSealingKeyPair(): Promise<GenerateSealingKeyPairReturnType> {
  const { privateKey, publicKey } = await sealingSuite.kem.generateKeyPair();
  return {
    privateKey: new Uint8Array(await sealingSuite.kem.serializePrivateKey(privateKey)).slice(),
    publicKey: new Uint8Array(await sealingSuite.kem.serializePublicKey(publicKey)).slice(),
  };
}
