import { bech32Decode, bech32Encode } from './bech32.js';
import { ResultKeyInvalidError } from './errors.js';

// Internal: age's X25519 key encodings — recipient `age1…` (bech32, hrp "age", lowercase) and
// identity `AGE-SECRET-KEY-1…` (bech32, hrp "age-secret-key-", uppercase), 32 bytes each.

const RECIPIENT_HRP = 'age';
const IDENTITY_HRP = 'age-secret-key-';

export function formatRecipient(publicKey: Uint8Array): string {
  return bech32Encode(RECIPIENT_HRP, publicKey);
}

export function formatIdentity(privateKey: Uint8Array): string {
  return bech32Encode(IDENTITY_HRP, privateKey).toUpperCase();
}

/** The 32-byte X25519 public key of an `age1…` recipient. */
export function parseRecipient(recipient: string): Uint8Array {
  const decoded = typeof recipient === 'string' ? bech32Decode(recipient.trim()) : undefined;
  if (
    !decoded ||
    decoded.hrp !== RECIPIENT_HRP ||
    decoded.bytes.length !== 32 ||
    recipient.trim() !== recipient.trim().toLowerCase()
  ) {
    throw new ResultKeyInvalidError({
      details: 'the recipient is not a valid age X25519 recipient ("age1" followed by 58 bech32 characters)',
    });
  }
  return decoded.bytes;
}

/** The 32-byte X25519 private key of an `AGE-SECRET-KEY-1…` identity. Never echoes the input. */
export function parseIdentity(identity: string): Uint8Array {
  const text = typeof identity === 'string' ? identity.trim() : '';
  const decoded = bech32Decode(text);
  if (!decoded || decoded.hrp !== IDENTITY_HRP || decoded.bytes.length !== 32 || text !== text.toUpperCase()) {
    throw new ResultKeyInvalidError({
      details: 'the identity is not a valid age X25519 identity ("AGE-SECRET-KEY-1" followed by 58 bech32 characters)',
    });
  }
  return decoded.bytes;
}
