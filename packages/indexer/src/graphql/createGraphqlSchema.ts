import { buildSchema, type GraphQLFieldResolver, GraphQLScalarType, type GraphQLSchema, isObjectType } from 'graphql';
import { assetResolvers } from './resolvers/assetResolvers.js';
import type { ResolverContext } from './resolvers/context.js';
import { dealResolvers } from './resolvers/dealResolvers.js';
import { sharingResolvers } from './resolvers/sharingResolvers.js';
import { workerResolvers } from './resolvers/workerResolvers.js';
import { bigIntScalar, jsonScalar } from './scalars.js';
import { typeDefs } from './typeDefs.js';

type ResolverMap = Record<string, Record<string, unknown>>;

/**
 * The executable schema: {@link typeDefs} with the resolvers and scalars attached. Fails at once
 * if a resolver names a field the SDL does not have.
 * @example const schema = createGraphqlSchema(); await graphql({ schema, source, contextValue })
 */
export function createGraphqlSchema(): GraphQLSchema {
  const schema = buildSchema(typeDefs);
  for (const [name, scalar] of Object.entries({ BigInt: bigIntScalar, JSON: jsonScalar })) {
    const type = schema.getType(name);
    if (!(type instanceof GraphQLScalarType)) throw new Error(`the SDL declares no scalar ${name}`);
    Object.assign(type, scalar);
  }
  const resolvers: ResolverMap[] = [assetResolvers, dealResolvers, workerResolvers, sharingResolvers];
  for (const map of resolvers) {
    for (const [typeName, fields] of Object.entries(map)) {
      const type = schema.getType(typeName);
      if (!isObjectType(type)) throw new Error(`resolvers for ${typeName}, which is not an object type of the SDL`);
      const defined = type.getFields();
      for (const [fieldName, resolve] of Object.entries(fields)) {
        const field = defined[fieldName];
        if (!field) throw new Error(`resolver for ${typeName}.${fieldName}, which the SDL does not declare`);
        field.resolve = resolve as GraphQLFieldResolver<unknown, ResolverContext>;
      }
    }
  }
  return schema;
}
