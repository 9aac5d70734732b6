import { ConfideError } from '../../errors/src/index.js';

/** Stable codes of the indexer's errors; callers switch on these, never on message text. */
export type IndexerErrorCode =
  | 'CONFIDE_INDEXER_CONFIG_INVALID'
  | 'CONFIDE_INDEXER_DATABASE_MISMATCH'
  | 'CONFIDE_INDEXER_DATABASE_UNAVAILABLE'
  | 'CONFIDE_INDEXER_INVALID_INPUT'
  | 'CONFIDE_INDEXER_UNREACHABLE'
  | 'CONFIDE_INDEXER_HTTP_ERROR'
  | 'CONFIDE_INDEXER_QUERY_FAILED';

/** Root of the indexer's errors: a {@link ConfideError} with an indexer code. */
export class IndexerError extends ConfideError<IndexerErrorCode> {
  override name = 'IndexerError';
}

/**
 * The configuration cannot run; its details list every wrong value.
 * @example throw new IndexerConfigInvalidError('INDEXER_PORT: must be an integer in 0..65535')
 */
export class IndexerConfigInvalidError extends IndexerError {
  override name = 'IndexerConfigInvalidError' as const;
  constructor(details: string) {
    super({
      code: 'CONFIDE_INDEXER_CONFIG_INVALID',
      shortMessage: 'The indexer configuration is invalid; fix each value named in the details.',
      details,
    });
  }
}

/**
 * The database was filled from another deployment: mixing two would give wrong answers.
 * @example throw new IndexerDatabaseMismatchError('hub: stored 0xaa…, configured 0xbb…')
 */
export class IndexerDatabaseMismatchError extends IndexerError {
  override name = 'IndexerDatabaseMismatchError' as const;
  constructor(details: string) {
    super({
      code: 'CONFIDE_INDEXER_DATABASE_MISMATCH',
      shortMessage:
        'The database indexes another deployment; point INDEXER_DATABASE at a new file or database, or empty this one.',
      details,
    });
  }
}

/**
 * The database cannot be opened or migrated: PostgreSQL unreachable, refusing the login or
 * without that database; a SQLite file that cannot be created. `location` has no password.
 * @example throw new IndexerDatabaseUnavailableError({ location: 'postgres://indexer:***@db/index', cause })
 */
export class IndexerDatabaseUnavailableError extends IndexerError {
  override name = 'IndexerDatabaseUnavailableError' as const;
  readonly location: string;
  constructor({ location, cause }: { location: string; cause?: unknown }) {
    super({
      code: 'CONFIDE_INDEXER_DATABASE_UNAVAILABLE',
      shortMessage: `The database ${location} cannot be opened; check that it runs, that the database exists and the credentials are right.`,
      details: describeCause(cause),
      cause,
    });
    this.location = location;
  }
}

/** A cause's message, or its code when it has none (a refused connection's AggregateError). */
function describeCause(cause: unknown): string | undefined {
  if (!(cause instanceof Error)) return cause === undefined ? undefined : String(cause);
  const code = (cause as { code?: unknown }).code;
  return cause.message || (typeof code === 'string' ? code : cause.name);
}

/**
 * A query argument is malformed (an address, an id, a required schema, a page size).
 * @example throw new IndexerInputError('where.owner: not an address')
 */
export class IndexerInputError extends IndexerError {
  override name = 'IndexerInputError' as const;
  constructor(details: string) {
    super({ code: 'CONFIDE_INDEXER_INVALID_INPUT', shortMessage: `Invalid argument: ${details}`, details });
  }
}

/**
 * The indexer could not be reached (connection refused, timeout).
 * @example throw new IndexerUnreachableError({ url, cause })
 */
export class IndexerUnreachableError extends IndexerError {
  override name = 'IndexerUnreachableError' as const;
  constructor({ url, cause }: { url: string; cause?: unknown }) {
    super({
      code: 'CONFIDE_INDEXER_UNREACHABLE',
      shortMessage: `The indexer at ${url} did not answer; check that it runs and the URL is right.`,
      details: cause instanceof Error ? cause.message : undefined,
      cause,
    });
  }
}

/**
 * The indexer answered something else than a GraphQL response (a proxy's error page, a 5xx).
 * @example throw new IndexerHttpError({ url, status: 502 })
 */
export class IndexerHttpError extends IndexerError {
  override name = 'IndexerHttpError' as const;
  readonly status: number;
  constructor({ url, status, details }: { url: string; status: number; details?: string }) {
    super({
      code: 'CONFIDE_INDEXER_HTTP_ERROR',
      shortMessage: `The indexer at ${url} answered HTTP ${status} without a GraphQL response; retry later.`,
      details,
    });
    this.status = status;
  }
}

/**
 * The indexer refused or failed the query; `errors` are the GraphQL errors it returned, each with
 * `extensions.code` (e.g. `CONFIDE_INDEXER_INVALID_INPUT`, `GRAPHQL_VALIDATION_FAILED`).
 * @example if (error instanceof IndexerQueryError) console.log(error.errors[0]?.extensions?.code)
 */
export class IndexerQueryError extends IndexerError {
  override name = 'IndexerQueryError' as const;
  readonly errors: readonly { message: string; extensions?: { code?: string } }[];
  constructor(errors: readonly { message: string; extensions?: { code?: string } }[]) {
    const first = errors[0];
    super({
      code: 'CONFIDE_INDEXER_QUERY_FAILED',
      shortMessage: `The indexer refused the query: ${first?.message ?? 'no detail'}`,
      details: errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; '),
    });
    this.errors = errors;
  }
}
