/**
 * The backfill's fast path on SQLite: its own better-sqlite3 connection to the same file, with
 * prepared multi-row statements reused for every chunk of rows and one `db.transaction` per
 * batch. Prisma's raw queries cost tens of microseconds of query-interpreter work per statement
 * and per parameter, which capped the import at ~3k orders/s; here a row costs a few
 * microseconds, and one statement step writes up to ~50 rows (a step per row took about a
 * third more CPU for the same rows: bench/RESULTS.md, sync section). The SQL and its rules
 * are the same as record-writer.ts (keyed upserts, stale-write guard, redacted
 * customers stay blank), and values are written in the exact format Prisma's adapter uses
 * (ISO timestamps with "+00:00", booleans as 0/1, decimals as text with NUMERIC affinity),
 * so Prisma reads these rows like its own. The batch and the SyncRun progress commit in one
 * transaction, as on the Prisma path.
 */
import Database from "better-sqlite3";
import { LINE_WIDTH, ORDER_COLUMNS_KEPT_IF_MISSING, batchValues, ts, type BatchValues, type BulkBatch } from "./batch-values";
import { lineBuyerSql, linePurchasedAtSql } from "./line-purchase";
import { CUSTOMER_PII_COLUMNS } from "./record-writer";
import { whenSqliteWriteLockFree } from "../../db/bulk-connections.server";
import { applySqliteConnectionPragmas, SQLITE_BUSY_TIMEOUT_MS } from "../../db/sqlite-pragmas";
import { LINES_ORDER_INDEX } from "../../snapshots/line-reader/line-reader-protocol";

export { ts, type BulkBatch } from "./batch-values";

class UnknownParentSignal extends Error {}

/**
 * The order tables' non-unique indexes, exactly as prisma/migrations creates them (a test
 * compares them with a migrated database). They serve the app's reads, not the import: its
 * upserts and parent lookups use the unique (shop, shopifyId) keys, which always stay. Keeping
 * these four up to date row by row was about a third of a first import's time; building them
 * once at the end sorts the rows instead.
 */
export const DEFERRABLE_ORDER_INDEXES: readonly { name: string; sql: string }[] = [
  { name: "Order_shop_shopifyCreatedAt_idx", sql: `CREATE INDEX "Order_shop_shopifyCreatedAt_idx" ON "Order"("shop", "shopifyCreatedAt")` },
  { name: "Order_shop_customerShopifyId_shopifyCreatedAt_idx", sql: `CREATE INDEX "Order_shop_customerShopifyId_shopifyCreatedAt_idx" ON "Order"("shop", "customerShopifyId", "shopifyCreatedAt")` },
  { name: "Order_shop_syncedAt_idx", sql: `CREATE INDEX "Order_shop_syncedAt_idx" ON "Order"("shop", "syncedAt")` },
  {
    name: "OrderLine_shop_productShopifyId_buyerId_purchasedAt_idx",
    sql: `CREATE INDEX "OrderLine_shop_productShopifyId_buyerId_purchasedAt_idx" ON "OrderLine"("shop", "productShopifyId", "buyerId", "purchasedAt")`,
  },
  { name: "OrderLine_orderId_idx", sql: `CREATE INDEX "OrderLine_orderId_idx" ON "OrderLine"("orderId")` },
];

/**
 * The customers' non-unique indexes, as prisma/migrations creates them:
 * - the search terms' (shop, term, customerId). Customer's insert trigger writes about four terms
 *   per customer (decision 040), each landing at a random place in this index: on the 1M-order
 *   simulator shop (327k customers, 1.3M terms) it was about half of the customers' import
 *   (bench/RESULTS.md). The terms' primary key (customerId, term) grows at its end and stays.
 * - Customer's (shop, shopifyUpdatedAt) and (shop, deletedAt): a third of the remaining import
 *   (decision 053). The import's upserts use the unique (shop, shopifyId) key, which stays.
 */
export const DEFERRABLE_CUSTOMER_INDEXES: readonly { name: string; sql: string }[] = [
  { name: "CustomerSearchTerm_shop_term_customerId_idx", sql: `CREATE INDEX "CustomerSearchTerm_shop_term_customerId_idx" ON "CustomerSearchTerm"("shop", "term", "customerId")` },
  { name: "Customer_shop_shopifyUpdatedAt_idx", sql: `CREATE INDEX "Customer_shop_shopifyUpdatedAt_idx" ON "Customer"("shop", "shopifyUpdatedAt")` },
  { name: "Customer_shop_deletedAt_idx", sql: `CREATE INDEX "Customer_shop_deletedAt_idx" ON "Customer"("shop", "deletedAt")` },
];

/** Every index a first import writes without (built afterwards by sorting, not row by row). */
export const DEFERRABLE_INDEXES = [...DEFERRABLE_ORDER_INDEXES, ...DEFERRABLE_CUSTOMER_INDEXES];

/**
 * The one deferrable index the recompute's load reads: the lines in order (SQLITE_LINES_SQL).
 * Until it exists the line reader reads them in row order, which after an import is the same
 * order; the recompute builds it first only when a later write broke that order (decision 055).
 * The others serve pages only; the first analysis is switched in before they are built (decision 049).
 */
export const INDEXES_THE_ANALYSIS_READS = DEFERRABLE_ORDER_INDEXES.filter((index) => index.name === LINES_ORDER_INDEX);

/**
 * Builds whichever of `indexes` is missing, each in its own transaction (the write lock is held
 * for one index's sort at a time: up to ~5 s at 1M orders, under the other connections' busy
 * timeout), each once the write lock is free. Returns the names built; a no-op when all exist.
 */
export async function buildMissingIndexes(db: Database.Database, indexes: readonly { name: string; sql: string }[] = DEFERRABLE_INDEXES): Promise<string[]> {
  const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?`).pluck();
  const built: string[] = [];
  for (const index of indexes) {
    if (exists.get(index.name) !== undefined) continue;
    await whenSqliteWriteLockFree(db, () => db.exec(index.sql.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS")));
    built.push(index.name);
  }
  return built;
}

export interface SqliteBatchWriterOptions {
  /**
   * Write the order tables without their secondary indexes, when the Order table is empty (a
   * first backfill; with rows of other shops or an earlier run the app's queries need them
   * throughout, so they stay). The writer leaves them missing: the recompute the backfill queues
   * builds them, the one its load reads before the load and the rest after its switch
   * (buildMissingIndexes; decision 049), and the server builds any still missing when it starts.
   */
  deferOrderIndexes?: boolean;
  /** The same for the customers' indexes (DEFERRABLE_CUSTOMER_INDEXES), when the Customer table is empty. */
  deferCustomerIndexes?: boolean;
}

/** Pages of WAL (4 KiB each) after which a batch commit checkpoints: ~64 MB. */
const IMPORT_WAL_AUTOCHECKPOINT_PAGES = 16_384;

/**
 * A parameter of a multi-row statement: a column bound once per statement (the shop, the
 * batch's sync time: `@shop`, `@synced`) or one value per row (`?`).
 */
type ColumnSource = "shop" | "synced" | "row";

/**
 * `INSERT … VALUES (…), (…) …` for any number of rows, prepared once per row count and kept:
 * a batch uses the full-size statement for its chunks and one more for the remainder. The
 * rows' values go in one array (no spread, no array per row), in column order; the shop and
 * the sync time are bound once per statement.
 */
class MultiRowStatement {
  private readonly prepared = new Map<number, Database.Statement>();
  private readonly perRow: number;

  constructor(
    private readonly db: Database.Database,
    private readonly sources: readonly ColumnSource[],
    /** SQL around the VALUES list: `INSERT INTO … (…) VALUES ${values} ON CONFLICT …`. */
    private readonly template: (values: string) => string,
    /** Rows per full statement: about a thousand parameters, well under SQLite's 32,766. */
    readonly rowsPerStatement: number,
    private readonly returnsRows = false,
  ) {
    this.perRow = sources.filter((s) => s === "row").length;
  }

  /** The statement for `rows` rows (prepared on first use). */
  forRows(rows: number): Database.Statement {
    let statement = this.prepared.get(rows);
    if (!statement) {
      const tuple = `(${this.sources.map((s) => (s === "shop" ? "@shop" : s === "synced" ? "@synced" : "?")).join(", ")})`;
      statement = this.db.prepare(this.template(Array.from({ length: rows }, () => tuple).join(", ")));
      if (this.returnsRows) statement = statement.raw();
      this.prepared.set(rows, statement);
    }
    return statement;
  }

  /**
   * Writes `count` rows; `push(params, i)` appends row i's own values. Returns the rows the
   * statements returned (RETURNING), as value arrays.
   */
  write(shop: string, synced: string | null, count: number, push: (params: unknown[], i: number) => void): unknown[][] {
    const returned: unknown[][] = [];
    const named = { shop, synced };
    for (let start = 0; start < count; start += this.rowsPerStatement) {
      const rows = Math.min(this.rowsPerStatement, count - start);
      const params: unknown[] = [];
      for (let i = start; i < start + rows; i++) push(params, i);
      if (params.length !== rows * this.perRow) throw new Error(`expected ${this.perRow} values per row`);
      const statement = this.forRows(rows);
      if (this.returnsRows) for (const row of statement.all(params, named) as unknown[][]) returned.push(row);
      else statement.run(params, named);
    }
    return returned;
  }

  /** write() for rows already laid out one after another in `values` (perRow values each). */
  writeAll(shop: string, synced: string | null, values: unknown[]): unknown[][] {
    const width = this.perRow * this.rowsPerStatement;
    if (values.length <= width) return values.length ? this.run(shop, synced, values) : [];
    const returned: unknown[][] = [];
    for (let start = 0; start < values.length; start += width) {
      for (const row of this.run(shop, synced, values.slice(start, start + width))) returned.push(row);
    }
    return returned;
  }

  private run(shop: string, synced: string | null, params: unknown[]): unknown[][] {
    if (params.length % this.perRow !== 0) throw new Error(`expected ${this.perRow} values per row`);
    const statement = this.forRows(params.length / this.perRow);
    if (this.returnsRows) return statement.all(params, { shop, synced }) as unknown[][];
    statement.run(params, { shop, synced });
    return [];
  }
}

export interface BatchWriteProgress {
  runId: number;
  /** The file's lines committed with this batch (the resume point). */
  throughLine: number;
  /** Root objects in this batch. */
  roots: number;
}

/** A line item whose order is neither in its batch nor in the database. */
export interface UnknownParent {
  shopifyId: string;
  orderShopifyId: string;
}

export class SqliteBatchWriter {
  private readonly db: Database.Database;
  private readonly upsertCustomers: MultiRowStatement;
  private readonly upsertProducts: MultiRowStatement;
  private readonly upsertOrders: MultiRowStatement;
  private readonly upsertLines: MultiRowStatement;
  private readonly findOrder: Database.Statement;
  private readonly progress: Database.Statement;

  constructor(filePath: string, options: SqliteBatchWriterOptions = {}) {
    this.db = new Database(filePath, { timeout: SQLITE_BUSY_TIMEOUT_MS });
    // The app's settings (WAL, synchronous=NORMAL): with the default FULL every batch commit
    // would sync the log; NORMAL syncs only at checkpoints, still crash-safe in WAL mode.
    applySqliteConnectionPragmas(this.db);
    // WAL's default auto-checkpoint (1,000 pages, ~4 MB) fired on nearly every batch commit:
    // each copied the batch's pages back into the database file and synced it, about a third
    // of the import's time. Checkpointing every ~64 MB of log copies the hot index pages once
    // per many batches instead of once per batch; the log is checkpointed when this writer closes.
    this.db.pragma(`wal_autocheckpoint = ${IMPORT_WAL_AUTOCHECKPOINT_PAGES}`);
    // A bigger page cache for this connection only: the unique (shop, shopifyId) indexes of
    // tens of thousands of rows stay in memory while the batch is written.
    this.db.pragma("cache_size = -65536");
    const pii = new Set<string>(CUSTOMER_PII_COLUMNS);
    const sourceOf = (c: string): ColumnSource => (c === "shop" ? "shop" : c === "syncedAt" ? "synced" : "row");
    const set = (cols: string[], expr: (c: string) => string = (c) => `excluded."${c}"`) =>
      cols.filter((c) => c !== "shop" && c !== "shopifyId").map((c) => `"${c}" = ${expr(c)}`).join(", ");
    const stale = (table: string) => `WHERE "${table}"."shopifyUpdatedAt" IS NULL OR excluded."shopifyUpdatedAt" >= "${table}"."shopifyUpdatedAt"`;
    const names = (cols: string[]) => cols.map((c) => `"${c}"`).join(", ");
    const upsert = (table: string, cols: string[], update: string, rowsPerStatement: number, returning = "") =>
      new MultiRowStatement(
        this.db,
        cols.map(sourceOf),
        (values) => `INSERT INTO "${table}" (${names(cols)}) VALUES ${values} ON CONFLICT ("shop", "shopifyId") DO UPDATE SET ${update}${returning}`,
        rowsPerStatement,
        returning !== "",
      );

    const customerColumns = [
      "shop", "shopifyId", "email", "firstName", "lastName", "phone", "emailMarketingState", "countryCode", "country", "provinceCode",
      "province", "city", "tags", "tagsAsOf", "numberOfOrders", "amountSpent", "shopifyRfmGroup", "predictedSpendTier", "shopifyCreatedAt",
      "shopifyUpdatedAt", "syncedAt",
    ];
    this.upsertCustomers = upsert(
      "Customer",
      customerColumns,
      set(customerColumns, (c) => (pii.has(c) ? `CASE WHEN "Customer"."redactedAt" IS NULL THEN excluded."${c}" ELSE NULL END` : `excluded."${c}"`)) +
        ` ${stale("Customer")}`,
      50,
    );
    const productColumns = ["shop", "shopifyId", "title", "productType", "vendor", "shopifyUpdatedAt"];
    this.upsertProducts = upsert("Product", productColumns, `${set(productColumns)} ${stale("Product")}`, 200);
    const orderColumns = [
      "shop", "shopifyId", "name", "customerShopifyId", "currencyCode", "totalPrice", "subtotalPrice", "totalRefunded", "netSales", "test", "sourceName",
      "channel", "firstVisitSource", "utmSource", "utmMedium", "utmCampaign", "shopifyCreatedAt", "processedAt", "cancelledAt",
      "shopifyUpdatedAt", "syncedAt",
    ];
    const keepIfNull = new Set(ORDER_COLUMNS_KEPT_IF_MISSING);
    // RETURNING names each written order (a stale one returns nothing), so its lines get its id
    // and its buyer and purchase time as stored (a tombstoned order stays deleted).
    this.upsertOrders = upsert(
      "Order",
      orderColumns,
      set(orderColumns, (c) => (keepIfNull.has(c) ? `COALESCE(excluded."${c}", "Order"."${c}")` : `excluded."${c}"`)) + ` ${stale("Order")}`,
      50,
      ` RETURNING "id", "shopifyId", ${lineBuyerSql(`"Order"`)}, ${linePurchasedAtSql(`"Order"`)}`,
    );
    const lineColumns = ["shop", "orderId", "shopifyId", "productShopifyId", "title", "productType", "vendor", "quantity", "amount", "buyerId", "purchasedAt"];
    this.upsertLines = upsert(
      "OrderLine",
      lineColumns,
      set(lineColumns, (c) => (c === "productType" ? `COALESCE(excluded."productType", "OrderLine"."productType")` : `excluded."${c}"`)),
      125,
    );
    this.findOrder = this.db.prepare(`SELECT "id", ${lineBuyerSql("o")}, ${linePurchasedAtSql("o")} FROM "Order" o WHERE "shop" = ? AND "shopifyId" = ?`).raw();
    const empty = (table: string) => this.db.prepare(`SELECT NOT EXISTS (SELECT 1 FROM "${table}")`).pluck().get() === 1;
    const deferred = [
      ...(options.deferOrderIndexes && empty("Order") ? DEFERRABLE_ORDER_INDEXES : []),
      ...(options.deferCustomerIndexes && empty("Customer") ? DEFERRABLE_CUSTOMER_INDEXES : []),
    ];
    if (deferred.length) {
      this.db.transaction(() => {
        for (const index of deferred) this.db.exec(`DROP INDEX IF EXISTS "${index.name}"`);
      })();
    }
    this.progress = this.db.prepare(`UPDATE "SyncRun" SET "linesProcessed" = ?, "objectsDone" = "objectsDone" + ? WHERE "id" = ?`);
  }

  /**
   * Writes one batch and the run's progress atomically.
   * @returns line items whose order the database does not know (the caller reports them).
   */
  writeBatch(shop: string, batch: BulkBatch, progress: BatchWriteProgress, now = new Date()): UnknownParent[] {
    return this.writeValues(shop, batchValues(batch), progress, now);
  }

  /** writeBatch for values already laid out by batchValues (on the import's parse thread: parse-worker.ts). */
  writeValues(shop: string, values: BatchValues, progress: BatchWriteProgress, now = new Date()): UnknownParent[] {
    const synced = ts(now);
    const unknown: UnknownParent[] = [];
    const write = this.db.transaction(() => {
      const { products, customers, orders, lines, orphanLines } = values;
      this.upsertProducts.writeAll(shop, null, products);
      this.upsertCustomers.writeAll(shop, synced, customers);
      const written = this.upsertOrders.writeAll(shop, synced, orders);
      // [id, buyer, purchasedAt] of each written order, by gid.
      const orderOf = new Map<string, unknown[]>();
      for (const row of written) orderOf.set(row[1] as string, [row[0], row[2], row[3]]);
      // Each line item's values start with its order's gid, which becomes the order's row id.
      // A stale order (the stored one is newer) was not written: it keeps its stored lines.
      const lineAt: number[] = [];
      const lineOrders: unknown[][] = [];
      for (let k = 0; k < lines.length; k += LINE_WIDTH) {
        const order = orderOf.get(lines[k] as string);
        if (order === undefined) continue;
        lineAt.push(k);
        lineOrders.push(order);
      }
      const allLines = orphanLines.length ? lines.concat(orphanLines) : lines;
      for (let k = 0; k < orphanLines.length; k += LINE_WIDTH) {
        const orderShopifyId = orphanLines[k] as string;
        const order = this.findOrder.get(shop, orderShopifyId) as unknown[] | undefined;
        if (order === undefined) {
          unknown.push({ shopifyId: orphanLines[k + 1] as string, orderShopifyId });
        } else {
          lineAt.push(lines.length + k);
          lineOrders.push(order);
        }
      }
      // Roll the batch back: the caller reports the bad line and nothing half-written stays.
      if (unknown.length) throw new UnknownParentSignal();
      this.upsertLines.write(shop, null, lineAt.length, (v, i) => {
        const order = lineOrders[i];
        v.push(order[0]);
        for (let k = lineAt[i] + 1, end = lineAt[i] + LINE_WIDTH; k < end; k++) v.push(allLines[k]);
        v.push(order[1], order[2]);
      });
      this.progress.run(progress.throughLine, progress.roots, progress.runId);
    });
    try {
      write();
    } catch (error) {
      if (!(error instanceof UnknownParentSignal)) throw error;
    }
    return unknown;
  }

  close() {
    // PASSIVE: never waits for the app's readers; whatever they still pin is copied by a later checkpoint.
    this.db.pragma("wal_checkpoint(PASSIVE)");
    this.db.close();
  }
}
