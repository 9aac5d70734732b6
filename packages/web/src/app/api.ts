// Read-only calls of the pages: the market's books (HTTP), the indexer (GraphQL) and the escrow.
import { type Address, parseAbi } from 'viem';
import type { Endpoints, Network } from './network.js';

/** The four books of the market. */
export const BOOKS = ['apporders', 'datasetorders', 'workerpoolorders', 'requestorders'] as const;
export type Book = (typeof BOOKS)[number];

/** An order as the market lists it (numbers as decimal strings). */
export type BookEntry = {
  orderHash: string;
  order: Record<string, string>;
  remaining: string;
  signer: string;
  publicationTimestamp: string;
};

/** A page of one book, best price first. */
export async function fetchBook(
  endpoints: Endpoints,
  book: Book,
  filters: Record<string, string> = {},
): Promise<{ count: number; orders: BookEntry[] }> {
  const query = new URLSearchParams({ pageSize: '50', ...filters });
  const response = await fetch(`${endpoints.market}/${book}?${query}`);
  const body = (await response.json()) as { count: number; orders: BookEntry[]; error?: { message: string } };
  if (!response.ok) throw new Error(`market: ${body.error?.message ?? response.status}`);
  return body;
}

/** Runs a GraphQL query on the indexer. */
export async function graphql<T>(endpoints: Endpoints, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(`${endpoints.indexer}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(`indexer: ${body.errors.map((e) => e.message).join('; ')}`);
  if (!body.data) throw new Error(`indexer answered ${response.status}`);
  return body.data;
}

const INDEXED_BLOCK = /* GraphQL */ `
  query Indexed { _meta { block { number } } }
`;

/**
 * Waits until the indexer has followed the chain up to its latest block (polling every 100 ms,
 * at most `timeoutMs`), so that the page read after a transaction shows it at once instead of at
 * its next poll. Past the deadline it returns anyway: the page's polling catches up later.
 */
export async function indexerCaughtUp(network: Network, timeoutMs = 10_000): Promise<void> {
  const target = await network.publicClient.getBlockNumber();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { _meta } = await graphql<{ _meta: { block: { number: string } | null } }>(network.endpoints, INDEXED_BLOCK);
    if ((_meta.block && BigInt(_meta.block.number) >= target) || Date.now() >= deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A protected data as the indexer lists it. */
export type ProtectedDataRow = {
  id: string;
  name: string;
  owner: string;
  multiaddr: string;
  creationTimestamp: string;
  schema: { path: string; type: string }[];
  /** The DataSharing collection holding it (then `owner` is DataSharing), or null. */
  collection: { id: string } | null;
  rentalParams: { price: string; duration: string } | null;
  saleParams: { price: string } | null;
  /** The hub's owner policy (its price per use), or null if none was ever set. */
  policy: { pricePerUse: string } | null;
};

/** What an account really owns: held by itself, or by DataSharing in one of its collections. */
export const MY_PROTECTED_DATA = /* GraphQL */ `
  query Mine($owner: String!) {
    protectedDatas(where: { effectiveOwner: $owner }, first: 100) {
      id name owner multiaddr creationTimestamp schema { path type }
      collection { id } rentalParams { price duration } saleParams { price } policy { pricePerUse }
    }
  }
`;

/** A run by right of a rental or subscription (DataSharing's consumeProtectedData), paying the price per use. */
export type ConsumptionRow = {
  dealId: string;
  consumer: string;
  price: string;
  settled: boolean;
  deal: { tasks: { status: string }[] } | null;
};

/** The runs on a protected data by right of rentals and subscriptions, newest first. */
export const CONSUMPTIONS = /* GraphQL */ `
  query Consumptions($dataset: String!) {
    consumptions(where: { dataset: $dataset }, first: 1000) { dealId consumer price settled deal { tasks { status } } }
  }
`;

/** The price per use of every protected data in a collection whose owner set a policy. */
export const PRICES_PER_USE = /* GraphQL */ `
  query PricesPerUse {
    protectedDatas(where: { inCollection: true }, first: 1000) { id policy { pricePerUse } }
  }
`;

/** A collection offering subscriptions, with the data it holds. */
export type SubscribableCollection = {
  id: string;
  owner: string;
  subscriptionParams: { price: string; duration: string } | null;
  protectedDatas: { id: string; name: string }[];
};

export const COLLECTIONS = /* GraphQL */ `
  query Collections {
    collections(first: 1000) { id owner subscriptionParams { price duration } protectedDatas { id name } }
  }
`;

/** A task with its deal, as the tasks page shows it. */
export type TaskRow = {
  id: string;
  status: string;
  index: string;
  results: string | null;
  failureReason: string | null;
  worker: string | null;
  deal: { id: string; app: string; dataset: string | null; requester: string; timestamp: string };
  history: { status: string; timestamp: string; transactionHash: string }[];
};

const TASK_FIELDS = `
  id status index results failureReason worker
  deal { id app dataset requester timestamp }
  history { status timestamp transactionHash }
`;

export const TASKS = /* GraphQL */ `
  query Tasks { tasks(first: 50) { ${TASK_FIELDS} } }
`;

/** 9-decimal token units as a readable amount. */
export function formatToken(units: string | bigint): string {
  const value = BigInt(units);
  const whole = value / 1_000_000_000n;
  const fraction = (value % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${whole}${fraction ? `.${fraction}` : ''} CFD`;
}

/** A duration in seconds as a short text: 1 h, 30 d, 90 min, 45 s. */
export function formatDuration(seconds: number | bigint | string): string {
  const s = Number(seconds);
  if (s > 0 && s % 86_400 === 0) return `${s / 86_400} d`;
  if (s > 0 && s % 3600 === 0) return `${s / 3600} h`;
  if (s > 0 && s % 60 === 0) return `${s / 60} min`;
  return `${s} s`;
}

const ESCROW_ABI = parseAbi(['function balanceOf(address account) view returns (uint256)']);

/** The free escrow balance of `account` on the hub (what rentals, subscriptions, sales and runs are paid from). */
export function escrowBalance(network: Network, account: Address): Promise<bigint> {
  return network.publicClient.readContract({
    address: network.config.hub as Address,
    abi: ESCROW_ABI,
    functionName: 'balanceOf',
    args: [account],
  });
}

/** An address or hash, shortened for tables (the full value in the title). */
export function short(value: string): string {
  return value.length > 14 ? `${value.slice(0, 8)}…${value.slice(-4)}` : value;
}
