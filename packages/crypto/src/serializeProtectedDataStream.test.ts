import assert from 'node:assert/strict';
import { openAsBlob } from 'node:fs';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { deserializeProtectedData } from './deserializeProtectedData.js';
import { expectCryptoError } from './expectCryptoError.js';
import { serializeProtectedData, serializeProtectedDataStream } from './serializeProtectedData.js';

const png = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3);

async function collect(stream: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of stream) parts.push(part);
  return new Uint8Array(Buffer.concat(parts));
}

describe('serializeProtectedDataStream', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'protected-stream-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the same bytes and schema as serializeProtectedData, a file-backed Blob streamed from disk', async () => {
    const csv = Buffer.from('station,pm2_5\nA,12.5\nB,7\n'.repeat(5000));
    const file = path.join(dir, 'readings.csv');
    await writeFile(file, csv);
    const picture = path.join(dir, 'picture.png');
    await writeFile(picture, png);
    const inMemory = serializeProtectedData({ csv, meta: { station: 'A', picture: png, rows: 10_001 } });
    const streamed = await serializeProtectedDataStream({
      meta: { rows: 10_001, picture: await openAsBlob(picture), station: 'A' },
      csv: await openAsBlob(file),
    });
    assert.deepEqual(streamed.schema, inMemory.schema);
    assert.deepEqual(streamed.schema, {
      csv: 'application/octet-stream',
      meta: { picture: 'image/png', rows: 'f64', station: 'string' },
    });
    const bytes = await collect(streamed.zip.stream());
    assert.equal(streamed.zip.size, bytes.length);
    assert.deepEqual(bytes, inMemory.zip);
    // And it can be streamed again (each stream() reads the sources anew).
    assert.deepEqual(await collect(streamed.zip.stream()), bytes);
    assert.deepEqual(deserializeProtectedData(bytes, streamed.schema).csv, new Uint8Array(csv));
  });

  it('takes in-memory Blobs and plain leaves alike; an empty Blob is an empty binary', async () => {
    const streamed = await serializeProtectedDataStream({ a: new Blob([png]), b: new Blob([]), c: true });
    const inMemory = serializeProtectedData({ a: png, b: new Uint8Array(0), c: true });
    assert.deepEqual(streamed.schema, { a: 'image/png', b: 'application/octet-stream', c: 'bool' });
    assert.deepEqual(await collect(streamed.zip.stream()), inMemory.zip);
  });

  it('error: a file that changes between the CRC pass and the stream fails the stream', async () => {
    const file = path.join(dir, 'changing.bin');
    await writeFile(file, Buffer.alloc(4096, 1));
    const { zip } = await serializeProtectedDataStream({ data: await openAsBlob(file) });
    await truncate(file, 100);
    await expectCryptoError(
      () => collect(zip.stream()),
      'ProtectedDataInvalidError',
      'CONFIDE_CRYPTO_PROTECTED_DATA_INVALID',
    );
  });

  it('error: the synchronous form refuses a Blob and names the streaming one', async () => {
    const error = await expectCryptoError(
      () => serializeProtectedData({ file: new Blob([png]) as unknown as Uint8Array }),
      'ProtectedDataInvalidError',
      'CONFIDE_CRYPTO_PROTECTED_DATA_INVALID',
    );
    assert.match(error.message, /serializeProtectedDataStream/);
  });

  it('error: invalid keys and an empty root are refused as by serializeProtectedData', async () => {
    await expectCryptoError(
      () => serializeProtectedDataStream({}),
      'ProtectedDataInvalidError',
      'CONFIDE_CRYPTO_PROTECTED_DATA_INVALID',
    );
    await expectCryptoError(
      () => serializeProtectedDataStream({ 'bad key': new Blob([png]) }),
      'ProtectedDataInvalidError',
      'CONFIDE_CRYPTO_PROTECTED_DATA_INVALID',
    );
  });
});
