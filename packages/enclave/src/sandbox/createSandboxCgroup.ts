import { randomBytes } from 'node:crypto';
import { access, constants, mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { SandboxCleanupError, SandboxUnavailableError } from '../errors.js';

/** Options of {@link createSandboxCgroup}. */
type CreateSandboxCgroupParameters = {
  /** Where the cgroup v1 hierarchies are mounted; `memory` and `pids` must be below. */
  cgroupRoot: string;
  memoryLimitBytes: number;
  /** `pids.max`: processes and threads together. */
  maxProcesses: number;
};

/** What the kernel counted during a run. */
type SandboxCgroupStats = {
  /** How many times the OOM killer killed a process of the group. */
  oomKills: number;
  /** Highest memory use of the group, in bytes. */
  peakMemoryBytes: number;
  /** Whether a fork or thread creation was refused because of `pids.max`. */
  processLimitReached: boolean;
};

/** A pair of per-run cgroups (memory and pids) with the same name. */
type SandboxCgroup = {
  name: string;
  /** The `cgroup.procs` files a process must join, memory's then pids'. */
  procsFiles: [string, string];
  readStats: () => Promise<SandboxCgroupStats>;
  /** SIGKILLs every process in the group, once. */
  killAll: () => Promise<void>;
  /**
   * Kills what is left, waits until the groups are empty and removes them. Idempotent.
   * @throws SandboxCleanupError when that takes longer than `timeoutMs`
   */
  destroy: (timeoutMs?: number) => Promise<void>;
};

/**
 * Creates the cgroups of one sandbox run under the cgroup v1 `memory` and `pids` hierarchies,
 * named `confide-<random>`, with `memory.limit_in_bytes` (and the same memory+swap limit, so
 * swap cannot extend it) and `pids.max`. The caller moves the run's first process into both
 * `procsFiles`; its descendants inherit them.
 * @param parameters where and with which limits
 * @returns the groups, with what is needed to read their counters, kill and remove them
 * @throws SandboxUnavailableError `CGROUPS_UNAVAILABLE` when the hierarchies are missing or not writable
 * @example
 * const cgroup = await createSandboxCgroup({ cgroupRoot: '/sys/fs/cgroup', memoryLimitBytes: 2 ** 28, maxProcesses: 64 });
 * try { … } finally { await cgroup.destroy(); }
 */
export async function createSandboxCgroup(parameters: CreateSandboxCgroupParameters): Promise<SandboxCgroup> {
  const name = `confide-${randomBytes(8).toString('hex')}`;
  const memoryDir = path.join(parameters.cgroupRoot, 'memory', name);
  const pidsDir = path.join(parameters.cgroupRoot, 'pids', name);
  for (const hierarchy of ['memory', 'pids']) {
    try {
      await access(path.join(parameters.cgroupRoot, hierarchy, 'cgroup.procs'), constants.W_OK);
    } catch (cause) {
      throw new SandboxUnavailableError('CGROUPS_UNAVAILABLE', {
        details: `the cgroup v1 ${hierarchy} hierarchy at ${parameters.cgroupRoot}/${hierarchy} is missing or not writable`,
        cause,
      });
    }
  }
  const created: string[] = [];
  const removeCreated = async () => {
    for (const dir of created.reverse()) await rmdir(dir).catch(() => undefined);
  };
  try {
    await mkdir(memoryDir);
    created.push(memoryDir);
    await writeFile(path.join(memoryDir, 'memory.limit_in_bytes'), String(parameters.memoryLimitBytes));
    // Absent when swap accounting is off; then there is no swap to limit through this group.
    await writeFile(path.join(memoryDir, 'memory.memsw.limit_in_bytes'), String(parameters.memoryLimitBytes)).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      },
    );
    await mkdir(pidsDir);
    created.push(pidsDir);
    await writeFile(path.join(pidsDir, 'pids.max'), String(parameters.maxProcesses));
  } catch (error) {
    await removeCreated();
    throw error;
  }

  const listProcesses = async (): Promise<number[]> => {
    const pids = new Set<number>();
    for (const dir of [memoryDir, pidsDir]) {
      const text = await readFile(path.join(dir, 'cgroup.procs'), 'utf8').catch(() => '');
      for (const line of text.split('\n')) if (line) pids.add(Number(line));
    }
    return [...pids];
  };
  const killAll = async () => {
    for (const pid of await listProcesses()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  };
  let destroyed = false;

  return {
    name,
    procsFiles: [path.join(memoryDir, 'cgroup.procs'), path.join(pidsDir, 'cgroup.procs')],
    killAll,
    async readStats() {
      const read = (file: string) => readFile(file, 'utf8').catch(() => '');
      const oomControl = await read(path.join(memoryDir, 'memory.oom_control'));
      const pidsEvents = await read(path.join(pidsDir, 'pids.events'));
      return {
        oomKills: Number(/^oom_kill (\d+)$/m.exec(oomControl)?.[1] ?? 0),
        peakMemoryBytes: Number((await read(path.join(memoryDir, 'memory.max_usage_in_bytes'))).trim() || 0),
        processLimitReached: Number(/^max (\d+)$/m.exec(pidsEvents)?.[1] ?? 0) > 0,
      };
    },
    async destroy(timeoutMs = 5_000) {
      if (destroyed) return;
      const deadline = Date.now() + timeoutMs;
      // Poll the real condition (no process left, directory removed) until the deadline.
      for (;;) {
        await killAll();
        const remaining: string[] = [];
        for (const dir of [pidsDir, memoryDir]) {
          try {
            await rmdir(dir);
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'ENOENT') remaining.push(dir);
          }
        }
        if (remaining.length === 0) break;
        if (Date.now() > deadline) {
          const left = await listProcesses();
          throw new SandboxCleanupError({
            details: `${remaining.join(', ')} could not be removed; processes left: ${left.join(' ') || 'none'}`,
          });
        }
        await delay(10);
      }
      destroyed = true;
    },
  };
}
