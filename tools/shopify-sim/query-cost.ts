/**
 * Query cost as Shopify's Admin API charges it (SHOPIFY.md §3, shopify.dev rate-limits page):
 * scalars and enums 0, objects (and interfaces/unions) 1, connections 2 + size × (cost of one
 * node), where size is `first`/`last`; mutation root fields 10. The requested cost is computed
 * before execution from the arguments; the actual cost afterwards from the nodes returned.
 * @see https://shopify.dev/docs/api/usage/rate-limits#cost-calculation
 */
import {
  getNamedType, isCompositeType, isListType, isNonNullType, Kind,
  type FieldNode, type FragmentDefinitionNode, type GraphQLCompositeType, type GraphQLField,
  type GraphQLOutputType, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode, type ValueNode,
  isObjectType, isInterfaceType, valueFromASTUntyped,
} from "graphql";

export const MUTATION_COST = 10;
export const CONNECTION_BASE_COST = 2;

interface CostContext {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

function argumentValue(field: FieldNode, name: string, variables: Record<string, unknown>): unknown {
  const arg = field.arguments?.find((a) => a.name.value === name);
  return arg ? valueFromASTUntyped(arg.value as ValueNode, variables) : undefined;
}

function isConnectionType(type: GraphQLOutputType): boolean {
  const named = getNamedType(type);
  return isObjectType(named) && named.name.endsWith("Connection") && "edges" in named.getFields();
}

function fieldDef(parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (isObjectType(parent) || isInterfaceType(parent)) return parent.getFields()[name];
  return undefined;
}

/** Flattens fragments into the fields selected on `parent`. */
function collectFields(ctx: CostContext, parent: GraphQLCompositeType, selectionSet: SelectionSetNode, out: { field: FieldNode; parent: GraphQLCompositeType }[] = []) {
  for (const sel of selectionSet.selections) {
    if (sel.kind === Kind.FIELD) out.push({ field: sel, parent });
    else if (sel.kind === Kind.INLINE_FRAGMENT) {
      const cond = sel.typeCondition ? (ctx.schema.getType(sel.typeCondition.name.value) as GraphQLCompositeType) : parent;
      collectFields(ctx, cond ?? parent, sel.selectionSet, out);
    } else {
      const frag = ctx.fragments[sel.name.value];
      if (frag) collectFields(ctx, (ctx.schema.getType(frag.typeCondition.name.value) as GraphQLCompositeType) ?? parent, frag.selectionSet, out);
    }
  }
  return out;
}

/** Cost of one node of a connection: the larger of `edges { node }` and `nodes` selections. */
function connectionNodeCost(ctx: CostContext, connectionType: GraphQLCompositeType, field: FieldNode, data: unknown, actual: boolean): { perNode: number; count: number | null } {
  let perNode = 0;
  let count: number | null = null;
  for (const { field: sub, parent } of collectFields(ctx, connectionType, field.selectionSet!)) {
    const key = sub.alias?.value ?? sub.name.value;
    const def = fieldDef(parent, sub.name.value);
    if (!def || !sub.selectionSet) continue;
    const subData = actual && data && typeof data === "object" ? (data as Record<string, unknown>)[key] : undefined;
    if (sub.name.value === "edges") {
      const edgeType = getNamedType(def.type) as GraphQLCompositeType;
      for (const { field: inner, parent: innerParent } of collectFields(ctx, edgeType, sub.selectionSet)) {
        if (inner.name.value !== "node" || !inner.selectionSet) continue;
        const nodeType = getNamedType(fieldDef(innerParent, "node")!.type) as GraphQLCompositeType;
        if (actual && Array.isArray(subData)) {
          count = subData.length;
          const total = subData.reduce((s: number, edge) => s + 1 + selectionCost(ctx, nodeType, inner.selectionSet!, (edge as Record<string, unknown>)?.[inner.alias?.value ?? "node"], true), 0);
          perNode = Math.max(perNode, subData.length ? total / subData.length : 0);
        } else {
          perNode = Math.max(perNode, 1 + selectionCost(ctx, nodeType, inner.selectionSet, undefined, false));
        }
      }
    } else if (sub.name.value === "nodes") {
      const nodeType = getNamedType(def.type) as GraphQLCompositeType;
      if (actual && Array.isArray(subData)) {
        count = subData.length;
        const total = subData.reduce((s: number, node) => s + 1 + selectionCost(ctx, nodeType, sub.selectionSet!, node, true), 0);
        perNode = Math.max(perNode, subData.length ? total / subData.length : 0);
      } else {
        perNode = Math.max(perNode, 1 + selectionCost(ctx, nodeType, sub.selectionSet, undefined, false));
      }
    }
  }
  return { perNode, count };
}

function selectionCost(ctx: CostContext, parent: GraphQLCompositeType, selectionSet: SelectionSetNode, data: unknown, actual: boolean): number {
  let total = 0;
  for (const { field, parent: fieldParent } of collectFields(ctx, parent, selectionSet)) {
    total += fieldCost(ctx, fieldParent, field, data, actual);
  }
  return total;
}

function fieldCost(ctx: CostContext, parent: GraphQLCompositeType, field: FieldNode, parentData: unknown, actual: boolean): number {
  const def = fieldDef(parent, field.name.value);
  if (!def || !field.selectionSet) return 0; // scalars, enums, __typename
  const key = field.alias?.value ?? field.name.value;
  const data = actual && parentData && typeof parentData === "object" ? (parentData as Record<string, unknown>)[key] : undefined;
  if (actual && data === null) return 1;
  const named = getNamedType(def.type) as GraphQLCompositeType;
  if (isConnectionType(def.type)) {
    const size = Number(argumentValue(field, "first", ctx.variables) ?? argumentValue(field, "last", ctx.variables) ?? 0);
    const { perNode, count } = connectionNodeCost(ctx, named, field, data, actual);
    return CONNECTION_BASE_COST + (actual && count !== null ? count : size) * perNode;
  }
  let unwrapped = def.type;
  if (isNonNullType(unwrapped)) unwrapped = unwrapped.ofType;
  if (isListType(unwrapped) && isCompositeType(named)) {
    if (actual && Array.isArray(data)) {
      return data.reduce((s: number, item) => s + 1 + selectionCost(ctx, named, field.selectionSet!, item, true), 0);
    }
    const ids = argumentValue(field, "ids", ctx.variables);
    const n = Array.isArray(ids) ? ids.length : 1;
    return n * (1 + selectionCost(ctx, named, field.selectionSet, undefined, false));
  }
  return 1 + selectionCost(ctx, named, field.selectionSet, data, actual);
}

function operationCost(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>, variables: Record<string, unknown>, data: unknown, actual: boolean): number {
  const ctx: CostContext = { schema, fragments, variables };
  if (operation.operation === "mutation") {
    return collectFields(ctx, schema.getMutationType()!, operation.selectionSet).length * MUTATION_COST;
  }
  return selectionCost(ctx, schema.getQueryType()!, operation.selectionSet, data, actual);
}

/** Requested cost of an operation, from its arguments (before execution). */
export function requestedQueryCost(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>, variables: Record<string, unknown>): number {
  return Math.ceil(operationCost(schema, operation, fragments, variables, undefined, false));
}

/** Actual cost of an executed operation, counting the nodes really returned in `data`. */
export function actualQueryCost(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>, variables: Record<string, unknown>, data: unknown): number {
  return Math.ceil(operationCost(schema, operation, fragments, variables, data, true));
}
