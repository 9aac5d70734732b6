import type { Hex } from 'viem';
import { z } from 'zod';
import { confideHubAbi, parseFailureReason, TaskStatus } from '../../../../protocol/src/index.js';
import type { ConfideClient } from '../../client.js';
import { ConfideSdkError } from '../../errors.js';
import { chainNow, finalDeadlineOf, readDeal, readTask, type TaskStatusName } from '../../internal/tasks.js';
import { bytes32Schema, parseParameters } from '../../internal/validate.js';

/** Parameters of {@link observeTask}. */
export type ObserveTaskParameters = {
  taskId: Hex;
  /** The task's deal: lets a never-initialized task time out at the deal's final deadline. */
  dealId?: Hex;
  /** Stop waiting after this many milliseconds (the task goes on); none by default. */
  timeoutMs?: number;
};

/** One observation, as iExec's `obsTask` emits them; the last is COMPLETED, FAILED or TIMEDOUT. */
export type TaskEvent = {
  message: 'TASK_UPDATED' | 'TASK_COMPLETED' | 'TASK_FAILED' | 'TASK_TIMEDOUT';
  taskId: Hex;
  statusName: TaskStatusName;
  /** For FAILED: the reason the enclave reported (`APP_EXIT_NONZERO`…), or `CLAIMED`. */
  reason?: string;
};

/** An async iterator of task events. */
export type ObserveTaskReturnType = AsyncGenerator<TaskEvent, void, undefined>;

/** Errors of {@link observeTask} (thrown while iterating, except parameter errors). */
export type ObserveTaskErrorType = ConfideSdkError<
  'CONFIDE_SDK_PARAMETERS_INVALID' | 'CONFIDE_SDK_DEAL_NOT_FOUND' | 'CONFIDE_SDK_OBSERVE_TIMEOUT'
>;

const schema = z.strictObject({
  taskId: bytes32Schema,
  dealId: bytes32Schema.optional(),
  timeoutMs: z.number().int().nonnegative().optional(),
});

/**
 * Follows a task by polling the chain every `client.pollingInterval` ms, yielding `TASK_UPDATED`
 * on each status change and ending with `TASK_COMPLETED`, `TASK_FAILED` (with its reason) or
 * `TASK_TIMEDOUT` (unfinished after its final deadline: claim it). Break out of the loop to stop.
 * @param client a Confide client
 * @param parameters `{ taskId, dealId?, timeoutMs? }`
 * @returns an async iterator of {@link TaskEvent}
 * @throws ConfideSdkError `CONFIDE_SDK_OBSERVE_TIMEOUT` while iterating, after `timeoutMs`
 * @example for await (const event of observeTask(client, { taskId })) console.log(event.message, event.statusName)
 */
export function observeTask(
  client: Pick<ConfideClient, 'publicClient' | 'hub' | 'pollingInterval'>,
  parameters: ObserveTaskParameters,
): ObserveTaskReturnType {
  const p = parseParameters('observeTask', schema, parameters);
  return follow(client, p);
}

async function* follow(
  client: Pick<ConfideClient, 'publicClient' | 'hub' | 'pollingInterval'>,
  p: { taskId: Hex; dealId?: Hex; timeoutMs?: number },
): ObserveTaskReturnType {
  const giveUpAt = p.timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + p.timeoutMs;
  const dealDeadline = p.dealId
    ? await finalDeadlineOf(client, await readDeal(client, 'observeTask', p.dealId))
    : undefined;
  let last: string | undefined;
  for (;;) {
    const task = await readTask(client, p.taskId);
    const name = task.statusName;
    if (name === 'COMPLETED') {
      yield { message: 'TASK_COMPLETED', taskId: p.taskId, statusName: name };
      return;
    }
    if (name === 'FAILED') {
      yield {
        message: 'TASK_FAILED',
        taskId: p.taskId,
        statusName: name,
        reason: await failureReasonOf(client, p.taskId),
      };
      return;
    }
    const deadline = name === 'UNSET' ? dealDeadline : task.finalDeadline;
    if (deadline !== undefined && (await chainNow(client)) >= deadline) {
      yield { message: 'TASK_TIMEDOUT', taskId: p.taskId, statusName: 'TIMEOUT' };
      return;
    }
    if (name !== last) {
      last = name;
      yield { message: 'TASK_UPDATED', taskId: p.taskId, statusName: name };
    }
    if (Date.now() >= giveUpAt) {
      throw new ConfideSdkError({
        code: 'CONFIDE_SDK_OBSERVE_TIMEOUT',
        shortMessage: `observeTask: task ${p.taskId} is still ${name} after ${p.timeoutMs} ms; observe again later.`,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, client.pollingInterval));
  }
}

async function failureReasonOf(client: Pick<ConfideClient, 'publicClient' | 'hub'>, taskId: Hex): Promise<string> {
  const [failed] = await client.publicClient.getContractEvents({
    address: client.hub,
    abi: confideHubAbi,
    eventName: 'TaskFailed',
    args: { taskId },
    fromBlock: 0n,
    strict: true,
  });
  return failed ? parseFailureReason(failed.args.reason) : 'CLAIMED';
}

/** Status names, re-exported for callers that switch on them. */
export const TASK_STATUS_NAMES = [...TaskStatus, 'TIMEOUT'] as const;
