import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout } from 'node:timers/promises';
import { binArgs } from './stack/bins.js';
import { runConfide } from './testing/runConfide.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Starts `confide start --dir dir --ports auto …extra` and waits for its status table. */
async function startConfide(dir: string, extra: string[] = []) {
  const child = spawn(process.execPath, [...binArgs('confide'), 'start', '--dir', dir, '--ports', 'auto', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run = { child, output: '' };
  child.stderr.on('data', (chunk: Buffer) => {
    run.output += chunk.toString();
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      run.output += chunk.toString();
      if (run.output.includes('Press Ctrl-C to stop.')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${run.output}`)));
  });
  return run;
}

/** Ctrl-C: resolves with the exit code. */
async function interrupt(child: ReturnType<typeof spawn>): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  return exited;
}

/** The URL of `name` in a status table. */
const urlIn = (output: string, name: string) =>
  new RegExp(`${name}\\s+(http://127\\.0\\.0\\.1:\\d+)`).exec(output)?.[1] ?? assert.fail(`no ${name} in ${output}`);

/** The protected data the indexer lists (lowercase addresses). */
async function indexedData(output: string): Promise<string[]> {
  const response = await fetch(new URL('/graphql', urlIn(output, 'indexer')), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ protectedDatas { id } }' }),
  });
  const { data } = (await response.json()) as { data: { protectedDatas: { id: string }[] } };
  return data.protectedDatas.map((d) => d.id.toLowerCase());
}

const appOrders = async (output: string) =>
  ((await (await fetch(new URL('/apporders', urlIn(output, 'market')))).json()) as { count: number }).count;

describe('confide start (what npm start runs)', () => {
  it('brings the whole network up with the example apps published, runs the demo on it, stops cleanly on Ctrl-C, resumes it, and starts fresh with --reset', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'confide-start-'));
    const child = spawn(process.execPath, [...binArgs('confide'), 'start', '--dir', dir, '--ports', 'auto'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('Press Ctrl-C to stop.')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${output}\n${stderr}`)));
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
      const demo = spawn(process.execPath, [...binArgs('confide'), 'demo', '--dir', dir], {
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
      const data = /protected data (0x[0-9a-fA-F]{40})/.exec(demoOutput)?.[1]?.toLowerCase() ?? assert.fail(demoOutput);
      const chart = await readFile(path.join(dir, 'demo-result', 'chart.svg'), 'utf8');
      assert.match(chart, /^<svg/);

      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGINT');
      assert.equal(await exited, 0, output);
      assert.match(output, /stopped\n$/);
      for (const pid of pids) assert.equal(alive(pid), false, `worker ${pid} is gone`);
      assert.match(output, /Fresh network; kept in /);
      assert.equal(existsSync(path.join(dir, 'confide-start.lock')), false, 'the lock is released');

      // A second start on the folder resumes the network: same chain and contracts, the data
      // protected by the demo still indexed with its key in the SMS, the apps offered once.
      const resumeStarted = performance.now();
      const resumed = await startConfide(dir);
      const hub = (text: string) => /hub (0x[0-9a-fA-F]{40})/.exec(text)?.[1];
      const block = Number(/Network resumed from .+ \(block (\d+)\)/.exec(resumed.output)?.[1]);
      try {
        assert.ok(block > 0, resumed.output);
        assert.equal(hub(resumed.output), hub(output), 'the contracts are not redeployed');
        assert.match(resumed.output, new RegExp(`hello\\s+${config.apps.hello}`));
        const [twice, key] = await Promise.all([
          // Meanwhile a start on the same folder is refused.
          runConfide(['start', '--dir', dir, '--ports', 'auto']),
          fetch(new URL(`/datasets/${data}/key`, urlIn(resumed.output, 'SMS'))),
        ]);
        assert.equal(twice.code, 2, twice.stderr);
        assert.match(twice.stderr, /CONFIDE_CLI_STATE_LOCKED/);
        assert.equal(key.status, 204, "the protected data's key is still in the SMS");
        // The indexer resumes from its cursor and may still be catching up with the first run's last blocks.
        const indexDeadline = Date.now() + 30_000;
        while (!(await indexedData(resumed.output)).includes(data)) {
          assert.ok(Date.now() < indexDeadline, 'the indexer still lists the protected data');
          await setTimeout(250);
        }
        assert.equal(await appOrders(resumed.output), 2, 'the example apps are offered, not twice');
        const rpc = async (method: string, params: unknown[]) =>
          (
            (await (
              await fetch(urlIn(resumed.output, 'chain \\(anvil\\)'), {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
              })
            ).json()) as { result: { number: string; timestamp: string } | null }
          ).result;
        const [first, at, latest] = await Promise.all([
          rpc('eth_getBlockByNumber', ['0x1', false]),
          rpc('eth_getBlockByNumber', [`0x${block.toString(16)}`, false]),
          rpc('eth_getBlockByNumber', ['latest', false]),
        ]);
        assert.ok(first && at && latest, 'the blocks of the first run are kept');
        assert.ok(Number(latest.number) >= block, 'the chain goes on from the block it resumed at');
        assert.ok(Number(latest.timestamp) >= Number(at.timestamp), 'and its time too');
        assert.ok(Number(at.timestamp) > Number(first.timestamp));
      } finally {
        assert.equal(await interrupt(resumed.child), 0, resumed.output);
      }
      const resumeSeconds = (performance.now() - resumeStarted) / 1000;

      // --reset: a fresh network in the same folder; what the first one held is gone.
      const resetStarted = performance.now();
      const fresh = await startConfide(dir, ['--reset', '--workers', '1']);
      try {
        assert.match(fresh.output, /Fresh network; kept in /);
        assert.equal(existsSync(path.join(dir, 'demo-result')), false, "the demo's result is removed");
        const key = await fetch(new URL(`/datasets/${data}/key`, urlIn(fresh.output, 'SMS')));
        assert.equal(key.status, 404, 'the fresh SMS has no key for the old data');
        assert.equal(await appOrders(fresh.output), 2);
      } finally {
        assert.equal(await interrupt(fresh.child), 0, fresh.output);
      }
      const resetSeconds = (performance.now() - resetStarted) / 1000;
      console.log(`resume: ${resumeSeconds.toFixed(1)} s, reset: ${resetSeconds.toFixed(1)} s`);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses to use a non-empty folder it did not make (exit 2), and leaves it as it was', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'confide-foreign-'));
    try {
      await writeFile(path.join(dir, 'notes.txt'), 'mine');
      const { code, stderr } = await runConfide(['start', '--dir', dir, '--reset']);
      assert.equal(code, 2, stderr);
      assert.match(stderr, /CONFIDE_CLI_STATE_FOREIGN/);
      assert.equal(await readFile(path.join(dir, 'notes.txt'), 'utf8'), 'mine');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses an invalid flag with exit code 2 and the usage', async () => {
    const child = spawn(process.execPath, [...binArgs('confide'), 'start', '--ports', 'seventy'], {
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
