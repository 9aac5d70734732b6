import { lstatSync, readlinkSync } from 'node:fs';
import path from 'node:path';

/** A host path the sandbox's read-only system root is made of. */
type SystemPath = { path: string; symlinkTarget?: string };

/** The descriptor bwrap reads its secret options from, as set up by `runSandboxed`'s spawn. */
export const ARGS_FD = 3;
/** The descriptor the launcher writes `started` to just before it becomes the app, then closes. */
export const STARTED_FD = 4;

// Runs inside the sandbox, after bwrap's setup succeeded: tells the runner the app is starting
// (so that a setup failure is never mistaken for the app's own exit), closes that descriptor,
// and becomes the app.
const LAUNCHER = `printf started >&${STARTED_FD}; exec "$@" ${STARTED_FD}>&-`;

/** Options of {@link buildBwrapArgs}. */
type BuildBwrapArgsParameters = {
  bundleDir: string;
  inputDir: string;
  outputDir: string;
  /** Absolute path of the `node` binary on the host; mounted at the same path if outside `/usr`. */
  nodePath: string;
  /** The manifest's entrypoint, relative to the bundle. */
  entrypoint: string;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  /** Size of the `/tmp` tmpfs, in bytes. */
  tmpSizeBytes: number;
  /** What of the host's `/` to expose read-only; defaults to {@link listSystemPaths}. */
  systemPaths?: readonly SystemPath[];
};

/** What {@link buildBwrapArgs} returns. */
type BuildBwrapArgsReturnType = {
  /** bwrap's command line: visible to host users in `ps`, so it holds no secret. */
  argv: string[];
  /** Options read by bwrap from {@link ARGS_FD} (NUL-separated): the environment, secrets included. */
  fdArgs: string[];
};

/**
 * The host paths a dynamically linked `node` needs: `/usr` and the top-level `/bin`, `/sbin`,
 * `/lib*` (kept as the symlinks they usually are), and the dynamic loader's cache. Nothing of
 * `/etc` but that, no `/home`, `/root`, `/run`, `/var`, `/tmp`, `/sys`.
 * @example listSystemPaths() // [{ path: '/usr' }, { path: '/bin', symlinkTarget: 'usr/bin' }, …]
 */
export function listSystemPaths(): SystemPath[] {
  const found: SystemPath[] = [{ path: '/usr' }];
  for (const candidate of ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc/ld.so.cache']) {
    try {
      const info = lstatSync(candidate);
      if (info.isSymbolicLink()) found.push({ path: candidate, symlinkTarget: readlinkSync(candidate) });
      else found.push({ path: candidate });
    } catch {
      // Not on this distribution.
    }
  }
  return found;
}

/**
 * Builds the bubblewrap arguments of one app run. The isolation each flag gives:
 * - `--unshare-all --unshare-user`: new user, mount, PID, network, IPC, UTS and cgroup namespaces.
 *   The network namespace has only a loopback of its own: no route anywhere, and the host's
 *   127.0.0.1 and abstract Unix sockets are other namespaces' and unreachable. The PID namespace
 *   hides every host process; the IPC one, host shared memory and queues.
 * - `--disable-userns`: the app cannot create nested user namespaces (kernel attack surface).
 * - `--die-with-parent`: the sandbox is SIGKILLed if bwrap or the runner dies.
 * - `--new-session`: a new session, so the app cannot inject input into a terminal (TIOCSTI).
 * - `--hostname confide`: the host's name is not visible either.
 * - `--ro-bind` of `/usr`, `/lib*`, `/bin`, the loader cache and node: a minimal read-only system;
 *   the rest of the host (homes, `/root`, `/etc`, `/var`, `/run`, the host `/tmp`, keys) is absent.
 * - `--proc /proc`: a procfs of the new PID namespace (its `/proc/1` is bwrap's init, whose
 *   environment the runner leaves empty); `--dev /dev`: only null, zero, full, random, urandom, tty.
 * - `--size N --tmpfs /tmp`: a private, size-capped `/tmp` (its pages also count in the memory cgroup).
 * - `--ro-bind bundle /app`, `--ro-bind inputs /iexec_in`, `--bind outputs /iexec_out`: the only
 *   task folders, and only the output one is writable.
 * - `--remount-ro /dev` then `--remount-ro /`: the root and `/dev` tmpfs that bwrap builds become
 *   read-only, so nothing but `/iexec_out` and `/tmp` can be written.
 * - `--chdir /app`, `--clearenv` and `--setenv`: a known working folder and exactly the given
 *   environment; the `--setenv` pairs go through a descriptor (`--args`), never the command line.
 * The app is started by `/bin/sh` as a launcher that reports on {@link STARTED_FD} that setup
 * succeeded, closes it, and execs `node` (so the app holds no descriptor of the runner).
 * bwrap also sets `no_new_privs` and leaves the app with no capabilities.
 * @param parameters the run
 * @returns the command line and the options passed through the descriptor
 * @example
 * const { argv, fdArgs } = buildBwrapArgs({ bundleDir, inputDir, outputDir, nodePath: '/usr/bin/node',
 *   entrypoint: 'main.js', args: [], env: { IEXEC_OUT: '/iexec_out' }, tmpSizeBytes: 2 ** 26 });
 */
export function buildBwrapArgs(parameters: BuildBwrapArgsParameters): BuildBwrapArgsReturnType {
  const systemPaths = parameters.systemPaths ?? listSystemPaths();
  const argv = [
    '--unshare-all',
    '--unshare-user',
    '--disable-userns',
    '--die-with-parent',
    '--new-session',
    '--hostname',
    'confide',
  ];
  for (const entry of systemPaths) {
    if (entry.symlinkTarget !== undefined) argv.push('--symlink', entry.symlinkTarget, entry.path);
    else argv.push('--ro-bind', entry.path, entry.path);
  }
  const nodePath = path.resolve(parameters.nodePath);
  if (!systemPaths.some((entry) => entry.symlinkTarget === undefined && nodePath.startsWith(`${entry.path}/`))) {
    argv.push('--ro-bind', nodePath, nodePath);
  }
  argv.push(
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--size',
    String(parameters.tmpSizeBytes),
    '--tmpfs',
    '/tmp',
    '--ro-bind',
    path.resolve(parameters.bundleDir),
    '/app',
    '--ro-bind',
    path.resolve(parameters.inputDir),
    '/iexec_in',
    '--bind',
    path.resolve(parameters.outputDir),
    '/iexec_out',
    '--remount-ro',
    '/dev',
    '--remount-ro',
    '/',
    '--chdir',
    '/app',
    '--clearenv',
    '--args',
    String(ARGS_FD),
    '--',
    '/bin/sh',
    '-c',
    LAUNCHER,
    'confide-launch',
    nodePath,
    `/app/${parameters.entrypoint}`,
    ...parameters.args,
  );
  const fdArgs: string[] = [];
  for (const [name, value] of Object.entries(parameters.env)) fdArgs.push('--setenv', name, value);
  return { argv, fdArgs };
}
