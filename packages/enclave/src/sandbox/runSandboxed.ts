import { spawn } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import { access, chown, lstat, readFile, realpath } from 'node:fs/promises';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { BUNDLE_MANIFEST_PATH } from '../bundle/bundleFormat.js';
import { parseBundleManifest } from '../bundle/parseBundleManifest.js';
import {
  type BundleInvalidError,
  type SandboxCleanupError,
  SandboxOptionsInvalidError,
  SandboxSetupError,
  SandboxUnavailableError,
} from '../errors.js';
import { ARGS_FD, buildBwrapArgs, STARTED_FD } from './buildBwrapArgs.js';
import { createSandboxCgroup } from './createSandboxCgroup.js';

/** The unprivileged user apps run as when the runner is root: `nobody`. */
export const SANDBOX_UID = 65534;
/** How much of the end of stdout and of stderr is kept. */
export const SANDBOX_TAIL_BYTES = 64 * 1024;

/** Options of {@link runSandboxed}. */
export type RunSandboxedParameters = {
  /** The unpacked bundle (with `confide.json`), mounted read-only at `/app`. */
  bundleDir: string;
  /** The inputs, mounted read-only at `/iexec_in`. */
  inputDir: string;
  /** The only writable folder, mounted at `/iexec_out`; handed to the sandbox user when root. */
  outputDir: string;
  /** Appended to the command line after the entrypoint, as iExec does with `iexec_args`. */
  args?: readonly string[];
  /** The app's whole environment (see `buildAppEnvironment`); nothing else is inherited but `PWD=/app`, which bwrap sets. */
  env?: Readonly<Record<string, string>>;
  /** Wall-clock limit, from start to kill. */
  timeLimitMs: number;
  /** Memory limit of the whole sandbox (cgroup), `/tmp` included. */
  memoryLimitBytes: number;
  /** Limit on processes *and threads* (`pids.max`); one Node.js needs about 12. */
  maxProcesses: number;
  /** Aborting kills the run; its status is then `killed`. */
  abortSignal?: AbortSignal;
  /** Defaults: `process.execPath`, `/usr/bin/bwrap`, `/usr/bin/setpriv`, `/bin/bash`, `/sys/fs/cgroup`. */
  nodePath?: string;
  bwrapPath?: string;
  setprivPath?: string;
  shellPath?: string;
  cgroupRoot?: string;
};

/** How a run ended. */
export type SandboxStatus = 'exited' | 'timeout' | 'memory' | 'killed';

/** What {@link runSandboxed} returns. */
export type RunSandboxedReturnType = {
  /** `exited` (any exit code), `timeout`, `memory` (the OOM killer fired) or `killed` (by a signal or an abort). */
  status: SandboxStatus;
  /** The app's exit code, when it exited by itself. */
  exitCode: number | null;
  /** The signal that ended the app (inferred from bwrap's 128+n convention), or the runner's kill. */
  signal: NodeJS.Signals | null;
  durationMs: number;
  /** The last {@link SANDBOX_TAIL_BYTES} of stdout and stderr. */
  stdoutTail: string;
  stderrTail: string;
  /** Highest memory use of the sandbox, from the cgroup. */
  peakMemoryBytes: number;
  /** Whether creating a process or thread was refused by `maxProcesses`. */
  processLimitReached: boolean;
  /** Name of the run's (now removed) cgroups, `confide-<random>`, for logs. */
  cgroupName: string;
};

/** Errors {@link runSandboxed} can throw. A failing app is a result, not an error. */
export type RunSandboxedErrorType =
  | SandboxOptionsInvalidError
  | SandboxUnavailableError
  | SandboxSetupError
  | SandboxCleanupError
  | BundleInvalidError;

// Runs as root before the drop: closes every inherited descriptor above bwrap's two, joins the
// run's cgroups (so every descendant is counted and can be killed), then execs the rest.
const WRAPPER = [
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion
  'for fd in /proc/$$/fd/*; do fd=${fd##*/}; if [ "$fd" -gt 4 ]; then eval "exec $fd>&-"; fi; done',
  'echo $$ > "$1" || exit 125',
  'echo $$ > "$2" || exit 125',
  'shift 2',
  'exec "$@"',
].join('\n');

/**
 * Runs an app bundle's entrypoint with Node.js inside a bubblewrap sandbox (flags and what each
 * isolates: see `buildBwrapArgs`) and per-run cgroups. When the runner is root the app runs as
 * uid/gid 65534 (through `setpriv`, before bwrap), so the bundle and input folders, and their
 * parents, must be readable (`x` is enough on parents) by that user. The deadline kills every
 * process of the run; the memory limit is enforced by the kernel (OOM killer); `maxProcesses`
 * caps forks and threads. Only the tails of stdout and stderr are kept. Whatever happens, the
 * processes are killed and the cgroups removed before this returns or throws.
 * @param parameters folders, arguments, environment and limits
 * @returns how the app ended, its duration, output tails and counters
 * @throws SandboxSetupError when the sandbox could not start the app (e.g. a folder unreadable by the sandbox user)
 * @example
 * const result = await runSandboxed({ bundleDir, inputDir, outputDir, env: buildAppEnvironment(task),
 *   args: ['--mode', 'fast'], timeLimitMs: 60_000, memoryLimitBytes: 512 * 2 ** 20, maxProcesses: 64 });
 * if (result.status === 'exited' && result.exitCode === 0) await readComputedJson(outputDir);
 */
export async function runSandboxed(parameters: RunSandboxedParameters): Promise<RunSandboxedReturnType> {
  const { timeLimitMs, memoryLimitBytes, maxProcesses } = parameters;
  const args = parameters.args ?? [];
  const env = parameters.env ?? {};
  validateOptions(parameters, args, env);
  const bwrapPath = parameters.bwrapPath ?? '/usr/bin/bwrap';
  const setprivPath = parameters.setprivPath ?? '/usr/bin/setpriv';
  const shellPath = parameters.shellPath ?? '/bin/bash';
  const isRoot = process.getuid?.() === 0;
  await assertExecutable(bwrapPath, 'BWRAP_MISSING');
  await assertExecutable(shellPath, 'SHELL_MISSING');
  if (isRoot) await assertExecutable(setprivPath, 'SETPRIV_MISSING');

  const bundleDir = await realpath(parameters.bundleDir);
  const manifest = parseBundleManifest(await readFile(path.join(bundleDir, BUNDLE_MANIFEST_PATH)));
  const entrypoint = await realpath(path.join(bundleDir, manifest.entrypoint)).catch(() => '');
  if (!entrypoint.startsWith(`${bundleDir}/`) || !(await lstat(entrypoint)).isFile()) {
    throw new SandboxSetupError({ details: `entrypoint ${manifest.entrypoint} is not a file inside ${bundleDir}` });
  }
  if (isRoot) await chown(parameters.outputDir, SANDBOX_UID, SANDBOX_UID);
  const { argv, fdArgs } = buildBwrapArgs({
    bundleDir,
    inputDir: await realpath(parameters.inputDir),
    outputDir: await realpath(parameters.outputDir),
    nodePath: await realpath(parameters.nodePath ?? process.execPath),
    entrypoint: manifest.entrypoint,
    args,
    env,
    tmpSizeBytes: memoryLimitBytes,
  });
  const drop = isRoot
    ? [setprivPath, `--reuid=${SANDBOX_UID}`, `--regid=${SANDBOX_UID}`, '--clear-groups', '--inh-caps=-all']
    : [];

  const cgroup = await createSandboxCgroup({
    cgroupRoot: parameters.cgroupRoot ?? '/sys/fs/cgroup',
    memoryLimitBytes,
    maxProcesses,
  });
  try {
    const startTime = performance.now();
    // An empty environment: bwrap's init inside is visible at /proc/1, environ included.
    const child = spawn(
      shellPath,
      ['-c', WRAPPER, 'confide-sandbox', ...cgroup.procsFiles, ...drop, bwrapPath, ...argv],
      {
        cwd: '/',
        env: {},
        stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
      },
    );
    const stdout = tailOf(child.stdout);
    const stderr = tailOf(child.stderr);
    const startedStream = child.stdio[STARTED_FD] as Readable;
    let started = '';
    startedStream.on('data', (chunk: Buffer) => {
      started += chunk.toString();
    });
    const argsPipe = child.stdio[ARGS_FD] as Writable;
    argsPipe.on('error', () => undefined);
    argsPipe.end(fdArgs.map((arg) => `${arg}\0`).join(''));

    let stoppedBy: 'timeout' | 'abort' | undefined;
    const stop = (reason: 'timeout' | 'abort') => {
      stoppedBy ??= reason;
      // Killing bwrap makes the kernel kill its PID namespace (--die-with-parent); the sweep
      // catches anything in the cgroup that was between namespaces at that instant.
      if (child.pid !== undefined) child.kill('SIGKILL');
      void cgroup.killAll();
    };
    const timer = setTimeout(() => stop('timeout'), timeLimitMs);
    const onAbort = () => stop('abort');
    if (parameters.abortSignal?.aborted) onAbort();
    parameters.abortSignal?.addEventListener('abort', onAbort, { once: true });

    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve({ code, signal }));
    }).finally(() => {
      clearTimeout(timer);
      parameters.abortSignal?.removeEventListener('abort', onAbort);
    });
    const durationMs = Math.round(performance.now() - startTime);
    await cgroup.killAll();
    // bwrap holds the started descriptor until it exits, so its end means all of it was read.
    await allClosed([child.stdout, child.stderr, startedStream], 2_000);
    const stats = await cgroup.readStats();

    // A prefix: the launcher writes first, before the app exists; what follows cannot matter.
    if (!started.startsWith('started') && stoppedBy === undefined) {
      throw new SandboxSetupError({
        details: `exit ${exit.code ?? exit.signal}: ${stderr.text().trim().slice(-2000) || 'no message'}`,
      });
    }
    let exitCode = exit.code;
    let signal = exit.signal;
    if (exitCode !== null && exitCode > 128 && exitCode <= 128 + 64) {
      signal = signalName(exitCode - 128);
      exitCode = null;
    }
    const runStatus: SandboxStatus =
      stoppedBy === 'timeout'
        ? 'timeout'
        : stats.oomKills > 0
          ? 'memory'
          : stoppedBy === 'abort' || signal !== null
            ? 'killed'
            : 'exited';
    return {
      status: runStatus,
      exitCode,
      signal,
      durationMs,
      stdoutTail: stdout.text(),
      stderrTail: stderr.text(),
      peakMemoryBytes: stats.peakMemoryBytes,
      processLimitReached: stats.processLimitReached,
      cgroupName: cgroup.name,
    };
  } finally {
    await cgroup.destroy();
  }
}

function validateOptions(
  parameters: RunSandboxedParameters,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): void {
  const invalid = (details: string) => new SandboxOptionsInvalidError({ details });
  const limits = [
    ['timeLimitMs', parameters.timeLimitMs, 1, 7 * 24 * 3600 * 1000],
    ['memoryLimitBytes', parameters.memoryLimitBytes, 32 * 1024 * 1024, 2 ** 50],
    ['maxProcesses', parameters.maxProcesses, 16, 1_000_000],
  ] as const;
  for (const [name, value, min, max] of limits) {
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw invalid(`${name} must be an integer in [${min}, ${max}], got ${value}`);
    }
  }
  for (const [name, value] of Object.entries(env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw invalid(`environment variable name ${JSON.stringify(name)}`);
    if (typeof value !== 'string' || value.includes('\0')) throw invalid(`the value of ${name} has a NUL character`);
  }
  for (const arg of args) {
    if (typeof arg !== 'string' || arg.includes('\0')) throw invalid('an argument has a NUL character');
  }
}

async function assertExecutable(file: string, reason: SandboxUnavailableError['reason']): Promise<void> {
  try {
    await access(file, fsConstants.X_OK);
  } catch (cause) {
    throw new SandboxUnavailableError(reason, { details: `${file} is missing or not executable`, cause });
  }
}

function signalName(number: number): NodeJS.Signals | null {
  const entry = Object.entries(osConstants.signals).find(([, value]) => value === number);
  return (entry?.[0] as NodeJS.Signals | undefined) ?? null;
}

/** Keeps the last {@link SANDBOX_TAIL_BYTES} of a stream, dropping older chunks as it goes. */
function tailOf(stream: Readable | null): { text: () => string } {
  const chunks: Buffer[] = [];
  let size = 0;
  stream?.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    size += chunk.length;
    while (chunks.length > 1 && size - (chunks[0]?.length ?? 0) >= SANDBOX_TAIL_BYTES) {
      size -= chunks.shift()?.length ?? 0;
    }
  });
  return { text: () => Buffer.concat(chunks).subarray(-SANDBOX_TAIL_BYTES).toString('utf8') };
}

/** Waits until every stream has closed, or destroys those still open after `timeoutMs`. */
async function allClosed(streams: readonly (Readable | null)[], timeoutMs: number): Promise<void> {
  const open = streams.filter((stream): stream is Readable => stream !== null && !stream.closed);
  let timer: NodeJS.Timeout | undefined;
  const closed = Promise.all(open.map((stream) => new Promise((resolve) => stream.once('close', resolve))));
  const late = new Promise((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([closed, late]);
  clearTimeout(timer);
  for (const stream of open) stream.destroy();
}
