import type { Hex } from 'viem';
import { z } from 'zod';
import { decryptResult } from '../../../../crypto/src/decryptResult.js';
import type { ConfideCryptoError } from '../../../../crypto/src/errors.js';
import { readZip } from '../../../../crypto/src/zip.js';
import type { ConfideClient } from '../../client.js';
import { ConfideSdkError } from '../../errors.js';
import { readTask, resultLocationOf } from '../../internal/tasks.js';
import { bytes32Schema, parseParameters } from '../../internal/validate.js';

/** Parameters of {@link fetchTaskResult}. */
export type FetchTaskResultParameters = {
  taskId: Hex;
  /** The beneficiary's `AGE-SECRET-KEY-1…` (from `generateResultKey`); never sent anywhere. */
  identity: string;
};

/** The result's files (from the app's `IEXEC_OUT`) and where they were read. */
export type FetchTaskResultReturnType = { files: Map<string, Uint8Array>; location: string; resultDigest: Hex };

/**
 * Errors of {@link fetchTaskResult}: the SDK's, storage's `CONFIDE_STORAGE_*` (not found…) and
 * crypto's (`CONFIDE_CRYPTO_*` when the identity is not the beneficiary's).
 */
export type FetchTaskResultErrorType =
  | ConfideSdkError<
      | 'CONFIDE_SDK_PARAMETERS_INVALID'
      | 'CONFIDE_SDK_SERVICE_MISSING'
      | 'CONFIDE_SDK_TASK_NOT_COMPLETED'
      | 'CONFIDE_SDK_RESULT_LOCATION_INVALID'
    >
  | ConfideCryptoError;

const schema = z.strictObject({ taskId: bytes32Schema, identity: z.string().startsWith('AGE-SECRET-KEY-1') });

/**
 * Downloads a completed task's encrypted result from storage (CID-verified) and decrypts it with
 * the beneficiary's identity (iExec's `task.fetchResults` + `utils.decryptResult`).
 * @param client a Confide client with `services.storage`
 * @param parameters `{ taskId, identity }`
 * @returns the result's files by name
 * @throws ConfideSdkError `CONFIDE_SDK_TASK_NOT_COMPLETED` when the task has no result yet
 * @example const { files } = await fetchTaskResult(client, { taskId, identity }); files.get('result.json')
 */
export async function fetchTaskResult(
  client: Pick<ConfideClient, 'publicClient' | 'hub' | 'services'>,
  parameters: FetchTaskResultParameters,
): Promise<FetchTaskResultReturnType> {
  const { taskId, identity } = parseParameters('fetchTaskResult', schema, parameters);
  const storage = client.services.storage;
  if (!storage) {
    throw new ConfideSdkError({
      code: 'CONFIDE_SDK_SERVICE_MISSING',
      shortMessage: 'fetchTaskResult needs storage; create the client with `services.storage`.',
    });
  }
  const task = await readTask(client, taskId);
  if (task.statusName !== 'COMPLETED') {
    throw new ConfideSdkError({
      code: 'CONFIDE_SDK_TASK_NOT_COMPLETED',
      shortMessage: `fetchTaskResult: task ${taskId} is ${task.statusName}; wait for COMPLETED (observeTask).`,
    });
  }
  const location = (await resultLocationOf(client, taskId)) ?? '';
  const cid = /^\/ipfs\/([A-Za-z0-9]+)$/.exec(location)?.[1];
  if (!cid) {
    throw new ConfideSdkError({
      code: 'CONFIDE_SDK_RESULT_LOCATION_INVALID',
      shortMessage: `fetchTaskResult: task ${taskId} has a result location that is not /ipfs/<cid>.`,
      details: location.slice(0, 200),
    });
  }
  const chunks: Uint8Array[] = [];
  for await (const chunk of storage.get(cid)) chunks.push(chunk);
  const encrypted = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    encrypted.set(chunk, offset);
    offset += chunk.length;
  }
  return { files: readZip(decryptResult(encrypted, identity)), location, resultDigest: task.resultDigest };
}
