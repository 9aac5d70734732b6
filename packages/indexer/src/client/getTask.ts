import type { Address, Hex } from 'viem';
import type { IndexerQueryError } from '../errors.js';
import type { IndexerQuery } from './createIndexerClient.js';

/** A task's status as the indexer shows it. */
export type IndexedTaskStatus = 'UNSET' | 'ACTIVE' | 'COMPLETED' | 'FAILED';

/** One status change of a task. */
export type TaskStatusChange = {
  status: IndexedTaskStatus;
  blockNumber: bigint;
  timestamp: number;
  transactionHash: Hex;
  worker: Address | null;
  reason: string | null;
};

/** A task as the indexer knows it. */
export type IndexedTask = {
  taskId: Hex;
  dealId: Hex;
  index: bigint;
  status: IndexedTaskStatus;
  workerpool: Address;
  worker: Address | null;
  resultDigest: Hex | null;
  /** Where the result is (e.g. `/ipfs/<cid>`), once COMPLETED. */
  results: string | null;
  /** The enclave's reason code, or `CLAIMED`, once FAILED. */
  failureReason: string | null;
  history: TaskStatusChange[];
};

/** What {@link getTask} returns: null until the task is initialized on chain (and indexed). */
export type GetTaskReturnType = IndexedTask | null;

/** Errors {@link getTask} throws. */
export type GetTaskErrorType = IndexerQueryError;

const QUERY = /* GraphQL */ `
  query GetTask($id: ID!) {
    task(id: $id) {
      id dealId index status workerpool worker resultDigest results failureReason
      history { status blockNumber timestamp transactionHash worker reason }
    }
  }
`;

type Row = Omit<IndexedTask, 'taskId' | 'index' | 'history'> & {
  id: Hex;
  index: string;
  history: (Omit<TaskStatusChange, 'blockNumber' | 'timestamp'> & { blockNumber: string; timestamp: string })[];
};

/**
 * Reads a task: status, result location or failure reason, and every status change.
 * @param client - anything with `query` (an {@link IndexerClient})
 * @example const task = await getTask(indexer, computeTaskId(dealId, 0n)); if (task?.status === 'COMPLETED') …
 */
export async function getTask(client: { query: IndexerQuery }, taskId: Hex): Promise<GetTaskReturnType> {
  const { task } = await client.query<{ task: Row | null }>(QUERY, { id: taskId });
  if (!task) return null;
  const { id, index, history, ...rest } = task;
  return {
    ...rest,
    taskId: id,
    index: BigInt(index),
    history: history.map((change) => ({
      ...change,
      blockNumber: BigInt(change.blockNumber),
      timestamp: Number(change.timestamp),
    })),
  };
}
