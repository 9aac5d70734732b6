import { ProtectedDataInvalidError } from './errors.js';
import { decodeLeaf, isProtectedValueType } from './protectedDataLeaf.js';
import {
  isPlainObject,
  PROTECTED_KEY_PATTERN,
  type ProtectedData,
  type ProtectedDataSchema,
} from './serializeProtectedData.js';
import { readZip } from './zip.js';

/** What {@link deserializeProtectedData} returns: typed leaves with a schema, raw bytes without. */
export type DeserializeProtectedDataReturnType = ProtectedData;

/** Errors {@link deserializeProtectedData} throws. */
export type DeserializeProtectedDataErrorType = ProtectedDataInvalidError;

/**
 * Reads back a protected-data zip. With the on-chain `schema`, every leaf is decoded to its type and
 * the zip must hold exactly the schema's leaves; without it, every leaf is returned as raw bytes.
 * @param zip - the decrypted protected-data zip.
 * @param schema - the schema from {@link serializeProtectedData} (or `JSON.parse` of the on-chain one).
 * @returns the nested object.
 * @example const data = deserializeProtectedData(zip, schema) // { age: 42, email: 'a@b.c', vip: true }
 */
export function deserializeProtectedData(
  zip: Uint8Array,
  schema?: ProtectedDataSchema,
): DeserializeProtectedDataReturnType {
  const files = readZip(zip);
  if (schema === undefined) return fromFiles(files);
  const result = fromSchema(schema, [], files);
  if (files.size > 0) {
    const [name] = files.keys();
    throw new ProtectedDataInvalidError({
      path: String(name).split('/').join('.'),
      details: 'the zip holds a value that the schema does not list',
    });
  }
  return result;
}

function fromSchema(schema: unknown, keys: string[], files: Map<string, Uint8Array>): ProtectedData {
  const path = keys.join('.');
  if (!isPlainObject(schema) || Object.keys(schema).length === 0) {
    throw new ProtectedDataInvalidError({ path, details: 'schema node must be a non-empty object' });
  }
  const result: ProtectedData = {};
  for (const [name, type] of Object.entries(schema)) {
    const childKeys = [...keys, name];
    const childPath = childKeys.join('.');
    if (!PROTECTED_KEY_PATTERN.test(name)) {
      throw new ProtectedDataInvalidError({ path: childPath, details: `schema key "${name}" is not allowed` });
    }
    if (isPlainObject(type)) {
      result[name] = fromSchema(type, childKeys, files);
      continue;
    }
    if (!isProtectedValueType(type)) {
      throw new ProtectedDataInvalidError({
        path: childPath,
        details: `schema type ${JSON.stringify(type)} is unknown`,
      });
    }
    const fileName = childKeys.join('/');
    const data = files.get(fileName);
    if (!data)
      throw new ProtectedDataInvalidError({ path: childPath, details: 'the schema lists it, the zip lacks it' });
    files.delete(fileName);
    result[name] = decodeLeaf(data, type, childPath);
  }
  return result;
}

function fromFiles(files: Map<string, Uint8Array>): ProtectedData {
  const root: ProtectedData = {};
  for (const [name, data] of files) {
    const keys = name.split('/');
    let node = root;
    keys.forEach((key, i) => {
      const path = keys.slice(0, i + 1).join('.');
      if (!PROTECTED_KEY_PATTERN.test(key)) {
        throw new ProtectedDataInvalidError({ path, details: `zip entry key "${key}" is not allowed` });
      }
      const existing = node[key];
      if (i === keys.length - 1) {
        if (existing !== undefined) throw new ProtectedDataInvalidError({ path, details: 'both a value and a folder' });
        node[key] = data;
      } else {
        if (existing instanceof Uint8Array) {
          throw new ProtectedDataInvalidError({ path, details: 'both a value and a folder' });
        }
        if (existing === undefined) node[key] = {};
        node = node[key] as ProtectedData;
      }
    });
  }
  if (Object.keys(root).length === 0)
    throw new ProtectedDataInvalidError({ path: '', details: 'the zip holds no value' });
  return root;
}
