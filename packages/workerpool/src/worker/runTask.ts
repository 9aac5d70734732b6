import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import {
  type Account,
  type Address,
  type Chain,
  type Hex,
  hexToString,
  type PublicClient,
  type Transport,
  toHex,
  type WalletClient,
  zeroAddress,
} from 'viem';
import { bundleFingerprint, startEnclaveProcess } from '../../../enclave/src/index.js';
import {
  appRegistryAbi,
  confideHubAbi,
  datasetRegistryAbi,
  failureReason,
  parseDealParams,
  readBulkSlice,
  TaskStatus,
} from '../../../protocol/src/index.js';
import type { Storage } from '../../../storage/src/index.js';
import { type FaultInjection, runReplicatedTask } from './runReplicatedTask.js';
import type { SchedulerClient, WorkerTaskStatus } from './schedulerClient.js';

/** What a worker needs to run one task. */
export type RunTaskContext = {
  publicClient: PublicClient<Transport, Chain>;
  wallet: WalletClient<Transport, Chain, Account>;
  hub: Address;
  storage: Storage;
  scheduler: SchedulerClient;
  smsUrl: string;
  /** The worker's own folder for this task: ciphertext and the encrypted result only. */
  taskDir: string;
  /** A tmpfs folder for the enclave's work dir (it must not exist; its parent must). */
  enclaveWorkDir: string;
  platformKeyFile: string;
  limits: { memoryLimitBytes: number; maxProcesses: number };
  smsRetryMs: number;
  log: Logger;
  /** Called at every status change (the status endpoint and the scheduler's heartbeat). */
  onStatus: (status: WorkerTaskStatus, extra?: { reason?: string; results?: string }) => Promise<void>;
  /** FAULT INJECTION, FOR TESTS ONLY: see `byzantine` in the worker's configuration. */
  byzantine?: FaultInjection | undefined;
};

/** How the task ended for this worker. */
export type RunTaskOutcome =
  | { status: 'COMPLETED'; tx: Hex; resultCid: string }
  | { status: 'FAILED'; tx?: Hex; reason: string };

/** A multiaddr as registered on chain: the bytes of `/ipfs/<cid>`. */
function cidOf(multiaddr: Hex): string {
  const text = hexToString(multiaddr);
  const match = /^\/ipfs\/([A-Za-z0-9]+)$/.exec(text);
  if (!match?.[1]) throw new Error(`multiaddr '${text}' is not /ipfs/<cid>`);
  return match[1];
}

async function download(storage: Storage, cid: string, file: string, signal?: AbortSignal): Promise<Hex> {
  const hash = createHash('sha256');
  const source = Readable.from(storage.get(cid, signal ? { signal } : {}));
  source.on('data', (chunk: Uint8Array) => hash.update(chunk));
  await pipeline(source, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
  return `0x${hash.digest('hex')}`;
}

/**
 * Runs one leased task: reads it from the chain (never from the scheduler), downloads and
 * checks the app bundle and the encrypted dataset, starts the enclave process, has the
 * scheduler authorize that enclave, lets the enclave get its secrets and run the app, uploads
 * the encrypted result and settles the task on chain (`contributeAndFinalize` or the signed
 * `reportFailure`). A mismatching bundle or dataset is not refused here: the enclave measures
 * and checks what it is given and signs the failure, so the requester is refunded at once.
 */
export async function runTask(taskId: Hex, ctx: RunTaskContext): Promise<RunTaskOutcome> {
  const { publicClient, hub, log } = ctx;
  const read = <T>(address: Address, abi: unknown, functionName: string, args: unknown[]) =>
    publicClient.readContract({ address, abi, functionName, args } as never) as Promise<T>;
  await ctx.onStatus('RECEIVED');
  const task = await read<{
    status: number;
    dealId: Hex;
    idx: bigint;
    timeref: bigint;
    contributionDeadline: bigint;
  }>(hub, confideHubAbi, 'viewTask', [taskId]);
  if (TaskStatus[task.status] !== 'ACTIVE') throw new Error(`task ${taskId} is ${TaskStatus[task.status]}, not ACTIVE`);
  const deal = await read<{
    app: Address;
    dataset: Address;
    botFirst: bigint;
    botSize: bigint;
    trust: number;
    tag: bigint;
  }>(hub, confideHubAbi, 'viewDeal', [task.dealId]);
  const [appRegistry, datasetRegistry] = await Promise.all([
    read<Address>(hub, confideHubAbi, 'appRegistry', []),
    read<Address>(hub, confideHubAbi, 'datasetRegistry', []),
  ]);
  const app = await read<{ multiaddr: Hex; checksum: Hex; fingerprint: Hex }>(appRegistry, appRegistryAbi, 'viewApp', [
    deal.app,
  ]);
  await mkdir(ctx.taskDir, { recursive: true, mode: 0o700 });

  await ctx.onStatus('DOWNLOADING_APP');
  const bundleFile = path.join(ctx.taskDir, 'app.cfb');
  const appChecksum = await download(ctx.storage, cidOf(app.multiaddr), bundleFile);
  const fingerprint = bundleFingerprint(new Uint8Array(await readFile(bundleFile)));
  if (deal.trust > 1 && (BigInt(deal.tag) & 1n) === 0n) {
    // Trust above 1 and no TEE tag: Proof of Contribution, no enclave and no secret.
    return runReplicatedTask(taskId, ctx, { task, deal, app, bundleFile, appChecksum, datasetRegistry });
  }
  if (appChecksum !== app.checksum.toLowerCase() || fingerprint !== app.fingerprint.toLowerCase()) {
    log.warn(
      { taskId, app: deal.app },
      'app bundle differs from its registration; the enclave will be refused its keys',
    );
  }

  let dataset: { address: Address; file: string; checksum: Hex } | undefined;
  if (deal.dataset !== zeroAddress) {
    await ctx.onStatus('DOWNLOADING_DATA');
    const info = await read<{ multiaddr: Hex; checksum: Hex }>(datasetRegistry, datasetRegistryAbi, 'viewDataset', [
      deal.dataset,
    ]);
    const file = path.join(ctx.taskDir, 'dataset.enc');
    const checksum = await download(ctx.storage, cidOf(info.multiaddr), file);
    if (checksum !== info.checksum.toLowerCase()) log.warn({ taskId }, 'dataset ciphertext differs from its checksum');
    dataset = { address: deal.dataset, file, checksum: info.checksum };
  }

  const bulkDatasets = deal.dataset === zeroAddress ? await downloadBulkSlice(ctx, task, datasetRegistry) : undefined;

  await ctx.onStatus('COMPUTING');
  const enclave = await startEnclaveProcess({ taskId, bundleFile, platformKeyFile: ctx.platformKeyFile });
  log.info({ taskId, enclave: enclave.enclaveAddress, pid: enclave.pid }, 'enclave started');
  const worker = ctx.wallet.account.address;
  const resultFile = path.join(ctx.taskDir, 'result.age');
  let outcome: Awaited<ReturnType<typeof enclave.run>>;
  let authorizationSign: Hex;
  try {
    authorizationSign = await ctx.scheduler.authorize(taskId, enclave.enclaveAddress);
    const workerSign = await ctx.wallet.account.signMessage?.({ message: { raw: enclave.secretsRequestHash } });
    if (!workerSign) throw new Error('the worker account cannot sign messages');
    const timeLimitMs = Number(task.timeref) * 1000;
    outcome = await enclave.run({
      sms: { url: ctx.smsUrl, retryForMs: ctx.smsRetryMs },
      worker,
      authorizationSign,
      workerSign,
      task: {
        dealId: task.dealId,
        taskIndex: Number(task.idx),
        botSize: Number(deal.botSize),
        botFirst: Number(deal.botFirst),
      },
      ...(dataset ? { dataset } : {}),
      ...(bulkDatasets ? { bulkDatasets } : {}),
      limits: { timeLimitMs, ...ctx.limits },
      workDir: ctx.enclaveWorkDir,
      resultFile,
      timeoutMs: timeLimitMs + ctx.smsRetryMs + 60_000,
    });
  } finally {
    await enclave.kill();
  }

  if (outcome.outcome === 'failed') {
    log.info({ taskId, reason: outcome.reason, diagnostic: outcome.diagnostic }, 'enclave reported a failure');
    const tx = await ctx.wallet.writeContract({
      address: hub,
      abi: confideHubAbi,
      functionName: 'reportFailure',
      args: [taskId, failureReason(outcome.reason), enclave.enclaveAddress, outcome.enclaveSign, authorizationSign],
    });
    await waitSuccess(publicClient, tx);
    await ctx.onStatus('FAILED', { reason: outcome.reason });
    return { status: 'FAILED', tx, reason: outcome.reason };
  }

  await ctx.onStatus('UPLOADING');
  const { cid } = await ctx.storage.put(createReadStream(resultFile));
  log.info({ taskId, cid }, 'result uploaded');
  await ctx.onStatus('CONTRIBUTED');
  const tx = await ctx.wallet.writeContract({
    address: hub,
    abi: confideHubAbi,
    functionName: 'contributeAndFinalize',
    args: [
      taskId,
      outcome.resultDigest,
      toHex(`/ipfs/${cid}`),
      outcome.callbackData ?? '0x',
      enclave.enclaveAddress,
      outcome.enclaveSign,
      authorizationSign,
    ],
  });
  await waitSuccess(publicClient, tx);
  await ctx.onStatus('COMPLETED');
  return { status: 'COMPLETED', tx, resultCid: cid };
}

/**
 * For a bulk task (dataset 0x0, `bulk_cid` in the deal's params): reads slice `idx` of the
 * request (CID-verified) and downloads each dataset it names. Nothing here is trusted or
 * refused: what cannot be read is logged and left out, and the enclave, which gets the list and
 * the checksums from the SMS, fails the task signed.
 */
async function downloadBulkSlice(
  ctx: RunTaskContext,
  task: { dealId: Hex; idx: bigint },
  datasetRegistry: Address,
): Promise<{ address: Address; file: string }[] | undefined> {
  const { publicClient, hub, log } = ctx;
  const [event] = await publicClient.getContractEvents({
    address: hub,
    abi: confideHubAbi,
    eventName: 'DealParams',
    args: { dealId: task.dealId },
    fromBlock: 0n,
  });
  let rootCid: string | undefined;
  try {
    rootCid = parseDealParams(event?.args.params ?? '').bulkCid;
  } catch {
    return undefined; // The SMS refuses params it cannot run; the enclave signs that failure.
  }
  if (rootCid === undefined) return undefined;
  await ctx.onStatus('DOWNLOADING_DATA');
  let orders: Awaited<ReturnType<typeof readBulkSlice>>;
  try {
    orders = await readBulkSlice({ source: ctx.storage, rootCid, index: Number(task.idx) });
  } catch (error) {
    log.warn({ rootCid, err: String(error) }, 'bulk slice unreadable; the SMS will refuse the task');
    return [];
  }
  const files: { address: Address; file: string }[] = [];
  for (const [i, order] of orders.entries()) {
    try {
      const info = (await publicClient.readContract({
        address: datasetRegistry,
        abi: datasetRegistryAbi,
        functionName: 'viewDataset',
        args: [order.dataset],
      })) as { multiaddr: Hex };
      const file = path.join(ctx.taskDir, `bulk-${i}.enc`);
      await download(ctx.storage, cidOf(info.multiaddr), file);
      files.push({ address: order.dataset, file });
    } catch (error) {
      log.warn({ dataset: order.dataset, err: String(error) }, 'bulk dataset not downloaded');
    }
  }
  log.info({ rootCid, slice: String(task.idx), datasets: files.length }, 'bulk slice downloaded');
  return files;
}

async function waitSuccess(client: PublicClient<Transport, Chain>, hash: Hex): Promise<void> {
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success') throw new Error(`transaction ${hash} reverted`);
}

/** Removes what a task left in the worker's folders. */
export async function cleanTask(ctx: Pick<RunTaskContext, 'taskDir' | 'enclaveWorkDir'>): Promise<void> {
  await rm(ctx.taskDir, { recursive: true, force: true });
  await rm(ctx.enclaveWorkDir, { recursive: true, force: true });
}
