#!/usr/bin/env -S node --import tsx
// Imported first, before Helia loads: Node 20 lacks Promise.withResolvers.
import './polyfillPromiseWithResolvers.js';
import { ConfideStorageError, StorageConfigInvalidError } from './errors.js';
import { parseStorageNodeConfig } from './parseStorageNodeConfig.js';
import { type StorageNode, startStorageNode } from './startStorageNode.js';

// `confide-storage`: the embedded IPFS node shared by the processes of one machine, through the
// Kubo RPC API (read/write) and the gateway (read-only). Logs are JSON lines, pino's shape;
// configuration in parseStorageNodeConfig.ts. Exit codes: 0 stopped by SIGTERM/SIGINT, 2 invalid
// configuration, 1 anything else.

const LEVELS = { info: 30, error: 50 } as const;

/** One JSON line: info on stdout, errors on stderr. The token is never passed here. */
function log(level: keyof typeof LEVELS, msg: string, fields: Record<string, unknown> = {}): void {
  const line = `${JSON.stringify({ level: LEVELS[level], time: Date.now(), name: 'confide-storage', msg, ...fields })}\n`;
  (level === 'error' ? process.stderr : process.stdout).write(line);
}

/** What is logged of an error: its kind, code and message (ours carry no secret; the token is in none). */
function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof ConfideStorageError)
    return { code: error.code, errorName: error.name, error: error.shortMessage };
  const { name, message } = error instanceof Error ? error : { name: typeof error, message: String(error) };
  return { code: 'CONFIDE_STORAGE_INTERNAL', errorName: name, error: message.slice(0, 500) };
}

async function main(): Promise<number> {
  // Listen before starting anything: a signal during startup still stops cleanly.
  const stopRequested = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  let node: StorageNode;
  try {
    const config = parseStorageNodeConfig(process.argv.slice(2), process.env);
    node = await startStorageNode({
      ...config,
      onError: (error) => log('error', 'request failed', errorFields(error)),
    });
  } catch (error) {
    log('error', 'storage failed to start', errorFields(error));
    return error instanceof StorageConfigInvalidError ? 2 : 1;
  }
  log('info', 'storage ready', { rpc: node.rpcUrl, gateway: node.gatewayUrl });
  const signal = await stopRequested;
  log('info', 'storage stopping', { signal });
  await node.close();
  log('info', 'storage stopped');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log('error', 'storage crashed', errorFields(error));
    process.exit(1);
  },
);
