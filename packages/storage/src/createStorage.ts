import { createEmbeddedStorage } from './createEmbeddedStorage.js';
import { createKuboStorage } from './createKuboStorage.js';
import { StorageConfigInvalidError } from './errors.js';
import type { Storage } from './storage.js';

/**
 * Which storage to use: the embedded node (default of a single machine) or any node over the Kubo RPC API.
 * @example const config: StorageConfig = { kind: 'kubo', url: 'http://127.0.0.1:5001' }
 */
export type StorageConfig =
  | { kind: 'embedded'; directory: string }
  | { kind: 'kubo'; url: string; headers?: Record<string, string> };

/** What {@link createStorage} resolves to. */
export type CreateStorageReturnType = Storage;

/** Errors of {@link createStorage}. */
export type CreateStorageErrorType = StorageConfigInvalidError;

/**
 * Creates the storage a configuration names, checking it first: every wrong value is reported
 * as `CONFIDE_STORAGE_CONFIG_INVALID` with what was expected.
 * @param config - `{ kind: 'embedded', directory }` or `{ kind: 'kubo', url, headers? }`.
 * @returns a {@link Storage}; `close()` it when done.
 * @example
 * const storage = await createStorage(process.env.CONFIDE_IPFS_URL
 *   ? { kind: 'kubo', url: process.env.CONFIDE_IPFS_URL }
 *   : { kind: 'embedded', directory: '.confide/ipfs' })
 */
export async function createStorage(config: StorageConfig): Promise<CreateStorageReturnType> {
  if (typeof config !== 'object' || config === null) {
    throw new StorageConfigInvalidError(
      `expected an object with a kind, got ${config === null ? 'null' : typeof config}`,
    );
  }
  const kind: unknown = config.kind;
  if (kind === 'embedded') {
    const { directory, ...extra } = config as Extract<StorageConfig, { kind: 'embedded' }>;
    assertNoExtraKeys(extra, 'embedded');
    return createEmbeddedStorage({ directory });
  }
  if (kind === 'kubo') {
    const { url, headers, ...extra } = config as Extract<StorageConfig, { kind: 'kubo' }>;
    assertNoExtraKeys(extra, 'kubo');
    if (
      headers !== undefined &&
      (typeof headers !== 'object' || headers === null || Object.values(headers).some((v) => typeof v !== 'string'))
    ) {
      throw new StorageConfigInvalidError('headers must be an object of string values');
    }
    if (typeof url !== 'string') throw new StorageConfigInvalidError(`url must be a string, got ${typeof url}`);
    return createKuboStorage({ url, headers });
  }
  throw new StorageConfigInvalidError(`kind must be "embedded" or "kubo", got ${JSON.stringify(kind)}`);
}

/** A misspelt key (`dir`, `URL`) is an error, not a silent default. */
function assertNoExtraKeys(extra: Record<string, unknown>, kind: string): void {
  const { kind: _kind, ...unknown } = extra;
  const keys = Object.keys(unknown);
  if (keys.length > 0) {
    const allowed = kind === 'embedded' ? 'kind, directory' : 'kind, url, headers';
    throw new StorageConfigInvalidError(
      `unknown key ${keys.map((k) => `"${k}"`).join(', ')} for ${kind} (allowed: ${allowed})`,
    );
  }
}
