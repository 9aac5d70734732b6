#!/usr/bin/env -S node --import tsx
import { serve } from '@hono/node-server';
import { createPublicClient, http, type PublicClient } from 'viem';
import { MarketConfigError, parseMarketConfig } from './config.js';
import { createMarketServer } from './createMarketServer.js';
import { openMarketDatabase } from './db/openMarketDatabase.js';
import { createChainFollower } from './follower/createChainFollower.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof parseMarketConfig>;
  try {
    config = parseMarketConfig(process.env);
  } catch (error) {
    if (error instanceof MarketConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const db = await openMarketDatabase(config.database);
  const publicClient = createPublicClient({ transport: http(config.rpcUrl) }) as PublicClient;
  const { app, logger, market } = createMarketServer({
    db,
    chain: { publicClient, hub: config.hub as `0x${string}`, chainId: config.chainId },
  });
  const follower = createChainFollower({
    market,
    confirmations: config.confirmations,
    pollMs: config.pollMs,
    fromBlock: config.fromBlock,
    logger,
  });
  follower.start();
  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
    logger.info({ url: `http://${config.host}:${info.port}`, chainId: config.chainId, hub: config.hub }, 'listening');
  });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // Event streams never end by themselves: close every connection, not only idle ones.
    (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
    server.close(async () => {
      await follower.stop();
      await db.destroy();
      logger.info('stopped');
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: Error & { code?: unknown }) => {
  const code = typeof error.code === 'string' ? `${error.code}: ` : '';
  console.error(`confide-market: ${code}${error.message}`);
  process.exit(1);
});
