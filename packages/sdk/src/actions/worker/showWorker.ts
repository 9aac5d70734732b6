import type { Address } from 'viem';
import { z } from 'zod';
import { confideHubAbi } from '../../../../protocol/src/index.js';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { addressSchema, parseParameters } from '../../internal/validate.js';

/** Parameters of {@link showWorker}. */
export type ShowWorkerParameters = { worker: Address };

/** A worker of replicated tasks as the hub sees it. */
export type ShowWorkerReturnType = {
  worker: Address;
  /**
   * Its score (`viewScore`): +1 per contribution that agreed with a replicated task's consensus,
   * × 2/3 (rounded down) per faulty one; 0 for a worker never settled. It sets the worker's
   * weight in later consensus: min(max(score / 3, 3) − 1, 1024).
   */
  score: bigint;
};

/** Errors of {@link showWorker}. */
export type ShowWorkerErrorType = ConfideSdkError<'CONFIDE_SDK_PARAMETERS_INVALID'>;

const schema = z.strictObject({ worker: addressSchema });

/**
 * A worker's score on the replicated (Proof of Contribution) path (the score part of iExec's `showWorker`).
 * @param client a Confide client
 * @param parameters `{ worker }`
 * @returns the checksummed address and its score
 * @throws ConfideSdkError `CONFIDE_SDK_PARAMETERS_INVALID` when `worker` is not an address
 * @example const { score } = await showWorker(client, { worker: '0x…' })
 */
export async function showWorker(
  client: Pick<ConfideClient, 'publicClient' | 'hub'>,
  parameters: ShowWorkerParameters,
): Promise<ShowWorkerReturnType> {
  const { worker } = parseParameters('showWorker', schema, parameters);
  const score = await client.publicClient.readContract({
    address: client.hub,
    abi: confideHubAbi,
    functionName: 'viewScore',
    args: [worker],
  });
  return { worker, score };
}
