import type { Address, Hex } from 'viem';
import { z } from 'zod';
import { ContributionStatus, confideHubAbi } from '../../../../protocol/src/index.js';
import type { ConfideClient } from '../../client.js';
import { ConfideSdkError } from '../../errors.js';
import { addressSchema, bytes32Schema, parseParameters } from '../../internal/validate.js';

/** Parameters of {@link showContribution}. */
export type ShowContributionParameters = { taskId: Hex; worker: Address };

/** A worker's contribution to a replicated task, as the hub stores it. */
export type ShowContributionReturnType = {
  taskId: Hex;
  worker: Address;
  /** The contract's `ContributionStatus` index. */
  status: number;
  /**
   * `CONTRIBUTED` (committed), `PROVED` (revealed the consensus value), or `REJECTED` (a winner that
   * did not reveal before the scheduler reopened the task).
   */
  statusName: Exclude<(typeof ContributionStatus)[number], 'UNSET'>;
  /** keccak256(taskId ‖ resultDigest). */
  resultHash: Hex;
  /** keccak256(worker ‖ taskId ‖ resultDigest). */
  resultSeal: Hex;
  /** The enclave that signed the contribution, or the zero address. */
  enclaveChallenge: Address;
  /** floor(log2(weight)) at contribution time: the worker's share of the reward. */
  weight: bigint;
};

/** Errors of {@link showContribution}. */
export type ShowContributionErrorType = ConfideSdkError<
  'CONFIDE_SDK_PARAMETERS_INVALID' | 'CONFIDE_SDK_CONTRIBUTION_NOT_FOUND'
>;

const schema = z.strictObject({ taskId: bytes32Schema, worker: addressSchema });

/**
 * A worker's contribution to a replicated task (iExec's `showContribution`).
 * @param client a Confide client
 * @param parameters `{ taskId, worker }`
 * @returns the contribution: status, commitment, weight
 * @throws ConfideSdkError `CONFIDE_SDK_CONTRIBUTION_NOT_FOUND` when the worker has not contributed to the task
 * @example const { statusName, resultHash } = await showContribution(client, { taskId, worker })
 */
export async function showContribution(
  client: Pick<ConfideClient, 'publicClient' | 'hub'>,
  parameters: ShowContributionParameters,
): Promise<ShowContributionReturnType> {
  const { taskId, worker } = parseParameters('showContribution', schema, parameters);
  const c = await client.publicClient.readContract({
    address: client.hub,
    abi: confideHubAbi,
    functionName: 'viewContribution',
    args: [taskId, worker],
  });
  const statusName = ContributionStatus[c.status] ?? 'UNSET';
  if (statusName === 'UNSET') {
    throw new ConfideSdkError({
      code: 'CONFIDE_SDK_CONTRIBUTION_NOT_FOUND',
      shortMessage: `showContribution: worker ${worker} has no contribution to task ${taskId}; check both, or wait for the worker to contribute.`,
    });
  }
  return {
    taskId,
    worker,
    status: c.status,
    statusName,
    resultHash: c.resultHash,
    resultSeal: c.resultSeal,
    enclaveChallenge: c.enclaveChallenge,
    weight: c.weight,
  };
}
