import type { Address, Hex } from 'viem';
import type { IndexerQueryError } from '../errors.js';
import type { IndexerQuery } from './createIndexerClient.js';
import type { IndexedTaskStatus } from './getTask.js';

/** A deal as the indexer knows it, with its tasks' statuses by index. */
export type IndexedDeal = {
  dealId: Hex;
  app: Address;
  dataset: Address | null;
  workerpool: Address;
  requester: Address;
  beneficiary: Address;
  sponsor: Address;
  callback: Address | null;
  appPrice: bigint;
  datasetPrice: bigint;
  workerpoolPrice: bigint;
  botFirst: bigint;
  botSize: number;
  category: number;
  tag: Hex;
  trust: number;
  startTime: number;
  params: string | null;
  blockNumber: bigint;
  timestamp: number;
  transactionHash: Hex;
  /** The first 1,000 tasks by index; UNSET until initialized. */
  tasks: { taskId: Hex; index: bigint; status: IndexedTaskStatus }[];
};

/** What {@link getDeal} returns: null for an unknown (or not yet indexed) deal. */
export type GetDealReturnType = IndexedDeal | null;

/** Errors {@link getDeal} throws. */
export type GetDealErrorType = IndexerQueryError;

const QUERY = /* GraphQL */ `
  query GetDeal($id: ID!) {
    deal(id: $id) {
      id app dataset workerpool requester beneficiary sponsor callback appPrice datasetPrice workerpoolPrice
      botFirst botSize category tag trust startTime params blockNumber timestamp transactionHash
      tasks(first: 1000) { id index status }
    }
  }
`;

type Row = Omit<
  IndexedDeal,
  | 'dealId'
  | 'appPrice'
  | 'datasetPrice'
  | 'workerpoolPrice'
  | 'botFirst'
  | 'startTime'
  | 'blockNumber'
  | 'timestamp'
  | 'tasks'
> & {
  id: Hex;
  appPrice: string;
  datasetPrice: string;
  workerpoolPrice: string;
  botFirst: string;
  startTime: string;
  blockNumber: string;
  timestamp: string;
  tasks: { id: Hex; index: string; status: IndexedTaskStatus }[];
};

/**
 * Reads a deal with its prices, parties and tasks.
 * @param client - anything with `query` (an {@link IndexerClient})
 * @example const deal = await getDeal(indexer, dealId); deal?.tasks[0]?.status
 */
export async function getDeal(client: { query: IndexerQuery }, dealId: Hex): Promise<GetDealReturnType> {
  const { deal } = await client.query<{ deal: Row | null }>(QUERY, { id: dealId });
  if (!deal) return null;
  const { id, tasks, ...rest } = deal;
  return {
    ...rest,
    dealId: id,
    appPrice: BigInt(deal.appPrice),
    datasetPrice: BigInt(deal.datasetPrice),
    workerpoolPrice: BigInt(deal.workerpoolPrice),
    botFirst: BigInt(deal.botFirst),
    startTime: Number(deal.startTime),
    blockNumber: BigInt(deal.blockNumber),
    timestamp: Number(deal.timestamp),
    tasks: tasks.map((t) => ({ taskId: t.id, index: BigInt(t.index), status: t.status })),
  };
}
