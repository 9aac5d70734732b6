import type { Address, Hex } from 'viem';
import { IndexerInputError, type IndexerQueryError } from '../errors.js';
import type { IndexerQuery } from './createIndexerClient.js';

/** A schema as `requiredSchema` takes it: a type, a list of accepted types, or nested keys. */
export type RequiredSchema = { [key: string]: string | readonly string[] | RequiredSchema };

/** Parameters of {@link getProtectedData}, as DataProtector's `getProtectedData`. */
export type GetProtectedDataParameters = {
  /** Only this protected data. */
  protectedDataAddress?: Address;
  /** Only those of this (current) owner. */
  owner?: Address;
  /** Keys the data must have, with their accepted types. */
  requiredSchema?: RequiredSchema;
  /** Only those created at or after this Unix time (seconds). */
  createdAfterTimestamp?: number;
  /** Page number from 0. Default 0. */
  page?: number;
  /** Items per page, 1..1000. Default 1000. */
  pageSize?: number;
};

/** A protected data, as DataProtector's `getProtectedData` returns it. */
export type ProtectedData = {
  name: string;
  address: Address;
  owner: Address;
  /** The schema, parsed; `{}` if the emitted one is not JSON. */
  schema: Record<string, unknown>;
  creationTimestamp: number;
  /** Where the ciphertext is now: the last `updateDataset`'s location (key rotation), else the creation's. */
  multiaddr: string;
  /** SHA-256 of that ciphertext. */
  checksum: Hex;
  transactionHash: Hex;
  blockNumber: bigint;
};

/** What {@link getProtectedData} returns: newest first. */
export type GetProtectedDataReturnType = ProtectedData[];

/** Errors {@link getProtectedData} throws. */
export type GetProtectedDataErrorType = IndexerInputError | IndexerQueryError;

const QUERY = /* GraphQL */ `
  query GetProtectedData($where: ProtectedDataFilter, $first: Int, $skip: Int) {
    protectedDatas(where: $where, first: $first, skip: $skip) {
      id owner name jsonSchema multiaddr checksum creationTimestamp blockNumber transactionHash
    }
  }
`;

type Row = {
  id: Address;
  owner: Address;
  name: string;
  jsonSchema: string;
  multiaddr: string;
  checksum: Hex;
  creationTimestamp: string;
  blockNumber: string;
  transactionHash: Hex;
};

/**
 * Lists protected data, newest first, filtered as DataProtector's `getProtectedData`.
 * @param client - anything with `query` (an {@link IndexerClient})
 * @returns one page of protected data
 * @example const emails = await getProtectedData(indexer, { requiredSchema: { email: 'string' }, pageSize: 10 })
 */
export async function getProtectedData(
  client: { query: IndexerQuery },
  {
    protectedDataAddress,
    owner,
    requiredSchema,
    createdAfterTimestamp,
    page = 0,
    pageSize = 1000,
  }: GetProtectedDataParameters = {},
): Promise<GetProtectedDataReturnType> {
  if (!Number.isInteger(page) || page < 0) throw new IndexerInputError(`page: must be an integer ≥ 0, got ${page}`);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
    throw new IndexerInputError(`pageSize: must be an integer in 1..1000, got ${pageSize}`);
  }
  const where = {
    ...(protectedDataAddress && { id: protectedDataAddress }),
    ...(owner && { owner }),
    ...(requiredSchema && { requiredSchema }),
    ...(createdAfterTimestamp !== undefined && { createdAfter: String(createdAfterTimestamp) }),
  };
  const data = await client.query<{ protectedDatas: Row[] }>(QUERY, { where, first: pageSize, skip: page * pageSize });
  return data.protectedDatas.map((row) => ({
    name: row.name,
    address: row.id,
    owner: row.owner,
    schema: parseSchema(row.jsonSchema),
    creationTimestamp: Number(row.creationTimestamp),
    multiaddr: row.multiaddr,
    checksum: row.checksum,
    transactionHash: row.transactionHash,
    blockNumber: BigInt(row.blockNumber),
  }));
}

function parseSchema(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
