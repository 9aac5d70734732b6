#!/usr/bin/env -S node --import tsx
// The scheduler of one workerpool, as a process: SCHEDULER_* environment variables (config.ts).
import { serve } from '@hono/node-server';
import { pino } from 'pino';
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
    orderTerms: { price: config.price, volume: config.volume, category: config.category },
  });
  const app = schedulerRoutes({
    scheduler,
    journal,
    workerpool: config.workerpool as Address,
    allowedWorkers: config.workers as Address[],
  });
  let stopping = false;
  let ticking: Promise<void> = Promise.resolve();
  const loop = async () => {
    while (!stopping) {
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

await main();
