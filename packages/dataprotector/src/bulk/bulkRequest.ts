import {
  type Account,
  type Address,
  type Chain,
  getAddress,
  type Hex,
  isHex,
  type PublicClient,
  type Transport,
  type WalletClient,
} from 'viem';
import {
  computeDealId,
  computeTaskId,
  confideDomain,
  confideHubAbi,
  hashOrder,
  type RequestOrder,
  type Signed,
  TaskStatus,
} from '../../../protocol/src/index.js';
import type { Storage } from '../../../storage/src/storage.js';
import { fetchTaskResult, waitForTask } from '../../../workerpool/src/requester/runConfidentialTask.js';
import { DataProtectorError } from '../errors.js';
import type { MarketApi } from '../market.js';
import { address, invalid, service } from '../validate.js';

/**
 * A prepared bulk request: the signed request order, JSON-safe (amounts as decimal strings), so
 * it can be saved and processed or inspected later, by anyone (processing spends the
 * requester's escrow, as the requester signed).
 */
export type BulkRequest = {
  app: Address;
  appmaxprice: string;
  dataset: Address;
  datasetmaxprice: string;
  workerpool: Address;
  workerpoolmaxprice: string;
  requester: Address;
  volume: string;
  tag: Hex;
  category: string;
  trust: string;
  beneficiary: Address;
  callback: Address;
  params: string;
  salt: Hex;
  sign: Hex;
};

/** What the bulk actions need: the chain, the requester's wallet, storage, the market and the SMS. */
export type BulkContext = {
  publicClient: PublicClient<Transport, Chain>;
  wallet: WalletClient<Transport, Chain, Account>;
  hub: Address;
  storage: Storage;
  market: MarketApi;
  smsUrl: string;
};

/** One task of a bulk request: slice `bulkIndex`. */
export type BulkTask = {
  taskId: Hex;
  dealId: Hex;
  /** Which slice of the request this task processes (its index in the request). */
  bulkIndex: number;
  status: (typeof TaskStatus)[number];
  /** Set once the task ended: COMPLETED is a success. */
  success?: boolean;
  /** The result (the whole zip's files, or the file at `path`) when asked for and COMPLETED. */
  result?: Uint8Array | Map<string, Uint8Array>;
  /** Why the task failed: a CONFIDE_DATAPROTECTOR_TASK_FAILED error with the on-chain reason. */
  error?: DataProtectorError;
};

const UINT = /^(0|[1-9][0-9]{0,77})$/;
const AMOUNTS = ['appmaxprice', 'datasetmaxprice', 'workerpoolmaxprice', 'volume', 'category', 'trust'] as const;
const ADDRESSES = ['app', 'dataset', 'workerpool', 'requester', 'beneficiary', 'callback'] as const;

/** A bulk request back to a signed request order; a malformed one is INVALID_PARAMETER. */
export function readBulkRequest(value: unknown): Signed<RequestOrder> {
  if (typeof value !== 'object' || value === null)
    throw invalid('bulkRequest must be what prepareBulkRequest returned');
  const r = value as Record<string, unknown>;
  for (const k of AMOUNTS) {
    if (typeof r[k] !== 'string' || !UINT.test(r[k])) throw invalid(`bulkRequest.${k} must be a decimal string`);
  }
  for (const k of ['salt', 'tag'] as const) {
    if (typeof r[k] !== 'string' || !isHex(r[k]) || r[k].length !== 66)
      throw invalid(`bulkRequest.${k} must be 32 bytes`);
  }
  if (typeof r.sign !== 'string' || !isHex(r.sign)) throw invalid('bulkRequest.sign must be 0x-hex');
  if (typeof r.params !== 'string') throw invalid('bulkRequest.params must be a string');
  const text = r as Record<(typeof AMOUNTS)[number], string>;
  const order = {
    ...Object.fromEntries(ADDRESSES.map((k) => [k, address(r[k], `bulkRequest.${k}`)])),
    ...Object.fromEntries(AMOUNTS.map((k) => [k, BigInt(text[k])])),
    tag: r.tag as Hex,
    params: r.params,
    salt: r.salt as Hex,
    sign: r.sign as Hex,
  } as Signed<RequestOrder>;
  if (order.volume < 1n) throw invalid('bulkRequest.volume must be at least 1');
  return order;
}

/** A signed request order as a {@link BulkRequest}. */
export function toBulkRequest(order: Signed<RequestOrder>): BulkRequest {
  return {
    app: getAddress(order.app),
    appmaxprice: order.appmaxprice.toString(),
    dataset: getAddress(order.dataset),
    datasetmaxprice: order.datasetmaxprice.toString(),
    workerpool: getAddress(order.workerpool),
    workerpoolmaxprice: order.workerpoolmaxprice.toString(),
    requester: getAddress(order.requester),
    volume: order.volume.toString(),
    tag: order.tag,
    category: order.category.toString(),
    trust: order.trust.toString(),
    beneficiary: getAddress(order.beneficiary),
    callback: getAddress(order.callback),
    params: order.params,
    salt: order.salt,
    sign: order.sign,
  };
}

/** The request's hash under the hub's domain, and how many of its tasks were created. */
export async function requestProgress(ctx: Pick<BulkContext, 'publicClient' | 'hub'>, order: Signed<RequestOrder>) {
  const chainId = await service('reading the chain', () => ctx.publicClient.getChainId());
  const requestHash = hashOrder({ domain: confideDomain(chainId, ctx.hub), kind: 'RequestOrder', order });
  const consumed = await service('reading the request on chain', () =>
    ctx.publicClient.readContract({
      address: ctx.hub,
      abi: confideHubAbi,
      functionName: 'viewConsumed',
      args: [requestHash],
    }),
  );
  return { requestHash, consumed };
}

/**
 * Every task created so far for a request, in slice order, with its status on chain. Deals are
 * found without scanning events: the deal that starts at `offset` is
 * `computeDealId(requestHash, offset)` and covers `botSize` slices.
 */
export async function listBulkTasks(
  ctx: Pick<BulkContext, 'publicClient' | 'hub'>,
  requestHash: Hex,
  consumed: bigint,
): Promise<BulkTask[]> {
  const tasks: BulkTask[] = [];
  const read = <T>(functionName: 'viewDeal' | 'viewTask', args: [Hex]) =>
    service('reading deals and tasks on chain', () =>
      ctx.publicClient.readContract({ address: ctx.hub, abi: confideHubAbi, functionName, args } as never),
    ) as Promise<T>;
  for (let offset = 0n; offset < consumed; ) {
    const dealId = computeDealId(requestHash, offset);
    const deal = await read<{ botFirst: bigint; botSize: bigint }>('viewDeal', [dealId]);
    if (BigInt(deal.botSize) === 0n) break; // Not a deal of this request: the chain says no more.
    for (let i = 0n; i < BigInt(deal.botSize); i++) {
      const index = BigInt(deal.botFirst) + i;
      const taskId = computeTaskId(dealId, index);
      const task = await read<{ status: number }>('viewTask', [taskId]);
      tasks.push({ taskId, dealId, bulkIndex: Number(index), status: taskStatusOf(task.status) });
    }
    offset += BigInt(deal.botSize);
  }
  return tasks;
}

/**
 * Fills in how a task ended: `success`, and the `result` (decrypted with `identity`, the file at
 * `path` when given) or the `error`. A task still running is returned as it is.
 */
export async function settleTask(
  ctx: Pick<BulkContext, 'publicClient' | 'hub' | 'storage'>,
  task: BulkTask,
  options: { identity?: string; path?: string; wait: boolean },
): Promise<BulkTask> {
  if (!options.wait && task.status !== 'COMPLETED' && task.status !== 'FAILED') return task;
  const end = await service('following the task', () =>
    waitForTask({
      publicClient: ctx.publicClient,
      hub: ctx.hub,
      taskId: task.taskId,
      ...(options.wait ? {} : { timeoutMs: 0 }),
    }),
  );
  if (end.status === 'FAILED') {
    return {
      ...task,
      status: 'FAILED',
      success: false,
      error: new DataProtectorError('CONFIDE_DATAPROTECTOR_TASK_FAILED', {
        reason: end.reason,
        details: `task ${task.taskId} (slice ${task.bulkIndex}): ${end.reason}`,
      }),
    };
  }
  const settled: BulkTask = { ...task, status: 'COMPLETED', success: true };
  const identity = options.identity;
  if (identity === undefined) return settled;
  const files = await service('downloading the result', () =>
    fetchTaskResult({
      storage: ctx.storage,
      taskId: task.taskId,
      identity,
      location: end.location,
    }),
  );
  if (options.path === undefined) return { ...settled, result: files };
  const file = files.get(options.path);
  if (!file) throw invalid(`the result of ${task.taskId} has no file '${options.path}'`);
  return { ...settled, result: file };
}

/** A task's status on chain, by its index in the contract's enum. */
const taskStatusOf = (status: number): (typeof TaskStatus)[number] => TaskStatus[status] ?? 'UNSET';
