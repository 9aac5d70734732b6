import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { serializeProtectedData } from '../../crypto/src/index.js';
import { DataProtectorDeserializer } from './deserializer.js';

const png = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13);

describe('DataProtectorDeserializer (inside an app)', () => {
  let dir: string;
  let file: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'deserializer-'));
    file = path.join(dir, 'dataset.zip');
    const { zip } = serializeProtectedData({
      contact: { email: 'lab@example.org', vip: true },
      readings: 52704,
      balance: -(2n ** 100n),
      picture: png,
    });
    await writeFile(file, zip);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('getValue reads each type by its dotted key path', async () => {
    const deserializer = new DataProtectorDeserializer({ protectedDataPath: file });
    assert.equal(await deserializer.getValue('contact.email', 'string'), 'lab@example.org');
    assert.equal(await deserializer.getValue('contact.vip', 'bool'), true);
    assert.equal(await deserializer.getValue('readings', 'f64'), 52704);
    assert.equal(await deserializer.getValue('balance', 'i128'), -(2n ** 100n));
    assert.deepEqual(await deserializer.getValue('picture', 'image/png'), png);
  });

  it('finds the dataset where the enclave puts it: $IEXEC_IN/$IEXEC_DATASET_FILENAME', async () => {
    const saved = { in: process.env.IEXEC_IN, name: process.env.IEXEC_DATASET_FILENAME };
    process.env.IEXEC_IN = dir;
    process.env.IEXEC_DATASET_FILENAME = 'dataset.zip';
    try {
      assert.equal(await new DataProtectorDeserializer().getValue('contact.email', 'string'), 'lab@example.org');
    } finally {
      for (const [key, value] of [
        ['IEXEC_IN', saved.in],
        ['IEXEC_DATASET_FILENAME', saved.name],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  const refusals: [string, () => Promise<unknown>, RegExp][] = [
    [
      'no path and no enclave variables',
      () => new DataProtectorDeserializer().getValue('a', 'string'),
      /IEXEC_IN \/ IEXEC_DATASET_FILENAME are not set/,
    ],
    [
      'a file that does not exist',
      () => new DataProtectorDeserializer({ protectedDataPath: '/nonexistent/x.zip' }).getValue('a', 'string'),
      /cannot read \/nonexistent\/x.zip/,
    ],
    [
      'a key that is absent',
      () => new DataProtectorDeserializer({ protectedDataPath: file }).getValue('contact.phone', 'string'),
      /^contact\.phone: /,
    ],
    [
      'a value of another type',
      () => new DataProtectorDeserializer({ protectedDataPath: file }).getValue('contact.vip', 'f64'),
      /^contact\.vip: /,
    ],
  ];
  for (const [what, run, details] of refusals) {
    it(`error: ${what} → CONFIDE_DATAPROTECTOR_INVALID_PARAMETER`, async () => {
      await assert.rejects(run(), (error: { name: string; code: string; details?: string }) => {
        assert.equal(error.name, 'DataProtectorError');
        assert.equal(error.code, 'CONFIDE_DATAPROTECTOR_INVALID_PARAMETER');
        assert.match(error.details ?? '', details);
        return true;
      });
    });
  }
});
