/**
 * Imports one bulk operation's JSONL into the database in batches, each in one transaction
 * together with the run's progress (`SyncRun.linesProcessed`, `objectsDone`). A crash loses at
 * most the batch in flight; the next attempt skips the committed lines and carries on, and
 * because every write is an idempotent upsert, even a restart from line 1 creates no duplicates.
 *
 * JSONL layout (SHOPIFY.md §4): one object per line; a nested connection's items are their
 * own lines with `__parentId` = the parent's gid, after the parent but not necessarily right
 * after it. Batches end only before a root line, so an order and the children that follow it
 * commit together; a child whose parent was committed in an earlier batch is attached by
 * looking the order up.
 */
import type { Database } from "../../db.server";
import type { BulkResource } from "../../shopify/documents/bulk-queries";
import type { CustomerNode, LineItemNode, OrderNode, ProductNode } from "../../shopify/documents/record-selections";
import { customerRowFromNode, lineRowFromNode, orderRowFromNode, productRowFromNode } from "../records/from-graphql";
import { RecordFormatError, type CustomerRow, type OrderLineRow, type OrderWithLines, type ProductRow } from "../records/record-rows";
import { upsertCustomers, upsertOrders, upsertOrphanLines, upsertProducts } from "../store/record-writer";
import type { SqlDialect } from "../store/sql-dialect";
import { SqliteBatchWriter } from "../store/sqlite-batch-writer";
import { JsonlFormatError, type JsonlLine } from "./jsonl-lines";

export interface BatchProgress {
  /** Lines of the file committed so far (the resume point). */
  linesProcessed: number;
  /** Root objects committed in this batch. */
  objects: number;
  batchNumber: number;
}

export interface BulkImportOptions {
  prisma: Database;
  dialect: SqlDialect;
  shop: string;
  runId: number;
  resource: BulkResource;
  lines: AsyncIterable<JsonlLine>;
  /** Root objects per transaction (default 1000). */
  batchSize?: number;
  /** Called after each committed batch; tests throw here to simulate a crash. */
  afterBatch?: (progress: BatchProgress) => void | Promise<void>;
  /** Stop cleanly between batches (worker shutdown). */
  signal?: AbortSignal;
  /** SQLite only: the database file, for the native batch writer (sqlite-batch-writer.ts). */
  sqliteFile?: string;
}

export interface BulkImportResult {
  linesProcessed: number;
  objects: number;
  stopped: boolean;
}

export async function importBulkJsonl(options: BulkImportOptions): Promise<BulkImportResult> {
  const native =
    options.dialect === "sqlite" && options.sqliteFile
      ? new SqliteBatchWriter(options.sqliteFile, { deferOrderIndexes: options.resource === "orders" })
      : null;
  try {
    return await importLines(options, native);
  } finally {
    native?.close();
  }
}

function unknownParent(line: OrderLineRow) {
  return new RecordFormatError("__parentId", `line item ${line.shopifyId} names order ${line.orderShopifyId}, which the file never listed`);
}

async function importLines(options: BulkImportOptions, native: SqliteBatchWriter | null): Promise<BulkImportResult> {
  const batchSize = options.batchSize ?? 1000;
  // Maps: a gid listed twice in one batch is written once (one statement cannot update a row twice).
  let customers = new Map<string, CustomerRow>();
  let products = new Map<string, ProductRow>();
  let orders = new Map<string, OrderWithLines>();
  let orphanLines: OrderLineRow[] = [];
  let roots = 0;
  let lastLine = 0;
  let committedLine = 0;
  let objects = 0;
  let batchNumber = 0;

  const flush = async (throughLine: number) => {
    if (throughLine <= committedLine) return;
    const batchRoots = roots;
    const batch = { customers: [...customers.values()], products: [...products.values()], orders: [...orders.values()], orphanLines };
    customers = new Map();
    products = new Map();
    orders = new Map();
    orphanLines = [];
    roots = 0;
    if (native) {
      const unknown = native.writeBatch(options.shop, batch, { runId: options.runId, throughLine, roots: batchRoots });
      if (unknown.length) throw unknownParent(unknown[0]);
    } else {
      await options.prisma.$transaction(
        async (tx) => {
          const target = { db: tx, dialect: options.dialect };
          if (batch.products.length) await upsertProducts(target, options.shop, batch.products);
          if (batch.customers.length) await upsertCustomers(target, options.shop, batch.customers);
          if (batch.orders.length) await upsertOrders(target, options.shop, batch.orders);
          if (batch.orphanLines.length) {
            const unknown = await upsertOrphanLines(target, options.shop, batch.orphanLines);
            if (unknown.length) throw unknownParent(unknown[0]);
          }
          await tx.syncRun.update({
            where: { id: options.runId },
            data: { linesProcessed: throughLine, objectsDone: { increment: batchRoots } },
          });
        },
        { timeout: 120_000, maxWait: 30_000 },
      );
    }
    committedLine = throughLine;
    objects += batchRoots;
    batchNumber++;
    await options.afterBatch?.({ linesProcessed: throughLine, objects: batchRoots, batchNumber });
  };

  for await (const { lineNumber, value } of options.lines) {
    if (committedLine === 0 && lineNumber > 1) committedLine = lineNumber - 1; // resumed: lines before were committed
    const parentId = value.__parentId;
    try {
      if (parentId === undefined) {
        if (roots >= batchSize) {
          await flush(lastLine);
          if (options.signal?.aborted) return { linesProcessed: committedLine, objects, stopped: true };
        }
        roots++;
        addRoot(options.resource, value);
      } else {
        if (options.resource !== "orders") throw new RecordFormatError("__parentId", `unexpected child object in the ${options.resource} export`);
        const line = lineRowFromNode(value as unknown as LineItemNode, String(parentId));
        const parent = orders.get(line.orderShopifyId);
        if (parent) parent.lines.push(line);
        else orphanLines.push(line);
      }
    } catch (error) {
      if (error instanceof RecordFormatError) throw new JsonlFormatError(lineNumber, error.message);
      throw error;
    }
    lastLine = lineNumber;
  }
  await flush(lastLine);
  return { linesProcessed: Math.max(committedLine, lastLine), objects, stopped: false };

  function addRoot(resource: BulkResource, value: Record<string, unknown>) {
    if (resource === "customers") {
      const row = customerRowFromNode(value as unknown as CustomerNode);
      customers.set(row.shopifyId, row);
    } else if (resource === "products") {
      const row = productRowFromNode(value as unknown as ProductNode);
      products.set(row.shopifyId, row);
    } else {
      const order = orderRowFromNode(value as unknown as OrderNode);
      orders.set(order.shopifyId, { order, lines: [], linesComplete: false });
    }
  }
}
