import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { binArgs } from '../../cli/src/stack/bins.js';
import { createKuboStorage } from './createKuboStorage.js';
import { deriveCid } from './deriveCid.js';
import { MIB, pseudoRandomBytes, temporaryDirectory } from './testing.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const TOKEN = 'bin-test-token-0123456789abcdef';

type LogLine = { level: number; msg: string; [field: string]: unknown };

/** `confide-storage` running as a child process, as a shell would start it. */
type Running = {
  child: ChildProcess;
  /** The fields of its `storage ready` line. */
  ready: { rpc: string; gateway: string };
  /** Settles when it exits, with its code and the JSON lines it wrote on stdout and stderr. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: LogLine[]; stderr: LogLine[] }>;
};

const started: ChildProcess[] = [];

/** Spawns the bin; `ready` resolves on its ready line, or rejects with what it wrote if it exits first. */
function spawnBin(env: Record<string, string>): Omit<Running, 'ready'> & { ready: Promise<Running['ready']> } {
  const { NODE_TEST_CONTEXT: _, ...inherited } = process.env;
  const child = spawn(process.execPath, binArgs('storage'), {
    cwd: ROOT,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  const stdout: LogLine[] = [];
  const stderr: LogLine[] = [];
  let onReady: (line: Running['ready']) => void = () => {};
  const ready = new Promise<Running['ready']>((resolve) => {
    onReady = resolve;
  });
  const collect = (stream: NodeJS.ReadableStream, lines: LogLine[]) => {
    const reader = createInterface({ input: stream });
    reader.on('line', (text) => {
      const line = JSON.parse(text) as LogLine;
      lines.push(line);
      if (line.msg === 'storage ready') onReady(line as LogLine & Running['ready']);
    });
    return once(reader, 'close');
  };
  const closed = Promise.all([
    collect(child.stdout as NodeJS.ReadableStream, stdout),
    collect(child.stderr as NodeJS.ReadableStream, stderr),
  ]);
  const exited = (async () => {
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    await closed;
    return { code, signal, stdout, stderr };
  })();
  const exitedFirst = exited.then((result) => {
    throw new Error(`confide-storage exited with ${result.code} before it was ready: ${JSON.stringify(result.stderr)}`);
  });
  const readyOrExited = Promise.race([ready, exitedFirst]);
  readyOrExited.catch(() => {}); // awaited only by callers that wait for the ready line
  return { child, exited, ready: readyOrExited };
}

async function startBin(directory: string): Promise<Running> {
  const { child, exited, ready } = spawnBin({
    STORAGE_DIR: directory,
    STORAGE_RPC_PORT: '0',
    STORAGE_GATEWAY_PORT: '0',
    STORAGE_RPC_TOKEN: TOKEN,
  });
  return { child, exited, ready: await ready };
}

after(() => {
  // Only the children this file started, and only those still running after a failed test.
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

describe('confide-storage', () => {
  it('serves the RPC API and the gateway on free ports, stops on SIGTERM, and keeps content across restarts', {
    timeout: 60_000,
  }, async () => {
    const { directory, remove } = await temporaryDirectory();
    after(remove);
    const bytes = await pseudoRandomBytes(MIB, 'bin 1mib');
    const first = await startBin(directory);
    assert.match(first.ready.rpc, /^http:\/\/127\.0\.0\.1:[1-9]\d*$/);
    assert.match(first.ready.gateway, /^http:\/\/127\.0\.0\.1:[1-9]\d*$/);
    assert.notEqual(first.ready.rpc, first.ready.gateway);

    const writer = createKuboStorage({ url: first.ready.rpc, headers: { authorization: `Bearer ${TOKEN}` } });
    const { cid } = await writer.put(bytes);
    await writer.close();
    assert.equal(cid, (await deriveCid(bytes)).cid);
    const anonymous = createKuboStorage({ url: first.ready.rpc });
    await assert.rejects(anonymous.put(bytes), { name: 'StorageRequestFailedError', message: /Authorization: Bearer/ });
    await anonymous.close();
    const served = await fetch(`${first.ready.gateway}/ipfs/${cid}`);
    assert.equal(served.status, 200);
    assert.ok(Buffer.from(await served.arrayBuffer()).equals(bytes));

    first.child.kill('SIGTERM');
    const stopped = await first.exited;
    assert.deepEqual([stopped.code, stopped.signal], [0, null]);
    assert.deepEqual(
      stopped.stdout.map((line) => line.msg),
      ['storage ready', 'storage stopping', 'storage stopped'],
    );
    assert.equal(stopped.stdout[1]?.signal, 'SIGTERM');
    assert.deepEqual(stopped.stderr, []);
    assert.doesNotMatch(JSON.stringify(stopped), new RegExp(TOKEN), 'the token is never logged');

    const second = await startBin(directory);
    const again = await fetch(`${second.ready.gateway}/ipfs/${cid}`);
    assert.ok(Buffer.from(await again.arrayBuffer()).equals(bytes), 'the content survived the restart');
    const reader = createKuboStorage({ url: second.ready.rpc });
    assert.equal(await reader.has(cid), true);
    await reader.close();
    second.child.kill('SIGINT');
    assert.equal((await second.exited).code, 0);
  });

  it('error: invalid configuration or a port in use exits 2 with one line and a stable code', async () => {
    const { directory, remove } = await temporaryDirectory();
    after(remove);
    const busy = createServer();
    busy.listen(0, '127.0.0.1');
    await once(busy, 'listening');
    const { port } = busy.address() as { port: number };
    try {
      const cases: [Record<string, string>, RegExp][] = [
        [{ STORAGE_RPC_PORT: 'abc' }, /STORAGE_RPC_PORT must be an integer in 0\.\.65535, got "abc"/],
        [{ STORAGE_RPC_TOKEN: 'short' }, /STORAGE_RPC_TOKEN must be 16 characters or more/],
        [{ STORAGE_RPC_PORT: String(port) }, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port} \\(EADDRINUSE\\)`)],
      ];
      for (const [env, message] of cases) {
        const { exited } = spawnBin({ STORAGE_DIR: directory, STORAGE_GATEWAY_PORT: '0', ...env });
        const { code, stdout, stderr } = await exited;
        assert.equal(code, 2, JSON.stringify(stderr));
        assert.deepEqual(stdout, []);
        assert.equal(stderr.length, 1);
        assert.equal(stderr[0]?.code, 'CONFIDE_STORAGE_CONFIG_INVALID');
        assert.equal(stderr[0]?.msg, 'storage failed to start');
        assert.match(String(stderr[0]?.error), message);
      }
    } finally {
      busy.close();
    }
  });
});
