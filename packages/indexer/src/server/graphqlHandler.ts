import {
  type DocumentNode,
  execute,
  type FormattedExecutionResult,
  GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import type { Context } from 'hono';
import type { Logger } from 'pino';
import type { IndexerDb } from '../db/tables.js';
import { IndexerError } from '../errors.js';
import { createResolverContext, ROW_BUDGET } from '../graphql/resolvers/context.js';
import { maxDepthRule } from './maxDepthRule.js';

/** Options of {@link graphqlHandler}. */
type GraphqlHandlerOptions = {
  schema: GraphQLSchema;
  db: IndexerDb;
  logger: Logger;
  /** Largest request body. Default 64 KiB. */
  maxBodyBytes?: number;
  /** Deepest selection. Default 10. */
  maxDepth?: number;
  /** Rows one request may read. Default {@link ROW_BUDGET}. */
  maxRows?: number;
};

const MAX_TOKENS = 5000;

/**
 * `POST /graphql` with `{ query, variables?, operationName? }` as JSON (GraphQL over HTTP,
 * `application/json`). Well-formed requests are answered 200 with `data` and/or `errors`, each
 * error with `extensions.code`; a body that is not such a request is answered 400 with `errors`.
 * Internal failures are logged and shown as `internal error`, never with a stack.
 * @example app.post('/graphql', graphqlHandler({ schema, db, logger }))
 */
export function graphqlHandler(options: GraphqlHandlerOptions) {
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  const rules = [...specifiedRules, maxDepthRule(options.maxDepth ?? 10)];
  const { logger } = options;

  const formatError = (error: GraphQLError): GraphQLFormattedError => {
    const original = error.originalError;
    const where = { ...(error.locations && { locations: error.locations }), ...(error.path && { path: error.path }) };
    if (original instanceof IndexerError) {
      const extensions = { code: original.code, ...(original.reason && { reason: original.reason }) };
      return { message: original.shortMessage, ...where, extensions };
    }
    if (original && !(original instanceof GraphQLError)) {
      logger.error(
        { errorName: original.name, error: original.message.slice(0, 500), path: error.path },
        'resolver failed',
      );
      return { message: 'internal error', ...where, extensions: { code: 'CONFIDE_INDEXER_INTERNAL' } };
    }
    return { message: error.message, ...where, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
  };

  const badRequest = (c: Context, message: string) =>
    c.json({ errors: [{ message, extensions: { code: 'CONFIDE_INDEXER_BAD_REQUEST' } }] }, 400);

  return async (c: Context) => {
    if (!c.req.header('content-type')?.toLowerCase().startsWith('application/json')) {
      return badRequest(c, 'send the query as JSON: content-type application/json, body { "query": "…" }');
    }
    const text = await c.req.text();
    if (Buffer.byteLength(text) > maxBodyBytes) return badRequest(c, `the body exceeds ${maxBodyBytes} bytes`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return badRequest(c, 'the body is not JSON');
    }
    const { query, variables, operationName } = (body ?? {}) as Record<string, unknown>;
    if (typeof query !== 'string') return badRequest(c, 'the body needs "query", a string');
    if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) {
      return badRequest(c, '"variables" must be an object');
    }
    if (operationName != null && typeof operationName !== 'string') {
      return badRequest(c, '"operationName" must be a string');
    }
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: MAX_TOKENS });
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      return c.json({ errors: [formatError(error)] } satisfies FormattedExecutionResult);
    }
    const invalid = validate(options.schema, document, rules);
    if (invalid.length > 0) return c.json({ errors: invalid.map(formatError) } satisfies FormattedExecutionResult);
    const result = await execute({
      schema: options.schema,
      document,
      variableValues: variables as Record<string, unknown> | undefined,
      operationName: operationName as string | undefined,
      contextValue: createResolverContext(options.db, options.maxRows ?? ROW_BUDGET),
    });
    const answer: FormattedExecutionResult = {
      ...(result.errors && { errors: result.errors.map(formatError) }),
      ...('data' in result && { data: result.data }),
    };
    return c.json(answer);
  };
}
