import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  ProtectedDataInvalidError,
  type ProtectedValueOf,
  type ProtectedValueType,
  readProtectedValue,
} from '../../crypto/src/index.js';
import { DataProtectorError } from './errors.js';

/** Options of {@link DataProtectorDeserializer}, as iExec's deserializer takes them. */
export type DataProtectorDeserializerOptions = {
  /** The decrypted protected data; default `$IEXEC_IN/$IEXEC_DATASET_FILENAME`, as the enclave gives it. */
  protectedDataPath?: string;
};

/**
 * Reads the values of a protected data inside an app, by key path and type, like iExec's
 * `IExecDataProtectorDeserializer`: the zip is read once, on the first `getValue`.
 * @example
 * const deserializer = new DataProtectorDeserializer();
 * const email = await deserializer.getValue('contact.email', 'string');
 * const picture = await deserializer.getValue('picture', 'image/png'); // Uint8Array
 */
export class DataProtectorDeserializer {
  readonly #path: string | undefined;
  #zip: Promise<Uint8Array> | undefined;

  constructor(options: DataProtectorDeserializerOptions = {}) {
    const { IEXEC_IN, IEXEC_DATASET_FILENAME } = process.env;
    this.#path =
      options.protectedDataPath ??
      (IEXEC_IN && IEXEC_DATASET_FILENAME ? path.join(IEXEC_IN, IEXEC_DATASET_FILENAME) : undefined);
  }

  /**
   * The value at `keyPath` (dotted: `a.b.c`) decoded as `type`: `bool` → boolean, `f64` →
   * number, `i128` → bigint, `string` → string, a MIME type → the raw bytes.
   * @throws DataProtectorError `CONFIDE_DATAPROTECTOR_INVALID_PARAMETER` when there is no
   *   protected data to read (no path given and no `IEXEC_IN`/`IEXEC_DATASET_FILENAME`), the
   *   file cannot be read, or the key is absent or not of that type
   */
  async getValue<T extends ProtectedValueType>(keyPath: string, type: T): Promise<ProtectedValueOf<T>> {
    const file = this.#path;
    if (!file) {
      throw new DataProtectorError('CONFIDE_DATAPROTECTOR_INVALID_PARAMETER', {
        details: 'protectedDataPath: not given, and IEXEC_IN / IEXEC_DATASET_FILENAME are not set (no dataset?)',
      });
    }
    this.#zip ??= readFile(file).then((bytes) => new Uint8Array(bytes));
    let zip: Uint8Array;
    try {
      zip = await this.#zip;
    } catch (cause) {
      this.#zip = undefined;
      throw new DataProtectorError('CONFIDE_DATAPROTECTOR_INVALID_PARAMETER', {
        details: `protectedDataPath: cannot read ${file}`,
        cause,
      });
    }
    try {
      return readProtectedValue(zip, keyPath, type);
    } catch (cause) {
      if (!(cause instanceof ProtectedDataInvalidError)) throw cause;
      throw new DataProtectorError('CONFIDE_DATAPROTECTOR_INVALID_PARAMETER', {
        details: `${keyPath}: ${cause.details ?? cause.shortMessage}`,
        cause,
      });
    }
  }
}
