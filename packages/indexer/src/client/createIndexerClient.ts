import { fetchRetryingClosedSocket } from '../../../protocol/src/http.js';
import { IndexerHttpError, IndexerQueryError, IndexerUnreachableError } from '../errors.js';
import { type GetDealReturnType, getDeal } from './getDeal.js';
import {
  type GetProtectedDataParameters,
  type GetProtectedDataReturnType,
  getProtectedData,
} from './getProtectedData.js';
import { type GetTaskReturnType, getTask } from './getTask.js';

/** Parameters of {@link createIndexerClient}. */
export type CreateIndexerClientParameters = {
  /** Base URL of the indexer, e.g. `http://127.0.0.1:13700` (queries go to `<url>/graphql`). */
  url: string;
  /** Milliseconds before a request is abandoned. Default 10,000. */
  timeoutMs?: number;
  /** A `fetch` to use instead of the global one (tests, proxies). */
  fetch?: typeof fetch;
};

/** Runs a GraphQL query; what the helpers take. */
export type IndexerQuery = <T = unknown>(query: string, variables?: Record<string, unknown>) => Promise<T>;

/** A client of the indexer's GraphQL API. */
export type IndexerClient = {
  url: string;
  /**
   * Runs a query and returns its `data`.
   * @throws {IndexerUnreachableError | IndexerHttpError | IndexerQueryError}
   */
  query: IndexerQuery;
  getProtectedData: (parameters?: GetProtectedDataParameters) => Promise<GetProtectedDataReturnType>;
  getTask: (taskId: `0x${string}`) => Promise<GetTaskReturnType>;
  getDeal: (dealId: `0x${string}`) => Promise<GetDealReturnType>;
};

/**
 * Creates a client of an indexer: `query` for any GraphQL query, plus typed helpers.
 * @example
 * const indexer = createIndexerClient({ url: 'http://127.0.0.1:13700' });
 * const mine = await indexer.getProtectedData({ owner, requiredSchema: { email: 'string' } });
 */
export function createIndexerClient({
  url,
  timeoutMs = 10_000,
  fetch: doFetch = fetch,
}: CreateIndexerClientParameters): IndexerClient {
  const base = url.replace(/\/+$/, '');
  const endpoint = `${base}/graphql`;
  const query: IndexerQuery = async <T>(source: string, variables?: Record<string, unknown>) => {
    let response: Response;
    try {
      response = await fetchRetryingClosedSocket(doFetch, endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query: source, variables }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      throw new IndexerUnreachableError({ url: base, cause });
    }
    const text = await response.text();
    let body: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
    try {
      body = JSON.parse(text);
    } catch {
      throw new IndexerHttpError({ url: base, status: response.status, details: text.slice(0, 200) });
    }
    if (body.errors && body.errors.length > 0) throw new IndexerQueryError(body.errors);
    if (!response.ok || body.data === undefined) {
      throw new IndexerHttpError({ url: base, status: response.status, details: text.slice(0, 200) });
    }
    return body.data;
  };
  const client = { query };
  return {
    url: base,
    query,
    getProtectedData: (parameters) => getProtectedData(client, parameters),
    getTask: (taskId) => getTask(client, taskId),
    getDeal: (dealId) => getDeal(client, dealId),
  };
}
