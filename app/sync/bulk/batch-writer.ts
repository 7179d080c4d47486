/**
 * The import's fast writers behind one face: SQLite's better-sqlite3 writer
 * (sqlite-batch-writer.ts) and PostgreSQL's column-array writer (postgres-batch-writer.ts).
 * Each writes a batch and the run's progress in one transaction, from rows built on this thread
 * or from values the parse thread prepared in the writer's layout.
 */
import type { BatchLayout, BatchValues, BulkBatch, PostgresBatchArrays, PreparedBatch } from "../store/batch-values";
import { PostgresBatchWriter } from "../store/postgres-batch-writer";
import { SqliteBatchWriter, type BatchWriteProgress, type UnknownParent } from "../store/sqlite-batch-writer";
import type { BulkImportOptions } from "./bulk-import";

export interface BulkBatchWriter {
  /** How the parse thread lays out a batch for this writer. */
  readonly layout: BatchLayout;
  writeBatch(shop: string, batch: BulkBatch, progress: BatchWriteProgress): Promise<UnknownParent[]>;
  writePrepared(shop: string, batch: PreparedBatch, progress: BatchWriteProgress): Promise<UnknownParent[]>;
  close(): void;
}

/**
 * The fast writer for the import's database: on SQLite only with its file (the native writer
 * opens its own connection; without one the import uses Prisma's raw upserts, record-writer.ts).
 */
export function createBulkBatchWriter(options: Pick<BulkImportOptions, "dialect" | "sqliteFile" | "prisma" | "resource">): BulkBatchWriter | null {
  if (options.dialect === "postgresql") {
    const writer = new PostgresBatchWriter(options.prisma);
    return {
      layout: "postgresql",
      writeBatch: (shop, batch, progress) => writer.writeBatch(shop, batch, progress),
      writePrepared: (shop, batch, progress) => writer.writeArrays(shop, batch as PostgresBatchArrays, progress),
      close: () => {},
    };
  }
  if (!options.sqliteFile) return null;
  const writer = new SqliteBatchWriter(options.sqliteFile, { deferOrderIndexes: options.resource === "orders" });
  return {
    layout: "sqlite",
    writeBatch: async (shop, batch, progress) => writer.writeBatch(shop, batch, progress),
    writePrepared: async (shop, batch, progress) => writer.writeValues(shop, batch as BatchValues, progress),
    close: () => writer.close(),
  };
}
