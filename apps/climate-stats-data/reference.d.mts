// Types of reference.mjs, for the TypeScript tests: the shape of climate-stats' result.json.

/** count / mean / min / max / p95 of one column over one station-month; null values when count is 0. */
export type ColumnStats = {
  count: number;
  mean: number | null;
  min: number | null;
  max: number | null;
  p95: number | null;
};

/** Measured columns, present in the result only when the dataset has them. */
export type Metric = 'pm2_5' | 'pm10' | 'no2' | 'o3' | 'temperature';

/** The content of result.json. */
export type ClimateStats = {
  rows: number;
  skippedRows: number;
  stations: number;
  byStation: Record<
    string,
    {
      months: Record<string, Partial<Record<Metric, ColumnStats>>>;
      exceedanceDays: Partial<Record<Exclude<Metric, 'temperature'>, number>>;
    }
  >;
};

/**
 * Computes what climate-stats writes to result.json, the simple way (whole text in memory).
 * @param csvText the whole dataset
 * @returns the result object; `JSON.stringify(result, null, 2) + '\n'` is the app's file
 */
export function computeClimateStats(csvText: string): ClimateStats;
