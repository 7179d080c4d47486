/**
 * Writes a document's fragments out in place: every `...Name` spread becomes the fragment's own
 * selections and the fragment definitions are dropped, leaving one self-contained operation.
 * The fragments this is used on are spread on their own type, so the result selects exactly the
 * same fields.
 */
import { Kind, parse, print, visit, type DocumentNode, type FragmentDefinitionNode, type SelectionNode } from "graphql";

export function inlineFragments(source: string): string {
  const document = parse(source);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const expand = (selections: readonly SelectionNode[]): SelectionNode[] =>
    selections.flatMap((selection) => {
      if (selection.kind !== Kind.FRAGMENT_SPREAD) return [selection];
      const fragment = fragments.get(selection.name.value);
      if (!fragment) throw new Error(`unknown fragment ${selection.name.value}`);
      if (selection.directives?.length) throw new Error(`directives on ...${selection.name.value} cannot be written out`);
      return expand(fragment.selectionSet.selections);
    });
  const operations: DocumentNode = {
    ...document,
    definitions: document.definitions.filter((definition) => definition.kind !== Kind.FRAGMENT_DEFINITION),
  };
  // A node returned from `enter` replaces the original and is visited in its place, so nested
  // selection sets (and the fragments' own) are expanded too.
  return print(visit(operations, { SelectionSet: { enter: (node) => ({ ...node, selections: expand(node.selections) }) } }));
}
