import type { Hono } from 'hono';
import pino from 'pino';
import { createIndexerServer } from '../createIndexerServer.js';
import type { IndexerDb } from '../db/tables.js';

/** A GraphQL answer as the server sends it. */
type GraphqlAnswer<T = Record<string, unknown>> = {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; reason?: string } }[];
};

/** Posts a query to the app's `/graphql` without a socket. */
export async function graphqlRequest<T = Record<string, unknown>>(
  app: Hono,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphqlAnswer<T>> {
  const response = await app.request('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as Omit<GraphqlAnswer<T>, 'status'>) };
}

/** Everything the API serves, to compare two indexes of the same chain. */
export const DUMP_QUERY = /* GraphQL */ `
  {
    protectedDatas(first: 1000) {
      id owner name jsonSchema schema { id path type } multiaddr checksum creationTimestamp blockNumber transactionHash
      transfers { from to blockNumber timestamp transactionHash }
      updates { multiaddr checksum blockNumber timestamp transactionHash }
      effectiveOwner collection { id } rentalParams { price duration } saleParams { price }
      policy {
        restrictApps restrictUsers pricePerUse maxUses expiry maxResultSize uses allowedApps allowedUsers
        blockNumber timestamp transactionHash
      }
      rentals { renter endDate }
    }
    apps(first: 1000) {
      id owner name appType multiaddr checksum fingerprint creationTimestamp blockNumber transactionHash
      transfers { from to blockNumber }
    }
    workerpools(first: 1000) { id owner description creationTimestamp blockNumber transactionHash transfers { to } }
    deals(first: 1000) {
      id app dataset workerpool workerpoolOwner requester beneficiary sponsor callback appPrice datasetPrice
      workerpoolPrice workerStake botFirst botSize volume category tag trust timeref startTime params
      appHash datasetHash workerpoolHash requestHash blockNumber timestamp transactionHash
      tasks(first: 10) { id status }
    }
    tasks(first: 1000) {
      id dealId index status workerpool worker resultDigest results failureReason
      history { status blockNumber timestamp transactionHash worker reason }
      consensusValue winnerCounter revealDeadline
      contributions { worker resultHash status resultDigest amount scoreAfter blockNumber timestamp transactionHash }
    }
    workers(first: 1000) { id score contributions { taskId status } }
    orderOperations(first: 1000) { kind orderHash operation owner volume blockNumber timestamp transactionHash }
    collections(first: 1000) {
      id owner removed subscriptionParams { price duration } protectedDatas { id } subscriptions { subscriber }
      transfers { from to blockNumber } creationTimestamp blockNumber transactionHash
    }
    rentals(first: 1000) {
      dataset protectedData { id } collection { id } renter endDate price payee blockNumber timestamp transactionHash
    }
    subscriptions(first: 1000) { collection { id } subscriber endDate price payee blockNumber timestamp transactionHash }
    sales(first: 1000) { dataset collection { id } seller buyer price blockNumber timestamp transactionHash }
    consumptions(first: 1000) {
      dealId deal { id } dataset consumer mode price settled settledAmount payee blockNumber timestamp transactionHash
    }
    _meta { block { number hash timestamp } }
  }
`;

/**
 * An indexer client's `query` over an in-process server of `db` (no socket, silent): what the
 * typed reads take. Throws the first GraphQL error's message.
 */
export function inProcessQuery(db: IndexerDb) {
  const app = createIndexerServer({ db, logger: pino({ enabled: false }) });
  return async <T>(source: string, variables?: Record<string, unknown>): Promise<T> => {
    const answer = await graphqlRequest<T>(app, source, variables);
    if (answer.errors) throw new Error(answer.errors[0]?.message);
    return answer.data as T;
  };
}
