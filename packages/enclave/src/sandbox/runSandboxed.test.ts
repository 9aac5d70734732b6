import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SandboxOptionsInvalidError, SandboxSetupError } from '../errors.js';
import { createTaskFolders, type TaskFolders } from './createTaskFolders.js';
import { runSandboxed } from './runSandboxed.js';

const PROBE = path.resolve(import.meta.dirname, '../../test-apps/probe');
const LIMITS = { timeLimitMs: 10_000, memoryLimitBytes: 128 * 1024 * 1024, maxProcesses: 64 };
const INPUT = 'timestamp,station,pm25,no2\n2024-01-01T00:00Z,A,12,30\n';

describe('runSandboxed: isolation', () => {
  let task: TaskFolders;
  before(async () => {
    task = await createTaskFolders(PROBE, { 'data.csv': INPUT });
  });
  after(() => task.remove());
  const probe = async (args: string[], env: Record<string, string> = {}) => {
    const result = await runSandboxed({ ...task, args, env, ...LIMITS });
    assert.equal(result.status, 'exited', result.stderrTail);
    assert.equal(result.exitCode, 0, result.stderrTail);
    return result;
  };

  it('cannot open a socket, even to a server on the host loopback', async () => {
    const connections: Socket[] = [];
    const server = createServer((socket) => {
      connections.push(socket);
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const seen = JSON.parse((await probe(['network', String(port)])).stdoutTail);
      assert.match(seen.net, /^error /);
      assert.match(seen.fetch, /^error /);
      assert.match(seen.dns, /^error /);
      // The sandbox's only interface is its own loopback.
      assert.deepEqual(
        seen.interfaces
          .split('\n')
          .slice(2)
          .filter(Boolean)
          .map((line: string) => line.trim().split(':')[0]),
        ['lo'],
      );
      assert.equal(connections.length, 0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('cannot write its inputs, its code, or anywhere but /iexec_out and its own /tmp', async () => {
    const marker = randomBytes(8).toString('hex');
    const seen = JSON.parse((await probe(['write', marker])).stdoutTail) as Record<string, string>;
    const { '/tmp/scratch': tmp, '/iexec_out/ok.txt': out, ...forbidden } = seen;
    assert.equal(tmp, 'ok');
    assert.equal(out, 'ok');
    assert.ok(Object.keys(forbidden).length >= 12);
    for (const [target, outcome] of Object.entries(forbidden)) {
      assert.match(outcome, /^error (EROFS|EACCES|ENOENT|EPERM)$/, `${target}: ${outcome}`);
    }
    assert.equal(await readFile(path.join(task.inputDir, 'data.csv'), 'utf8'), INPUT);
    assert.equal(await readFile(path.join(task.outputDir, 'ok.txt'), 'utf8'), 'ok');
    const hostScratch = await readFile('/tmp/scratch', 'utf8').catch(() => '');
    assert.equal(hostScratch.includes(marker), false, "the app's /tmp is not the host's");
  });

  it("cannot read the worker's home, keys or environment", async () => {
    const fileSecret = `file-secret-${randomBytes(12).toString('hex')}`;
    const envSecret = `env-secret-${randomBytes(12).toString('hex')}`;
    const home = await mkdtemp(path.join(os.tmpdir(), 'confide-worker-home-'));
    // Readable by everyone: only the sandbox's mount namespace keeps it out.
    await chmod(home, 0o755);
    await mkdir(path.join(home, '.ssh'), { mode: 0o755 });
    const keyFile = path.join(home, '.ssh', 'id_ed25519');
    await writeFile(keyFile, fileSecret, { mode: 0o644 });
    process.env.CONFIDE_TEST_WORKER_SECRET = envSecret;
    try {
      const result = await probe(['secrets', home, keyFile, '/root', '/proc/1/environ', '/proc/self/environ'], {
        IEXEC_OUT: '/iexec_out',
      });
      const seen = JSON.parse(result.stdoutTail);
      for (const secret of [fileSecret, envSecret]) {
        assert.equal(result.stdoutTail.includes(secret), false);
        assert.equal(result.stderrTail.includes(secret), false);
      }
      assert.equal(seen[`read ${keyFile}`], 'error ENOENT');
      assert.equal(seen[`list ${home}`], 'error ENOENT');
      assert.equal(seen['list /root'], 'error ENOENT');
      assert.equal(seen['list /home'], 'error ENOENT');
      assert.equal(seen['list /work'], 'error ENOENT');
      assert.equal(seen['list /etc'], 'ld.so.cache');
      assert.deepEqual(seen.env, { IEXEC_OUT: '/iexec_out', PWD: '/app' });
      assert.equal(seen.uid, 65534);
      // Only the sandbox's own processes are visible: bwrap's init and the app.
      assert.deepEqual(
        Object.keys(seen).filter((key) => key.endsWith('/environ') && key.startsWith('/proc/') && /\d/.test(key)),
        ['/proc/1/environ', '/proc/2/environ'],
      );
      // No open file of the host: stdin is /dev/null, the rest are pipes and node's own.
      for (const [fd, target] of Object.entries(seen.fds as Record<string, string>)) {
        assert.ok(
          !target.startsWith('/') || target === '/dev/null' || target.startsWith('/proc/'),
          `fd ${fd}: ${target}`,
        );
      }
      for (const name of await readdir(task.outputDir)) {
        const content = await readFile(path.join(task.outputDir, name), 'utf8');
        assert.equal(content.includes(fileSecret) || content.includes(envSecret), false);
      }
    } finally {
      delete process.env.CONFIDE_TEST_WORKER_SECRET;
      await rm(home, { recursive: true, force: true });
    }
  });

  it("reports the app's exit code, and the signal that killed it", async () => {
    const exited = await runSandboxed({ ...task, args: ['exit', '3'], ...LIMITS });
    assert.deepEqual([exited.status, exited.exitCode, exited.signal], ['exited', 3, null]);
    const killed = await runSandboxed({ ...task, args: ['signal', 'SIGSEGV'], ...LIMITS });
    assert.deepEqual([killed.status, killed.exitCode, killed.signal], ['killed', null, 'SIGSEGV']);
  });

  it('stops the app when aborted', async () => {
    const result = await runSandboxed({ ...task, args: ['spin'], ...LIMITS, abortSignal: AbortSignal.timeout(300) });
    assert.equal(result.status, 'killed');
    assert.ok(result.durationMs < 5_300, `took ${result.durationMs} ms (aborted after 300 ms)`);
  });

  it('error: a folder the sandbox user cannot reach, before the app starts', async () => {
    // mkdtemp makes a 0700 folder: the sandbox user cannot traverse it to reach the inputs.
    const hidden = await mkdtemp(path.join(os.tmpdir(), 'confide-hidden-'));
    const inputDir = path.join(hidden, 'in');
    await mkdir(inputDir, { mode: 0o755 });
    try {
      await assert.rejects(
        runSandboxed({ ...task, inputDir, args: ['exit', '0'], ...LIMITS }),
        (error) => error instanceof SandboxSetupError && /Permission denied/.test(error.details ?? ''),
      );
    } finally {
      await rm(hidden, { recursive: true, force: true });
    }
  });

  it('error: invalid limits or environment', async () => {
    const refuses = (overrides: object) =>
      assert.rejects(runSandboxed({ ...task, ...LIMITS, ...overrides }), SandboxOptionsInvalidError);
    await refuses({ timeLimitMs: 0 });
    await refuses({ memoryLimitBytes: 1024 });
    await refuses({ maxProcesses: 2 });
    await refuses({ env: { 'BAD NAME': 'x' } });
    await refuses({ env: { A: 'a\0b' } });
  });
});
