import { ProtectedDataInvalidError } from './errors.js';
import { encodeLeaf, type ProtectedValueType, sniffMimeType } from './protectedDataLeaf.js';
import { writeZip, type ZipEntry } from './zip.js';
import { planZipStream, type ZipStreamEntry, type ZipStreamPlan } from './zipStream.js';

/** A leaf value of protected data. */
export type ProtectedDataLeaf = boolean | number | bigint | string | Uint8Array | ArrayBuffer;

/** A JSON-like object to protect: keys `^[a-zA-Z0-9\-_]+$`, leaves or non-empty nested objects. */
export type ProtectedData = { [key: string]: ProtectedDataLeaf | ProtectedData };

/** The schema stored on chain: the same shape as the data, with a type name at each leaf. */
export type ProtectedDataSchema = { [key: string]: ProtectedValueType | ProtectedDataSchema };

/**
 * Protected data that may hold large binaries as `Blob`s (a browser `File`, or Node's
 * `fs.openAsBlob(path)`), streamed from their source instead of held in memory.
 */
export type ProtectedDataStreamInput = { [key: string]: ProtectedDataLeaf | Blob | ProtectedDataStreamInput };

/** What {@link serializeProtectedDataStream} returns: the schema, and the zip as a stream plan. */
export type SerializeProtectedDataStreamReturnType = { schema: ProtectedDataSchema; zip: ZipStreamPlan };

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
  const schema = walk(data, [], new Set(), entries, null);
  entries.sort((a, b) => byCodeUnit(a.name, b.name));
  return { zip: writeZip(entries), schema };
}

/**
 * {@link serializeProtectedData} for data of any size: `Blob` leaves are binaries typed by their
 * first bytes, as `Uint8Array` leaves are, and are read from their source when the zip is
 * streamed (twice: once for the CRC-32 here, once in `zip.stream()`), so memory stays bounded.
 * The zip's bytes equal those {@link serializeProtectedData} writes for the same contents.
 * @param data - the object to protect; leaves as for {@link serializeProtectedData}, or Blobs.
 * @returns the schema, and `zip` with its exact `size` and a `stream()` of its bytes.
 * @example
 * const { zip, schema } = await serializeProtectedDataStream({ csv: await openAsBlob('readings.csv') });
 * await storage.put(zip.stream().pipe(encryptDataset({ key })));
 */
export async function serializeProtectedDataStream(
  data: ProtectedDataStreamInput,
): Promise<SerializeProtectedDataStreamReturnType> {
  if (!isPlainObject(data)) {
    throw new ProtectedDataInvalidError({ path: '', details: 'the root must be a plain, non-empty object' });
  }
  const entries: ZipStreamEntry[] = [];
  const blobs: BlobLeaf[] = [];
  const schema = walk(data, [], new Set(), entries, blobs);
  for (const { schema: parent, key, blob } of blobs) {
    parent[key] = sniffMimeType(new Uint8Array(await blob.slice(0, SNIFF_BYTES).arrayBuffer()));
  }
  entries.sort((a, b) => byCodeUnit(a.name, b.name));
  return { schema, zip: await planZipStream(entries) };
}

/** Bytes read from the start of a Blob to recognize its MIME type (the signatures are shorter). */
const SNIFF_BYTES = 64;

/** A Blob leaf whose schema type is filled in once its first bytes are read. */
type BlobLeaf = { schema: ProtectedDataSchema; key: string; blob: Blob };

function walk(
  node: Record<string, unknown>,
  keys: string[],
  ancestors: Set<object>,
  entries: ZipStreamEntry[],
  blobs: BlobLeaf[] | null,
) {
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
      schema[name] = walk(value, childKeys, ancestors, entries, blobs);
    } else if (blobs && value instanceof Blob) {
      entries.push({ name: childKeys.join('/'), data: value });
      schema[name] = 'application/octet-stream';
      blobs.push({ schema, key: name, blob: value });
    } else {
      const { data, type } = encodeLeaf(value, childPath);
      entries.push({ name: childKeys.join('/'), data });
      schema[name] = type;
    }
  }
  ancestors.delete(node);
  return schema;
}
