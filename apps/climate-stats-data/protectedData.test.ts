// climate-stats on a Confide protected-data zip (docs/formats.md) instead of a bare CSV: the CSV
// as a string leaf, as a file leaf, and in DEFLATE zips as other tools write them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { crc32, deflateRawSync } from 'node:zlib';
import { serializeProtectedData } from '../../packages/crypto/src/index.js';
import { readZip } from '../../packages/crypto/src/zip.js';
import { computeClimateStats } from './reference.mjs';
import { type ClimateStatsRun, runClimateStats } from './runClimateStats.js';

const SAMPLE = readFileSync(path.join(import.meta.dirname, 'air-quality.csv'), 'utf8');
const SMALL = [
  'station,timestamp,pm2_5,no2',
  'paris-01,2024-03-01T13:00:00Z,12.5,40.1',
  'paris-01,2024-03-01T14:00:00Z,18.25,38.7',
  'lyon-01,2024-03-01T13:00:00Z,7.75,22.4',
].join('\n');
const expected = (csv: string) => `${JSON.stringify(computeClimateStats(csv), null, 2)}\n`;

/** A Borsh string, as protected data stores a string leaf: u32-LE byte length ‖ UTF-8. */
function borshString(text: string): Buffer {
  const bytes = Buffer.from(text);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** A zip of DEFLATE entries (entries without data are folders), laid out as Info-ZIP writes one. */
function deflateZip(entries: { name: string; data?: Uint8Array; declaredSize?: number; crc?: number }[]): Buffer {
  const parts: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const { name, data, declaredSize, crc } of entries) {
    const nameBytes = Buffer.from(name);
    const compressed = data ? deflateRawSync(data) : Buffer.alloc(0);
    const fields = (header: Buffer, at: number) => {
      header.writeUInt16LE(20, at); // version needed
      header.writeUInt16LE(data ? 8 : 0, at + 4); // method
      header.writeUInt32LE(crc ?? (data ? crc32(data) : 0), at + 10);
      header.writeUInt32LE(compressed.length, at + 14);
      header.writeUInt32LE(declaredSize ?? data?.length ?? 0, at + 18);
      header.writeUInt16LE(nameBytes.length, at + 22);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    fields(local, 4);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // version made by
    fields(central, 6);
    central.writeUInt32LE(offset, 42);
    parts.push(local, nameBytes, compressed);
    directory.push(central, nameBytes);
    offset += 30 + nameBytes.length + compressed.length;
  }
  const centralDirectory = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, centralDirectory, end]);
}

const failure = (run: ClimateStatsRun) => {
  assert.equal(run.exitCode, 1);
  assert.equal(run.files.has('result.json'), false);
  const computed = JSON.parse(run.files.get('computed.json') ?? '');
  assert.equal(computed['deterministic-output-path'], path.join(run.outputDir, 'error.txt'));
  return computed['error-message'] as string;
};

describe('climate-stats app on protected data', () => {
  it('reads the CSV from the string leaf "csv" of serializeProtectedData', () => {
    const { zip } = serializeProtectedData({ csv: SMALL, stations: 2 });
    const run = runClimateStats(zip, 'protected.zip');
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(run.files.get('result.json'), expected(SMALL));
  });

  it('reads the only file leaf when no key is named csv or data, beside string, number and bool leaves', () => {
    const { zip } = serializeProtectedData({
      readings: new TextEncoder().encode(SMALL),
      title: 'Air quality readings, spring 2024',
      version: 2,
      public: false,
    });
    const run = runClimateStats(zip, 'protected.zip');
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(run.files.get('result.json'), expected(SMALL));
  });

  it('streams a DEFLATE entry: the sample as a string leaf "csv", folder entries skipped', () => {
    const zip = deflateZip([
      { name: 'meta/' },
      { name: 'csv', data: borshString(SAMPLE) },
      { name: 'meta/x', data: borshString('x') },
    ]);
    assert.equal(readZip(zip).size, 2, 'the test zip reads with the library zip reader too');
    const run = runClimateStats(zip, 'protected.zip');
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(run.files.get('result.json'), expected(SAMPLE));
  });

  it('reads a DEFLATE file entry named "data"', () => {
    const run = runClimateStats(deflateZip([{ name: 'data', data: Buffer.from(SMALL) }]), 'protected.zip');
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(run.files.get('result.json'), expected(SMALL));
  });

  it('error: no entry that can be the CSV', () => {
    const { zip } = serializeProtectedData({ count: 3, ok: true, note: 'a string is not a file, however long' });
    assert.match(
      failure(runClimateStats(zip, 'protected.zip')),
      /the protected data has no CSV: expected a key "csv" or "data", or exactly one file entry \(found 0; keys: count, note, ok\)/,
    );
    const two = serializeProtectedData({ a: new TextEncoder().encode(SMALL), b: new TextEncoder().encode(SMALL) });
    assert.match(failure(runClimateStats(two.zip, 'protected.zip')), /\(found 2; keys: a, b\)/);
  });

  it('error: a damaged zip — cut short, corrupt DEFLATE data at its start or further on, or a wrong size or CRC-32', () => {
    const { zip } = serializeProtectedData({ csv: SMALL });
    assert.match(failure(runClimateStats(zip.subarray(0, zip.length - 30), 'p.zip')), /no central directory/);
    const early = deflateZip([{ name: 'data', data: Buffer.from(SAMPLE) }]).fill(0xff, 1000, 1200);
    assert.match(failure(runClimateStats(early, 'p.zip')), /^zip entry "data" does not inflate: Z_DATA_ERROR$/);
    const late = deflateZip([{ name: 'data', data: Buffer.from(SAMPLE) }]).fill(0xff, 400_000, 400_200);
    assert.match(failure(runClimateStats(late, 'p.zip')), /^cannot read the dataset: Z_DATA_ERROR$/);
    const lying = deflateZip([{ name: 'data', data: Buffer.from(SMALL), declaredSize: SMALL.length + 1 }]);
    assert.match(failure(runClimateStats(lying, 'p.zip')), /zip entry "data" holds \d+ bytes, its header says \d+/);
    const crc = (crc32(Buffer.from(SMALL)) ^ 1) >>> 0;
    const flipped = deflateZip([{ name: 'data', data: Buffer.from(SMALL), crc }]);
    assert.match(failure(runClimateStats(flipped, 'p.zip')), /zip entry "data" does not match its CRC-32/);
  });
});
