import { Hono } from 'hono';
import { cors } from 'hono/cors';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { Hex } from 'viem';
import type { BulkContentSource } from '../../protocol/src/bulk.js';
import type { BulkOrderReader } from './chain/createBulkOrderReader.js';
import type { OwnershipReader } from './chain/createOwnershipReader.js';
import type { TaskReader } from './chain/createTaskReader.js';
import type { SmsConfig } from './config.js';
import { errorResponse, SmsError } from './errors.js';
import { enclaveReleaseRoutes } from './routes/enclaveRelease.js';
import { ownerSecretRoutes } from './routes/ownerSecrets.js';
import type { SecretStore } from './store/openSecretStore.js';

/** Log fields that may never be written, whatever a caller passes. */
export const REDACTED_PATHS = ['value', 'secret', 'key', 'plaintext', '*.value', '*.secret', '*.key', '*.plaintext'];

/** Options of {@link createSmsServer}. */
export type CreateSmsServerOptions = {
  config: Pick<SmsConfig, 'mode' | 'chainId' | 'challengeTtlSeconds' | 'simPlatformKeys'>;
  store: SecretStore;
  ownership: OwnershipReader;
  tasks: TaskReader;
  /** Reads the dataset orders of bulk slices on chain; without it, bulk tasks are refused. */
  bulkOrders?: BulkOrderReader;
  /** Storage to read bulk slices from (CID-verified); without it, bulk tasks are refused. */
  bulkSource?: BulkContentSource;
  /** Where log lines go (stdout by default); tests capture them. */
  logDestination?: DestinationStream;
  now?: () => number;
};

/**
 * The SMS as a hono app: `app.request(req)` in tests, `@hono/node-server` in production.
 * Every refusal is `{ error: { code, message } }` with a stable code; no stack trace or secret
 * is ever returned or logged.
 * @example const { app } = createSmsServer({ config, store, ownership })
 */
export function createSmsServer(options: CreateSmsServerOptions): { app: Hono; logger: Logger } {
  const logger = pino(
    {
      name: 'confide-sms',
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: { mode: options.config.mode },
    },
    options.logDestination,
  );
  const app = new Hono();
  app.onError((error, c) => {
    if (error instanceof SmsError) {
      logger.info({ code: error.code, path: c.req.path, method: c.req.method }, 'refused');
    } else {
      logger.error({ errorName: (error as Error).name, path: c.req.path, method: c.req.method }, 'internal error');
    }
    return errorResponse(c, error);
  });
  app.notFound((c) =>
    c.json({ error: { code: 'SMS_NOT_FOUND', message: `no route ${c.req.method} ${c.req.path}` } }, 404),
  );
  // Any page may call the SMS (CORS), so that dapps push secrets from the browser: every write is
  // authorized by its EIP-712 signature, never by a cookie or another ambient credential.
  app.use(
    '*',
    cors({ origin: '*', allowMethods: ['GET', 'POST', 'PUT'], allowHeaders: ['content-type'], maxAge: 600 }),
  );
  app.get('/health', (c) => c.json({ status: 'ok', mode: options.config.mode }));
  app.route(
    '/',
    ownerSecretRoutes({
      store: options.store,
      ownership: options.ownership,
      chainId: options.config.chainId,
      challengeTtlSeconds: options.config.challengeTtlSeconds,
      now: options.now,
      log: (event, fields) => logger.info(fields, event),
    }),
  );
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  app.route(
    '/',
    enclaveReleaseRoutes({
      store: options.store,
      tasks: options.tasks,
      // Sim quotes prove nothing against this machine's root user: production never accepts them.
      quotePolicy: {
        allowSim: options.config.mode === 'development',
        simPlatformKeys: options.config.mode === 'development' ? (options.config.simPlatformKeys as Hex[]) : [],
      },
      bulk: { orders: options.bulkOrders, source: options.bulkSource },
      now,
      log: (event, fields) => logger.info(fields, event),
    }),
  );
  return { app, logger };
}
