import { setMaxListeners } from 'node:events';
import path from 'node:path';
import { unixfs } from '@helia/unixfs';
import { FsBlockstore } from 'blockstore-fs';
import { FsDatastore } from 'datastore-fs';
import { createHeliaLight } from 'helia';
import type { CID } from 'multiformats/cid';
import {
  ConfideStorageError,
  StorageCidInvalidError,
  StorageClosedError,
  StorageConfigInvalidError,
  StorageNotFoundError,
} from './errors.js';
import { unixfsAddOptions } from './importParameters.js';
import { parseCid } from './parseCid.js';
import { readSource } from './readSource.js';
import type { Storage, StorageCallOptions } from './storage.js';
import { readVerifiedBlock, verifiedBlockstore, verifiedWalker } from './verifiedBlocks.js';

/** Parameters of {@link createEmbeddedStorage}. */
export type CreateEmbeddedStorageParameters = {
  /** Where blocks (`blocks/`) and pins (`datastore/`) are kept; created if missing, reused across restarts. */
  directory: string;
};

/**
 * A {@link Storage} that also tells the size of one stored block, as Kubo's `block/stat` does.
 * @example const bytes = await storage.blockSize(cid) // 262144 for a full raw leaf
 */
export type EmbeddedStorage = Storage & {
  /**
   * Size in bytes of the block `cid` names (for a dag-pb root, the root node only), read
   * locally and verified. Throws `CONFIDE_STORAGE_CID_INVALID`, `CONFIDE_STORAGE_NOT_FOUND`,
   * `CONFIDE_STORAGE_CONTENT_MISMATCH`, `CONFIDE_STORAGE_CLOSED`.
   */
  blockSize(cid: string, options?: StorageCallOptions): Promise<number>;
};

/** What {@link createEmbeddedStorage} resolves to. */
export type CreateEmbeddedStorageReturnType = EmbeddedStorage;

/** Errors of {@link createEmbeddedStorage}. */
export type CreateEmbeddedStorageErrorType = StorageConfigInvalidError;

/**
 * Opens an embedded IPFS node (Helia light: no libp2p, no network) storing on disk under
 * `directory`. Reads never leave the machine, so a missing CID fails at once with
 * `CONFIDE_STORAGE_NOT_FOUND`, and every block read is checked against its CID. One process
 * at a time per directory.
 * @param parameters - `{ directory }`.
 * @returns an {@link EmbeddedStorage}; `close()` it when done.
 * @example
 * const storage = await createEmbeddedStorage({ directory: '.confide/ipfs' })
 * const { cid } = await storage.put(createReadStream('dataset.zip.enc'))
 * await storage.close()
 */
export async function createEmbeddedStorage({
  directory,
}: CreateEmbeddedStorageParameters): Promise<CreateEmbeddedStorageReturnType> {
  if (typeof directory !== 'string' || directory.trim() === '') {
    throw new StorageConfigInvalidError(`directory must be a non-empty path, got ${JSON.stringify(directory)}`);
  }
  const root = path.resolve(directory);
  const blockstore = new FsBlockstore(path.join(root, 'blocks'));
  const datastore = new FsDatastore(path.join(root, 'datastore'));
  try {
    await blockstore.open();
    await datastore.open();
  } catch (cause) {
    throw new StorageConfigInvalidError(`cannot open the storage directory ${root} for writing`, cause);
  }
  const helia = createHeliaLight({ blockstore, datastore });
  await helia.start();

  const origin = `the embedded node at ${root}`;
  const files = unixfs({ blockstore: verifiedBlockstore(helia.blockstore, origin) });
  const walker = verifiedWalker(helia.blockstore, origin);
  let closed = false;
  const assertOpen = () => {
    if (closed) throw new StorageClosedError();
  };

  async function pin(cid: CID, signal: AbortSignal | undefined): Promise<void> {
    try {
      for await (const _ of helia.pins.add(cid, { walker, signal })) {
        // pins.add yields each block it pinned; draining it does the work.
      }
    } catch (error) {
      if ((error as Error | undefined)?.name !== 'AlreadyPinnedError') throw rootError(error, cid);
    }
  }

  return {
    async put(source, { signal } = {}) {
      assertOpen();
      const counter = { bytes: 0 };
      const cid = await files.addByteStream(readSource(source, counter), { ...unixfsAddOptions, signal });
      await pin(cid, signal);
      return { cid: cid.toString(), size: counter.bytes };
    },

    async *get(cid, { signal } = {}) {
      assertOpen();
      const parsed = parseCid(cid);
      // The exporter adds an abort listener per block in flight: give it a signal of its own
      // without the listener limit, so a caller's signal does not warn of a leak on large content.
      const inner = new AbortController();
      setMaxListeners(Number.POSITIVE_INFINITY, inner.signal);
      const forward = () => inner.abort(signal?.reason);
      if (signal?.aborted) forward();
      signal?.addEventListener('abort', forward, { once: true });
      try {
        yield* files.cat(parsed, { signal: inner.signal });
      } catch (error) {
        throw rootError(error, parsed);
      } finally {
        signal?.removeEventListener('abort', forward);
      }
    },

    async has(cid, { signal } = {}) {
      assertOpen();
      return helia.blockstore.has(parseCid(cid), { signal });
    },

    async pin(cid, { signal } = {}) {
      assertOpen();
      const parsed = parseCid(cid);
      if (!(await helia.blockstore.has(parsed, { signal }))) throw new StorageNotFoundError(String(parsed));
      await pin(parsed, signal);
    },

    async blockSize(cid, { signal } = {}) {
      assertOpen();
      return (await readVerifiedBlock(helia.blockstore, parseCid(cid), origin, { signal })).byteLength;
    },

    async close() {
      if (closed) return;
      closed = true;
      await helia.stop();
      await blockstore.close();
      await datastore.close();
    },
  };
}

/** Says what went wrong in terms of the CID the caller asked for, not of an inner block. */
function rootError(error: unknown, root: CID): unknown {
  if (error instanceof StorageNotFoundError && error.details.cid !== String(root)) {
    return new StorageNotFoundError(String(root), error);
  }
  if (error instanceof ConfideStorageError) return error;
  const name = (error as Error | undefined)?.name;
  if (name === 'NotAFileError' || name === 'NotUnixFSError') {
    return new StorageCidInvalidError(String(root), 'it names a directory or other data, not a UnixFS file', error);
  }
  return error;
}
