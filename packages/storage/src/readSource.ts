import { StorageSourceInvalidError } from './errors.js';
import type { StorageSource } from './storage.js';

/** Bytes read so far by a {@link readSource} stream. */
type ByteCounter = { bytes: number };

/**
 * Turns content to store into one async stream of `Uint8Array`, counting bytes as they pass and
 * rejecting anything else (a string chunk from a `Readable` with an encoding, a number…).
 * @param source - bytes or an async iterable of bytes.
 * @param counter - incremented by each chunk's length.
 * @example const counter = { bytes: 0 }; for await (const chunk of readSource(file, counter)) send(chunk)
 */
export async function* readSource(source: StorageSource, counter: ByteCounter): AsyncGenerator<Uint8Array> {
  if (source instanceof Uint8Array) {
    counter.bytes += source.byteLength;
    yield source;
    return;
  }
  if (source === null || typeof source !== 'object' || !(Symbol.asyncIterator in source)) {
    throw new StorageSourceInvalidError(`got ${source === null ? 'null' : typeof source}`);
  }
  for await (const chunk of source) {
    if (!(chunk instanceof Uint8Array)) {
      throw new StorageSourceInvalidError(`a chunk was ${typeof chunk}; open streams without an encoding`);
    }
    counter.bytes += chunk.byteLength;
    yield chunk;
  }
}
