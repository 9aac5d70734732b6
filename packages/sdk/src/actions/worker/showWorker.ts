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
  /** Its free escrow balance: what it can stake on new contributions (in token units, 9 decimals). */
  stake: bigint;
  /** Its frozen escrow: the stakes of its contributions still pending, seized if it lies or stays silent. */
  locked: bigint;
};

/** Errors of {@link showWorker}. */
export type ShowWorkerErrorType = ConfideSdkError<'CONFIDE_SDK_PARAMETERS_INVALID'>;

const schema = z.strictObject({ worker: addressSchema });

/**
 * A worker's score and stake on the replicated (Proof of Contribution) path (iExec's `showWorker`).
 * @param client a Confide client
 * @param parameters `{ worker }`
 * @returns the checksummed address, its score, its free and its locked escrow
 * @throws ConfideSdkError `CONFIDE_SDK_PARAMETERS_INVALID` when `worker` is not an address
 * @example const { score } = await showWorker(client, { worker: '0x…' })
 */
export async function showWorker(
  client: Pick<ConfideClient, 'publicClient' | 'hub'>,
  parameters: ShowWorkerParameters,
): Promise<ShowWorkerReturnType> {
  const { worker } = parseParameters('showWorker', schema, parameters);
  const read = (functionName: 'viewScore' | 'balanceOf' | 'frozenOf') =>
    client.publicClient.readContract({ address: client.hub, abi: confideHubAbi, functionName, args: [worker] });
  const [score, stake, locked] = await Promise.all([read('viewScore'), read('balanceOf'), read('frozenOf')]);
  return { worker, score, stake, locked };
}
