import { GraphQLError, Kind, type ValueNode, valueFromASTUntyped } from 'graphql';

const DECIMAL = /^\d{1,78}$/;

function toBigInt(value: unknown): bigint {
  if (typeof value === 'string' && DECIMAL.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  throw new GraphQLError(
    `BigInt must be a non-negative integer (a decimal string or an integer), got ${JSON.stringify(value)}`,
  );
}

/** `BigInt`: decimal strings out; decimal strings or integers in, as bigint. */
export const bigIntScalar = {
  serialize: (value: unknown): string => {
    if (typeof value === 'bigint' || typeof value === 'number') return value.toString();
    if (typeof value === 'string' && DECIMAL.test(value)) return value;
    throw new GraphQLError(`cannot serialize ${typeof value} as BigInt`);
  },
  parseValue: toBigInt,
  parseLiteral: (ast: ValueNode): bigint => {
    if (ast.kind === Kind.INT || ast.kind === Kind.STRING)
      return toBigInt(ast.kind === Kind.INT ? Number(ast.value) : ast.value);
    throw new GraphQLError('BigInt must be a non-negative integer (a decimal string or an integer)');
  },
};

/** `JSON`: any JSON value, written inline (objects, lists, strings…) or passed as a variable. */
export const jsonScalar = {
  serialize: (value: unknown) => value,
  parseValue: (value: unknown) => value,
  parseLiteral: (ast: ValueNode, variables?: { readonly [name: string]: unknown } | null) =>
    valueFromASTUntyped(ast, variables ?? undefined),
};
