import { type Address, getAddress, type Hex, zeroAddress } from 'viem';
import {
  type AppOrder,
  confideHubAbi,
  NULL_DATASET_ORDER,
  type RequestOrder,
  type Signed,
  type WorkerpoolOrder,
} from '../../../protocol/src/index.js';
import { DataProtectorError } from '../errors.js';
import { type OnStatusUpdate, step } from '../statusUpdates.js';
import { address, count, invalid, service } from '../validate.js';
import {
  type BulkContext,
  type BulkRequest,
  type BulkTask,
  listBulkTasks,
  readBulkRequest,
  requestProgress,
  settleTask,
} from './bulkRequest.js';

/** Parameters of `processBulkRequest`, as iExec's. */
export type ProcessBulkRequestParameters = {
  bulkRequest: BulkRequest;
  /** Only this workerpool (default: the request's, or any). */
  workerpool?: Address;
  /** Wait for every task and return its outcome (and result with `resultIdentity`). Default false. */
  waitForResult?: boolean;
  /** The beneficiary's age identity, to decrypt results when waiting. */
  resultIdentity?: string;
  /** A file of each result to return instead of the whole zip's files. */
  path?: string;
  /** How long to wait for a workerpool order when none is offered (default 30 s). */
  workerpoolWaitMs?: number;
  onStatusUpdate?: OnStatusUpdate<ProcessBulkRequestStep>;
};

/** Steps of `processBulkRequest`. */
type ProcessBulkRequestStep =
  | 'FETCH_ORDERS'
  | 'WAIT_FOR_WORKERPOOL_AVAILABILITY'
  | 'REQUEST_TO_PROCESS_BULK_DATA'
  | 'CREATE_BULK_TASKS'
  | 'PROCESS_BULK_SLICE';

/** What `processBulkRequest` returns: every task of the request, in slice order. */
export type ProcessBulkRequestReturnType = { tasks: BulkTask[] };

/** Pause between two looks at the workerpool book while none is offered. */
const WORKERPOOL_POLL_MS = 500;

/**
 * Runs a prepared bulk request: matches it with the app's order and workerpool orders until
 * every slice has its task (several deals when one workerpool order does not cover them all;
 * already-created tasks are kept, so a second call resumes), then optionally waits for each task.
 * Dataset orders are not matched: each task's slice is checked by the SMS.
 * @returns the tasks, each with its `bulkIndex` (slice), and with `waitForResult` its outcome
 * @throws DataProtectorError `CONFIDE_DATAPROTECTOR_INVALID_PARAMETER`,
 * `CONFIDE_DATAPROTECTOR_NO_APP_ORDER`, `CONFIDE_DATAPROTECTOR_NO_WORKERPOOL_ORDER` (after
 * `workerpoolWaitMs`), `CONFIDE_DATAPROTECTOR_SERVICE_FAILED`
 * @example
 * const { tasks } = await dp.processBulkRequest({ bulkRequest, waitForResult: true, resultIdentity: resultKey.identity, path: 'result.txt' })
 */
export async function processBulkRequest(
  ctx: BulkContext,
  params: ProcessBulkRequestParameters,
): Promise<ProcessBulkRequestReturnType> {
  const request = readBulkRequest(params?.bulkRequest);
  const pool = params.workerpool === undefined ? request.workerpool : address(params.workerpool, 'workerpool');
  if (request.workerpool !== zeroAddress && pool !== request.workerpool) {
    throw invalid(`the request was signed for workerpool ${request.workerpool}`);
  }
  const waitMs = count(params.workerpoolWaitMs ?? 30_000, 'workerpoolWaitMs', 0);
  if (params.resultIdentity !== undefined && typeof params.resultIdentity !== 'string') {
    throw invalid('resultIdentity must be an age identity (AGE-SECRET-KEY-1…)');
  }
  const tasks = await step(
    params.onStatusUpdate,
    'CREATE_BULK_TASKS',
    async () => {
      for (;;) {
        const { requestHash, consumed } = await requestProgress(ctx, request);
        if (consumed >= request.volume) return listBulkTasks(ctx, requestHash, consumed);
        const { appOrder, workerpoolOrder } = await step(params.onStatusUpdate, 'FETCH_ORDERS', () =>
          fetchOrders(ctx, request, pool, waitMs, params.onStatusUpdate),
        );
        await step(
          params.onStatusUpdate,
          'REQUEST_TO_PROCESS_BULK_DATA',
          () => match(ctx, appOrder, workerpoolOrder, request),
          (r) => ({ txHash: r.txHash, dealId: r.dealId }),
        );
      }
    },
    (all) => ({ tasks: String(all.length) }),
  );
  if (!params.waitForResult) return { tasks };
  const settled = await Promise.all(
    tasks.map((task) =>
      step(
        params.onStatusUpdate,
        'PROCESS_BULK_SLICE',
        () =>
          settleTask(ctx, task, {
            wait: true,
            ...(params.resultIdentity === undefined ? {} : { identity: params.resultIdentity }),
            ...(params.path === undefined ? {} : { path: params.path }),
          }),
        (t) => ({ taskId: t.taskId, bulkIndex: String(t.bulkIndex), status: t.status }),
      ),
    ),
  );
  return { tasks: settled };
}

async function fetchOrders(
  ctx: BulkContext,
  request: Signed<RequestOrder>,
  pool: Address,
  waitMs: number,
  onStatusUpdate: OnStatusUpdate<ProcessBulkRequestStep> | undefined,
): Promise<{ appOrder: Signed<AppOrder>; workerpoolOrder: Signed<WorkerpoolOrder> }> {
  const requester = getAddress(request.requester);
  const admits = (restrict: Address, who: Address) => restrict === zeroAddress || getAddress(restrict) === who;
  const apps = await service('querying the market', () =>
    ctx.market.listAppOrders({ app: request.app, maxPrice: request.appmaxprice, page: 0, pageSize: 50 }),
  );
  const appOrder = apps.orders.find(
    (o) =>
      o.order.appprice <= request.appmaxprice &&
      o.order.datasetrestrict === zeroAddress &&
      admits(o.order.requesterrestrict, requester) &&
      (pool === zeroAddress ? o.order.workerpoolrestrict === zeroAddress : admits(o.order.workerpoolrestrict, pool)) &&
      (BigInt(o.order.tag) & ~BigInt(request.tag)) === 0n,
  );
  if (!appOrder) {
    throw new DataProtectorError('CONFIDE_DATAPROTECTOR_NO_APP_ORDER', {
      details: `app ${request.app} ≤ ${request.appmaxprice}`,
    });
  }
  // The pool must offer every tag bit the app and the request ask (the TEE bit at least).
  const needed = BigInt(appOrder.order.tag) | BigInt(request.tag);
  const deadline = Date.now() + waitMs;
  let waiting = false;
  for (;;) {
    const pools = await service('querying the market', () =>
      ctx.market.listWorkerpoolOrders({
        minTag: `0x${needed.toString(16).padStart(64, '0')}`,
        maxPrice: request.workerpoolmaxprice,
        category: request.category,
        ...(pool === zeroAddress ? {} : { workerpool: pool }),
        page: 0,
        pageSize: 50,
      }),
    );
    const workerpoolOrder = pools.orders.find(
      (o) =>
        o.remaining > 0n &&
        o.order.workerpoolprice <= request.workerpoolmaxprice &&
        o.order.category === request.category &&
        o.order.trust >= request.trust &&
        admits(o.order.apprestrict, getAddress(request.app)) &&
        o.order.datasetrestrict === zeroAddress &&
        admits(o.order.requesterrestrict, requester) &&
        (needed & ~BigInt(o.order.tag)) === 0n,
    );
    if (workerpoolOrder) {
      if (waiting) onStatusUpdate?.({ title: 'WAIT_FOR_WORKERPOOL_AVAILABILITY', isDone: true });
      return { appOrder: appOrder.order, workerpoolOrder: workerpoolOrder.order };
    }
    if (Date.now() >= deadline) {
      throw new DataProtectorError('CONFIDE_DATAPROTECTOR_NO_WORKERPOOL_ORDER', {
        details: `category ${request.category}, ≤ ${request.workerpoolmaxprice}${pool === zeroAddress ? '' : `, ${pool}`}`,
      });
    }
    if (!waiting) onStatusUpdate?.({ title: 'WAIT_FOR_WORKERPOOL_AVAILABILITY', isDone: false });
    waiting = true;
    await new Promise((resolve) => setTimeout(resolve, WORKERPOOL_POLL_MS));
  }
}

async function match(
  ctx: BulkContext,
  appOrder: Signed<AppOrder>,
  workerpoolOrder: Signed<WorkerpoolOrder>,
  request: Signed<RequestOrder>,
): Promise<{ txHash: Hex; dealId: Hex }> {
  const { publicClient, hub } = ctx;
  return service('matching the orders', async () => {
    const txHash = await ctx.wallet.writeContract({
      address: hub,
      abi: confideHubAbi,
      functionName: 'matchOrders',
      args: [appOrder, NULL_DATASET_ORDER, workerpoolOrder, request],
    });
    const receipt = await publicClient.waitForTransactionReceipt({ hash: txHash });
    if (receipt.status !== 'success') throw new Error(`matchOrders ${txHash} reverted`);
    const [matched] = await publicClient.getContractEvents({
      address: hub,
      abi: confideHubAbi,
      eventName: 'OrdersMatched',
      blockHash: receipt.blockHash,
      strict: true,
    });
    if (!matched) throw new Error(`matchOrders ${txHash} emitted no deal`);
    return { txHash, dealId: matched.args.dealId };
  });
}
