import { type Unzipped, unzipSync, type Zippable, zipSync } from 'fflate';
import { ProtectedDataInvalidError } from './errors.js';

// Internal: the zip of protected data, written and read by fflate.
// Writer: every entry STORED (level 0, no compression, which would depend on the deflate
// implementation), timestamp 1980-01-01 00:00, no extra fields, no comments, no folder entries — so
// equal input gives equal bytes on every machine. Reader: STORE and DEFLATE entries (zips from
// JSZip, as DataProtector writes them, `zip`, Python…), folder entries skipped, names checked.

/** One file of a zip. */
export type ZipEntry = { name: string; data: Uint8Array };

const MAX_ENTRIES = 0xffff;
const MAX_U32 = 0xffffffff;

const invalid = (details: string, cause?: unknown) => new ProtectedDataInvalidError({ path: '', details, cause });

/**
 * Writes entries as a deterministic STORE zip. fflate takes an object, so the entries come in the
 * object's property order: names that are array indices (`0`, `1`, `10`…) first, in numeric order,
 * then the others in the order given (callers sort them).
 */
export function writeZip(entries: readonly ZipEntry[]): Uint8Array {
  if (entries.length > MAX_ENTRIES) throw invalid(`${entries.length} entries, a zip without zip64 holds at most 65535`);
  // fflate writes the DOS date and time from the local fields of `mtime`, so local midnight of
  // 1980-01-01 gives DOS date 0x0021, time 0 in every time zone (made per call: TZ may change).
  const stored = { level: 0, mtime: new Date(1980, 0, 1, 0, 0, 0) } as const;
  const files: Zippable = Object.create(null);
  let size = 22; // end of central directory
  for (const { name, data } of entries) {
    // fflate copies the entries into ordinary objects, where `__proto__` cannot be a key.
    if (name === '__proto__') throw invalid('an entry named "__proto__" is not supported');
    if (name in files) throw invalid(`entry "${name}" appears twice`);
    files[name] = [data, stored];
    size += 30 + 46 + 2 * Buffer.byteLength(name, 'utf8') + data.length; // local + central headers
  }
  if (size > MAX_U32) throw invalid('the zip would exceed 4 GiB; store large files as a plain dataset instead');
  return zipSync(files);
}

/** Reads the files of a zip (folders skipped) into a map keyed by their `a/b/c` names, in zip order. */
export function readZip(bytes: Uint8Array): Map<string, Uint8Array> {
  const sizes = new Map<string, number>();
  let unzipped: Unzipped;
  try {
    unzipped = unzipSync(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      filter: ({ name, size, originalSize, compression }) => {
        if (name.endsWith('/')) return false;
        if (name.startsWith('/') || name.includes('\\') || name.split('/').some((p) => p === '' || p === '..')) {
          throw invalid(`entry name "${name}" is not a relative a/b/c path`);
        }
        if (sizes.has(name)) throw invalid(`entry "${name}" appears twice`);
        if (name === '__proto__') throw invalid('an entry named "__proto__" is not supported');
        if (compression === 0 && size !== originalSize) throw invalid(`stored entry "${name}" has two sizes`);
        if (compression !== 0 && compression !== 8) {
          throw invalid(`entry "${name}" uses compression method ${compression}; only STORE and DEFLATE are supported`);
        }
        sizes.set(name, originalSize);
        return true;
      },
    });
  } catch (cause) {
    if (cause instanceof ProtectedDataInvalidError) throw cause;
    throw invalid('not a readable zip (or an entry does not inflate)', cause);
  }
  const files = new Map<string, Uint8Array>();
  for (const [name, size] of sizes) {
    const data = Object.hasOwn(unzipped, name) ? unzipped[name] : undefined;
    if (!(data instanceof Uint8Array) || data.length !== size) {
      throw invalid(`entry "${name}" is truncated or does not inflate to its size`);
    }
    files.set(name, data);
  }
  return files;
}
