/**
 * Groups a bulk export's lines into batches of rows (bulk-import.ts commits each batch in one
 * transaction). JSONL layout (SHOPIFY.md §4): one object per line; a nested connection's items
 * are their own lines with `__parentId` = the parent's gid, after the parent but not
 * necessarily right after it. A batch ends only before a root line, so an order and the
 * children that follow it commit together; a child whose parent went out in an earlier batch
 * is an orphan line, attached by looking the order up when it is written.
 *
 * The same code runs on the import's own thread and on its parse thread (parse-worker.ts).
 */
import type { BulkResource } from "../../shopify/documents/bulk-queries";
import type { CustomerNode, LineItemNode, OrderNode, ProductNode } from "../../shopify/documents/record-selections";
import { customerRowFromNode, lineRowFromNode, orderRowFromNode, productRowFromNode } from "../records/from-graphql";
import { RecordFormatError, type CustomerRow, type OrderLineRow, type OrderWithLines, type ProductRow } from "../records/record-rows";
import type { BulkBatch } from "../store/batch-values";
import { JsonlFormatError, type JsonlLine } from "./jsonl-lines";

export interface AssembledBatch {
  batch: BulkBatch;
  /** Last line of the file in this batch: the resume point once it is committed. */
  throughLine: number;
  /** Root objects in the batch. */
  roots: number;
  /** The root line that closed the batch; null for the file's last batch. */
  nextLine: number | null;
}

export class BatchAssembler {
  // Maps: a gid listed twice in one batch is written once (one statement cannot update a row twice).
  private customers = new Map<string, CustomerRow>();
  private products = new Map<string, ProductRow>();
  private orders = new Map<string, OrderWithLines>();
  private orphanLines: OrderLineRow[] = [];
  private roots = 0;
  /** The last line handed out in a batch (or, when resumed, the last line committed before). */
  private closedLine = 0;
  private started = false;
  /** Last line read. */
  lastLine = 0;

  constructor(
    private readonly resource: BulkResource,
    private readonly batchSize: number,
  ) {}

  /** Adds a line; returns the batch it closed, if it is a root line and the batch was full. */
  add({ lineNumber, value }: JsonlLine): AssembledBatch | null {
    if (!this.started) {
      this.started = true;
      this.closedLine = lineNumber - 1; // resumed: the lines before were committed
    }
    let closed: AssembledBatch | null = null;
    try {
      const parentId = value.__parentId;
      if (parentId === undefined) {
        if (this.roots >= this.batchSize) closed = this.close(lineNumber);
        this.roots++;
        this.addRoot(value);
      } else {
        if (this.resource !== "orders") throw new RecordFormatError("__parentId", `unexpected child object in the ${this.resource} export`);
        const line = lineRowFromNode(value as unknown as LineItemNode, String(parentId));
        const parent = this.orders.get(line.orderShopifyId);
        if (parent) parent.lines.push(line);
        else this.orphanLines.push(line);
      }
    } catch (error) {
      if (error instanceof RecordFormatError) throw new JsonlFormatError(lineNumber, error.message);
      throw error;
    }
    this.lastLine = lineNumber;
    return closed;
  }

  /** The last batch, once every line was added; null when there is nothing left to commit. */
  finish(): AssembledBatch | null {
    return this.close(null);
  }

  private close(nextLine: number | null): AssembledBatch | null {
    if (this.lastLine <= this.closedLine) return null;
    const closed: AssembledBatch = {
      batch: { customers: [...this.customers.values()], products: [...this.products.values()], orders: [...this.orders.values()], orphanLines: this.orphanLines },
      throughLine: this.lastLine,
      roots: this.roots,
      nextLine,
    };
    this.customers = new Map();
    this.products = new Map();
    this.orders = new Map();
    this.orphanLines = [];
    this.roots = 0;
    this.closedLine = this.lastLine;
    return closed;
  }

  private addRoot(value: Record<string, unknown>) {
    if (this.resource === "customers") {
      const row = customerRowFromNode(value as unknown as CustomerNode);
      this.customers.set(row.shopifyId, row);
    } else if (this.resource === "products") {
      const row = productRowFromNode(value as unknown as ProductNode);
      this.products.set(row.shopifyId, row);
    } else {
      const order = orderRowFromNode(value as unknown as OrderNode);
      this.orders.set(order.shopifyId, { order, lines: [], linesComplete: false });
    }
  }
}
