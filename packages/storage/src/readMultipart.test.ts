import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readMultipart } from './readMultipart.js';
import { MIB, pseudoRandomStream } from './testing.js';

const BOUNDARY = 'confide-7f3a';

/** The body split into chunks of `size` bytes. */
async function* chunked(body: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < body.length; at += size) yield body.subarray(at, at + size);
}

/** Every part read whole: headers, name, filename and the body as text. */
async function readAll(source: AsyncIterable<Uint8Array>, boundary = BOUNDARY) {
  const parts = [];
  for await (const part of readMultipart(source, boundary)) {
    const chunks: Uint8Array[] = [];
    for await (const chunk of part.body) chunks.push(Buffer.from(chunk));
    parts.push({ ...part, body: Buffer.concat(chunks).toString('latin1') });
  }
  return parts;
}

const TWO_PARTS = Buffer.from(
  'preamble to ignore\r\n' +
    `--${BOUNDARY}\r\n` +
    'Content-Disposition: form-data; name="file"; filename="a \\"quoted\\" name"\r\n' +
    'Content-Type: application/octet-stream\r\n\r\n' +
    // Looks like a delimiter without being one, twice.
    `first\r\n--${BOUNDARY.slice(0, -1)}x and\r\n-${BOUNDARY}\r\n` +
    `\r\n--${BOUNDARY} \t\r\n` +
    'content-disposition: form-data; name=other\r\n\r\n' +
    '' +
    `\r\n--${BOUNDARY}--\r\nepilogue to ignore`,
  'latin1',
);

describe('readMultipart', () => {
  it('gives the same parts however the body is split into chunks', async () => {
    const expected = [
      {
        name: 'file',
        filename: 'a "quoted" name',
        headers: {
          'content-disposition': 'form-data; name="file"; filename="a \\"quoted\\" name"',
          'content-type': 'application/octet-stream',
        },
        body: `first\r\n--${BOUNDARY.slice(0, -1)}x and\r\n-${BOUNDARY}\r\n`,
      },
      { name: 'other', filename: undefined, headers: { 'content-disposition': 'form-data; name=other' }, body: '' },
    ];
    for (let size = 1; size <= TWO_PARTS.length; size++) {
      const parts = (await readAll(chunked(TWO_PARTS, size))).map(({ name, filename, headers, body }) => ({
        name,
        filename,
        headers,
        body,
      }));
      assert.deepEqual(parts, expected, `chunks of ${size} bytes`);
    }
  });

  it('skips a part left unread or half read', async () => {
    for (const readFirst of [0, 1]) {
      const names: (string | undefined)[] = [];
      let second = '';
      for await (const part of readMultipart(chunked(TWO_PARTS, 7), BOUNDARY)) {
        names.push(part.name);
        if (part.name === 'file' && readFirst) {
          for await (const _ of part.body) break;
        }
        if (part.name === 'other') for await (const chunk of part.body) second += Buffer.from(chunk).toString();
      }
      assert.deepEqual(names, ['file', 'other']);
      assert.equal(second, '');
    }
  });

  it('streams a 64 MiB part in pieces no larger than the chunks read', async () => {
    const head = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
    async function* body() {
      yield head;
      for await (const chunk of pseudoRandomStream(64 * MIB, 'multipart', 64 * 1024)) yield chunk;
      yield tail;
    }
    let total = 0;
    let largest = 0;
    for await (const part of readMultipart(body(), BOUNDARY)) {
      for await (const piece of part.body) {
        total += piece.byteLength;
        largest = Math.max(largest, piece.byteLength);
      }
    }
    assert.equal(total, 64 * MIB);
    assert.ok(largest <= 64 * 1024 + BOUNDARY.length + 4, `largest piece ${largest} bytes`);
  });

  it('error: a truncated or malformed body names what is wrong', async () => {
    const part = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"\r\n\r\n`;
    const cases: [string, RegExp][] = [
      ['no delimiter at all', /no part starts with the boundary/],
      [`${part}content without an end`, /ended before the closing boundary/],
      [`--${BOUNDARY}`, /ended after a boundary/],
      [`--${BOUNDARY}garbage\r\n\r\n`, /followed by something other than a line break/],
      [`--${BOUNDARY}\r\nContent-Disposition: form-data`, /ended inside the headers of a part/],
      [`--${BOUNDARY}\r\nno colon here\r\n\r\nx\r\n--${BOUNDARY}--`, /malformed header line/],
      [`--${BOUNDARY}\r\nX-Long: ${'a'.repeat(20_000)}\r\n\r\n`, /headers of a part is longer than 16384 bytes/],
    ];
    for (const [body, message] of cases) {
      await assert.rejects(readAll(chunked(Buffer.from(body), 5)), { name: 'MultipartInvalidError', message }, body);
    }
    await assert.rejects(readAll(chunked(Buffer.from(part), 5), 'bad\r\nboundary'), {
      name: 'MultipartInvalidError',
      message: /is not a valid one/,
    });
  });
});
