import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { isCorsOrigin, isValidRpcToken } from './createKuboRpcHandler.js';
import { StorageConfigInvalidError } from './errors.js';

/**
 * What a storage node process runs with, see {@link parseStorageNodeConfig}.
 * @example const config: StorageNodeConfig = { directory: '.confide/ipfs', host: '127.0.0.1', rpcPort: 5001, gatewayPort: 8080, maxBodyBytes: 2 ** 34 }
 */
export type StorageNodeConfig = {
  /** Where the embedded node keeps blocks and pins. */
  directory: string;
  /** Interface both servers listen on. */
  host: string;
  /** Port of the Kubo RPC API; 0 picks a free one. */
  rpcPort: number;
  /** Port of the read-only gateway; 0 picks a free one. */
  gatewayPort: number;
  /** Bearer token `add` and `pin/add` need; without it anyone who can connect may write. */
  token?: string | undefined;
  /** Largest `add` request body, in bytes. */
  maxBodyBytes: number;
  /** Web page origins allowed to call the RPC API (CORS), or `['*']`; none when absent. */
  corsOrigins?: string[] | undefined;
};

/** Errors of {@link parseStorageNodeConfig}. */
export type ParseStorageNodeConfigErrorType = StorageConfigInvalidError;

const DEFAULTS = {
  directory: '.confide/ipfs',
  host: '127.0.0.1',
  rpcPort: 5001,
  gatewayPort: 8080,
  maxBodyBytes: 16 * 1024 ** 3,
};
const OPTIONS = {
  dir: { type: 'string' },
  host: { type: 'string' },
  'rpc-port': { type: 'string' },
  'gateway-port': { type: 'string' },
  'max-body-bytes': { type: 'string' },
} as const;

/**
 * Reads the configuration of `confide-storage` from flags, then environment variables, then
 * defaults: `--dir`/`STORAGE_DIR` (`.confide/ipfs`), `--host`/`STORAGE_HOST` (`127.0.0.1`),
 * `--rpc-port`/`STORAGE_RPC_PORT` (5001), `--gateway-port`/`STORAGE_GATEWAY_PORT` (8080),
 * `--max-body-bytes`/`STORAGE_RPC_MAX_BODY_BYTES` (16 GiB), and `STORAGE_RPC_TOKEN` (never a flag:
 * other users see flags in `ps`), and `STORAGE_CORS_ORIGINS` (comma-separated origins whose pages may
 * call the RPC API, or `*`; none by default). A host other than loopback needs the token.
 * @param argv - the flags, e.g. `process.argv.slice(2)`.
 * @param env - e.g. `process.env`.
 * @returns the validated configuration.
 * @throws {StorageConfigInvalidError} naming every wrong value (`CONFIDE_STORAGE_CONFIG_INVALID`).
 * @example const config = parseStorageNodeConfig(['--rpc-port', '0'], process.env)
 */
export function parseStorageNodeConfig(argv: string[], env: Record<string, string | undefined>): StorageNodeConfig {
  let flags: Partial<Record<keyof typeof OPTIONS, string>>;
  try {
    flags = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (cause) {
    const known = Object.keys(OPTIONS).map((name) => `--${name}`);
    throw new StorageConfigInvalidError(
      `${(cause as Error).message.replace(/\.$/, '')} (options: ${known.join(', ')})`,
      cause,
    );
  }
  const problems: string[] = [];
  const text = (flag: keyof typeof OPTIONS, variable: string, fallback: string) => {
    const value = flags[flag] ?? env[variable];
    if (value === undefined) return fallback;
    if (value.trim() === '') problems.push(`${source(flag, variable)} must not be empty`);
    return value;
  };
  const integer = (flag: keyof typeof OPTIONS, variable: string, fallback: number, min: number, max: number) => {
    const value = flags[flag] ?? env[variable];
    if (value === undefined) return fallback;
    const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!(number >= min && number <= max)) {
      problems.push(
        `${source(flag, variable)} must be an integer in ${min}..${max}, got ${JSON.stringify(value.slice(0, 40))}`,
      );
    }
    return number;
  };
  const source = (flag: keyof typeof OPTIONS, variable: string) => (flags[flag] !== undefined ? `--${flag}` : variable);

  const config: StorageNodeConfig = {
    directory: text('dir', 'STORAGE_DIR', DEFAULTS.directory),
    host: text('host', 'STORAGE_HOST', DEFAULTS.host),
    rpcPort: integer('rpc-port', 'STORAGE_RPC_PORT', DEFAULTS.rpcPort, 0, 65535),
    gatewayPort: integer('gateway-port', 'STORAGE_GATEWAY_PORT', DEFAULTS.gatewayPort, 0, 65535),
    maxBodyBytes: integer(
      'max-body-bytes',
      'STORAGE_RPC_MAX_BODY_BYTES',
      DEFAULTS.maxBodyBytes,
      1,
      Number.MAX_SAFE_INTEGER,
    ),
    token: env.STORAGE_RPC_TOKEN,
    ...(env.STORAGE_CORS_ORIGINS === undefined
      ? {}
      : { corsOrigins: env.STORAGE_CORS_ORIGINS.split(',').map((origin) => origin.trim()) }),
  };
  for (const origin of config.corsOrigins ?? []) {
    if (!isCorsOrigin(origin)) {
      problems.push(
        `STORAGE_CORS_ORIGINS: ${JSON.stringify(origin.slice(0, 100))} is not * nor an origin such as http://127.0.0.1:5173`,
      );
    }
  }
  if (config.token !== undefined && !isValidRpcToken(config.token)) {
    problems.push('STORAGE_RPC_TOKEN must be 16 characters or more of A-Z a-z 0-9 - . _ ~ + / (openssl rand -hex 32)');
  }
  if (config.rpcPort !== 0 && config.rpcPort === config.gatewayPort) {
    problems.push(`the RPC and gateway ports must differ, both are ${config.rpcPort}`);
  }
  if (config.token === undefined && config.host.trim() !== '' && !isLoopback(config.host)) {
    problems.push(
      `host ${config.host} is reachable from other machines: set STORAGE_RPC_TOKEN so that only its holders can write`,
    );
  }
  if (problems.length > 0) throw new StorageConfigInvalidError(problems.join('; '));
  return config;
}

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}
