import type { Hex } from 'viem';
import { z } from 'zod';
import { confideHubAbi } from '../../../../protocol/src/index.js';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { sendContract } from '../../internal/chain.js';
import { claimRevert } from '../../internal/claims.js';
import { bytes32Schema, parseParameters } from '../../internal/validate.js';

/** Parameters of {@link claimTask}. */
export type ClaimTaskParameters = { taskId: Hex };

/** The claim transaction. */
export type ClaimTaskReturnType = { txHash: Hex };

/** Errors of {@link claimTask}. */
export type ClaimTaskErrorType = ConfideSdkError<
  | 'CONFIDE_SDK_PARAMETERS_INVALID'
  | 'CONFIDE_SDK_ACCOUNT_REQUIRED'
  | 'CONFIDE_SDK_TASK_NOT_CLAIMABLE'
  | 'CONFIDE_SDK_TRANSACTION_REVERTED'
>;

const schema = z.strictObject({ taskId: bytes32Schema });

/**
 * Claims a task that did not complete by its final deadline (iExec's `task.claim`): the
 * requester is refunded and the workerpool loses its stake. Use `claimDeal` for tasks never initialized.
 * @param client a Confide client with an account (anyone may claim)
 * @param parameters `{ taskId }`
 * @returns the transaction hash
 * @throws ConfideSdkError `CONFIDE_SDK_TASK_NOT_CLAIMABLE` (reason `TaskNotClaimable` or `TaskFinalDeadlineNotReached`)
 * @example await claimTask(client, { taskId })
 */
export async function claimTask(
  client: Pick<ConfideClient, 'publicClient' | 'walletClient' | 'hub'>,
  parameters: ClaimTaskParameters,
): Promise<ClaimTaskReturnType> {
  const { taskId } = parseParameters('claimTask', schema, parameters);
  const receipt = await sendContract(client, {
    action: 'claimTask',
    address: client.hub,
    abi: confideHubAbi,
    functionName: 'claim',
    args: [taskId],
    mapRevert: claimRevert('claimTask'),
  });
  return { txHash: receipt.transactionHash };
}
