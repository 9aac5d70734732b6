import { type Address, getAddress, type Hex, isAddress } from 'viem';
import { z } from 'zod';
import type { OrderKind, OrderOf, Signed } from '../../../protocol/src/index.js';

/** The four order books, named as iExec's market API names them, and the order kind of each. */
export const MARKET_BOOKS = {
  apporders: 'AppOrder',
  datasetorders: 'DatasetOrder',
  workerpoolorders: 'WorkerpoolOrder',
  requestorders: 'RequestOrder',
} as const satisfies Record<string, OrderKind>;

/** One of the four books: `apporders`, `datasetorders`, `workerpoolorders`, `requestorders`. */
export type MarketBook = keyof typeof MARKET_BOOKS;

/** The book holding orders of `kind`. */
export const BOOK_OF: { [K in OrderKind]: MarketBook } = {
  AppOrder: 'apporders',
  DatasetOrder: 'datasetorders',
  WorkerpoolOrder: 'workerpoolorders',
  RequestOrder: 'requestorders',
};

const MAX_UINT256 = 2n ** 256n - 1n;
/** Longest signature accepted: ECDSA is 64 or 65 bytes, ERC-1271 wallets may need more. */
const MAX_SIGNATURE_BYTES = 2048;
/** Longest `params` of a request order, in characters. */
const MAX_PARAMS_LENGTH = 16_384;

/** A uint256 as a decimal string, no sign, no leading zero; parsed to a bigint. */
export const uint256 = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,77})$/, 'must be a uint256 as a decimal string, e.g. "1000"')
  .transform((v) => BigInt(v))
  .refine((v) => v <= MAX_UINT256, 'must fit in 256 bits');

/** An address, 0x + 40 hex (mixed case must be a valid checksum); normalized to its checksum form. */
export const address = z
  .string()
  .refine((v) => isAddress(v), 'must be an address (0x + 40 hex digits)')
  .transform((v) => getAddress(v));

/** 32 bytes as 0x + 64 hex; lowercased. */
export const bytes32 = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, 'must be 32 bytes as 0x + 64 hex digits')
  .transform((v) => v.toLowerCase() as Hex);

const signature = z
  .string()
  .regex(/^0x([0-9a-fA-F]{2})*$/, 'must be 0x-hex bytes (empty "0x" when the order is presigned on chain)')
  .max(2 + 2 * MAX_SIGNATURE_BYTES, `must be at most ${MAX_SIGNATURE_BYTES} bytes`)
  .transform((v) => v.toLowerCase() as Hex);

const volume = uint256.refine((v) => v > 0n, 'must be at least 1');

const appOrder = z.strictObject({
  app: address,
  appprice: uint256,
  volume,
  tag: bytes32,
  datasetrestrict: address,
  workerpoolrestrict: address,
  requesterrestrict: address,
  salt: bytes32,
  sign: signature,
});

const datasetOrder = z.strictObject({
  dataset: address,
  datasetprice: uint256,
  volume,
  tag: bytes32,
  apprestrict: address,
  workerpoolrestrict: address,
  requesterrestrict: address,
  salt: bytes32,
  sign: signature,
});

const workerpoolOrder = z.strictObject({
  workerpool: address,
  workerpoolprice: uint256,
  volume,
  tag: bytes32,
  category: uint256,
  trust: uint256,
  apprestrict: address,
  datasetrestrict: address,
  requesterrestrict: address,
  salt: bytes32,
  sign: signature,
});

const requestOrder = z.strictObject({
  app: address,
  appmaxprice: uint256,
  dataset: address,
  datasetmaxprice: uint256,
  workerpool: address,
  workerpoolmaxprice: uint256,
  requester: address,
  volume,
  tag: bytes32,
  category: uint256,
  trust: uint256,
  beneficiary: address,
  callback: address,
  params: z.string().max(MAX_PARAMS_LENGTH, `must be at most ${MAX_PARAMS_LENGTH} characters`),
  salt: bytes32,
  sign: signature,
});

/** The zod schema of each signed order kind, every field typed. */
export const signedOrderSchemas = {
  AppOrder: appOrder,
  DatasetOrder: datasetOrder,
  WorkerpoolOrder: workerpoolOrder,
  RequestOrder: requestOrder,
} as const satisfies { [K in OrderKind]: z.ZodType<Signed<OrderOf[K]>, unknown> };

/** An order as JSON: every uint256 a decimal string. */
export type OrderJson<K extends OrderKind> = {
  [F in keyof Signed<OrderOf[K]>]: Signed<OrderOf[K]>[F] extends bigint ? string : Signed<OrderOf[K]>[F];
};

/**
 * An order with its bigints as decimal strings, the shape it travels in over HTTP.
 * @example orderToJson({ ...appOrder, sign }) // { app: '0x…', appprice: '2000000000', … }
 */
export function orderToJson<K extends OrderKind>(order: Signed<OrderOf[K]>): OrderJson<K> {
  const json: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(order)) json[key] = typeof value === 'bigint' ? value.toString() : value;
  return json as OrderJson<K>;
}

/** The asset an order offers (app, dataset, workerpool), or for a request order its requester. */
export function signerSubject(kind: OrderKind, order: Record<string, unknown>): Address {
  const field = { AppOrder: 'app', DatasetOrder: 'dataset', WorkerpoolOrder: 'workerpool', RequestOrder: 'requester' }[
    kind
  ];
  return order[field] as Address;
}
