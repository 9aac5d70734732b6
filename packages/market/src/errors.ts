import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * Stable codes of every refusal the market can answer, with their HTTP status; clients switch
 * on these, never on message text. `docs/market.md` says when each is answered.
 */
export const MarketErrorCodes = {
  MARKET_INVALID_ORDER: 400,
  MARKET_INVALID_QUERY: 400,
  MARKET_INVALID_INPUT: 400,
  MARKET_SIGNATURE_INVALID: 401,
  MARKET_CHALLENGE_UNKNOWN: 401,
  MARKET_CHALLENGE_EXPIRED: 401,
  MARKET_NOT_OWNER: 403,
  MARKET_ASSET_UNKNOWN: 404,
  MARKET_ORDER_NOT_FOUND: 404,
  MARKET_NOT_FOUND: 404,
  MARKET_ORDER_CONSUMED: 409,
  MARKET_BODY_TOO_LARGE: 413,
  MARKET_INTERNAL: 500,
  MARKET_CHAIN_UNAVAILABLE: 503,
  MARKET_BUSY: 503,
} as const;

/** One of {@link MarketErrorCodes}. */
export type MarketErrorCode = keyof typeof MarketErrorCodes;

/**
 * A refusal of the market server with a stable code; its message says what to fix.
 * @example throw new MarketServerError('MARKET_ORDER_NOT_FOUND', `no app order ${orderHash}`)
 */
export class MarketServerError extends Error {
  override name = 'MarketServerError';
  readonly code: MarketErrorCode;
  readonly status: ContentfulStatusCode;

  constructor(code: MarketErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.status = MarketErrorCodes[code];
  }
}

/**
 * The one HTTP error shape: `{ error: { code, message } }`. Unknown errors become
 * MARKET_INTERNAL, without their message (it could carry internals).
 * @example app.onError((error, c) => errorResponse(c, error))
 */
export function errorResponse(c: Context, error: unknown) {
  const known = error instanceof MarketServerError ? error : new MarketServerError('MARKET_INTERNAL', 'internal error');
  return c.json({ error: { code: known.code, message: known.message } }, known.status);
}
