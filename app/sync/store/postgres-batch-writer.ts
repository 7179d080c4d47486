/**
 * The backfill's fast path on PostgreSQL (docs/decisions/015-postgres-bulk-import.md, 032-copy-backfill-and-compiled-bulk-export.md):
 * a batch arrives as COPY text per table (postgresBatchCopy, built on the parse thread), is
 * streamed with `COPY … FROM STDIN` into temporary staging tables of this connection, and is
 * written to the real tables by one `INSERT … SELECT` per table; the orders and their line
 * items by one statement together, the lines joined to the orders the statement wrote
 * (`RETURNING`). It runs on the bulk pool's own `pg` connection (app/db/bulk-connections.server.ts),
 * not through Prisma, so no value passes through Prisma's query interpreter.
 *
 * Two forms of the same write:
 * - **plain inserts** while no row of the batch exists yet (a first import): PostgreSQL's
 *   upsert (speculative insertion) costs the server about a third more per row (bench/RESULTS.md);
 * - **upserts** (keyed on (shop, shopifyId), with the stale-write guard on shopifyUpdatedAt,
 *   redacted customers kept blank, a missing product type keeping the stored one: the rules of
 *   record-writer.ts and sqlite-batch-writer.ts) once any row turns out to exist. A plain insert
 *   that meets an existing row fails on the unique key (also when a webhook wrote it a moment
 *   ago), the batch rolls back whole, and is written again as upserts, as is the rest of the import.
 * Both write the same rows when nothing exists, so the choice never changes what is stored. The
 * batch and the SyncRun progress commit in one transaction.
 */
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import {
  ORDER_COLUMNS_KEPT_IF_MISSING, POSTGRES_CUSTOMER_COLUMNS, POSTGRES_LINE_COLUMNS, POSTGRES_ORDER_COLUMNS, POSTGRES_PRODUCT_COLUMNS, postgresBatchCopy,
  type BulkBatch, type PostgresBatchCopy, type PostgresColumn,
} from "./batch-values";
import { lineBuyerSql, linePurchasedAtSql } from "./line-purchase";
import { CUSTOMER_PII_COLUMNS } from "./record-writer";
import { attachFirstImport, openFirstImport, type ShopOrderTables } from "./postgres-shop-partitions";
import { postgresTimestamp } from "./sql-dialect";
import type { BatchWriteProgress, UnknownParent } from "./sqlite-batch-writer";

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

/**
 * Staging tables: temporary (this session's own, never WAL-logged), emptied at each commit.
 * Named so they cannot shadow a real table (pg_temp comes first in the search path).
 */
const STAGES = {
  products: { table: "ci_import_products", columns: PRODUCT_COLUMNS },
  customers: { table: "ci_import_customers", columns: CUSTOMER_COLUMNS },
  orders: { table: "ci_import_orders", columns: ORDER_COLUMNS },
  lines: { table: "ci_import_lines", columns: LINE_COLUMNS },
  orphanLines: { table: "ci_import_orphan_lines", columns: LINE_COLUMNS },
} as const;
type Stage = keyof typeof STAGES;

const CREATE_STAGES = Object.values(STAGES)
  .map(({ table, columns }) => `CREATE TEMP TABLE IF NOT EXISTS ${q(table)} (${columns.map(([name, type]) => `${q(name)} ${type ?? "text"}`).join(", ")}) ON COMMIT DELETE ROWS`)
  .join("; ");

const updates = (columns: readonly string[], expression: (column: string) => string = (c) => `excluded.${q(c)}`) =>
  columns.filter((c) => c !== "shop" && c !== "shopifyId").map((c) => `${q(c)} = ${expression(c)}`).join(", ");
const stale = (table: string) =>
  `WHERE ${q(table)}."shopifyUpdatedAt" IS NULL OR excluded."shopifyUpdatedAt" >= ${q(table)}."shopifyUpdatedAt"`;

const pii = new Set<string>(CUSTOMER_PII_COLUMNS);
const keepIfNull = new Set(ORDER_COLUMNS_KEPT_IF_MISSING);
/** What a line copies from its order (line-purchase.ts): not in the staged lines, taken from the order row. */
const LINE_PURCHASE_COLUMNS = ["buyerId", "purchasedAt"];
const lineUpsert = (lines: string) =>
  `ON CONFLICT ("shop", "shopifyId") DO UPDATE SET ${updates(["orderId", ...LINE_COLUMNS.slice(1).map(([c]) => c), ...LINE_PURCHASE_COLUMNS], (c) =>
    c === "productType" ? `COALESCE(excluded."productType", ${q(lines)}."productType")` : `excluded.${q(c)}`,
  )}`;
const lineNames = `${names(LINE_COLUMNS.slice(1))}, ${LINE_PURCHASE_COLUMNS.map(q).join(", ")}`;
const lineValues = (buyer: string, purchasedAt: string) => `${LINE_COLUMNS.slice(1).map(([c]) => `l.${q(c)}`).join(", ")}, ${buyer}, ${purchasedAt}`;
const stage = (name: Stage) => q(STAGES[name].table);

/** The tables a batch's orders go to: the shared ones, or a shop's first import's own (postgres-shop-partitions.ts). */
const SHARED_TABLES: ShopOrderTables = { orders: "Order", lines: "OrderLine" };

/**
 * The statements of one form (plain inserts, or upserts) into `tables`; $1 = shop, $2 = the
 * batch's sync time. Upserts need the tables' unique keys, so a first import's bare tables take
 * plain inserts only (nothing of the import can be in them twice: each batch commits with its
 * progress, and an import that starts again from its first line empties them).
 */
function statements(upsert: boolean, tables: ShopOrderTables) {
  const conflict = (clause: string) => (upsert ? ` ${clause}` : "");
  const orders = q(tables.orders);
  const lines = q(tables.lines);
  const lineConflict = conflict(lineUpsert(tables.lines));
  // Into the shared tables always as upserts (they are few); a bare table has no key to meet.
  const orphanConflict = tables === SHARED_TABLES ? ` ${lineUpsert(tables.lines)}` : "";
  return {
    products:
      `INSERT INTO "Product" ("shop", ${names(PRODUCT_COLUMNS)}) SELECT $1, p.* FROM ${stage("products")} p` +
      conflict(`ON CONFLICT ("shop", "shopifyId") DO UPDATE SET ${updates(PRODUCT_COLUMNS.map(([c]) => c))} ${stale("Product")}`),
    customers:
      `INSERT INTO "Customer" ("shop", ${names(CUSTOMER_COLUMNS)}, "syncedAt") SELECT $1, c.*, $2::timestamp(3) FROM ${stage("customers")} c` +
      conflict(
        `ON CONFLICT ("shop", "shopifyId") DO UPDATE SET ${updates([...CUSTOMER_COLUMNS.map(([c]) => c), "syncedAt"], (c) =>
          pii.has(c) ? `CASE WHEN "Customer"."redactedAt" IS NULL THEN excluded.${q(c)} ELSE NULL END` : `excluded.${q(c)}`,
        )} ${stale("Customer")}`,
      ),
    /**
     * Orders, then the line items of the orders written (a stale order returns no row, so its
     * lines stay as stored), with their order's buyer and purchase time as stored.
     */
    ordersWithLines:
      `WITH written AS (` +
      `INSERT INTO ${orders} ("shop", ${names(ORDER_COLUMNS)}, "syncedAt") SELECT $1, o.*, $2::timestamp(3) FROM ${stage("orders")} o` +
      conflict(
        `ON CONFLICT ("shop", "shopifyId") DO UPDATE SET ${updates([...ORDER_COLUMNS.map(([c]) => c), "syncedAt"], (c) =>
          keepIfNull.has(c) ? `COALESCE(excluded.${q(c)}, ${orders}.${q(c)})` : `excluded.${q(c)}`,
        )} ${stale(tables.orders)}`,
      ) +
      ` RETURNING "id", "shopifyId", ${lineBuyerSql(orders)} AS "buyer", ${linePurchasedAtSql(orders)} AS "purchasedAt") ` +
      `INSERT INTO ${lines} ("shop", "orderId", ${lineNames}) ` +
      `SELECT $1, written."id", ${lineValues(`written."buyer"`, `written."purchasedAt"`)} FROM ${stage("lines")} l JOIN written ON written."shopifyId" = l."orderShopifyId"` +
      lineConflict,
    /** Line items whose order came in an earlier batch: attached to the stored order. */
    orphanLines:
      `INSERT INTO ${lines} ("shop", "orderId", ${lineNames}) ` +
      `SELECT $1, o."id", ${lineValues(lineBuyerSql("o"), linePurchasedAtSql("o"))} FROM ${stage("orphanLines")} l ` +
      `JOIN ${orders} o ON o."shop" = $1 AND o."shopifyId" = l."orderShopifyId"` +
      orphanConflict,
    unknownParents:
      `SELECT l."shopifyId", l."orderShopifyId" FROM ${stage("orphanLines")} l ` +
      `WHERE NOT EXISTS (SELECT 1 FROM ${orders} o WHERE o."shop" = $1 AND o."shopifyId" = l."orderShopifyId")`,
  };
}
const PLAIN = statements(false, SHARED_TABLES);
const UPSERT = statements(true, SHARED_TABLES);

/** PostgreSQL's unique_violation. */
const UNIQUE_VIOLATION = "23505";

export class PostgresBatchWriter {
  /** Plain inserts until a row of the import turns out to exist; then upserts for the rest of it. */
  private upsert = false;
  /** Connections whose staging tables exist (the pool reuses its clients). */
  private static readonly staged = new WeakSet<pg.PoolClient>();

  /** Where the orders go, decided at the first batch: the shared tables, or the shop's own bare ones. */
  private tables: ShopOrderTables | undefined;
  /** A first import's plain inserts into its bare tables. */
  private bare: ReturnType<typeof statements> | null = null;

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: {
      upsert?: boolean;
      /**
       * An orders import: when it is the shop's first, it writes into the shop's own bare tables,
       * attached by `finish` (postgres-shop-partitions.ts).
       */
      firstImport?: boolean;
      /** The import reads its file from the first line (known for a raw file; a parsed source skips on its own). */
      fromFirstLine?: boolean;
    } = {},
  ) {
    this.upsert = options.upsert ?? false;
  }

  private async openTables(client: pg.PoolClient, shop: string, runId: number): Promise<void> {
    if (this.tables) return;
    let own: ShopOrderTables | null = null;
    if (this.options.firstImport) {
      // An import from the file's first line (or a run with none committed) starts over: what an
      // interrupted import left in the shop's tables is emptied. Otherwise the run carries on.
      const run = await client.query<{ linesProcessed: number }>(`SELECT "linesProcessed" FROM "SyncRun" WHERE "id" = $1`, [runId]);
      own = await openFirstImport(client, shop, { fromStart: this.options.fromFirstLine === true || !run.rows[0]?.linesProcessed });
    }
    this.tables = own ?? SHARED_TABLES;
    this.bare = own ? statements(false, own) : null;
  }

  /** After the import's last batch: a first import's tables are indexed and attached. */
  async finish(shop: string, runId: number): Promise<void> {
    if (!this.options.firstImport) return;
    const client = await this.pool.connect();
    try {
      await this.openTables(client, shop, runId);
    } finally {
      client.release();
    }
    await attachFirstImport(this.pool, shop);
  }

  /** Whether the writer has switched to upserts (a row of the import already existed). */
  get upserting(): boolean {
    return this.upsert;
  }

  writeBatch(shop: string, batch: BulkBatch, progress: BatchWriteProgress, now = new Date()): Promise<UnknownParent[]> {
    return this.writeCopy(shop, postgresBatchCopy(batch), progress, now);
  }

  /**
   * Writes one batch and the run's progress atomically.
   * @returns line items whose order the database does not know (then nothing of the batch is written).
   */
  async writeCopy(shop: string, batch: PostgresBatchCopy, progress: BatchWriteProgress, now = new Date()): Promise<UnknownParent[]> {
    const client = await this.pool.connect();
    let healthy = true;
    try {
      if (!PostgresBatchWriter.staged.has(client)) {
        await client.query(CREATE_STAGES);
        PostgresBatchWriter.staged.add(client);
      }
      await this.openTables(client, shop, progress.runId);
      for (;;) {
        try {
          return await this.transaction(client, shop, batch, progress, now);
        } catch (error) {
          if (this.upsert || this.bare || (error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
          // A row of this batch exists: write it again, and the rest of the import, as upserts.
          this.upsert = true;
        }
      }
    } catch (error) {
      healthy = false;
      throw error;
    } finally {
      // A connection that failed mid-COPY may be in any state: the pool drops it.
      client.release(healthy ? undefined : true);
    }
  }

  private async transaction(client: pg.PoolClient, shop: string, batch: PostgresBatchCopy, progress: BatchWriteProgress, now: Date): Promise<UnknownParent[]> {
    const synced = postgresTimestamp(now);
    const sql = this.bare ?? (this.upsert ? UPSERT : PLAIN);
    await client.query("BEGIN");
    try {
      // For this transaction only (set_config(…, true) = SET LOCAL, both in one round trip):
      // - its commit need not wait for the WAL flush: if the server crashes, the batch and its
      //   progress are lost together and the resumed import writes them again;
      // - no JIT: these statements are planned anew per batch and run once, so compiling
      //   them costs more than it saves.
      await client.query(`SELECT set_config('synchronous_commit', 'off', true), set_config('jit', 'off', true)`);
      if (batch.rows.orphanLines) {
        // Checked first so that a bad line rolls back before anything of its batch is written.
        await copyInto(client, "orphanLines", batch.orphanLines);
        const unknown = (await client.query<UnknownParent>(sql.unknownParents, [shop])).rows;
        if (unknown.length) {
          await client.query("ROLLBACK");
          return unknown;
        }
      }
      if (batch.rows.products) {
        await copyInto(client, "products", batch.products);
        await client.query(sql.products, [shop]);
      }
      if (batch.rows.customers) {
        await copyInto(client, "customers", batch.customers);
        await client.query(sql.customers, [shop, synced]);
      }
      if (batch.rows.orders) {
        await copyInto(client, "orders", batch.orders);
        if (batch.rows.lines) await copyInto(client, "lines", batch.lines);
        await client.query(sql.ordersWithLines, [shop, synced]);
      }
      if (batch.rows.orphanLines) await client.query(sql.orphanLines, [shop]);
      await client.query(`UPDATE "SyncRun" SET "linesProcessed" = $1, "objectsDone" = "objectsDone" + $2 WHERE "id" = $3`, [
        progress.throughLine,
        progress.roots,
        progress.runId,
      ]);
      await client.query("COMMIT");
      return [];
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    }
  }
}

async function copyInto(client: pg.PoolClient, name: Stage, text: string) {
  await pipeline(Readable.from([text]), client.query(copyFrom(`COPY ${stage(name)} FROM STDIN`)));
}
