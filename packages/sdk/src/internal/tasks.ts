import { type Address, type Hex, hexToString } from 'viem';
import { confideHubAbi, TaskStatus } from '../../../protocol/src/index.js';
import type { ConfideClient } from '../client.js';
import { ConfideSdkError } from '../errors.js';
import { revertOf } from './chain.js';

/** A task status name as iExec's SDK shows it, with the synthetic `TIMEOUT`. */
export type TaskStatusName = (typeof TaskStatus)[number] | 'TIMEOUT';

/** A deal as the hub stores it. */
export type DealInfo = {
  app: Address;
  appPrice: bigint;
  dataset: Address;
  datasetPrice: bigint;
  workerpool: Address;
  workerpoolPrice: bigint;
  workerpoolOwner: Address;
  workerStake: bigint;
  requester: Address;
  botFirst: bigint;
  botSize: number;
  sponsor: Address;
  startTime: number;
  timeref: number;
  trust: number;
  schedulerRewardRatio: number;
  beneficiary: Address;
  category: number;
  callback: Address;
  tag: bigint;
};

type Client = Pick<ConfideClient, 'publicClient' | 'hub'>;

/** Deal start + FINAL_DEADLINE_RATIO × time reference: after it, unfinished tasks can be claimed. */
export async function finalDeadlineOf(client: Client, deal: Pick<DealInfo, 'startTime' | 'timeref'>) {
  const ratio = await client.publicClient.readContract({
    address: client.hub,
    abi: confideHubAbi,
    functionName: 'FINAL_DEADLINE_RATIO',
  });
  return BigInt(deal.startTime) + ratio * BigInt(deal.timeref);
}

/**
 * Reads a deal.
 * @throws ConfideSdkError `CONFIDE_SDK_DEAL_NOT_FOUND`
 */
export async function readDeal(client: Client, action: string, dealId: Hex): Promise<DealInfo> {
  try {
    return (await client.publicClient.readContract({
      address: client.hub,
      abi: confideHubAbi,
      functionName: 'viewDeal',
      args: [dealId],
    })) as unknown as DealInfo;
  } catch (error) {
    if (revertOf(error)?.errorName === 'DealNotFound') {
      throw new ConfideSdkError({
        code: 'CONFIDE_SDK_DEAL_NOT_FOUND',
        shortMessage: `${action}: no deal ${dealId} on this hub; check the id and the chain.`,
        cause: error,
      });
    }
    throw error;
  }
}

/** A task as the hub stores it, with its status name. */
export async function readTask(client: Client, taskId: Hex) {
  const task = await client.publicClient.readContract({
    address: client.hub,
    abi: confideHubAbi,
    functionName: 'viewTask',
    args: [taskId],
  });
  return { ...task, statusName: TaskStatus[task.status] ?? 'UNSET' };
}

/** The chain's latest block time, in seconds. */
export async function chainNow(client: Client): Promise<bigint> {
  return (await client.publicClient.getBlock({ blockTag: 'latest' })).timestamp;
}

/** A task's result reference: `/ipfs/<cid>` (or iExec's JSON `{ storage, location }`), read from `TaskFinalized`. */
export async function resultLocationOf(client: Client, taskId: Hex): Promise<string | undefined> {
  const [finalized] = await client.publicClient.getContractEvents({
    address: client.hub,
    abi: confideHubAbi,
    eventName: 'TaskFinalized',
    args: { taskId },
    fromBlock: 0n,
    strict: true,
  });
  if (!finalized) return undefined;
  const text = hexToString(finalized.args.results);
  try {
    const json = JSON.parse(text) as { location?: unknown };
    if (typeof json.location === 'string') return json.location;
  } catch {
    // Not JSON: the bare location, as Confide's workers write it.
  }
  return text;
}
