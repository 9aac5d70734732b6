import { type Address, concatBytes, getAddress, type Hex, isAddress, isHex, zeroAddress } from 'viem';
import { ConfideError } from '../../errors/src/index.js';
import type { DatasetOrder, Signed } from './eip712.js';

/**
 * Volume of a dataset order that grants bulk processing: 2^53 − 1, as iExec's
 * `DATASET_INFINITE_VOLUME`. Bulk tasks never consume dataset orders (their deal has dataset
 * 0x0), so only a cancellation (which sets the consumed volume to the volume) ends such a grant.
 */
export const DATASET_INFINITE_VOLUME = 2n ** 53n - 1n;

/** Smallest volume the SMS accepts for a dataset order in a bulk slice (iExec's threshold, 2^53 − 2). */
export const BULK_MIN_VOLUME = 2n ** 53n - 2n;

/** Most dataset orders in one slice (one task), as iExec. */
export const MAX_DATASETS_PER_SLICE = 100;

/** Most slices in one bulk request (tasks of the request). */
export const MAX_BULK_SLICES = 1000;

/** Largest root or slice document read from storage; both are small JSON arrays. */
export const MAX_BULK_DOCUMENT_BYTES = 256 * 1024;

/** A root or slice that cannot be used, with what is wrong in `details`. */
export class BulkInvalidError extends ConfideError<'CONFIDE_BULK_INVALID'> {
  override name = 'BulkInvalidError' as const;
  constructor(details: string, options: { reason?: 'ROOT' | 'SLICE' | 'INDEX' | 'TOO_LARGE' } = {}) {
    super({
      code: 'CONFIDE_BULK_INVALID',
      shortMessage: 'The bulk request does not name a usable slice of dataset orders; prepare it again.',
      details,
      ...options,
    });
  }
}

const CID_TEXT = /^[A-Za-z0-9]{16,128}$/;
const ORDER_KEYS = [
  'dataset',
  'datasetprice',
  'volume',
  'tag',
  'apprestrict',
  'workerpoolrestrict',
  'requesterrestrict',
  'salt',
  'sign',
] as const;
const UINT256 = /^(0|[1-9][0-9]{0,77})$/;

/**
 * A slice as stored: a JSON array of signed dataset orders, uint256 fields as decimal strings
 * (the market's and iExec's JSON form of an order).
 * @example const bytes = encodeBulkSlice([signedDatasetOrder])
 */
export function encodeBulkSlice(orders: readonly Signed<DatasetOrder>[]): Uint8Array {
  const json = orders.map((o) => ({
    dataset: o.dataset,
    datasetprice: o.datasetprice.toString(),
    volume: o.volume.toString(),
    tag: o.tag,
    apprestrict: o.apprestrict,
    workerpoolrestrict: o.workerpoolrestrict,
    requesterrestrict: o.requesterrestrict,
    salt: o.salt,
    sign: o.sign,
  }));
  return new TextEncoder().encode(JSON.stringify(json));
}

/**
 * The root as stored: a JSON array of slice CIDs; slice `i` is processed by task `i` of the request.
 * @example const bytes = encodeBulkRoot(['bafkrei…', 'bafkrei…'])
 */
export function encodeBulkRoot(sliceCids: readonly string[]): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(sliceCids));
}

function json(bytes: Uint8Array, what: 'ROOT' | 'SLICE'): unknown {
  if (bytes.length > MAX_BULK_DOCUMENT_BYTES) {
    throw new BulkInvalidError(`the ${what.toLowerCase()} is over ${MAX_BULK_DOCUMENT_BYTES} bytes`, {
      reason: 'TOO_LARGE',
    });
  }
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new BulkInvalidError(`the ${what.toLowerCase()} is not UTF-8 JSON`, { reason: what });
  }
}

/**
 * Reads a root: 1 to {@link MAX_BULK_SLICES} CIDs.
 * @throws BulkInvalidError (reason `ROOT` or `TOO_LARGE`)
 * @example const cids = parseBulkRoot(bytes)
 */
export function parseBulkRoot(bytes: Uint8Array): string[] {
  const value = json(bytes, 'ROOT');
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_BULK_SLICES) {
    throw new BulkInvalidError(`the root must be an array of 1 to ${MAX_BULK_SLICES} slice CIDs`, { reason: 'ROOT' });
  }
  value.forEach((cid, i) => {
    if (typeof cid !== 'string' || !CID_TEXT.test(cid)) {
      throw new BulkInvalidError(`root entry ${i} is not a CID`, { reason: 'ROOT' });
    }
  });
  return value as string[];
}

/**
 * Reads a slice: 1 to {@link MAX_DATASETS_PER_SLICE} signed dataset orders with exactly the
 * order's fields, each dataset at most once (its file name in the enclave is its address).
 * Signatures and on-chain state are not checked here (the SMS does it).
 * @throws BulkInvalidError (reason `SLICE` or `TOO_LARGE`)
 * @example const orders = parseBulkSlice(bytes)
 */
export function parseBulkSlice(bytes: Uint8Array): Signed<DatasetOrder>[] {
  const value = json(bytes, 'SLICE');
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_DATASETS_PER_SLICE) {
    throw new BulkInvalidError(`a slice must be an array of 1 to ${MAX_DATASETS_PER_SLICE} dataset orders`, {
      reason: 'SLICE',
    });
  }
  const seen = new Set<Address>();
  return value.map((entry: unknown, i) => {
    const bad = (what: string) => new BulkInvalidError(`slice entry ${i}: ${what}`, { reason: 'SLICE' });
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw bad('not an object');
    const o = entry as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length !== ORDER_KEYS.length || !ORDER_KEYS.every((k) => typeof o[k] === 'string')) {
      throw bad(`must have exactly the string fields ${ORDER_KEYS.join(', ')}`);
    }
    const text = o as Record<(typeof ORDER_KEYS)[number], string>;
    for (const k of ['dataset', 'apprestrict', 'workerpoolrestrict', 'requesterrestrict'] as const) {
      if (!isAddress(text[k], { strict: false })) throw bad(`${k} is not an address`);
    }
    for (const k of ['datasetprice', 'volume'] as const) {
      if (!UINT256.test(text[k]) || BigInt(text[k]) >= 2n ** 256n) throw bad(`${k} is not a uint256`);
    }
    for (const k of ['tag', 'salt'] as const) {
      if (!isHex(text[k]) || text[k].length !== 66) throw bad(`${k} is not 32 bytes of 0x-hex`);
    }
    if (!isHex(text.sign)) throw bad('sign is not 0x-hex');
    const dataset = getAddress(text.dataset);
    if (dataset === zeroAddress) throw bad('dataset is the zero address');
    if (seen.has(dataset)) throw bad(`dataset ${dataset} appears twice`);
    seen.add(dataset);
    return {
      dataset,
      datasetprice: BigInt(text.datasetprice),
      volume: BigInt(text.volume),
      tag: text.tag as Hex,
      apprestrict: getAddress(text.apprestrict),
      workerpoolrestrict: getAddress(text.workerpoolrestrict),
      requesterrestrict: getAddress(text.requesterrestrict),
      salt: text.salt as Hex,
      sign: text.sign as Hex,
    };
  });
}

/** Reads content by CID, verified against it (a `Storage`'s `get`). */
export type BulkContentSource = { get: (cid: string) => AsyncIterable<Uint8Array> };

async function readBounded(source: BulkContentSource, cid: string, what: 'ROOT' | 'SLICE'): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of source.get(cid)) {
    size += chunk.length;
    if (size > MAX_BULK_DOCUMENT_BYTES) {
      throw new BulkInvalidError(`the ${what.toLowerCase()} ${cid} is over ${MAX_BULK_DOCUMENT_BYTES} bytes`, {
        reason: 'TOO_LARGE',
      });
    }
    chunks.push(chunk);
  }
  return concatBytes(chunks);
}

/**
 * Fetches slice `index` of the bulk request whose root is `rootCid`: the root, then that slice,
 * each CID-verified by the source and bounded to {@link MAX_BULK_DOCUMENT_BYTES}.
 * @throws BulkInvalidError for a malformed root or slice, or an index past the last slice
 * (reason `INDEX`); the source's own errors when content cannot be fetched
 * @example const orders = await readBulkSlice({ source: storage, rootCid, index: 1 })
 */
export async function readBulkSlice(p: {
  source: BulkContentSource;
  rootCid: string;
  index: number;
}): Promise<Signed<DatasetOrder>[]> {
  const cids = parseBulkRoot(await readBounded(p.source, p.rootCid, 'ROOT'));
  const cid = cids[p.index];
  if (cid === undefined) {
    throw new BulkInvalidError(`task ${p.index} has no slice: the root lists ${cids.length}`, { reason: 'INDEX' });
  }
  return parseBulkSlice(await readBounded(p.source, cid, 'SLICE'));
}

/** Why a dataset order cannot be used in a bulk task of a deal (checks that need no chain). */
export type BulkOrderProblem = 'PRICE' | 'VOLUME' | 'APP' | 'REQUESTER' | 'WORKERPOOL' | 'TAG';

/**
 * The first rule a dataset order breaks for a bulk task of the given deal, or `undefined`:
 * price 0, volume ≥ {@link BULK_MIN_VOLUME}, `apprestrict` the deal's app (or 0x0),
 * `requesterrestrict` its requester (or 0x0), `workerpoolrestrict` its workerpool (or 0x0), and
 * every tag bit of the order present in the deal's tag.
 * @example bulkOrderProblem(order, { app, requester, workerpool, tag }) // 'APP' when restricted to another app
 */
export function bulkOrderProblem(
  order: DatasetOrder,
  deal: { app: Address; requester: Address; workerpool: Address; tag: Hex | bigint },
): BulkOrderProblem | undefined {
  const allows = (restrict: Address, who: Address) =>
    restrict === zeroAddress || getAddress(restrict) === getAddress(who);
  if (order.datasetprice !== 0n) return 'PRICE';
  if (order.volume < BULK_MIN_VOLUME) return 'VOLUME';
  if (!allows(order.apprestrict, deal.app)) return 'APP';
  if (!allows(order.requesterrestrict, deal.requester)) return 'REQUESTER';
  if (!allows(order.workerpoolrestrict, deal.workerpool)) return 'WORKERPOOL';
  const tag = BigInt(order.tag);
  if ((tag & BigInt(deal.tag)) !== tag) return 'TAG';
  return undefined;
}
