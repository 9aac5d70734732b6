import { ageDecrypt } from './ageFormat.js';
import { parseIdentity } from './ageKeys.js';

/** What {@link decryptResult} returns: the plaintext result. */
export type DecryptResultReturnType = Uint8Array;

/** Errors {@link decryptResult} throws. */
export type DecryptResultErrorType =
  | import('./errors.js').ResultKeyInvalidError
  | import('./errors.js').ResultDecryptError;

/**
 * Decrypts an age file (binary or armored) with the beneficiary's identity; accepts files made by
 * {@link encryptResult} or by `age -r age1…`. X25519 recipients only (no passphrase, no SSH keys).
 * @param encrypted - the age file bytes.
 * @param identity - `AGE-SECRET-KEY-1…`, or several (e.g. from {@link parseIdentityFile}).
 * @returns the authenticated plaintext; throws ResultDecryptError if it cannot be opened.
 * @example const zip = decryptResult(downloaded, parseIdentityFile(await readFile('key.txt', 'utf8')).identities)
 */
export function decryptResult(encrypted: Uint8Array, identity: string | readonly string[]): DecryptResultReturnType {
  const identities = (typeof identity === 'string' ? [identity] : identity).map(parseIdentity);
  return ageDecrypt(encrypted, identities);
}
