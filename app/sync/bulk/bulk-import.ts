/**
 * Imports one bulk operation's JSONL into the database in batches, each in one transaction
 * together with the run's progress (`SyncRun.linesProcessed`, `objectsDone`). A crash loses at
 * most the batch in flight; the next attempt skips the committed lines and carries on, and
 * because every write is an idempotent upsert, even a restart from line 1 creates no duplicates.
 * Batches are formed by batch-assembler.ts.
 *
 * With a raw JSONL source and a fast writer (SQLite's native writer, PostgreSQL's COPY
 * writer: batch-writer.ts) the lines are read, parsed and turned into rows on a second thread
 * while this one writes (parallel-import.ts); otherwise everything runs here.
 */
import type { Database } from "../../db.server";
import type { DatabaseConfig } from "../../db/database-url";
import type { BulkResource } from "../../shopify/documents/bulk-queries";
import type { SqlDialect } from "../store/sql-dialect";
import { BatchAssembler } from "./batch-assembler";
import { BatchCommitter } from "./batch-committer";
import { createBulkBatchWriter, type BulkBatchWriter } from "./batch-writer";
import { jsonlTextLines, readJsonlLines, type JsonlLine } from "./jsonl-lines";
import { importOnParseThread, startParseThread } from "./parallel-import";

export interface BatchProgress {
  /** Lines of the file committed so far (the resume point). */
  linesProcessed: number;
  /** Root objects committed in this batch. */
  objects: number;
  batchNumber: number;
}

/** The export as it arrives: chunks of its text (any boundaries), and the lines already committed. */
export interface JsonlSource {
  chunks: AsyncIterable<Uint8Array | string>;
  skipLines?: number;
}

export interface BulkImportOptions {
  prisma: Database;
  dialect: SqlDialect;
  shop: string;
  runId: number;
  resource: BulkResource;
  /** The export: raw (`jsonl`, which can be parsed on a second thread) or parsed lines. */
  jsonl?: JsonlSource;
  lines?: AsyncIterable<JsonlLine>;
  /** Root objects per transaction (default 1000). */
  batchSize?: number;
  /** Called after each committed batch; tests throw here to simulate a crash. */
  afterBatch?: (progress: BatchProgress) => void | Promise<void>;
  /** Stop cleanly between batches (worker shutdown). */
  signal?: AbortSignal;
  /** SQLite only: the database file, for the native batch writer (sqlite-batch-writer.ts). */
  sqliteFile?: string;
  /** PostgreSQL: the database, for the COPY batch writer's own connection (postgres-batch-writer.ts). */
  database?: DatabaseConfig;
}

export interface BulkImportResult {
  linesProcessed: number;
  objects: number;
  stopped: boolean;
  /** Whether the lines were parsed on a second thread (parallel-import.ts). */
  parseThread: boolean;
}

export async function importBulkJsonl(options: BulkImportOptions): Promise<BulkImportResult> {
  const writer = createBulkBatchWriter(options);
  try {
    const parseThread = writer && options.jsonl ? await startParseThread() : null;
    const result = parseThread ? await importOnParseThread(options, options.jsonl!, writer!, parseThread) : await importLines(options, writer);
    if (!result.stopped) await writer?.finish(options.shop, options.runId);
    return result;
  } finally {
    writer?.close();
  }
}

async function importLines(options: BulkImportOptions, writer: BulkBatchWriter | null): Promise<BulkImportResult> {
  const lines = options.lines ?? (options.jsonl && readJsonlLines(jsonlTextLines(options.jsonl.chunks), { skipLines: options.jsonl.skipLines }));
  if (!lines) throw new Error("importBulkJsonl needs `jsonl` or `lines`");
  const assembler = new BatchAssembler(options.resource, options.batchSize ?? 1000);
  const committer = new BatchCommitter(options, writer);
  for await (const line of lines) {
    const closed = assembler.add(line);
    if (closed) {
      await committer.commit(closed);
      if (options.signal?.aborted) return committer.result(assembler.lastLine, true, false);
    }
  }
  const last = assembler.finish();
  if (last) await committer.commit(last);
  return committer.result(assembler.lastLine, false, false);
}
