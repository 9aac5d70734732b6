import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

const BIN = path.join(import.meta.dirname, 'bin.ts');
const POLYFILL = path.resolve(import.meta.dirname, '../../../scripts/polyfill.mjs');

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('confide start (what npm start runs)', () => {
  it('brings the whole network up with the example apps published, runs the demo on it, and stops cleanly on Ctrl-C', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'confide-start-'));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--import', POLYFILL, BIN, 'start', '--dir', dir, '--ports', 'auto'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('Press Ctrl-C to stop.')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${output}`)));
      });
      const url = (name: string) => new RegExp(`${name}\\s+(http://127\\.0\\.0\\.1:\\d+)`).exec(output)?.[1];
      for (const service of ['scheduler', 'worker 1', 'worker 2']) {
        const base = url(service);
        assert.ok(base, `${service} is in the status table`);
        const health = await fetch(new URL('/health', base));
        assert.equal(health.status, 200, `${service} is healthy`);
      }
      assert.match(output, /hello\s+0x[0-9a-fA-F]{40}/);
      // The dashboard: its page, and the network's config from which the page calls the services.
      const dashboard = url('dashboard');
      assert.ok(dashboard, 'the dashboard is in the status table');
      assert.match(await (await fetch(dashboard)).text(), /<div id="root">/);
      const config = (await (await fetch(new URL('/config.json', dashboard))).json()) as {
        apps: Record<string, string>;
        services: { market: string };
      };
      assert.match(output, new RegExp(`hello\\s+${config.apps.hello}`));
      const book = await fetch(new URL('/apporders', config.services.market), { headers: { origin: dashboard } });
      assert.equal(book.headers.get('access-control-allow-origin'), '*', 'the page may call the market');
      assert.equal(((await book.json()) as { count: number }).count, 2, 'both example apps are offered');
      assert.match(output, /climate-stats\s+0x[0-9a-fA-F]{40}/);
      const pids = [...output.matchAll(/pid (\d+)/g)].map((m) => Number(m[1]));
      assert.equal(pids.length, 2);

      // The tutorial's next command: the founding story on this network, as a user runs it.
      const demo = spawn(process.execPath, ['--import', 'tsx', '--import', POLYFILL, BIN, 'demo', '--dir', dir], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let demoOutput = '';
      demo.stdout.on('data', (chunk: Buffer) => {
        demoOutput += chunk.toString();
      });
      demo.stderr.on('data', (chunk: Buffer) => {
        demoOutput += chunk.toString();
      });
      assert.equal(await new Promise((resolve) => demo.once('exit', resolve)), 0, demoOutput);
      assert.match(demoOutput, /done in [\d.]+ s \(task 0x[0-9a-f]{64}\): 52704 rows, 6 stations/);
      assert.match(demoOutput, /paris-01: days over the WHO daily limits: pm2_5 \d+/);
      const chart = await readFile(path.join(dir, 'demo-result', 'chart.svg'), 'utf8');
      assert.match(chart, /^<svg/);

      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGINT');
      assert.equal(await exited, 0, output);
      assert.match(output, /stopped\n$/);
      for (const pid of pids) assert.equal(alive(pid), false, `worker ${pid} is gone`);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses an invalid flag with exit code 2 and the usage', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', BIN, 'start', '--ports', 'seventy'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 2);
    assert.match(stderr, /invalid flag or value '--ports seventy'/);
    assert.match(stderr, /confide start \[--dir/);
  });
});
