import type { Hex } from 'viem';
import { z } from 'zod';
import type { ConfideClient } from '../../client.js';
import { ConfideSdkError } from '../../errors.js';
import { chainNow, readTask, type TaskStatusName } from '../../internal/tasks.js';
import { bytes32Schema, parseParameters } from '../../internal/validate.js';
import { showDeal } from './showDeal.js';

/** Parameters of {@link observeDeal}. */
export type ObserveDealParameters = {
  dealId: Hex;
  /** Stop waiting after this many milliseconds (the deal goes on); none by default. */
  timeoutMs?: number;
};

/**
 * One observation, as iExec's `obsDeal` emits them: `DEAL_UPDATED` on any task's change, then
 * `DEAL_COMPLETED` (every task completed), `DEAL_FAILED` (every task final, one or more failed)
 * or `DEAL_TIMEDOUT` (the final deadline passed with tasks unfinished: claim them).
 */
export type DealEvent = {
  message: 'DEAL_UPDATED' | 'DEAL_COMPLETED' | 'DEAL_FAILED' | 'DEAL_TIMEDOUT';
  dealId: Hex;
  /** Every task of the deal, in order, with its status (`UNSET` until the scheduler starts it). */
  tasks: { taskId: Hex; statusName: TaskStatusName }[];
  completedTasks: number;
  failedTasks: number;
};

/** An async iterator of deal events. */
export type ObserveDealReturnType = AsyncGenerator<DealEvent, void, undefined>;

/** Errors of {@link observeDeal} (thrown while iterating, except parameter errors). */
export type ObserveDealErrorType = ConfideSdkError<
  'CONFIDE_SDK_PARAMETERS_INVALID' | 'CONFIDE_SDK_DEAL_NOT_FOUND' | 'CONFIDE_SDK_OBSERVE_TIMEOUT'
>;

const schema = z.strictObject({ dealId: bytes32Schema, timeoutMs: z.number().int().nonnegative().optional() });

/**
 * Follows every task of a deal by polling the chain every `client.pollingInterval` ms (iExec's
 * `obsDeal`). Break out of the loop to stop.
 * @param client a Confide client
 * @param parameters `{ dealId, timeoutMs? }`
 * @returns an async iterator of {@link DealEvent}
 * @throws ConfideSdkError `CONFIDE_SDK_DEAL_NOT_FOUND` (first iteration), `CONFIDE_SDK_OBSERVE_TIMEOUT` after `timeoutMs`
 * @example for await (const { message, completedTasks } of observeDeal(client, { dealId })) console.log(message, completedTasks)
 */
export function observeDeal(
  client: Pick<ConfideClient, 'publicClient' | 'hub' | 'pollingInterval'>,
  parameters: ObserveDealParameters,
): ObserveDealReturnType {
  const p = parseParameters('observeDeal', schema, parameters);
  return follow(client, p);
}

async function* follow(
  client: Pick<ConfideClient, 'publicClient' | 'hub' | 'pollingInterval'>,
  p: { dealId: Hex; timeoutMs?: number },
): ObserveDealReturnType {
  const giveUpAt = p.timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + p.timeoutMs;
  const deal = await showDeal(client, { dealId: p.dealId });
  let last: string | undefined;
  for (;;) {
    const tasks = await Promise.all(
      deal.tasks.map(async (taskId) => ({ taskId, statusName: (await readTask(client, taskId)).statusName })),
    );
    const completedTasks = tasks.filter((t) => t.statusName === 'COMPLETED').length;
    const failedTasks = tasks.filter((t) => t.statusName === 'FAILED').length;
    const event = (message: DealEvent['message']): DealEvent => ({
      message,
      dealId: p.dealId,
      tasks,
      completedTasks,
      failedTasks,
    });
    if (completedTasks === tasks.length) {
      yield event('DEAL_COMPLETED');
      return;
    }
    if (completedTasks + failedTasks === tasks.length) {
      yield event('DEAL_FAILED');
      return;
    }
    if ((await chainNow(client)) >= deal.finalDeadline) {
      yield event('DEAL_TIMEDOUT');
      return;
    }
    const state = tasks.map((t) => t.statusName).join();
    if (state !== last) {
      last = state;
      yield event('DEAL_UPDATED');
    }
    if (Date.now() >= giveUpAt) {
      throw new ConfideSdkError({
        code: 'CONFIDE_SDK_OBSERVE_TIMEOUT',
        shortMessage: `observeDeal: deal ${p.dealId} has ${completedTasks} of ${tasks.length} tasks completed after ${p.timeoutMs} ms; observe again later.`,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, client.pollingInterval));
  }
}
