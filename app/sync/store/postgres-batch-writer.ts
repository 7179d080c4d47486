/**
 * The backfill's fast path on PostgreSQL (docs/decisions/015-postgres-bulk-import.md):
 * a batch is a few dozen array literals, one per column (postgresBatchArrays), and each table is
 * written by one `INSERT … SELECT … FROM unnest(…) ON CONFLICT …` statement; the orders and their
 * line items by one statement together, the lines joined to the orders the statement wrote
 * (`RETURNING`), so a stale order keeps its stored lines without a round trip. Binding a column
 * as one text parameter instead of one parameter per value takes the per-value work out of the
 * driver: the import used to spend most of its time there (~5k orders/s; bench/RESULTS.md).
 *
 * The rules are those of record-writer.ts and sqlite-batch-writer.ts: keyed upserts, the
 * stale-write guard on shopifyUpdatedAt, redacted customers stay blank, a missing product type
 * keeps the stored one. The batch and the SyncRun progress commit in one transaction.
 */
import type { Database } from "../../db.server";
import {
  POSTGRES_CUSTOMER_COLUMNS, POSTGRES_LINE_COLUMNS, POSTGRES_ORDER_COLUMNS, POSTGRES_PRODUCT_COLUMNS, postgresBatchArrays,
  type BulkBatch, type PostgresBatchArrays, type PostgresColumn,
} from "./batch-values";
import { CUSTOMER_PII_COLUMNS } from "./record-writer";
import { postgresTimestamp } from "./sql-dialect";
import type { BatchWriteProgress, UnknownParent } from "./sqlite-batch-writer";

class UnknownParentSignal extends Error {}

/** A column: its name and its PostgreSQL type (text unless named). */
type Column = readonly [name: string, type?: string];

const columnsOf = (columns: readonly PostgresColumn<never>[]): readonly Column[] => columns.map(({ name, type }) => [name, type] as const);
const PRODUCT_COLUMNS = columnsOf(POSTGRES_PRODUCT_COLUMNS);
const CUSTOMER_COLUMNS = columnsOf(POSTGRES_CUSTOMER_COLUMNS);
const ORDER_COLUMNS = columnsOf(POSTGRES_ORDER_COLUMNS);
/** A line item's values start with its order's gid, which the statement turns into the order's row id. */
const LINE_COLUMNS = columnsOf(POSTGRES_LINE_COLUMNS);

const q = (name: string) => `"${name}"`;
const names = (columns: readonly Column[]) => columns.map(([name]) => q(name)).join(", ");
/** `unnest($3::text[], $4::numeric[], …) AS alias("a", "b", …)`, parameters numbered from `first`. */
const unnest = (columns: readonly Column[], first: number, alias: string) =>
  `unnest(${columns.map(([, type], i) => `$${first + i}::${type ?? "text"}[]`).join(", ")}) AS ${alias}(${names(columns)})`;
const updates = (columns: readonly string[], expression: (column: string) => string = (c) => `excluded.${q(c)}`) =>
  columns.filter((c) => c !== "shop" && c !== "shopifyId").map((c) => `${q(c)} = ${expression(c)}`).join(", ");
const stale = (table: string) =>
  `WHERE ${q(table)}."shopifyUpdatedAt" IS NULL OR excluded."shopifyUpdatedAt" >= ${q(table)}."shopifyUpdatedAt"`;

const pii = new Set<string>(CUSTOMER_PII_COLUMNS);
const keepIfNull = new Set(["subtotalPrice", "netSales", "channel", "firstVisitSource", "utmSource", "utmMedium", "utmCampaign"]);
const lineUpdates = updates(["orderId", ...LINE_COLUMNS.slice(1).map(([c]) => c)], (c) =>
  c === "productType" ? `COALESCE(excluded."productType", "OrderLine"."productType")` : `excluded.${q(c)}`,
);
const lineNames = names(LINE_COLUMNS.slice(1));

// $1 = shop, $2 = the batch's sync time, then one array per column.
const UPSERT_PRODUCTS =
  `INSERT INTO "Product" ("shop", ${names(PRODUCT_COLUMNS)}) SELECT $1, p.* FROM ${unnest(PRODUCT_COLUMNS, 2, "p")} ` +
  `ON CONFLICT ("shop", "shopifyId") DO UPDATE SET ${updates(PRODUCT_COLUMNS.map(([c]) => c))} ${stale("Product")}`;

const UPSERT_CUSTOMERS =
  `INSERT INTO "Customer" ("shop", ${names(CUSTOMER_COLUMNS)}, "syncedAt") SELECT $1, c.*, $2::timestamp(3) FROM ${unnest(CUSTOMER_COLUMNS, 3, "c")} ` +
  `ON CONFLICT ("shop", "shopifyId") DO UPDATE SET ${updates([...CUSTOMER_COLUMNS.map(([c]) => c), "syncedAt"], (c) =>
    pii.has(c) ? `CASE WHEN "Customer"."redactedAt" IS NULL THEN excluded.${q(c)} ELSE NULL END` : `excluded.${q(c)}`,
  )} ${stale("Customer")}`;

const LINES_FROM = 3 + ORDER_COLUMNS.length;
/** Orders, then the line items of the orders written (a stale order returns no row, so its lines stay as stored). */
const UPSERT_ORDERS_WITH_LINES =
  `WITH written AS (` +
  `INSERT INTO "Order" ("shop", ${names(ORDER_COLUMNS)}, "syncedAt") SELECT $1, o.*, $2::timestamp(3) FROM ${unnest(ORDER_COLUMNS, 3, "o")} ` +
  `ON CONFLICT ("shop", "shopifyId") DO UPDATE SET ${updates([...ORDER_COLUMNS.map(([c]) => c), "syncedAt"], (c) =>
    keepIfNull.has(c) ? `COALESCE(excluded.${q(c)}, "Order".${q(c)})` : `excluded.${q(c)}`,
  )} ${stale("Order")} RETURNING "id", "shopifyId") ` +
  `INSERT INTO "OrderLine" ("shop", "orderId", ${lineNames}) ` +
  `SELECT $1, written."id", ${LINE_COLUMNS.slice(1).map(([c]) => `l.${q(c)}`).join(", ")} FROM ${unnest(LINE_COLUMNS, LINES_FROM, "l")} ` +
  `JOIN written ON written."shopifyId" = l."orderShopifyId" ` +
  `ON CONFLICT ("shop", "shopifyId") DO UPDATE SET ${lineUpdates}`;

/** Line items whose order came in an earlier batch: attached to the stored order. */
const UPSERT_ORPHAN_LINES =
  `INSERT INTO "OrderLine" ("shop", "orderId", ${lineNames}) ` +
  `SELECT $1, o."id", ${LINE_COLUMNS.slice(1).map(([c]) => `l.${q(c)}`).join(", ")} FROM ${unnest(LINE_COLUMNS, 2, "l")} ` +
  `JOIN "Order" o ON o."shop" = $1 AND o."shopifyId" = l."orderShopifyId" ` +
  `ON CONFLICT ("shop", "shopifyId") DO UPDATE SET ${lineUpdates}`;

const UNKNOWN_PARENTS =
  `SELECT l."shopifyId", l."orderShopifyId" FROM unnest($2::text[], $3::text[]) AS l("orderShopifyId", "shopifyId") ` +
  `WHERE NOT EXISTS (SELECT 1 FROM "Order" o WHERE o."shop" = $1 AND o."shopifyId" = l."orderShopifyId")`;

export class PostgresBatchWriter {
  constructor(
    private readonly prisma: Database,
    /** Longest a batch's transaction may take; generous, as a batch is a few seconds at most. */
    private readonly transactionTimeoutMs = 120_000,
  ) {}

  writeBatch(shop: string, batch: BulkBatch, progress: BatchWriteProgress, now = new Date()): Promise<UnknownParent[]> {
    return this.writeArrays(shop, postgresBatchArrays(batch), progress, now);
  }

  /**
   * Writes one batch and the run's progress atomically.
   * @returns line items whose order the database does not know (then nothing of the batch is written).
   */
  async writeArrays(shop: string, batch: PostgresBatchArrays, progress: BatchWriteProgress, now = new Date()): Promise<UnknownParent[]> {
    const synced = postgresTimestamp(now);
    let unknown: UnknownParent[] = [];
    try {
      await this.prisma.$transaction(
        async (tx) => {
          // For this transaction only (set_config(…, true) = SET LOCAL, both in one round trip):
          // - its commit need not wait for the WAL flush: if the server crashes, the batch and its
          //   progress are lost together and the resumed import writes them again;
          // - no JIT: these statements are planned anew per batch and run once, so compiling
          //   them costs more than it saves.
          await tx.$queryRawUnsafe(`SELECT set_config('synchronous_commit', 'off', true), set_config('jit', 'off', true)`);
          if (batch.rows.orphanLines) {
            // Checked first so that a bad line rolls back before anything of its batch is written.
            const [orderGids, lineGids] = batch.orphanLines;
            unknown = (await tx.$queryRawUnsafe(UNKNOWN_PARENTS, shop, orderGids, lineGids)) as UnknownParent[];
            if (unknown.length) throw new UnknownParentSignal();
          }
          if (batch.rows.products) await tx.$executeRawUnsafe(UPSERT_PRODUCTS, shop, ...batch.products);
          if (batch.rows.customers) await tx.$executeRawUnsafe(UPSERT_CUSTOMERS, shop, synced, ...batch.customers);
          if (batch.rows.orders) await tx.$executeRawUnsafe(UPSERT_ORDERS_WITH_LINES, shop, synced, ...batch.orders, ...batch.lines);
          if (batch.rows.orphanLines) await tx.$executeRawUnsafe(UPSERT_ORPHAN_LINES, shop, ...batch.orphanLines);
          await tx.$executeRawUnsafe(
            `UPDATE "SyncRun" SET "linesProcessed" = $1, "objectsDone" = "objectsDone" + $2 WHERE "id" = $3`,
            progress.throughLine,
            progress.roots,
            progress.runId,
          );
        },
        { timeout: this.transactionTimeoutMs, maxWait: 30_000 },
      );
    } catch (error) {
      if (!(error instanceof UnknownParentSignal)) throw error;
    }
    return unknown;
  }
}
