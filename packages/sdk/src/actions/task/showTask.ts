import type { Hex } from 'viem';
import { z } from 'zod';
import type { ConfideClient } from '../../client.js';
import { ConfideSdkError } from '../../errors.js';
import { chainNow, readTask, resultLocationOf, type TaskStatusName } from '../../internal/tasks.js';
import { bytes32Schema, parseParameters } from '../../internal/validate.js';

/** Parameters of {@link showTask}. */
export type ShowTaskParameters = { taskId: Hex };

/** A task as iExec's SDK shows it: the record, its status name, whether it timed out, its result. */
export type ShowTaskReturnType = {
  taskId: Hex;
  dealId: Hex;
  idx: bigint;
  status: number;
  /** `ACTIVE`, `REVEALING`, `COMPLETED`, `FAILED`, or `TIMEOUT` (unfinished after the final deadline). */
  statusName: TaskStatusName;
  taskTimedOut: boolean;
  contributionDeadline: bigint;
  finalDeadline: bigint;
  resultDigest: Hex;
  resultsTimestamp: bigint;
  /** Where the encrypted result is (`/ipfs/<cid>`), once COMPLETED. */
  results?: { storage: 'ipfs'; location: string };
};

/** Errors of {@link showTask}. */
export type ShowTaskErrorType = ConfideSdkError<'CONFIDE_SDK_PARAMETERS_INVALID' | 'CONFIDE_SDK_TASK_NOT_FOUND'>;

const schema = z.strictObject({ taskId: bytes32Schema });

/**
 * A task's state (iExec's `task.show`): status name, timeout flag, result location.
 * @param client a Confide client
 * @param parameters `{ taskId }`
 * @returns the task
 * @throws ConfideSdkError `CONFIDE_SDK_TASK_NOT_FOUND` when the scheduler has not initialized it
 * @example const { statusName, results } = await showTask(client, { taskId })
 */
export async function showTask(
  client: Pick<ConfideClient, 'publicClient' | 'hub'>,
  parameters: ShowTaskParameters,
): Promise<ShowTaskReturnType> {
  const { taskId } = parseParameters('showTask', schema, parameters);
  const task = await readTask(client, taskId);
  if (task.statusName === 'UNSET') {
    throw new ConfideSdkError({
      code: 'CONFIDE_SDK_TASK_NOT_FOUND',
      shortMessage: `showTask: task ${taskId} is not initialized; its workerpool has not started it yet (observeTask waits for it).`,
    });
  }
  const unfinished = task.statusName === 'ACTIVE' || task.statusName === 'REVEALING';
  const taskTimedOut = unfinished && (await chainNow(client)) >= task.finalDeadline;
  const location = task.statusName === 'COMPLETED' ? await resultLocationOf(client, taskId) : undefined;
  return {
    taskId,
    dealId: task.dealId,
    idx: task.idx,
    status: task.status,
    statusName: taskTimedOut ? 'TIMEOUT' : task.statusName,
    taskTimedOut,
    contributionDeadline: task.contributionDeadline,
    finalDeadline: task.finalDeadline,
    resultDigest: task.resultDigest,
    resultsTimestamp: task.resultsTimestamp,
    ...(location ? { results: { storage: 'ipfs' as const, location } } : {}),
  };
}
