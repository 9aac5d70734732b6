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
  const input = createByteChannel(4 * CONFIDE_IMPORT_PARAMETERS.chunkSize);
  const derived = hashOnly.addByteStream(input.chunks(), unixfsAddOptions);
  // Awaited by write/end; this handler only keeps an aborted import from being reported as unhandled.
  derived.catch(() => {});
  return {
    async write(chunk) {
      await Promise.race([input.write(chunk), derived]);
    },
    end() {
      input.end();
      return derived;
    },
    abort() {
      input.abort();
    },
  };
}

/**
 * A one-reader byte queue between a writer that pushes and a reader that pulls (what a Node
 * PassThrough was here, without node:stream so that it runs in browsers): `write` resolves once
 * fewer than `limit` bytes wait, `abort` makes the reader throw.
 */
function createByteChannel(limit: number) {
  const queue: Uint8Array[] = [];
  let queued = 0;
  let state: 'open' | 'ended' | 'aborted' = 'open';
  let wakeReader: (() => void) | undefined;
  let wakeWriters: (() => void)[] = [];
  const notifyReader = () => {
    wakeReader?.();
    wakeReader = undefined;
  };
  const notifyWriters = () => {
    for (const wake of wakeWriters) wake();
    wakeWriters = [];
  };
  return {
    async write(chunk: Uint8Array): Promise<void> {
      if (state !== 'open') throw new Error(`write after ${state === 'ended' ? 'end' : 'abort'}`);
      queue.push(chunk);
      queued += chunk.length;
      notifyReader();
      while (queued >= limit && state === 'open') await new Promise<void>((resolve) => wakeWriters.push(resolve));
    },
    end() {
      if (state === 'open') state = 'ended';
      notifyReader();
    },
    abort() {
      state = 'aborted';
      queue.length = 0;
      queued = 0;
      notifyReader();
      notifyWriters();
    },
    async *chunks(): AsyncGenerator<Uint8Array> {
      for (;;) {
        if (state === 'aborted') throw new Error('aborted');
        const chunk = queue.shift();
        if (chunk) {
          queued -= chunk.length;
          if (queued < limit) notifyWriters();
          yield chunk;
        } else if (state === 'ended') {
          return;
        } else {
          await new Promise<void>((resolve) => {
            wakeReader = resolve;
          });
        }
      }
    },
  };
}
