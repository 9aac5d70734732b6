import { ConfideError } from '../../errors/src/index.js';

/**
 * Stable codes of every error this package throws; callers switch on these, never on message text.
 * @example if (error instanceof ConfideStorageError && error.code === 'CONFIDE_STORAGE_NOT_FOUND') return null
 */
export type ConfideStorageErrorCode =
  | 'CONFIDE_STORAGE_CID_INVALID'
  | 'CONFIDE_STORAGE_NOT_FOUND'
  | 'CONFIDE_STORAGE_CONTENT_MISMATCH'
  | 'CONFIDE_STORAGE_UNREACHABLE'
  | 'CONFIDE_STORAGE_REQUEST_FAILED'
  | 'CONFIDE_STORAGE_CONFIG_INVALID'
  | 'CONFIDE_STORAGE_SOURCE_INVALID'
  | 'CONFIDE_STORAGE_CLOSED';

/**
 * Facts about an error, safe to log and to show: never a secret.
 * @example new StorageNotFoundError('bafk…').details // { cid: 'bafk…' }
 */
export type ConfideStorageErrorDetails = Readonly<Record<string, string | number>>;

type ErrorParameters = { details?: ConfideStorageErrorDetails; cause?: unknown };

/**
 * Root of every error thrown by `@confide/storage`.
 * @param code - stable code, e.g. `CONFIDE_STORAGE_NOT_FOUND`.
 * @param shortMessage - one sentence: what was wrong and what to do.
 * @example
 * try { await storage.has('nope') } catch (error) {
 *   if (error instanceof ConfideStorageError && error.code === 'CONFIDE_STORAGE_CID_INVALID') console.log(error.shortMessage)
 * }
 */
export class ConfideStorageError extends ConfideError<ConfideStorageErrorCode, ConfideStorageErrorDetails> {
  override name: string = 'ConfideStorageError';

  constructor(code: ConfideStorageErrorCode, shortMessage: string, { details = {}, cause }: ErrorParameters = {}) {
    super({ code, shortMessage, details, cause });
  }
}

/**
 * A string that is not a CIDv1 of a UnixFS file (raw or dag-pb codec, sha2-256).
 * @example throw new StorageCidInvalidError('Qm…', 'CIDv0 is not supported')
 */
export class StorageCidInvalidError extends ConfideStorageError {
  override name = 'StorageCidInvalidError' as const;
  constructor(cid: string, reason: string, cause?: unknown) {
    super('CONFIDE_STORAGE_CID_INVALID', `"${truncate(cid)}" is not a usable CID: ${reason}.`, {
      details: { cid: truncate(cid) },
      cause,
    });
  }
}

/**
 * The content is not held by this storage (the embedded node never looks for it on a network).
 * @example throw new StorageNotFoundError('bafkrei…')
 */
export class StorageNotFoundError extends ConfideStorageError {
  override name = 'StorageNotFoundError' as const;
  constructor(cid: string, cause?: unknown) {
    super(
      'CONFIDE_STORAGE_NOT_FOUND',
      `No content for CID ${cid} in this storage; put it first or pin it from a node that has it.`,
      {
        details: { cid },
        cause,
      },
    );
  }
}

/**
 * Bytes whose hash does not give the CID they were asked or announced for: a corrupted disk or
 * a tampering server. Nothing read alongside this error should be trusted.
 * @example throw new StorageContentMismatchError({ expected: 'bafy…a', actual: 'bafy…b', source: 'http://127.0.0.1:5001' })
 */
export class StorageContentMismatchError extends ConfideStorageError {
  override name = 'StorageContentMismatchError' as const;
  constructor(details: { expected: string; actual: string; source: string }, shortMessage?: string) {
    super(
      'CONFIDE_STORAGE_CONTENT_MISMATCH',
      shortMessage ??
        `Content from ${details.source} does not match its CID ${details.expected}; it was corrupted or tampered with, so discard what was read.`,
      { details },
    );
  }
}

/**
 * The IPFS node could not be reached (refused, reset, unknown host).
 * @example throw new StorageUnreachableError('http://127.0.0.1:5001/api/v0/cat', cause)
 */
export class StorageUnreachableError extends ConfideStorageError {
  override name = 'StorageUnreachableError' as const;
  constructor(url: string, cause?: unknown) {
    const reason = (cause as NodeJS.ErrnoException | undefined)?.code ?? (cause as Error | undefined)?.message;
    super('CONFIDE_STORAGE_UNREACHABLE', `The IPFS node at ${url} is unreachable; check that it runs and the URL.`, {
      details: reason ? { url, reason: String(reason) } : { url },
      cause,
    });
  }
}

/**
 * The IPFS node answered with an error; `details.serverMessage` carries what it said.
 * @example throw new StorageRequestFailedError({ url, status: 500, serverMessage: 'disk full' })
 */
export class StorageRequestFailedError extends ConfideStorageError {
  override name = 'StorageRequestFailedError' as const;
  constructor(details: { url: string; status: number; serverMessage: string }) {
    super(
      'CONFIDE_STORAGE_REQUEST_FAILED',
      `The IPFS node at ${details.url} refused the request: ${details.serverMessage}`,
      {
        details,
      },
    );
  }
}

/**
 * A wrong configuration value, named with what is expected.
 * @example throw new StorageConfigInvalidError('url must be an http(s) URL, got "ftp://x"')
 */
export class StorageConfigInvalidError extends ConfideStorageError {
  override name = 'StorageConfigInvalidError' as const;
  constructor(reason: string, cause?: unknown) {
    super('CONFIDE_STORAGE_CONFIG_INVALID', `Invalid storage configuration: ${reason}.`, { cause });
  }
}

/**
 * Content to store that is neither a `Uint8Array` nor an async iterable of them.
 * @example throw new StorageSourceInvalidError('a chunk was a string')
 */
export class StorageSourceInvalidError extends ConfideStorageError {
  override name = 'StorageSourceInvalidError' as const;
  constructor(reason: string) {
    super('CONFIDE_STORAGE_SOURCE_INVALID', `Content to store must be bytes or an async iterable of bytes: ${reason}.`);
  }
}

/**
 * The storage was used after `close()`.
 * @example throw new StorageClosedError()
 */
export class StorageClosedError extends ConfideStorageError {
  override name = 'StorageClosedError' as const;
  constructor() {
    super('CONFIDE_STORAGE_CLOSED', 'This storage is closed; create a new one to keep using it.');
  }
}

function truncate(text: string): string {
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}
