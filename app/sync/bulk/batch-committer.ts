/**
 * Commits an import's batches in file order, each with the run's progress (bulk-import.ts),
 * and counts what is committed.
 */
import { RecordFormatError } from "../records/record-rows";
import { upsertCustomers, upsertOrders, upsertOrphanLines, upsertProducts } from "../store/record-writer";
import type { UnknownParent } from "../store/sqlite-batch-writer";
import type { BulkBatchWriter } from "./batch-writer";
import type { AssembledBatch } from "./batch-assembler";
import type { BulkImportOptions, BulkImportResult } from "./bulk-import";
import { JsonlFormatError } from "./jsonl-lines";

export class BatchCommitter {
  committedLine = 0;
  objects = 0;
  private batchNumber = 0;

  constructor(
    private readonly options: BulkImportOptions,
    private readonly writer: BulkBatchWriter | null,
  ) {}

  /** Writes a batch built on this thread. */
  async commit({ batch, throughLine, roots, nextLine }: AssembledBatch) {
    if (this.writer) {
      const unknown = await this.writer.writeBatch(this.options.shop, batch, { runId: this.options.runId, throughLine, roots });
      if (unknown.length) throw unknownParent(unknown[0], nextLine);
    } else {
      const { prisma, dialect, shop, runId } = this.options;
      await prisma.$transaction(
        async (tx) => {
          const target = { db: tx, dialect };
          if (batch.products.length) await upsertProducts(target, shop, batch.products);
          if (batch.customers.length) await upsertCustomers(target, shop, batch.customers);
          if (batch.orders.length) await upsertOrders(target, shop, batch.orders);
          if (batch.orphanLines.length) {
            const unknown = await upsertOrphanLines(target, shop, batch.orphanLines);
            if (unknown.length) throw unknownParent(unknown[0], nextLine);
          }
          await tx.syncRun.update({ where: { id: runId }, data: { linesProcessed: throughLine, objectsDone: { increment: roots } } });
        },
        { timeout: 120_000, maxWait: 30_000 },
      );
    }
    await this.committed(throughLine, roots);
  }

  /** Records a batch the caller wrote, and tells afterBatch. */
  async committed(throughLine: number, roots: number) {
    this.committedLine = throughLine;
    this.objects += roots;
    this.batchNumber++;
    await this.options.afterBatch?.({ linesProcessed: throughLine, objects: roots, batchNumber: this.batchNumber });
  }

  result(lastLine: number, stopped: boolean, parseThread: boolean): BulkImportResult {
    return { linesProcessed: stopped ? this.committedLine : Math.max(this.committedLine, lastLine), objects: this.objects, stopped, parseThread };
  }
}

/**
 * A line item naming an order the file never listed: reported at the root line whose batch
 * it was in (the file's last batch has none: then the bare record error).
 */
export function unknownParent(line: UnknownParent, nextLine: number | null): Error {
  const error = new RecordFormatError("__parentId", `line item ${line.shopifyId} names order ${line.orderShopifyId}, which the file never listed`);
  return nextLine === null ? error : new JsonlFormatError(nextLine, error.message);
}

