// The statistics of climate-stats, computed one CSV line at a time so that only aggregates stay
// in memory: per station and UTC month, count / mean / min / max / p95 of each measured column;
// per station, the days above the WHO 2021 guideline levels. The method is described in
// apps/README.md; apps/climate-stats-data/reference.mjs computes the same result independently.

/** Measured columns, in output order, with the header names accepted for each (lower case). */
const METRICS = [
  { name: 'pm2_5', headers: ['pm2_5', 'pm25'] },
  { name: 'pm10', headers: ['pm10'] },
  { name: 'no2', headers: ['no2'] },
  { name: 'o3', headers: ['o3'] },
  { name: 'temperature', headers: ['temperature'] },
];

/** WHO 2021 air quality guideline levels, µg/m³: 24-hour means, and the 8-hour mean for o3. */
export const WHO_LIMITS = { pm2_5: 15, pm10: 45, no2: 25, o3: 100 };

/** Hourly values an 8-hour o3 mean needs (6 of 8, the 75 % data capture of EU Directive 2008/50/EC). */
const O3_MIN_HOURS = 6;
const HOUR_MS = 3_600_000;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A problem with the dataset itself, reported to the requester as the task's error message. */
export class DatasetError extends Error {
  name = 'DatasetError';
}

/** Rounds to 3 decimals (half up, as Math.round), so the result does not depend on summation noise. */
const round = (value) => Math.round(value * 1000) / 1000;

/**
 * Parses an ISO-8601 timestamp with a `Z` or `±hh:mm` zone into hours since 1970 (UTC, minutes
 * and seconds dropped); `undefined` when it is not one or names an impossible date.
 * @example parseHour('2024-03-01T13:00:00Z') // 474805
 */
function parseHour(text) {
  const match = TIMESTAMP.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0));
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const zone = match[7];
  const zoneHours = Number(zone.slice(1, 3));
  const zoneMinutes = Number(zone.slice(4));
  if (zone !== 'Z' && (zoneHours > 23 || zoneMinutes > 59)) return undefined;
  const offset = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (zoneHours * 60 + zoneMinutes);
  return Math.floor((Date.UTC(year, month - 1, day, hour, minute) - offset * 60_000) / HOUR_MS);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (year) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const daysInMonth = (year, month) => (month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]);

/** `YYYY-MM-DD` of an hour since 1970. */
const dayOf = (hour) => new Date(hour * HOUR_MS).toISOString().slice(0, 10);

/** A growable list of doubles: 8 bytes a value, kept for the p95. */
function createSeries() {
  return { values: new Float64Array(16), length: 0 };
}

function push(series, value) {
  if (series.length === series.values.length) {
    const grown = new Float64Array(series.length * 2);
    grown.set(series.values);
    series.values = grown;
  }
  series.values[series.length++] = value;
}

/** count, mean (values summed in file order), min, max and p95 (nearest rank: the ⌈0.95·n⌉-th smallest). */
function summarize(series) {
  const n = series.length;
  if (n === 0) return { count: 0, mean: null, min: null, max: null, p95: null };
  const values = series.values.subarray(0, n);
  let sum = 0;
  for (const value of values) sum += value;
  const sorted = values.slice().sort();
  return {
    count: n,
    mean: round(sum / n),
    min: round(sorted[0]),
    max: round(sorted[n - 1]),
    p95: round(sorted[Math.ceil((95 * n) / 100) - 1]),
  };
}

/** Adds a value to the `{ sum, count }` kept under `key`. */
function accumulate(map, key, value) {
  const entry = map.get(key);
  if (entry) {
    entry.sum += value;
    entry.count++;
  } else map.set(key, { sum: value, count: 1 });
}

/** Days whose 24-hour mean, rounded to 3 decimals, is above `limit`. */
function daysAboveDailyLimit(daily, limit) {
  let days = 0;
  for (const { sum, count } of daily.values()) if (round(sum / count) > limit) days++;
  return days;
}

/** Adds an hourly o3 value: per day, one array of 24 sums then 24 counts (compact for 1M rows). */
function accumulateHourly(hourly, hour, value) {
  const day = Math.floor(hour / 24);
  let slots = hourly.get(day);
  if (slots === undefined) {
    slots = new Float64Array(48);
    hourly.set(day, slots);
  }
  slots[hour - day * 24] += value;
  slots[hour - day * 24 + 24]++;
}

/**
 * Days with an 8-hour o3 mean above `limit`: every window of 8 consecutive hours (hourly values
 * averaged first) with at least 6 of them measured, attributed to the UTC day of its last hour.
 */
function daysAboveEightHourLimit(hourly, limit) {
  const hourlyMean = (hour) => {
    const slots = hourly.get(Math.floor(hour / 24));
    const index = hour - Math.floor(hour / 24) * 24;
    return slots === undefined || slots[index + 24] === 0 ? undefined : slots[index] / slots[index + 24];
  };
  const ends = new Set();
  for (const [day, slots] of hourly) {
    for (let index = 0; index < 24; index++) {
      if (slots[index + 24] === 0) continue;
      for (let end = day * 24 + index; end < day * 24 + index + 8; end++) ends.add(end);
    }
  }
  const days = new Set();
  for (const end of ends) {
    let sum = 0;
    let count = 0;
    for (let hour = end - 7; hour <= end; hour++) {
      const mean = hourlyMean(hour);
      if (mean === undefined) continue;
      sum += mean;
      count++;
    }
    if (count >= O3_MIN_HOURS && round(sum / count) > limit) days.add(dayOf(end));
  }
  return days.size;
}

/** Describes the header's recognised columns without echoing the dataset's own text. */
function describeHeader(names, columns) {
  const known = [...columns.keys()];
  return `${names.length} columns${known.length > 0 ? `, recognised: ${known.join(', ')}` : ', none recognised'}`;
}

/**
 * Starts the statistics of a dataset from its header line. Columns may come in any order and
 * names are case-insensitive; `station` and `timestamp` are required, then at least one of
 * pm2_5 (or pm25), pm10, no2, o3, temperature. Other columns are ignored.
 * @param headerLine the first non-empty line of the CSV
 * @returns `add(line, lineNumber)` for each following non-empty line, and `result()` at the end
 * @throws DatasetError when the header lacks a required column or names one twice
 * @example
 * const stats = aggregateReadings('station,timestamp,pm2_5');
 * stats.add('paris-01,2024-03-01T13:00:00Z,12.5', 2);
 * stats.result().byStation['paris-01'].months['2024-03'].pm2_5.mean // 12.5
 */
export function aggregateReadings(headerLine) {
  const names = headerLine
    .replace(/^\uFEFF/, '')
    .split(',')
    .map((name) => name.trim().toLowerCase());
  const columns = new Map();
  for (const [index, header] of names.entries()) {
    const name = ['station', 'timestamp'].includes(header)
      ? header
      : METRICS.find((metric) => metric.headers.includes(header))?.name;
    if (name === undefined) continue;
    if (columns.has(name)) throw new DatasetError(`the header names the "${name}" column twice`);
    columns.set(name, index);
  }
  for (const required of ['station', 'timestamp']) {
    if (!columns.has(required)) {
      throw new DatasetError(
        `the first line is not a header with a "${required}" column (${describeHeader(names, columns)})`,
      );
    }
  }
  const metrics = METRICS.filter((metric) => columns.has(metric.name)).map((metric) => ({
    name: metric.name,
    column: columns.get(metric.name),
    limit: WHO_LIMITS[metric.name],
  }));
  if (metrics.length === 0) {
    throw new DatasetError(
      `the header has no measured column: expected pm2_5 (or pm25), pm10, no2, o3 or temperature (${describeHeader(names, columns)})`,
    );
  }
  const stationColumn = columns.get('station');
  const timestampColumn = columns.get('timestamp');
  /** station → { months: month → series per metric, daily: day → { sum, count } per metric, hourlyO3: day → 48 slots } */
  const stations = new Map();
  let rows = 0;
  let skippedRows = 0;
  let firstSkipped;

  const stationState = (name) => {
    let state = stations.get(name);
    if (state === undefined) {
      state = { months: new Map(), daily: metrics.map(() => new Map()), hourlyO3: new Map() };
      stations.set(name, state);
    }
    return state;
  };

  const skip = (lineNumber, reason) => {
    skippedRows++;
    firstSkipped ??= `line ${lineNumber}: ${reason}`;
  };

  const add = (line, lineNumber) => {
    rows++;
    const cells = line.split(',').map((cell) => cell.trim());
    if (cells.length !== names.length) return skip(lineNumber, `${cells.length} cells, the header has ${names.length}`);
    const station = cells[stationColumn];
    if (station === '') return skip(lineNumber, 'no station');
    const hour = parseHour(cells[timestampColumn]);
    if (hour === undefined) return skip(lineNumber, 'the timestamp is not ISO-8601 with a time zone');
    const day = dayOf(hour);
    const month = day.slice(0, 7);
    const state = stationState(station);
    let series = state.months.get(month);
    if (series === undefined) {
      series = metrics.map(createSeries);
      state.months.set(month, series);
    }
    for (const [index, metric] of metrics.entries()) {
      const cell = cells[metric.column];
      const value = NUMBER.test(cell) ? Number(cell) : Number.NaN;
      if (!Number.isFinite(value)) continue;
      push(series[index], value);
      if (metric.name === 'o3') accumulateHourly(state.hourlyO3, hour, value);
      else if (metric.limit !== undefined) accumulate(state.daily[index], day, value);
    }
  };

  const result = () => {
    if (stations.size === 0) {
      throw new DatasetError(
        rows === 0
          ? 'the dataset has a header but no rows'
          : `no valid row: all ${rows} were skipped (${firstSkipped})`,
      );
    }
    const byStation = [...stations.keys()].sort().map((name) => {
      const state = stations.get(name);
      const months = [...state.months.keys()].sort().map((month) => {
        const series = state.months.get(month);
        return [month, Object.fromEntries(metrics.map((metric, index) => [metric.name, summarize(series[index])]))];
      });
      const exceedanceDays = metrics
        .filter((metric) => metric.limit !== undefined)
        .map((metric) => [
          metric.name,
          metric.name === 'o3'
            ? daysAboveEightHourLimit(state.hourlyO3, metric.limit)
            : daysAboveDailyLimit(state.daily[metrics.indexOf(metric)], metric.limit),
        ]);
      return [name, { months: Object.fromEntries(months), exceedanceDays: Object.fromEntries(exceedanceDays) }];
    });
    return { rows, skippedRows, stations: stations.size, byStation: Object.fromEntries(byStation) };
  };

  return { add, result, skipped: () => ({ count: skippedRows, first: firstSkipped }) };
}
