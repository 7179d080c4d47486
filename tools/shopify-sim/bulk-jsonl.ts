/**
 * The bulk export's compiled path: writes a bulk query's JSONL lines straight from the views,
 * with the same resolvers and the same rules as graphql-js's execution followed by
 * bulk-operations.ts's flattening, but planned once per query instead of per object. graphql-js
 * spends most of a large export building result trees, promises and paths per field (~2k orders/s
 * for the backfill's orders query, bench/RESULTS.md); this walks the validated selection once and
 * then only calls resolvers and `JSON.stringify`s leaves.
 *
 * Faithful by construction and checked byte for byte against graphql-js (bulk-jsonl.test.ts):
 * - fields are collected, merged and ordered as graphql-js's collectFields does (aliases,
 *   fragments, inline fragments on object or abstract types, @skip/@include);
 * - arguments are graphql-js's own `getArgumentValues`, leaves the schema types' `serialize`;
 * - resolvers are the simulator's (resolveViewField, the root resolvers), with an `info` whose
 *   path is the one graphql-js would pass;
 * - a node's connection fields become its children's lines with `__parentId` after the node's
 *   line, in field order, exactly as `flattenObject` writes them.
 * Anything it does not model (a resolver or `serialize` throwing, null in a non-null position, a
 * promise, an unknown runtime type) throws, and the runner then runs that chunk through
 * graphql-js, which produces whatever Shopify-shaped error or data it would have. A query whose
 * connection selections it cannot flatten the same way compiles to null (graphql-js runs it all).
 */
import {
  GraphQLIncludeDirective, GraphQLSkipDirective, Kind, TypeNameMetaFieldDef, getArgumentValues, getDirectiveValues, getNamedType,
  isAbstractType, isLeafType, isListType, isNonNullType, isObjectType, typeFromAST,
  type FieldNode, type FragmentDefinitionNode, type GraphQLField, type GraphQLLeafType, type GraphQLObjectType, type GraphQLOutputType,
  type GraphQLResolveInfo, type GraphQLSchema, type SelectionSetNode,
} from "graphql";
import { NOT_A_VIEW_FIELD, resolveViewField, rootResolver, typeResolver, viewMember, type PreparedOperation } from "./admin-graphql.ts";
import type { ResolverContext } from "./resource-views.ts";

/** A path as graphql-js's `info.path` (built only when a resolver asks for `info`). */
interface Path {
  readonly prev: Path | undefined;
  readonly key: string | number;
  readonly typename: string | undefined;
}

/** Thrown for anything the compiled path leaves to graphql-js. */
export class BulkFallback extends Error {}

interface FieldPlan {
  key: string;
  /** `"key":` */
  keyJson: string;
  fieldName: string;
  fieldDef: GraphQLField<unknown, unknown>;
  fieldNodes: FieldNode[];
  args: Record<string, unknown>;
  returnType: GraphQLOutputType;
  parentType: GraphQLObjectType;
  /** Writes the field's value as JSON (made on first use). */
  completer?: Completer;
  /** Set when the field is a connection that flattening turns into child lines (only read on a line's own level). */
  connection: { items: "edges" | "nodes"; edgesPlan?: FieldPlan; itemsPlan: FieldPlan } | null;
}

interface ObjectPlan {
  type: GraphQLObjectType;
  fields: FieldPlan[];
}

/** Where JSONL lines are written, one `push` per line (bulk-operations.ts's chunk). */
export interface LineSink {
  push(line: string): void;
}

export interface CompiledBulkQuery {
  /**
   * The JSONL lines of one chunk of root rows (ctx.bulk.rootRows), appended to `lines`.
   * @returns root objects and lines written
   * @throws BulkFallback (or a resolver's error) when graphql-js must run the chunk instead
   */
  writeChunk(ctx: ResolverContext, lines: LineSink): { roots: number; objects: number };
}

export function compileBulkQuery(schema: GraphQLSchema, prepared: PreparedOperation): CompiledBulkQuery | null {
  return new BulkQueryCompiler(schema, prepared).compile();
}

class BulkQueryCompiler {
  private readonly fragments: Record<string, FragmentDefinitionNode>;
  /** Plans per (field nodes, runtime type), as graphql-js caches collectSubfields. */
  private readonly plans = new WeakMap<readonly FieldNode[], Map<string, ObjectPlan>>();
  private readonly variables: Record<string, unknown> = {};

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly prepared: PreparedOperation,
  ) {
    this.fragments = prepared.fragments;
  }

  compile(): CompiledBulkQuery | null {
    const queryType = this.schema.getQueryType();
    if (!queryType || this.prepared.operation.operation !== "query") return null;
    if (this.prepared.operation.variableDefinitions?.length) return null;
    const root = this.collect(queryType, this.prepared.operation.selectionSet);
    if (root.length !== 1) return null;
    const rootField = root[0];
    const resolve = rootResolver("query", rootField.fieldName);
    if (!resolve) return null;
    let connection: FieldPlan["connection"];
    try {
      connection = this.connectionOf(rootField);
    } catch (error) {
      if (error instanceof CompileRefused) return null;
      throw error;
    }
    if (!connection) return null;
    const rootPath: Path = { prev: undefined, key: rootField.key, typename: queryType.name };
    return {
      writeChunk: (ctx, lines) => {
        const value = resolve(rootField.args, ctx, this.info(rootField, rootPath));
        if (value == null || isPromise(value)) throw new BulkFallback("root connection");
        let roots = 0;
        let objects = 0;
        this.forEachItem(connection, value, rootPath, ctx, (node, nodeType, path, fieldNodes) => {
          roots++;
          objects += this.writeLine(node, nodeType, path, fieldNodes, null, ctx, lines);
        });
        return { roots, objects };
      },
    };
  }

  // ------------------------------------------------------------------ planning

  /** graphql-js's collectFields for `type`, as field plans in response order. */
  private collect(type: GraphQLObjectType, ...selectionSets: SelectionSetNode[]): FieldPlan[] {
    const fields = new Map<string, FieldNode[]>();
    const visited = new Set<string>();
    for (const set of selectionSets) this.collectInto(type, set, fields, visited);
    const plans: FieldPlan[] = [];
    for (const [key, fieldNodes] of fields) {
      const fieldName = fieldNodes[0].name.value;
      const fieldDef = fieldName === TypeNameMetaFieldDef.name ? TypeNameMetaFieldDef : type.getFields()[fieldName];
      // graphql-js skips a field the type lacks (validation rules it out anyway).
      if (!fieldDef) continue;
      const plan: FieldPlan = {
        key, keyJson: `${JSON.stringify(key)}:`, fieldName, fieldDef, fieldNodes,
        args: getArgumentValues(fieldDef, fieldNodes[0], this.variables),
        returnType: fieldDef.type, parentType: type, connection: null,
      };
      plans.push(plan);
    }
    return plans;
  }

  private collectInto(type: GraphQLObjectType, set: SelectionSetNode, fields: Map<string, FieldNode[]>, visited: Set<string>) {
    for (const selection of set.selections) {
      if (!this.included(selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const list = fields.get(key);
        if (list) list.push(selection);
        else fields.set(key, [selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (!this.conditionMatches(selection.typeCondition, type)) continue;
        this.collectInto(type, selection.selectionSet, fields, visited);
      } else {
        const name = selection.name.value;
        if (visited.has(name)) continue;
        visited.add(name);
        const fragment = this.fragments[name];
        if (!fragment || !this.conditionMatches(fragment.typeCondition, type)) continue;
        this.collectInto(type, fragment.selectionSet, fields, visited);
      }
    }
  }

  private included(node: { directives?: readonly unknown[] }): boolean {
    if (!node.directives?.length) return true;
    const n = node as Parameters<typeof getDirectiveValues>[1];
    if (getDirectiveValues(GraphQLSkipDirective, n, this.variables)?.if === true) return false;
    if (getDirectiveValues(GraphQLIncludeDirective, n, this.variables)?.if === false) return false;
    return true;
  }

  private conditionMatches(condition: Parameters<typeof typeFromAST>[1] | undefined, type: GraphQLObjectType): boolean {
    if (!condition) return true;
    const conditional = typeFromAST(this.schema, condition);
    if (conditional === type) return true;
    return Boolean(conditional && isAbstractType(conditional) && this.schema.isSubType(conditional, type));
  }

  /** The sub-selection of a field for a runtime object type (cached per field nodes and type). */
  private objectPlan(fieldNodes: readonly FieldNode[], type: GraphQLObjectType): ObjectPlan {
    let byType = this.plans.get(fieldNodes);
    if (!byType) this.plans.set(fieldNodes, (byType = new Map()));
    let plan = byType.get(type.name);
    if (!plan) {
      const sets = fieldNodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
      const fields = this.collect(type, ...sets);
      for (const field of fields) field.connection = this.connectionOf(field);
      plan = { type, fields };
      byType.set(type.name, plan);
    }
    return plan;
  }

  /**
   * Whether flattening turns this field into child lines, and how its items are reached. A
   * connection here is what `flattenObject` detects by shape: an object with an `edges` or
   * `nodes` array. Only the shapes it always recognises compile: a non-null connection whose
   * selection is `edges { node }` or `nodes` alone, both non-null lists.
   */
  private connectionOf(field: FieldPlan): FieldPlan["connection"] {
    const unsupported = () => {
      throw new CompileRefused(`connection ${field.key}`);
    };
    const sets = field.fieldNodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
    const inner = isNonNullType(field.returnType) ? field.returnType.ofType : field.returnType;
    if (isAbstractType(inner)) {
      // Connection-shaped values behind an interface or union: not modelled.
      for (const possible of this.schema.getPossibleTypes(inner)) {
        if (this.collect(possible, ...sets).some((f) => f.key === "edges" || f.key === "nodes")) unsupported();
      }
      return null;
    }
    if (!isObjectType(inner)) return null;
    const selected = this.collect(inner, ...sets);
    const keys = selected.map((f) => f.key);
    if (!keys.includes("edges") && !keys.includes("nodes")) return null;
    // flattenObject takes a null connection as a plain field: only non-null ones compile.
    if (!isNonNullType(field.returnType) || selected.length !== 1) unsupported();
    const items = selected[0];
    if (!isNonNullType(items.returnType) || !isListType(items.returnType.ofType)) unsupported();
    if (items.key === "nodes") {
      if (items.fieldName !== "nodes") unsupported();
      return { items: "nodes", itemsPlan: items };
    }
    if (items.fieldName !== "edges") unsupported();
    const edgeType = getNamedType(items.returnType);
    if (!isObjectType(edgeType)) unsupported();
    const edgeFields = this.collect(edgeType as GraphQLObjectType, ...items.fieldNodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : [])));
    if (edgeFields.length !== 1 || edgeFields[0].key !== "node" || edgeFields[0].fieldName !== "node") unsupported();
    return { items: "edges", edgesPlan: items, itemsPlan: edgeFields[0] };
  }

  // ------------------------------------------------------------------ execution

  private info(field: FieldPlan, path: Path): GraphQLResolveInfo {
    return {
      fieldName: field.fieldName,
      fieldNodes: field.fieldNodes,
      returnType: field.returnType,
      parentType: field.parentType,
      path,
      schema: this.schema,
      fragments: this.fragments,
      rootValue: undefined,
      operation: this.prepared.operation,
      variableValues: this.variables,
    };
  }

  private resolve(field: FieldPlan, source: unknown, parentPath: Path, ctx: ResolverContext): unknown {
    if (field.fieldDef === TypeNameMetaFieldDef) return field.parentType.name;
    // A view's property is read as it is; only a method (or a missing field) takes resolveViewField's
    // path, which builds an `info` for it: nothing is allocated for the millions of plain fields.
    const member = viewMember(source, field.fieldName);
    const plain = typeof member !== "function" && member !== NOT_A_VIEW_FIELD;
    const value = plain
      ? member
      : resolveViewField(source, field.fieldName, field.parentType.name, field.args, ctx, () =>
          this.info(field, { prev: parentPath, key: field.key, typename: field.parentType.name }),
        );
    if (isPromise(value) || value instanceof Error) throw new BulkFallback(`${field.parentType.name}.${field.fieldName}`);
    return value;
  }

  /** The object type a value completes as (graphql-js's resolveType for abstract types). */
  private runtimeType(type: GraphQLOutputType, value: unknown, ctx: ResolverContext, field: FieldPlan): GraphQLObjectType {
    const named = getNamedType(type);
    if (isObjectType(named)) return named;
    if (!isAbstractType(named)) throw new BulkFallback(`unexpected type ${named.name}`);
    const name = typeResolver(value, ctx, undefined as never, named);
    const runtime = typeof name === "string" ? this.schema.getType(name) : undefined;
    if (!runtime || !isObjectType(runtime) || !this.schema.isSubType(named, runtime)) throw new BulkFallback(`runtime type of ${field.key}`);
    return runtime;
  }

  /** Calls `each` for every item of a connection field's resolved value, in order. */
  private forEachItem(
    connection: NonNullable<FieldPlan["connection"]>, value: unknown, path: Path, ctx: ResolverContext,
    each: (node: unknown, type: GraphQLObjectType, path: Path, fieldNodes: readonly FieldNode[]) => void,
  ) {
    // connectionOf admits object-typed connections and edges only, so the plans' parent types are the runtime types.
    const listField = connection.items === "edges" ? connection.edgesPlan! : connection.itemsPlan;
    const list = this.resolve(listField, value, path, ctx);
    if (!Array.isArray(list)) throw new BulkFallback(`${listField.key} is not a list`);
    const listPath: Path = { prev: path, key: listField.key, typename: listField.parentType.name };
    const itemsPlan = connection.itemsPlan;
    for (let i = 0; i < list.length; i++) {
      let item = list[i];
      let itemPath: Path = { prev: listPath, key: i, typename: undefined };
      if (item == null) throw new BulkFallback("null item");
      if (connection.items === "edges") {
        item = this.resolve(itemsPlan, item, itemPath, ctx);
        if (item == null) throw new BulkFallback("null node");
        itemPath = { prev: itemPath, key: itemsPlan.key, typename: itemsPlan.parentType.name };
      }
      each(item, this.runtimeType(itemsPlan.returnType, item, ctx, itemsPlan), itemPath, itemsPlan.fieldNodes);
    }
  }

  /** One node's line (connections left out, `__parentId` last), then its children's lines; returns lines written. */
  private writeLine(
    node: unknown, type: GraphQLObjectType, path: Path, fieldNodes: readonly FieldNode[], parentId: string | null, ctx: ResolverContext, lines: LineSink,
  ): number {
    const plan = this.objectPlan(fieldNodes, type);
    let text = "{";
    let first = true;
    let idJson: string | undefined;
    let children: { field: FieldPlan; value: unknown }[] | null = null;
    for (const field of plan.fields) {
      const value = this.resolve(field, node, path, ctx);
      if (field.connection) {
        if (value == null) throw new BulkFallback(`null connection ${field.key}`);
        (children ??= []).push({ field, value });
        continue;
      }
      const complete = this.completerOf(field);
      const json = complete(value, complete.readsPath ? { prev: path, key: field.key, typename: type.name } : path, ctx);
      if (field.key === "id") idJson = json;
      text += (first ? "" : ",") + field.keyJson + json;
      first = false;
    }
    if (parentId !== null) text += `${first ? "" : ","}"__parentId":${JSON.stringify(parentId)}`;
    lines.push(text + "}");
    let written = 1;
    if (children) {
      const childNodes: { node: unknown; type: GraphQLObjectType; path: Path; fieldNodes: readonly FieldNode[] }[] = [];
      for (const { field, value } of children) {
        const fieldPath: Path = { prev: path, key: field.key, typename: type.name };
        this.forEachItem(field.connection!, value, fieldPath, ctx, (child, childType, childPath, childNodes_) =>
          childNodes.push({ node: child, type: childType, path: childPath, fieldNodes: childNodes_ }),
        );
      }
      if (childNodes.length) {
        // flattenObject names children by the parent's `id`, which must be a string.
        const id: unknown = idJson === undefined ? undefined : JSON.parse(idJson);
        if (typeof id !== "string") throw new BulkFallback("children without the parent's id");
        for (const child of childNodes) written += this.writeLine(child.node, child.type, child.path, child.fieldNodes, id, ctx, lines);
      }
    }
    return written;
  }

  /** The field's completer, made on first use. */
  private completerOf(field: FieldPlan): Completer {
    return (field.completer ??= this.completer(field.returnType, field));
  }

  /**
   * A function writing a value of `type` as JSON, completed as graphql-js completes it (non-null
   * checks, lists, the leaf's `serialize`, sub-selections): the type is examined once here, not
   * per value.
   */
  private completer(type: GraphQLOutputType, field: FieldPlan): Completer {
    if (isNonNullType(type)) {
      const inner = this.completer(type.ofType, field);
      return withReadsPath(inner.readsPath, (value, path, ctx) => {
        if (value == null) throw new BulkFallback(`null for non-null ${field.key}`);
        return inner(value, path, ctx);
      });
    }
    if (isListType(type)) {
      const item = this.completer(type.ofType, field);
      return withReadsPath(item.readsPath, (value, path, ctx) => {
        if (value == null) return "null";
        if (typeof value !== "object" || !(Symbol.iterator in value)) throw new BulkFallback(`not a list: ${field.key}`);
        let text = "[";
        let i = 0;
        for (const element of value as Iterable<unknown>) {
          if (isPromise(element) || element instanceof Error) throw new BulkFallback("list item");
          text += (i ? "," : "") + item(element, item.readsPath ? { prev: path, key: i, typename: undefined } : path, ctx);
          i++;
        }
        return text + "]";
      });
    }
    if (isLeafType(type)) {
      const leaf = type as GraphQLLeafType;
      return withReadsPath(false, (value) => {
        if (value == null) return "null";
        const serialized = leaf.serialize(value);
        if (serialized === undefined) throw new BulkFallback(`serialize ${field.key}`);
        return JSON.stringify(serialized);
      });
    }
    const objectType = isObjectType(type) ? type : null;
    let plan: ObjectPlan | undefined;
    return withReadsPath(true, (value, path, ctx) => {
      if (value == null) return "null";
      const runtime = objectType ?? this.runtimeType(type, value, ctx, field);
      const fields = (objectType ? (plan ??= this.objectPlan(field.fieldNodes, runtime)) : this.objectPlan(field.fieldNodes, runtime)).fields;
      let text = "{";
      for (let i = 0; i < fields.length; i++) {
        const sub = fields[i];
        const subValue = this.resolve(sub, value, path, ctx);
        const complete = this.completerOf(sub);
        text += (i ? "," : "") + sub.keyJson + complete(subValue, complete.readsPath ? { prev: path, key: sub.key, typename: runtime.name } : path, ctx);
      }
      return text + "}";
    });
  }
}

/**
 * Writes a value as JSON. `readsPath`: whether it reads its path (an object's fields resolve with
 * it); a leaf's does not, so no path is allocated for the millions of leaves of an export (it
 * gets its parent's instead).
 */
type Completer = ((value: unknown, path: Path, ctx: ResolverContext) => string) & { readsPath: boolean };

function withReadsPath(readsPath: boolean, complete: (value: unknown, path: Path, ctx: ResolverContext) => string): Completer {
  return Object.assign(complete, { readsPath });
}

/** A selection the compiled path cannot flatten as bulk-operations.ts does (graphql-js runs it). */
class CompileRefused extends BulkFallback {}

function isPromise(value: unknown): boolean {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}
