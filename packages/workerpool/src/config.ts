import { isAddress, isHex } from 'viem';
import { z } from 'zod';
import type { ByzantineBehaviour } from './worker/runReplicatedTask.js';

const privateKey = z
  .string()
  .refine((v) => isHex(v) && v.length === 66, 'must be a 32-byte private key as 0x-hex (keep it out of shell history)');
const address = (what: string) => z.string().refine((v) => isAddress(v), `must be the ${what} address (0x…, 20 bytes)`);
const port = z.coerce.number().int().min(0).max(65535);
const list = (v: string | undefined) =>
  v
    ? v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
    : undefined;

/** Configuration of a scheduler process. */
export const schedulerConfigSchema = z.object({
  rpcUrl: z.string().url(),
  hub: address('hub'),
  workerpool: address('workerpool'),
  privateKey,
  databasePath: z.string().min(1),
  host: z.string().default('127.0.0.1'),
  port: port.default(13400),
  workers: z.array(address('worker')).default([]),
  leaseMs: z.coerce.number().int().min(1_000).default(60_000),
  pollMs: z.coerce.number().int().min(10).default(1_000),
  confirmations: z.coerce.number().int().min(0).default(0),
  chainPollMs: z.coerce.number().int().min(10).default(100),
  marketUrl: z.string().url().optional(),
  price: z.coerce.bigint().nonnegative().default(0n),
  volume: z.coerce.bigint().positive().default(1_000_000n),
  category: z.coerce.bigint().nonnegative().default(0n),
  /** Highest trust the pool sells: deals above 1 without the TEE tag run replicated (Proof of Contribution). */
  trust: z.coerce.bigint().nonnegative().max(1_000_000n).default(0n),
});

/** Configuration of a worker process. */
export const workerConfigSchema = z.object({
  rpcUrl: z.string().url(),
  hub: address('hub'),
  privateKey,
  schedulerUrl: z.string().url(),
  smsUrl: z.string().url(),
  storageUrl: z.string().url(),
  dataDir: z.string().min(1),
  tmpfsDir: z.string().min(1).default('/dev/shm'),
  platformKeyFile: z.string().min(1),
  host: z.string().default('127.0.0.1'),
  port: port.default(13500),
  slots: z.coerce.number().int().min(1).max(64).default(1),
  memoryMb: z.coerce.number().int().min(32).default(512),
  maxProcesses: z.coerce.number().int().min(4).default(64),
  smsRetryMs: z.coerce.number().int().min(0).default(30_000),
  pollMs: z.coerce.number().int().min(10).default(500),
  chainPollMs: z.coerce.number().int().min(10).default(100),
  /**
   * FAULT INJECTION, FOR TESTS ONLY: makes this worker misbehave on replicated tasks, to prove the
   * protocol punishes it. `lie` commits to a wrong result; `silent-after-commit` commits the right
   * one and never reveals it; `copy` computes nothing and commits another worker's result hash;
   * `lie-after:N` (N from 1 to 9999) commits honestly N times, then lies at every later
   * contribution (so a test can see a liar's earned score fall). Unset (the default) for an honest
   * worker; never set it in production.
   */
  byzantine: z
    .string()
    .regex(
      /^(lie|silent-after-commit|copy|lie-after:[1-9]\d{0,3})$/,
      'must be lie, silent-after-commit, copy or lie-after:N with N a whole number from 1 to 9999',
    )
    .transform((v) => v as ByzantineBehaviour)
    .optional(),
});

/** A configuration that cannot run; its message lists every wrong value. */
export class WorkerpoolConfigError extends Error {
  override name = 'WorkerpoolConfigError';
  readonly code = 'CONFIDE_WORKERPOOL_CONFIG_INVALID';
}

function parse<T>(
  schema: z.ZodType<T>,
  input: Record<string, unknown>,
  names: Record<string, string>,
  what: string,
): T {
  const result = schema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${names[String(i.path[0])] ?? i.path.join('.')}: ${i.message}`);
    throw new WorkerpoolConfigError(`invalid ${what} configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

const SCHEDULER_ENV = {
  rpcUrl: 'SCHEDULER_RPC_URL',
  hub: 'SCHEDULER_HUB',
  workerpool: 'SCHEDULER_WORKERPOOL',
  privateKey: 'SCHEDULER_PRIVATE_KEY',
  databasePath: 'SCHEDULER_DATABASE',
  host: 'SCHEDULER_HOST',
  port: 'SCHEDULER_PORT',
  workers: 'SCHEDULER_WORKERS',
  leaseMs: 'SCHEDULER_LEASE_MS',
  pollMs: 'SCHEDULER_POLL_MS',
  confirmations: 'SCHEDULER_CONFIRMATIONS',
  chainPollMs: 'SCHEDULER_CHAIN_POLL_MS',
  marketUrl: 'SCHEDULER_MARKET_URL',
  price: 'SCHEDULER_PRICE',
  volume: 'SCHEDULER_VOLUME',
  category: 'SCHEDULER_CATEGORY',
  trust: 'SCHEDULER_TRUST',
} as const;

const WORKER_ENV = {
  rpcUrl: 'WORKER_RPC_URL',
  hub: 'WORKER_HUB',
  privateKey: 'WORKER_PRIVATE_KEY',
  schedulerUrl: 'WORKER_SCHEDULER_URL',
  smsUrl: 'WORKER_SMS_URL',
  storageUrl: 'WORKER_STORAGE_URL',
  dataDir: 'WORKER_DIR',
  tmpfsDir: 'WORKER_TMPFS',
  platformKeyFile: 'WORKER_PLATFORM_KEY_FILE',
  host: 'WORKER_HOST',
  port: 'WORKER_PORT',
  slots: 'WORKER_SLOTS',
  memoryMb: 'WORKER_MEMORY_MB',
  maxProcesses: 'WORKER_MAX_PROCESSES',
  smsRetryMs: 'WORKER_SMS_RETRY_MS',
  pollMs: 'WORKER_POLL_MS',
  chainPollMs: 'WORKER_CHAIN_POLL_MS',
  byzantine: 'WORKER_BYZANTINE_FOR_TESTS',
} as const;

function fromEnv(names: Record<string, string>, env: Record<string, string | undefined>, lists: string[]) {
  return Object.fromEntries(
    Object.entries(names).map(([key, name]) => [key, lists.includes(key) ? list(env[name]) : env[name]]),
  );
}

/**
 * Reads a scheduler's configuration from `SCHEDULER_*` environment variables.
 * @throws WorkerpoolConfigError listing every wrong value by its variable name
 * @example const config = parseSchedulerConfig(process.env)
 */
export function parseSchedulerConfig(env: Record<string, string | undefined>) {
  return parse(schedulerConfigSchema, fromEnv(SCHEDULER_ENV, env, ['workers']), SCHEDULER_ENV, 'scheduler');
}

/**
 * Reads a worker's configuration from `WORKER_*` environment variables.
 * @throws WorkerpoolConfigError listing every wrong value by its variable name
 * @example const config = parseWorkerConfig(process.env)
 */
export function parseWorkerConfig(env: Record<string, string | undefined>) {
  return parse(workerConfigSchema, fromEnv(WORKER_ENV, env, []), WORKER_ENV, 'worker');
}

/** The chain id, asked once: a wrong RPC URL fails at start with a clear line. */
export async function fetchChainId(rpcUrl: string): Promise<number> {
  try {
    const response = await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
    });
    return Number((await response.json()).result);
  } catch (error) {
    console.error(`CONFIDE_WORKERPOOL_RPC_UNREACHABLE: cannot reach the chain at ${rpcUrl}: ${String(error)}`);
    process.exit(2);
  }
}
