#!/usr/bin/env -S node --import tsx
// The scheduler of one workerpool, as a process: SCHEDULER_* environment variables (config.ts).
import { serve } from '@hono/node-server';
import { type Logger, pino } from 'pino';
import { type Address, type Hex, nonceManager } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { createChainClients } from '../../protocol/src/index.js';
import { fetchChainId, parseSchedulerConfig, WorkerpoolConfigError } from './config.js';
import { createScheduler } from './scheduler/createScheduler.js';
import { openJournal } from './scheduler/openJournal.js';
import { schedulerRoutes } from './scheduler/schedulerRoutes.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof parseSchedulerConfig>;
  try {
    config = parseSchedulerConfig(process.env);
  } catch (error) {
    if (error instanceof WorkerpoolConfigError) {
      console.error(`${error.code}: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const log = pino({ base: { service: 'scheduler' } });
  const account = privateKeyToAccount(config.privateKey as Hex, { nonceManager });
  const chainId = await fetchChainId(config.rpcUrl);
  const { publicClient, wallet } = createChainClients({
    rpc: config.rpcUrl,
    chainId,
    account,
    pollingInterval: config.chainPollMs,
  });
  const journal = openJournal({ path: config.databasePath });
  const scheduler = createScheduler({
    publicClient,
    wallet,
    hub: config.hub as Address,
    workerpool: config.workerpool as Address,
    journal,
    log,
    leaseMs: config.leaseMs,
    confirmations: config.confirmations,
    orderTerms: { price: config.price, volume: config.volume, category: config.category, trust: config.trust },
  });
  const app = schedulerRoutes({
    scheduler,
    journal,
    workerpool: config.workerpool as Address,
    allowedWorkers: config.workers as Address[],
  });
  let stopping = false;
  let ticking: Promise<void> = Promise.resolve();
  let published = config.marketUrl === undefined;
  const loop = async () => {
    while (!stopping) {
      if (!published && config.marketUrl) published = await publishToMarket(config.marketUrl, scheduler, log);
      ticking = scheduler.tick().catch((error: unknown) => {
        log.warn(
          { err: error instanceof Error ? error.message.split('\n')[0] : String(error) },
          'tick failed; retrying',
        );
      });
      await ticking;
      await new Promise((resolve) => setTimeout(resolve, config.pollMs));
    }
  };
  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
    log.info(
      { url: `http://${config.host}:${info.port}`, workerpool: config.workerpool, owner: account.address },
      'listening',
    );
  });
  void loop();
  const stop = () => {
    stopping = true;
    server.close(() => {
      void ticking.then(() => {
        journal.close();
        process.exit(0);
      });
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** Publishes the scheduler's workerpool order to the market; false to retry at the next round. */
async function publishToMarket(
  marketUrl: string,
  scheduler: ReturnType<typeof createScheduler>,
  log: Pick<Logger, 'info' | 'warn'>,
): Promise<boolean> {
  try {
    const { order, orderHash } = await scheduler.workerpoolOrder();
    const response = await fetch(new URL('/workerpoolorders', marketUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ order }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok && response.status !== 409) {
      log.warn({ status: response.status, body: (await response.text()).slice(0, 200) }, 'market refused the order');
      return false;
    }
    log.info({ orderHash, market: marketUrl }, 'workerpool order published to the market');
    return true;
  } catch (error) {
    log.warn({ err: String(error) }, 'market unreachable; will retry');
    return false;
  }
}

await main();
