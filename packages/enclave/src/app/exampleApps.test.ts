// The app contract end to end: the example apps and hostile ones, packed, unpacked, run in the
// real sandbox with iExec's environment, then their computed.json read and their digest computed.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ComputedJsonInvalidError } from '../errors.js';
import { createTaskFolders } from '../sandbox/createTaskFolders.js';
import { runSandboxed } from '../sandbox/runSandboxed.js';
import { type BuildAppEnvironmentParameters, buildAppEnvironment } from './buildAppEnvironment.js';
import { computeResultDigest } from './computeResultDigest.js';
import { readComputedJson } from './readComputedJson.js';

const APPS = path.resolve(import.meta.dirname, '../../../../apps');
const PROBE = path.resolve(import.meta.dirname, '../../test-apps/probe');
const LIMITS = { timeLimitMs: 10_000, memoryLimitBytes: 128 * 1024 * 1024, maxProcesses: 64 };
const DATASET = '0x9a43BB008b7A657e1936ebf5d8e28e5c5E021596';
const TASK: BuildAppEnvironmentParameters = {
  dealId: `0x${'d1'.repeat(32)}`,
  taskId: `0x${'7a'.repeat(32)}`,
  taskIndex: 0,
  botSize: 1,
  botFirstIndex: 0,
  inputFiles: [],
  requesterSecrets: {},
};
const sha256 = (content: string) => `0x${createHash('sha256').update(content).digest('hex')}`;

async function run(appDir: string, options: { args?: string[]; inputs?: Record<string, string>; task?: object } = {}) {
  const task = await createTaskFolders(appDir, options.inputs);
  const env = buildAppEnvironment({ ...TASK, ...options.task });
  const result = await runSandboxed({ ...task, env, args: options.args ?? [], ...LIMITS });
  return { task, result };
}

describe('example apps in the sandbox', () => {
  it('hello greets its arguments, lists its inputs and proves the dataset readable by its size and hash', async () => {
    const content = 'station,pm2_5\nparis-01,12.5\n';
    const { task, result } = await run(path.join(APPS, 'hello'), {
      args: ['Alice', 'Bob'],
      inputs: { [DATASET]: content },
      task: { datasetAddress: DATASET, datasetFilename: DATASET },
    });
    try {
      assert.equal(result.status, 'exited', result.stderrTail);
      assert.equal(result.exitCode, 0);
      const computed = await readComputedJson(task.outputDir);
      assert.deepEqual(computed, { deterministicOutputPath: path.join(task.outputDir, 'result.txt') });
      const expected = [
        'Hello, Alice Bob!',
        `input files: ${DATASET}`,
        `dataset ${DATASET}: ${content.length} bytes, sha256 ${sha256(content).slice(2)}`,
        '',
      ].join('\n');
      assert.equal(await readFile(computed.deterministicOutputPath, 'utf8'), expected);
      assert.equal(await computeResultDigest(task.outputDir, computed), sha256(expected));
    } finally {
      await task.remove();
    }
  });

  it('hello without arguments nor dataset greets the world and lists no input', async () => {
    const { task, result } = await run(path.join(APPS, 'hello'));
    try {
      assert.equal(result.exitCode, 0, result.stderrTail);
      assert.equal(
        await readFile(path.join(task.outputDir, 'result.txt'), 'utf8'),
        'Hello, world!\ninput files: (none)\n',
      );
    } finally {
      await task.remove();
    }
  });

  it('climate-stats computes per-station monthly statistics and WHO exceedance days, and draws a chart', async () => {
    const csv = [
      'timestamp,station,pm25,no2',
      '2024-01-01T00:00Z,paris-1,12.5,40',
      '2024-01-01T01:00Z,paris-1,7.5,',
      '2024-01-01T00:00Z,lyon-2,20,22.25',
      'broken line',
      '2024-01-01T01:00Z,lyon-2,n/a,31',
      '',
    ].join('\n');
    const { task, result } = await run(path.join(APPS, 'climate-stats'), {
      inputs: { [DATASET]: csv },
      task: { datasetAddress: DATASET },
    });
    try {
      assert.equal(result.status, 'exited', result.stderrTail);
      assert.equal(result.exitCode, 0, result.stderrTail);
      const computed = await readComputedJson(task.outputDir);
      assert.equal(computed.deterministicOutputPath, path.join(task.outputDir, 'result.json'));
      const text = await readFile(computed.deterministicOutputPath, 'utf8');
      // lyon-2: pm25 20 (n/a dropped), no2 22.25 and 31; paris-1: pm25 12.5 and 7.5, no2 40 (empty dropped).
      // Daily means against the WHO levels (15 and 25): lyon-2 20 > 15, 26.625 > 25; paris-1 10, 40 > 25.
      assert.deepEqual(JSON.parse(text), {
        rows: 5,
        skippedRows: 1,
        stations: 2,
        byStation: {
          'lyon-2': {
            months: {
              '2024-01': {
                pm2_5: { count: 1, mean: 20, min: 20, max: 20, p95: 20 },
                no2: { count: 2, mean: 26.625, min: 22.25, max: 31, p95: 31 },
              },
            },
            exceedanceDays: { pm2_5: 1, no2: 1 },
          },
          'paris-1': {
            months: {
              '2024-01': {
                pm2_5: { count: 2, mean: 10, min: 7.5, max: 12.5, p95: 12.5 },
                no2: { count: 1, mean: 40, min: 40, max: 40, p95: 40 },
              },
            },
            exceedanceDays: { pm2_5: 0, no2: 1 },
          },
        },
      });
      assert.match(
        await readFile(path.join(task.outputDir, 'chart.svg'), 'utf8'),
        /^<svg [^>]*>[\s\S]*paris-1[\s\S]*<\/svg>\n$/,
      );
      assert.equal(await computeResultDigest(task.outputDir, computed), sha256(text));
    } finally {
      await task.remove();
    }
  });

  it('climate-stats without a dataset fails and says why in computed.json', async () => {
    const { task, result } = await run(path.join(APPS, 'climate-stats'));
    try {
      assert.equal(result.status, 'exited');
      assert.equal(result.exitCode, 1);
      const computed = await readComputedJson(task.outputDir);
      assert.match(computed.errorMessage ?? '', /no dataset/);
    } finally {
      await task.remove();
    }
  });

  it('error: an app that writes no computed.json', async () => {
    const { task, result } = await run(PROBE, { args: ['exit', '0'] });
    try {
      assert.equal(result.exitCode, 0);
      await assert.rejects(
        readComputedJson(task.outputDir),
        (error) => error instanceof ComputedJsonInvalidError && error.reason === 'MISSING',
      );
    } finally {
      await task.remove();
    }
  });

  it('error: a deterministic-output-path escaping the output folder, by ".." or by a link', async () => {
    for (const how of ['dotdot', 'link']) {
      const { task, result } = await run(PROBE, { args: ['escape', how] });
      try {
        assert.equal(result.exitCode, 0, result.stderrTail);
        await assert.rejects(
          readComputedJson(task.outputDir),
          (error) => error instanceof ComputedJsonInvalidError && error.reason === 'OUTPUT_PATH_OUTSIDE',
        );
      } finally {
        await task.remove();
      }
    }
  });
});
