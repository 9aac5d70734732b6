// The committed sample dataset is exactly what generate.mjs writes: regenerated here and compared.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('generate.mjs', () => {
  it('writes air-quality.csv byte for byte: same seed, same file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'confide-generate-'));
    try {
      const file = path.join(dir, 'air-quality.csv');
      execFileSync(process.execPath, [path.join(import.meta.dirname, 'generate.mjs'), file]);
      const committed = readFileSync(path.join(import.meta.dirname, 'air-quality.csv'));
      assert.equal(
        sha256(readFileSync(file)),
        sha256(committed),
        'regenerate with `node apps/climate-stats-data/generate.mjs`',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has the documented header, six stations, a year of hourly rows and a few malformed lines', () => {
    const lines = readFileSync(path.join(import.meta.dirname, 'air-quality.csv'), 'utf8')
      .trimEnd()
      .split('\n');
    assert.equal(lines[0], 'station,timestamp,pm2_5,pm10,no2,o3,temperature');
    assert.equal(lines.length - 1, 6 * 366 * 24);
    assert.deepEqual([...new Set(lines.slice(1).map((line) => line.split(',')[0]))].sort(), [
      'amsterdam-01',
      'berlin-01',
      'krakow-01',
      'madrid-01',
      'milano-01',
      'paris-01',
    ]);
    const malformed = lines.filter((line) => line.split(',').length !== 7 || !line.includes('Z,'));
    assert.ok(malformed.length > 0 && malformed.length < 100, `${malformed.length} malformed lines`);
  });
});
