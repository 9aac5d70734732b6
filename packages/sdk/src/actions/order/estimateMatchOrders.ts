import {
  confideDomain,
  confideHubAbi,
  hashOrder,
  type OrderKind,
  type OrderOf,
} from '../../../../protocol/src/index.js';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { parseParameters } from '../../internal/validate.js';
import { type MatchableOrders, matchableSchema } from './matchSchema.js';

/** Parameters of {@link estimateMatchOrders}. */
export type EstimateMatchOrdersParameters = MatchableOrders;

/** What a match would make and cost, and whether the requester's escrow can pay it. */
export type EstimateMatchOrdersReturnType = {
  /** Tasks of the deal: the smallest remaining volume of the four orders. */
  volume: bigint;
  /** App + dataset + workerpool price, per task. */
  pricePerTask: bigint;
  /** `pricePerTask × volume`: what the requester's escrow locks. */
  total: bigint;
  /** The requester's free escrow balance now. */
  requesterStake: bigint;
  /** Whether `requesterStake` covers `total`. */
  sufficient: boolean;
};

/** Errors of {@link estimateMatchOrders}. */
export type EstimateMatchOrdersErrorType = ConfideSdkError<'CONFIDE_SDK_PARAMETERS_INVALID'>;

const schema = matchableSchema({});

/**
 * The deal a match would create: its volume (remaining volumes read on chain) and its total
 * cost, checked against the requester's balance (iExec's `estimateMatchOrders`).
 * @param client a Confide client
 * @param parameters the four signed orders
 * @returns `{ volume, pricePerTask, total, requesterStake, sufficient }`
 * @example const { total, sufficient } = await estimateMatchOrders(client, { appOrder, datasetOrder, workerpoolOrder, requestOrder })
 */
export async function estimateMatchOrders(
  client: Pick<ConfideClient, 'publicClient' | 'chain' | 'hub'>,
  parameters: EstimateMatchOrdersParameters,
): Promise<EstimateMatchOrdersReturnType> {
  const p = parseParameters('estimateMatchOrders', schema, parameters);
  const domain = confideDomain(client.chain.id, client.hub);
  const remaining = async <K extends OrderKind>(kind: K, order: OrderOf[K] & { sign?: unknown }) => {
    const { sign: _ignored, ...unsigned } = order;
    const orderHash = hashOrder({ domain, kind, order: unsigned as unknown as OrderOf[K] });
    const consumed = await client.publicClient.readContract({
      address: client.hub,
      abi: confideHubAbi,
      functionName: 'viewConsumed',
      args: [orderHash],
    });
    return order.volume > consumed ? order.volume - consumed : 0n;
  };
  const volumes = await Promise.all([
    remaining('AppOrder', p.appOrder),
    remaining('WorkerpoolOrder', p.workerpoolOrder),
    remaining('RequestOrder', p.requestOrder),
    ...(p.datasetOrder ? [remaining('DatasetOrder', p.datasetOrder)] : []),
  ]);
  let volume = volumes[0] ?? 0n;
  for (const v of volumes) if (v < volume) volume = v;
  const pricePerTask = p.appOrder.appprice + (p.datasetOrder?.datasetprice ?? 0n) + p.workerpoolOrder.workerpoolprice;
  const total = pricePerTask * volume;
  const [requesterStake] = await client.publicClient.readContract({
    address: client.hub,
    abi: confideHubAbi,
    functionName: 'viewAccount',
    args: [p.requestOrder.requester],
  });
  return { volume, pricePerTask, total, requesterStake, sufficient: requesterStake >= total };
}
