const CRLF = Buffer.from('\r\n');
const HEADERS_END = Buffer.from('\r\n\r\n');
/** Longest header block of one part; Kubo clients send two or three short headers. */
const MAX_HEADER_BYTES = 16 * 1024;
/** Longest line after a delimiter (transport padding before its CRLF). */
const MAX_PADDING_BYTES = 1024;

/**
 * A `multipart/form-data` body that does not parse; the message says what is wrong. Internal:
 * the Kubo RPC handler answers it with a 400.
 * @example throw new MultipartInvalidError('the body ended before the closing boundary')
 */
export class MultipartInvalidError extends Error {
  override name = 'MultipartInvalidError' as const;
}

/** One part of a multipart body. */
export type MultipartPart = {
  /** Its headers, names lower-cased. */
  headers: Readonly<Record<string, string>>;
  /** The `name` parameter of `Content-Disposition`. */
  name: string | undefined;
  /** The `filename` parameter of `Content-Disposition`, as sent (Kubo clients URL-encode it). */
  filename: string | undefined;
  /** The part's bytes, streamed; read it to its end before asking for the next part. */
  body: AsyncIterable<Uint8Array>;
};

/**
 * Parses a `multipart/form-data` body as it streams (RFC 7578 / RFC 2046): memory stays bounded
 * by the largest chunk of `source` plus the delimiter, whatever the size of the parts. Part
 * bodies are views into the chunks read, never written to afterwards. A part left unread, or
 * half read, is skipped when the next one is asked for.
 * @param source - the request body.
 * @param boundary - the `boundary` parameter of the request's `Content-Type`.
 * @throws {MultipartInvalidError} for a body that is truncated or malformed.
 * @example for await (const part of readMultipart(request, boundary)) await storage.put(part.body)
 */
export async function* readMultipart(
  source: AsyncIterable<Uint8Array>,
  boundary: string,
): AsyncGenerator<MultipartPart> {
  if (!/^[0-9A-Za-z'()+_,\-./:=? ]{1,70}$/.test(boundary) || boundary.endsWith(' ')) {
    throw new MultipartInvalidError(
      `the boundary ${JSON.stringify(boundary.slice(0, 80))} is not a valid one (RFC 2046)`,
    );
  }
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const input = source[Symbol.asyncIterator]();
  // Starts with CRLF so that the first delimiter, at the very start of the body, looks like the others.
  let buffer: Buffer = Buffer.from(CRLF);
  let ended = false;

  /** Appends the next chunk of the source to `buffer`; false at its end. */
  async function more(): Promise<boolean> {
    if (ended) return false;
    const next = await input.next();
    if (next.done) {
      ended = true;
      return false;
    }
    const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    return true;
  }

  /** Bytes up to the next delimiter, streamed, which is then consumed. */
  async function* untilDelimiter(truncated: string): AsyncGenerator<Buffer> {
    for (;;) {
      const at = buffer.indexOf(delimiter);
      if (at >= 0) {
        const last = buffer.subarray(0, at);
        buffer = buffer.subarray(at + delimiter.length);
        if (last.length > 0) yield last;
        return;
      }
      // Keep what could be the start of a delimiter split across chunks.
      const keep = Math.min(buffer.length, delimiter.length - 1);
      if (buffer.length > keep) {
        const out = buffer.subarray(0, buffer.length - keep);
        buffer = buffer.subarray(buffer.length - keep);
        yield out;
      }
      if (!(await more())) throw new MultipartInvalidError(truncated);
    }
  }

  /** Bytes up to `needle` (consumed), at most `max` of them. */
  async function until(needle: Buffer, max: number, what: string): Promise<Buffer> {
    for (;;) {
      const at = buffer.indexOf(needle);
      if (at >= 0 && at <= max) {
        const found = buffer.subarray(0, at);
        buffer = buffer.subarray(at + needle.length);
        return found;
      }
      if (buffer.length > max + needle.length) throw new MultipartInvalidError(`${what} is longer than ${max} bytes`);
      if (!(await more())) throw new MultipartInvalidError(`the body ended inside ${what}`);
    }
  }

  async function atLeast(bytes: number): Promise<boolean> {
    while (buffer.length < bytes) if (!(await more())) return false;
    return true;
  }

  for await (const _ of untilDelimiter(`no part starts with the boundary ${JSON.stringify(boundary)}`)) {
    // The preamble before the first delimiter is ignored.
  }
  for (;;) {
    if (!(await atLeast(2))) throw new MultipartInvalidError('the body ended after a boundary');
    if (buffer[0] === 0x2d && buffer[1] === 0x2d) {
      // `--` closes the body; the epilogue after it is read and ignored.
      buffer = Buffer.alloc(0);
      while (await more()) buffer = Buffer.alloc(0);
      return;
    }
    const padding = await until(CRLF, MAX_PADDING_BYTES, 'the line after a boundary');
    if (!/^[ \t]*$/.test(padding.toString('latin1'))) {
      throw new MultipartInvalidError('a boundary is followed by something other than a line break');
    }
    if (!(await atLeast(2))) throw new MultipartInvalidError('the body ended in the headers of a part');
    let headerBlock = '';
    if (buffer[0] === 0x0d && buffer[1] === 0x0a) buffer = buffer.subarray(2);
    else headerBlock = (await until(HEADERS_END, MAX_HEADER_BYTES, 'the headers of a part')).toString('utf8');
    const headers = parseHeaders(headerBlock);
    const disposition = parseParameters(headers['content-disposition'] ?? '');
    const truncated = 'the body ended before the closing boundary';
    let read = false;
    async function* body(): AsyncGenerator<Buffer> {
      yield* untilDelimiter(truncated);
      read = true;
    }
    yield { headers, name: disposition.name, filename: disposition.filename, body: body() };
    if (!read) {
      // Skips whatever the consumer left unread (or stopped reading), up to the next delimiter.
      for await (const _ of untilDelimiter(truncated)) {
        // Discarded.
      }
    }
  }
}

function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0)
      throw new MultipartInvalidError(`a part has a malformed header line ${JSON.stringify(line.slice(0, 80))}`);
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** The `name` and `filename` parameters of a `Content-Disposition: form-data; …` value. */
function parseParameters(value: string): { name?: string; filename?: string } {
  const parameters: Record<string, string> = {};
  for (const match of value.matchAll(/;\s*([^=\s;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/g)) {
    const key = (match[1] ?? '').toLowerCase();
    parameters[key] = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] ?? '');
  }
  return { name: parameters.name, filename: parameters.filename };
}
