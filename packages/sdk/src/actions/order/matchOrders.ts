import { type Hex, parseEventLogs } from 'viem';
import { z } from 'zod';
import { confideHubAbi, NULL_DATASET_ORDER } from '../../../../protocol/src/index.js';
import type { ConfideClient } from '../../client.js';
import { ConfideSdkError } from '../../errors.js';
import { sendContract } from '../../internal/chain.js';
import { parseParameters } from '../../internal/validate.js';
import { type CheckRequestRequirementsErrorType, checkRequestRequirements } from './checkRequestRequirements.js';
import { estimateMatchOrders } from './estimateMatchOrders.js';
import { type MatchableOrders, matchableSchema } from './matchSchema.js';

/** Parameters of {@link matchOrders}. */
export type MatchOrdersParameters = MatchableOrders & {
  /** Skip {@link checkRequestRequirements} (iExec's `--skip-preflight-check`). */
  skipPreflightCheck?: boolean;
};

/** The deal created. */
export type MatchOrdersReturnType = { dealId: Hex; volume: bigint; txHash: Hex };

/** Errors of {@link matchOrders}; a refused match is `CONFIDE_SDK_TRANSACTION_REVERTED` with reason `Match…`. */
export type MatchOrdersErrorType =
  | CheckRequestRequirementsErrorType
  | ConfideSdkError<
      'CONFIDE_SDK_ACCOUNT_REQUIRED' | 'CONFIDE_SDK_INSUFFICIENT_BALANCE' | 'CONFIDE_SDK_TRANSACTION_REVERTED'
    >;

const schema = matchableSchema({ skipPreflightCheck: z.boolean().optional() });

/**
 * Matches the four orders on chain and creates a deal (iExec's `matchOrders`). Before paying it
 * runs the preflight checks (unless skipped) and checks the requester's escrow covers the deal.
 * @param client a Confide client with an account (anyone may match; the requester pays)
 * @param parameters the four signed orders, and `skipPreflightCheck?`
 * @returns the deal id, its volume and the transaction hash
 * @throws ConfideSdkError `CONFIDE_SDK_INSUFFICIENT_BALANCE`, a preflight error, or
 * `CONFIDE_SDK_TRANSACTION_REVERTED` with the contract's reason (`MatchPriceTooHigh`, `MatchRestricted`…)
 * @example const { dealId } = await matchOrders(client, { appOrder, datasetOrder, workerpoolOrder, requestOrder })
 */
export async function matchOrders(
  client: Pick<ConfideClient, 'publicClient' | 'walletClient' | 'chain' | 'hub' | 'services'>,
  parameters: MatchOrdersParameters,
): Promise<MatchOrdersReturnType> {
  const { skipPreflightCheck, ...orders } = parseParameters('matchOrders', schema, parameters) as MatchOrdersParameters;
  if (!skipPreflightCheck) await checkRequestRequirements(client, orders);
  const estimate = await estimateMatchOrders(client, orders);
  if (!estimate.sufficient) {
    throw new ConfideSdkError({
      code: 'CONFIDE_SDK_INSUFFICIENT_BALANCE',
      shortMessage: 'matchOrders: the requester cannot pay this deal; deposit more into its escrow account.',
      details: `needs ${estimate.total} (${estimate.volume} × ${estimate.pricePerTask}), has ${estimate.requesterStake}`,
    });
  }
  const receipt = await sendContract(client, {
    action: 'matchOrders',
    address: client.hub,
    abi: confideHubAbi,
    functionName: 'matchOrders',
    args: [orders.appOrder, orders.datasetOrder ?? NULL_DATASET_ORDER, orders.workerpoolOrder, orders.requestOrder],
  });
  const [matched] = parseEventLogs({ abi: confideHubAbi, eventName: 'OrdersMatched', logs: receipt.logs });
  if (!matched) {
    throw new ConfideSdkError({
      code: 'CONFIDE_SDK_TRANSACTION_REVERTED',
      shortMessage: `matchOrders: transaction ${receipt.transactionHash} created no deal.`,
    });
  }
  return { dealId: matched.args.dealId, volume: matched.args.volume, txHash: receipt.transactionHash };
}
