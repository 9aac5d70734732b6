import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BundleInvalidError } from '../errors.js';
import type { BundleLimits } from './bundleFormat.js';
import type { BundleManifest } from './parseBundleManifest.js';
import { readBundle } from './readBundle.js';

/** Options of {@link unpackBundle}. */
export type UnpackBundleParameters = {
  /** Limits to enforce; defaults to `BUNDLE_LIMITS`. */
  limits?: Partial<BundleLimits>;
};

/** Errors {@link unpackBundle} can throw (besides file system errors). */
export type UnpackBundleErrorType = BundleInvalidError;

/**
 * Validates bundle bytes completely (see `readBundle`), then writes the files under `dir`,
 * which is created if needed and must be empty. Nothing is written when the bytes are invalid.
 * Files get mode 0644 (0755 when executable) and directories 0755, so the sandbox user can read
 * them; `dir` itself is set to 0755.
 * @param bytes the bundle, as produced by `packBundle`
 * @param dir where to write it
 * @returns the bundle's manifest
 * @throws BundleInvalidError with the broken rule as `reason`, or `DESTINATION_NOT_EMPTY`
 * @example
 * const manifest = await unpackBundle(bytes, '/var/lib/confide/task-1/app');
 * manifest.entrypoint; // 'main.js'
 */
export async function unpackBundle(
  bytes: Uint8Array,
  dir: string,
  parameters: UnpackBundleParameters = {},
): Promise<BundleManifest> {
  const { manifest, entries } = readBundle(bytes, parameters);
  await mkdir(dir, { recursive: true });
  const existing = await readdir(dir);
  if (existing.length > 0) {
    throw new BundleInvalidError('DESTINATION_NOT_EMPTY', {
      details: `${dir} already holds ${existing.length} entries`,
    });
  }
  const directories = new Set<string>([dir]);
  for (const entry of entries) {
    const target = path.join(dir, ...entry.path.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    for (let parent = path.dirname(target); parent !== dir; parent = path.dirname(parent)) directories.add(parent);
    const mode = entry.executable ? 0o755 : 0o644;
    // 'wx' never follows or overwrites anything: every path is new in a directory we created.
    await writeFile(target, entry.content, { flag: 'wx', mode });
    await chmod(target, mode);
  }
  // Set explicitly: a restrictive umask must not hide the app from the sandbox user.
  for (const directory of directories) await chmod(directory, 0o755);
  return manifest;
}
