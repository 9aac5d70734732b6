import { BundleInvalidError } from '../errors.js';
import {
  BUNDLE_LIMITS,
  BUNDLE_MANIFEST_PATH,
  type BundleEntry,
  type BundleLimits,
  decodeBundle,
} from './bundleFormat.js';
import { type BundleManifest, parseBundleManifest } from './parseBundleManifest.js';

/** Options of {@link readBundle}. */
export type ReadBundleParameters = {
  /** Limits to enforce; defaults to `BUNDLE_LIMITS`. */
  limits?: Partial<BundleLimits>;
};

/** What {@link readBundle} returns. */
export type ReadBundleReturnType = {
  manifest: BundleManifest;
  /** The files, in canonical order; contents are views into the input bytes. */
  entries: BundleEntry[];
};

/** Errors {@link readBundle} can throw. */
export type ReadBundleErrorType = BundleInvalidError;

/**
 * Decodes and validates canonical bundle bytes without touching the disk: format, paths,
 * order, limits, manifest, and that the entrypoint is one of the files.
 * @param bytes the bundle, as produced by `packBundle`
 * @returns the manifest and the files
 * @throws BundleInvalidError with the broken rule as `reason`
 * @example
 * const { manifest } = readBundle(await packBundle('apps/hello'));
 * manifest.entrypoint; // 'main.js'
 */
export function readBundle(bytes: Uint8Array, parameters: ReadBundleParameters = {}): ReadBundleReturnType {
  const entries = decodeBundle(bytes, { ...BUNDLE_LIMITS, ...parameters.limits });
  const manifestEntry = entries.find((entry) => entry.path === BUNDLE_MANIFEST_PATH);
  if (!manifestEntry) {
    throw new BundleInvalidError('MANIFEST_MISSING', { details: `no ${BUNDLE_MANIFEST_PATH} at the bundle root` });
  }
  const manifest = parseBundleManifest(manifestEntry.content);
  if (!entries.some((entry) => entry.path === manifest.entrypoint)) {
    throw new BundleInvalidError('ENTRYPOINT_MISSING', {
      details: `entrypoint ${manifest.entrypoint} is not a file of the bundle`,
    });
  }
  return { manifest, entries };
}
