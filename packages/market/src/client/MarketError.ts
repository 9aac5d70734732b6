import { ConfideError } from '../../../errors/src/index.js';

/** Codes of {@link MarketError}: the server's code prefixed `CONFIDE_`, or a transport failure. */
export type MarketClientErrorCode = `CONFIDE_MARKET_${string}`;

/**
 * The market refused a request, or could not be reached. `code` is stable
 * (`CONFIDE_MARKET_ORDER_CONSUMED`, `CONFIDE_MARKET_UNREACHABLE`…); `reason` is the server's own
 * code (`MARKET_ORDER_CONSUMED`) when it answered one; `status` its HTTP status.
 * @example
 * try { await market.publishOrder('AppOrder', order) } catch (error) {
 *   if (error instanceof MarketError && error.code === 'CONFIDE_MARKET_ORDER_CONSUMED') console.log('sign a new order')
 * }
 */
export class MarketError extends ConfideError<MarketClientErrorCode> {
  override name = 'MarketError' as const;
  /** HTTP status of the answer, when there was one. */
  readonly status: number | undefined;

  constructor(p: {
    code: MarketClientErrorCode;
    shortMessage: string;
    reason?: string;
    status?: number;
    cause?: unknown;
  }) {
    super({ code: p.code, shortMessage: p.shortMessage, reason: p.reason, cause: p.cause });
    this.status = p.status;
  }
}

/** The error for an answer that is not a success: the server's `{ error: { code, message } }` if any. */
export async function marketErrorFrom(response: Response, url: string): Promise<MarketError> {
  const body = (await response.json().catch(() => undefined)) as
    | { error?: { code?: unknown; message?: unknown } }
    | undefined;
  const serverCode = typeof body?.error?.code === 'string' ? body.error.code : undefined;
  const message = typeof body?.error?.message === 'string' ? body.error.message : response.statusText;
  if (serverCode?.startsWith('MARKET_')) {
    return new MarketError({
      code: `CONFIDE_${serverCode}` as MarketClientErrorCode,
      shortMessage: message,
      reason: serverCode,
      status: response.status,
    });
  }
  return new MarketError({
    code: 'CONFIDE_MARKET_BAD_RESPONSE',
    shortMessage: `${url} answered HTTP ${response.status} without a market error; is it a Confide market?`,
    status: response.status,
  });
}
