import { type Hex, hexToBytes, isHex } from 'viem';
import { CryptoInputInvalidError } from './errors.js';

/** Bytes as a Uint8Array or 0x-prefixed hex. */
export type BytesLike = Uint8Array | Hex;

/** Internal: `value` as bytes of exactly `length`, or CryptoInputInvalidError naming `what`. Never echoes the value. */
export function toFixedBytes(value: BytesLike, length: number, what: string): Uint8Array {
  let bytes: Uint8Array | undefined;
  if (value instanceof Uint8Array) bytes = value;
  else if (typeof value === 'string' && isHex(value, { strict: true })) bytes = hexToBytes(value);
  if (!bytes || bytes.length !== length) {
    throw new CryptoInputInvalidError({ details: `${what} must be ${length} bytes (Uint8Array or 0x-hex)` });
  }
  return bytes;
}
