import type { Hex } from 'viem';
import { z } from 'zod';
import { computeTaskId, confideHubAbi } from '../../../../protocol/src/index.js';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { chainNow, type DealInfo, finalDeadlineOf, readDeal } from '../../internal/tasks.js';
import { bytes32Schema, parseParameters } from '../../internal/validate.js';

/** Parameters of {@link showDeal}. */
export type ShowDealParameters = { dealId: Hex };

/** A deal: its on-chain record, its params, its task ids and deadline. */
export type ShowDealReturnType = DealInfo & {
  dealId: Hex;
  /** The request's params string, as signed. */
  params: string;
  /** The ids of its tasks, in order (`computeTaskId(dealId, botFirst + i)`). */
  tasks: Hex[];
  /** After this time (seconds) unfinished tasks can be claimed. */
  finalDeadline: bigint;
  /** Whether the final deadline has passed on chain. */
  dealTimedOut: boolean;
};

/** Errors of {@link showDeal}. */
export type ShowDealErrorType = ConfideSdkError<'CONFIDE_SDK_PARAMETERS_INVALID' | 'CONFIDE_SDK_DEAL_NOT_FOUND'>;

const schema = z.strictObject({ dealId: bytes32Schema });

/**
 * A deal's record, params and task ids (iExec's `deal.show`).
 * @param client a Confide client
 * @param parameters `{ dealId }`
 * @returns the deal
 * @throws ConfideSdkError `CONFIDE_SDK_DEAL_NOT_FOUND`
 * @example const { tasks, requester } = await showDeal(client, { dealId })
 */
export async function showDeal(
  client: Pick<ConfideClient, 'publicClient' | 'hub'>,
  parameters: ShowDealParameters,
): Promise<ShowDealReturnType> {
  const { dealId } = parseParameters('showDeal', schema, parameters);
  const deal = await readDeal(client, 'showDeal', dealId);
  const [event] = await client.publicClient.getContractEvents({
    address: client.hub,
    abi: confideHubAbi,
    eventName: 'DealParams',
    args: { dealId },
    fromBlock: 0n,
    strict: true,
  });
  const finalDeadline = await finalDeadlineOf(client, deal);
  const tasks = Array.from({ length: Number(deal.botSize) }, (_, i) =>
    computeTaskId(dealId, BigInt(deal.botFirst) + BigInt(i)),
  );
  return {
    ...deal,
    dealId,
    params: event?.args.params ?? '',
    tasks,
    finalDeadline,
    dealTimedOut: (await chainNow(client)) >= finalDeadline,
  };
}
