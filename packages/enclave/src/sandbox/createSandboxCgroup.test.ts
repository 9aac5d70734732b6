import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { SandboxUnavailableError } from '../errors.js';
import { createSandboxCgroup } from './createSandboxCgroup.js';

describe('createSandboxCgroup', () => {
  it('creates memory and pids groups with the limits, then kills their processes and removes them', async () => {
    const cgroup = await createSandboxCgroup({
      cgroupRoot: '/sys/fs/cgroup',
      memoryLimitBytes: 64 * 2 ** 20,
      maxProcesses: 20,
    });
    const memoryDir = `/sys/fs/cgroup/memory/${cgroup.name}`;
    const pidsDir = `/sys/fs/cgroup/pids/${cgroup.name}`;
    try {
      assert.equal((await readFile(`${memoryDir}/memory.limit_in_bytes`, 'utf8')).trim(), String(64 * 2 ** 20));
      assert.equal((await readFile(`${pidsDir}/pids.max`, 'utf8')).trim(), '20');
      // A process that joins both groups, then waits forever.
      const child = spawn(
        '/bin/sh',
        ['-c', 'echo $$ > "$1"; echo $$ > "$2"; exec sleep 1000', 'sh', ...cgroup.procsFiles],
        {
          stdio: 'ignore',
        },
      );
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const deadline = Date.now() + 5_000;
      while (!(await readFile(`${pidsDir}/cgroup.procs`, 'utf8')).trim() && Date.now() < deadline) {
        await new Promise((resolve) => setImmediate(resolve));
      }
      assert.equal((await readFile(`${pidsDir}/cgroup.procs`, 'utf8')).trim(), String(child.pid));
      await cgroup.destroy();
      assert.equal(await exited, null);
      await assert.rejects(access(memoryDir), { code: 'ENOENT' });
      await assert.rejects(access(pidsDir), { code: 'ENOENT' });
      await cgroup.destroy();
    } finally {
      await cgroup.destroy();
    }
  });

  it('error: no writable cgroup hierarchy', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'confide-no-cgroup-'));
    try {
      await assert.rejects(
        createSandboxCgroup({ cgroupRoot: root, memoryLimitBytes: 2 ** 26, maxProcesses: 16 }),
        (error) => error instanceof SandboxUnavailableError && error.reason === 'CGROUPS_UNAVAILABLE',
      );
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
