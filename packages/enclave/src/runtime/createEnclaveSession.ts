import { chmod, chown, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { type Address, bytesToHex, type Hex, isAddress, isHex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { encryptResult, generateSealingKeyPair, ResultKeyInvalidError } from '../../../crypto/src/index.js';
import {
  computeTaskId,
  enclaveMessageHash,
  type FailureReason,
  failureMessageHash,
  failureReason,
} from '../../../protocol/src/index.js';
import { buildAppEnvironment } from '../app/buildAppEnvironment.js';
import { computeResultDigest } from '../app/computeResultDigest.js';
import { readComputedJson } from '../app/readComputedJson.js';
import { bundleFingerprint } from '../bundle/bundleFingerprint.js';
import { readBundle } from '../bundle/readBundle.js';
import { unpackBundle } from '../bundle/unpackBundle.js';
import { AppEnvironmentInvalidError, ComputedJsonInvalidError, EnclaveSessionInvalidUseError } from '../errors.js';
import { computeReportData } from '../quote/computeReportData.js';
import type { SimPlatform } from '../quote/createSimPlatform.js';
import { runSandboxed, SANDBOX_UID } from '../sandbox/runSandboxed.js';
import { type ReleasedSecretsV1, requestSecrets, secretsRequestHash } from './requestSecrets.js';
import { TaskFailure } from './taskFailure.js';
import { archiveOutput, decryptDatasetTo } from './taskFiles.js';

/** Parameters of {@link createEnclaveSession}. */
export type CreateEnclaveSessionParameters = {
  /** The attestation platform that signs the session's quote (only `sim` for now). */
  platform: SimPlatform;
  /** The canonical app bundle this session will run; its fingerprint is the quote's measurement. */
  bundle: Uint8Array;
  /** The task this session runs, and only it. */
  taskId: Hex;
};

/** Parameters of {@link EnclaveSession.run}. */
export type EnclaveRunParameters = {
  /** The SMS that releases the task's secrets; `retryForMs` bounds retries while it is down (default 0). */
  sms: { url: string; retryForMs?: number };
  /** The worker contributing the task: named in the secrets request and in every signature. */
  worker: Address;
  /** The workerpool owner's EIP-191 signature of `authorizationHash(worker, taskId, enclaveAddress)`. */
  authorizationSign: Hex;
  /** The worker's EIP-191 signature of the session's `secretsRequestHash`. */
  workerSign: Hex;
  /** Where the task sits in its deal; `computeTaskId(dealId, taskIndex)` must be the session's task. */
  task: { dealId: Hex; taskIndex: number; botSize: number; botFirst: number };
  /** The deal's dataset: its address, its ciphertext (bytes or a file path) and its on-chain checksum. */
  dataset?: { address: Address; ciphertext: Uint8Array | string; checksum: Hex };
  /**
   * A bulk task's encrypted datasets as the worker downloaded them (bytes or a file path). Which
   * datasets the app gets, and the checksum each must match, come from the SMS (which read the
   * slice and the chain), never from this list: a file the SMS did not name is ignored, and a
   * named dataset without a file fails the task (`INPUT_DOWNLOAD_FAILED`).
   */
  bulkDatasets?: { address: Address; ciphertext: Uint8Array | string }[];
  /** Sandbox limits (see `runSandboxed`). */
  limits: { timeLimitMs: number; memoryLimitBytes: number; maxProcesses: number };
  /**
   * A folder that must not exist yet; its parent must exist and, like every ancestor, be
   * traversable (`x`) by the sandbox user (uid 65534) when running as root. The runtime creates it (0711), puts the
   * bundle, the decrypted inputs and the output there, and removes it before `run` settles,
   * whatever happens.
   */
  workDir: string;
};

/** A task that completed: what the worker passes to `contributeAndFinalize`. */
export type EnclaveCompletedOutcome = {
  outcome: 'completed';
  /** The iExec result digest (see `computeResultDigest`). */
  resultDigest: Hex;
  /** The age-encrypted deterministic zip of the output folder, for the beneficiary only. */
  encryptedResult: Uint8Array;
  /** The app's `callback-data`, when it gave some (then `resultDigest` is its keccak256). */
  callbackData?: Hex;
  /** EIP-191 signature of `enclaveMessageHash(worker, taskId, resultDigest)` by the enclave key. */
  enclaveSign: Hex;
};

/** A task that failed: what the worker passes to `reportFailure`. */
export type EnclaveFailedOutcome = {
  outcome: 'failed';
  reason: FailureReason;
  /** EIP-191 signature of `failureMessageHash(worker, taskId, failureReason(reason))` by the enclave key. */
  enclaveSign: Hex;
  /**
   * For the worker's logs only, not signed, not on chain: a short code such as the SMS's error
   * code (`SMS_QUOTE_BINDING`), `EXIT_CODE_1` or a computed.json reason (`MISSING`). Never app
   * output, never a secret, never the SMS's message.
   */
  diagnostic: string;
};

/** What {@link EnclaveSession.run} resolves to. */
export type EnclaveRunOutcome = EnclaveCompletedOutcome | EnclaveFailedOutcome;

/** An enclave for one task: its public identity, and `run`. The private keys never leave it. */
export type EnclaveSession = {
  /** Address of the enclave's secp256k1 key: the task's `enclaveChallenge`. */
  readonly enclaveAddress: Address;
  /** The enclave's X25519 sealing public key (32 bytes, hex), to which the SMS seals secrets. */
  readonly sealingPublicKey: Hex;
  /** The quote over the bundle's fingerprint and `computeReportData(enclaveAddress, sealingPublicKey, taskId)`. */
  readonly quote: Hex;
  readonly platform: 'sim';
  /** What the worker signs (EIP-191) as `workerSign` to ask the SMS for this enclave's secrets. */
  readonly secretsRequestHash: Hex;
  /**
   * Runs the task once: fetches and opens the secrets, checks and decrypts the dataset, runs
   * the app in the sandbox, and signs the outcome. A failure of the task (refused secrets, bad
   * dataset, failing app) resolves to a signed `failed` outcome; a misuse of the session or a
   * machine problem (no sandbox, a setup error) rejects, signing nothing.
   * @throws EnclaveSessionInvalidUseError `ALREADY_RUN`, `INVALID_PARAMETER`
   * @throws the sandbox's `SandboxUnavailableError` / `SandboxSetupError` / `SandboxCleanupError`
   */
  run: (parameters: EnclaveRunParameters) => Promise<EnclaveRunOutcome>;
};

/**
 * Creates the trusted part a worker starts for one task. It is born with fresh keys that exist
 * only in its memory (never on disk, never returned): a secp256k1 key, whose address is the
 * task's enclaveChallenge and which signs the outcome, and an X25519 sealing key pair. It
 * measures the bundle it will actually run (`bundleFingerprint`) and gets a quote binding that
 * measurement to its two public keys and the task (`computeReportData`).
 *
 * IN-PROCESS FOR NOW: the session runs inside the worker's process, so the "private" keys are
 * only private to this closure and a malicious worker could read them from memory. The boundary
 * that makes them private (a separate enclave process, and later real SGX/TDX) comes later; the
 * interface is shaped for it: the worker only ever sees the public fields and the outcome.
 * @param parameters the platform, the bundle bytes and the task id
 * @returns the session
 * @throws BundleInvalidError when the bundle bytes are not a valid canonical bundle
 * @throws EnclaveSessionInvalidUseError `INVALID_PARAMETER` when the task id is not 32 bytes
 * @example
 * const session = await createEnclaveSession({ platform, bundle, taskId });
 * const workerSign = await worker.signMessage({ message: { raw: session.secretsRequestHash } });
 * const outcome = await session.run({ sms: { url }, worker: worker.address, authorizationSign, workerSign, … });
 */
export async function createEnclaveSession({
  platform,
  bundle,
  taskId,
}: CreateEnclaveSessionParameters): Promise<EnclaveSession> {
  if (typeof taskId !== 'string' || !isHex(taskId) || taskId.length !== 66) {
    throw new EnclaveSessionInvalidUseError('INVALID_PARAMETER', { details: 'taskId must be 32 bytes of 0x-hex' });
  }
  readBundle(bundle); // Refuse a bundle that would not unpack before quoting it.
  const bundleBytes = Uint8Array.from(bundle); // The bytes measured are the bytes run.
  const measurement = bundleFingerprint(bundleBytes);
  const signer = privateKeyToAccount(generatePrivateKey());
  const sealing = await generateSealingKeyPair();
  const enclaveAddress = signer.address;
  const sealingPublicKey = bytesToHex(sealing.publicKey);
  const reportData = computeReportData({ enclaveAddress, sealingPublicKey, taskId });
  const quote = bytesToHex(platform.quote({ measurement, reportData }).bytes);
  const requestHash = secretsRequestHash({ taskId, enclaveAddress, sealingPublicKey, quote });
  let used = false;

  const run = async (p: EnclaveRunParameters): Promise<EnclaveRunOutcome> => {
    if (used) throw new EnclaveSessionInvalidUseError('ALREADY_RUN', { details: `task ${taskId} already ran` });
    checkRunParameters(p, taskId);
    used = true; // Before any await: two concurrent calls cannot both pass.
    await mkdir(p.workDir, { mode: 0o711 }).catch((cause: unknown) => {
      throw new EnclaveSessionInvalidUseError('INVALID_PARAMETER', {
        details: `cannot create the work dir ${p.workDir} (it must not exist, its parent must)`,
        cause,
      });
    });
    try {
      await chmod(p.workDir, 0o711); // Whatever the umask: the sandbox user may traverse, not list.
      const outcome = await execute(p);
      return {
        ...outcome,
        enclaveSign: await signer.signMessage({
          message: { raw: enclaveMessageHash(p.worker, taskId, outcome.resultDigest) },
        }),
      };
    } catch (error) {
      if (!(error instanceof TaskFailure)) throw error;
      return {
        outcome: 'failed',
        reason: error.reason,
        diagnostic: error.diagnostic,
        enclaveSign: await signer.signMessage({
          message: { raw: failureMessageHash(p.worker, taskId, failureReason(error.reason)) },
        }),
      };
    } finally {
      // The input folder is read-only for its owner; make it removable when not running as root.
      await chmod(path.join(p.workDir, 'in'), 0o700).catch(() => undefined);
      await rm(p.workDir, { recursive: true, force: true });
      sealing.privateKey.fill(0);
    }
  };

  /** Everything between the secrets and the result; throws TaskFailure when the task fails. */
  const execute = async (p: EnclaveRunParameters): Promise<Omit<EnclaveCompletedOutcome, 'enclaveSign'>> => {
    const secrets = await requestSecrets({
      smsUrl: p.sms.url,
      retryForMs: p.sms.retryForMs ?? 0,
      sealingPrivateKey: sealing.privateKey,
      body: {
        taskId,
        worker: p.worker,
        enclaveAddress,
        sealingPublicKey,
        platform: 'sim',
        quote,
        authorizationSign: p.authorizationSign,
        workerSign: p.workerSign,
      },
    });
    const isRoot = process.getuid?.() === 0;
    const inputDir = path.join(p.workDir, 'in');
    const outputDir = path.join(p.workDir, 'out');
    const bundleDir = path.join(p.workDir, 'app');
    await mkdir(inputDir, { mode: 0o700 });
    await mkdir(outputDir, { mode: 0o700 });
    if (p.dataset) {
      if (secrets.datasetKey === undefined) throw new TaskFailure('DATASET_DECRYPT_FAILED', 'NO_DATASET_KEY');
      const target = path.join(inputDir, p.dataset.address);
      await decryptDatasetTo({ ...p.dataset, key: secrets.datasetKey, target });
      // Readable by the sandbox user only (and root), not by every local account.
      if (isRoot) await chown(target, SANDBOX_UID, SANDBOX_UID);
      await chmod(target, 0o400);
    }
    const bulkDatasets = await decryptBulkDatasets(p, secrets, inputDir, isRoot);
    if (isRoot) await chown(inputDir, SANDBOX_UID, SANDBOX_UID);
    await chmod(inputDir, 0o500);
    await unpackBundle(bundleBytes, bundleDir);

    // The recipient and the arguments come from the request the requester signed, through the
    // SMS: a worker cannot substitute its own key to read the result.
    const recipient = secrets.resultRecipient;
    if (recipient === undefined) throw new TaskFailure('RESULT_RECIPIENT_MISSING', 'NO_CONFIDE_RESULT_RECIPIENT');
    const env = appEnvironment(p, taskId, secrets, bulkDatasets);
    const run = await runSandboxed({ bundleDir, inputDir, outputDir, env, args: secrets.args, ...p.limits });
    if (run.status === 'timeout') throw new TaskFailure('APP_TIMEOUT', 'TIMEOUT');
    if (run.status === 'memory') throw new TaskFailure('APP_MEMORY_LIMIT', 'OOM_KILLED');
    if (run.status === 'killed') {
      // Killed by a signal: the process limit if the kernel refused a fork, otherwise the app crashed.
      if (run.processLimitReached) throw new TaskFailure('APP_PROCESS_LIMIT', 'PIDS_MAX');
      throw new TaskFailure('APP_EXIT_NONZERO', `SIGNAL_${run.signal}`);
    }
    if (run.exitCode !== 0) {
      if (run.processLimitReached) throw new TaskFailure('APP_PROCESS_LIMIT', `PIDS_MAX_EXIT_CODE_${run.exitCode}`);
      throw new TaskFailure('APP_EXIT_NONZERO', `EXIT_CODE_${run.exitCode}`);
    }
    let resultDigest: Hex;
    let callbackData: Hex | undefined;
    try {
      const computed = await readComputedJson(outputDir);
      resultDigest = await computeResultDigest(outputDir, computed);
      callbackData = computed.callbackData;
    } catch (error) {
      if (error instanceof ComputedJsonInvalidError) throw new TaskFailure('COMPUTED_JSON_INVALID', error.reason);
      throw error;
    }
    const archive = await archiveOutput(outputDir);
    checkResultSize(archive.length, secrets.maxResultSize);
    let encryptedResult: Uint8Array;
    try {
      encryptedResult = encryptResult(archive, recipient);
    } catch (error) {
      if (error instanceof ResultKeyInvalidError)
        throw new TaskFailure('RESULT_RECIPIENT_MISSING', 'INVALID_RECIPIENT');
      throw error;
    }
    return {
      outcome: 'completed',
      resultDigest,
      encryptedResult,
      ...(callbackData === undefined ? {} : { callbackData }),
    };
  };

  return Object.freeze({
    enclaveAddress,
    sealingPublicKey,
    quote,
    platform: 'sim' as const,
    secretsRequestHash: requestHash,
    run,
  });
}

/**
 * The owners' limit on what leaves the enclave: the plaintext result archive (the deterministic
 * zip of the output folder that is then encrypted for the beneficiary, `archiveOutput`) may not
 * be larger than `maxResultSize` bytes. Over it, the task fails `RESULT_TOO_LARGE` (refunded on
 * chain) and nothing is encrypted or handed to the worker; the diagnostic, for the worker's
 * logs only, gives both sizes (a size, never content).
 */
function checkResultSize(size: number, maxResultSize: number | undefined): void {
  if (maxResultSize !== undefined && size > maxResultSize) {
    throw new TaskFailure('RESULT_TOO_LARGE', `SIZE_${size}_MAX_${maxResultSize}`);
  }
}

/**
 * Decrypts every dataset the SMS released for a bulk task into `in/<address>`, each checked
 * against the checksum the SMS read on chain; returns their addresses in slice order.
 */
async function decryptBulkDatasets(
  p: EnclaveRunParameters,
  secrets: ReleasedSecretsV1,
  inputDir: string,
  isRoot: boolean,
): Promise<Address[] | undefined> {
  if (secrets.bulkDatasets === undefined) return undefined;
  const files = new Map((p.bulkDatasets ?? []).map((d) => [d.address.toLowerCase(), d.ciphertext]));
  const addresses: Address[] = [];
  for (const dataset of secrets.bulkDatasets) {
    const ciphertext = files.get(dataset.address.toLowerCase());
    if (ciphertext === undefined) throw new TaskFailure('INPUT_DOWNLOAD_FAILED', 'BULK_DATASET_MISSING');
    const target = path.join(inputDir, dataset.address);
    await decryptDatasetTo({ ciphertext, checksum: dataset.checksum, key: dataset.key, target });
    if (isRoot) await chown(target, SANDBOX_UID, SANDBOX_UID);
    await chmod(target, 0o400);
    addresses.push(dataset.address);
  }
  return addresses;
}

/** The app's environment with its secrets; secrets the app contract cannot carry fail the task. */
function appEnvironment(
  p: EnclaveRunParameters,
  taskId: Hex,
  secrets: ReleasedSecretsV1,
  bulkDatasets: Address[] | undefined,
): Record<string, string> {
  try {
    return buildAppEnvironment({
      ...taskEnvironment(p, taskId),
      ...(bulkDatasets === undefined ? {} : { bulkDatasets }),
      requesterSecrets: secrets.requesterSecrets,
      ...(secrets.appSecret === undefined ? {} : { appDeveloperSecret: secrets.appSecret }),
    });
  } catch (error) {
    if (error instanceof AppEnvironmentInvalidError) throw new TaskFailure('SECRETS_REFUSED', 'SECRET_UNUSABLE');
    throw error;
  }
}

function taskEnvironment(p: EnclaveRunParameters, taskId: Hex) {
  return {
    dealId: p.task.dealId,
    taskId,
    taskIndex: p.task.taskIndex,
    botSize: p.task.botSize,
    botFirstIndex: p.task.botFirst,
    inputFiles: [],
    ...(p.dataset ? { datasetAddress: p.dataset.address, datasetFilename: p.dataset.address } : {}),
  };
}

/** Refuses, before anything is asked or signed, parameters that are the worker's mistake. */
function checkRunParameters(p: EnclaveRunParameters, taskId: Hex): void {
  const invalid = (details: string, cause?: unknown) =>
    new EnclaveSessionInvalidUseError('INVALID_PARAMETER', { details, cause });
  if (!isAddress(p.worker, { strict: false })) throw invalid('worker must be an address');
  try {
    buildAppEnvironment({ ...taskEnvironment(p, taskId), requesterSecrets: {} });
  } catch (cause) {
    throw invalid('the task position or the dataset address is invalid', cause);
  }
  if (computeTaskId(p.task.dealId, BigInt(p.task.taskIndex)).toLowerCase() !== taskId.toLowerCase()) {
    throw invalid(`computeTaskId(dealId, ${p.task.taskIndex}) is not the session's task ${taskId}`);
  }
  if (p.dataset && (!isHex(p.dataset.checksum) || p.dataset.checksum.length !== 66)) {
    throw invalid('dataset.checksum must be 32 bytes of 0x-hex');
  }
  if (typeof p.workDir !== 'string' || !path.isAbsolute(p.workDir)) throw invalid('workDir must be an absolute path');
}
