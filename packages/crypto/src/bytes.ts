// Internal: byte helpers over plain Uint8Array (no Node `Buffer`), shared by every runtime.

/** The pieces as one array (the piece itself when there is one). */
export function concatBytes(pieces: readonly Uint8Array[]): Uint8Array {
  if (pieces.length === 1) return pieces[0] as Uint8Array;
  let length = 0;
  for (const piece of pieces) length += piece.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}

/** A fresh copy of the pieces as one array that owns its whole ArrayBuffer. */
export function joinBytes(pieces: readonly Uint8Array[]): Uint8Array {
  const joined = concatBytes(pieces);
  return pieces.length === 1 ? Uint8Array.from(joined) : joined;
}

/** Each byte as one character (ISO-8859-1); the inverse of {@link latin1Bytes}. */
export function latin1Text(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let text = '';
  for (let at = start; at < end; at += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(at, Math.min(end, at + 0x8000)));
  }
  return text;
}

/** Each character's code as one byte; characters above U+00FF are not expected (their low byte is kept). */
export function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

/** Standard base64 with padding. */
export function toBase64(bytes: Uint8Array): string {
  return btoa(latin1Text(bytes));
}

/** Decodes standard base64 (padding optional); `undefined` when it is not base64. Callers check canonicity. */
export function fromBase64(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  try {
    return latin1Bytes(atob(text));
  } catch {
    return undefined;
  }
}

/** Lowercase hex without prefix. */
export function toHexString(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** Whether two byte arrays are equal, in time that depends on their length only. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}
