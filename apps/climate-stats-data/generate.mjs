// Writes the sample dataset of climate-stats, air-quality.csv: hourly readings of 6 invented
// stations in European cities for 2024 (UTC), with diurnal and seasonal patterns, multi-day
// pollution episodes, WHO exceedances, and a few deliberate gaps and malformed lines. The numbers
// are synthetic (plausible orders of magnitude, not measurements). Every random draw comes from
// mulberry32 seeded with SEED, so two runs write the same bytes:
//   node apps/climate-stats-data/generate.mjs [output file, default air-quality.csv beside this script]
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SEED = 20240301;
const YEAR = 2024;
const HOUR_MS = 3_600_000;
const HEADER = 'station,timestamp,pm2_5,pm10,no2,o3,temperature';

/**
 * Station climates and pollution levels. temperature: annual mean and seasonal half-range, °C;
 * pm2_5, no2, o3: typical levels, µg/m³; heating: how much winter heating adds to particles.
 */
const STATIONS = [
  { name: 'amsterdam-01', temperature: [10.8, 7.0], pm2_5: 8, no2: 27, o3: 48, heating: 0.6 },
  { name: 'berlin-01', temperature: [10.4, 9.5], pm2_5: 10, no2: 26, o3: 50, heating: 0.9 },
  { name: 'krakow-01', temperature: [8.8, 10.5], pm2_5: 14, no2: 30, o3: 44, heating: 2.4 },
  { name: 'madrid-01', temperature: [15.5, 9.5], pm2_5: 8, no2: 33, o3: 62, heating: 0.3 },
  { name: 'milano-01', temperature: [13.8, 10.5], pm2_5: 15, no2: 37, o3: 58, heating: 1.4 },
  { name: 'paris-01', temperature: [12.6, 7.5], pm2_5: 9, no2: 35, o3: 50, heating: 0.8 },
];

/** mulberry32: a 32-bit state, uniform doubles in [0, 1). */
function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box–Muller, two uniforms per draw). */
const normal = (random) => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

/** One decimal, without a "-0.0". */
const decimal = (value) => (Math.abs(value) < 0.05 ? '0.0' : value.toFixed(1));

/** A bell around `center` (hours), `width` hours wide, on a 24-hour circle. */
function bell(hour, center, width) {
  const distance = Math.min(Math.abs(hour - center), 24 - Math.abs(hour - center));
  return Math.exp(-(distance * distance) / (2 * width * width));
}

/** Traffic intensity, 0.3 at night to about 1.5 at rush hours; lower at weekends. */
function traffic(localHour, weekday) {
  const rush = 0.3 + 1.1 * bell(localHour, 8, 1.5) + 0.9 * bell(localHour, 18.5, 2) + 0.4 * bell(localHour, 13, 4);
  return rush * (weekday === 6 ? 0.75 : weekday === 0 ? 0.6 : 1);
}

/** The readings of one station for one hour, as numbers; `state` carries the weather and episode memory. */
function reading(station, state, time, random) {
  const date = new Date(time);
  const dayOfYear = (time - Date.UTC(YEAR, 0, 1)) / (24 * HOUR_MS);
  const winter = Math.cos((2 * Math.PI * (dayOfYear - 15)) / 366); // 1 in mid-January, -1 in mid-July
  const localHour = (date.getUTCHours() + 1) % 24; // CET, daylight saving ignored
  // Weather and stagnation drift slowly: AR(1) processes over hours.
  state.weather = 0.985 * state.weather + 0.45 * normal(random);
  state.episode = 0.98 * state.episode + 0.09 * normal(random);
  const [meanTemperature, seasonalRange] = station.temperature;
  const temperature =
    meanTemperature - seasonalRange * winter + 4 * Math.cos((2 * Math.PI * (localHour - 15)) / 24) + state.weather;
  const stagnation = Math.exp(state.episode + 0.25 * winter);
  const heating = 1 + station.heating * Math.max(0, (15 - temperature) / 15) * (0.6 + 0.6 * bell(localHour, 20, 3));
  const cars = traffic(localHour, date.getUTCDay());
  const pm2_5 = station.pm2_5 * stagnation * heating * (0.75 + 0.25 * cars) * Math.exp(0.18 * normal(random));
  const pm10 =
    pm2_5 * (1.35 + 0.25 * random()) + (2 + 4 * cars) * (1.2 - 0.3 * winter) * Math.exp(0.2 * normal(random));
  const no2 = station.no2 * cars * (1 + 0.25 * winter) * stagnation ** 0.6 * Math.exp(0.2 * normal(random));
  const sunshine = bell(localHour, 15, 3.5) * (1 - 0.6 * winter);
  const o3 =
    station.o3 * (0.45 + 0.55 * (1 - 0.5 * winter)) * (0.55 + 0.9 * sunshine) +
    1.8 * Math.max(0, temperature - 24) -
    0.35 * no2 +
    6 * normal(random);
  return { pm2_5, pm10, no2, o3: o3 < 2 ? 1 + 2 * random() : o3, temperature }; // titrated to near 0 at night
}

/** A cell as written: usually the value, sometimes empty or "n/a" (sensor gaps), rarely "NaN". */
function cell(value, random) {
  const r = random();
  if (r < 0.003) return '';
  if (r < 0.0035) return 'n/a';
  if (r < 0.0036) return 'NaN';
  return decimal(value);
}

/**
 * Builds the whole CSV.
 * @returns the CSV text, header first, one line per station and hour, `\n`-terminated
 * @example writeFileSync('air-quality.csv', generateCsv());
 */
function generateCsv() {
  const random = mulberry32(SEED);
  const states = STATIONS.map(() => ({ weather: 0, episode: 0 }));
  const lines = [HEADER];
  // A week-long outage of berlin-01's PM10 sensor in March.
  const outage = [Date.UTC(YEAR, 2, 11), Date.UTC(YEAR, 2, 18)];
  for (let time = Date.UTC(YEAR, 0, 1); time < Date.UTC(YEAR + 1, 0, 1); time += HOUR_MS) {
    const timestamp = new Date(time).toISOString().replace('.000Z', 'Z');
    for (const [index, station] of STATIONS.entries()) {
      const values = reading(station, states[index], time, random);
      const cells = [
        station.name,
        timestamp,
        ...['pm2_5', 'pm10', 'no2', 'o3', 'temperature'].map((name) => cell(values[name], random)),
      ];
      if (station.name === 'berlin-01' && time >= outage[0] && time < outage[1]) cells[3] = '';
      const damage = random();
      if (damage < 0.0002)
        cells.length = 5; // a line cut short
      else if (damage < 0.0003) cells[1] = timestamp.replace('T', ' ').replace('Z', ''); // no zone: not accepted
      lines.push(cells.join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

const output = process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'air-quality.csv');
const csv = generateCsv();
writeFileSync(output, csv);
console.log(`wrote ${output}: ${csv.split('\n').length - 2} rows, ${Buffer.byteLength(csv)} bytes`);
