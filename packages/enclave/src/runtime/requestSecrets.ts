import { type Address, encodePacked, type Hex, isAddress, isHex, keccak256 } from 'viem';
import { openSealedSecret } from '../../../crypto/src/index.js';
import { fetchRetryingClosedSocket } from '../../../protocol/src/http.js';
import { TaskFailure } from './taskFailure.js';

/**
 * The hash a worker signs (EIP-191) to ask the SMS for its enclave's secrets:
 * keccak256(taskId ‖ enclaveAddress ‖ sealingPublicKey ‖ keccak256(quote)), packed.
 * The same formula as the SMS's `enclaveSecretsRequestHash` (the e2e test checks they agree);
 * repeated here because the enclave must not depend on the SMS package.
 * @example secretsRequestHash({ taskId, enclaveAddress, sealingPublicKey, quote })
 */
export function secretsRequestHash(p: {
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

/** The secrets the SMS releases to an enclave (the SMS's `ReleasedSecrets`, version 1). */
export type ReleasedSecretsV1 = {
  version: 1;
  taskId: Hex;
  datasetKey?: string;
  appSecret?: string;
  requesterSecrets: Record<string, string>;
  /** The app's arguments, from the deal's params. */
  args: string[];
  /** The beneficiary's age recipient, from the deal's params. */
  resultRecipient?: string;
  /** A bulk task's datasets in slice order: address, registered location and checksum (from the chain), key. */
  bulkDatasets?: { address: Address; location: string; checksum: Hex; key: string }[];
  /**
   * The largest result the owners of the task's data allow, in bytes of the plaintext result
   * archive (the strictest of their policies' `maxResultSize`, read by the SMS from the hub);
   * absent when none sets one.
   */
  maxResultSize?: number;
};

/** What the enclave sends to `POST /enclave/secrets`. */
export type SecretsRequestBody = {
  taskId: Hex;
  worker: Address;
  enclaveAddress: Address;
  sealingPublicKey: Hex;
  platform: 'sim';
  quote: Hex;
  authorizationSign: Hex;
  workerSign: Hex;
};

/** How long the enclave waits for the SMS. */
const SMS_TIMEOUT_MS = 30_000;
/** Only a stable code from the SMS reaches the worker's diagnostics, never its message. */
const CODE = /^[A-Z0-9_]{1,64}$/;

/**
 * Asks the SMS for the task's secrets and opens them with the sealing private key, retrying
 * with backoff (250 ms doubling to 2 s) for `retryForMs` while the SMS cannot answer.
 * Any refusal, transport error or malformed answer is a {@link TaskFailure} `SECRETS_REFUSED`,
 * whose diagnostic is the SMS's error code (or `SMS_UNREACHABLE`, `HTTP_<status>`,
 * `SEALED_SECRETS_INVALID`); the SMS's message text is dropped.
 */
export async function requestSecrets(p: {
  smsUrl: string;
  body: SecretsRequestBody;
  sealingPrivateKey: Uint8Array;
  /** How long to keep retrying while the SMS is unreachable or unavailable (5xx); 0 = one try. */
  retryForMs?: number;
}): Promise<ReleasedSecretsV1> {
  const deadline = Date.now() + (p.retryForMs ?? 0);
  for (let attempt = 0; ; attempt++) {
    try {
      return await requestSecretsOnce(p);
    } catch (error) {
      const transient =
        error instanceof TaskFailure &&
        /^(SMS_UNREACHABLE|HTTP_5\d\d|SMS_CHAIN_UNAVAILABLE|SMS_INTERNAL)$/.test(error.diagnostic);
      const wait = Math.min(250 * 2 ** attempt, 2_000);
      if (!transient || Date.now() + wait > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

async function requestSecretsOnce(p: {
  smsUrl: string;
  body: SecretsRequestBody;
  sealingPrivateKey: Uint8Array;
}): Promise<ReleasedSecretsV1> {
  const refused = (diagnostic: string) => new TaskFailure('SECRETS_REFUSED', diagnostic);
  let response: Response;
  try {
    response = await fetchRetryingClosedSocket(fetch, new URL('/enclave/secrets', p.smsUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(p.body),
      signal: AbortSignal.timeout(SMS_TIMEOUT_MS),
    });
  } catch {
    throw refused('SMS_UNREACHABLE');
  }
  const answer = (await response.json().catch(() => undefined)) as
    | { sealed?: unknown; error?: { code?: unknown } }
    | undefined;
  if (!response.ok || typeof answer?.sealed !== 'string') {
    const code = answer?.error?.code;
    throw refused(typeof code === 'string' && CODE.test(code) ? code : `HTTP_${response.status}`);
  }
  if (!isHex(answer.sealed) || answer.sealed.length % 2 !== 0) throw refused('SEALED_SECRETS_INVALID');
  let secrets: unknown;
  try {
    const plaintext = await openSealedSecret({
      privateKey: p.sealingPrivateKey,
      sealed: Buffer.from(answer.sealed.slice(2), 'hex'),
      taskId: p.body.taskId,
    });
    secrets = JSON.parse(Buffer.from(plaintext).toString('utf8'));
  } catch {
    throw refused('SEALED_SECRETS_INVALID');
  }
  if (!isReleasedSecrets(secrets, p.body.taskId)) throw refused('SEALED_SECRETS_INVALID');
  return secrets;
}

function isReleasedSecrets(value: unknown, taskId: Hex): value is ReleasedSecretsV1 {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const optionalString = (x: unknown) => x === undefined || typeof x === 'string';
  const requester = v.requesterSecrets;
  return (
    v.version === 1 &&
    typeof v.taskId === 'string' &&
    v.taskId.toLowerCase() === taskId.toLowerCase() &&
    optionalString(v.datasetKey) &&
    optionalString(v.appSecret) &&
    optionalString(v.resultRecipient) &&
    Array.isArray(v.args) &&
    v.args.every((a) => typeof a === 'string') &&
    (v.bulkDatasets === undefined || isBulkDatasets(v.bulkDatasets)) &&
    (v.maxResultSize === undefined || (Number.isSafeInteger(v.maxResultSize) && (v.maxResultSize as number) > 0)) &&
    typeof requester === 'object' &&
    requester !== null &&
    !Array.isArray(requester) &&
    Object.values(requester).every((s) => typeof s === 'string')
  );
}

function isBulkDatasets(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.every(
      (d: Record<string, unknown>) =>
        typeof d === 'object' &&
        d !== null &&
        typeof d.address === 'string' &&
        isAddress(d.address, { strict: false }) &&
        typeof d.location === 'string' &&
        typeof d.checksum === 'string' &&
        isHex(d.checksum) &&
        d.checksum.length === 66 &&
        typeof d.key === 'string',
    )
  );
}
