import { ProtectedDataInvalidError } from './errors.js';
import { encodeLeaf, type ProtectedValueType } from './protectedDataLeaf.js';
import { writeZip, type ZipEntry } from './zip.js';

/** A leaf value of protected data. */
export type ProtectedDataLeaf = boolean | number | bigint | string | Uint8Array | ArrayBuffer;

/** A JSON-like object to protect: keys `^[a-zA-Z0-9\-_]+$`, leaves or non-empty nested objects. */
export type ProtectedData = { [key: string]: ProtectedDataLeaf | ProtectedData };

/** The schema stored on chain: the same shape as the data, with a type name at each leaf. */
export type ProtectedDataSchema = { [key: string]: ProtectedValueType | ProtectedDataSchema };

/** What {@link serializeProtectedData} returns. */
export type SerializeProtectedDataReturnType = { zip: Uint8Array; schema: ProtectedDataSchema };

/** Errors {@link serializeProtectedData} throws. */
export type SerializeProtectedDataErrorType = ProtectedDataInvalidError;

export const PROTECTED_KEY_PATTERN = /^[a-zA-Z0-9\-_]+$/;

/** True for `{}`-style objects (not arrays, dates, buffers, class instances). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Sorts strings by UTF-16 code units (byte order for the ASCII keys allowed here). */
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Serializes an object the way DataProtector does (§3.3 of the iExec reference): one zip entry per
 * leaf at its key path as folders (`a/b/c`), each Borsh-encoded — bool 1 byte, f64 8 bytes LE,
 * i128 16 bytes LE, string u32-LE length ‖ UTF-8, binaries raw with a sniffed MIME type — plus the
 * schema of types. Deterministic: entries sorted, fixed timestamps, no compression.
 * @param data - the object to protect.
 * @returns the zip bytes (to encrypt with {@link encryptDatasetBytes}) and the schema (for the chain).
 * @example
 * const { zip, schema } = serializeProtectedData({ email: 'a@b.c', age: 42, vip: true });
 * // schema: { age: 'f64', email: 'string', vip: 'bool' }
 */
export function serializeProtectedData(data: ProtectedData): SerializeProtectedDataReturnType {
  if (!isPlainObject(data)) {
    throw new ProtectedDataInvalidError({ path: '', details: 'the root must be a plain, non-empty object' });
  }
  const entries: ZipEntry[] = [];
  const schema = walk(data, [], new Set(), entries);
  entries.sort((a, b) => byCodeUnit(a.name, b.name));
  return { zip: writeZip(entries), schema };
}

function walk(node: Record<string, unknown>, keys: string[], ancestors: Set<object>, entries: ZipEntry[]) {
  const path = keys.join('.');
  if (ancestors.has(node)) throw new ProtectedDataInvalidError({ path, details: 'circular reference' });
  const names = Object.keys(node).sort(byCodeUnit);
  if (names.length === 0) {
    throw new ProtectedDataInvalidError({ path, details: 'empty object; remove it or give it at least one key' });
  }
  ancestors.add(node);
  const schema: ProtectedDataSchema = {};
  for (const name of names) {
    const childKeys = [...keys, name];
    const childPath = childKeys.join('.');
    if (!PROTECTED_KEY_PATTERN.test(name)) {
      throw new ProtectedDataInvalidError({
        path: childPath,
        details: `key "${name}" has characters outside a-z A-Z 0-9 - _ (or is empty)`,
      });
    }
    const value = node[name];
    if (isPlainObject(value)) {
      schema[name] = walk(value, childKeys, ancestors, entries);
    } else {
      const { data, type } = encodeLeaf(value, childPath);
      entries.push({ name: childKeys.join('/'), data });
      schema[name] = type;
    }
  }
  ancestors.delete(node);
  return schema;
}
