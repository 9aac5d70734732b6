/**
 * The canonical app bundle encoding ("CFBNDL", version 1), shared by `packBundle` and `readBundle`.
 *
 * All integers are big-endian. Layout:
 *
 * | bytes | field |
 * |---|---|
 * | 6 | magic `CFBNDL` (ASCII) |
 * | 1 | format version, `0x01` |
 * | 1 | reserved, `0x00` |
 * | 4 | entry count N (1 ≤ N ≤ {@link BUNDLE_LIMITS}.maxFiles) |
 * | N × entry | entries, strictly ascending by the bytes of their path |
 *
 * Entry: `u16` path length L, L bytes of path (UTF-8, `/`-separated, relative, no `.`/`..`/empty
 * segment, no backslash or control character), `u8` flags (bit 0 = executable, other bits 0),
 * `u32` content length S, S bytes of content. Nothing follows the last entry.
 *
 * Only regular files are stored: no directories (they are implied by paths, so empty ones
 * vanish), no links, no owners, no times, and a single executable bit. So the same tree always
 * gives the same bytes, and one byte sequence decodes to one tree: the SHA-256 of the bytes is
 * the app's fingerprint.
 */

import { BundleInvalidError } from '../errors.js';

/** The first bytes of every bundle. */
export const BUNDLE_MAGIC = 'CFBNDL';
/** The format version this code writes and reads. */
export const BUNDLE_FORMAT_VERSION = 1;
/** Name of the manifest at the bundle's root. */
export const BUNDLE_MANIFEST_PATH = 'confide.json';

/** Default limits, applied when packing and reading. */
export const BUNDLE_LIMITS = {
  /** At most this many files. */
  maxFiles: 10_000,
  /** At most this many bytes of file content in total. */
  maxTotalBytes: 256 * 1024 * 1024,
  /** At most this many UTF-8 bytes in one path. */
  maxPathBytes: 1024,
} as const;

/** Limits a caller may tighten or loosen. */
export type BundleLimits = { maxFiles: number; maxTotalBytes: number; maxPathBytes: number };

/** One file of a bundle. */
export type BundleEntry = {
  /** Relative POSIX path, e.g. `src/main.js`. */
  path: string;
  /** Whether the file is executable (stored as one bit). */
  executable: boolean;
  content: Uint8Array;
};

const HEADER_LENGTH = 12;
const encoder = new TextEncoder();

/**
 * Throws `BundleInvalidError('PATH_INVALID')` unless `path` is a canonical relative bundle path.
 * @example assertBundlePath('src/main.js', BUNDLE_LIMITS.maxPathBytes)
 */
export function assertBundlePath(path: string, maxPathBytes: number): void {
  const fail = (why: string) =>
    new BundleInvalidError('PATH_INVALID', { details: `path ${JSON.stringify(path)} ${why}` });
  if (path.length === 0) throw fail('is empty');
  if (encoder.encode(path).length > maxPathBytes) throw fail(`is longer than ${maxPathBytes} bytes`);
  if (path.startsWith('/')) throw fail('is absolute');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f\\]/.test(path)) throw fail('contains a backslash or a control character');
  for (const segment of path.split('/')) {
    if (segment === '') throw fail('has an empty segment');
    if (segment === '.' || segment === '..') throw fail(`has a "${segment}" segment`);
  }
}

/**
 * Compares two paths by their UTF-8 bytes: the canonical entry order.
 * @example ['b', 'B', 'a/b'].sort(compareBundlePaths) // ['B', 'a/b', 'b']
 */
export function compareBundlePaths(a: string, b: string): number {
  return Buffer.compare(encoder.encode(a), encoder.encode(b));
}

/**
 * Throws `PATH_CONFLICT` if two entries share a path or a file's path is a directory of another.
 * @example assertNoPathConflict(['a.js', 'lib/b.js'])
 */
export function assertNoPathConflict(paths: readonly string[]): void {
  const files = new Set<string>();
  const directories = new Set<string>();
  for (const path of paths) {
    if (files.has(path)) throw new BundleInvalidError('PATH_CONFLICT', { details: `duplicate path ${path}` });
    files.add(path);
    const segments = path.split('/');
    for (let i = 1; i < segments.length; i++) directories.add(segments.slice(0, i).join('/'));
  }
  for (const path of files) {
    if (directories.has(path)) {
      throw new BundleInvalidError('PATH_CONFLICT', { details: `${path} is both a file and a directory` });
    }
  }
}

/**
 * Encodes entries, which must already be validated and sorted, into the canonical bytes
 * (`packBundle` does both; this function checks nothing, so tests can build invalid bundles).
 * @example encodeBundle([{ path: 'confide.json', executable: false, content }, …])
 */
export function encodeBundle(entries: readonly BundleEntry[]): Uint8Array {
  const paths = entries.map((entry) => encoder.encode(entry.path));
  const size = entries.reduce((sum, entry, i) => sum + 7 + (paths[i]?.length ?? 0) + entry.content.length, 12);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(encoder.encode(BUNDLE_MAGIC), 0);
  out[6] = BUNDLE_FORMAT_VERSION;
  out[7] = 0;
  view.setUint32(8, entries.length);
  let offset = HEADER_LENGTH;
  entries.forEach((entry, i) => {
    const path = paths[i] ?? new Uint8Array();
    view.setUint16(offset, path.length);
    out.set(path, offset + 2);
    offset += 2 + path.length;
    out[offset] = entry.executable ? 1 : 0;
    view.setUint32(offset + 1, entry.content.length);
    out.set(entry.content, offset + 5);
    offset += 5 + entry.content.length;
  });
  return out;
}

/**
 * Decodes canonical bundle bytes into entries, checking every rule of the format (but not the
 * manifest). The entries' contents are views into `bytes`.
 * @example const entries = decodeBundle(bytes, BUNDLE_LIMITS)
 */
export function decodeBundle(bytes: Uint8Array, limits: BundleLimits): BundleEntry[] {
  const malformed = (details: string) => new BundleInvalidError('MALFORMED', { details });
  if (bytes.length < HEADER_LENGTH) throw malformed(`${bytes.length} bytes is shorter than the header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (new TextDecoder().decode(bytes.subarray(0, 6)) !== BUNDLE_MAGIC) throw malformed('magic is not CFBNDL');
  if (bytes[6] !== BUNDLE_FORMAT_VERSION) throw malformed(`format version ${bytes[6]} is not supported`);
  if (bytes[7] !== 0) throw new BundleInvalidError('NOT_CANONICAL', { details: 'reserved header byte is not 0' });
  const count = view.getUint32(8);
  if (count === 0) throw malformed('the bundle has no entries');
  if (count > limits.maxFiles) {
    throw new BundleInvalidError('TOO_LARGE', { details: `${count} files, the limit is ${limits.maxFiles}` });
  }
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const entries: BundleEntry[] = [];
  let offset = HEADER_LENGTH;
  let total = 0;
  let previous: Uint8Array | undefined;
  for (let i = 0; i < count; i++) {
    if (offset + 2 > bytes.length) throw malformed(`truncated in entry ${i}`);
    const pathLength = view.getUint16(offset);
    const pathBytes = bytes.subarray(offset + 2, offset + 2 + pathLength);
    if (offset + 2 + pathLength + 5 > bytes.length) throw malformed(`truncated in entry ${i}`);
    let path: string;
    try {
      path = decoder.decode(pathBytes);
    } catch (cause) {
      throw new BundleInvalidError('MALFORMED', { details: `path of entry ${i} is not UTF-8`, cause });
    }
    assertBundlePath(path, limits.maxPathBytes);
    if (previous && Buffer.compare(previous, pathBytes) >= 0) {
      const details = `entry ${i} (${path}) is not after the previous one in byte order`;
      throw new BundleInvalidError(Buffer.compare(previous, pathBytes) === 0 ? 'PATH_CONFLICT' : 'NOT_CANONICAL', {
        details,
      });
    }
    previous = pathBytes;
    offset += 2 + pathLength;
    const flags = bytes[offset] ?? 0;
    if (flags > 1) throw new BundleInvalidError('NOT_CANONICAL', { details: `entry ${path} has flags ${flags}` });
    const size = view.getUint32(offset + 1);
    offset += 5;
    if (offset + size > bytes.length) throw malformed(`content of ${path} is truncated`);
    total += size;
    if (total > limits.maxTotalBytes) {
      throw new BundleInvalidError('TOO_LARGE', { details: `more than ${limits.maxTotalBytes} bytes of content` });
    }
    entries.push({ path, executable: flags === 1, content: bytes.subarray(offset, offset + size) });
    offset += size;
  }
  if (offset !== bytes.length) throw malformed(`${bytes.length - offset} bytes after the last entry`);
  assertNoPathConflict(entries.map((entry) => entry.path));
  return entries;
}
