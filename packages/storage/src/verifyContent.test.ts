import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deriveCid } from './deriveCid.js';
import { CONFIDE_IMPORT_PARAMETERS } from './importParameters.js';
import { parseCid } from './parseCid.js';
import { collect, pseudoRandomBytes } from './testing.js';
import { verifyContent } from './verifyContent.js';

const CHUNK = CONFIDE_IMPORT_PARAMETERS.chunkSize;

async function* chunked(bytes: Uint8Array, size = 100_000) {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

describe('verifyContent', () => {
  it('passes through bytes that give the CID, raw and dag-pb alike', async () => {
    for (const size of [0, 10, CHUNK, 5 * CHUNK + 3]) {
      const bytes = await pseudoRandomBytes(size, `ok ${size}`);
      const cid = parseCid((await deriveCid(bytes)).cid);
      assert.ok((await collect(verifyContent(chunked(bytes), cid, 'test'))).equals(bytes), `size ${size}`);
    }
  });

  it('error: one flipped byte, a missing tail or extra bytes give CONTENT_MISMATCH', async () => {
    for (const size of [10, 5 * CHUNK + 3]) {
      const bytes = await pseudoRandomBytes(size, `bad ${size}`);
      const cid = parseCid((await deriveCid(bytes)).cid);
      const flipped = Uint8Array.from(bytes);
      flipped[size >> 1] = (flipped[size >> 1] ?? 0) ^ 1;
      const variants = [flipped, bytes.subarray(0, size - 1), Buffer.concat([bytes, new Uint8Array(1)])];
      for (const wrong of variants) {
        await assert.rejects(collect(verifyContent(chunked(wrong), cid, 'http://node')), {
          name: 'StorageContentMismatchError',
          code: 'CONFIDE_STORAGE_CONTENT_MISMATCH',
          details: { expected: String(cid), actual: (await deriveCid(wrong)).cid, source: 'http://node' },
        });
      }
    }
  });

  it('holds the last chunk back until the content is checked', async () => {
    const bytes = await pseudoRandomBytes(3 * CHUNK, 'held');
    const cid = parseCid((await deriveCid(bytes)).cid);
    const wrong = Uint8Array.from(bytes);
    wrong[wrong.length - 1] = (wrong[wrong.length - 1] ?? 0) ^ 1;
    let received = 0;
    await assert.rejects(async () => {
      for await (const chunk of verifyContent(chunked(wrong), cid, 'test')) received += chunk.length;
    }, /does not match/);
    assert.ok(received < wrong.length, 'the consumer never saw the whole altered content');
  });
});
