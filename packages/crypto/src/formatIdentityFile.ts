import { formatRecipient, parseIdentity } from './ageKeys.js';
import { x25519PublicKey } from './x25519.js';

/** Parameters of {@link formatIdentityFile}. */
export type FormatIdentityFileParameters = {
  /** `AGE-SECRET-KEY-1…`. */
  identity: string;
  /** The `# created:` time; default now. */
  createdAt?: Date;
};

/** What {@link formatIdentityFile} returns: the file text, as `age-keygen` writes it. */
export type FormatIdentityFileReturnType = string;

/**
 * Writes an identity file in `age-keygen`'s layout, usable as `age -d -i file`:
 * `# created: <RFC 3339>`, `# public key: age1…`, then the identity line.
 * @param parameters - the identity and optionally its creation time.
 * @returns the file text (write it with mode 0600).
 * @example await writeFile('key.txt', formatIdentityFile({ identity }), { mode: 0o600 })
 */
export function formatIdentityFile({
  identity,
  createdAt = new Date(),
}: FormatIdentityFileParameters): FormatIdentityFileReturnType {
  const recipient = formatRecipient(x25519PublicKey(parseIdentity(identity)));
  const created = createdAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `# created: ${created}\n# public key: ${recipient}\n${identity.trim()}\n`;
}
