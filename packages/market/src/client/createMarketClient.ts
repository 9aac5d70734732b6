import { type Address, type Hex, type LocalAccount, zeroAddress, zeroHash } from 'viem';
import {
  fetchRetryingClosedSocket,
  type OrderKind,
  type OrderOf,
  orderTypes,
  type Signed,
} from '../../../protocol/src/index.js';
import { type UnpublishRequest, unpublishTypedData } from '../auth/unpublishAuth.js';
import type { OrderStatus } from '../db/schema.js';
import { BOOK_OF, orderToJson } from '../orders/orderSchemas.js';
import type { OrderFilters } from '../store/createOrderStore.js';
import { MarketError, marketErrorFrom } from './MarketError.js';

/** Where the market is, and how to reach it. */
export type MarketTransport = {
  url: string;
  fetch: typeof fetch;
  timeoutMs: number;
};

/** An order in the book, numbers as bigints. */
export type MarketOrder<K extends OrderKind> = {
  orderHash: Hex;
  chainId: number;
  order: Signed<OrderOf[K]>;
  remaining: bigint;
  status: OrderStatus;
  publicationTimestamp: string;
  signer: Address;
};

/** What the market answers for a publication. */
export type PublishedOrder = { orderHash: Hex; remaining: bigint; signer: Address; publicationTimestamp: string };

/** Filters and page of {@link fetchOrders}; see `docs/market.md` for which book takes which. */
export type FetchOrdersParameters = OrderFilters & { page?: number; pageSize?: number };

/** One page of a book. */
export type FetchOrdersReturnType<K extends OrderKind> = { orders: MarketOrder<K>[]; count: number; nextPage?: number };

/** Which orders to unpublish: one, or all of the signer's in the book (on one asset). */
export type UnpublishTarget = { orderHash: Hex } | { all: true; asset?: Address };

/** Who unpublishes: an account that signs typed data. */
export type UnpublishSigner = Pick<LocalAccount, 'address' | 'signTypedData'>;

async function call(transport: MarketTransport, path: string, init?: RequestInit): Promise<unknown> {
  const url = new URL(path, transport.url).toString();
  let response: Response;
  try {
    response = await fetchRetryingClosedSocket(transport.fetch, url, {
      ...init,
      headers: init?.body ? { 'content-type': 'application/json' } : undefined,
      signal: AbortSignal.timeout(transport.timeoutMs),
    });
  } catch (cause) {
    throw new MarketError({
      code: 'CONFIDE_MARKET_UNREACHABLE',
      shortMessage: `cannot reach the market at ${transport.url}; is it running?`,
      cause,
    });
  }
  if (!response.ok) throw await marketErrorFrom(response, url);
  return response.json();
}

/** An order from JSON: its uint256 fields back to bigints. */
function orderFromJson<K extends OrderKind>(kind: K, json: Record<string, unknown>): Signed<OrderOf[K]> {
  const order: Record<string, unknown> = { ...json };
  for (const field of orderTypes[kind]) {
    if (field.type === 'uint256') order[field.name] = BigInt(json[field.name] as string);
  }
  return order as unknown as Signed<OrderOf[K]>;
}

function entryFromJson<K extends OrderKind>(kind: K, json: Record<string, unknown>): MarketOrder<K> {
  return {
    orderHash: json.orderHash as Hex,
    chainId: json.chainId as number,
    order: orderFromJson(kind, json.order as Record<string, unknown>),
    remaining: BigInt(json.remaining as string),
    status: json.status as OrderStatus,
    publicationTimestamp: json.publicationTimestamp as string,
    signer: json.signer as Address,
  };
}

/**
 * Publishes a signed order; publishing one already in the book answers the same hash.
 * @throws MarketError e.g. `CONFIDE_MARKET_NOT_OWNER`, `CONFIDE_MARKET_ORDER_CONSUMED`
 * @example const { orderHash } = await publishOrder(transport, 'DatasetOrder', signedOrder)
 */
export async function publishOrder<K extends OrderKind>(
  transport: MarketTransport,
  kind: K,
  order: Signed<OrderOf[K]>,
): Promise<PublishedOrder> {
  const body = JSON.stringify({ order: orderToJson(order) });
  const { published } = (await call(transport, `/${BOOK_OF[kind]}`, { method: 'POST', body })) as {
    published: Record<string, string>;
  };
  return {
    orderHash: published.orderHash as Hex,
    remaining: BigInt(published.remaining ?? '0'),
    signer: published.signer as Address,
    publicationTimestamp: published.publicationTimestamp as string,
  };
}

/**
 * One page of a book's open orders, best price first.
 * @example const { orders, nextPage } = await fetchOrders(transport, 'DatasetOrder', { dataset, apprestrict: app })
 */
export async function fetchOrders<K extends OrderKind>(
  transport: MarketTransport,
  kind: K,
  parameters: FetchOrdersParameters = {},
): Promise<FetchOrdersReturnType<K>> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined) query.set(name, String(value));
  }
  const suffix = query.size > 0 ? `?${query}` : '';
  const page = (await call(transport, `/${BOOK_OF[kind]}${suffix}`)) as {
    orders: Record<string, unknown>[];
    count: number;
    nextPage?: number;
  };
  return {
    orders: page.orders.map((entry) => entryFromJson(kind, entry)),
    count: page.count,
    ...(page.nextPage === undefined ? {} : { nextPage: page.nextPage }),
  };
}

/**
 * One order, whatever its status (open, filled, cancelled, dead).
 * @throws MarketError `CONFIDE_MARKET_ORDER_NOT_FOUND` when the market never had it (or it was unpublished)
 * @example const { remaining } = await fetchOrder(transport, 'AppOrder', orderHash)
 */
export async function fetchOrder<K extends OrderKind>(
  transport: MarketTransport,
  kind: K,
  orderHash: Hex,
): Promise<MarketOrder<K>> {
  return entryFromJson(kind, (await call(transport, `/${BOOK_OF[kind]}/${orderHash}`)) as Record<string, unknown>);
}

/**
 * Removes orders from the book as their signer: asks a challenge, signs the request with it,
 * sends both. It does not cancel on chain: whoever holds the signed order can still match it
 * (close it with `manage<Kind>Order` for that).
 * @returns the hashes removed
 * @example await unpublishOrder(transport, 'AppOrder', { orderHash }, appOwner)
 */
export async function unpublishOrder(
  transport: MarketTransport,
  kind: OrderKind,
  target: UnpublishTarget,
  account: UnpublishSigner,
): Promise<Hex[]> {
  const { challenge, domain } = (await call(
    transport,
    `/challenge?address=${encodeURIComponent(account.address)}`,
  )) as { challenge: Hex; domain: { chainId: number } };
  const request: UnpublishRequest = {
    book: BOOK_OF[kind],
    target: 'orderHash' in target ? 'orderHash' : 'all',
    orderHash: 'orderHash' in target ? target.orderHash : zeroHash,
    asset: 'all' in target ? (target.asset ?? zeroAddress) : zeroAddress,
    challenge,
  };
  const signature = await account.signTypedData(unpublishTypedData(domain.chainId, request));
  const body =
    request.target === 'orderHash'
      ? { target: 'orderHash', orderHash: request.orderHash, challenge, signature }
      : { target: 'all', ...('asset' in target && target.asset ? { asset: target.asset } : {}), challenge, signature };
  const { unpublished } = (await call(transport, `/${BOOK_OF[kind]}`, {
    method: 'PUT',
    body: JSON.stringify(body),
  })) as { unpublished: Hex[] };
  return unpublished;
}

/** Parameters of {@link createMarketClient}. */
export type CreateMarketClientParameters = {
  /** The market's base URL, e.g. `http://127.0.0.1:13600`. */
  url: string;
  /** Milliseconds before a request is abandoned; 10 000 by default. */
  timeoutMs?: number;
  /** A fetch to use instead of the global one (tests, proxies). */
  fetch?: typeof fetch;
};

/**
 * A market client: the free functions above bound to one market.
 * @example
 * const market = createMarketClient({ url: 'http://127.0.0.1:13600' })
 * const { orders } = await market.fetchOrders('WorkerpoolOrder', { category: 0n, minTag: TAG_TEE })
 */
export function createMarketClient(parameters: CreateMarketClientParameters) {
  try {
    new URL(parameters.url);
  } catch (cause) {
    throw new MarketError({
      code: 'CONFIDE_MARKET_URL_INVALID',
      shortMessage: `the market URL ${JSON.stringify(parameters.url)} is not a URL; pass e.g. http://127.0.0.1:13600`,
      cause,
    });
  }
  const transport: MarketTransport = {
    url: parameters.url,
    fetch: parameters.fetch ?? globalThis.fetch,
    timeoutMs: parameters.timeoutMs ?? 10_000,
  };
  return {
    publishOrder: <K extends OrderKind>(kind: K, order: Signed<OrderOf[K]>) => publishOrder(transport, kind, order),
    fetchOrders: <K extends OrderKind>(kind: K, filters?: FetchOrdersParameters) =>
      fetchOrders(transport, kind, filters),
    fetchOrder: <K extends OrderKind>(kind: K, orderHash: Hex) => fetchOrder(transport, kind, orderHash),
    unpublishOrder: (kind: OrderKind, target: UnpublishTarget, account: UnpublishSigner) =>
      unpublishOrder(transport, kind, target, account),
  };
}

/** A client made by {@link createMarketClient}. */
export type MarketClient = ReturnType<typeof createMarketClient>;
