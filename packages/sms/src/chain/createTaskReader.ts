import { type Address, getAddress, type Hex, type PublicClient } from 'viem';
import { appRegistryAbi, confideHubAbi, TaskStatus } from '../../../protocol/src/index.js';
import { SmsError } from '../errors.js';

/** What the SMS needs to know about a task before releasing anything for it. */
export type TaskFacts = {
  status: (typeof TaskStatus)[number];
  dealId: Hex;
  /** The task's index in its request (`botFirst` + position): slice `taskIndex` of a bulk request. */
  taskIndex: bigint;
  app: Address;
  dataset: Address;
  requester: Address;
  /** Who receives the result (the zero address when the request named none: the requester). */
  beneficiary: Address;
  workerpool: Address;
  workerpoolOwner: Address;
  tee: boolean;
  /** The deal's tag bits. */
  tag: bigint;
  /** The app's TEE fingerprint as registered on chain. */
  fingerprint: Hex;
  /** The request's params string, read from the hub's DealParams event ('' when none). */
  params: string;
  /**
   * The `maxResultSize` of the deal's dataset's owner policy as the hub holds it now (`viewPolicy`),
   * in bytes; 0 when the deal names no dataset, the dataset has no policy or the policy sets none.
   */
  maxResultSize: bigint;
};

/** Reads task facts from the chain. */
export type TaskReader = { taskFacts: (taskId: Hex) => Promise<TaskFacts> };

/**
 * Reads a task, its deal, its app's fingerprint, its params and its dataset's result size limit from the hub.
 * @example const facts = await createTaskReader({ client, hub }).taskFacts(taskId)
 */
export function createTaskReader({
  client,
  hub,
}: {
  client: Pick<PublicClient, 'readContract' | 'getContractEvents'>;
  hub: Address;
}): TaskReader {
  return {
    async taskFacts(taskId) {
      try {
        const task = await client.readContract({
          address: hub,
          abi: confideHubAbi,
          functionName: 'viewTask',
          args: [taskId],
        });
        const status = TaskStatus[task.status] ?? 'UNSET';
        if (status === 'UNSET') {
          return { status, dealId: task.dealId } as TaskFacts;
        }
        const deal = await client.readContract({
          address: hub,
          abi: confideHubAbi,
          functionName: 'viewDeal',
          args: [task.dealId],
        });
        const apps = await client.readContract({ address: hub, abi: confideHubAbi, functionName: 'appRegistry' });
        const app = await client.readContract({
          address: apps,
          abi: appRegistryAbi,
          functionName: 'viewApp',
          args: [deal.app],
        });
        const [paramsEvent] = await client.getContractEvents({
          address: hub,
          abi: confideHubAbi,
          eventName: 'DealParams',
          args: { dealId: task.dealId },
          fromBlock: 0n,
        });
        const policy =
          BigInt(deal.dataset) === 0n
            ? undefined
            : await client.readContract({
                address: hub,
                abi: confideHubAbi,
                functionName: 'viewPolicy',
                args: [deal.dataset],
              });
        return {
          status,
          dealId: task.dealId,
          taskIndex: BigInt(task.idx),
          app: getAddress(deal.app),
          dataset: getAddress(deal.dataset),
          requester: getAddress(deal.requester),
          beneficiary: getAddress(deal.beneficiary),
          workerpool: getAddress(deal.workerpool),
          workerpoolOwner: getAddress(deal.workerpoolOwner),
          tee: (deal.tag & 1n) === 1n,
          tag: BigInt(deal.tag),
          fingerprint: app.fingerprint,
          params: paramsEvent?.args.params ?? '',
          maxResultSize: policy?.active ? policy.maxResultSize : 0n,
        };
      } catch (cause) {
        throw new SmsError('SMS_CHAIN_UNAVAILABLE', 'cannot read the task from the chain; retry later', { cause });
      }
    },
  };
}
