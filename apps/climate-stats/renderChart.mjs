// Draws the result as a small self-contained SVG: the monthly mean of one pollutant (PM2.5 when
// the dataset has it) per station, one line each, with the WHO guideline level. Same result, same
// bytes: coordinates are rounded to 0.1 and nothing depends on the time or the machine.
import { WHO_LIMITS } from './aggregateReadings.mjs';

const CHARTED = ['pm2_5', 'pm10', 'no2', 'o3', 'temperature'];
const LABELS = { pm2_5: 'PM2.5', pm10: 'PM10', no2: 'NO₂', o3: 'O₃', temperature: 'Temperature' };
const UNITS = { pm2_5: 'µg/m³', pm10: 'µg/m³', no2: 'µg/m³', o3: 'µg/m³', temperature: '°C' };
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f'];
const WIDTH = 760;
const HEIGHT = 400;
const PLOT = { left: 64, right: 580, top: 48, bottom: 330 };
/** Tick steps to choose from, written as decimals so that they are exact. */
const STEPS = [-1, 0, 1, 2, 3, 4, 5].flatMap((power) => [1, 2, 5].map((m) => Number(`${m}e${power}`)));

const format = (value) => String(Number(value.toFixed(1)));
const escapeXml = (text) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]);

/** A round y range containing `values`, and its tick step (about 5 ticks). */
function scale(values) {
  const low = Math.min(0, ...values);
  const high = Math.max(...values);
  const step = STEPS.find((candidate) => candidate >= (high - low || 1) / 5) ?? STEPS[STEPS.length - 1];
  return { min: Math.floor(low / step) * step, max: Math.ceil(high / step) * step || step, step };
}

/**
 * Renders the chart of a climate-stats result.
 * @param result the object written to result.json
 * @returns the SVG document, starting with `<svg`
 * @example writeFileSync('chart.svg', renderChart(result));
 */
export function renderChart(result) {
  const stations = Object.keys(result.byStation);
  const monthsOf = (name) => Object.entries(result.byStation[name].months);
  const metric = CHARTED.find((name) =>
    stations.some((station) => monthsOf(station).some(([, stats]) => typeof stats[name]?.mean === 'number')),
  );
  const months = [...new Set(stations.flatMap((station) => Object.keys(result.byStation[station].months)))].sort();
  const limit = WHO_LIMITS[metric];
  const series = stations.map((station, index) => ({
    station,
    color: COLORS[index % COLORS.length],
    points: monthsOf(station)
      .filter(([, stats]) => typeof stats[metric]?.mean === 'number')
      .map(([month, stats]) => ({ index: months.indexOf(month), mean: stats[metric].mean })),
  }));
  const values = series.flatMap((line) => line.points.map((point) => point.mean));
  if (limit !== undefined) values.push(limit);
  const y = scale(values.length > 0 ? values : [0]);
  const slot = (PLOT.right - PLOT.left) / Math.max(months.length, 1);
  const px = (index) => format(PLOT.left + (index + 0.5) * slot);
  const py = (value) => format(PLOT.bottom - ((value - y.min) / (y.max - y.min)) * (PLOT.bottom - PLOT.top));
  const legendSpacing = Math.min(18, (HEIGHT - PLOT.top - 48) / Math.max(series.length, 1));
  const label = metric === undefined ? 'No measured value' : `Monthly mean ${LABELS[metric]} by station`;

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(label)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${PLOT.left}" y="28" font-size="15" font-weight="bold">${escapeXml(label)}</text>`,
  ];
  const ticks = Math.round((y.max - y.min) / y.step);
  for (let index = 0; index <= ticks; index++) {
    const tick = y.min + index * y.step;
    parts.push(
      `<line x1="${PLOT.left}" y1="${py(tick)}" x2="${PLOT.right}" y2="${py(tick)}" stroke="#e0e0e0"/>`,
      `<text x="${PLOT.left - 6}" y="${format(Number(py(tick)) + 4)}" text-anchor="end">${format(tick)}</text>`,
    );
  }
  const every = Math.ceil(months.length / 12);
  for (const [index, month] of months.entries()) {
    if (index % every !== 0) continue;
    const x = px(index);
    parts.push(
      `<text x="${x}" y="${PLOT.bottom + 16}" text-anchor="end" transform="rotate(-35 ${x} ${PLOT.bottom + 16})">${month}</text>`,
    );
  }
  parts.push(
    `<line x1="${PLOT.left}" y1="${PLOT.bottom}" x2="${PLOT.right}" y2="${PLOT.bottom}" stroke="#333333"/>`,
    `<line x1="${PLOT.left}" y1="${PLOT.top}" x2="${PLOT.left}" y2="${PLOT.bottom}" stroke="#333333"/>`,
    `<text x="${format((PLOT.left + PLOT.right) / 2)}" y="${HEIGHT - 14}" text-anchor="middle">Month (UTC)</text>`,
  );
  if (metric !== undefined) {
    const axis = `${LABELS[metric]} (${UNITS[metric]})`;
    parts.push(
      `<text x="16" y="${format((PLOT.top + PLOT.bottom) / 2)}" text-anchor="middle" transform="rotate(-90 16 ${format((PLOT.top + PLOT.bottom) / 2)})">${escapeXml(axis)}</text>`,
    );
  }
  if (limit !== undefined) {
    parts.push(
      `<line x1="${PLOT.left}" y1="${py(limit)}" x2="${PLOT.right}" y2="${py(limit)}" stroke="#d62728" stroke-dasharray="6 4"/>`,
    );
  }
  for (const [index, line] of series.entries()) {
    const points = line.points.map((point) => `${px(point.index)},${py(point.mean)}`);
    if (points.length > 1) {
      parts.push(`<polyline points="${points.join(' ')}" fill="none" stroke="${line.color}" stroke-width="2"/>`);
    }
    for (const point of points) {
      const [cx, cy] = point.split(',');
      parts.push(`<circle cx="${cx}" cy="${cy}" r="2.5" fill="${line.color}"/>`);
    }
    const legendY = PLOT.top + 8 + index * legendSpacing;
    parts.push(
      `<rect x="${PLOT.right + 20}" y="${legendY - 8}" width="12" height="12" fill="${line.color}"/>`,
      `<text x="${PLOT.right + 38}" y="${legendY + 2}">${escapeXml(line.station)}</text>`,
    );
  }
  if (limit !== undefined) {
    const legendY = PLOT.top + 8 + series.length * legendSpacing + 6;
    const kind = metric === 'o3' ? '8-hour' : '24-hour';
    parts.push(
      `<line x1="${PLOT.right + 20}" y1="${legendY - 2}" x2="${PLOT.right + 32}" y2="${legendY - 2}" stroke="#d62728" stroke-dasharray="3 2" stroke-width="2"/>`,
      `<text x="${PLOT.right + 38}" y="${legendY + 2}" fill="#d62728">WHO 2021 ${kind}</text>`,
      `<text x="${PLOT.right + 38}" y="${legendY + 16}" fill="#d62728">guideline: ${limit} ${UNITS[metric]}</text>`,
    );
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
