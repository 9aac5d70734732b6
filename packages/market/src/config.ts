import { isAddress } from 'viem';
import { z } from 'zod';

/** Configuration of a market, validated once at start. */
export const marketConfigSchema = z.object({
  rpcUrl: z.url({ message: 'must be the chain JSON-RPC URL, e.g. http://127.0.0.1:8545' }),
  hub: z.string().refine((v) => isAddress(v), 'must be the hub address (0x…, 20 bytes)'),
  chainId: z.coerce.number().int().positive(),
  /** A SQLite file path (or `:memory:`), or a `postgres://` URL (MARKET_DATABASE_URL). */
  database: z
    .string()
    .min(1, 'must be a SQLite file path (MARKET_DATABASE) or a postgres:// URL (MARKET_DATABASE_URL)'),
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(13600),
  pollMs: z.coerce.number().int().min(10).max(600_000).default(1000),
  confirmations: z.coerce.number().int().min(0).max(1000).default(0),
  fromBlock: z.coerce.bigint().min(0n).default(0n),
});

/** A valid market configuration. */
export type MarketConfig = z.infer<typeof marketConfigSchema>;

/** A configuration that cannot run; its message lists every wrong value. */
export class MarketConfigError extends Error {
  override name = 'MarketConfigError';
  readonly code = 'MARKET_CONFIG_INVALID';
}

/**
 * Reads the configuration from environment variables: `MARKET_RPC_URL`, `MARKET_HUB`,
 * `MARKET_CHAIN_ID`, `MARKET_DATABASE` (SQLite path) or `MARKET_DATABASE_URL` (postgres://…),
 * `MARKET_HOST` (127.0.0.1), `MARKET_PORT` (13600; 0 picks a free one), `MARKET_POLL_MS`
 * (1000), `MARKET_CONFIRMATIONS` (0), `MARKET_FROM_BLOCK` (0: where the follower starts).
 * @throws MarketConfigError listing each wrong value
 * @example const config = parseMarketConfig(process.env)
 */
export function parseMarketConfig(env: Record<string, string | undefined>): MarketConfig {
  const empty = (v: string | undefined) => (v === '' ? undefined : v);
  const result = marketConfigSchema.safeParse({
    rpcUrl: env.MARKET_RPC_URL,
    hub: env.MARKET_HUB,
    chainId: env.MARKET_CHAIN_ID,
    database: empty(env.MARKET_DATABASE_URL) ?? env.MARKET_DATABASE,
    host: empty(env.MARKET_HOST),
    port: empty(env.MARKET_PORT),
    pollMs: empty(env.MARKET_POLL_MS),
    confirmations: empty(env.MARKET_CONFIRMATIONS),
    fromBlock: empty(env.MARKET_FROM_BLOCK),
  });
  if (!result.success) {
    const names: Record<string, string> = {
      rpcUrl: 'MARKET_RPC_URL',
      hub: 'MARKET_HUB',
      chainId: 'MARKET_CHAIN_ID',
      database: 'MARKET_DATABASE',
      host: 'MARKET_HOST',
      port: 'MARKET_PORT',
      pollMs: 'MARKET_POLL_MS',
      confirmations: 'MARKET_CONFIRMATIONS',
      fromBlock: 'MARKET_FROM_BLOCK',
    };
    const lines = result.error.issues.map((i) => {
      const key = String(i.path[0] ?? '');
      return `${names[key] ?? 'config'}: ${i.message}`;
    });
    throw new MarketConfigError(`invalid market configuration: ${lines.join('; ')}`);
  }
  return result.data;
}
