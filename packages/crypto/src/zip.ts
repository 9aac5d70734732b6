import { type Unzipped, unzipSync } from 'fflate';
import { ProtectedDataInvalidError } from './errors.js';
import { writeStoredZip } from './zipStream.js';

// Internal: the zip of protected data, written by `zipStream.ts`, read by fflate.
// Writer: every entry STORED (level 0, no compression, which would depend on the deflate
// implementation), timestamp 1980-01-01 00:00, no extra fields, no comments, no folder entries — so
// equal input gives equal bytes on every machine. Reader: STORE and DEFLATE entries (zips from
// JSZip, as DataProtector writes them, `zip`, Python…), folder entries skipped, names checked.

/** One file of a zip. */
export type ZipEntry = { name: string; data: Uint8Array };

const invalid = (details: string, cause?: unknown) => new ProtectedDataInvalidError({ path: '', details, cause });

/**
 * Writes entries, in the order given, as a deterministic STORE zip (see `writeStoredZip`, the
 * one writer shared with the streaming form).
 */
export function writeZip(entries: readonly ZipEntry[]): Uint8Array {
  for (const { name } of entries) {
    // Readers copy entries into ordinary objects, where `__proto__` cannot be a key.
    if (name === '__proto__') throw invalid('an entry named "__proto__" is not supported');
  }
  return writeStoredZip(entries);
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
