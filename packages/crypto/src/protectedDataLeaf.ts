import { ProtectedDataInvalidError } from './errors.js';

// Internal: Borsh encoding of protected-data leaves (as DataProtector) and MIME sniffing of binaries.

/** The scalar leaf types of a protected-data schema. Any other type name is a MIME type (raw bytes). */
export type ProtectedScalarType = 'bool' | 'f64' | 'i128' | 'string';

/** The MIME types a binary leaf may be labelled with (DataProtector's list), or the fallback. */
export const PROTECTED_MIME_TYPES = [
  'application/octet-stream',
  'application/pdf',
  'application/xml',
  'application/zip',
  'audio/midi',
  'audio/mpeg',
  'audio/x-wav',
  'image/bmp',
  'image/gif',
  'image/jpeg',
  'image/png',
  'image/webp',
  'video/mp4',
  'video/mpeg',
  'video/x-msvideo',
] as const;

/** A MIME type of {@link PROTECTED_MIME_TYPES}. */
export type ProtectedMimeType = (typeof PROTECTED_MIME_TYPES)[number];

/** A leaf type name as it appears in a schema. */
export type ProtectedValueType = ProtectedScalarType | ProtectedMimeType;

/** The JavaScript value a leaf of type `T` decodes to. */
export type ProtectedValueOf<T extends string> = T extends 'bool'
  ? boolean
  : T extends 'f64'
    ? number
    : T extends 'i128'
      ? bigint
      : T extends 'string'
        ? string
        : Uint8Array;

const SCALAR_TYPES: readonly string[] = ['bool', 'f64', 'i128', 'string'];
const I128_MIN = -(2n ** 127n);
const I128_MAX = 2n ** 127n - 1n;

/** True for a valid leaf type name: a scalar type or one of the allowed MIME types. */
export function isProtectedValueType(type: unknown): type is ProtectedValueType {
  return (
    typeof type === 'string' &&
    (SCALAR_TYPES.includes(type) || (PROTECTED_MIME_TYPES as readonly string[]).includes(type))
  );
}

const ascii = (bytes: Uint8Array, at: number, text: string) =>
  bytes.length >= at + text.length && [...text].every((char, i) => bytes[at + i] === char.charCodeAt(0));

const MP4_BRANDS = ['isom', 'iso2', 'iso4', 'iso5', 'iso6', 'mp41', 'mp42', 'avc1', 'M4V ', 'dash', 'mmp4'];

/** Sniffs the MIME type of a binary leaf from its magic bytes; `application/octet-stream` if unknown. */
export function sniffMimeType(bytes: Uint8Array): ProtectedMimeType {
  const b = (i: number) => bytes[i];
  if (ascii(bytes, 0, '%PDF-')) return 'application/pdf';
  if (ascii(bytes, 0, '<?xml')) return 'application/xml';
  if (
    ascii(bytes, 0, 'PK') &&
    ((b(2) === 3 && b(3) === 4) || (b(2) === 5 && b(3) === 6) || (b(2) === 7 && b(3) === 8))
  ) {
    return 'application/zip';
  }
  if (ascii(bytes, 0, 'MThd')) return 'audio/midi';
  if (ascii(bytes, 0, 'ID3') || (b(0) === 0xff && [0xfb, 0xf3, 0xf2].includes(b(1) ?? -1))) return 'audio/mpeg';
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WAVE')) return 'audio/x-wav';
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return 'image/webp';
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'AVI ')) return 'video/x-msvideo';
  if (ascii(bytes, 0, 'GIF87a') || ascii(bytes, 0, 'GIF89a')) return 'image/gif';
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return 'image/jpeg';
  if (b(0) === 0x89 && ascii(bytes, 1, 'PNG\r\n\x1a\n')) return 'image/png';
  if (ascii(bytes, 4, 'ftyp') && MP4_BRANDS.some((brand) => ascii(bytes, 8, brand))) return 'video/mp4';
  if (b(0) === 0 && b(1) === 0 && b(2) === 1 && (b(3) === 0xba || b(3) === 0xb3)) return 'video/mpeg';
  if (ascii(bytes, 0, 'BM') && bytes.length >= 26) return 'image/bmp';
  return 'application/octet-stream';
}

/** Borsh-encodes one leaf; returns its bytes and schema type. `path` is dotted, for errors. */
export function encodeLeaf(value: unknown, path: string): { data: Uint8Array; type: ProtectedValueType } {
  switch (typeof value) {
    case 'boolean':
      return { data: Uint8Array.of(value ? 1 : 0), type: 'bool' };
    case 'number': {
      if (!Number.isFinite(value)) {
        throw new ProtectedDataInvalidError({ path, details: `${value} is not finite; f64 leaves must be finite` });
      }
      const data = new Uint8Array(8);
      new DataView(data.buffer).setFloat64(0, value, true);
      return { data, type: 'f64' };
    }
    case 'bigint': {
      if (value < I128_MIN || value > I128_MAX) {
        throw new ProtectedDataInvalidError({ path, details: 'bigint is outside the i128 range [-2^127, 2^127 - 1]' });
      }
      const data = new Uint8Array(16);
      const view = new DataView(data.buffer);
      const unsigned = BigInt.asUintN(128, value);
      view.setBigUint64(0, unsigned & 0xffffffffffffffffn, true);
      view.setBigUint64(8, unsigned >> 64n, true);
      return { data, type: 'i128' };
    }
    case 'string': {
      const text = new TextEncoder().encode(value);
      const data = new Uint8Array(4 + text.length);
      new DataView(data.buffer).setUint32(0, text.length, true);
      data.set(text, 4);
      return { data, type: 'string' };
    }
    default: {
      const data =
        value instanceof Uint8Array ? value : value instanceof ArrayBuffer ? new Uint8Array(value) : undefined;
      if (!data) throw new ProtectedDataInvalidError({ path, details: `unsupported value (${describe(value)})` });
      return { data: new Uint8Array(data), type: sniffMimeType(data) };
    }
  }
}

/** Decodes one Borsh leaf of schema type `type`. */
export function decodeLeaf<T extends string>(data: Uint8Array, type: T, path: string): ProtectedValueOf<T> {
  const bytes = data;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const fail = (details: string) => new ProtectedDataInvalidError({ path, details });
  const sized = (length: number) => {
    if (bytes.length !== length) throw fail(`a ${type} leaf has ${length} bytes, this one has ${bytes.length}`);
  };
  let value: unknown;
  if (type === 'bool') {
    sized(1);
    if (bytes[0] !== 0 && bytes[0] !== 1) throw fail(`bool byte is ${bytes[0]}, expected 0 or 1`);
    value = bytes[0] === 1;
  } else if (type === 'f64') {
    sized(8);
    value = view.getFloat64(0, true);
    if (!Number.isFinite(value)) throw fail('f64 leaf holds NaN or an infinity');
  } else if (type === 'i128') {
    sized(16);
    value = BigInt.asIntN(128, (view.getBigUint64(8, true) << 64n) | view.getBigUint64(0, true));
  } else if (type === 'string') {
    if (bytes.length < 4) throw fail('string leaf is shorter than its 4-byte length');
    sized(4 + view.getUint32(0, true));
    try {
      value = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(4));
    } catch (cause) {
      throw new ProtectedDataInvalidError({ path, details: 'string leaf is not valid UTF-8', cause });
    }
  } else if (isProtectedValueType(type)) {
    value = new Uint8Array(bytes);
  } else {
    throw fail(`unknown type "${type}"; use bool, f64, i128, string or one of the allowed MIME types`);
  }
  return value as ProtectedValueOf<T>;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array; convert it to an object keyed by index';
  if (value instanceof Blob) return 'Blob; serialize it with serializeProtectedDataStream, which streams it';
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}
