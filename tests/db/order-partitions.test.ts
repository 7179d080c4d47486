/**
 * PostgreSQL keeps each shop's orders and line items in partitions of their own
 * (docs/decisions/057-order-partitions-per-shop.md). A shop's first import writes into its own
 * bare tables and attaches them when it ends: nothing of it shows before, everything after, with
 * the orders webhooks wrote meanwhile (the newer copy of each, as the import's upserts would
 * keep it). The migration moves every stored order into its shop's partition; a shop/redact
 * drops the shop's tables, attached or not.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeBulkConnections } from "~/db/bulk-connections.server";
import { createPrismaClient, type Database } from "~/db.server";
import { importBulkJsonl } from "~/sync/bulk/bulk-import";
import { orderRowFromNode, lineRowFromNode } from "~/sync/records/from-graphql";
import { redactShop } from "~/sync/privacy/privacy";
import { shopOrderTables } from "~/sync/store/postgres-shop-partitions";
import { upsertOrders } from "~/sync/store/record-writer";
import { migrate } from "../../scripts/db/cli";
import { fixtureJsonl, gid, makeFixtureStore, type FixtureStore } from "../sync/fixtures/bulk-fixture";
import { createEmptyDatabase, createTestDatabase, TEST_DIALECTS, testSyncContext, type TestDatabase } from "./test-database";

const MIGRATION = "20261205233000_order_partitions_per_shop";
/** The first migration after it that changes the lines' columns: the rows are compared before it. */
const MIGRATION_AFTER = "20261206162034_line_buyer_customer_id";
const store = makeFixtureStore({ customers: 60, orders: 200, seed: 5 });
const orderLines = fixtureJsonl(store, "orders");

/** The shop's own order tables: missing, detached (a first import under way) or attached. */
async function ownTables(prisma: Database, shop: string) {
  const { orders, lines } = shopOrderTables(shop);
  const state = async (table: string) => {
    const [row] = await prisma.$queryRawUnsafe<{ attached: boolean | null }[]>(
      `SELECT (SELECT c.relispartition FROM pg_class c WHERE c.oid = to_regclass($1)) AS "attached"`,
      `"${table}"`,
    );
    return row.attached === null ? "missing" : row.attached ? "attached" : "detached";
  };
  return { orders: await state(orders), lines: await state(lines) };
}

/** The export's text as a download delivers it. */
async function* chunksOf(lines: readonly string[]): AsyncGenerator<string> {
  yield lines.join("\n") + "\n";
}

const count = async (prisma: Database, sql: string, ...values: unknown[]) => Number((await prisma.$queryRawUnsafe<{ n: bigint }[]>(sql, ...values))[0].n);

/** An order of the fixture as a webhook delivers it, with another total, time of change and line title. */
function webhookOrder(fixture: FixtureStore, index: number, change: { updatedAt: Date; total: string; title: string }) {
  const { order, lines } = fixture.orders[index];
  return {
    order: { ...orderRowFromNode(order), totalPrice: change.total, shopifyUpdatedAt: change.updatedAt },
    lines: lines.map((line) => ({ ...lineRowFromNode(line, order.id), title: change.title })),
    linesComplete: true,
  };
}

describe.runIf(TEST_DIALECTS.includes("postgresql"))("each shop's orders in partitions of their own on postgresql", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase("postgresql");
  });
  afterAll(async () => {
    await closeBulkConnections();
    await db?.drop();
  });

  const importOrders = (shop: string, runId: number, options: { skipLines?: number; crashAfterBatch?: number } = {}) =>
    importBulkJsonl({
      prisma: db.prisma,
      dialect: "postgresql",
      database: db.config,
      shop,
      runId,
      resource: "orders",
      jsonl: { chunks: chunksOf(orderLines), skipLines: options.skipLines ?? 0 },
      batchSize: 40,
      afterBatch: ({ batchNumber }) => {
        if (batchNumber === options.crashAfterBatch) throw new Error("worker killed");
      },
    });

  it("a first import shows no order until it ends, then all of them with those webhooks wrote meanwhile, the newer copy of each", async () => {
    const shop = "first-import.myshopify.com";
    const run = await db.prisma.syncRun.create({ data: { shop, kind: "backfill" } });
    await expect(importOrders(shop, run.id, { crashAfterBatch: 2 })).rejects.toThrow("worker killed");
    // 80 orders committed with the run's progress, in the shop's own tables, none shown yet.
    expect(await ownTables(db.prisma, shop)).toEqual({ orders: "detached", lines: "detached" });
    expect(await count(db.prisma, `SELECT count(*) AS n FROM "${shopOrderTables(shop).orders}"`)).toBe(80);
    expect(await db.prisma.order.count({ where: { shop } })).toBe(0);
    const progress = await db.prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(orderLines[progress.linesProcessed]).toContain(`"id":"${gid("Order", 81)}"`);

    // Webhooks meanwhile: order 10 (already imported) changed after the export; order 150 (still
    // to come) as it was before the export's copy; order 999 the export does not have.
    const target = { db: db.prisma, dialect: "postgresql" as const };
    const created10 = new Date(store.orders[9].order.createdAt);
    await upsertOrders(target, shop, [webhookOrder(store, 9, { updatedAt: new Date(created10.getTime() + 86_400_000), total: "777.00", title: "Changed after the export" })]);
    const created150 = new Date(store.orders[149].order.createdAt);
    await upsertOrders(target, shop, [webhookOrder(store, 149, { updatedAt: new Date(created150.getTime() - 60_000), total: "1.00", title: "Before the export" })]);
    const extra = makeFixtureStore({ customers: 60, orders: 1000, seed: 5 });
    await upsertOrders(target, shop, [webhookOrder(extra, 998, { updatedAt: new Date("2026-01-01T00:00:00Z"), total: "55.50", title: "Only a webhook knows it" })]);
    expect(await count(db.prisma, `SELECT count(*) AS n FROM "Order_default" WHERE "shop" = $1`, shop)).toBe(3);

    // The resumed import ends: the shop's tables are attached with all of it.
    await importBulkJsonl({
      prisma: db.prisma, dialect: "postgresql", database: db.config, shop, runId: run.id, resource: "orders",
      jsonl: { chunks: chunksOf(orderLines), skipLines: progress.linesProcessed }, batchSize: 40,
    });
    expect(await ownTables(db.prisma, shop)).toEqual({ orders: "attached", lines: "attached" });
    expect(await count(db.prisma, `SELECT count(*) AS n FROM "Order_default" WHERE "shop" = $1`, shop)).toBe(0);
    expect(await count(db.prisma, `SELECT count(*) AS n FROM "OrderLine_default" WHERE "shop" = $1`, shop)).toBe(0);
    expect(await db.prisma.order.count({ where: { shop } })).toBe(201);
    const extraLines = extra.orders[998].lines.length;
    expect(await db.prisma.orderLine.count({ where: { shop } })).toBe(store.lineCount + extraLines);

    const order10 = await db.prisma.order.findFirstOrThrow({ where: { shop, shopifyId: gid("Order", 10) }, include: { lines: true } });
    expect(order10.totalPrice.toString()).toBe("777");
    expect(order10.lines.map((l) => l.title)).toEqual(store.orders[9].lines.map(() => "Changed after the export"));
    const order150 = await db.prisma.order.findFirstOrThrow({ where: { shop, shopifyId: gid("Order", 150) }, include: { lines: true } });
    expect(order150.totalPrice.toString()).not.toBe("1");
    expect(order150.lines.map((l) => l.title)).toEqual(store.orders[149].lines.map((l) => l.title));
    const only = await db.prisma.order.findFirstOrThrow({ where: { shop, shopifyId: gid("Order", 999) }, include: { lines: true } });
    expect(only.lines.map((l) => l.title)).toEqual(extra.orders[998].lines.map(() => "Only a webhook knows it"));

    // Attached, the tables have their keys: the same file again (a later backfill) adds nothing,
    // and the order changed after the export keeps its newer copy.
    const again = await db.prisma.syncRun.create({ data: { shop, kind: "backfill" } });
    await importOrders(shop, again.id);
    expect(await db.prisma.order.count({ where: { shop } })).toBe(201);
    expect(await db.prisma.orderLine.count({ where: { shop } })).toBe(store.lineCount + extraLines);
    expect((await db.prisma.order.findFirstOrThrow({ where: { shop, shopifyId: gid("Order", 10) } })).totalPrice.toString()).toBe("777");

    // The database keeps the lines' purchase facts in step on the shop's partition too (decision 037).
    const cancelled = await db.prisma.order.update({ where: { id: order150.id }, data: { cancelledAt: new Date() } });
    const lines = await db.prisma.orderLine.findMany({ where: { shop, orderId: cancelled.id } });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.buyerId === null)).toBe(true);
  });

  it("an import that starts again from the first line empties what an interrupted one left", async () => {
    const shop = "restarted.myshopify.com";
    const first = await db.prisma.syncRun.create({ data: { shop, kind: "backfill" } });
    await expect(importOrders(shop, first.id, { crashAfterBatch: 3 })).rejects.toThrow("worker killed");
    expect(await count(db.prisma, `SELECT count(*) AS n FROM "${shopOrderTables(shop).orders}"`)).toBe(120);
    // The export expired: a new one, imported from its first line by a new run.
    const second = await db.prisma.syncRun.create({ data: { shop, kind: "backfill" } });
    await importOrders(shop, second.id);
    expect(await db.prisma.order.count({ where: { shop } })).toBe(200);
    expect(await db.prisma.orderLine.count({ where: { shop } })).toBe(store.lineCount);
    const cents = await db.prisma.$queryRawUnsafe<{ total: string }[]>(`SELECT SUM("totalPrice")::text AS "total" FROM "Order" WHERE "shop" = $1`, shop);
    expect(Math.round(Number(cents[0].total) * 100)).toBe(Number(store.totalCents));
  });

  it("a shop/redact drops the shop's order tables, attached or still being imported", async () => {
    const { ctx } = testSyncContext(db);
    const done = "redacted-done.myshopify.com";
    const run = await db.prisma.syncRun.create({ data: { shop: done, kind: "backfill" } });
    await importOrders(done, run.id);
    const halfway = "redacted-halfway.myshopify.com";
    const other = await db.prisma.syncRun.create({ data: { shop: halfway, kind: "backfill" } });
    await expect(importOrders(halfway, other.id, { crashAfterBatch: 1 })).rejects.toThrow("worker killed");
    expect(await ownTables(db.prisma, done)).toEqual({ orders: "attached", lines: "attached" });
    expect(await ownTables(db.prisma, halfway)).toEqual({ orders: "detached", lines: "detached" });

    await redactShop(ctx, done);
    await redactShop(ctx, halfway);
    expect(await ownTables(db.prisma, done)).toEqual({ orders: "missing", lines: "missing" });
    expect(await ownTables(db.prisma, halfway)).toEqual({ orders: "missing", lines: "missing" });
    expect(await db.prisma.order.count({ where: { shop: { in: [done, halfway] } } })).toBe(0);
  });

  it("the migration moves every stored order and line into its shop's partition", async () => {
    const empty = await createEmptyDatabase("postgresql");
    const prisma = createPrismaClient(empty.config);
    try {
      await migrate(empty.config, { before: MIGRATION });
      // In SQL, in the tables' shape at the time (the client knows only today's columns).
      for (const [s, shop] of ["one.myshopify.com", "two.myshopify.com"].entries()) {
        for (let i = 0; i < 3; i++) {
          const [{ id }] = await prisma.$queryRawUnsafe<{ id: number }[]>(
            `INSERT INTO "Order" ("shop", "shopifyId", "customerShopifyId", "totalPrice", "shopifyCreatedAt") VALUES ($1, $2, $3, CAST($4 AS numeric), $5) RETURNING "id"`,
            shop, gid("Order", s * 10 + i), gid("Customer", i), `${10 + i}.25`, new Date(Date.UTC(2026, 0, 1 + i)),
          );
          await prisma.$executeRawUnsafe(
            `INSERT INTO "OrderLine" ("shop", "orderId", "shopifyId", "title", "quantity", "amount", "buyerShopifyId") VALUES ($1, $2, $3, $4, 1, CAST($5 AS numeric), $6)`,
            shop, id, gid("LineItem", s * 10 + i), `Product ${i}`, `${10 + i}.25`, gid("Customer", i),
          );
        }
      }
      const rows = async () => ({
        orders: await prisma.$queryRawUnsafe<{ id: number }[]>(`SELECT * FROM "Order" ORDER BY "id"`),
        lines: await prisma.$queryRawUnsafe(`SELECT * FROM "OrderLine" ORDER BY "id"`),
      });
      const before = await rows();
      expect(before.orders).toHaveLength(6);
      await prisma.$disconnect();

      expect(await migrate(empty.config, { before: MIGRATION_AFTER })).toContain(MIGRATION);
      expect(await rows()).toEqual(before);
      await migrate(empty.config);
      for (const shop of ["one.myshopify.com", "two.myshopify.com"]) expect(await ownTables(prisma, shop)).toEqual({ orders: "attached", lines: "attached" });
      expect(await count(prisma, `SELECT count(*) AS n FROM "Order_default"`)).toBe(0);
      // New rows continue the ids; deleting an order still takes its lines (the foreign key holds the shop now).
      const next = await prisma.order.create({ data: { shop: "one.myshopify.com", shopifyId: gid("Order", 99), totalPrice: "1.00", shopifyCreatedAt: new Date() } });
      expect(next.id).toBeGreaterThan(Math.max(...before.orders.map((o) => o.id)));
      await prisma.order.delete({ where: { id: before.orders[0].id } });
      expect(await prisma.orderLine.count({ where: { orderId: before.orders[0].id } })).toBe(0);
    } finally {
      await prisma.$disconnect();
      await empty.drop();
    }
  });
});
