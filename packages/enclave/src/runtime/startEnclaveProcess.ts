import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Address, Hex } from 'viem';
import { EnclaveProcessError } from '../errors.js';
import type { EnclaveProcessOutcome, EnclaveReply, EnclaveRequest } from './enclaveProtocol.js';

/** Parameters of {@link startEnclaveProcess}. */
export type StartEnclaveProcessParameters = {
  taskId: Hex;
  /** The downloaded canonical bundle; the enclave measures the bytes of this file. */
  bundleFile: string;
  /** The sim platform's private key file, readable by the enclave process. */
  platformKeyFile: string;
  /** How long the enclave may take to open (measure, create keys, quote). Default 30 s. */
  openTimeoutMs?: number;
};

/** Parameters of {@link EnclaveProcess.run}. */
export type EnclaveProcessRunParameters = Extract<EnclaveRequest, { type: 'run' }>['params'] & {
  resultFile: string;
  /** Kill the enclave if it has not answered by then (the task's time limit plus the SMS retries). */
  timeoutMs: number;
};

/** A running enclave process: its public identity, then `run` once. */
export type EnclaveProcess = {
  readonly pid: number;
  readonly enclaveAddress: Address;
  readonly sealingPublicKey: Hex;
  readonly quote: Hex;
  readonly platform: 'sim';
  readonly secretsRequestHash: Hex;
  /** Runs the task; the encrypted result, if any, is in `resultFile`. The process ends after. */
  run: (parameters: EnclaveProcessRunParameters) => Promise<EnclaveProcessOutcome>;
  /** Kills the process (and its sandbox with it) and removes the work dir it was given. */
  kill: () => Promise<void>;
};

const SOURCE = fileURLToPath(new URL('./enclaveMain.ts', import.meta.url));
/** Built by `npm run compile` (scripts/build-bundles.mjs): starts in ~0.1 s instead of ~1.3 s through tsx. */
const BUNDLED = fileURLToPath(new URL('../../dist/enclaveMain.mjs', import.meta.url));

/** The command that starts an enclave: the bundled runtime when it was built, the TypeScript source otherwise. */
function enclaveCommand(): string[] {
  return existsSync(BUNDLED) ? [BUNDLED] : ['--import', import.meta.resolve('tsx'), SOURCE];
}

/**
 * Starts the enclave runtime of one task as its own process, with an empty environment: the
 * worker's keys and configuration never reach it, and its keys never reach the worker. The
 * two speak in JSON lines (see `enclaveProtocol.ts`).
 * @throws EnclaveProcessError `EXITED`, `TIMEOUT`, `REFUSED` (e.g. an invalid bundle), `PROTOCOL`
 * @example
 * const enclave = await startEnclaveProcess({ taskId, bundleFile, platformKeyFile })
 * const authorizationSign = await scheduler.authorize(enclave.enclaveAddress)
 * const outcome = await enclave.run({ sms, worker, authorizationSign, workerSign, task, limits, workDir, resultFile, timeoutMs })
 */
export async function startEnclaveProcess(p: StartEnclaveProcessParameters): Promise<EnclaveProcess> {
  const child = spawn(process.execPath, enclaveCommand(), {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const replies = createInterface({ input: child.stdout });
  const stderr: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.join('').length < 4096) stderr.push(chunk.toString());
  });
  let workDir: string | undefined;
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    if (workDir) await rm(workDir, { recursive: true, force: true });
  };
  const ask = async (request: EnclaveRequest, timeoutMs: number): Promise<EnclaveReply> => {
    try {
      child.stdin.write(`${JSON.stringify(request)}\n`);
      return await nextReply(child, replies, timeoutMs, () => stderr.join('').slice(-1024));
    } catch (error) {
      await kill();
      throw error;
    }
  };

  const identity = await ask(
    { type: 'open', taskId: p.taskId, bundleFile: p.bundleFile, platformKeyFile: p.platformKeyFile },
    p.openTimeoutMs ?? 30_000,
  );
  if (identity.type !== 'identity') {
    await kill();
    throw unexpected(identity);
  }
  let used = false;
  return Object.freeze({
    pid: child.pid ?? -1,
    enclaveAddress: identity.enclaveAddress,
    sealingPublicKey: identity.sealingPublicKey,
    quote: identity.quote,
    platform: identity.platform,
    secretsRequestHash: identity.secretsRequestHash,
    kill,
    async run({ resultFile, timeoutMs, ...params }: EnclaveProcessRunParameters) {
      if (used) throw new EnclaveProcessError('REFUSED', { details: 'run was already called' });
      used = true;
      workDir = params.workDir;
      try {
        const answer = await ask({ type: 'run', params, resultFile }, timeoutMs);
        if (answer.type !== 'outcome') throw unexpected(answer);
        return answer.outcome;
      } finally {
        await kill();
      }
    },
  });
}

function unexpected(reply: EnclaveReply): EnclaveProcessError {
  if (reply.type === 'error') {
    return new EnclaveProcessError('REFUSED', {
      details: `${reply.name}${reply.code ? ` ${reply.code}` : ''}${reply.reason ? ` (${reply.reason})` : ''}: ${reply.message}`,
    });
  }
  return new EnclaveProcessError('PROTOCOL', { details: `unexpected '${reply.type}' reply` });
}

/** The next JSON line of the enclave, or why there is none. */
function nextReply(
  child: ChildProcess,
  replies: Interface,
  timeoutMs: number,
  stderrTail: () => string,
): Promise<EnclaveReply> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      replies.off('line', onLine);
      child.off('exit', onExit);
      child.off('error', onExit);
    };
    const onLine = (line: string) => {
      done();
      try {
        resolve(JSON.parse(line) as EnclaveReply);
      } catch {
        reject(new EnclaveProcessError('PROTOCOL', { details: 'a reply that is not JSON' }));
      }
    };
    const onExit = () => {
      done();
      reject(new EnclaveProcessError('EXITED', { details: `exited before answering; stderr: ${stderrTail()}` }));
    };
    const timer = setTimeout(() => {
      done();
      reject(new EnclaveProcessError('TIMEOUT', { details: `no answer in ${timeoutMs} ms` }));
    }, timeoutMs);
    replies.on('line', onLine);
    child.once('exit', onExit);
    child.once('error', onExit);
    if (child.exitCode !== null || child.signalCode !== null) onExit();
  });
}
