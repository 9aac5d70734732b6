import { formatIdentity, formatRecipient } from './ageKeys.js';
import { generateX25519KeyPair } from './x25519.js';

/** What {@link generateResultKeyPair} returns: an age X25519 identity and its recipient. */
export type GenerateResultKeyPairReturnType = {
  /** Secret: `AGE-SECRET-KEY-1…`. Keep it with the beneficiary; never send it anywhere. */
  identity: string;
  /** Public: `age1…`. Put it in the signed request params so the enclave encrypts results to it. */
  recipient: string;
};

/**
 * Creates a result-encryption key pair in age's X25519 format, the same as `age-keygen`.
 * @returns the identity (secret) and the recipient (public).
 * @example
 * const { identity, recipient } = generateResultKeyPair();
 * await writeFile('result-key.txt', formatIdentityFile({ identity }), { mode: 0o600 });
 */
export function generateResultKeyPair(): GenerateResultKeyPairReturnType {
  const { privateKey, publicKey } = generateX25519KeyPair();
  return { identity: formatIdentity(privateKey), recipient: formatRecipient(publicKey) };
}
