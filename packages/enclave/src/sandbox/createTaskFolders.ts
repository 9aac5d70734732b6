import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Hex } from 'viem';
import { bundleFingerprint } from '../bundle/bundleFingerprint.js';
import { packBundle } from '../bundle/packBundle.js';
import { unpackBundle } from '../bundle/unpackBundle.js';

/** The folders of one task, as the enclave runtime lays them out. */
export type TaskFolders = {
  root: string;
  bundleDir: string;
  inputDir: string;
  outputDir: string;
  /** Fingerprint of the packed app. */
  fingerprint: Hex;
  /** Removes everything. */
  remove: () => Promise<void>;
};

/**
 * Lays out a task the way the enclave runtime does: packs `appDir` and unpacks it to `app/`
 * (the production path), writes `inputs` to `in/`, creates an empty `out/`. The root is
 * private to root except for traversal (0711), so the sandbox user can reach the three folders
 * without being able to list the root. For tests and local runs.
 * @param appDir an app directory with `confide.json`
 * @param inputs file name → content, written to the input folder
 * @returns the folders and a function removing them
 * @example
 * const task = await createTaskFolders('apps/hello');
 * try { await runSandboxed({ ...task, timeLimitMs: 10_000, memoryLimitBytes: 2 ** 28, maxProcesses: 64 }) }
 * finally { await task.remove() }
 */
export async function createTaskFolders(appDir: string, inputs: Record<string, string> = {}): Promise<TaskFolders> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'confide-task-'));
  try {
    await chmod(root, 0o711);
    const bytes = await packBundle(appDir);
    const bundleDir = path.join(root, 'app');
    await unpackBundle(bytes, bundleDir);
    const inputDir = path.join(root, 'in');
    await mkdir(inputDir);
    await chmod(inputDir, 0o755);
    for (const [name, content] of Object.entries(inputs)) {
      await writeFile(path.join(inputDir, name), content, { mode: 0o644 });
    }
    const outputDir = path.join(root, 'out');
    await mkdir(outputDir);
    return {
      root,
      bundleDir,
      inputDir,
      outputDir,
      fingerprint: bundleFingerprint(bytes),
      remove: () => rm(root, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}
