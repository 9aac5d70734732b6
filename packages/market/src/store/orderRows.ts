import { type Address, getAddress, type Hex } from 'viem';
import type { OrderKind, OrderOf, Signed } from '../../../protocol/src/index.js';
import type { OrderStatus, OrdersTable } from '../db/schema.js';
import { type OrderJson, orderToJson } from '../orders/orderSchemas.js';

/** An order in the book, as the API answers it. */
export type OrderEntry<K extends OrderKind = OrderKind> = {
  orderHash: Hex;
  chainId: number;
  kind: K;
  order: OrderJson<K>;
  /** Volume not yet used by deals, as a decimal string. */
  remaining: string;
  status: OrderStatus;
  /** ISO 8601, when the market first accepted the order. */
  publicationTimestamp: string;
  /** The account that answers for the order: the asset's owner, or the requester. */
  signer: Address;
};

/**
 * A uint256 as text whose order is numeric order, on any database: its decimal digits prefixed
 * by their count in two digits (`1000` → `041000`). Short for the small values of real orders,
 * which keeps the indexes narrow.
 */
export function u256Key(value: bigint): string {
  const digits = value.toString();
  return `${digits.length.toString().padStart(2, '0')}${digits}`;
}

/** The value of a {@link u256Key}. */
export function fromU256Key(key: string): bigint {
  return BigInt(key.slice(2));
}

/** Tags seen lately and their bits: orders carry a handful of distinct tags. */
const tagBitsCache = new Map<string, string>();

/** A tag's 256 bits as `0`/`1` characters, bit 0 first. */
function tagBits(tag: Hex): string {
  const key = tag.toLowerCase();
  let bits = tagBitsCache.get(key);
  if (bits === undefined) {
    bits = BigInt(key).toString(2).padStart(256, '0').split('').reverse().join('');
    if (tagBitsCache.size >= 256) tagBitsCache.clear();
    tagBitsCache.set(key, bits);
  }
  return bits;
}

/** The row storing a newly accepted order. */
export function orderRow<K extends OrderKind>(p: {
  kind: K;
  order: Signed<OrderOf[K]>;
  orderHash: Hex;
  chainId: number;
  remaining: bigint;
  signer: Address;
  publicationTimestamp: string;
}): OrdersTable {
  const o = p.order as Record<string, unknown>;
  const addr = (field: string) => (typeof o[field] === 'string' ? (o[field] as string).toLowerCase() : null);
  const uint = (field: string) => (typeof o[field] === 'bigint' ? u256Key(o[field] as bigint) : null);
  const price = { AppOrder: 'appprice', DatasetOrder: 'datasetprice', WorkerpoolOrder: 'workerpoolprice' }[
    p.kind as Exclude<OrderKind, 'RequestOrder'>
  ];
  return {
    order_hash: p.orderHash,
    kind: p.kind,
    chain_id: p.chainId,
    app: addr('app'),
    dataset: addr('dataset'),
    workerpool: addr('workerpool'),
    requester: addr('requester'),
    apprestrict: addr('apprestrict'),
    datasetrestrict: addr('datasetrestrict'),
    workerpoolrestrict: addr('workerpoolrestrict'),
    requesterrestrict: addr('requesterrestrict'),
    price: uint(price ?? 'workerpoolmaxprice') ?? u256Key(0n),
    volume: u256Key(p.order.volume),
    remaining: u256Key(p.remaining),
    tag: p.order.tag,
    tag_bits: tagBits(p.order.tag),
    category: uint('category'),
    trust: uint('trust'),
    signer: p.signer.toLowerCase(),
    status: 'open',
    publication_timestamp: p.publicationTimestamp,
    order_json: JSON.stringify(orderToJson(p.order)),
  };
}

/** The API's view of a stored row. */
export function orderEntry(
  row: Pick<
    OrdersTable,
    'order_hash' | 'chain_id' | 'kind' | 'order_json' | 'remaining' | 'status' | 'publication_timestamp' | 'signer'
  >,
): OrderEntry {
  return {
    orderHash: row.order_hash as Hex,
    chainId: Number(row.chain_id),
    kind: row.kind,
    order: JSON.parse(row.order_json),
    remaining: fromU256Key(row.remaining).toString(),
    status: row.status,
    publicationTimestamp: row.publication_timestamp,
    signer: getAddress(row.signer),
  };
}
