import { ageArmor, ageEncrypt } from './ageFormat.js';
import { parseRecipient } from './ageKeys.js';
import { latin1Bytes } from './bytes.js';

/** Options of {@link encryptResult}. */
export type EncryptResultOptions = {
  /** Return ASCII-armored text (`-----BEGIN AGE ENCRYPTED FILE-----`) as UTF-8 bytes; default binary. */
  armor?: boolean;
};

/** What {@link encryptResult} returns: an age v1 file. */
export type EncryptResultReturnType = Uint8Array;

/** Errors {@link encryptResult} throws. */
export type EncryptResultErrorType = import('./errors.js').ResultKeyInvalidError;

/**
 * Encrypts a result (typically the zip of `/iexec_out`) to the beneficiary in the standard age
 * format: anyone can decrypt it with `age -d -i key.txt`, no Confide software needed.
 * @param plaintext - the result bytes.
 * @param recipient - the beneficiary's `age1…` recipient (or several), from signed request params.
 * @returns the age file bytes.
 * @example const encrypted = encryptResult(await readFile('iexec_out.zip'), 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p')
 */
export function encryptResult(
  plaintext: Uint8Array,
  recipient: string | readonly string[],
  options: EncryptResultOptions = {},
): EncryptResultReturnType {
  const recipients = (typeof recipient === 'string' ? [recipient] : recipient).map(parseRecipient);
  if (recipients.length === 0) throw new RangeError('encryptResult needs at least one recipient');
  const file = ageEncrypt(plaintext, recipients);
  return options.armor ? latin1Bytes(ageArmor(file)) : file;
}
