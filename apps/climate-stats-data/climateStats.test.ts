// climate-stats run directly with node on the committed sample, on a hand-made CSV whose numbers
// are worked out below, and on bad input; its result compared with reference.mjs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { computeClimateStats } from './reference.mjs';
import { type ClimateStatsRun, runClimateStats } from './runClimateStats.js';

const SAMPLE = path.join(import.meta.dirname, 'air-quality.csv');
const resultText = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const hh = (hour: number) => String(hour).padStart(2, '0');

/**
 * Station a: 2024-05-01 00–19 h pm25 = 1…20 (mean 10.5, p95 by nearest rank = the 19th value,
 * 19), temperature 2.5 / -1.5 alternately; 2024-06-10 10–17 h without 13 h, o3 = 101 (seven
 * hours ≥ 6: one 8-hour mean above 100) and no2 = 30 (a day above 25); 2024-06-11 10–14 h
 * o3 = 300 (five hours: no 8-hour mean) and no2 = 25 (not above); 2024-06-12 10–17 h o3 = 100
 * (not above); 23:30 at UTC−1 on 31 May, i.e. 1 June UTC, pm25 = 40 (a day above 15).
 * Station b: one row, pm25 "n/a". Four malformed lines, a blank line, CRLF endings, an extra
 * column (humidity), the old name pm25, no pm10 column.
 */
function handMadeCsv(): string {
  const lines = ['timestamp,o3,station,pm25,humidity,no2,temperature'];
  for (let hour = 0; hour < 20; hour++) {
    lines.push(`2024-05-01T${hh(hour)}:00:00Z,,a,${hour + 1},55,,${hour % 2 === 0 ? 2.5 : -1.5}`);
  }
  for (let hour = 10; hour <= 17; hour++) if (hour !== 13) lines.push(`2024-06-10T${hh(hour)}:00Z,101,a,,60,30,20`);
  for (let hour = 10; hour <= 14; hour++) lines.push(`2024-06-11T${hh(hour)}:00Z,300,a,,60,25,21`);
  for (let hour = 10; hour <= 17; hour++) lines.push(`2024-06-12T${hh(hour)}:00Z,100,a,,60,,22`);
  lines.push('2024-05-31T23:30-01:00,,a,40,50,,');
  lines.push('2024-05-01T00:00:00Z,50,b,n/a,1,26,');
  lines.push('2024-05-01T01:00:00,,b,3,1,2,3', '2024-05-01T02:00Z,,b,3', '2024-05-01T03:00Z,,,3,1,2,3');
  lines.push('', '2024-02-30T00:00Z,1,b,1,1,1,1');
  return `${lines.join('\r\n')}\r\n`;
}

/** Checks that `svg` is one balanced tree of tags with escaped text (no XML parser in Node). */
function assertWellFormedSvg(svg: string) {
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), 'starts with the svg root');
  const stack: string[] = [];
  let roots = 0;
  const text = svg.replace(
    /<(\/?)([a-zA-Z][\w-]*)((?:\s+[\w:-]+="[^"<&]*")*)\s*(\/?)>/g,
    (_tag, close, name, _a, self) => {
      if (close) assert.equal(stack.pop(), name, `</${name}> closes the open element`);
      else {
        if (stack.length === 0) roots++;
        if (!self) stack.push(name);
      }
      return '';
    },
  );
  assert.deepEqual(stack, [], 'every element is closed');
  assert.equal(roots, 1, 'one root element');
  assert.doesNotMatch(text.replace(/&(amp|lt|gt|quot|apos);/g, ''), /[<>&]/, 'no stray markup in text');
}

describe('climate-stats app', () => {
  it('computes on the committed sample what the reference implementation computes, byte for byte', () => {
    const csv = readFileSync(SAMPLE, 'utf8');
    const run = runClimateStats(csv, 'air-quality.csv');
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(run.files.get('result.json'), resultText(computeClimateStats(csv)));
    assert.deepEqual(JSON.parse(run.files.get('computed.json') ?? ''), {
      'deterministic-output-path': path.join(run.outputDir, 'result.json'),
    });
    assert.deepEqual([...run.files.keys()].sort(), ['chart.svg', 'computed.json', 'result.json']);
    const svg = run.files.get('chart.svg') ?? '';
    assertWellFormedSvg(svg);
    for (const station of ['amsterdam-01', 'berlin-01', 'krakow-01', 'madrid-01', 'milano-01', 'paris-01']) {
      assert.ok(svg.includes(`>${station}</text>`), `the legend names ${station}`);
    }
    assert.match(svg, /WHO 2021 24-hour/);
  });

  it('computes means, nearest-rank p95 and WHO exceedance days as worked out by hand', () => {
    const csv = handMadeCsv();
    const run = runClimateStats(csv);
    assert.equal(run.exitCode, 0, run.stderr);
    const result = JSON.parse(run.files.get('result.json') ?? '');
    assert.deepEqual(
      { rows: result.rows, skippedRows: result.skippedRows, stations: result.stations },
      { rows: 46, skippedRows: 4, stations: 2 },
    );
    const a = result.byStation.a;
    assert.deepEqual(a.months['2024-05'].pm2_5, { count: 20, mean: 10.5, min: 1, max: 20, p95: 19 });
    assert.deepEqual(a.months['2024-05'].temperature, { count: 20, mean: 0.5, min: -1.5, max: 2.5, p95: 2.5 });
    assert.deepEqual(Object.keys(a.months), ['2024-05', '2024-06']);
    assert.deepEqual(Object.keys(a.months['2024-06']), ['pm2_5', 'no2', 'o3', 'temperature']);
    assert.deepEqual(a.months['2024-06'].pm2_5, { count: 1, mean: 40, min: 40, max: 40, p95: 40 });
    assert.deepEqual(a.months['2024-06'].o3, { count: 20, mean: 150.35, min: 100, max: 300, p95: 300 });
    assert.deepEqual(a.exceedanceDays, { pm2_5: 1, no2: 1, o3: 1 });
    assert.deepEqual(result.byStation.b.months['2024-05'].pm2_5, {
      count: 0,
      mean: null,
      min: null,
      max: null,
      p95: null,
    });
    assert.deepEqual(result.byStation.b.exceedanceDays, { pm2_5: 0, no2: 1, o3: 0 });
    assert.equal(run.files.get('result.json'), resultText(computeClimateStats(csv)));
    assert.match(run.stderr, /skipped 4 malformed lines \(first: line 44: the timestamp is not ISO-8601/);
  });

  it('writes the same bytes twice, chart included', () => {
    const [first, second] = [runClimateStats(handMadeCsv()), runClimateStats(handMadeCsv())];
    assert.equal(first.files.get('result.json'), second.files.get('result.json'));
    assert.equal(first.files.get('chart.svg'), second.files.get('chart.svg'));
    assertWellFormedSvg(first.files.get('chart.svg') ?? '');
  });

  it('accepts a temperature-only dataset, in another column order, and escapes station names in the chart', () => {
    const csv = 'temperature,timestamp,station\n-3,2024-01-01T00:00:00Z,x&<y>\n';
    const run = runClimateStats(csv);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(run.files.get('result.json'), resultText(computeClimateStats(csv)));
    assert.deepEqual(JSON.parse(run.files.get('result.json') ?? '').byStation['x&<y>'].exceedanceDays, {});
    assertWellFormedSvg(run.files.get('chart.svg') ?? '');
    assert.ok(run.files.get('chart.svg')?.includes('x&amp;&lt;y&gt;'));
  });
});

describe('climate-stats app, bad input', () => {
  const failure = (run: ClimateStatsRun) => {
    assert.equal(run.exitCode, 1);
    const computed = JSON.parse(run.files.get('computed.json') ?? '');
    assert.equal(computed['deterministic-output-path'], path.join(run.outputDir, 'error.txt'));
    assert.equal(run.files.get('error.txt'), `${computed['error-message']}\n`);
    assert.equal(run.files.has('result.json'), false);
    return computed['error-message'] as string;
  };

  it('error: no dataset', () => {
    assert.match(failure(runClimateStats(undefined)), /^no dataset: IEXEC_DATASET_FILENAME is not set$/);
  });

  it('error: a header without a station column, reported without echoing the dataset', () => {
    const message = failure(runClimateStats('secret-reading,2024-01-01T00:00:00Z,12.5\n'));
    assert.match(message, /not a header with a "station" column \(3 columns, none recognised\)/);
    assert.doesNotMatch(message, /secret-reading|12\.5/);
  });

  it('error: a header without any measured column', () => {
    assert.match(failure(runClimateStats('station,timestamp,humidity\n')), /no measured column/);
  });

  it('error: pm25 and pm2_5 both present', () => {
    assert.match(failure(runClimateStats('station,timestamp,pm25,pm2_5\n')), /names the "pm2_5" column twice/);
  });

  it('error: only malformed rows, or none', () => {
    assert.match(
      failure(runClimateStats('station,timestamp,no2\na,yesterday,1\na,2024-01-01T00:00Z\n')),
      /no valid row: all 2 were skipped \(line 2: the timestamp/,
    );
    assert.match(failure(runClimateStats('station,timestamp,no2\n\n')), /a header but no rows/);
    assert.match(failure(runClimateStats('')), /the dataset is empty/);
  });
});
