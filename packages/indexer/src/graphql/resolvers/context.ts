import type { IndexerDb } from '../../db/tables.js';
import { IndexerError } from '../../errors.js';

/** What every resolver gets: the database and the request's row budget. */
export type ResolverContext = {
  db: IndexerDb;
  /** Counts rows read for this request; throws once the budget is spent. */
  charge: (rows: number) => void;
};

/** A field resolver of the schema. */
export type Resolver<Parent = unknown, Args = Record<string, never>> = (
  parent: Parent,
  args: Args,
  context: ResolverContext,
) => unknown;

/** Rows one request may read (nested lists multiply: deals × tasks × history). */
export const ROW_BUDGET = 20_000;

/**
 * A context for one request.
 * @example const context = createResolverContext(db, ROW_BUDGET)
 */
export function createResolverContext(db: IndexerDb, budget: number): ResolverContext {
  let spent = 0;
  return {
    db,
    charge: (rows) => {
      spent += rows;
      if (spent > budget) {
        throw new IndexerError({
          code: 'CONFIDE_INDEXER_INVALID_INPUT',
          reason: 'QUERY_TOO_LARGE',
          shortMessage: `The query reads more than ${budget} rows; ask for smaller pages or fewer nested lists.`,
        });
      }
    },
  };
}

/** Position fields shared by every entity. */
export function positionOf(row: { block_number: number; timestamp: number; transaction_hash: string }) {
  return { blockNumber: row.block_number, timestamp: row.timestamp, transactionHash: row.transaction_hash };
}
