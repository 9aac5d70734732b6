// Runs apps/climate-stats as the enclave would, but directly with `node main.mjs`: the dataset in a
// fresh input folder, an empty output folder, iExec's environment variables. No sandbox: the
// sandboxed runs are in packages/enclave (exampleApps.test.ts, runEnclaveTask.e2e.test.ts).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const MAIN = path.resolve(import.meta.dirname, '../climate-stats/main.mjs');

/** What a run left behind. */
export type ClimateStatsRun = {
  exitCode: number | null;
  stderr: string;
  /** The output folder the app was given (removed after the run; its files are in `files`). */
  outputDir: string;
  /** The output folder's files, by name, as UTF-8 text. */
  files: Map<string, string>;
};

/**
 * Runs the app on one dataset file.
 * @param dataset the bytes of the file, or undefined to run without IEXEC_DATASET_FILENAME
 * @param filename the dataset's file name in the input folder
 * @returns exit code, stderr and the output files
 * @example
 * const run = runClimateStats('station,timestamp,pm2_5\nparis-01,2024-03-01T13:00:00Z,12.5\n');
 * JSON.parse(run.files.get('result.json') ?? '');
 */
export function runClimateStats(dataset: string | Uint8Array | undefined, filename = 'dataset.csv'): ClimateStatsRun {
  const root = mkdtempSync(path.join(tmpdir(), 'confide-climate-stats-'));
  const inputDir = path.join(root, 'in');
  const outputDir = path.join(root, 'out');
  try {
    mkdirSync(inputDir);
    mkdirSync(outputDir);
    if (dataset !== undefined) writeFileSync(path.join(inputDir, filename), dataset);
    const child = spawnSync(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH ?? '',
        IEXEC_IN: inputDir,
        IEXEC_OUT: outputDir,
        ...(dataset === undefined ? {} : { IEXEC_DATASET_FILENAME: filename }),
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    const files = new Map(
      readdirSync(outputDir).map((name) => [name, readFileSync(path.join(outputDir, name), 'utf8')]),
    );
    return { exitCode: child.status, stderr: child.stderr, outputDir, files };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
