import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { unixfs } from '@helia/unixfs';
import type { CID } from 'multiformats/cid';
import type { StorageSourceInvalidError } from './errors.js';
import { CONFIDE_IMPORT_PARAMETERS, unixfsAddOptions } from './importParameters.js';
import { readSource } from './readSource.js';
import type { PutResult, StorageCallOptions, StorageSource } from './storage.js';

type Blocks = Parameters<typeof unixfs>[0]['blockstore'];

/** A blockstore that keeps nothing: importing into it only hashes. */
const discard: Blocks = {
  put: (cid) => cid,
  has: () => false,
  get: () => {
    throw new Error('a hash-only import reads no block');
  },
};
const hashOnly = unixfs({ blockstore: discard });

/** Errors of {@link deriveCid}. */
export type DeriveCidErrorType = StorageSourceInvalidError;

/**
 * Computes the CID that `put` gives for some content, on every backend, storing nothing.
 * @param source - bytes or an async iterable of bytes.
 * @returns the CIDv1 (base32) and the size in bytes.
 * @example const { cid } = await deriveCid(new TextEncoder().encode('hello')) // 'bafkrei…'
 */
export async function deriveCid(source: StorageSource, { signal }: StorageCallOptions = {}): Promise<PutResult> {
  const counter = { bytes: 0 };
  const cid = await hashOnly.addByteStream(readSource(source, counter), { ...unixfsAddOptions, signal });
  return { cid: cid.toString(), size: counter.bytes };
}

/** Derives a CID from bytes written one chunk at a time, while they also go elsewhere. */
export type CidDeriver = {
  /** Feeds a chunk; resolves when the hasher has room for more (backpressure). */
  write(chunk: Uint8Array): Promise<void>;
  /** Ends the input and returns the CID. */
  end(): Promise<CID>;
  /** Drops the input; safe to call after `end`. */
  abort(): void;
};

/**
 * Starts a hash-only import that consumes chunks as they are written, so content can be
 * uploaded or read and checked in one pass with bounded memory.
 * @example const deriver = createCidDeriver(); for (const c of chunks) await deriver.write(c); const cid = await deriver.end()
 */
export function createCidDeriver(): CidDeriver {
  const input = new PassThrough({ highWaterMark: 4 * CONFIDE_IMPORT_PARAMETERS.chunkSize });
  const derived = hashOnly.addByteStream(input, unixfsAddOptions);
  // Awaited by write/end; this handler only keeps an aborted import from being reported as unhandled.
  derived.catch(() => {});
  return {
    async write(chunk) {
      if (!input.write(chunk)) await Promise.race([once(input, 'drain'), derived]);
    },
    end() {
      input.end();
      return derived;
    },
    abort() {
      input.destroy();
    },
  };
}
