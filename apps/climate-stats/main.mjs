// Air-quality statistics over a protected dataset, the founding use case of Confide. Reads the CSV
// (or the protected-data zip holding it) at $IEXEC_IN/$IEXEC_DATASET_FILENAME line by line, and
// writes $IEXEC_OUT/result.json — per station and month: count, mean, min, max, p95 of each
// pollutant and the temperature; per station: days above the WHO 2021 guidelines — with
// $IEXEC_OUT/chart.svg beside it. result.json is the deterministic output. Only aggregates leave
// the enclave: no reading, and no text of the dataset, is copied to the result or to an error.
// Method and result shape: apps/README.md. Arguments are ignored.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { aggregateReadings, DatasetError } from './aggregateReadings.mjs';
import { openDataset } from './openDataset.mjs';
import { renderChart } from './renderChart.mjs';

const input = process.env.IEXEC_IN ?? '/iexec_in';
const out = process.env.IEXEC_OUT ?? '/iexec_out';

/** Declares an error file as the output, with the reason in computed.json, and exits 1. */
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

/** Streams the dataset through the aggregation; returns the result object. */
async function computeStatistics(file) {
  let stats;
  let lineNumber = 0;
  try {
    for await (const line of createInterface({ input: openDataset(file), crlfDelay: Number.POSITIVE_INFINITY })) {
      lineNumber++;
      if (line.trim() === '') continue;
      if (stats === undefined) stats = aggregateReadings(line);
      else stats.add(line, lineNumber);
    }
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    throw new DatasetError(`cannot read the dataset: ${error.code ?? error.message}`);
  }
  if (stats === undefined) throw new DatasetError('the dataset is empty');
  const skipped = stats.skipped();
  if (skipped.count > 0) console.error(`skipped ${skipped.count} malformed lines (first: ${skipped.first})`);
  return stats.result();
}

try {
  const filename = process.env.IEXEC_DATASET_FILENAME;
  if (!filename) throw new DatasetError('no dataset: IEXEC_DATASET_FILENAME is not set');
  const result = await computeStatistics(path.join(input, filename));
  const resultFile = path.join(out, 'result.json');
  writeFileSync(resultFile, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(path.join(out, 'chart.svg'), renderChart(result));
  writeFileSync(path.join(out, 'computed.json'), JSON.stringify({ 'deterministic-output-path': resultFile }));
  console.log(`wrote ${resultFile}: ${result.rows} rows, ${result.stations} stations`);
} catch (error) {
  fail(error instanceof DatasetError ? error.message : `climate-stats failed: ${error.message}`);
}
