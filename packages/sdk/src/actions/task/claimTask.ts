import type { Hex } from 'viem';
import { z } from 'zod';
import { confideHubAbi, TaskStatus } from '../../../../protocol/src/index.js';
import type { ConfideClient } from '../../client.js';
import { ConfideSdkError } from '../../errors.js';
import { type RevertMapper, sendContract } from '../../internal/chain.js';
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

/** Maps the claim reverts to `CONFIDE_SDK_TASK_NOT_CLAIMABLE` (reason: the contract's error). */
export function claimRevert(action: string): RevertMapper {
  return ({ errorName, args }) => {
    if (errorName === 'TaskNotClaimable') {
      return new ConfideSdkError({
        code: 'CONFIDE_SDK_TASK_NOT_CLAIMABLE',
        shortMessage: `${action}: task ${String(args[0])} is ${TaskStatus[Number(args[1])] ?? 'UNSET'}; only an ACTIVE or REVEALING task can be claimed.`,
        reason: errorName,
      });
    }
    if (errorName === 'TaskFinalDeadlineNotReached') {
      return new ConfideSdkError({
        code: 'CONFIDE_SDK_TASK_NOT_CLAIMABLE',
        shortMessage: `${action}: the final deadline (${String(args[1])}) has not passed; claim after it.`,
        reason: errorName,
      });
    }
    return undefined;
  };
}

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
