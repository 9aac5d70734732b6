import {
  type Account,
  type Address,
  type Chain,
  concatBytes,
  type Hex,
  hexToString,
  type PublicClient,
  type Transport,
  type WalletClient,
  zeroAddress,
} from 'viem';
import { decryptResult } from '../../../crypto/src/decryptResult.js';
import { generateResultKeyPair } from '../../../crypto/src/generateResultKeyPair.js';
import { readZip } from '../../../crypto/src/zip.js';
import {
  type AppOrder,
  computeTaskId,
  confideDomain,
  confideHubAbi,
  type DatasetOrder,
  NULL_DATASET_ORDER,
  parseDealParams,
  parseFailureReason,
  type RequestOrder,
  randomSalt,
  type Signed,
  signOrder,
  TaskStatus,
  type WorkerpoolOrder,
  walletSigner,
} from '../../../protocol/src/index.js';
import type { Storage } from '../../../storage/src/storage.js';

/** Parameters of {@link runConfidentialTask}. */
export type RunConfidentialTaskParameters = {
  publicClient: PublicClient<Transport, Chain>;
  /** The requester's wallet; its escrow pays the deal. */
  wallet: WalletClient<Transport, Chain, Account>;
  hub: Address;
  /** Where the results are read from (the workers upload there). */
  storage: Storage;
  appOrder: Signed<AppOrder>;
  /** The dataset owner's order; none for an app that needs no dataset. */
  datasetOrder?: Signed<DatasetOrder>;
  /** The workerpool's order (e.g. from its scheduler's `GET /workerpool/orders`). */
  workerpoolOrder: Signed<WorkerpoolOrder>;
  /** How many tasks (each runs the app once). Default 1. */
  volume?: bigint;
  /** The app's arguments (`iexec_args`). */
  args?: string;
  /** Requester secrets for the app: index → secret name stored in the SMS. */
  secrets?: Record<string, string>;
  /**
   * The beneficiary's age identity (`AGE-SECRET-KEY-1…`) and recipient; a fresh pair when
   * absent (returned, so the caller can keep it).
   */
  resultKey?: { identity: string; recipient: string };
  /** Give up waiting after this long (the tasks go on, and can be claimed after their deadline). */
  timeoutMs?: number;
  /** Called as tasks move: `MATCHED`, then per task `ACTIVE`, `COMPLETED` or `FAILED`. */
  onStatus?: (event: { step: string; dealId?: Hex; taskId?: Hex; reason?: string }) => void;
  /** Poll interval for the chain. Default 200 ms. */
  pollMs?: number;
  /**
   * The request's trust (default: the workerpool order's). Above 1 with no TEE tag, the task runs
   * replicated: several workers compute it and the consensus decides (Proof of Contribution).
   */
  trust?: bigint;
  /** The request's tag, what the task requires (default: every bit of the three orders' tags). */
  tag?: Hex;
};

/** How one task of the request ended. */
export type ConfidentialTaskResult =
  | { taskId: Hex; status: 'COMPLETED'; resultDigest: Hex; location: string; files: Map<string, Uint8Array> }
  | { taskId: Hex; status: 'FAILED'; reason: string };

/** The error when a request cannot be placed or followed. */
export class RequestFailedError extends Error {
  override name = 'RequestFailedError';
  readonly code = 'CONFIDE_REQUEST_FAILED';
}

/**
 * The requester's whole path in one call: builds and signs the request order that matches the
 * three others (prices, tag, category as offered), with the beneficiary's age recipient in its
 * params so that only the beneficiary can read the results; matches the orders on chain; follows
 * every task until it ends; downloads and decrypts each result.
 * @throws RequestFailedError when matching reverts or the tasks do not end within `timeoutMs`
 * @example
 * const { tasks } = await runConfidentialTask({ publicClient, wallet, hub, storage, appOrder, datasetOrder, workerpoolOrder, volume: 3n })
 * const result = tasks[0].status === 'COMPLETED' ? tasks[0].files.get('result.json') : undefined
 */
export async function runConfidentialTask(p: RunConfidentialTaskParameters) {
  const { dealId, taskIds, resultKey } = await requestConfidentialTask(p);
  const tasks = await Promise.all(
    taskIds.map(async (taskId): Promise<ConfidentialTaskResult> => {
      const end = await waitForTask({ ...p, taskId });
      if (end.status === 'FAILED') return { taskId, status: 'FAILED', reason: end.reason };
      const files = await fetchTaskResult({ ...p, taskId, identity: resultKey.identity, location: end.location });
      p.onStatus?.({ step: 'COMPLETED', taskId });
      return { taskId, status: 'COMPLETED', resultDigest: end.resultDigest, location: end.location, files };
    }),
  );
  return { dealId, tasks, resultKey };
}

/**
 * Builds, signs and matches the request order for the three given orders; resolves once the
 * deal exists, with its task ids (see {@link runConfidentialTask} for the whole path).
 * @throws RequestFailedError when the orders do not match
 */
export async function requestConfidentialTask(
  p: Omit<RunConfidentialTaskParameters, 'storage' | 'timeoutMs' | 'pollMs'> & {
    /**
     * Sends the match and returns its transaction (default: the hub's `matchOrders` from the
     * requester's wallet, failures as RequestFailedError). A contract that authorizes the dataset
     * order itself (DataSharing's `consumeProtectedData`) matches through its own call; what this
     * throws is passed on unchanged.
     */
    match?: (orders: {
      appOrder: Signed<AppOrder>;
      datasetOrder: Signed<DatasetOrder>;
      workerpoolOrder: Signed<WorkerpoolOrder>;
      requestOrder: Signed<RequestOrder>;
    }) => Promise<Hex>;
  },
) {
  const volume = p.volume ?? 1n;
  const resultKey = p.resultKey ?? generateResultKeyPair();
  const params = JSON.stringify({
    ...(p.args ? { iexec_args: p.args } : {}),
    ...(p.secrets ? { iexec_secrets: p.secrets } : {}),
    confide_result_recipient: resultKey.recipient,
  });
  parseDealParams(params); // What the enclave will read; refuse it here rather than after paying.
  const dataset = p.datasetOrder ?? NULL_DATASET_ORDER;
  const requester = p.wallet.account.address;
  const request: RequestOrder = {
    app: p.appOrder.app,
    appmaxprice: p.appOrder.appprice,
    dataset: dataset.dataset,
    datasetmaxprice: dataset.datasetprice,
    workerpool: p.workerpoolOrder.workerpool,
    workerpoolmaxprice: p.workerpoolOrder.workerpoolprice,
    requester,
    volume,
    tag: p.tag ?? orTags(p.appOrder.tag, dataset.tag, p.workerpoolOrder.tag),
    category: p.workerpoolOrder.category,
    trust: p.trust ?? p.workerpoolOrder.trust,
    beneficiary: requester,
    callback: zeroAddress,
    params,
    salt: randomSalt(),
  };
  const chainId = await p.publicClient.getChainId();
  const signed = await signOrder({
    domain: confideDomain(chainId, p.hub),
    kind: 'RequestOrder',
    order: request,
    signer: walletSigner(p.wallet),
  });
  const tx = p.match
    ? await p.match({
        appOrder: p.appOrder,
        datasetOrder: dataset,
        workerpoolOrder: p.workerpoolOrder,
        requestOrder: signed,
      })
    : await p.wallet
        .writeContract({
          address: p.hub,
          abi: confideHubAbi,
          functionName: 'matchOrders',
          args: [p.appOrder, dataset, p.workerpoolOrder, signed],
        })
        .catch((cause: unknown) => {
          throw new RequestFailedError(`the orders do not match: ${shortError(cause)}`, { cause });
        });
  const receipt = await p.publicClient.waitForTransactionReceipt({ hash: tx });
  const [matched] = await p.publicClient.getContractEvents({
    address: p.hub,
    abi: confideHubAbi,
    eventName: 'OrdersMatched',
    blockHash: receipt.blockHash,
    strict: true,
  });
  if (!matched) throw new RequestFailedError(`matchOrders ${tx} emitted no deal`);
  const { dealId } = matched.args;
  const deal = await p.publicClient.readContract({
    address: p.hub,
    abi: confideHubAbi,
    functionName: 'viewDeal',
    args: [dealId],
  });
  p.onStatus?.({ step: 'MATCHED', dealId });
  const taskIds = Array.from({ length: Number(deal.botSize) }, (_, i) =>
    computeTaskId(dealId, deal.botFirst + BigInt(i)),
  );
  return { dealId, taskIds, resultKey, txHash: tx };
}

/** How a task ended on chain. */
export type TaskEnd =
  | { status: 'COMPLETED'; resultDigest: Hex; location: string }
  | { status: 'FAILED'; reason: string };

/**
 * Follows a task on chain until it is COMPLETED (with its result location from
 * `TaskFinalized`) or FAILED (with its reason from `TaskFailed`, or `CLAIMED`).
 * @throws RequestFailedError when it has not ended after `timeoutMs` (default 10 min)
 */
export async function waitForTask(p: {
  publicClient: PublicClient<Transport, Chain>;
  hub: Address;
  taskId: Hex;
  timeoutMs?: number;
  pollMs?: number;
  onStatus?: (event: { step: string; taskId?: Hex; reason?: string }) => void;
}): Promise<TaskEnd> {
  const { taskId } = p;
  const deadline = Date.now() + (p.timeoutMs ?? 600_000);
  let last = '';
  for (;;) {
    const task = await p.publicClient.readContract({
      address: p.hub,
      abi: confideHubAbi,
      functionName: 'viewTask',
      args: [taskId],
    });
    const status = TaskStatus[task.status] ?? 'UNSET';
    if (status !== last && status !== 'UNSET') {
      last = status;
      if (status === 'ACTIVE') p.onStatus?.({ step: 'ACTIVE', taskId });
    }
    if (status === 'COMPLETED') {
      const [finalized] = await p.publicClient.getContractEvents({
        address: p.hub,
        abi: confideHubAbi,
        eventName: 'TaskFinalized',
        args: { taskId },
        fromBlock: 0n,
        strict: true,
      });
      if (!finalized)
        throw new RequestFailedError(`task ${taskId} is COMPLETED but its TaskFinalized event is missing`);
      return { status: 'COMPLETED', resultDigest: task.resultDigest, location: hexToString(finalized.args.results) };
    }
    if (status === 'FAILED') {
      const [failed] = await p.publicClient.getContractEvents({
        address: p.hub,
        abi: confideHubAbi,
        eventName: 'TaskFailed',
        args: { taskId },
        fromBlock: 0n,
        strict: true,
      });
      const reason = failed ? parseFailureReason(failed.args.reason) : 'CLAIMED';
      p.onStatus?.({ step: 'FAILED', taskId, reason });
      return { status: 'FAILED', reason };
    }
    if (Date.now() > deadline) throw new RequestFailedError(`task ${taskId} is still ${status} after the timeout`);
    await new Promise((resolve) => setTimeout(resolve, p.pollMs ?? 200));
  }
}

/**
 * Downloads a completed task's result from storage (CID-verified) and decrypts it with the
 * beneficiary's age identity; returns the files of the result zip.
 * @throws RequestFailedError when the location is not `/ipfs/<cid>`; the crypto package's
 * errors when the identity is not the beneficiary's
 */
export async function fetchTaskResult(p: { storage: Storage; taskId: Hex; identity: string; location: string }) {
  const cid = /^\/ipfs\/([A-Za-z0-9]+)$/.exec(p.location)?.[1];
  if (!cid)
    throw new RequestFailedError(`task ${p.taskId} has a result location that is not /ipfs/<cid>: ${p.location}`);
  const chunks: Uint8Array[] = [];
  for await (const chunk of p.storage.get(cid)) chunks.push(chunk);
  return readZip(decryptResult(concatBytes(chunks), p.identity));
}

function orTags(...tags: Hex[]): Hex {
  const bits = tags.reduce((acc, tag) => acc | BigInt(tag), 0n);
  return `0x${bits.toString(16).padStart(64, '0')}`;
}

function shortError(error: unknown): string {
  if (error && typeof error === 'object' && 'shortMessage' in error) return String(error.shortMessage);
  return error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
}
