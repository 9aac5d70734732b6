import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { BundleInvalidError } from '../errors.js';
import {
  assertBundlePath,
  assertNoPathConflict,
  BUNDLE_LIMITS,
  type BundleEntry,
  type BundleLimits,
  compareBundlePaths,
  encodeBundle,
} from './bundleFormat.js';
import { readBundle } from './readBundle.js';

/** Options of {@link packBundle}. */
export type PackBundleParameters = {
  /** Limits to enforce; defaults to `BUNDLE_LIMITS` (10,000 files, 256 MiB, 1,024-byte paths). */
  limits?: Partial<BundleLimits>;
};

/** Errors {@link packBundle} can throw (besides file system errors on unreadable files). */
export type PackBundleErrorType = BundleInvalidError;

/**
 * Packs an app directory into its canonical bundle bytes (the "CFBNDL" format described in
 * `bundleFormat.ts`): regular files sorted by path, no times, owners or modes beyond one
 * executable bit. The same tree always gives the same bytes, wherever and whenever it is packed.
 *
 * A symbolic link is stored as a copy of the file it points to when that file is inside the
 * directory; a link that leaves the directory, or points to a directory, is refused, as are
 * devices, sockets and FIFOs. Empty directories are dropped. The result is checked with
 * `readBundle`, so a bundle that packs is a bundle that unpacks (manifest and entrypoint included).
 * @param dir the app directory, with `confide.json` at its root
 * @returns the canonical bundle bytes
 * @throws BundleInvalidError (`MANIFEST_MISSING`, `SYMLINK_OUTSIDE`, `UNSUPPORTED_FILE_TYPE`, `TOO_LARGE`, …)
 * @example
 * const bytes = await packBundle('apps/hello');
 * const fingerprint = bundleFingerprint(bytes);
 */
export async function packBundle(dir: string, parameters: PackBundleParameters = {}): Promise<Uint8Array> {
  const limits = { ...BUNDLE_LIMITS, ...parameters.limits };
  const root = await realpath(dir);
  const entries: BundleEntry[] = [];
  let total = 0;

  const addFile = async (relative: string, file: string, mode: number) => {
    if (entries.length >= limits.maxFiles) {
      throw new BundleInvalidError('TOO_LARGE', { details: `more than ${limits.maxFiles} files` });
    }
    const content = await readFile(file);
    total += content.length;
    if (total > limits.maxTotalBytes) {
      throw new BundleInvalidError('TOO_LARGE', { details: `more than ${limits.maxTotalBytes} bytes of content` });
    }
    entries.push({ path: relative, executable: (mode & 0o111) !== 0, content: new Uint8Array(content) });
  };

  const walk = async (absolute: string, relative: string): Promise<void> => {
    const names = await readdir(absolute);
    for (const name of names) {
      const childRelative = relative ? `${relative}/${name}` : name;
      assertBundlePath(childRelative, limits.maxPathBytes);
      const child = path.join(absolute, name);
      const info = await lstat(child);
      if (info.isDirectory()) await walk(child, childRelative);
      else if (info.isFile()) await addFile(childRelative, child, info.mode);
      else if (info.isSymbolicLink()) {
        const target = await realpath(child).catch(() => undefined);
        const targetInfo = target === undefined ? undefined : await stat(target);
        if (target === undefined || !target.startsWith(`${root}/`) || !targetInfo?.isFile()) {
          throw new BundleInvalidError('SYMLINK_OUTSIDE', {
            details: `${childRelative} links to ${target ?? 'nothing'}, not to a file inside the bundle`,
          });
        }
        await addFile(childRelative, target, targetInfo.mode);
      } else {
        throw new BundleInvalidError('UNSUPPORTED_FILE_TYPE', {
          details: `${childRelative} is a device, socket or FIFO`,
        });
      }
    }
  };

  await walk(root, '');
  entries.sort((a, b) => compareBundlePaths(a.path, b.path));
  assertNoPathConflict(entries.map((entry) => entry.path));
  if (entries.length === 0) throw new BundleInvalidError('MANIFEST_MISSING', { details: `${dir} has no files` });
  const bytes = encodeBundle(entries);
  readBundle(bytes, { limits });
  return bytes;
}
