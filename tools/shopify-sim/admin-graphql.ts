/**
 * Executes Admin GraphQL requests against the real 2026-10 Admin schema (graphql-js
 * `buildClientSchema` on Shopify's introspection), with Shopify's error shapes, query cost and
 * throttling. Validation happens against the real schema, so a field or argument Shopify lacks
 * fails exactly as it would there; a schema field the simulator lacks fails at execution with an
 * error naming it (never a silent null).
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import {
  buildClientSchema, execute, GraphQLError, Kind, parse, validate,
  type ASTNode, type DocumentNode, type ExecutionResult, type FragmentDefinitionNode,
  type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLSchema, type GraphQLTypeResolver, type OperationDefinitionNode,
  type SelectionSetNode, type IntrospectionQuery,
} from "graphql";
import { mutationResolvers, queryResolvers } from "./admin-resolvers.ts";
import { actualQueryCost, requestedQueryCost } from "./query-cost.ts";
import type { ResolverContext } from "./resource-views.ts";
import type { ShopRuntime } from "./shop-runtime.ts";

export const API_VERSION = "2026-10";
export const MAX_SINGLE_QUERY_COST = 1000;

let cachedSchema: GraphQLSchema | null = null;

/** The real Admin API 2026-10 schema, built once per process from the committed introspection. */
export function loadAdminSchema(): GraphQLSchema {
  if (cachedSchema) return cachedSchema;
  const path = new URL("./schema/admin-2026-10.introspection.json.gz", import.meta.url);
  const json = JSON.parse(gunzipSync(readFileSync(path)).toString("utf8")) as { data: IntrospectionQuery };
  cachedSchema = buildClientSchema(json.data);
  return cachedSchema;
}

export interface ShopifyGraphqlError {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

// ---------------------------------------------------------------- error shaping (graphql-ruby style)

function selectionPath(set: SelectionSetNode, target: ASTNode, path: string[]): string[] | null {
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      const key = sel.alias?.value ?? sel.name.value;
      if (sel === target) return [...path, key];
      for (const arg of sel.arguments ?? []) if (arg === target) return [...path, key, arg.name.value];
      if (sel.selectionSet) {
        const found = selectionPath(sel.selectionSet, target, [...path, key]);
        if (found) return found;
      }
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      const key = sel.typeCondition ? `... on ${sel.typeCondition.name.value}` : "...";
      if (sel === target) return [...path, key];
      const found = selectionPath(sel.selectionSet, target, [...path, key]);
      if (found) return found;
    } else if (sel === target) {
      return [...path, `... ${sel.name.value}`];
    }
  }
  return null;
}

/** Shopify (graphql-ruby) prefixes validation paths with the operation: ["query", "shop", "foo"]. */
function shopifyPath(document: DocumentNode, target: ASTNode | undefined): string[] | undefined {
  if (!target) return undefined;
  for (const def of document.definitions) {
    if (def.kind === Kind.OPERATION_DEFINITION) {
      const prefix = def.name ? `${def.operation} ${def.name.value}` : def.operation;
      if (def === target) return [prefix];
      for (const v of def.variableDefinitions ?? []) if (v === target) return [prefix];
      const found = selectionPath(def.selectionSet, target, [prefix]);
      if (found) return found;
    } else if (def.kind === Kind.FRAGMENT_DEFINITION) {
      const prefix = `fragment ${def.name.value}`;
      if (def === target) return [prefix];
      const found = selectionPath(def.selectionSet, target, [prefix]);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Rewrites a graphql-js validation error into the message and extensions graphql-ruby (which
 * Shopify runs) produces, e.g. `Field 'foo' doesn't exist on type 'Shop'` with
 * `extensions: {code: "undefinedField", typeName, fieldName}`.
 */
export function toShopifyValidationError(document: DocumentNode, error: GraphQLError): ShopifyGraphqlError {
  const locations = error.locations?.map((l) => ({ line: l.line, column: l.column }));
  const path = shopifyPath(document, error.nodes?.[0]);
  const base = (message: string, extensions: Record<string, unknown>): ShopifyGraphqlError => ({
    message, ...(locations ? { locations } : {}), ...(path ? { path } : {}), extensions,
  });
  let m: RegExpExecArray | null;
  if ((m = /^Cannot query field "(.+?)" on type "(.+?)"\./.exec(error.message))) {
    return base(`Field '${m[1]}' doesn't exist on type '${m[2]}'`, { code: "undefinedField", typeName: m[2], fieldName: m[1] });
  }
  if ((m = /^Unknown argument "(.+?)" on field "(.+?)\.(.+?)"\./.exec(error.message))) {
    return base(`Field '${m[3]}' doesn't accept argument '${m[1]}'`, { code: "argumentNotAccepted", name: m[3], typeName: "Field", argumentName: m[1] });
  }
  if ((m = /^Field "(.+?)" argument "(.+?)" of type ".+?" is required, but it was not provided\./.exec(error.message))) {
    return base(`Field '${m[1]}' is missing required arguments: ${m[2]}`, { code: "missingRequiredArguments", className: "Field", name: m[1], arguments: m[2] });
  }
  if ((m = /^Field "(.+?)" of type "(.+?)" must have a selection of subfields/.exec(error.message))) {
    return base(`Field must have selections (field '${m[1]}' returns ${m[2].replace(/[[\]!]/g, "")} but has no selections. Did you mean '${m[1]} { ... }'?)`, {
      code: "selectionMismatch", nodeName: `field '${m[1]}'`, typeName: m[2].replace(/[[\]!]/g, ""),
    });
  }
  if ((m = /^Unknown type "(.+?)"/.exec(error.message))) {
    return base(`No such type ${m[1]}, so it can't be a fragment condition`, { code: "undefinedType", typeName: m[1] });
  }
  if ((m = /^Variable "\$(.+?)" is never used/.exec(error.message))) {
    return base(`Variable $${m[1]} is declared by anonymous query but not used`, { code: "variableNotUsed", variableName: m[1] });
  }
  if ((m = /^Variable "\$(.+?)" is not defined/.exec(error.message))) {
    return base(`Variable $${m[1]} is used by anonymous query but not declared`, { code: "variableNotDefined", variableName: m[1] });
  }
  return base(error.message, { code: "validationError" });
}

// ---------------------------------------------------------------- execution

function notImplemented(typeName: string, fieldName: string): GraphQLError {
  return new GraphQLError(`Field '${fieldName}' on type '${typeName}' is not implemented by the Shopify simulator.`, {
    extensions: { code: "NOT_IMPLEMENTED", typeName, fieldName },
  });
}

/**
 * Default field resolver: root fields come from the resolver tables; other fields must be keys
 * of the parent view (functions are called with args, context and info). A field the parent
 * lacks raises a "not implemented" error naming it.
 */
const fieldResolver: GraphQLFieldResolver<unknown, ResolverContext> = (source, args, ctx, info) => {
  const schema = info.schema;
  if (info.parentType === schema.getQueryType() || info.parentType === schema.getMutationType()) {
    const table = info.parentType === schema.getQueryType() ? queryResolvers : mutationResolvers;
    const resolver = table[info.fieldName];
    if (!resolver) throw notImplemented(info.parentType.name, info.fieldName);
    return resolver(args, ctx, info);
  }
  return resolveViewField(source, info.fieldName, info.parentType.name, args, ctx, () => info);
};

/**
 * A field of a view (any type but the root types): the view's property, or its method called with
 * (args, context, info); a field the view lacks is "not implemented". Shared by graphql-js's
 * execution and the bulk export's compiled path (bulk-jsonl.ts); `info` is built only when a
 * method needs it.
 */
export function resolveViewField(
  source: unknown, fieldName: string, typeName: string, args: Record<string, unknown>, ctx: ResolverContext, info: () => GraphQLResolveInfo,
): unknown {
  const member = viewMember(source, fieldName);
  if (member === NOT_A_VIEW_FIELD) throw notImplemented(typeName, fieldName);
  return typeof member === "function" ? (member as (...a: unknown[]) => unknown).call(source, args, ctx, info()) : member;
}

/** What {@link viewMember} returns for a field the view lacks. */
export const NOT_A_VIEW_FIELD = Symbol("not a view field");

/** The view's member for a field: a property's value or a method (see resolveViewField); NOT_A_VIEW_FIELD when it has none. */
export function viewMember(source: unknown, fieldName: string): unknown {
  if (source && typeof source === "object" && fieldName in source && !(fieldName in Object.prototype)) return (source as Record<string, unknown>)[fieldName];
  return NOT_A_VIEW_FIELD;
}

/** A root field's resolver (queries and mutations the simulator implements). */
export function rootResolver(operation: "query" | "mutation", fieldName: string): ((args: Record<string, unknown>, ctx: ResolverContext, info: GraphQLResolveInfo) => unknown) | undefined {
  return (operation === "query" ? queryResolvers : mutationResolvers)[fieldName];
}

export const typeResolver: GraphQLTypeResolver<unknown, ResolverContext> = (value) =>
  value && typeof value === "object" && "__typename" in value ? String((value as { __typename: string }).__typename) : undefined;

export interface PreparedOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
}

const preparedCache = new Map<string, PreparedOperation | { errors: ShopifyGraphqlError[] }>();
const PREPARED_CACHE_SIZE = 200;

/**
 * Parses and validates against the real schema; returns Shopify-shaped errors on failure.
 * Results are cached per (query, operationName): clients repeat the same documents while paging.
 */
export function prepareOperation(query: string, operationName?: string | null): PreparedOperation | { errors: ShopifyGraphqlError[] } {
  const key = `${operationName ?? ""}\u0000${query}`;
  const cached = preparedCache.get(key);
  if (cached) return cached;
  const result = prepareUncached(query, operationName);
  if (preparedCache.size >= PREPARED_CACHE_SIZE) preparedCache.delete(preparedCache.keys().next().value!);
  preparedCache.set(key, result);
  return result;
}

function prepareUncached(query: string, operationName?: string | null): PreparedOperation | { errors: ShopifyGraphqlError[] } {
  const schema = loadAdminSchema();
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    const e = error as GraphQLError;
    return { errors: [{ message: `Parse error: ${e.message.replace(/^Syntax Error: /, "")}`, locations: e.locations?.map((l) => ({ line: l.line, column: l.column })), extensions: { code: "parseError" } }] };
  }
  const validationErrors = validate(schema, document);
  if (validationErrors.length) return { errors: validationErrors.map((e) => toShopifyValidationError(document, e)) };
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation) {
    return { errors: [{ message: operationName ? `No operation named "${operationName}"` : "An operation name is required", extensions: { code: "OPERATION_NOT_FOUND" } }] };
  }
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  return { document, operation, fragments };
}

/** Runs a prepared operation without charging cost (used by bulk operations). */
export async function runPrepared(prepared: PreparedOperation, variables: Record<string, unknown>, ctx: ResolverContext): Promise<ExecutionResult> {
  return execute({
    schema: loadAdminSchema(),
    document: prepared.document,
    operationName: prepared.operation.name?.value,
    variableValues: variables,
    contextValue: ctx,
    fieldResolver,
    typeResolver,
  });
}

export interface GraphqlHttpResult {
  status: number;
  body: Record<string, unknown>;
}

function maxCostMessage(cost: number): string {
  return (
    `Query cost is ${cost}, which exceeds the single query max cost limit (${MAX_SINGLE_QUERY_COST}).\n\n` +
    "See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\n" +
    "cost of a query is calculated.\n\n" +
    "To query larger amounts of data with fewer limits, bulk operations should be used instead.\n" +
    "See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n"
  );
}

/**
 * Handles one `POST /admin/api/2026-10/graphql.json` body for an authenticated shop:
 * validate, charge the leaky bucket (or answer THROTTLED / MAX_COST_EXCEEDED), execute,
 * refund the unused cost and report `extensions.cost`.
 */
export async function executeAdminRequest(
  runtime: ShopRuntime, body: unknown, ctxBase: Omit<ResolverContext, "runtime" | "searchWarnings">,
): Promise<GraphqlHttpResult> {
  const request = body as { query?: unknown; variables?: unknown; operationName?: unknown } | null;
  if (!request || typeof request.query !== "string" || !request.query.trim()) {
    return { status: 400, body: { errors: { query: "Required parameter missing or invalid" } } };
  }
  const variables = (request.variables && typeof request.variables === "object" ? request.variables : {}) as Record<string, unknown>;
  const prepared = prepareOperation(request.query, typeof request.operationName === "string" ? request.operationName : null);
  if ("errors" in prepared) return { status: 200, body: { errors: prepared.errors } };

  const schema = loadAdminSchema();
  const requested = requestedQueryCost(schema, prepared.operation, prepared.fragments, variables);
  if (requested > MAX_SINGLE_QUERY_COST) {
    return {
      status: 200,
      body: { errors: [{ message: maxCostMessage(requested), extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: MAX_SINGLE_QUERY_COST, documentation: "https://shopify.dev/api/usage/rate-limits" } }] },
    };
  }
  if (!runtime.bucket.tryTake(requested)) {
    return {
      status: 200,
      body: {
        errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
        extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: runtime.bucket.status() } },
      },
    };
  }
  const ctx: ResolverContext = { ...ctxBase, runtime, searchWarnings: [] };
  const result = await runPrepared(prepared, variables, ctx);
  const actual = Math.min(requested, actualQueryCost(schema, prepared.operation, prepared.fragments, variables, result.data));
  runtime.bucket.refund(requested - actual);
  const extensions: Record<string, unknown> = {
    cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: runtime.bucket.status() },
  };
  if (ctx.searchWarnings.length) {
    extensions.search = ctx.searchWarnings.map((w) => ({
      path: w.path,
      query: w.query,
      warnings: w.fields.map((field) => ({ field, message: "Invalid search field for this query." })),
    }));
  }
  const out: Record<string, unknown> = {};
  if (result.errors?.length) {
    out.errors = result.errors.map((e) => ({
      message: e.message,
      ...(e.locations ? { locations: e.locations } : {}),
      ...(e.path ? { path: e.path } : {}),
      ...(e.extensions && Object.keys(e.extensions).length ? { extensions: e.extensions } : {}),
    }));
  }
  out.data = result.data ?? null;
  out.extensions = extensions;
  return { status: 200, body: out };
}
