import {
  type ASTVisitor,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

/**
 * A validation rule refusing selections nested deeper than `max` fields (fragments followed), so
 * `deals { tasks { deal { tasks { … } } } }` cannot be used to make the server work forever.
 * @example validate(schema, document, [...specifiedRules, maxDepthRule(10)])
 */
export function maxDepthRule(max: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    const depth = (set: SelectionSetNode | undefined, seen: ReadonlySet<string>): number => {
      if (!set) return 0;
      let deepest = 0;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          deepest = Math.max(deepest, 1 + depth(selection.selectionSet, seen));
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depth(selection.selectionSet, seen));
        } else {
          const name = selection.name.value;
          // A cycle is reported by NoFragmentCyclesRule; here it only must not recurse forever.
          if (seen.has(name)) continue;
          deepest = Math.max(deepest, depth(fragments.get(name)?.selectionSet, new Set([...seen, name])));
        }
        if (deepest > max) return deepest;
      }
      return deepest;
    };
    return {
      OperationDefinition(node) {
        const found = depth(node.selectionSet, new Set());
        if (found > max) {
          context.reportError(
            new GraphQLError(`the query nests ${found} levels deep; at most ${max} are allowed`, { nodes: node }),
          );
        }
      },
    };
  };
}
