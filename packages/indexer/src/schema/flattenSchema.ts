/** Keys a protected data may have (`serializeProtectedData`'s rule); a dot never occurs in one. */
export const SCHEMA_KEY_PATTERN = /^[a-zA-Z0-9\-_]+$/;

/** One leaf of a schema: its dotted key path and its type (`meta.station` → `string`). */
type SchemaPath = { path: string; type: string };

/** Deeper or larger schemas are not flattened (the chain accepts any string; this bounds the work). */
const MAX_DEPTH = 32;
const MAX_PATHS = 1000;

/**
 * Flattens a schema as emitted by `DataProtector.createDatasetWithSchema` into its leaves,
 * sorted by path. The contract accepts any text: anything that is not a JSON object of valid
 * keys and string (or nested object) values yields no paths, so it matches no `requiredSchema`.
 * @param json - the schema string from the `DatasetSchema` event
 * @returns the leaves, or `null` when the text is not a well-formed schema
 * @example flattenSchema('{"meta":{"station":"string"},"csv":"application/octet-stream"}')
 * // [{ path: 'csv', type: 'application/octet-stream' }, { path: 'meta.station', type: 'string' }]
 */
export function flattenSchema(json: string): SchemaPath[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return null;
  }
  const paths: SchemaPath[] = [];
  if (!isObject(parsed) || !walk(parsed, '', 0, paths)) return null;
  return paths.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function walk(node: Record<string, unknown>, prefix: string, depth: number, out: SchemaPath[]): boolean {
  const keys = Object.keys(node);
  if (keys.length === 0 || depth >= MAX_DEPTH) return false;
  for (const key of keys) {
    if (!SCHEMA_KEY_PATTERN.test(key)) return false;
    const path = prefix ? `${prefix}.${key}` : key;
    const value = node[key];
    if (typeof value === 'string' && value.length > 0) {
      if (out.length >= MAX_PATHS) return false;
      out.push({ path, type: value });
    } else if (!isObject(value) || !walk(value, path, depth + 1, out)) {
      return false;
    }
  }
  return true;
}

/** True for JSON objects (not arrays, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
