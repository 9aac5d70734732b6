import { domainSeparator, type Hex, stringToBytes, type TypedDataDomain } from 'viem';
import { encodeOrderType, type OrderKind, type OrderOf, orderTypes } from '../../../protocol/src/index.js';
import { keccak256 } from './keccak256.js';

/** Computes EIP-712 order hashes under one domain. */
export type OrderHasher = {
  /** The order's EIP-712 digest as 32 bytes. */
  digest: <K extends OrderKind>(kind: K, order: OrderOf[K]) => Uint8Array;
  /** The order's hash as hex (its identity on chain). */
  hash: <K extends OrderKind>(kind: K, order: OrderOf[K]) => Hex;
};

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const NIBBLE = new Map([...'0123456789abcdefABCDEF'].map((c) => [c.charCodeAt(0), Number.parseInt(c, 16)]));

/** Writes `hex` (0x-prefixed, validated upstream) right-aligned into the 32-byte word at `offset`. */
function writeHexWord(out: Uint8Array, offset: number, hex: string): void {
  const digits = hex.length - 2;
  const start = offset + 32 - digits / 2;
  for (let i = 0; i < digits; i += 2) {
    out[start + i / 2] = ((NIBBLE.get(hex.charCodeAt(2 + i)) ?? 0) << 4) | (NIBBLE.get(hex.charCodeAt(3 + i)) ?? 0);
  }
}

function writeUint(out: Uint8Array, offset: number, value: bigint): void {
  const hex = value.toString(16);
  writeHexWord(out, offset, hex.length % 2 === 0 ? `0x${hex}` : `0x0${hex}`);
}

/** Lowercase 0x-hex of bytes. */
export function bytesToHexFast(bytes: Uint8Array): Hex {
  let out = '0x';
  for (const byte of bytes) out += HEX[byte];
  return out as Hex;
}

/**
 * The same hash as `hashOrder` of `@confide/protocol` (a property test holds them equal), about
 * twenty times faster: the struct is encoded straight into one buffer instead of through the
 * generic typed-data encoder, and hashed by native keccak. The market hashes every order it ingests, so this matters.
 * @example const hasher = createOrderHasher(confideDomain(31337, hub)); hasher.hash('AppOrder', order)
 */
export function createOrderHasher(domain: TypedDataDomain): OrderHasher {
  const separator = word(domainSeparator({ domain }));
  const typeHashes = Object.fromEntries(
    Object.keys(orderTypes).map((kind) => [kind, keccak256(stringToBytes(encodeOrderType(kind as OrderKind)))]),
  ) as Record<OrderKind, Uint8Array>;

  const digest = <K extends OrderKind>(kind: K, order: OrderOf[K]): Uint8Array => {
    const fields = orderTypes[kind];
    const encoded = new Uint8Array(32 * (fields.length + 1));
    encoded.set(typeHashes[kind], 0);
    const values = order as Record<string, unknown>;
    fields.forEach((field, i) => {
      const offset = 32 * (i + 1);
      const value = values[field.name];
      if (field.type === 'uint256') writeUint(encoded, offset, value as bigint);
      else if (field.type === 'string') encoded.set(keccak256(stringToBytes(value as string)), offset);
      else writeHexWord(encoded, offset, value as string);
    });
    const message = new Uint8Array(66);
    message[0] = 0x19;
    message[1] = 0x01;
    message.set(separator, 2);
    message.set(keccak256(encoded), 34);
    return keccak256(message);
  };
  return { digest, hash: (kind, order) => bytesToHexFast(digest(kind, order)) };
}

/** A 32-byte hex value as bytes. */
function word(hex: Hex): Uint8Array {
  const out = new Uint8Array(32);
  writeHexWord(out, 0, hex);
  return out;
}
