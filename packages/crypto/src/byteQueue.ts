import { concatBytes } from './bytes.js';

/**
 * A FIFO of byte pieces that hands out ranges without copying them into one buffer.
 * Internal: the streaming dataset codec uses it to cut chunks from arbitrary stream writes.
 */
export class ByteQueue {
  #pieces: Uint8Array[] = [];
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.#pieces.push(bytes);
    this.#length += bytes.length;
  }

  /** The byte at `offset` from the front, without consuming it. */
  byteAt(offset: number): number {
    let rest = offset;
    for (const piece of this.#pieces) {
      if (rest < piece.length) return piece[rest] as number;
      rest -= piece.length;
    }
    throw new RangeError(`offset ${offset} beyond ${this.#length} queued bytes`);
  }

  /** Removes `count` bytes from the front and returns them as pieces (views, no copy). */
  take(count: number): Uint8Array[] {
    if (count > this.#length) throw new RangeError(`cannot take ${count} of ${this.#length} queued bytes`);
    const out: Uint8Array[] = [];
    let rest = count;
    while (rest > 0) {
      const piece = this.#pieces[0] as Uint8Array;
      if (piece.length <= rest) {
        out.push(piece);
        this.#pieces.shift();
        rest -= piece.length;
      } else {
        out.push(piece.subarray(0, rest));
        this.#pieces[0] = piece.subarray(rest);
        rest = 0;
      }
    }
    this.#length -= count;
    return out;
  }

  /** Removes `count` bytes from the front as one contiguous array (copies only if they span pieces). */
  takeBytes(count: number): Uint8Array {
    const pieces = this.take(count);
    return concatBytes(pieces);
  }
}
