import { ProtectedDataInvalidError } from './errors.js';
import { decodeLeaf, type ProtectedValueOf, type ProtectedValueType } from './protectedDataLeaf.js';
import { readZip } from './zip.js';

/** What {@link readProtectedValue} returns for a leaf of type `T`. */
export type ReadProtectedValueReturnType<T extends ProtectedValueType> = ProtectedValueOf<T>;

/** Errors {@link readProtectedValue} throws. */
export type ReadProtectedValueErrorType = ProtectedDataInvalidError;

/**
 * Reads one value of a protected-data zip by its dotted path, like the iExec deserializer's
 * `getValue('path.to.key', type)`: scalars are Borsh-decoded, MIME types return the raw bytes.
 * @param zip - the decrypted protected-data zip (inside an app: the file at `$IEXEC_IN/$IEXEC_DATASET_FILENAME`).
 * @param path - dotted key path, e.g. `'user.email'`.
 * @param type - `'bool' | 'f64' | 'i128' | 'string'` or a MIME type from the schema.
 * @returns the decoded value.
 * @example const email = readProtectedValue(zip, 'user.email', 'string')
 */
export function readProtectedValue<T extends ProtectedValueType>(
  zip: Uint8Array,
  path: string,
  type: T,
): ReadProtectedValueReturnType<T> {
  const data = readZip(zip).get(path.split('.').join('/'));
  if (!data) throw new ProtectedDataInvalidError({ path, details: 'the zip holds no value at this path' });
  return decodeLeaf(data, type, path);
}
