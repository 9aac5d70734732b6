/**
 * What exactly was wrong, for logs and people; never a secret. Either one line of text
 * (rendered `Details: …`) or structured facts (rendered as `key: value` lines after a blank line).
 * @example const details: ConfideErrorDetails = { cid: 'bafkrei…', status: 404 }
 */
export type ConfideErrorDetails = string | Readonly<Record<string, string | number>>;

/**
 * What every Confide error is built from.
 * @example const parameters: ConfideErrorParameters = { code: 'CONFIDE_X_FAILED', shortMessage: 'X failed; retry.' }
 */
export type ConfideErrorParameters<
  code extends string = string,
  details extends ConfideErrorDetails | undefined = string | undefined,
> = {
  /** Stable code, `CONFIDE_<PACKAGE>_<WHAT>`: callers switch on it, never on message text. */
  code: code;
  /** One sentence: what was wrong and what to do. */
  shortMessage: string;
  /** What exactly was seen. */
  details?: details;
  /** The lower-level error, if any. */
  cause?: unknown;
  /** Finer stable reason within the code, e.g. `EXPIRED`. */
  reason?: string;
};

/**
 * The options most Confide error constructors take: text details and the lower-level error.
 * @example throw new SomeConfideError({ details: 'got 16 bytes', cause: error })
 */
export type ConfideErrorOptions = {
  /** What exactly was wrong, for logs and people; never a secret value. */
  details?: string;
  /** The lower-level error, if any. */
  cause?: unknown;
};

/**
 * Root of every Confide error: a short message, optional details, a stable `code` (and
 * optionally a finer `reason`), the `cause`, and `walk()` over the cause chain. The `message` is
 * `shortMessage`, then `Details: …` (text details), then `Code: CODE` or `Code: CODE (reason)`,
 * then structured details as `key: value` lines after a blank line.
 * @example
 * class PizzaBurntError extends ConfideError<'CONFIDE_PIZZA_BURNT'> {
 *   override name = 'PizzaBurntError' as const;
 *   constructor(cause?: unknown) {
 *     super({ code: 'CONFIDE_PIZZA_BURNT', shortMessage: 'The pizza burnt; lower the oven.', cause });
 *   }
 * }
 * try { bake() } catch (error) {
 *   if (error instanceof ConfideError && error.code === 'CONFIDE_PIZZA_BURNT') console.log(error.shortMessage);
 * }
 */
export class ConfideError<
  code extends string = string,
  details extends ConfideErrorDetails | undefined = string | undefined,
> extends Error {
  override name: string = 'ConfideError';
  /** Stable code; callers switch on it. */
  readonly code: code;
  /** Finer stable reason within the code, when the error has one. */
  readonly reason: string | undefined;
  /** The one-line message, without details or code. */
  readonly shortMessage: string;
  readonly details: details;
  override readonly cause: unknown;

  constructor({ code, shortMessage, details, cause, reason }: ConfideErrorParameters<code, details>) {
    super(composeMessage(code, shortMessage, details, reason));
    this.code = code;
    this.reason = reason;
    this.shortMessage = shortMessage;
    this.details = details as details;
    this.cause = cause;
  }

  /**
   * Follows the `cause` chain (this error first).
   * @param predicate stops at the first error for which it holds; without it, at the deepest
   * @returns the matching error, or `null` when a predicate is given and nothing matches
   * @example const refused = error.walk((e) => (e as NodeJS.ErrnoException).code === 'ECONNREFUSED')
   */
  walk(predicate?: (error: unknown) => boolean): unknown {
    let current: unknown = this;
    // Bounded, so a cyclic cause chain cannot hang the caller.
    for (let depth = 0; depth < 100; depth++) {
      if (predicate?.(current)) return current;
      const next = typeof current === 'object' && current !== null ? (current as { cause?: unknown }).cause : undefined;
      if (next === undefined || next === null) return predicate ? null : current;
      current = next;
    }
    return predicate ? null : current;
  }
}

function composeMessage(
  code: string,
  shortMessage: string,
  details: ConfideErrorDetails | undefined,
  reason: string | undefined,
): string {
  const head = [
    shortMessage,
    typeof details === 'string' && details && `Details: ${details}`,
    `Code: ${code}${reason ? ` (${reason})` : ''}`,
  ]
    .filter(Boolean)
    .join('\n');
  if (details === undefined || typeof details === 'string') return head;
  const lines = Object.entries(details).map(([key, value]) => `${key}: ${value}`);
  return lines.length > 0 ? `${head}\n\n${lines.join('\n')}` : head;
}
