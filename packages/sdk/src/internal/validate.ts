import { type Address, getAddress, type Hex, isAddress } from 'viem';
import { z } from 'zod';
import { ConfideSdkError } from '../errors.js';

/** A checksummed or lowercase address, returned checksummed. */
export const addressSchema = z
  .string()
  .refine((value) => isAddress(value, { strict: false }), 'must be a 0x-prefixed 20-byte address')
  .transform((value) => getAddress(value) as Address);

/** A 32-byte hex value (order hash, deal id, task id, tag, salt). */
export const bytes32Schema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, 'must be 0x followed by 64 hex digits')
  .transform((value) => value.toLowerCase() as Hex);

const MAX_UINT256 = 2n ** 256n - 1n;

/** A uint256: a bigint, a safe non-negative integer, or a decimal string; returned as a bigint. */
export const uintSchema = z
  .union([
    z.bigint(),
    z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    z.string().regex(/^[0-9]{1,78}$/, 'must be a decimal integer'),
  ])
  .transform((value) => BigInt(value))
  .refine((value) => value >= 0n && value <= MAX_UINT256, 'must be between 0 and 2^256-1');

/** A uint256 above zero. */
export const positiveSchema = uintSchema.refine((value) => value > 0n, 'must be above 0');

/**
 * Checks an action's parameters before anything is sent.
 * @throws ConfideSdkError `CONFIDE_SDK_PARAMETERS_INVALID` naming each wrong field
 */
export function parseParameters<S extends z.ZodType>(action: string, schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(parameters)'}: ${issue.message}`)
    .join('; ');
  throw new ConfideSdkError({
    code: 'CONFIDE_SDK_PARAMETERS_INVALID',
    shortMessage: `${action}: invalid parameters; fix them and call again.`,
    details,
  });
}
