import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { deserializeProtectedData } from './deserializeProtectedData.js';
import { expectCryptoError } from './expectCryptoError.js';
import { type ProtectedData, serializeProtectedData } from './serializeProtectedData.js';
import { readZip } from './zip.js';

const png = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13);

describe('serializeProtectedData', () => {
  it('writes one Borsh-encoded entry per leaf at its folder path, and the schema of types', () => {
    const { zip, schema } = serializeProtectedData({
      email: 'ä@b.c',
      profile: { age: 42.5, vip: true, balance: -2n, avatar: png, raw: new Uint8Array([1, 2, 3]).buffer },
    });
    assert.deepEqual(schema, {
      email: 'string',
      profile: { age: 'f64', avatar: 'image/png', balance: 'i128', raw: 'application/octet-stream', vip: 'bool' },
    });
    const files = readZip(zip);
    assert.deepEqual(
      [...files.keys()],
      ['email', 'profile/age', 'profile/avatar', 'profile/balance', 'profile/raw', 'profile/vip'],
    );
    assert.equal(
      Buffer.from(files.get('email') as Uint8Array).toString('hex'),
      `06000000${Buffer.from('ä@b.c').toString('hex')}`,
    );
    assert.equal(Buffer.from(files.get('profile/age') as Uint8Array).readDoubleLE(0), 42.5);
    assert.equal(Buffer.from(files.get('profile/balance') as Uint8Array).toString('hex'), 'fe'.padEnd(32, 'f'));
    assert.deepEqual(files.get('profile/vip'), Uint8Array.of(1));
    assert.deepEqual(files.get('profile/avatar'), png);
  });

  it('is deterministic: the same object in any key order gives the same bytes', () => {
    const a = serializeProtectedData({ b: 1, a: { y: 'y', x: true } });
    const b = serializeProtectedData({ a: { x: true, y: 'y' }, b: 1 });
    assert.deepEqual(a.zip, b.zip);
    assert.equal(JSON.stringify(a.schema), JSON.stringify(b.schema));
    assert.equal(createHash('sha256').update(a.zip).digest('hex'), createHash('sha256').update(b.zip).digest('hex'));
  });

  it('is deterministic in every time zone: every entry dated 1980-01-01 00:00 (DOS date 0x0021, time 0)', () => {
    const saved = process.env.TZ;
    try {
      const zips = ['UTC', 'Pacific/Kiritimati', 'America/St_Johns', 'Asia/Kathmandu'].map((zone) => {
        process.env.TZ = zone;
        return serializeProtectedData({ a: 1, b: { c: 'x' } }).zip;
      });
      for (const zip of zips) assert.deepEqual(zip, zips[0]);
      const bytes = Buffer.from(zips[0] as Uint8Array);
      assert.equal(bytes.readUInt16LE(10), 0, 'DOS time');
      assert.equal(bytes.readUInt16LE(12), 0x0021, 'DOS date');
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('orders entries as JavaScript orders object keys: array-index names first, numerically', () => {
    const { zip } = serializeProtectedData({ b: true, 10: true, 9: true, a: { 10: true, 9: true } });
    assert.deepEqual([...readZip(zip).keys()], ['9', '10', 'a/10', 'a/9', 'b']);
  });

  it('encodes the i128 bounds and rejects one past them', async () => {
    const { zip, schema } = serializeProtectedData({ min: -(2n ** 127n), max: 2n ** 127n - 1n });
    assert.deepEqual(deserializeProtectedData(zip, schema), { max: 2n ** 127n - 1n, min: -(2n ** 127n) });
    const error = await expectCryptoError(
      () => serializeProtectedData({ n: { big: 2n ** 127n } }),
      'ProtectedDataInvalidError',
      'CONFIDE_CRYPTO_PROTECTED_DATA_INVALID',
    );
    assert.equal((error as unknown as { path: string }).path, 'n.big');
  });

  const invalid: [string, unknown, string][] = [
    ['an empty root', {}, ''],
    ['an empty nested object', { a: { b: {} } }, 'a.b'],
    ['an array', { list: [1, 2] }, 'list'],
    ['null', { a: { n: null } }, 'a.n'],
    ['undefined', { u: undefined }, 'u'],
    ['NaN', { x: Number.NaN }, 'x'],
    ['Infinity', { x: Number.POSITIVE_INFINITY }, 'x'],
    ['a Date', { d: new Date(0) }, 'd'],
    ['a function', { f: () => 1 }, 'f'],
    ['a key with a dot', { 'a.b': 1 }, 'a.b'],
    ['a key with a slash', { 'a/b': 1 }, 'a/b'],
    ['an empty key', { '': 1 }, ''],
    ['a root array', [1], ''],
    ['a root null', null, ''],
  ];
  for (const [title, data, path] of invalid) {
    it(`error: ${title}, naming the path`, async () => {
      const error = await expectCryptoError(
        () => serializeProtectedData(data as ProtectedData),
        'ProtectedDataInvalidError',
        'CONFIDE_CRYPTO_PROTECTED_DATA_INVALID',
      );
      assert.equal((error as unknown as { path: string }).path, path);
    });
  }

  it('error: a top-level key "__proto__" (fflate cannot write it)', async () => {
    await expectCryptoError(
      () => serializeProtectedData(JSON.parse('{"__proto__": 1}')),
      'ProtectedDataInvalidError',
      'CONFIDE_CRYPTO_PROTECTED_DATA_INVALID',
    );
  });

  it('error: a circular reference', async () => {
    const data: Record<string, unknown> = { a: 1 };
    data.self = data;
    await expectCryptoError(
      () => serializeProtectedData(data as ProtectedData),
      'ProtectedDataInvalidError',
      'CONFIDE_CRYPTO_PROTECTED_DATA_INVALID',
    );
  });
});
