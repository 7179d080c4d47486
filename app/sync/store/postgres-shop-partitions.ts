/**
 * A shop's orders on PostgreSQL live in partitions of their own (docs/decisions/057): `Order`
 * and `OrderLine` are partitioned by shop. A shop's first import writes into its two tables
 * while they are still detached and bare (no index, no foreign key, no trigger: a row costs
 * the server a third of what it costs in the indexed tables), then builds each index in one
 * sorted pass and attaches them (`attachFirstImport`). Until then the shop's orders are not in
 * `Order`: there is nothing to show before a first import ends anyway.
 *
 * Orders that webhooks wrote for the shop before its partitions are attached sit in the default
 * partitions; the attach moves them over, keeping the newer copy of an order as the import's
 * upserts would (record-writer.ts): the import's copy unless the webhook's is newer.
 */
import { createHash } from "node:crypto";
import type pg from "pg";
import { inPostgresTransaction } from "../../db/bulk-connections.server";
import { ORDER_COLUMNS_KEPT_IF_MISSING } from "./batch-values";

export interface ShopOrderTables {
  orders: string;
  lines: string;
}

/** The shop's partitions, named as the migration that introduced them names them (md5, 16 hex digits). */
export function shopOrderTables(shop: string): ShopOrderTables {
  const key = createHash("md5").update(shop).digest("hex").slice(0, 16);
  return { orders: `Order_shop_${key}`, lines: `OrderLine_shop_${key}` };
}

const q = (name: string) => `"${name}"`;

type Queryable = Pick<pg.PoolClient, "query">;

/** Whether `table` exists, and whether it is attached as a partition. */
async function tableState(db: Queryable, table: string): Promise<"missing" | "detached" | "attached"> {
  const { rows } = await db.query<{ relispartition: boolean | null }>(`SELECT c.relispartition FROM pg_class c WHERE c.oid = to_regclass($1)`, [q(table)]);
  if (!rows.length) return "missing";
  return rows[0].relispartition ? "attached" : "detached";
}

/**
 * The tables a shop's orders import writes into when it is the shop's first: its own bare
 * tables (created, or kept from an interrupted import of the same run; emptied when the import
 * starts again from its first line). Null when the shop's partitions are attached already:
 * then the import writes into `Order` and `OrderLine` as any later one.
 */
export async function openFirstImport(db: Queryable, shop: string, options: { fromStart: boolean }): Promise<ShopOrderTables | null> {
  const tables = shopOrderTables(shop);
  const state = await tableState(db, tables.orders);
  if (state === "attached") return null;
  if (state === "detached" && (await tableState(db, tables.lines)) === "detached") {
    if (options.fromStart) await db.query(`TRUNCATE ${q(tables.lines)}, ${q(tables.orders)}`);
    return tables;
  }
  // Missing (or half created by a crash between the two statements): created anew, in one transaction.
  await db.query("BEGIN");
  try {
    await db.query(`DROP TABLE IF EXISTS ${q(tables.lines)}, ${q(tables.orders)}`);
    // Same columns, defaults (the shared id sequences) and NOT NULLs; nothing else.
    await db.query(`CREATE TABLE ${q(tables.orders)} (LIKE "Order" INCLUDING DEFAULTS)`);
    await db.query(`CREATE TABLE ${q(tables.lines)} (LIKE "OrderLine" INCLUDING DEFAULTS)`);
    await db.query("COMMIT");
  } catch (error) {
    await db.query("ROLLBACK").catch(() => {});
    throw error;
  }
  return tables;
}

interface ParentIndex {
  name: string;
  definition: string;
  constraint: string | null;
  constraintDefinition: string | null;
}

/** The partitioned table's indexes, each to be built on a partition before it is attached. */
async function parentIndexes(db: Queryable, parent: string): Promise<ParentIndex[]> {
  const { rows } = await db.query<ParentIndex>(
    `SELECT ic.relname AS "name", pg_get_indexdef(i.indexrelid) AS "definition", co.conname AS "constraint", pg_get_constraintdef(co.oid) AS "constraintDefinition"
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid LEFT JOIN pg_constraint co ON co.conindid = i.indexrelid AND co.contype IN ('p', 'u')
      WHERE i.indrelid = to_regclass($1) ORDER BY ic.relname`,
    [q(parent)],
  );
  return rows;
}

/**
 * Each of the parent's indexes on the detached table, so that attaching it builds none (a
 * build inside the attach would hold the default partitions' lock for its whole time). Each
 * build commits on its own: an attach interrupted after some builds finds them.
 */
async function buildIndexes(pool: pg.Pool, parent: string, table: string): Promise<void> {
  const build = (sql: string) =>
    inPostgresTransaction(pool, "BEGIN", async (client) => {
      // A million rows' keys sorted in memory rather than in temporary files (2M lines' product
      // index: 7.5 s with 256 MB, 6.9 s with 1 GB, on 2 cores).
      await client.query(`SET LOCAL maintenance_work_mem = '1GB'`);
      await client.query(sql);
    });
  for (const [n, index] of (await parentIndexes(pool, parent)).entries()) {
    const name = `${table}_${n + 1}`;
    if (index.constraint) {
      if ((await tableState(pool, name)) === "missing") await build(`ALTER TABLE ${q(table)} ADD CONSTRAINT ${q(name)} ${index.constraintDefinition}`);
    } else {
      // "CREATE [UNIQUE] INDEX name ON ONLY public."Order" USING btree (…)": the same on the partition.
      const using = index.definition.slice(index.definition.indexOf(" USING "));
      const unique = /^CREATE UNIQUE INDEX/.test(index.definition) ? "UNIQUE " : "";
      await build(`CREATE ${unique}INDEX IF NOT EXISTS ${q(name)} ON ${q(table)}${using}`);
    }
  }
}

/**
 * Ends a shop's first import: builds the indexes of its detached tables, moves the orders
 * webhooks wrote meanwhile into them, and attaches them, so the shop's orders appear in `Order`
 * all at once. Does nothing when the shop has no detached tables (its partitions are attached,
 * or the import wrote into the shared tables).
 */
export async function attachFirstImport(pool: pg.Pool, shop: string): Promise<void> {
  const tables = shopOrderTables(shop);
  if ((await tableState(pool, tables.orders)) !== "detached") return;
  // One at a time: PostgreSQL sorts a large table's keys on parallel workers already.
  await buildIndexes(pool, "Order", tables.orders);
  await buildIndexes(pool, "OrderLine", tables.lines);

  const o = q(tables.orders);
  const l = q(tables.lines);
  await inPostgresTransaction(pool, "BEGIN", async (client) => {
    // Webhooks for a shop without partitions write into the default ones: held back for the
    // moment of the move (the attach itself needs this lock on them too).
    await client.query(`LOCK TABLE "Order_default", "OrderLine_default" IN ACCESS EXCLUSIVE MODE`);
    // The webhook's copy is newer: the import's copy and its lines give way.
    await client.query(
      `WITH gone AS (DELETE FROM ${o} b USING "Order_default" d WHERE d."shop" = $1 AND b."shopifyId" = d."shopifyId" ` +
        `AND d."shopifyUpdatedAt" IS NOT NULL AND (b."shopifyUpdatedAt" IS NULL OR b."shopifyUpdatedAt" < d."shopifyUpdatedAt") RETURNING b."id") ` +
        `DELETE FROM ${l} x USING gone WHERE x."orderId" = gone."id"`,
      [shop],
    );
    // The import's copy stays: what it lacks, the webhook's copy gives.
    await client.query(
      `UPDATE ${o} b SET ${ORDER_COLUMNS_KEPT_IF_MISSING.map((c) => `${q(c)} = COALESCE(b.${q(c)}, d.${q(c)})`).join(", ")} ` +
        `FROM "Order_default" d WHERE d."shop" = $1 AND d."shopifyId" = b."shopifyId"`,
      [shop],
    );
    // Orders only the webhooks know, and the newer copies, with their lines and row ids.
    await client.query(
      `WITH moved AS (INSERT INTO ${o} SELECT d.* FROM "Order_default" d WHERE d."shop" = $1 ` +
        `AND NOT EXISTS (SELECT 1 FROM ${o} b WHERE b."shopifyId" = d."shopifyId") RETURNING "id") ` +
        `INSERT INTO ${l} SELECT x.* FROM "OrderLine_default" x JOIN moved ON moved."id" = x."orderId" WHERE x."shop" = $1 ON CONFLICT DO NOTHING`,
      [shop],
    );
    await client.query(`DELETE FROM "OrderLine_default" WHERE "shop" = $1`, [shop]);
    await client.query(`DELETE FROM "Order_default" WHERE "shop" = $1`, [shop]);
    const value = client.escapeLiteral(shop);
    await client.query(`ALTER TABLE "Order" ATTACH PARTITION ${o} FOR VALUES IN (${value})`);
    await client.query(`ALTER TABLE "OrderLine" ATTACH PARTITION ${l} FOR VALUES IN (${value})`);
  });
  // The planner's statistics of the new tables now, not when autovacuum gets to them: the
  // first recompute reads them next (its load took 11.5 s at 1M orders without, bench/RESULTS.md).
  await pool.query(`ANALYZE ${o}, ${l}`);
}

/**
 * The statement that drops a shop's order partitions, attached or not (shop redaction): the rows
 * leave the database's files at once, where a DELETE would leave them until a vacuum. An
 * attached partition of `Order` is referenced by the lines' foreign key, so each is detached
 * before it is dropped, the lines first.
 */
export function dropShopOrderTablesSql(shop: string): string {
  const tables = shopOrderTables(shop);
  const drop = (parent: string, table: string) =>
    `IF (SELECT c.relispartition FROM pg_class c WHERE c.oid = to_regclass('${q(table)}')) THEN ALTER TABLE ${q(parent)} DETACH PARTITION ${q(table)}; END IF; ` +
    `DROP TABLE IF EXISTS ${q(table)};`;
  return `DO $$ BEGIN ${drop("OrderLine", tables.lines)} ${drop("Order", tables.orders)} END $$`;
}
