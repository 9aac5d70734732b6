import { formatRecipient, parseIdentity } from './ageKeys.js';
import { ResultKeyInvalidError } from './errors.js';
import { x25519PublicKey } from './x25519.js';

/** What {@link parseIdentityFile} returns. */
export type ParseIdentityFileReturnType = {
  /** Every `AGE-SECRET-KEY-1…` line, in order. */
  identities: string[];
  /** The recipient of each identity, in the same order. */
  recipients: string[];
};

/**
 * Reads an age identity file (from `age-keygen` or {@link formatIdentityFile}): `#` comments and
 * blank lines are skipped, every other line must be an X25519 identity. A `# public key:` comment
 * that does not match the identity is refused, as it means the file was edited by hand.
 * @param text - the file content.
 * @returns the identities and their recipients.
 * @example const { identities } = parseIdentityFile(await readFile('key.txt', 'utf8'))
 */
export function parseIdentityFile(text: string): ParseIdentityFileReturnType {
  const identities: string[] = [];
  const declared: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    if (line.startsWith('#')) {
      const match = /^#\s*public key:\s*(\S+)$/.exec(line);
      if (match) declared.push(match[1] as string);
      return;
    }
    if (!line.startsWith('AGE-SECRET-KEY-1')) {
      throw new ResultKeyInvalidError({ details: `line ${i + 1} is neither a comment nor an age X25519 identity` });
    }
    identities.push(line);
  });
  if (identities.length === 0) throw new ResultKeyInvalidError({ details: 'the file holds no AGE-SECRET-KEY-1 line' });
  const recipients = identities.map((identity) => formatRecipient(x25519PublicKey(parseIdentity(identity))));
  const stray = declared.find((recipient) => !recipients.includes(recipient));
  if (stray) {
    throw new ResultKeyInvalidError({ details: `"# public key: ${stray}" matches none of the identities in the file` });
  }
  return { identities, recipients };
}
