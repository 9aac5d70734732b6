import { type Address, getAddress, isAddress } from 'viem';
import { IndexerInputError } from '../errors.js';

/** Largest page, as the iExec subgraph's. */
const MAX_PAGE_SIZE = 1000;

/** Checks `first`/`skip` and returns them as SQL limit and offset. */
export function page(args: { first?: number | null; skip?: number | null }): { limit: number; offset: number } {
  const first = args.first ?? 100;
  const skip = args.skip ?? 0;
  if (first < 0 || first > MAX_PAGE_SIZE)
    throw new IndexerInputError(`first: must be in 0..${MAX_PAGE_SIZE}, got ${first}`);
  if (skip < 0) throw new IndexerInputError(`skip: must be ≥ 0, got ${skip}`);
  return { limit: first, offset: skip };
}

/** An address in any case, checksummed; `field` names it in the error. */
export function address(value: string, field: string): Address {
  if (!isAddress(value, { strict: false }))
    throw new IndexerInputError(`${field}: ${JSON.stringify(value)} is not an address`);
  return getAddress(value);
}

/** A bytes32 id (deal, task, order hash), lowercase. */
export function bytes32(value: string, field: string): string {
  if (!/^0x[0-9a-fA-F]{64}$/.test(value)) {
    throw new IndexerInputError(`${field}: ${JSON.stringify(value)} is not a 32-byte 0x-hex id`);
  }
  return value.toLowerCase();
}

/** A Unix time from a BigInt argument, as the number the database stores. */
export function seconds(value: bigint): number {
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
}

/** A DataSharing collection id (a token id, decimal), canonical: no leading zeros. */
export function collectionId(value: string, field: string): string {
  if (!/^\d{1,78}$/.test(value)) {
    throw new IndexerInputError(`${field}: ${JSON.stringify(value)} is not a collection id (a decimal number)`);
  }
  return BigInt(value).toString();
}
