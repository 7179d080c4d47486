/**
 * The import on two threads: a parse thread (parse-worker.ts) reads the export, parses its
 * lines and prepares each batch's values in the writer's layout, while this thread only writes
 * them (one transaction per batch, with the run's progress: batch-writer.ts). Batches still commit one by
 * one in file order, so resuming, the stale guard and error reporting are those of the
 * single-thread import (bulk-import.ts), which remains the path when no thread can start or
 * SYNC_IMPORT_THREADS=0.
 *
 * Where the worker's code comes from (docs/decisions/013-import-parse-thread.md): the production
 * build emits it as its own file next to the server bundle (vite.config.ts);
 * in development and tests the TypeScript source is loaded through tsx.
 */
import { existsSync } from "node:fs";
import { log } from "../../log.server";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { BatchCommitter, unknownParent } from "./batch-committer";
import type { BulkBatchWriter } from "./batch-writer";
import type { BulkImportOptions, BulkImportResult, JsonlSource } from "./bulk-import";
import { JsonlFormatError } from "./jsonl-lines";
import { PARSE_WORKER_BUNDLE, type FromParseThread, type ToParseThread } from "./parse-thread-protocol";

const PARSE_WORKER_SOURCE = "parse-worker.ts";

/** A started parse thread: its messages in arrival order. */
export class ParseThread {
  private readonly inbox: FromParseThread[] = [];
  private waiting: (() => void) | null = null;
  private failure: Error | null = null;

  constructor(readonly worker: Worker) {
    worker.on("message", (message: FromParseThread) => this.deliver(message));
    worker.on("error", (error) => this.fail(error));
    worker.on("exit", (code) => this.fail(new Error(`the import's parse thread exited (code ${code})`)));
  }

  post(message: ToParseThread) {
    this.worker.postMessage(message);
  }

  async next(): Promise<FromParseThread> {
    while (this.inbox.length === 0) {
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
    return this.inbox.shift()!;
  }

  async stop() {
    this.worker.removeAllListeners("exit");
    await this.worker.terminate();
  }

  private deliver(message: FromParseThread) {
    this.inbox.push(message);
    this.wake();
  }

  private fail(error: Error) {
    this.failure ??= error;
    this.wake();
  }

  private wake() {
    const resolve = this.waiting;
    this.waiting = null;
    resolve?.();
  }
}

/**
 * The parse thread makes short-lived objects for every line (the parsed JSON, its row, its COPY
 * text): with V8's default young generation (16 MB) its scavenges took a fifth of its time, and
 * it is the import's busiest thread. 64 MB made the 300k-order PostgreSQL import 10–15 % faster
 * (bench/RESULTS.md, twentieth session); 32 and 128 MB did no better.
 */
const PARSE_THREAD_LIMITS = { maxYoungGenerationSizeMb: 64 };

/**
 * Starts a parse thread, or returns null (the caller imports on its own thread) when
 * SYNC_IMPORT_THREADS=0 or no worker code can be found or loaded.
 */
export async function startParseThread(): Promise<ParseThread | null> {
  if (process.env.SYNC_IMPORT_THREADS === "0") return null;
  let thread: ParseThread | null = null;
  try {
    const worker = createWorker();
    if (!worker) return null;
    thread = new ParseThread(worker);
    const first = await thread.next();
    if (first.type !== "ready") throw new Error(`unexpected first message from the parse thread: ${first.type}`);
    return thread;
  } catch (error) {
    log("warn", "import.single-thread", { reason: `the parse thread did not start (${(error as Error).message})` });
    await thread?.stop();
    return null;
  }
}

function createWorker(): Worker | null {
  // Names in variables: Vite would otherwise treat `new URL("…", import.meta.url)` as an asset to bundle.
  const bundleName = PARSE_WORKER_BUNDLE;
  const sourceName = PARSE_WORKER_SOURCE;
  const bundle = new URL(bundleName, import.meta.url);
  if (bundle.protocol === "file:" && existsSync(fileURLToPath(bundle))) return new Worker(bundle, { resourceLimits: PARSE_THREAD_LIMITS });
  const source = new URL(sourceName, import.meta.url);
  if (source.protocol !== "file:" || !existsSync(fileURLToPath(source))) return null;
  // Development and tests run TypeScript: the worker registers tsx's loader, then loads the source.
  const script = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(source.href)}); });`;
  return new Worker(script, { eval: true, resourceLimits: PARSE_THREAD_LIMITS });
}

/** A view on part of a larger buffer (a pooled read) is copied: a message would clone the whole buffer. */
function ownBytes(chunk: Uint8Array | string): Uint8Array | string {
  return typeof chunk === "string" || chunk.byteLength === chunk.buffer.byteLength ? chunk : chunk.slice();
}

export async function importOnParseThread(
  options: BulkImportOptions,
  jsonl: JsonlSource,
  writer: BulkBatchWriter,
  thread: ParseThread,
): Promise<BulkImportResult> {
  const committer = new BatchCommitter(options, writer);
  const chunks = jsonl.chunks[Symbol.asyncIterator]();
  let ended = false;
  try {
    thread.post({ type: "start", resource: options.resource, batchSize: options.batchSize ?? 1000, skipLines: jsonl.skipLines ?? 0, layout: writer.layout });
    for (;;) {
      const message = await thread.next();
      if (message.type === "more") {
        if (ended) continue;
        const chunk = await chunks.next();
        ended = chunk.done === true;
        thread.post(chunk.done ? { type: "end" } : { type: "chunk", chunk: ownBytes(chunk.value) });
      } else if (message.type === "batch") {
        const { throughLine, roots, nextLine } = message;
        const unknown = await writer.writePrepared(options.shop, message.values, { runId: options.runId, throughLine, roots });
        if (unknown.length) throw unknownParent(unknown[0], nextLine);
        await committer.committed(throughLine, roots);
        if (options.signal?.aborted) return committer.result(throughLine, true, true);
        thread.post({ type: "written" });
      } else if (message.type === "done") {
        return committer.result(message.lastLine, false, true);
      } else if (message.type === "failed") {
        throw message.lineNumber === null ? new Error(message.message) : new JsonlFormatError(message.lineNumber, message.message);
      }
    }
  } finally {
    await thread.stop();
    await chunks.return?.();
  }
}
