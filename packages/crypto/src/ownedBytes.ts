// Internal; kept apart from bytesInput.ts so that the dataset codec does not load viem.
/**
 * Internal: a Buffer as a plain Uint8Array without copying when it owns its whole ArrayBuffer;
 * copies when it is a slice of Node's shared pool, so `.buffer` never exposes unrelated bytes.
 */
export function ownedBytes(buffer: Buffer): Uint8Array {
  return buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength
    ? new Uint8Array(buffer.buffer, 0, buffer.byteLength)
    : new Uint8Array(buffer);
}
