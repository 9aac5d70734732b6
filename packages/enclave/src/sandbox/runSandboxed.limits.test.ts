import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { access, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTaskFolders, type TaskFolders } from './createTaskFolders.js';
import { runSandboxed } from './runSandboxed.js';

const PROBE = path.resolve(import.meta.dirname, '../../test-apps/probe');
const MiB = 1024 * 1024;

/** Pids of host processes whose command line contains `marker`. */
async function processesWith(marker: string): Promise<number[]> {
  const found: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    const cmdline = await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(marker)) found.push(Number(name));
  }
  return found;
}

async function assertCgroupGone(name: string) {
  for (const hierarchy of ['memory', 'pids']) {
    await assert.rejects(access(`/sys/fs/cgroup/${hierarchy}/${name}`), { code: 'ENOENT' });
  }
}

describe('runSandboxed: limits', () => {
  let task: TaskFolders;
  before(async () => {
    task = await createTaskFolders(PROBE);
  });
  after(() => task.remove());

  it('kills the app at its time limit', async () => {
    const result = await runSandboxed({
      ...task,
      args: ['spin'],
      timeLimitMs: 1_500,
      memoryLimitBytes: 128 * MiB,
      maxProcesses: 64,
    });
    assert.equal(result.status, 'timeout');
    // The app spins forever: ending at all proves the kill; the bound (limit + 5 s) says "promptly" with
    // room for a loaded CI machine.
    assert.ok(result.durationMs >= 1_500 && result.durationMs < 6_500, `took ${result.durationMs} ms`);
    await assertCgroupGone(result.cgroupName);
  });

  it('kills the app at its memory limit', async () => {
    const limit = 96 * MiB;
    const result = await runSandboxed({
      ...task,
      args: ['memory'],
      timeLimitMs: 10_000,
      memoryLimitBytes: limit,
      maxProcesses: 64,
    });
    assert.equal(result.status, 'memory', result.stderrTail);
    assert.equal(result.signal, 'SIGKILL');
    assert.ok(result.peakMemoryBytes >= limit * 0.9, `peak ${result.peakMemoryBytes}`);
    assert.match(result.stdoutTail, /allocated \d+ MiB\n$/);
    await assertCgroupGone(result.cgroupName);
  });

  it('stops process creation at its limit, and leaves no process behind when the app ends', async () => {
    const marker = `confide-bomb-${randomBytes(6).toString('hex')}`;
    const result = await runSandboxed({
      ...task,
      args: ['forkbomb', marker],
      timeLimitMs: 15_000,
      memoryLimitBytes: 256 * MiB,
      maxProcesses: 32,
    });
    assert.equal(result.status, 'exited', result.stderrTail);
    assert.equal(result.exitCode, 0, result.stdoutTail);
    assert.match(result.stdoutTail, /^contained/);
    assert.equal(result.processLimitReached, true);
    await assertCgroupGone(result.cgroupName);
    assert.deepEqual(await processesWith(marker), []);
  });

  it('contains a fork bomb that runs until the deadline, and kills all of it', async () => {
    const marker = `confide-bomb-${randomBytes(6).toString('hex')}`;
    const result = await runSandboxed({
      ...task,
      args: ['forkbomb', marker, 'hold'],
      timeLimitMs: 2_000,
      memoryLimitBytes: 256 * MiB,
      maxProcesses: 32,
    });
    assert.equal(result.status, 'timeout');
    // The kernel's own count: a fork was refused at pids.max. (The app may be too starved by
    // its own bomb to print before the deadline, so its output is not what is checked here.)
    assert.equal(result.processLimitReached, true);
    await assertCgroupGone(result.cgroupName);
    assert.deepEqual(await processesWith(marker), []);
  });
});
