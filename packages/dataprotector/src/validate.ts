import { type Address, getAddress, isAddress } from 'viem';
import { DataProtectorError } from './errors.js';

/** A CONFIDE_DATAPROTECTOR_INVALID_PARAMETER error saying what to fix. */
export const invalid = (details: string) =>
  new DataProtectorError('CONFIDE_DATAPROTECTOR_INVALID_PARAMETER', { details });

/** Reads an address parameter (any case), checksummed. */
export function address(value: unknown, name: string): Address {
  if (typeof value !== 'string' || !isAddress(value, { strict: false })) throw invalid(`${name} must be an address`);
  return getAddress(value);
}

/** Reads an integer parameter ≥ min. */
export function count(value: unknown, name: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw invalid(`${name} must be an integer ≥ ${min}`);
  }
  return value;
}

/** Reads an amount parameter (token units): a non-negative safe integer or bigint. */
export function price(value: unknown, name: string): bigint {
  if (typeof value === 'bigint' && value >= 0n) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  throw invalid(`${name} must be a non-negative integer amount (token units, 9 decimals)`);
}

/** Wraps a service failure so that callers see one error type. */
export async function service<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (cause) {
    if (cause instanceof DataProtectorError) throw cause;
    throw new DataProtectorError('CONFIDE_DATAPROTECTOR_SERVICE_FAILED', {
      details: `${what}: ${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}`,
      cause,
    });
  }
}
