import { BundleInvalidError } from '../errors.js';
import { assertBundlePath, BUNDLE_LIMITS } from './bundleFormat.js';

/** The `confide.json` manifest at the root of an app bundle. */
export type BundleManifest = {
  /** Lower-case name: letters, digits, `.`, `_`, `-`; at most 64 characters. */
  name: string;
  /** Free-form version label (e.g. `1.0.0`), 1 to 64 printable ASCII characters. */
  version: string;
  /** How the entrypoint is run. Only `node` (the worker's Node.js, ESM or CommonJS) for now. */
  runtime: 'node';
  /** Relative path of the file to run, e.g. `main.js`; it must be a file of the bundle. */
  entrypoint: string;
};

/** Errors {@link parseBundleManifest} can throw. */
export type ParseBundleManifestErrorType = BundleInvalidError;

const KEYS = ['name', 'version', 'runtime', 'entrypoint'] as const;

/**
 * Parses and validates the text of a `confide.json` manifest. Unknown keys are refused, so a
 * manifest never carries something this runtime would silently ignore.
 * @param text the manifest's bytes or text
 * @returns the validated manifest
 * @throws BundleInvalidError `MANIFEST_INVALID` when it is not JSON or a field is wrong
 * @example
 * parseBundleManifest('{"name":"hello","version":"1.0.0","runtime":"node","entrypoint":"main.js"}')
 * // → { name: 'hello', version: '1.0.0', runtime: 'node', entrypoint: 'main.js' }
 */
export function parseBundleManifest(text: string | Uint8Array): BundleManifest {
  const invalid = (details: string, cause?: unknown) => new BundleInvalidError('MANIFEST_INVALID', { details, cause });
  let value: unknown;
  try {
    value = JSON.parse(typeof text === 'string' ? text : new TextDecoder('utf-8', { fatal: true }).decode(text));
  } catch (cause) {
    throw invalid('confide.json is not valid UTF-8 JSON', cause);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('confide.json must be a JSON object');
  }
  const record = value as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !(KEYS as readonly string[]).includes(key));
  if (unknown.length > 0) throw invalid(`unknown key(s) ${unknown.join(', ')}; allowed: ${KEYS.join(', ')}`);
  const { name, version, runtime, entrypoint } = record;
  if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9._-]{0,63}$/.test(name)) {
    throw invalid('"name" must be 1-64 characters of a-z 0-9 . _ - starting with a letter or digit');
  }
  if (typeof version !== 'string' || !/^[\x21-\x7e]{1,64}$/.test(version)) {
    throw invalid('"version" must be 1-64 printable ASCII characters without spaces');
  }
  if (runtime !== 'node') throw invalid(`"runtime" must be "node", got ${JSON.stringify(runtime)}`);
  if (typeof entrypoint !== 'string') throw invalid('"entrypoint" must be a relative path string');
  try {
    assertBundlePath(entrypoint, BUNDLE_LIMITS.maxPathBytes);
  } catch (cause) {
    throw invalid(`"entrypoint" ${JSON.stringify(entrypoint)} is not a canonical relative path`, cause);
  }
  if (!/\.(c|m)?js$/.test(entrypoint)) throw invalid('"entrypoint" must end with .js, .mjs or .cjs');
  return { name, version, runtime, entrypoint };
}
