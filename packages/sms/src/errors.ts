import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Stable codes of every refusal the SMS can answer; clients switch on these, never on text. */
export const SmsErrorCodes = {
  SMS_INVALID_INPUT: 400,
  SMS_AUTH_REQUIRED: 401,
  SMS_CHALLENGE_UNKNOWN: 401,
  SMS_CHALLENGE_EXPIRED: 401,
  SMS_CHALLENGE_USED: 401,
  SMS_SIGNATURE_INVALID: 401,
  SMS_NOT_OWNER: 403,
  SMS_QUOTE_REFUSED: 403,
  SMS_QUOTE_BINDING: 403,
  SMS_NOT_AUTHORIZED: 403,
  SMS_DEAL_NOT_TEE: 403,
  SMS_BULK_ORDER_SIGNATURE: 403,
  SMS_BULK_ORDER_REVOKED: 403,
  SMS_BULK_ORDER_NOT_BULK: 403,
  SMS_BULK_ORDER_RESTRICTED: 403,
  SMS_POLICY_REFUSED: 403,
  SMS_BULK_SLICE_INVALID: 422,
  SMS_BULK_SLICE_UNAVAILABLE: 503,
  SMS_TASK_NOT_ACTIVE: 409,
  SMS_ALREADY_RELEASED: 409,
  SMS_DEAL_PARAMS_INVALID: 422,
  SMS_ASSET_UNKNOWN: 404,
  SMS_SECRET_NOT_FOUND: 404,
  SMS_SECRET_EXISTS: 409,
  SMS_SECRET_TOO_LARGE: 413,
  SMS_CHAIN_UNAVAILABLE: 503,
  SMS_INTERNAL: 500,
} as const;

/** One of {@link SmsErrorCodes}. */
export type SmsErrorCode = keyof typeof SmsErrorCodes;

/** A refusal with a stable code; its message says what to fix and never carries a secret. */
export class SmsError extends Error {
  override name = 'SmsError';
  readonly code: SmsErrorCode;
  readonly status: ContentfulStatusCode;
  /** A finer stable name under the code, with its arguments (e.g. the hub's policy error that refused). */
  readonly reason: { name: string; args: string[] } | undefined;

  constructor(
    code: SmsErrorCode,
    message: string,
    options?: { cause?: unknown; reason?: { name: string; args: string[] } },
  ) {
    super(message, options);
    this.code = code;
    this.status = SmsErrorCodes[code];
    this.reason = options?.reason;
  }
}

/**
 * The one HTTP error shape: `{ error: { code, message, reason?, args? } }` (`reason` and `args`
 * only when the refusal has a finer name). Unknown errors become SMS_INTERNAL.
 */
export function errorResponse(c: Context, error: unknown) {
  const known = error instanceof SmsError ? error : new SmsError('SMS_INTERNAL', 'internal error');
  const reason = known.reason ? { reason: known.reason.name, args: known.reason.args } : {};
  return c.json({ error: { code: known.code, message: known.message, ...reason } }, known.status);
}
