import { z } from 'zod';
import type { OrderKind } from '../../../protocol/src/index.js';
import { MarketServerError } from '../errors.js';
import { address, bytes32, uint256 } from '../orders/orderSchemas.js';
import type { OrderFilters } from '../store/createOrderStore.js';

/** Largest page a book query may ask for. */
const MAX_PAGE_SIZE = 1000;
const DEFAULT_PAGE_SIZE = 20;
/** Deepest page: beyond it, narrow the query with filters instead. */
const MAX_PAGE = 100_000;

const flag = z.enum(['true', 'false'], 'must be true or false').transform((v) => v === 'true');

const filterSchemas = {
  app: address,
  dataset: address,
  workerpool: address,
  requester: address,
  apprestrict: address,
  datasetrestrict: address,
  workerpoolrestrict: address,
  requesterrestrict: address,
  category: uint256,
  minTag: bytes32,
  maxTag: bytes32,
  minVolume: uint256,
  minTrust: uint256,
  maxTrust: uint256,
  isAppStrict: flag,
  isDatasetStrict: flag,
  isWorkerpoolStrict: flag,
  isRequesterStrict: flag,
} as const;

type FilterName = keyof typeof filterSchemas;
const TAGS_AND_VOLUME = ['minTag', 'maxTag', 'minVolume'] as const satisfies FilterName[];

/** The filters each book accepts; any other query parameter is refused. */
const BOOK_FILTERS: Record<OrderKind, readonly FilterName[]> = {
  AppOrder: [
    'app',
    'datasetrestrict',
    'workerpoolrestrict',
    'requesterrestrict',
    'isDatasetStrict',
    'isWorkerpoolStrict',
    'isRequesterStrict',
    ...TAGS_AND_VOLUME,
  ],
  DatasetOrder: [
    'dataset',
    'apprestrict',
    'workerpoolrestrict',
    'requesterrestrict',
    'isAppStrict',
    'isWorkerpoolStrict',
    'isRequesterStrict',
    ...TAGS_AND_VOLUME,
  ],
  WorkerpoolOrder: [
    'workerpool',
    'category',
    'minTrust',
    'apprestrict',
    'datasetrestrict',
    'requesterrestrict',
    'isAppStrict',
    'isDatasetStrict',
    'isRequesterStrict',
    ...TAGS_AND_VOLUME,
  ],
  RequestOrder: [
    'app',
    'dataset',
    'workerpool',
    'requester',
    'category',
    'maxTrust',
    'isWorkerpoolStrict',
    ...TAGS_AND_VOLUME,
  ],
};

/** Each strict flag and the restriction filter it makes exact. */
const STRICT_OF = {
  isAppStrict: 'apprestrict',
  isDatasetStrict: 'datasetrestrict',
  isWorkerpoolStrict: 'workerpoolrestrict',
  isRequesterStrict: 'requesterrestrict',
} as const;

const pageNumber = z
  .string()
  .regex(/^[0-9]{1,7}$/, 'must be a page number')
  .transform(Number)
  .refine((v) => v <= MAX_PAGE, `must be at most ${MAX_PAGE}`);
const pageSize = z
  .string()
  .regex(/^[0-9]{1,4}$/, 'must be a number')
  .transform(Number)
  .refine((v) => v >= 1 && v <= MAX_PAGE_SIZE, `must be 1 to ${MAX_PAGE_SIZE}`);

/** A parsed book query. */
type BookQuery = { filters: OrderFilters; page: number; pageSize: number };

/**
 * Reads a book query (`?dataset=0x…&minTag=0x…&page=0&pageSize=20`): each filter typed, each
 * parameter at most once, nothing the book does not know. `chainId`, when given, must be the
 * market's.
 * @throws MarketServerError MARKET_INVALID_QUERY naming the parameter and what it must be
 * @example parseBookQuery('DatasetOrder', new URL(c.req.url).searchParams, 31337)
 */
export function parseBookQuery(kind: OrderKind, params: URLSearchParams, chainId: number): BookQuery {
  const allowed = new Set<string>([...BOOK_FILTERS[kind], 'page', 'pageSize', 'chainId']);
  const seen = new Set<string>();
  const filters: Record<string, unknown> = {};
  let page = 0;
  let size = DEFAULT_PAGE_SIZE;
  for (const [name, value] of params) {
    if (!allowed.has(name)) {
      throw invalid(`${name}: unknown parameter; this book accepts ${[...allowed].join(', ')}`);
    }
    if (seen.has(name)) throw invalid(`${name}: given twice`);
    seen.add(name);
    if (name === 'page') page = parse(name, pageNumber, value);
    else if (name === 'pageSize') size = parse(name, pageSize, value);
    else if (name === 'chainId') {
      if (value !== String(chainId)) throw invalid(`chainId: this market serves chain ${chainId}`);
    } else filters[name] = parse(name, filterSchemas[name as FilterName] as z.ZodType, value);
  }
  // A strict flag narrows its restriction filter: without that filter it would mean nothing.
  for (const [strict, restriction] of Object.entries(STRICT_OF)) {
    const target = kind === 'RequestOrder' && restriction === 'workerpoolrestrict' ? 'workerpool' : restriction;
    if (filters[strict] === true && filters[target] === undefined) {
      throw invalid(`${strict}: needs ${target}, the address it makes strict`);
    }
  }
  return { filters: filters as OrderFilters, page, pageSize: size };
}

function parse<T>(name: string, schema: z.ZodType<T, unknown>, value: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw invalid(`${name}: ${result.error.issues[0]?.message ?? 'invalid'}`);
  return result.data;
}

function invalid(message: string) {
  return new MarketServerError('MARKET_INVALID_QUERY', message);
}
