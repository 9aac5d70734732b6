import { readFileSync } from 'node:fs';
import { type Address, getAddress, isAddress } from 'viem';
import { z } from 'zod';
import { isPostgresUrl } from './db/openIndexerDatabase.js';
import { IndexerConfigInvalidError } from './errors.js';

const address = (name: string) =>
  z
    .string({ error: `missing: set ${name} or INDEXER_DEPLOYMENT` })
    .refine((v) => isAddress(v, { strict: false }), 'must be a contract address (0x…, 20 bytes)')
    .transform((v) => getAddress(v) as Address);

const integer = (min: number, max: number) => {
  const error = `must be an integer in ${min}..${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

const DATABASE_FORMS = 'a SQLite file path or a PostgreSQL URL (postgres://user:password@host:5432/database)';

/** The database a PostgreSQL URL names, or null when it names none or does not parse. */
function postgresDatabaseName(url: string): string | null {
  try {
    return new URL(url).pathname.slice(1) || null;
  } catch {
    return null;
  }
}

/** Configuration of `confide-indexer`, validated once at start. */
const indexerConfigSchema = z.object({
  rpcUrl: z.url({ error: 'must be the chain’s JSON-RPC URL (set INDEXER_RPC_URL or rpcUrl in INDEXER_DEPLOYMENT)' }),
  addresses: z.object({
    hub: address('INDEXER_HUB'),
    appRegistry: address('INDEXER_APP_REGISTRY'),
    datasetRegistry: address('INDEXER_DATASET_REGISTRY'),
    workerpoolRegistry: address('INDEXER_WORKERPOOL_REGISTRY'),
    dataProtector: address('INDEXER_DATA_PROTECTOR'),
    dataSharing: address('INDEXER_DATA_SHARING'),
  }),
  database: z
    .string({ error: `missing: set INDEXER_DATABASE to ${DATABASE_FORMS}` })
    .min(1, { error: `must be ${DATABASE_FORMS}` })
    .refine((v) => !isPostgresUrl(v) || postgresDatabaseName(v) !== null, {
      error: `must be ${DATABASE_FORMS}; this URL names no database`,
    }),
  host: z.string().min(1).default('127.0.0.1'),
  port: integer(0, 65535).default(13700),
  pollingIntervalMs: integer(10, 3_600_000).default(1000),
  confirmations: integer(0, 1000).default(0),
  batchSize: integer(1, 100_000).default(1000),
  fromBlock: z.coerce
    .bigint({ error: 'must be a block number ≥ 0' })
    .min(0n, { error: 'must be a block number ≥ 0' })
    .default(0n),
});

/** A valid indexer configuration. */
export type IndexerConfig = z.infer<typeof indexerConfigSchema>;

type Deployment = { rpcUrl?: unknown; addresses?: Record<string, unknown> };

/**
 * Reads the configuration from environment variables: `INDEXER_RPC_URL`, `INDEXER_DEPLOYMENT`
 * (a `deployment.json` as `confide devnet` writes, giving `rpcUrl` and `addresses`), or each
 * address (`INDEXER_HUB`, `INDEXER_APP_REGISTRY`, `INDEXER_DATASET_REGISTRY`,
 * `INDEXER_WORKERPOOL_REGISTRY`, `INDEXER_DATA_PROTECTOR`, `INDEXER_DATA_SHARING`, which override the file's),
 * `INDEXER_DATABASE` (a SQLite file, or a `postgres://` URL of an existing database), `INDEXER_HOST` (127.0.0.1), `INDEXER_PORT` (13700; 0 = any free port),
 * `INDEXER_POLL_MS` (1000), `INDEXER_CONFIRMATIONS` (0), `INDEXER_BATCH_SIZE` (1000),
 * `INDEXER_FROM_BLOCK` (0).
 * @throws {IndexerConfigInvalidError} listing every wrong value
 * @example const config = parseIndexerConfig(process.env)
 */
export function parseIndexerConfig(
  env: Record<string, string | undefined>,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): IndexerConfig {
  let deployment: Deployment = {};
  if (env.INDEXER_DEPLOYMENT) {
    try {
      deployment = JSON.parse(readFile(env.INDEXER_DEPLOYMENT)) as Deployment;
    } catch (error) {
      const reason = error instanceof SyntaxError ? 'is not JSON' : 'cannot be read';
      throw new IndexerConfigInvalidError(`INDEXER_DEPLOYMENT: ${env.INDEXER_DEPLOYMENT} ${reason}`);
    }
  }
  const fromFile = deployment.addresses ?? {};
  const result = indexerConfigSchema.safeParse({
    rpcUrl: env.INDEXER_RPC_URL ?? deployment.rpcUrl,
    addresses: {
      hub: env.INDEXER_HUB ?? fromFile.hub,
      appRegistry: env.INDEXER_APP_REGISTRY ?? fromFile.appRegistry,
      datasetRegistry: env.INDEXER_DATASET_REGISTRY ?? fromFile.datasetRegistry,
      workerpoolRegistry: env.INDEXER_WORKERPOOL_REGISTRY ?? fromFile.workerpoolRegistry,
      dataProtector: env.INDEXER_DATA_PROTECTOR ?? fromFile.dataProtector,
      dataSharing: env.INDEXER_DATA_SHARING ?? fromFile.dataSharing,
    },
    database: env.INDEXER_DATABASE,
    host: env.INDEXER_HOST,
    port: env.INDEXER_PORT,
    pollingIntervalMs: env.INDEXER_POLL_MS,
    confirmations: env.INDEXER_CONFIRMATIONS,
    batchSize: env.INDEXER_BATCH_SIZE,
    fromBlock: env.INDEXER_FROM_BLOCK,
  });
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `${envName(issue.path)}: ${issue.message}`);
    throw new IndexerConfigInvalidError(lines.join('; '));
  }
  return result.data;
}

const ENV_NAMES: Record<string, string> = {
  rpcUrl: 'INDEXER_RPC_URL',
  'addresses.hub': 'INDEXER_HUB',
  'addresses.appRegistry': 'INDEXER_APP_REGISTRY',
  'addresses.datasetRegistry': 'INDEXER_DATASET_REGISTRY',
  'addresses.workerpoolRegistry': 'INDEXER_WORKERPOOL_REGISTRY',
  'addresses.dataProtector': 'INDEXER_DATA_PROTECTOR',
  'addresses.dataSharing': 'INDEXER_DATA_SHARING',
  database: 'INDEXER_DATABASE',
  host: 'INDEXER_HOST',
  port: 'INDEXER_PORT',
  pollingIntervalMs: 'INDEXER_POLL_MS',
  confirmations: 'INDEXER_CONFIRMATIONS',
  batchSize: 'INDEXER_BATCH_SIZE',
  fromBlock: 'INDEXER_FROM_BLOCK',
};

function envName(path: readonly PropertyKey[]): string {
  const key = path.map(String).join('.');
  return ENV_NAMES[key] ?? key;
}
