#!/usr/bin/env -S node --import tsx
import { serve } from '@hono/node-server';
import { createPublicClient, http } from 'viem';
import { createKuboStorage } from '../../storage/src/index.js';
import { createBulkOrderReader } from './chain/createBulkOrderReader.js';
import { createOwnershipReader } from './chain/createOwnershipReader.js';
import { createTaskReader } from './chain/createTaskReader.js';
import { parseSmsConfig, SmsConfigError } from './config.js';
import { createSmsServer } from './createSmsServer.js';
import { openSecretStore } from './store/openSecretStore.js';

const DEVELOPMENT_BANNER = `
*****************************************************************************************
* Confide SMS in DEVELOPMENT mode: it accepts simulated ("sim") enclave quotes, which any *
* process on this machine can make. Never store real secrets here. Even with real TEEs,   *
* sim mode does not protect against the machine's root user reading process memory.      *
*****************************************************************************************`;

function main(): void {
  let config: ReturnType<typeof parseSmsConfig>;
  try {
    config = parseSmsConfig(process.env);
  } catch (error) {
    if (error instanceof SmsConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  if (config.mode === 'development') console.error(DEVELOPMENT_BANNER);
  const store = openSecretStore({ path: config.databasePath, masterKey: config.masterKey as `0x${string}` });
  const client = createPublicClient({ transport: http(config.rpcUrl) });
  const ownership = createOwnershipReader({
    client,
    hub: config.hub as `0x${string}`,
    ...(config.dataSharing ? { dataSharing: config.dataSharing as `0x${string}` } : {}),
  });
  const tasks = createTaskReader({ client, hub: config.hub as `0x${string}` });
  const bulkOrders = createBulkOrderReader({ client, hub: config.hub as `0x${string}` });
  const bulkSource = config.storageUrl ? createKuboStorage({ url: config.storageUrl }) : undefined;
  const { app, logger } = createSmsServer({
    config,
    store,
    ownership,
    tasks,
    bulkOrders,
    ...(bulkSource ? { bulkSource } : {}),
  });
  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
    logger.info({ host: config.host, port: info.port }, 'listening');
  });
  const stop = () => {
    server.close(() => {
      store.close();
      void bulkSource?.close();
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main();
