#!/usr/bin/env -S node --import tsx
// A worker, as a process: WORKER_* environment variables (config.ts).
import { serve } from '@hono/node-server';
import { pino } from 'pino';
import { type Address, type Hex, nonceManager } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { createChainClients } from '../../protocol/src/index.js';
import { createStorage } from '../../storage/src/index.js';
import { fetchChainId, parseWorkerConfig, WorkerpoolConfigError } from './config.js';
import { createWorker } from './worker/createWorker.js';
import { createSchedulerClient } from './worker/schedulerClient.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof parseWorkerConfig>;
  try {
    config = parseWorkerConfig(process.env);
  } catch (error) {
    if (error instanceof WorkerpoolConfigError) {
      console.error(`${error.code}: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const account = privateKeyToAccount(config.privateKey as Hex, { nonceManager });
  const log = pino({ base: { service: 'worker', worker: account.address } });
  const chainId = await fetchChainId(config.rpcUrl);
  const { publicClient, wallet } = createChainClients({
    rpc: config.rpcUrl,
    chainId,
    account,
    pollingInterval: config.chainPollMs,
  });
  const storage = await createStorage({ kind: 'kubo', url: config.storageUrl });
  const worker = createWorker({
    publicClient,
    wallet,
    hub: config.hub as Address,
    storage,
    scheduler: createSchedulerClient({ url: config.schedulerUrl, account }),
    smsUrl: config.smsUrl,
    dataDir: config.dataDir,
    tmpfsDir: config.tmpfsDir,
    platformKeyFile: config.platformKeyFile,
    slots: config.slots,
    limits: { memoryLimitBytes: config.memoryMb * 2 ** 20, maxProcesses: config.maxProcesses },
    smsRetryMs: config.smsRetryMs,
    pollMs: config.pollMs,
    log,
    byzantine: config.byzantine,
  });
  if (config.byzantine) log.warn({ byzantine: config.byzantine }, 'FAULT INJECTION FOR TESTS: this worker misbehaves');
  await worker.start();
  const server = serve({ fetch: worker.routes.fetch, hostname: config.host, port: config.port }, (info) => {
    log.info({ url: `http://${config.host}:${info.port}`, slots: config.slots }, 'listening');
  });
  const stop = () => {
    server.close();
    void worker.stop().then(async () => {
      await storage.close();
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
