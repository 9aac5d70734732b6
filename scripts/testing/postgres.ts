// A throwaway PostgreSQL server for tests, and `forEachDatabase`, which runs a suite on SQLite and
// on PostgreSQL. One server per test file (node --test runs each file in its own process), started
// on first use, one database per suite, stopped by PID when the file's tests are done.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { chownSync, existsSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';

/** A running throwaway server. */
type PostgresServer = {
  /** Creates an empty database and returns its `postgres://` URL. */
  createDatabase: () => Promise<string>;
  /** Stops the server (fast shutdown, by PID) and deletes its files. */
  stop: () => Promise<void>;
};

const INSTALL_HINT =
  'PostgreSQL server binaries (postgres, initdb) not found by `pg_config --bindir`, in /usr/lib/postgresql/*/bin ' +
  'or on PATH: install the Debian package `postgresql` (apt-get install postgresql); the market and indexer ' +
  'tests run on it as well as on SQLite.';

/** Where `postgres`, `initdb` and `createdb` are: pg_config's bindir, Debian's versioned dirs, then PATH. */
function findBinDir(): string {
  const candidates: string[] = [];
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: 'pipe' }).trim());
  } catch {
    // no pg_config: look elsewhere
  }
  if (existsSync('/usr/lib/postgresql')) {
    const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
  }
  candidates.push(...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean));
  const found = candidates.find((dir) =>
    ['postgres', 'initdb', 'createdb'].every((bin) => existsSync(path.join(dir, bin))),
  );
  if (!found) throw new Error(INSTALL_HINT);
  return found;
}

/** PostgreSQL refuses to run as root: as root, run it as Debian's `postgres` system user. */
function unprivileged(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: 'pipe' }));
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error(
      'running as root, and PostgreSQL refuses root: create the unprivileged `postgres` user ' +
        '(the Debian package `postgresql` does) or run the tests as another user.',
    );
  }
}

/** `command args` as `as` (through setpriv, which execs: the PID is the command's own). */
function asUser(as: { uid: number; gid: number } | null, command: string, args: string[]): [string, string[]] {
  if (!as) return [command, args];
  return ['setpriv', [`--reuid=${as.uid}`, `--regid=${as.gid}`, '--clear-groups', '--', command, ...args]];
}

/**
 * An initdb'ed cluster to copy (initdb takes seconds, a copy a tenth of that), made once per
 * machine, binaries and user, in the temporary directory; made aside and renamed into place, so
 * that test files starting together never see half of one.
 */
function templateCluster(bin: string, as: { uid: number; gid: number } | null): string {
  const key = createHash('sha256').update(`${bin}:${process.getuid?.()}:wal1`).digest('hex').slice(0, 12);
  const template = path.join(tmpdir(), `confide-pg-template-${key}`);
  if (existsSync(path.join(template, 'PG_VERSION'))) return template;
  const aside = mkdtempSync(path.join(tmpdir(), 'confide-pg-initdb-'));
  if (as) chownSync(aside, as.uid, as.gid);
  const data = path.join(aside, 'data');
  try {
    execFileSync(
      ...asUser(as, path.join(bin, 'initdb'), [
        '-D',
        data,
        '-U',
        'postgres',
        '-A',
        'trust',
        '-E',
        'UTF8',
        '--no-locale',
        '--no-sync',
        // 1 MiB WAL segments instead of 16: a tenth of the bytes to copy per server.
        '--wal-segsize=1',
      ]),
      { stdio: 'pipe', cwd: aside },
    );
    renameSync(data, template);
  } catch (error) {
    // Another test file made it first: use theirs.
    if (existsSync(path.join(template, 'PG_VERSION'))) return template;
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    throw new Error(`initdb failed: ${stderr.slice(0, 2000)}`);
  } finally {
    rmSync(aside, { recursive: true, force: true });
  }
  return template;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no free loopback port');
  return address.port;
}

/**
 * Starts a PostgreSQL server in a new temporary directory, listening on a free loopback port
 * (its unix socket in that directory), with durability off: tests need speed, not crash safety.
 * @throws when the binaries are missing, with the package to install
 * @example const server = await startPostgres(); const url = await server.createDatabase(); … await server.stop();
 */
async function startPostgres(): Promise<PostgresServer> {
  const bin = findBinDir();
  const as = unprivileged();
  const dir = mkdtempSync(path.join(tmpdir(), 'confide-pg-'));
  if (as) chownSync(dir, as.uid, as.gid);
  const data = path.join(dir, 'data');
  try {
    // cp -a keeps the owner and the 0700 mode PostgreSQL insists on.
    execFileSync('cp', ['-a', templateCluster(bin, as), data], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const port = await freePort();
  const settings = ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off', 'max_connections=200'];
  const [command, args] = asUser(as, path.join(bin, 'postgres'), [
    '-D',
    data,
    '-k',
    dir,
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    ...settings.flatMap((s) => ['-c', s]),
  ]);
  const child: ChildProcess = spawn(command, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const pid = child.pid as number;
  const exited = once(child, 'exit');
  // Should the test process die first, do not leave the server behind.
  const kill = () => {
    try {
      process.kill(pid, 'SIGQUIT');
    } catch {
      // already gone
    }
  };
  process.once('exit', kill);
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('ready to accept connections')) resolve();
    };
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      rmSync(dir, { recursive: true, force: true });
      reject(new Error(`postgres exited with ${code} before it was ready: ${log.slice(-2000)}`));
    });
  });

  let databases = 0;
  const createdb = path.join(bin, 'createdb');
  return {
    createDatabase: async () => {
      const name = `test_${++databases}`;
      const child = spawn(createdb, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', name], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const [code] = (await once(child, 'exit')) as [number | null];
      if (code !== 0) throw new Error(`createdb ${name} failed (${code}): ${stderr}`);
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    stop: async () => {
      process.off('exit', kill);
      if (child.exitCode === null && child.signalCode === null) {
        // SIGINT is PostgreSQL's fast shutdown: clients are disconnected, nothing waits for them.
        process.kill(pid, 'SIGINT');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A backend a suite runs on: `create` gives the location of a new, empty database. */
type TestDatabase = {
  kind: 'sqlite' | 'postgres';
  /** A new SQLite file in a temporary directory, or a new database on this file's PostgreSQL server. */
  create: () => Promise<string>;
};

let server: Promise<PostgresServer> | undefined;
let sqliteDir: string | undefined;
let files = 0;
let cleanupRegistered = false;

const BACKENDS: readonly TestDatabase[] = [
  {
    kind: 'sqlite',
    create: async () => {
      sqliteDir ??= mkdtempSync(path.join(tmpdir(), 'confide-sqlite-'));
      return path.join(sqliteDir, `db-${++files}.sqlite`);
    },
  },
  {
    kind: 'postgres',
    create: async () => {
      server ??= startPostgres();
      return (await server).createDatabase();
    },
  },
];

/**
 * Defines a suite once per database backend, SQLite then PostgreSQL; the PostgreSQL server is
 * started on the first `create` and stopped after the file's last test. Missing PostgreSQL
 * binaries fail the PostgreSQL suites (never skip them), saying which package to install.
 * @example forEachDatabase((database) => describe(`store (${database.kind})`, () => { … await database.create() … }))
 */
export function forEachDatabase(suite: (database: TestDatabase) => void): void {
  if (!cleanupRegistered) {
    cleanupRegistered = true;
    after(async () => {
      if (server) await (await server.catch(() => null))?.stop();
      if (sqliteDir) rmSync(sqliteDir, { recursive: true, force: true });
    });
  }
  for (const database of BACKENDS) suite(database);
}
