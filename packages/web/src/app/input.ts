// What people type in the dashboard's forms (prices, durations, counts), read into the units the
// DataProtector takes; a wrong value is a named error with a stable code, saying what to type.
import { ConfideError } from '../../../errors/src/index.js';

/** The token's decimals: 1 CFD is 10^9 units. */
const DECIMALS = 9;
/** Prices are stored in 96 bits by the contracts. */
const MAX_UINT96 = 2n ** 96n - 1n;
/** Durations are stored in 40 bits (seconds). */
const MAX_UINT40 = 2 ** 40 - 1;

/** Why a typed value was refused: `reason` says which kind of value. */
type InputReason = 'AMOUNT' | 'DURATION' | 'COUNT';

/** A value typed in a form is not one the dashboard can send; nothing was sent. */
export class DashboardInputError extends ConfideError<'CONFIDE_WEB_INVALID_INPUT'> {
  override name = 'DashboardInputError' as const;
  constructor(reason: InputReason, details: string) {
    super({
      code: 'CONFIDE_WEB_INVALID_INPUT',
      shortMessage: 'A value typed in the form is not valid; fix it and try again.',
      details,
      reason,
    });
  }
}

const DECIMAL = /^\d+(?:\.\d*)?$|^\.\d+$/;

/**
 * An amount of CFD as typed (e.g. `5`, `0.5`, `.25`; at most 9 decimals) in token units; empty is 0.
 * @throws {DashboardInputError} AMOUNT when it is not such an amount or exceeds 2^96 − 1 units
 * @example tokenAmount('2.5', 'The sale price') // 2_500_000_000n
 */
export function tokenAmount(text: string, what: string): bigint {
  const typed = text.trim() || '0';
  const [whole = '', fraction = ''] = typed.split('.');
  if (!DECIMAL.test(typed) || fraction.length > DECIMALS) {
    throw new DashboardInputError(
      'AMOUNT',
      `${what} must be an amount in CFD with at most ${DECIMALS} decimals, e.g. 5 or 0.5 (got "${text}")`,
    );
  }
  const units = BigInt(whole || '0') * 10n ** BigInt(DECIMALS) + BigInt(fraction.padEnd(DECIMALS, '0'));
  if (units > MAX_UINT96) throw new DashboardInputError('AMOUNT', `${what} must be at most ${MAX_UINT96} units`);
  return units;
}

/**
 * A duration typed in `unit` (e.g. hours: 3600 s each; decimals allowed) in whole seconds.
 * @throws {DashboardInputError} DURATION when it is not a positive number, under 1 s or over 2^40 − 1 s
 * @example durationSeconds('1.5', 3600, 'hours', 'The rental duration') // 5400
 */
export function durationSeconds(text: string, unit: number, unitName: string, what: string): number {
  const typed = text.trim();
  const seconds = DECIMAL.test(typed) ? Math.round(Number(typed) * unit) : Number.NaN;
  if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > MAX_UINT40) {
    throw new DashboardInputError(
      'DURATION',
      `${what} must be a positive number of ${unitName}, at least 1 s and at most ${MAX_UINT40} s (got "${text}")`,
    );
  }
  return seconds;
}

/**
 * A whole number typed, at least `min` (e.g. a number of uses).
 * @throws {DashboardInputError} COUNT when it is not a whole number ≥ `min`
 * @example wholeNumber('3', 1, 'The number of uses') // 3
 */
export function wholeNumber(text: string, min: number, what: string): number {
  const typed = text.trim();
  const value = /^\d+$/.test(typed) ? Number(typed) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new DashboardInputError('COUNT', `${what} must be a whole number ≥ ${min} (got "${text}")`);
  }
  return value;
}
