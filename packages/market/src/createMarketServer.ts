import { createRequire } from 'node:module';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import pino, { type DestinationStream, type Logger } from 'pino';
import { createUnpublishAuth, marketDomain, unpublishTypes } from './auth/unpublishAuth.js';
import { createMarket, type Market, type MarketChain } from './createMarket.js';
import type { MarketDb } from './db/openMarketDatabase.js';
import { errorResponse, MarketServerError } from './errors.js';
import { address } from './orders/orderSchemas.js';
import { eventRoutes } from './routes/eventRoutes.js';
import { orderRoutes } from './routes/orderRoutes.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** Options of {@link createMarketServer}. */
export type CreateMarketServerOptions = {
  db: MarketDb;
  chain: MarketChain;
  /** Where log lines go (stdout by default); tests capture them. */
  logDestination?: DestinationStream;
  /** Seconds an unpublish challenge stays valid (300 by default). */
  challengeTtlSeconds?: number;
  /** How long an asset's owner stays cached when no `Transfer` is seen (60 s by default). */
  ownerCacheMs?: number;
  /** The clock of challenges, in Unix seconds; tests move it. */
  now?: () => number;
};

/** The market server's parts: the hono app, its logger, and the core the chain follower shares. */
export type MarketServer = { app: Hono; logger: Logger; market: Market };

/**
 * The orderbook service as a hono app: `app.request(req)` in tests, `@hono/node-server` in
 * production. Pass `market` to {@link createChainFollower} so that chain events reach the same
 * book, caches and event streams. Every refusal is `{ error: { code, message } }`.
 * @example const { app, market } = createMarketServer({ db, chain: { publicClient, hub, chainId } })
 */
export function createMarketServer(options: CreateMarketServerOptions): MarketServer {
  const logger = pino({ name: 'confide-market' }, options.logDestination);
  const market = createMarket({ db: options.db, chain: options.chain, ownerCacheMs: options.ownerCacheMs });
  const { chainId, hub } = options.chain;
  const auth = createUnpublishAuth({
    db: options.db,
    chainId,
    ttlSeconds: options.challengeTtlSeconds,
    now: options.now,
    verifySignature: (identity, hash, signature) => market.reader.verifySignature(identity, hash, signature),
  });
  const log = (event: string, fields: Record<string, unknown>) => logger.info(fields, event);

  const app = new Hono();
  app.onError((error, c) => {
    if (error instanceof MarketServerError && error.status < 500) {
      logger.debug({ code: error.code, path: c.req.path, method: c.req.method }, 'refused');
    } else {
      const code = error instanceof MarketServerError ? error.code : 'MARKET_INTERNAL';
      logger.error({ code, errorName: error.name, path: c.req.path, method: c.req.method }, 'failed');
    }
    return errorResponse(c, error);
  });
  app.notFound((c) =>
    c.json({ error: { code: 'MARKET_NOT_FOUND', message: `no route ${c.req.method} ${c.req.path}` } }, 404),
  );
  // Any page may call the market (CORS): reads are public, and every write carries its own EIP-712
  // signature (no cookie nor ambient credential for another origin to ride on).
  app.use(
    '*',
    cors({ origin: '*', allowMethods: ['GET', 'POST', 'PUT'], allowHeaders: ['content-type'], maxAge: 600 }),
  );
  app.get('/version', (c) => c.json({ name: 'confide-market', version, chainId, hub }));
  app.get('/challenge', async (c) => {
    const params = new URL(c.req.url).searchParams;
    const who = address.safeParse(params.get('address') ?? '');
    if (!who.success || [...params.keys()].some((k) => k !== 'address' && k !== 'chainId')) {
      throw new MarketServerError('MARKET_INVALID_QUERY', 'address: must be the address (0x…) that will sign');
    }
    const { challenge, expiresAt } = await auth.issue(who.data);
    return c.json({
      challenge,
      expiresAt,
      domain: marketDomain(chainId),
      types: unpublishTypes,
      primaryType: 'UnpublishOrders',
    });
  });
  app.route('/', eventRoutes({ events: market.events }));
  app.route('/', orderRoutes({ market, auth, log }));
  return { app, logger, market };
}
