#!/usr/bin/env -S node --import tsx
import { serve } from '@hono/node-server';
import pino from 'pino';
import { createPublicClient, http } from 'viem';
import { parseIndexerConfig } from './config.js';
import { createIndexer, type Indexer } from './createIndexer.js';
import { createIndexerServer } from './createIndexerServer.js';
import { IndexerError } from './errors.js';

// `confide-indexer`: follows the Confide contracts into SQLite or PostgreSQL and serves them as
// GraphQL. Configuration from the environment (config.ts). Logs are pino JSON lines on stdout.
// Exit codes: 0 stopped by SIGTERM/SIGINT, 2 invalid configuration, a database that cannot be
// opened or one of another deployment, 1 anything else.

async function main(): Promise<number> {
  const logger = pino({ name: 'confide-indexer' });
  const stopRequested = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  let indexer: Indexer;
  let config: ReturnType<typeof parseIndexerConfig>;
  try {
    config = parseIndexerConfig(process.env);
    const publicClient = createPublicClient({ transport: http(config.rpcUrl) });
    indexer = await createIndexer({
      database: config.database,
      publicClient,
      addresses: config.addresses,
      confirmations: config.confirmations,
      batchSize: config.batchSize,
      fromBlock: config.fromBlock,
      pollingIntervalMs: config.pollingIntervalMs,
      logger,
    });
  } catch (error) {
    if (!(error instanceof IndexerError)) throw error;
    logger.error({ code: error.code, details: error.details }, error.shortMessage);
    return 2;
  }
  const app = createIndexerServer({ db: indexer.db, logger });
  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const bound = server.address();
  const port = typeof bound === 'object' && bound ? bound.port : config.port;
  indexer.start();
  logger.info(
    { url: `http://${config.host}:${port}`, rpcUrl: config.rpcUrl, confirmations: config.confirmations },
    'listening',
  );
  const signal = await stopRequested;
  logger.info({ signal }, 'stopping');
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await indexer.close();
  logger.info('stopped');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
    process.stdout.write(
      `${JSON.stringify({ level: 60, time: Date.now(), name: 'confide-indexer', msg: 'crashed', errorName: name, error: message.slice(0, 500) })}\n`,
    );
    process.exit(1);
  },
);
