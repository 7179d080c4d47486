/**
 * The backfill's fast path on SQLite: its own better-sqlite3 connection to the same file, with
 * prepared statements reused for every row and one `db.transaction` per batch. Prisma's raw
 * queries cost tens of microseconds of query-interpreter work per statement and per parameter,
 * which capped the import at ~3k orders/s; here a row costs a few microseconds. The SQL
 * and its rules are the same as record-writer.ts (keyed upserts, stale-write guard, redacted
 * customers stay blank), and values are written in the exact format Prisma's adapter uses
 * (ISO timestamps with "+00:00", booleans as 0/1, decimals as text with NUMERIC affinity),
 * so Prisma reads these rows like its own. The batch and the SyncRun progress commit in one
 * transaction, as on the Prisma path.
 */
import Database from "better-sqlite3";
import type { CustomerRow, OrderLineRow, OrderWithLines, ProductRow } from "../records/record-rows";
import { CUSTOMER_PII_COLUMNS } from "./record-writer";
import { applySqliteConnectionPragmas, SQLITE_BUSY_TIMEOUT_MS } from "../../db/driver-adapter.server";

export interface BulkBatch {
  customers: CustomerRow[];
  products: ProductRow[];
  orders: OrderWithLines[];
  orphanLines: OrderLineRow[];
}

const ts = (d: Date | null | undefined) => (d ? d.toISOString().replace("Z", "+00:00") : null);

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
  { name: "Order_shop_customerShopifyId_idx", sql: `CREATE INDEX "Order_shop_customerShopifyId_idx" ON "Order"("shop", "customerShopifyId")` },
  { name: "OrderLine_shop_productShopifyId_idx", sql: `CREATE INDEX "OrderLine_shop_productShopifyId_idx" ON "OrderLine"("shop", "productShopifyId")` },
  { name: "OrderLine_orderId_idx", sql: `CREATE INDEX "OrderLine_orderId_idx" ON "OrderLine"("orderId")` },
];

export interface SqliteBatchWriterOptions {
  /**
   * Build the order tables' secondary indexes after the import instead of row by row, when
   * the Order table is empty (a first backfill; with rows of other shops or an earlier run the
   * app's queries need them throughout, so they stay). close() rebuilds them, and every writer
   * rebuilds missing ones when it opens, so a crash mid-import heals on the resumed run.
   */
  deferOrderIndexes?: boolean;
}

/** Pages of WAL (4 KiB each) after which a batch commit checkpoints: ~64 MB. */
const IMPORT_WAL_AUTOCHECKPOINT_PAGES = 16_384;

export class SqliteBatchWriter {
  private readonly db: Database.Database;
  private readonly upsertCustomer: Database.Statement;
  private readonly upsertProduct: Database.Statement;
  private readonly upsertOrder: Database.Statement;
  private readonly upsertLine: Database.Statement;
  private readonly findOrder: Database.Statement;
  private readonly progress: Database.Statement;
  private indexesDeferred = false;

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
    const customerColumns = [
      "shop", "shopifyId", "email", "firstName", "lastName", "phone", "emailMarketingState", "countryCode", "country", "provinceCode",
      "province", "city", "tags", "tagsAsOf", "numberOfOrders", "amountSpent", "shopifyRfmGroup", "predictedSpendTier", "shopifyCreatedAt",
      "shopifyUpdatedAt", "syncedAt",
    ];
    const set = (cols: string[], table: string, expr: (c: string) => string = (c) => `excluded."${c}"`) =>
      cols.filter((c) => c !== "shop" && c !== "shopifyId").map((c) => `"${c}" = ${expr(c)}`).join(", ");
    const stale = (table: string) => `WHERE "${table}"."shopifyUpdatedAt" IS NULL OR excluded."shopifyUpdatedAt" >= "${table}"."shopifyUpdatedAt"`;
    // Positional parameters: binding an argument list is cheaper than a named-parameter object
    // per row (no object to build, no name lookup per value).
    const values = (cols: string[]) => `(${cols.map(() => "?").join(", ")})`;
    const names = (cols: string[]) => cols.map((c) => `"${c}"`).join(", ");

    this.upsertCustomer = this.db.prepare(
      `INSERT INTO "Customer" (${names(customerColumns)}) VALUES ${values(customerColumns)} ON CONFLICT ("shop", "shopifyId") DO UPDATE SET ` +
        set(customerColumns, "Customer", (c) => (pii.has(c) ? `CASE WHEN "Customer"."redactedAt" IS NULL THEN excluded."${c}" ELSE NULL END` : `excluded."${c}"`)) +
        ` ${stale("Customer")}`,
    );
    const productColumns = ["shop", "shopifyId", "title", "productType", "vendor", "shopifyUpdatedAt"];
    this.upsertProduct = this.db.prepare(
      `INSERT INTO "Product" (${names(productColumns)}) VALUES ${values(productColumns)} ON CONFLICT ("shop", "shopifyId") DO UPDATE SET ${set(productColumns, "Product")} ${stale("Product")}`,
    );
    const orderColumns = [
      "shop", "shopifyId", "name", "customerShopifyId", "currencyCode", "totalPrice", "subtotalPrice", "totalRefunded", "netSales", "test", "sourceName",
      "channel", "firstVisitSource", "utmSource", "utmMedium", "utmCampaign", "shopifyCreatedAt", "processedAt", "cancelledAt",
      "shopifyUpdatedAt", "syncedAt",
    ];
    const keepIfNull = new Set(["subtotalPrice", "netSales", "channel", "firstVisitSource", "utmSource", "utmMedium", "utmCampaign"]);
    this.upsertOrder = this.db.prepare(
      `INSERT INTO "Order" (${names(orderColumns)}) VALUES ${values(orderColumns)} ON CONFLICT ("shop", "shopifyId") DO UPDATE SET ` +
        set(orderColumns, "Order", (c) => (keepIfNull.has(c) ? `COALESCE(excluded."${c}", "Order"."${c}")` : `excluded."${c}"`)) +
        ` ${stale("Order")} RETURNING "id"`,
    ).pluck();
    const lineColumns = ["shop", "orderId", "shopifyId", "productShopifyId", "title", "productType", "vendor", "quantity", "amount"];
    this.upsertLine = this.db.prepare(
      `INSERT INTO "OrderLine" (${names(lineColumns)}) VALUES ${values(lineColumns)} ON CONFLICT ("shop", "shopifyId") DO UPDATE SET ` +
        set(lineColumns, "OrderLine", (c) => (c === "productType" ? `COALESCE(excluded."productType", "OrderLine"."productType")` : `excluded."${c}"`)),
    );
    this.findOrder = this.db.prepare(`SELECT "id" FROM "Order" WHERE "shop" = ? AND "shopifyId" = ?`).pluck();
    this.restoreOrderIndexes();
    if (options.deferOrderIndexes && this.db.prepare(`SELECT NOT EXISTS (SELECT 1 FROM "Order")`).pluck().get() === 1) {
      this.db.transaction(() => {
        for (const index of DEFERRABLE_ORDER_INDEXES) this.db.exec(`DROP INDEX IF EXISTS "${index.name}"`);
      })();
      this.indexesDeferred = true;
    }
    this.progress = this.db.prepare(`UPDATE "SyncRun" SET "linesProcessed" = ?, "objectsDone" = "objectsDone" + ? WHERE "id" = ?`);
  }

  /**
   * Writes one batch and the run's progress atomically.
   * @returns line items whose order the database does not know (the caller reports them).
   */
  writeBatch(shop: string, batch: BulkBatch, progress: { runId: number; throughLine: number; roots: number }, now = new Date()): OrderLineRow[] {
    const synced = ts(now);
    const unknown: OrderLineRow[] = [];
    const writeLine = (l: OrderLineRow, orderId: number) =>
      this.upsertLine.run(shop, orderId, l.shopifyId, l.productShopifyId, l.title, l.productType, l.vendor, l.quantity, l.amount);
    const write = this.db.transaction(() => {
      for (const p of batch.products) {
        this.upsertProduct.run(shop, p.shopifyId, p.title, p.productType, p.vendor, ts(p.shopifyUpdatedAt));
      }
      for (const c of batch.customers) {
        this.upsertCustomer.run(
          shop, c.shopifyId, c.email, c.firstName, c.lastName, c.phone, c.emailMarketingState, c.countryCode, c.country, c.provinceCode,
          c.province, c.city, JSON.stringify(c.tags ?? []), ts(c.shopifyUpdatedAt), c.numberOfOrders ?? 0, c.amountSpent ?? "0", c.shopifyRfmGroup,
          c.predictedSpendTier, ts(c.shopifyCreatedAt), ts(c.shopifyUpdatedAt), synced,
        );
      }
      for (const { order: o, lines } of batch.orders) {
        const id = this.upsertOrder.get(
          shop, o.shopifyId, o.name, o.customerShopifyId, o.currencyCode, o.totalPrice, o.subtotalPrice, o.totalRefunded, o.netSales, o.test ? 1 : 0,
          o.sourceName, o.channel, o.firstVisitSource, o.utmSource, o.utmMedium, o.utmCampaign, ts(o.shopifyCreatedAt), ts(o.processedAt),
          ts(o.cancelledAt), ts(o.shopifyUpdatedAt), synced,
        ) as number | undefined;
        if (id === undefined) continue; // stale: the stored order is newer, keep its lines
        for (const l of lines) writeLine(l, id);
      }
      for (const l of batch.orphanLines) {
        const orderId = this.findOrder.get(shop, l.orderShopifyId) as number | undefined;
        if (orderId !== undefined) writeLine(l, orderId);
        else unknown.push(l);
      }
      // Roll the batch back: the caller reports the bad line and nothing half-written stays.
      if (unknown.length) throw new UnknownParentSignal();
      this.progress.run(progress.throughLine, progress.roots, progress.runId);
    });
    try {
      write();
    } catch (error) {
      if (!(error instanceof UnknownParentSignal)) throw error;
    }
    return unknown;
  }

  /** Creates whichever deferrable index is missing (a no-op when all exist). */
  private restoreOrderIndexes() {
    this.db.transaction(() => {
      for (const index of DEFERRABLE_ORDER_INDEXES) this.db.exec(index.sql.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS"));
    })();
  }

  close() {
    if (this.indexesDeferred) this.restoreOrderIndexes();
    // PASSIVE: never waits for the app's readers; whatever they still pin is copied by a later checkpoint.
    this.db.pragma("wal_checkpoint(PASSIVE)");
    this.db.close();
  }
}
