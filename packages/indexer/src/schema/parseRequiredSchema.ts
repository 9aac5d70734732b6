import { IndexerInputError } from '../errors.js';
import { isObject, SCHEMA_KEY_PATTERN } from './flattenSchema.js';

/** One required key path and the types it may have (any one of them matches). */
type RequiredPath = { path: string; types: string[] };

/** A type name: `bool`, `f64`, `i128`, `string`, or a MIME type such as `image/png`. */
const TYPE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9.+/-]{0,127}$/;
const MAX_PATHS = 100;
const MAX_ALTERNATIVES = 32;

/**
 * Validates a `requiredSchema` (as DataProtector's `getProtectedData({ requiredSchema })`) and
 * flattens it to the key paths a protected data must have. A value is a type, a non-empty list
 * of accepted types, or a nested object of further keys; `{}` requires nothing.
 * @param value - the `requiredSchema` argument, already parsed from JSON
 * @returns the required paths, sorted, each with its accepted types
 * @throws {IndexerInputError} naming the first malformed key
 * @example parseRequiredSchema({ email: 'string', picture: ['image/png', 'image/jpeg'], meta: { station: 'string' } })
 * // [{ path: 'email', types: ['string'] }, { path: 'meta.station', types: ['string'] },
 * //  { path: 'picture', types: ['image/png', 'image/jpeg'] }]
 */
export function parseRequiredSchema(value: unknown): RequiredPath[] {
  if (!isObject(value)) throw new IndexerInputError('requiredSchema: must be an object of keys to types');
  const out: RequiredPath[] = [];
  walk(value, '', out);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function walk(node: Record<string, unknown>, prefix: string, out: RequiredPath[]): void {
  for (const [key, value] of Object.entries(node)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const at = `requiredSchema.${path}`;
    if (!SCHEMA_KEY_PATTERN.test(key)) throw new IndexerInputError(`${at}: keys use only a-z A-Z 0-9 - _`);
    if (isObject(value)) {
      if (Object.keys(value).length === 0) {
        throw new IndexerInputError(`${at}: an empty object requires nothing; list the keys it must contain`);
      }
      walk(value, path, out);
      continue;
    }
    const types = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(types) || types.length === 0 || types.length > MAX_ALTERNATIVES) {
      throw new IndexerInputError(
        `${at}: must be a type ("string"), a list of 1 to ${MAX_ALTERNATIVES} accepted types, or an object of keys`,
      );
    }
    for (const type of types) {
      if (typeof type !== 'string' || !TYPE_PATTERN.test(type)) {
        throw new IndexerInputError(
          `${at}: ${JSON.stringify(type)} is not a type name such as "string" or "image/png"`,
        );
      }
    }
    if (out.length >= MAX_PATHS) throw new IndexerInputError(`requiredSchema: more than ${MAX_PATHS} key paths`);
    out.push({ path, types: [...new Set(types as string[])] });
  }
}
