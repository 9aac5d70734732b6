import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { zipSync } from 'fflate';
import { deserializeProtectedData } from './deserializeProtectedData.js';
import { expectCryptoError } from './expectCryptoError.js';
import { sniffMimeType } from './protectedDataLeaf.js';
import { readProtectedValue } from './readProtectedValue.js';
import { type ProtectedDataSchema, serializeProtectedData } from './serializeProtectedData.js';
import { writeZip } from './zip.js';

const data = {
  name: 'Ada',
  flags: { admin: false, beta: true },
  score: -0.125,
  big: 170141183460469231731687303715884105727n,
  doc: Buffer.from('%PDF-1.7 ...'),
};

const invalidData = (run: () => unknown) =>
  expectCryptoError(run, 'ProtectedDataInvalidError', 'CONFIDE_CRYPTO_PROTECTED_DATA_INVALID');

describe('deserializeProtectedData', () => {
  it('round-trips every type with the schema', () => {
    const { zip, schema } = serializeProtectedData(data);
    assert.deepEqual(deserializeProtectedData(zip, schema), { ...data, doc: new Uint8Array(data.doc) });
  });

  it('returns raw bytes for every leaf without a schema', () => {
    const { zip } = serializeProtectedData({ a: { b: true } });
    assert.deepEqual(deserializeProtectedData(zip), { a: { b: Uint8Array.of(1) } });
  });

  it('reads a zip with DEFLATE entries and folder entries (as JSZip may write)', () => {
    const text = Buffer.from('0500000068656c6c6f', 'hex');
    // A nested object makes fflate write the folder entry `a/`; level 9 makes the entry DEFLATE.
    const zip = zipSync({ a: { s: [text, { level: 9 }] }, n: [Uint8Array.of(1), { level: 0 }] });
    assert.deepEqual(deserializeProtectedData(zip, { a: { s: 'string' }, n: 'bool' }), { a: { s: 'hello' }, n: true });
    assert.equal(readProtectedValue(zip, 'a.s', 'string'), 'hello');
    assert.equal(Buffer.from(zip).readUInt16LE(8), 8, 'the first entry is DEFLATE (method 8)');
  });

  it('error: the zip lacks a value the schema lists', async () => {
    const { zip } = serializeProtectedData({ a: 1 });
    await invalidData(() => deserializeProtectedData(zip, { a: 'f64', b: 'bool' }));
  });

  it('error: the zip holds a value the schema does not list', async () => {
    const { zip } = serializeProtectedData({ a: 1, b: true });
    await invalidData(() => deserializeProtectedData(zip, { a: 'f64' }));
  });

  it('error: a leaf whose bytes do not match its type', async () => {
    const { zip } = serializeProtectedData({ a: 'text!' }); // 9 bytes: neither 1 nor 8
    await invalidData(() => deserializeProtectedData(zip, { a: 'bool' }));
    await invalidData(() => deserializeProtectedData(zip, { a: 'f64' }));
    const { zip: badBool } = serializeProtectedData({ a: Uint8Array.of(2) });
    await invalidData(() => readProtectedValue(badBool, 'a', 'bool'));
    const { zip: nan } = serializeProtectedData({ a: new Uint8Array(new Float64Array([Number.NaN]).buffer) });
    await invalidData(() => readProtectedValue(nan, 'a', 'f64'));
    const { zip: badUtf8 } = serializeProtectedData({ a: Uint8Array.of(1, 0, 0, 0, 0xff) });
    await invalidData(() => readProtectedValue(badUtf8, 'a', 'string'));
  });

  it('error: an unknown schema type or a malformed schema', async () => {
    const { zip } = serializeProtectedData({ a: 1 });
    await invalidData(() => deserializeProtectedData(zip, { a: 'number' } as unknown as ProtectedDataSchema));
    await invalidData(() => deserializeProtectedData(zip, {}));
  });

  it('error: bytes that are not a zip, a truncated zip, or an entry that does not inflate', async () => {
    await invalidData(() => deserializeProtectedData(Buffer.from('not a zip at all, sorry')));
    const { zip, schema } = serializeProtectedData({ a: 'hello' });
    await invalidData(() => deserializeProtectedData(zip.subarray(0, zip.length - 1), schema));
    await invalidData(() => deserializeProtectedData(zip.subarray(0, 34), schema));
    const deflated = zipSync({ a: [Buffer.from('0500000068656c6c6f', 'hex'), { level: 9 }] });
    const corrupt = new Uint8Array(deflated);
    corrupt[31] = 0xff; // the first DEFLATE block header: a reserved block type
    await invalidData(() => deserializeProtectedData(corrupt, schema));
  });

  it('error: a zip entry that escapes its folder, or appears twice', async () => {
    await invalidData(() => deserializeProtectedData(writeZip([{ name: '../etc/passwd', data: Uint8Array.of(1) }])));
    await invalidData(() => deserializeProtectedData(writeZip([{ name: '/abs', data: Uint8Array.of(1) }])));
    const once = Buffer.from(writeZip([{ name: 'a', data: Uint8Array.of(1) }]));
    // Two central-directory records for "a", both pointing at the same local entry.
    const central = once.subarray(once.indexOf(Buffer.from('504b0102', 'hex')), once.length - 22);
    const end = Buffer.from(once.subarray(once.length - 22));
    end.writeUInt16LE(2, 8);
    end.writeUInt16LE(2, 10);
    end.writeUInt32LE(central.length * 2, 12);
    const twice = Buffer.concat([once.subarray(0, once.length - 22 - central.length), central, central, end]);
    await invalidData(() => deserializeProtectedData(twice));
  });
});

describe('readProtectedValue', () => {
  it('reads one value by dotted path, like the iExec deserializer getValue', () => {
    const { zip } = serializeProtectedData(data);
    assert.equal(readProtectedValue(zip, 'flags.beta', 'bool'), true);
    assert.equal(readProtectedValue(zip, 'score', 'f64'), -0.125);
    assert.equal(readProtectedValue(zip, 'big', 'i128'), 2n ** 127n - 1n);
    assert.equal(readProtectedValue(zip, 'name', 'string'), 'Ada');
    assert.deepEqual(readProtectedValue(zip, 'doc', 'application/pdf'), new Uint8Array(data.doc));
  });

  it('error: no value at the path', async () => {
    const { zip } = serializeProtectedData(data);
    await invalidData(() => readProtectedValue(zip, 'flags.missing', 'bool'));
  });
});

describe('sniffMimeType', () => {
  const samples: [string, number[] | string][] = [
    ['application/pdf', '%PDF-1.4'],
    ['application/xml', '<?xml version="1.0"?>'],
    ['application/zip', [0x50, 0x4b, 3, 4, 0]],
    ['audio/midi', 'MThd\0\0\0\x06'],
    ['audio/mpeg', 'ID3\x04'],
    ['audio/mpeg', [0xff, 0xfb, 0x90]],
    ['audio/x-wav', 'RIFF\0\0\0\0WAVEfmt '],
    ['image/webp', 'RIFF\0\0\0\0WEBPVP8 '],
    ['video/x-msvideo', 'RIFF\0\0\0\0AVI LIST'],
    ['image/gif', 'GIF89a'],
    ['image/jpeg', [0xff, 0xd8, 0xff, 0xe0]],
    ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
    ['video/mp4', '\0\0\0\x20ftypisom\0\0\x02\0'],
    ['video/mpeg', [0, 0, 1, 0xba]],
    ['image/bmp', `BM${'\0'.repeat(30)}`],
    ['application/octet-stream', 'hello'],
    ['application/octet-stream', []],
  ];
  for (const [mime, sample] of samples) {
    it(`recognises ${mime} from ${JSON.stringify(sample).slice(0, 24)}`, () => {
      const bytes = typeof sample === 'string' ? Buffer.from(sample, 'latin1') : Uint8Array.from(sample);
      assert.equal(sniffMimeType(bytes), mime);
    });
  }
});
