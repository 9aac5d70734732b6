// The enclave runtime as its own process: the trusted part of a task, apart from the worker.
// The worker starts it with an empty environment and speaks to it in JSON lines on stdin/stdout
// (see enclaveProtocol.ts). Its keys live only in this process's memory; the worker sees the
// public identity, then the signed outcome and the encrypted result file.
import { readFile, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Hex } from 'viem';
import { ConfideError } from '../../../errors/src/index.js';
import { createSimPlatform } from '../quote/createSimPlatform.js';
import { createEnclaveSession, type EnclaveSession } from './createEnclaveSession.js';
import type { EnclaveReply, EnclaveRequest } from './enclaveProtocol.js';

const reply = (message: EnclaveReply) => process.stdout.write(`${JSON.stringify(message)}\n`);

function describe(error: unknown): EnclaveReply {
  if (error instanceof ConfideError) {
    return { type: 'error', name: error.name, code: error.code, reason: error.reason, message: error.shortMessage };
  }
  return { type: 'error', name: error instanceof Error ? error.name : 'Error', message: String(error) };
}

let session: EnclaveSession | undefined;
let running = false;

async function handle(request: EnclaveRequest): Promise<void> {
  if (request.type === 'open') {
    if (session) throw new Error('the enclave is already open');
    const [bundle, platformKey] = await Promise.all([
      readFile(request.bundleFile),
      readFile(request.platformKeyFile, 'utf8'),
    ]);
    session = await createEnclaveSession({
      platform: createSimPlatform({ privateKey: platformKey.trim() as Hex }),
      bundle,
      taskId: request.taskId,
    });
    reply({
      type: 'identity',
      enclaveAddress: session.enclaveAddress,
      sealingPublicKey: session.sealingPublicKey,
      quote: session.quote,
      platform: session.platform,
      secretsRequestHash: session.secretsRequestHash,
    });
    return;
  }
  if (!session) throw new Error('open the enclave before running it');
  const { dataset, bulkDatasets, ...rest } = request.params;
  running = true;
  const outcome = await session.run({
    ...rest,
    ...(dataset ? { dataset: { address: dataset.address, ciphertext: dataset.file, checksum: dataset.checksum } } : {}),
    ...(bulkDatasets ? { bulkDatasets: bulkDatasets.map((d) => ({ address: d.address, ciphertext: d.file })) } : {}),
  });
  if (outcome.outcome === 'completed') {
    const { encryptedResult, ...signed } = outcome;
    await writeFile(request.resultFile, encryptedResult, { flag: 'wx', mode: 0o644 });
    reply({ type: 'outcome', outcome: signed });
  } else {
    reply({ type: 'outcome', outcome });
  }
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  let request: EnclaveRequest;
  try {
    request = JSON.parse(line) as EnclaveRequest;
  } catch (error) {
    reply(describe(error));
    return;
  }
  handle(request).then(
    () => {
      if (request.type === 'run') process.exit(0);
    },
    (error: unknown) => {
      reply(describe(error));
      process.exit(1);
    },
  );
});
// Without its worker, an idle enclave ends; a running one finishes, so that it cleans its work dir.
lines.on('close', () => {
  if (!running) process.exit(session ? 0 : 1);
});
