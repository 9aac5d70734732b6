// Air-quality statistics over a protected dataset: reads the CSV at
// $IEXEC_IN/$IEXEC_DATASET_FILENAME (columns timestamp,station,pm25,no2), computes count, mean,
// min and max per pollutant, and writes them to $IEXEC_OUT/result.json, the deterministic
// output. Only aggregates leave the enclave; no reading is copied to the result.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const POLLUTANTS = ['pm25', 'no2'];
const input = process.env.IEXEC_IN ?? '/iexec_in';
const out = process.env.IEXEC_OUT ?? '/iexec_out';

function fail(message) {
  const errorFile = path.join(out, 'error.txt');
  writeFileSync(errorFile, `${message}\n`);
  writeFileSync(
    path.join(out, 'computed.json'),
    JSON.stringify({ 'deterministic-output-path': errorFile, 'error-message': message }),
  );
  console.error(message);
  process.exit(1);
}

/** Rounds to 3 decimals so the result does not depend on summation noise. */
const round = (value) => Math.round(value * 1000) / 1000;

function statistics(csv) {
  const lines = csv.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = (lines.shift() ?? '').split(',').map((name) => name.trim());
  for (const column of ['timestamp', 'station', ...POLLUTANTS]) {
    if (!header.includes(column)) fail(`the dataset has no "${column}" column (header: ${header.join(',')})`);
  }
  const stats = Object.fromEntries(
    POLLUTANTS.map((name) => [
      name,
      { count: 0, sum: 0, min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY },
    ]),
  );
  const stations = new Set();
  let skipped = 0;
  for (const line of lines) {
    const cells = line.split(',').map((cell) => cell.trim());
    if (cells.length !== header.length) {
      skipped++;
      continue;
    }
    stations.add(cells[header.indexOf('station')]);
    for (const name of POLLUTANTS) {
      const cell = cells[header.indexOf(name)];
      const value = Number(cell);
      if (cell === '' || !Number.isFinite(value)) continue;
      const s = stats[name];
      s.count++;
      s.sum += value;
      s.min = Math.min(s.min, value);
      s.max = Math.max(s.max, value);
    }
  }
  const pollutants = Object.fromEntries(
    POLLUTANTS.map((name) => {
      const s = stats[name];
      return [
        name,
        s.count === 0
          ? { count: 0, mean: null, min: null, max: null }
          : { count: s.count, mean: round(s.sum / s.count), min: s.min, max: s.max },
      ];
    }),
  );
  return { rows: lines.length, skippedRows: skipped, stations: stations.size, pollutants };
}

const filename = process.env.IEXEC_DATASET_FILENAME;
if (!filename) fail('no dataset: IEXEC_DATASET_FILENAME is not set');
let csv;
try {
  csv = readFileSync(path.join(input, filename), 'utf8');
} catch (error) {
  fail(`cannot read the dataset ${filename}: ${error.code ?? error.message}`);
}
const result = path.join(out, 'result.json');
writeFileSync(result, `${JSON.stringify(statistics(csv), null, 2)}\n`);
writeFileSync(path.join(out, 'computed.json'), JSON.stringify({ 'deterministic-output-path': result }));
console.log(`wrote ${result}`);
