import { isAddress, isHex } from 'viem';
import { z } from 'zod';

const hexKey = z
  .string()
  .refine((v) => isHex(v) && v.length === 66, 'must be 32 bytes as 0x-prefixed hex (openssl rand -hex 32)');

/** Configuration of an SMS, validated once at start. */
export const smsConfigSchema = z.object({
  mode: z.enum(['development', 'production']),
  host: z.string().default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(13300),
  databasePath: z.string().min(1),
  masterKey: hexKey,
  rpcUrl: z.string().url(),
  chainId: z.coerce.number().int().positive(),
  hub: z.string().refine(isAddress, 'must be the hub address (0x…, 20 bytes)'),
  challengeTtlSeconds: z.coerce.number().int().min(10).max(3600).default(300),
  /**
   * The DataSharing contract: a dataset it holds is its collection's owner's (who may push the
   * dataset's key). Without it, such a dataset's owner is DataSharing, and nobody can push its key.
   */
  dataSharing: z.string().refine(isAddress, 'must be the DataSharing address (0x…, 20 bytes)').optional(),
  /** Kubo RPC API of the storage node where bulk slices are read; bulk tasks are refused without it. */
  storageUrl: z.string().url().optional(),
  /** Ed25519 keys (hex) of the sim platforms trusted in development mode; ignored in production. */
  simPlatformKeys: z
    .array(z.string().refine((v) => isHex(v) && v.length === 66, 'each must be a 32-byte Ed25519 public key in 0x-hex'))
    .default([]),
});

/** A valid SMS configuration. */
export type SmsConfig = z.infer<typeof smsConfigSchema>;

/** A configuration that cannot run; its message lists every wrong value. */
export class SmsConfigError extends Error {
  override name = 'SmsConfigError';
  readonly code = 'SMS_CONFIG_INVALID';
}

/**
 * Reads the configuration from environment variables (`SMS_MODE`, `SMS_PORT`, `SMS_DATABASE`,
 * `SMS_MASTER_KEY`, `SMS_RPC_URL`, `SMS_CHAIN_ID`, `SMS_HUB`, `SMS_DATA_SHARING`, `SMS_CHALLENGE_TTL`, `SMS_STORAGE_URL`,
 * `SMS_SIM_PLATFORM_KEYS` comma-separated).
 * @example const config = parseSmsConfig(process.env)
 */
export function parseSmsConfig(env: Record<string, string | undefined>): SmsConfig {
  const result = smsConfigSchema.safeParse({
    mode: env.SMS_MODE,
    host: env.SMS_HOST,
    port: env.SMS_PORT,
    databasePath: env.SMS_DATABASE,
    masterKey: env.SMS_MASTER_KEY,
    rpcUrl: env.SMS_RPC_URL,
    chainId: env.SMS_CHAIN_ID,
    hub: env.SMS_HUB,
    challengeTtlSeconds: env.SMS_CHALLENGE_TTL,
    dataSharing: env.SMS_DATA_SHARING || undefined,
    storageUrl: env.SMS_STORAGE_URL || undefined,
    simPlatformKeys: env.SMS_SIM_PLATFORM_KEYS ? env.SMS_SIM_PLATFORM_KEYS.split(',').map((k) => k.trim()) : undefined,
  });
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || 'config'}: ${i.message}`);
    throw new SmsConfigError(`invalid SMS configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}
