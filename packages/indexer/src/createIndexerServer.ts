import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { Logger } from 'pino';
import type { IndexerDb } from './db/tables.js';
import { createGraphqlSchema } from './graphql/createGraphqlSchema.js';
import { graphqlHandler } from './server/graphqlHandler.js';

/** Options of {@link createIndexerServer}. */
export type CreateIndexerServerOptions = {
  /** The database an {@link createIndexer} fills (read only here). */
  db: IndexerDb;
  logger: Logger;
  /** Rows one GraphQL request may read (nested lists multiply). Default 20,000. */
  maxRows?: number;
};

/**
 * The indexer's HTTP API as a hono app: `POST /graphql` and `GET /health`. The data are public
 * chain data, so any origin may read them (CORS). Other routes answer `{ error: { code, message } }`.
 * @example const app = createIndexerServer({ db: indexer.db, logger }); await app.request('/health')
 */
export function createIndexerServer({ db, logger, maxRows }: CreateIndexerServerOptions): Hono {
  const app = new Hono();
  const schema = createGraphqlSchema();
  app.use('/graphql', cors({ origin: '*', allowMethods: ['POST'], allowHeaders: ['content-type'] }));
  app.post('/graphql', graphqlHandler({ schema, db, logger, maxRows }));
  app.get('/health', async (c) => {
    const cursor = await db.selectFrom('cursor').selectAll().executeTakeFirst();
    return c.json({ status: 'ok', indexedTo: cursor?.block_number ?? null });
  });
  app.notFound((c) =>
    c.json(
      {
        error: {
          code: 'CONFIDE_INDEXER_NOT_FOUND',
          message: `no route ${c.req.method} ${c.req.path}; use POST /graphql`,
        },
      },
      404,
    ),
  );
  app.onError((error, c) => {
    logger.error({ errorName: error.name, error: error.message.slice(0, 500), path: c.req.path }, 'internal error');
    return c.json({ error: { code: 'CONFIDE_INDEXER_INTERNAL', message: 'internal error' } }, 500);
  });
  return app;
}
