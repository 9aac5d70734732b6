import { createHash } from 'node:crypto';
import { chmod, chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Address, concat, type Hex, keccak256, toHex, zeroAddress } from 'viem';
import { encryptResult } from '../../../crypto/src/index.js';
import {
  archiveOutput,
  buildAppEnvironment,
  bundleFingerprint,
  computeResultDigest,
  readComputedJson,
  runSandboxed,
  SANDBOX_UID,
  unpackBundle,
} from '../../../enclave/src/index.js';
import {
  confideHubAbi,
  datasetRegistryAbi,
  parseDealParams,
  resultHash,
  resultSeal,
  TaskStatus,
} from '../../../protocol/src/index.js';
import { contributionGas } from './contributionGas.js';
import type { RunTaskContext, RunTaskOutcome } from './runTask.js';

/**
 * FAULT INJECTION, FOR TESTS ONLY (see `byzantine` in the worker's configuration): how a worker
 * misbehaves on replicated tasks so that tests can prove the protocol punishes it.
 */
export type ByzantineBehaviour = 'lie' | 'silent-after-commit' | 'copy' | `lie-after:${number}`;

/**
 * FAULT INJECTION, FOR TESTS ONLY: a worker's {@link ByzantineBehaviour} and how many contributions
 * it has committed so far (one counter per worker process, for `lie-after:N`).
 */
export type FaultInjection = { behaviour: ByzantineBehaviour; committed: number };

/** How the worker misbehaves on its next contribution (undefined: honestly). */
function misbehaviour(fault: FaultInjection | undefined): 'lie' | 'silent-after-commit' | 'copy' | undefined {
  if (!fault) return undefined;
  const honestFirst = /^lie-after:(\d+)$/.exec(fault.behaviour)?.[1];
  if (honestFirst === undefined) return fault.behaviour as 'lie' | 'silent-after-commit' | 'copy';
  return fault.committed >= Number(honestFirst) ? 'lie' : undefined;
}

/** What the worker read on chain about the task and its deal. */
type ReplicatedTaskInfo = {
  task: { dealId: Hex; idx: bigint; timeref: bigint; contributionDeadline: bigint };
  deal: { app: Address; dataset: Address; botFirst: bigint; botSize: bigint };
  app: { multiaddr: Hex; checksum: Hex; fingerprint: Hex };
  bundleFile: string;
  appChecksum: Hex;
  datasetRegistry: Address;
};

const ContributionStatus = ['UNSET', 'CONTRIBUTED', 'PROVED', 'REJECTED'] as const;

/** The task cannot be run by this worker: it ends without a commitment (another worker gets the place). */
class ReplicaRefused extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * The replicated path (Proof of Contribution, a deal with trust > 1 and no TEE tag): runs the app
 * in the sandbox with no secret at all (no SMS, no enclave; a dataset, if any, is public: its file
 * must match its on-chain checksum and is given as is), computes the result digest as the enclave
 * would, and commits to it on chain (`contribute`, staking): resultHash = keccak256(taskId ‖ digest),
 * resultSeal = keccak256(worker ‖ taskId ‖ digest). Then it waits for the consensus: when its
 * result won, it stores the result (encrypted to the beneficiary when the request names one),
 * reveals the digest, and tells the scheduler where the result is; otherwise it stops.
 */
export async function runReplicatedTask(
  taskId: Hex,
  ctx: RunTaskContext,
  info: ReplicatedTaskInfo,
): Promise<RunTaskOutcome> {
  const { hub, log } = ctx;
  const worker = ctx.wallet.account.address;
  const byzantine = misbehaviour(ctx.byzantine);
  try {
    let digest: Hex | undefined;
    let commitment: { hash: Hex; seal: Hex };
    let result: Uint8Array | undefined;
    if (byzantine === 'copy') {
      await ctx.onStatus('COMPUTING');
      const copied = await waitForOtherCommitment(ctx, taskId, info);
      log.warn({ taskId, copied: copied.worker }, 'BYZANTINE (test fault injection): copying a result hash');
      commitment = { hash: copied.resultHash, seal: keccak256(concat([worker, copied.resultHash])) };
    } else {
      const computed = await compute(taskId, ctx, info);
      digest = computed.digest;
      result = computed.result;
      if (byzantine === 'lie') {
        digest = keccak256(concat([digest, toHex('a wrong result')]));
        log.warn({ taskId }, 'BYZANTINE (test fault injection): committing to a wrong result');
      }
      commitment = { hash: resultHash(taskId, digest), seal: resultSeal(worker, taskId, digest) };
    }

    const onChain = await readTask(ctx, taskId);
    if (TaskStatus[onChain.status] !== 'ACTIVE') throw new ReplicaRefused('CONSENSUS_ALREADY_REACHED');
    const authorizationSign = await ctx.scheduler.authorize(taskId, zeroAddress);
    const contribution = {
      address: hub,
      abi: confideHubAbi,
      functionName: 'contribute',
      args: [taskId, commitment.hash, commitment.seal, zeroAddress, '0x', authorizationSign],
      account: ctx.wallet.account,
    } as const;
    const contributeTx = await ctx.publicClient
      .estimateContractGas(contribution)
      .then((estimate) => ctx.wallet.writeContract({ ...contribution, gas: contributionGas(estimate) }))
      .catch((error: unknown) => {
        log.warn({ taskId, err: shortError(error) }, 'contribution refused');
        throw new ReplicaRefused('CONTRIBUTION_REFUSED');
      });
    await waitSuccess(ctx, contributeTx);
    log.info({ taskId, tx: contributeTx, resultHash: commitment.hash }, 'result committed');
    await ctx.onStatus('CONTRIBUTED');
    if (ctx.byzantine) ctx.byzantine.committed += 1;
    if (byzantine === 'silent-after-commit' || byzantine === 'copy' || !digest || !result) {
      log.warn({ taskId, byzantine }, 'BYZANTINE (test fault injection): never revealing');
      return { status: 'FAILED', tx: contributeTx, reason: 'NOT_REVEALED' };
    }

    const outcome = await waitForConsensus(ctx, taskId, commitment.hash);
    if (outcome !== 'WON') {
      log.info({ taskId, outcome }, 'result not in the consensus: nothing to reveal');
      return { status: 'FAILED', tx: contributeTx, reason: outcome };
    }
    await ctx.onStatus('UPLOADING');
    const { cid } = await ctx.storage.put(result);
    const revealTx = await ctx.wallet.writeContract({
      address: hub,
      abi: confideHubAbi,
      functionName: 'reveal',
      args: [taskId, digest],
    });
    await waitSuccess(ctx, revealTx);
    log.info({ taskId, tx: revealTx, cid }, 'result revealed');
    await ctx.onStatus('REVEALED', { results: `/ipfs/${cid}` });
    await ctx.onStatus('COMPLETED');
    return { status: 'COMPLETED', tx: revealTx, resultCid: cid };
  } catch (error) {
    if (!(error instanceof ReplicaRefused)) throw error;
    await ctx.onStatus('FAILED', { reason: error.reason });
    return { status: 'FAILED', reason: error.reason };
  }
}

/** Runs the app with no secret and returns its result digest and the result to store. */
async function compute(
  taskId: Hex,
  ctx: RunTaskContext,
  info: ReplicatedTaskInfo,
): Promise<{ digest: Hex; result: Uint8Array }> {
  const { publicClient, hub, log } = ctx;
  const bundle = new Uint8Array(await readFile(info.bundleFile));
  if (
    info.appChecksum !== info.app.checksum.toLowerCase() ||
    bundleFingerprint(bundle) !== info.app.fingerprint.toLowerCase()
  ) {
    // No enclave measures the app on this path: the worker refuses what was not registered.
    throw new ReplicaRefused('APP_CHECKSUM_MISMATCH');
  }
  const [event] = await publicClient.getContractEvents({
    address: hub,
    abi: confideHubAbi,
    eventName: 'DealParams',
    args: { dealId: info.task.dealId },
    fromBlock: 0n,
  });
  let params: ReturnType<typeof parseDealParams>;
  try {
    params = parseDealParams(event?.args.params ?? '');
  } catch {
    throw new ReplicaRefused('PARAMS_INVALID');
  }
  // Nothing secret reaches a worker that is not an enclave; bulk and input files are TEE features.
  if (Object.keys(params.secrets).length > 0 || params.bulkCid !== undefined || params.inputFiles.length > 0) {
    throw new ReplicaRefused('PARAMS_UNSUPPORTED_WITHOUT_TEE');
  }

  const workDir = ctx.enclaveWorkDir;
  const isRoot = process.getuid?.() === 0;
  await mkdir(workDir, { mode: 0o711 });
  await chmod(workDir, 0o711);
  const inputDir = path.join(workDir, 'in');
  const outputDir = path.join(workDir, 'out');
  const bundleDir = path.join(workDir, 'app');
  await mkdir(inputDir, { mode: 0o700 });
  await mkdir(outputDir, { mode: 0o700 });
  const hasDataset = info.deal.dataset !== zeroAddress;
  if (hasDataset) {
    await ctx.onStatus('DOWNLOADING_DATA');
    const dataset = (await publicClient.readContract({
      address: info.datasetRegistry,
      abi: datasetRegistryAbi,
      functionName: 'viewDataset',
      args: [info.deal.dataset],
    } as never)) as { multiaddr: Hex; checksum: Hex };
    const cid = /^\/ipfs\/([A-Za-z0-9]+)$/.exec(Buffer.from(dataset.multiaddr.slice(2), 'hex').toString())?.[1];
    if (!cid) throw new ReplicaRefused('DATASET_LOCATION_INVALID');
    const chunks: Uint8Array[] = [];
    for await (const chunk of ctx.storage.get(cid)) chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    if (`0x${createHash('sha256').update(bytes).digest('hex')}` !== dataset.checksum.toLowerCase()) {
      throw new ReplicaRefused('DATASET_CHECKSUM_MISMATCH');
    }
    const target = path.join(inputDir, info.deal.dataset);
    await writeFile(target, bytes, { mode: 0o400 });
    if (isRoot) await chown(target, SANDBOX_UID, SANDBOX_UID);
  }
  if (isRoot) await chown(inputDir, SANDBOX_UID, SANDBOX_UID);
  await chmod(inputDir, 0o500);
  await unpackBundle(bundle, bundleDir);

  await ctx.onStatus('COMPUTING');
  const env = buildAppEnvironment({
    dealId: info.task.dealId,
    taskId,
    taskIndex: Number(info.task.idx),
    botSize: Number(info.deal.botSize),
    botFirstIndex: Number(info.deal.botFirst),
    inputFiles: [],
    requesterSecrets: {},
    ...(hasDataset ? { datasetAddress: info.deal.dataset, datasetFilename: info.deal.dataset } : {}),
  });
  const run = await runSandboxed({
    bundleDir,
    inputDir,
    outputDir,
    env,
    args: params.args,
    timeLimitMs: Number(info.task.timeref) * 1000,
    ...ctx.limits,
  });
  if (run.status !== 'exited' || run.exitCode !== 0) {
    log.info({ taskId, status: run.status, exitCode: run.exitCode }, 'the app failed: no result to commit');
    throw new ReplicaRefused(run.status === 'exited' ? 'APP_EXIT_NONZERO' : `APP_${run.status.toUpperCase()}`);
  }
  let digest: Hex;
  try {
    digest = await computeResultDigest(outputDir, await readComputedJson(outputDir));
  } catch {
    throw new ReplicaRefused('COMPUTED_JSON_INVALID');
  }
  const archive = await archiveOutput(outputDir);
  const result = params.resultRecipient ? encryptResult(archive, params.resultRecipient) : archive;
  await chmod(inputDir, 0o700).catch(() => undefined);
  await rm(workDir, { recursive: true, force: true });
  return { digest, result };
}

async function readTask(ctx: RunTaskContext, taskId: Hex) {
  return ctx.publicClient.readContract({
    address: ctx.hub,
    abi: confideHubAbi,
    functionName: 'viewTask',
    args: [taskId],
  });
}

/** The copier's wait: the first commitment of another worker to this task. */
async function waitForOtherCommitment(ctx: RunTaskContext, taskId: Hex, info: ReplicatedTaskInfo) {
  const self = ctx.wallet.account.address;
  for (;;) {
    const consensus = await ctx.publicClient.readContract({
      address: ctx.hub,
      abi: confideHubAbi,
      functionName: 'viewConsensus',
      args: [taskId],
    });
    const other = consensus.contributors.find((w) => w !== self);
    if (other) {
      const c = await ctx.publicClient.readContract({
        address: ctx.hub,
        abi: confideHubAbi,
        functionName: 'viewContribution',
        args: [taskId, other],
      });
      return { worker: other, resultHash: c.resultHash };
    }
    const block = await ctx.publicClient.getBlock();
    if (block.timestamp >= info.task.contributionDeadline) throw new ReplicaRefused('NOTHING_TO_COPY');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Follows the task after the commitment: `WON` when the consensus is this worker's result;
 * otherwise why it has nothing to reveal.
 */
async function waitForConsensus(
  ctx: RunTaskContext,
  taskId: Hex,
  committed: Hex,
): Promise<'WON' | 'NOT_IN_CONSENSUS' | 'CONTRIBUTION_REJECTED' | 'NO_CONSENSUS' | 'TASK_ENDED'> {
  const worker = ctx.wallet.account.address;
  for (;;) {
    const task = await readTask(ctx, taskId);
    const status = TaskStatus[task.status];
    if (status === 'REVEALING') {
      const consensus = await ctx.publicClient.readContract({
        address: ctx.hub,
        abi: confideHubAbi,
        functionName: 'viewConsensus',
        args: [taskId],
      });
      return consensus.consensusValue === committed ? 'WON' : 'NOT_IN_CONSENSUS';
    }
    if (status !== 'ACTIVE') return 'TASK_ENDED';
    const mine = await ctx.publicClient.readContract({
      address: ctx.hub,
      abi: confideHubAbi,
      functionName: 'viewContribution',
      args: [taskId, worker],
    });
    if (ContributionStatus[mine.status] === 'REJECTED') return 'CONTRIBUTION_REJECTED';
    const block = await ctx.publicClient.getBlock();
    if (block.timestamp >= task.contributionDeadline) return 'NO_CONSENSUS';
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function waitSuccess(ctx: RunTaskContext, hash: Hex): Promise<void> {
  const receipt = await ctx.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success') throw new Error(`transaction ${hash} reverted`);
}

function shortError(error: unknown): string {
  if (error && typeof error === 'object' && 'shortMessage' in error) return String(error.shortMessage);
  return error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
}
