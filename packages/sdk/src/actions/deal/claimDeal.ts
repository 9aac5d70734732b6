import type { Hex } from 'viem';
import { z } from 'zod';
import { computeTaskId, confideHubAbi } from '../../../../protocol/src/index.js';
import type { ConfideClient } from '../../client.js';
import { ConfideSdkError } from '../../errors.js';
import { sendContract } from '../../internal/chain.js';
import { claimRevert } from '../../internal/claims.js';
import { readDeal, readTask } from '../../internal/tasks.js';
import { bytes32Schema, parseParameters } from '../../internal/validate.js';

/** Parameters of {@link claimDeal}. */
export type ClaimDealParameters = { dealId: Hex };

/** The tasks claimed (refunded to the requester) and the transactions. */
export type ClaimDealReturnType = { claimed: Hex[]; txHashes: Hex[] };

/** Errors of {@link claimDeal}. */
export type ClaimDealErrorType = ConfideSdkError<
  | 'CONFIDE_SDK_PARAMETERS_INVALID'
  | 'CONFIDE_SDK_ACCOUNT_REQUIRED'
  | 'CONFIDE_SDK_DEAL_NOT_FOUND'
  | 'CONFIDE_SDK_TASK_NOT_CLAIMABLE'
  | 'CONFIDE_SDK_TRANSACTION_REVERTED'
>;

const schema = z.strictObject({ dealId: bytes32Schema });

/**
 * Claims every unfinished task of a deal after its final deadline (iExec's `deal.claim`):
 * initialized tasks with `claimArray`, never-initialized ones with `initializeAndClaimArray`.
 * The requester is refunded; the workerpool loses its stake on each.
 * @param client a Confide client with an account (anyone may claim)
 * @param parameters `{ dealId }`
 * @returns the claimed task ids and the transaction hashes
 * @throws ConfideSdkError `CONFIDE_SDK_TASK_NOT_CLAIMABLE` when no task is left to claim or the deadline has not passed
 * @example const { claimed } = await claimDeal(client, { dealId })
 */
export async function claimDeal(
  client: Pick<ConfideClient, 'publicClient' | 'walletClient' | 'hub'>,
  parameters: ClaimDealParameters,
): Promise<ClaimDealReturnType> {
  const { dealId } = parseParameters('claimDeal', schema, parameters);
  const deal = await readDeal(client, 'claimDeal', dealId);
  const uninitialized: bigint[] = [];
  const active: Hex[] = [];
  for (let i = 0n; i < BigInt(deal.botSize); i++) {
    const idx = BigInt(deal.botFirst) + i;
    const taskId = computeTaskId(dealId, idx);
    const { statusName } = await readTask(client, taskId);
    if (statusName === 'UNSET') uninitialized.push(idx);
    else if (statusName === 'ACTIVE' || statusName === 'REVEALING') active.push(taskId);
  }
  if (uninitialized.length === 0 && active.length === 0) {
    throw new ConfideSdkError({
      code: 'CONFIDE_SDK_TASK_NOT_CLAIMABLE',
      shortMessage: `claimDeal: every task of deal ${dealId} has ended; nothing to claim.`,
    });
  }
  const txHashes: Hex[] = [];
  const mapRevert = claimRevert('claimDeal');
  if (active.length > 0) {
    const receipt = await sendContract(client, {
      action: 'claimDeal',
      address: client.hub,
      abi: confideHubAbi,
      functionName: 'claimArray',
      args: [active],
      mapRevert,
    });
    txHashes.push(receipt.transactionHash);
  }
  if (uninitialized.length > 0) {
    const receipt = await sendContract(client, {
      action: 'claimDeal',
      address: client.hub,
      abi: confideHubAbi,
      functionName: 'initializeAndClaimArray',
      args: [uninitialized.map(() => dealId), uninitialized],
      mapRevert,
    });
    txHashes.push(receipt.transactionHash);
  }
  return { claimed: [...active, ...uninitialized.map((idx) => computeTaskId(dealId, idx))], txHashes };
}
