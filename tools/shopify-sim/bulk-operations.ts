/**
 * Bulk operations like Shopify's (SHOPIFY.md §4): a bulk query runs the whole connection and
 * writes JSONL, one object per line, with nested connection items on their own lines carrying
 * `__parentId` and following their parent; `objectCount` counts every line and
 * `rootObjectCount` only top-level ones; the result is downloaded from an expiring URL; the
 * `bulk_operations/finish` webhook fires on completion or failure. A bulk mutation runs one
 * mutation per line of a staged JSONL upload and writes `{"data":…,"__lineNumber":n}` lines.
 * Failures (ACCESS_DENIED, TIMEOUT, INTERNAL_SERVER_ERROR with partial data) and URL expiry can
 * be injected.
 * @see https://shopify.dev/docs/api/usage/bulk-operations/queries
 */
import { createHmac } from "node:crypto";
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GraphQLError, Kind, TypeInfo, getNamedType, valueFromASTUntyped, visit, visitWithTypeInfo, type DocumentNode } from "graphql";
import { loadAdminSchema, prepareOperation, runPrepared } from "./admin-graphql.ts";
import { compileBulkQuery, type LineSink } from "./bulk-jsonl.ts";
import { globalId } from "./resource-ids.ts";
import type { BulkService, ResolverContext } from "./resource-views.ts";
import {
  customerSearch, customerSorted, isoDateTime, orderSearch, orderSorted, productSearch, productSorted,
} from "./resource-views.ts";
import { compileSearch } from "./search-query.ts";
import type { BulkErrorCode, BulkOperationRecord, ShopRuntime } from "./shop-runtime.ts";

/** Shopify allows 5 concurrent bulk queries and 5 bulk mutations per shop from 2026-01. */
export const MAX_CONCURRENT_BULK_OPERATIONS = 5;
/** Result URLs expire after 7 days. */
export const RESULT_URL_TTL_MS = 7 * 86_400_000;
/** Root objects executed per step (the runner yields to the event loop between steps). */
const ROOT_CHUNK = 250;

export interface BulkFailurePlan {
  errorCode: BulkErrorCode;
  /** For TIMEOUT / INTERNAL_SERVER_ERROR: root objects written before failing (partial data). */
  afterRootObjects?: number;
}

export interface BulkRunnerOptions {
  baseUrl: () => string;
  urlSecret: string;
  onFinished: (runtime: ShopRuntime, operation: BulkOperationRecord) => void;
  /**
   * How bulk queries are executed: "compiled" (default: planned once, bulk-jsonl.ts, falling
   * back to graphql-js per chunk) or "graphql-js" for every chunk (the reference the compiled
   * path is tested against).
   */
  executor?: "compiled" | "graphql-js";
}

type ConnectionRoot = "customers" | "orders" | "products";

export class BulkOperationRunner implements BulkService {
  private readonly options: BulkRunnerOptions;
  private readonly failures = new Map<ShopRuntime, BulkFailurePlan[]>();
  private readonly running = new Set<Promise<void>>();

  constructor(options: BulkRunnerOptions) {
    this.options = options;
  }

  private directory: string | null = null;

  /** Appends the chunk's lines to the operation's result file and empties the chunk. */
  private append(runtime: ShopRuntime, op: BulkOperationRecord, chunk: JsonlChunk) {
    this.directory ??= mkdtempSync(join(tmpdir(), "shopify-sim-bulk-"));
    op.resultPath ??= join(this.directory, `${runtime.store.shop.name}-${op.sequence}.jsonl`);
    appendFileSync(op.resultPath, chunk.bytes());
    op.fileSize += chunk.size;
    chunk.clear();
  }

  /** Deletes the result files (called when the simulator closes). */
  dispose() {
    if (this.directory) rmSync(this.directory, { recursive: true, force: true });
    this.directory = null;
  }

  /** The next bulk operation on this shop fails with `plan.errorCode`. */
  injectFailure(runtime: ShopRuntime, plan: BulkFailurePlan) {
    const list = this.failures.get(runtime) ?? [];
    list.push(plan);
    this.failures.set(runtime, list);
  }

  /** Makes every result URL of the shop expire now (downloads then fail as expired). */
  expireResults(runtime: ShopRuntime) {
    for (const op of runtime.bulkOperations) op.urlExpiresAt = runtime.clock.now();
  }

  /** Resolves when every running bulk operation has finished. */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running]);
  }

  private inProgress(runtime: ShopRuntime, type: "QUERY" | "MUTATION") {
    return runtime.bulkOperations.filter((op) => op.type === type && (op.status === "CREATED" || op.status === "RUNNING"));
  }

  private create(runtime: ShopRuntime, type: "QUERY" | "MUTATION", query: string): BulkOperationRecord {
    const op: BulkOperationRecord = {
      sequence: runtime.bulkOperations.length,
      type, status: "CREATED", query,
      createdAt: runtime.clock.now(), completedAt: null, errorCode: null,
      objectCount: 0, rootObjectCount: 0, resultPath: null, fileSize: 0,
      urlExpiresAt: Infinity, partial: false,
    };
    runtime.bulkOperations.push(op);
    return op;
  }

  private start(runtime: ShopRuntime, op: BulkOperationRecord, work: () => Promise<void>) {
    const task = (async () => {
      await new Promise((resolve) => setImmediate(resolve));
      try {
        if (op.status === "CANCELING") op.status = "CANCELED";
        else {
          op.status = "RUNNING";
          await work();
        }
      } catch (error) {
        op.status = "FAILED";
        op.errorCode = "INTERNAL_SERVER_ERROR";
        op.partial = op.fileSize > 0;
        console.error(`[shopify-sim] bulk operation ${op.sequence} crashed:`, error);
      }
      op.completedAt = runtime.clock.now();
      op.urlExpiresAt = op.completedAt + RESULT_URL_TTL_MS;
      this.options.onFinished(runtime, op);
    })();
    this.running.add(task);
    void task.finally(() => this.running.delete(task));
  }

  private takeFailure(runtime: ShopRuntime): BulkFailurePlan | undefined {
    return this.failures.get(runtime)?.shift();
  }

  runQuery(runtime: ShopRuntime, query: string) {
    if (this.inProgress(runtime, "QUERY").length >= MAX_CONCURRENT_BULK_OPERATIONS) {
      return { userErrors: [{ field: null, code: "LIMIT_REACHED", message: `A maximum of ${MAX_CONCURRENT_BULK_OPERATIONS} bulk queries can run at the same time for this app and shop.` }] };
    }
    const prepared = prepareOperation(query);
    if ("errors" in prepared) {
      return { userErrors: [{ field: ["query"], code: "INVALID", message: `Invalid bulk query: ${prepared.errors[0].message}` }] };
    }
    if (prepared.operation.operation !== "query") {
      return { userErrors: [{ field: ["query"], code: "INVALID", message: "Bulk queries must be queries." }] };
    }
    const rootFields = prepared.operation.selectionSet.selections.filter((s) => s.kind === Kind.FIELD);
    const root = rootFields[0];
    if (rootFields.length !== 1 || root.kind !== Kind.FIELD || !["customers", "orders", "products"].includes(root.name.value)) {
      const name = root && root.kind === Kind.FIELD ? root.name.value : "?";
      return {
        userErrors: [{
          field: ["query"], code: "INVALID",
          message: name === "node" || name === "nodes"
            ? "Bulk queries cannot contain a top level `node` or `nodes` field."
            : "The Shopify simulator runs bulk queries whose single root field is customers, orders or products.",
        }],
      };
    }
    const shapeError = bulkQueryShapeError(prepared.document);
    if (shapeError) return { userErrors: [{ field: ["query"], code: "INVALID", message: shapeError }] };
    const op = this.create(runtime, "QUERY", query);
    const failure = this.takeFailure(runtime);
    const args: Record<string, unknown> = {};
    for (const arg of root.arguments ?? []) args[arg.name.value] = valueFromASTUntyped(arg.value);
    this.start(runtime, op, () => this.executeQuery(runtime, op, prepared, root.name.value as ConnectionRoot, args, failure));
    return { operation: this.view(runtime, op.sequence)!, userErrors: [] };
  }

  private rootRows(runtime: ShopRuntime, root: ConnectionRoot, args: Record<string, unknown>): number[] {
    const sortKey = args.sortKey as string | undefined;
    const sorted = root === "customers" ? customerSorted(runtime, sortKey) : root === "orders" ? orderSorted(runtime, sortKey) : productSorted(runtime, sortKey);
    const schema = root === "customers" ? customerSearch(runtime.store) : root === "orders" ? orderSearch(runtime.store) : productSearch(runtime.store);
    const { matches } = compileSearch(args.query as string | undefined, schema);
    const rows: number[] = [];
    const n = sorted.length;
    for (let k = 0; k < n; k++) {
      const row = sorted.rowAt(args.reverse ? n - 1 - k : k);
      if (matches(row)) rows.push(row);
    }
    return rows;
  }

  private async executeQuery(
    runtime: ShopRuntime, op: BulkOperationRecord, prepared: Exclude<ReturnType<typeof prepareOperation>, { errors: unknown }>,
    root: ConnectionRoot, args: Record<string, unknown>, failure: BulkFailurePlan | undefined,
  ) {
    if (failure?.errorCode === "ACCESS_DENIED") {
      op.status = "FAILED";
      op.errorCode = "ACCESS_DENIED";
      return;
    }
    const rows = this.rootRows(runtime, root, args);
    const stopAfter = failure ? Math.min(rows.length, failure.afterRootObjects ?? Math.floor(rows.length / 2)) : rows.length;
    const rootKey = (prepared.operation.selectionSet.selections[0] as { alias?: { value: string }; name: { value: string } });
    const key = rootKey.alias?.value ?? rootKey.name.value;
    // The query is planned once; each chunk's lines are then written without graphql-js (bulk-jsonl.ts).
    const compiled = this.options.executor === "graphql-js" ? null : compileBulkQuery(loadAdminSchema(), prepared);
    // Per operation: another operation's chunk may run while this one awaits graphql-js.
    const lines = new JsonlChunk();
    for (let from = 0; from < stopAfter; from += ROOT_CHUNK) {
      if (op.status === "CANCELING") {
        op.status = "CANCELED";
        return;
      }
      const chunk = rows.slice(from, Math.min(stopAfter, from + ROOT_CHUNK));
      const ctx: ResolverContext = {
        runtime, bulk: { rootRows: chunk }, searchWarnings: [], bulkService: this, baseUrl: this.options.baseUrl(),
      };
      let written: { roots: number; objects: number } | null = null;
      if (compiled) {
        try {
          written = compiled.writeChunk(ctx, lines);
        } catch {
          // Whatever the compiled path does not model, graphql-js answers (data or error), as before.
          lines.clear();
          ctx.searchWarnings.length = 0;
        }
      }
      const byGraphqlJs = !written;
      if (!written) {
        const result = await runPrepared(prepared, {}, ctx);
        if (result.errors?.length) throw new Error(`bulk query failed: ${result.errors[0].message}`);
        const connection = (result.data as Record<string, unknown>)[key] as Record<string, unknown>;
        written = { roots: 0, objects: 0 };
        for (const node of connectionItems(connection)) {
          written.roots++;
          written.objects += flattenObject(node, null, lines);
        }
      }
      op.chunks ??= { compiled: 0, graphqlJs: 0 };
      if (byGraphqlJs) op.chunks.graphqlJs++;
      else op.chunks.compiled++;
      op.rootObjectCount += written.roots;
      op.objectCount += written.objects;
      if (lines.size) this.append(runtime, op, lines);
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (failure) {
      op.status = "FAILED";
      op.errorCode = failure.errorCode;
      op.partial = true;
      return;
    }
    op.status = "COMPLETED";
  }

  runMutation(runtime: ShopRuntime, mutation: string, stagedUploadPath: string, _clientIdentifier: string | null) {
    if (this.inProgress(runtime, "MUTATION").length >= MAX_CONCURRENT_BULK_OPERATIONS) {
      return { userErrors: [{ field: null, code: "LIMIT_REACHED", message: `A maximum of ${MAX_CONCURRENT_BULK_OPERATIONS} bulk mutations can run at the same time for this app and shop.` }] };
    }
    const upload = runtime.stagedUploads.get(stagedUploadPath);
    if (!upload || upload.content === null) {
      return { userErrors: [{ field: ["stagedUploadPath"], code: "NO_SUCH_FILE", message: `The JSONL file could not be found. Try uploading the file again, and check that you've entered the URL correctly for the stagedUploadPath mutation argument.` }] };
    }
    const prepared = prepareOperation(mutation);
    if ("errors" in prepared || prepared.operation.operation !== "mutation") {
      const detail = "errors" in prepared ? prepared.errors[0].message : "not a mutation";
      return { userErrors: [{ field: ["mutation"], code: "INVALID_MUTATION", message: `Invalid mutation: ${detail}` }] };
    }
    const op = this.create(runtime, "MUTATION", mutation);
    const failure = this.takeFailure(runtime);
    const content = upload.content;
    this.start(runtime, op, async () => {
      if (failure?.errorCode === "ACCESS_DENIED") {
        op.status = "FAILED";
        op.errorCode = "ACCESS_DENIED";
        return;
      }
      const inputLines = content.split("\n");
      if (inputLines[inputLines.length - 1] === "") inputLines.pop();
      const stopAfter = failure ? Math.min(inputLines.length, failure.afterRootObjects ?? Math.floor(inputLines.length / 2)) : inputLines.length;
      const out = new JsonlChunk();
      for (let lineNumber = 0; lineNumber < stopAfter; lineNumber++) {
        if (op.status === "CANCELING") {
          if (out.size) this.append(runtime, op, out);
          op.status = "CANCELED";
          return;
        }
        let variables: Record<string, unknown>;
        try {
          variables = JSON.parse(inputLines[lineNumber]) as Record<string, unknown>;
        } catch {
          out.push(JSON.stringify({ errors: [{ message: `Invalid JSON on line ${lineNumber + 1} of the staged upload` }], __lineNumber: lineNumber }));
          op.objectCount++;
          continue;
        }
        const ctx: ResolverContext = { runtime, searchWarnings: [], bulkService: this, baseUrl: this.options.baseUrl() };
        const result = await runPrepared(prepared, variables, ctx);
        const line: Record<string, unknown> = {};
        if (result.errors?.length) line.errors = result.errors.map((e) => ({ message: e.message, path: e.path }));
        if (result.data) line.data = result.data;
        line.__lineNumber = lineNumber;
        out.push(JSON.stringify(line));
        op.objectCount++;
        op.rootObjectCount++;
        if (out.count >= ROOT_CHUNK) {
          this.append(runtime, op, out);
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      if (out.size) this.append(runtime, op, out);
      if (failure) {
        op.status = "FAILED";
        op.errorCode = failure.errorCode;
        op.partial = true;
        return;
      }
      op.status = "COMPLETED";
    });
    return { operation: this.view(runtime, op.sequence)!, userErrors: [] };
  }

  cancel(runtime: ShopRuntime, sequence: number) {
    const op = runtime.bulkOperations[sequence];
    if (!op) return { userErrors: [{ field: ["id"], message: "Bulk operation does not exist" }] };
    if (op.status !== "CREATED" && op.status !== "RUNNING") {
      return { operation: this.view(runtime, sequence)!, userErrors: [{ field: null, message: `A bulk operation cannot be canceled when it is ${op.status.toLowerCase()}` }] };
    }
    op.status = "CANCELING";
    return { operation: this.view(runtime, sequence)!, userErrors: [] };
  }

  current(runtime: ShopRuntime, type: "QUERY" | "MUTATION") {
    const ops = runtime.bulkOperations.filter((op) => op.type === type);
    return ops.length ? this.view(runtime, ops[ops.length - 1].sequence) : null;
  }

  /** Signed, expiring download URL of an operation's JSONL. */
  resultUrl(runtime: ShopRuntime, op: BulkOperationRecord): string {
    const expires = Math.floor(op.urlExpiresAt / 1000);
    const path = `/bulk-results/${runtime.store.shop.domain}/${op.sequence}.jsonl`;
    const signature = createHmac("sha256", this.options.urlSecret).update(`${path}:${expires}`).digest("hex");
    return `${this.options.baseUrl()}${path}?Expires=${expires}&Signature=${signature}`;
  }

  /** Checks a download request; returns the JSONL or the reason it is refused. */
  download(runtime: ShopRuntime, sequence: number, path: string, query: URLSearchParams): { file: string; size: number } | { status: number; reason: string } {
    const op = runtime.bulkOperations[sequence];
    const expires = Number(query.get("Expires"));
    const expected = createHmac("sha256", this.options.urlSecret).update(`${path}:${expires}`).digest("hex");
    if (!op || query.get("Signature") !== expected) return { status: 403, reason: "SignatureDoesNotMatch" };
    if (runtime.clock.now() >= op.urlExpiresAt || runtime.clock.now() / 1000 >= expires) return { status: 400, reason: "ExpiredToken" };
    if (!op.resultPath) return { status: 404, reason: "NoSuchKey" };
    return { file: op.resultPath, size: op.fileSize };
  }

  view(runtime: ShopRuntime, sequence: number) {
    const op = runtime.bulkOperations[sequence];
    if (!op) return null;
    const done = op.status === "COMPLETED" || op.status === "FAILED" || op.status === "CANCELED";
    const expired = done && runtime.clock.now() >= op.urlExpiresAt;
    const hasData = op.objectCount > 0;
    return {
      __typename: "BulkOperation",
      id: globalId("BulkOperation", op.sequence),
      type: op.type,
      status: expired ? "EXPIRED" : op.status,
      errorCode: op.errorCode,
      query: op.query,
      createdAt: isoDateTime(op.createdAt),
      completedAt: op.completedAt === null ? null : isoDateTime(op.completedAt),
      objectCount: String(op.objectCount),
      rootObjectCount: String(op.rootObjectCount),
      fileSize: done && hasData ? String(op.fileSize) : null,
      url: op.status === "COMPLETED" && hasData && !expired ? this.resultUrl(runtime, op) : null,
      partialDataUrl: op.status === "FAILED" && op.partial && hasData && !expired ? this.resultUrl(runtime, op) : null,
    };
  }
}

/** Shopify's bulk query limits: at most 5 connections, nested at most 2 levels deep. */
export const MAX_BULK_CONNECTIONS = 5;
export const MAX_BULK_CONNECTION_DEPTH = 2;

function bulkQueryShapeError(document: DocumentNode): string | null {
  const schema = loadAdminSchema();
  const typeInfo = new TypeInfo(schema);
  let connections = 0;
  let depth = 0;
  let maxDepth = 0;
  const isConnection = () => {
    const type = typeInfo.getType();
    return Boolean(type && /Connection$/.test(getNamedType(type)!.name));
  };
  const stack: boolean[] = [];
  visit(document, visitWithTypeInfo(typeInfo, {
    Field: {
      enter() {
        const connection = isConnection();
        stack.push(connection);
        if (connection) {
          connections++;
          depth++;
          maxDepth = Math.max(maxDepth, depth);
        }
      },
      leave() {
        if (stack.pop()) depth--;
      },
    },
  }));
  if (connections > MAX_BULK_CONNECTIONS) return `Bulk queries cannot contain more than ${MAX_BULK_CONNECTIONS} connections (found ${connections}).`;
  if (maxDepth > MAX_BULK_CONNECTION_DEPTH) return `Bulk queries cannot contain connections nested more than ${MAX_BULK_CONNECTION_DEPTH} levels deep.`;
  return null;
}

function connectionItems(connection: Record<string, unknown> | null | undefined): Record<string, unknown>[] {
  if (!connection) return [];
  if (Array.isArray(connection.edges)) return (connection.edges as Record<string, unknown>[]).map((e) => e.node as Record<string, unknown>);
  if (Array.isArray(connection.nodes)) return connection.nodes as Record<string, unknown>[];
  return [];
}

function isConnectionValue(value: unknown): value is Record<string, unknown> {
  return Boolean(value) && typeof value === "object" && !Array.isArray(value) && (Array.isArray((value as Record<string, unknown>).edges) || Array.isArray((value as Record<string, unknown>).nodes));
}

/** Writes `node` as one line (connections removed) followed by its connection children; returns lines written. */
function flattenObject(node: Record<string, unknown>, parentId: string | null, lines: LineSink): number {
  const own: Record<string, unknown> = {};
  const children: Record<string, unknown>[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (isConnectionValue(value)) children.push(...connectionItems(value));
    else own[key] = value;
  }
  if (parentId !== null) own.__parentId = parentId;
  lines.push(JSON.stringify(own));
  let written = 1;
  const id = typeof node.id === "string" ? node.id : null;
  for (const child of children) {
    if (id === null) throw new GraphQLError("Bulk queries with nested connections must select the parent's id.");
    written += flattenObject(child, id, lines);
  }
  return written;
}


/**
 * One chunk's JSONL lines, encoded as UTF-8 as each line is pushed. A chunk's lines used to be
 * joined into one string per chunk: that large string, and the lines kept alive until then, were
 * a third of a 1M-order export (bench/RESULTS.md). The buffer is reused from chunk to chunk.
 */
export class JsonlChunk implements LineSink {
  private buffer = Buffer.allocUnsafe(1 << 20);
  /** Bytes written. */
  size = 0;
  /** Lines written. */
  count = 0;

  push(line: string) {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit: room for the whole line, so none is cut.
    const needed = this.size + 3 * line.length + 1;
    if (needed > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, 2 * this.buffer.length));
      this.buffer.copy(grown, 0, 0, this.size);
      this.buffer = grown;
    }
    this.size += this.buffer.write(line, this.size);
    this.buffer[this.size++] = 0x0a;
    this.count++;
  }

  bytes(): Buffer {
    return this.buffer.subarray(0, this.size);
  }

  clear() {
    this.size = 0;
    this.count = 0;
  }
}
