import { Hono } from 'hono';
import {
  type Address,
  encodePacked,
  getAddress,
  type Hex,
  hexToBytes,
  isAddress,
  isHex,
  keccak256,
  recoverMessageAddress,
  zeroAddress,
} from 'viem';
import { z } from 'zod';
import { sealSecret } from '../../../crypto/src/index.js';
import { checkQuoteBinding, QuoteError, type QuotePolicy, verifyQuote } from '../../../enclave/src/index.js';
import type { BulkContentSource } from '../../../protocol/src/bulk.js';
import { authorizationHash } from '../../../protocol/src/ids.js';
import { type DealParams, DealParamsInvalidError, parseDealParams } from '../../../protocol/src/params.js';
import { type ReleasedBulkDataset, resolveBulkDatasets, resultSizeLimit } from '../bulk/resolveBulkDatasets.js';
import type { BulkOrderReader } from '../chain/createBulkOrderReader.js';
import type { TaskFacts, TaskReader } from '../chain/createTaskReader.js';
import { SmsError } from '../errors.js';
import type { SecretStore } from '../store/openSecretStore.js';

const hexOf = (bytes: number) =>
  z.string().refine((v) => isHex(v) && v.length === 2 + 2 * bytes, `must be ${bytes} bytes of 0x-hex`);
const releaseBody = z.object({
  taskId: hexOf(32),
  worker: z.string().refine(isAddress, 'must be the worker address'),
  enclaveAddress: z.string().refine(isAddress, 'must be the enclave address (enclaveChallenge)'),
  sealingPublicKey: hexOf(32),
  platform: z.enum(['sim', 'sgx', 'tdx']),
  quote: z.string().refine((v) => isHex(v) && v.length > 2 && v.length <= 2 + 2 * 65536, 'must be the quote as 0x-hex'),
  authorizationSign: z.string().refine(isHex, 'must be the scheduler authorization signature'),
  workerSign: z.string().refine(isHex, 'must be the worker signature of this request'),
});

/** The request a worker signs (EIP-191) to ask secrets for its enclave. */
export function enclaveSecretsRequestHash(p: {
  taskId: Hex;
  enclaveAddress: Address;
  sealingPublicKey: Hex;
  quote: Hex;
}): Hex {
  return keccak256(
    encodePacked(
      ['bytes32', 'address', 'bytes32', 'bytes32'],
      [p.taskId, p.enclaveAddress, p.sealingPublicKey, keccak256(p.quote)],
    ),
  );
}

/** What the enclave opens: the secrets of its task, sealed to its X25519 key with HPKE. */
export type ReleasedSecrets = {
  version: 1;
  taskId: Hex;
  datasetKey?: string;
  appSecret?: string;
  requesterSecrets: Record<string, string>;
  /** The app's arguments, from the deal's params (`iexec_args`), as signed by the requester. */
  args: string[];
  /** The beneficiary's age recipient, from the deal's params (`confide_result_recipient`). */
  resultRecipient?: string;
  /** A bulk task's datasets, in slice order, each with its key (absent for other tasks). */
  bulkDatasets?: ReleasedBulkDataset[];
  /**
   * The largest plaintext result archive, in bytes, the owners of the task's data allow: the
   * deal's dataset's policy `maxResultSize`, or for a bulk task the smallest of its slice's
   * datasets'; read from the hub at release. Absent when none sets a limit.
   */
  maxResultSize?: number;
};

/** Dependencies of {@link enclaveReleaseRoutes}. */
type EnclaveReleaseOptions = {
  store: SecretStore;
  tasks: TaskReader;
  quotePolicy: QuotePolicy;
  /** What bulk tasks need: the dataset orders' chain state, and storage to read slices from. */
  bulk: { orders: BulkOrderReader | undefined; source: BulkContentSource | undefined };
  now: () => number;
  log: (event: string, fields: Record<string, unknown>) => void;
};

/** The deal's params as the enclave runs them; params that cannot be run release nothing. */
function dealParams(params: string): DealParams {
  try {
    return parseDealParams(params);
  } catch (error) {
    if (error instanceof DealParamsInvalidError) {
      throw new SmsError('SMS_DEAL_PARAMS_INVALID', `the deal's params cannot be run: ${String(error.details)}`);
    }
    throw error;
  }
}

async function collectSecrets(
  store: SecretStore,
  taskId: Hex,
  facts: TaskFacts,
  bulk: EnclaveReleaseOptions['bulk'],
): Promise<ReleasedSecrets> {
  const text = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);
  const params = dealParams(facts.params);
  const released: ReleasedSecrets = {
    version: 1,
    taskId,
    requesterSecrets: {},
    args: params.args,
    ...(params.resultRecipient === undefined ? {} : { resultRecipient: params.resultRecipient }),
  };
  if (facts.dataset !== zeroAddress) {
    released.datasetKey = text(store.getSecret({ kind: 'dataset-key', owner: facts.dataset, name: '' }));
    if (released.datasetKey === undefined) {
      throw new SmsError('SMS_SECRET_NOT_FOUND', `the owner of dataset ${facts.dataset} has not pushed its key`);
    }
  }
  if (params.bulkCid !== undefined) {
    if (facts.dataset !== zeroAddress) {
      throw new SmsError('SMS_DEAL_PARAMS_INVALID', 'bulk_cid is for deals without a dataset (dataset 0x0)');
    }
    released.bulkDatasets = await resolveBulkDatasets({ facts, rootCid: params.bulkCid, store, ...bulk });
  }
  const limits = [resultSizeLimit(facts.maxResultSize), ...(released.bulkDatasets ?? []).map((d) => d.maxResultSize)];
  const strictest = Math.min(...limits.filter((l) => l !== undefined));
  if (Number.isFinite(strictest)) released.maxResultSize = strictest;
  const appSecret = text(store.getSecret({ kind: 'app-secret', owner: facts.app, name: '' }));
  if (appSecret !== undefined) released.appSecret = appSecret;
  for (const [index, name] of Object.entries(params.secrets)) {
    const value = text(store.getSecret({ kind: 'requester-secret', owner: facts.requester, name }));
    if (value === undefined) throw new SmsError('SMS_SECRET_NOT_FOUND', `requester secret '${name}' does not exist`);
    released.requesterSecrets[index] = value;
  }
  return released;
}

/**
 * `POST /enclave/secrets`: releases a task's secrets to its enclave, sealed to the enclave's key,
 * only when every check passes: the worker signed the request; the task is ACTIVE and its deal
 * needs a TEE; the quote verifies under the policy (sim only in development); its measurement is
 * the app's on-chain fingerprint and its report data binds this task and these enclave keys; the
 * workerpool owner authorised this worker and enclave; nothing was released to this enclave for
 * this task before; for a bulk task (dataset 0x0, `bulk_cid` in the params), every dataset order
 * of its slice passes `resolveBulkDatasets` (owner policies included). The owners' result size
 * limit goes with the secrets (`maxResultSize`), for the enclave to enforce. Every refusal is a named error and an audit line,
 * without secret values.
 */
export function enclaveReleaseRoutes({ store, tasks, quotePolicy, bulk, now, log }: EnclaveReleaseOptions) {
  const app = new Hono();
  app.post('/enclave/secrets', async (c) => {
    const input = await c.req.json().catch(() => {
      throw new SmsError('SMS_INVALID_INPUT', 'the body must be JSON');
    });
    const parsed = releaseBody.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new SmsError('SMS_INVALID_INPUT', `${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid'}`);
    }
    const body = parsed.data;
    const taskId = body.taskId as Hex;
    const worker = getAddress(body.worker);
    const enclaveAddress = getAddress(body.enclaveAddress);
    const sealingPublicKey = body.sealingPublicKey as Hex;
    const quote = body.quote as Hex;
    const audit = { taskId, worker, enclave: enclaveAddress };
    try {
      const requestHash = enclaveSecretsRequestHash({ taskId, enclaveAddress, sealingPublicKey, quote });
      const signer = await recoverMessageAddress({
        message: { raw: requestHash },
        signature: body.workerSign as Hex,
      }).catch(() => zeroAddress);
      if (signer !== worker)
        throw new SmsError('SMS_SIGNATURE_INVALID', 'the request is not signed by the worker it names');

      const facts = await tasks.taskFacts(taskId);
      if (facts.status !== 'ACTIVE') {
        throw new SmsError('SMS_TASK_NOT_ACTIVE', `task ${taskId} is ${facts.status}: secrets go to ACTIVE tasks only`);
      }
      if (!facts.tee) throw new SmsError('SMS_DEAL_NOT_TEE', 'the deal does not require a TEE: no secret is released');

      const verified = await verifyQuote(
        { platform: body.platform, bytes: hexToBytes(quote) },
        { ...quotePolicy, now: now() },
      ).catch((error: unknown) => {
        if (error instanceof QuoteError) {
          throw new SmsError('SMS_QUOTE_REFUSED', `quote refused: ${error.code} (${error.reason})`);
        }
        throw error;
      });
      try {
        checkQuoteBinding({
          verified,
          expectedMeasurement: facts.fingerprint,
          enclaveAddress,
          sealingPublicKey,
          taskId,
        });
      } catch (error) {
        if (error instanceof QuoteError) {
          throw new SmsError('SMS_QUOTE_BINDING', `the quote does not match: ${error.reason}`);
        }
        throw error;
      }

      const authorizer = await recoverMessageAddress({
        message: { raw: authorizationHash(worker, taskId, enclaveAddress) },
        signature: body.authorizationSign as Hex,
      }).catch(() => zeroAddress);
      if (authorizer !== facts.workerpoolOwner) {
        throw new SmsError(
          'SMS_NOT_AUTHORIZED',
          'the workerpool owner did not authorise this worker and enclave for this task',
        );
      }

      const secrets = await collectSecrets(store, taskId, facts, bulk);
      store.recordRelease(taskId, enclaveAddress, now());
      const sealed = await sealSecret({
        recipientPublicKey: sealingPublicKey,
        plaintext: JSON.stringify(secrets),
        taskId,
      });
      log('released', {
        ...audit,
        platform: verified.platform,
        app: facts.app,
        dataset: facts.dataset,
        datasetKey: secrets.datasetKey !== undefined,
        appSecret: secrets.appSecret !== undefined,
        requesterSecrets: Object.keys(secrets.requesterSecrets),
        ...(secrets.maxResultSize === undefined ? {} : { maxResultSize: secrets.maxResultSize }),
        ...(secrets.bulkDatasets ? { bulkDatasets: secrets.bulkDatasets.map((d) => d.address) } : {}),
      });
      return c.json({ sealed: `0x${Buffer.from(sealed).toString('hex')}` }, 200);
    } catch (error) {
      if (error instanceof SmsError) {
        log('release refused', { ...audit, code: error.code, ...(error.reason ? { reason: error.reason.name } : {}) });
      }
      throw error;
    }
  });
  return app;
}
