/**
 * The import's fast writers behind one face: SQLite's better-sqlite3 writer
 * (sqlite-batch-writer.ts) and PostgreSQL's COPY writer (postgres-batch-writer.ts).
 * Each writes a batch and the run's progress in one transaction, from rows built on this thread
 * or from values the parse thread prepared in the writer's layout.
 */
import { postgresBulkPool } from "../../db/bulk-connections.server";
import type { BatchLayout, BatchValues, BulkBatch, PostgresBatchCopy, PreparedBatch } from "../store/batch-values";
import { PostgresBatchWriter } from "../store/postgres-batch-writer";
import { SqliteBatchWriter, type BatchWriteProgress, type UnknownParent } from "../store/sqlite-batch-writer";
import type { BulkImportOptions } from "./bulk-import";

export interface BulkBatchWriter {
  /** How the parse thread lays out a batch for this writer. */
  readonly layout: BatchLayout;
  writeBatch(shop: string, batch: BulkBatch, progress: BatchWriteProgress): Promise<UnknownParent[]>;
  writePrepared(shop: string, batch: PreparedBatch, progress: BatchWriteProgress): Promise<UnknownParent[]>;
  /** After the last batch of a complete import (not after a stopped or failed one). */
  finish(shop: string, runId: number): Promise<void>;
  close(): void;
}

/**
 * The fast writer for the import's database, when it can open its own connection: on SQLite
 * with the file, on PostgreSQL with the database's config (the bulk pool); otherwise the import
 * uses Prisma's raw upserts (record-writer.ts).
 */
export function createBulkBatchWriter(options: Pick<BulkImportOptions, "dialect" | "sqliteFile" | "database" | "resource" | "jsonl">): BulkBatchWriter | null {
  if (options.dialect === "postgresql") {
    if (options.database?.dialect !== "postgresql") return null;
    const writer = new PostgresBatchWriter(postgresBulkPool(options.database), {
      firstImport: options.resource === "orders",
      fromFirstLine: options.jsonl ? !options.jsonl.skipLines : undefined,
    });
    return {
      layout: "postgresql",
      writeBatch: (shop, batch, progress) => writer.writeBatch(shop, batch, progress),
      writePrepared: (shop, batch, progress) => writer.writeCopy(shop, batch as PostgresBatchCopy, progress),
      finish: (shop, runId) => writer.finish(shop, runId),
      close: () => {},
    };
  }
  if (!options.sqliteFile) return null;
  const writer = new SqliteBatchWriter(options.sqliteFile, {
    deferOrderIndexes: options.resource === "orders",
    deferCustomerIndexes: options.resource === "customers",
  });
  return {
    layout: "sqlite",
    writeBatch: async (shop, batch, progress) => writer.writeBatch(shop, batch, progress),
    writePrepared: async (shop, batch, progress) => writer.writeValues(shop, batch as BatchValues, progress),
    finish: async () => {},
    close: () => writer.close(),
  };
}
