// A second, deliberately plain implementation of climate-stats' result (apps/README.md): the
// whole CSV in memory, every reading kept, grouped with arrays. It shares no code with the app,
// so that the tests compare two readings of the specification, not one implementation with itself.

const COLUMN_NAMES = { pm2_5: 'pm2_5', pm25: 'pm2_5', pm10: 'pm10', no2: 'no2', o3: 'o3', temperature: 'temperature' };
const METRIC_ORDER = ['pm2_5', 'pm10', 'no2', 'o3', 'temperature'];
const DAILY_LIMITS = { pm2_5: 15, pm10: 45, no2: 25 };
const O3_EIGHT_HOUR_LIMIT = 100;

const round3 = (x) => Math.round(x * 1000) / 1000;
const sum = (values) => values.reduce((total, value) => total + value, 0);
const mean = (values) => sum(values) / values.length;

/** Items by key, in their original order within each group. */
function groupBy(items, keyOf) {
  const groups = new Map();
  for (const item of items) {
    const key = keyOf(item);
    if (groups.has(key)) groups.get(key).push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** Hours since 1970, UTC, or null when the text is not an ISO-8601 date-time with a zone. */
function hourOf(text) {
  const m = text.match(/^(\d\d\d\d)-(\d\d)-(\d\d)T(\d\d):(\d\d)(:(\d\d)(\.\d+)?)?(Z|([+-])(\d\d):(\d\d))$/);
  if (m === null) return null;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
  const second = m[7] === undefined ? 0 : Number(m[7]);
  const date = new Date(Date.UTC(year, month - 1, day));
  const sameDate = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  if (!sameDate || year < 1000 || hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (m[9] !== 'Z') {
    if (Number(m[11]) > 23 || Number(m[12]) > 59) return null;
    offsetMinutes = (m[10] === '+' ? 1 : -1) * (Number(m[11]) * 60 + Number(m[12]));
  }
  return Math.floor((date.getTime() + (hour * 60 + minute - offsetMinutes) * 60_000) / 3_600_000);
}

const isoDay = (hour) => new Date(hour * 3_600_000).toISOString().slice(0, 10);

function describe(values) {
  if (values.length === 0) return { count: 0, mean: null, min: null, max: null, p95: null };
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: values.length,
    mean: round3(mean(values)),
    min: round3(sorted[0]),
    max: round3(sorted[sorted.length - 1]),
    p95: round3(sorted[Math.ceil(0.95 * sorted.length) - 1]),
  };
}

/** Days (UTC) whose 8-hour o3 mean (≥ 6 hourly values in the window) is above the limit. */
function o3Days(readings) {
  const byHour = groupBy(
    readings.filter((r) => r.o3 !== null),
    (r) => r.hour,
  );
  if (byHour.size === 0) return 0;
  const hours = [...byHour.keys()];
  const [first, last] = [Math.min(...hours), Math.max(...hours)];
  const days = new Set();
  for (let end = first; end <= last + 7; end++) {
    const window = [];
    for (let h = end - 7; h <= end; h++) if (byHour.has(h)) window.push(mean(byHour.get(h).map((r) => r.o3)));
    if (window.length >= 6 && round3(mean(window)) > O3_EIGHT_HOUR_LIMIT) days.add(isoDay(end));
  }
  return days.size;
}

/**
 * Computes what climate-stats writes to result.json.
 * @param {string} csvText the whole dataset
 * @returns the result object (JSON.stringify(result, null, 2) + '\n' is the app's file)
 */
export function computeClimateStats(csvText) {
  const lines = csvText.split(/\r\n|\r|\n/).filter((line) => line.trim() !== '');
  const header = lines[0].replace(/^\uFEFF/, '').split(',');
  const names = header.map((name) => name.trim().toLowerCase());
  const stationAt = names.indexOf('station');
  const timestampAt = names.indexOf('timestamp');
  if (stationAt < 0 || timestampAt < 0) throw new Error('station or timestamp column missing');
  const metricAt = {};
  names.forEach((name, index) => {
    if (COLUMN_NAMES[name] !== undefined) metricAt[COLUMN_NAMES[name]] = index;
  });
  const metrics = METRIC_ORDER.filter((metric) => metric in metricAt);

  const readings = [];
  let skippedRows = 0;
  for (const line of lines.slice(1)) {
    const cells = line.split(',').map((cell) => cell.trim());
    const hour = cells.length === header.length ? hourOf(cells[timestampAt]) : null;
    if (hour === null || cells[stationAt] === '') {
      skippedRows++;
      continue;
    }
    const reading = { station: cells[stationAt], hour, day: isoDay(hour), month: isoDay(hour).slice(0, 7) };
    for (const metric of metrics) {
      const text = cells[metricAt[metric]];
      const ok = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) && Number.isFinite(Number(text));
      reading[metric] = ok ? Number(text) : null;
    }
    readings.push(reading);
  }

  const readingsOf = groupBy(readings, (r) => r.station);
  const stations = [...readingsOf.keys()].sort();
  const byStation = {};
  for (const station of stations) {
    const own = readingsOf.get(station);
    const byMonth = groupBy(own, (r) => r.month);
    const months = {};
    for (const month of [...byMonth.keys()].sort()) {
      months[month] = {};
      for (const metric of metrics) {
        months[month][metric] = describe(
          byMonth
            .get(month)
            .filter((r) => r[metric] !== null)
            .map((r) => r[metric]),
        );
      }
    }
    const exceedanceDays = {};
    for (const metric of metrics) {
      if (metric === 'o3') exceedanceDays.o3 = o3Days(own);
      else if (metric in DAILY_LIMITS) {
        const byDay = groupBy(
          own.filter((r) => r[metric] !== null),
          (r) => r.day,
        );
        exceedanceDays[metric] = [...byDay.values()].filter(
          (day) => round3(mean(day.map((r) => r[metric]))) > DAILY_LIMITS[metric],
        ).length;
      }
    }
    byStation[station] = { months, exceedanceDays };
  }
  return { rows: lines.length - 1, skippedRows, stations: stations.length, byStation };
}
