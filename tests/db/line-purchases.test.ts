/**
 * "Bought / never bought" reads a product's buyers from the lines' copy of their order's buyer
 * and purchase time (docs/decisions/037-line-purchases.md), so the copy must follow the order
 * through every webhook that changes it, on SQLite and PostgreSQL: a cancelled order's products
 * no longer count, nor a deleted order's; an order moved to another customer (orders/updated
 * with another customer, customers/merge) counts for the new one only; "within N days" counts
 * a purchase on the first day of the window and not the day before; an order stored before its
 * customer's record counts for them once the record arrives (decision 062); and both bulk writers
 * write the copy with the lines, also for lines whose order came in an earlier batch.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeBulkConnections } from "~/db/bulk-connections.server";
import { countQuery, memberQuery, type RuleScope } from "~/segments/compile-rule";
import type { RuleGroup } from "~/segments/rule-tree";
import { applyWebhookEvent, type WebhookEventRow } from "~/sync/webhooks/apply-webhook";
import { PostgresBatchWriter } from "~/sync/store/postgres-batch-writer";
import { SqliteBatchWriter } from "~/sync/store/sqlite-batch-writer";
import type { OrderWithLines } from "~/sync/records/record-rows";
import { postgresBulkPool } from "~/db/bulk-connections.server";
import type { SyncContext } from "~/sync/sync-context";
import { seedCurrentAnalysis } from "./seed-analysis";
import { createTestDatabase, TEST_DIALECTS, testSyncContext, type TestDatabase } from "./test-database";

const SHOP = "line-purchases.myshopify.com";
const NOW = new Date("2026-07-20T15:30:00Z");
const TEA = 11;
const KETTLE = 12;
const customer = (n: number) => `gid://shopify/Customer/${n}`;

/** A REST order payload as orders/create … orders/cancelled deliver it. */
function orderPayload(id: number, options: { customer: number | null; products: number[]; at: string; updatedAt: string; cancelledAt?: string; test?: boolean }) {
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#${id}`,
    created_at: options.at,
    processed_at: options.at,
    updated_at: options.updatedAt,
    cancelled_at: options.cancelledAt ?? null,
    test: options.test ?? false,
    currency: "EUR",
    current_total_price: "10.00",
    customer: options.customer === null ? null : { id: options.customer, admin_graphql_api_id: customer(options.customer) },
    line_items: options.products.map((product, i) => ({
      id: id * 100 + i,
      admin_graphql_api_id: `gid://shopify/LineItem/${id * 100 + i}`,
      product_id: product,
      title: `Product ${product}`,
      quantity: 1,
      price: "10.00",
    })),
  };
}

const bought = (product: number, withinDays: number | null = null): RuleGroup => ({
  type: "group",
  match: "all",
  children: [{ type: "condition", field: "product", operator: "bought", value: [`gid://shopify/Product/${product}`], withinDays }],
});
const neverBought = (product: number): RuleGroup => ({
  type: "group",
  match: "all",
  children: [{ type: "condition", field: "product", operator: "never-bought", value: [`gid://shopify/Product/${product}`] }],
});

describe.each(TEST_DIALECTS)("a product's buyers follow their orders on %s", (dialect) => {
  let db: TestDatabase;
  let ctx: SyncContext;
  let scope: RuleScope;
  let eventId = 0;

  const deliver = (topic: string, payload: object) =>
    applyWebhookEvent(ctx, { id: ++eventId, shop: SHOP, topic, payload: JSON.stringify(payload), triggeredAt: NOW, receivedAt: NOW } satisfies WebhookEventRow);
  const members = async (rule: RuleGroup) => {
    const query = memberQuery(rule, scope);
    const rows = await db.prisma.$queryRawUnsafe<{ customerShopifyId: string }[]>(query.sql, ...query.params);
    const count = countQuery(rule, scope);
    const [{ n }] = await db.prisma.$queryRawUnsafe<{ n: number | bigint }[]>(count.sql, ...count.params);
    expect(Number(n)).toBe(rows.length);
    return rows.map((r) => r.customerShopifyId).sort();
  };

  /** Each line's buyer as the customer's Shopify id (lines keep the customer's row id). */
  const buyersOf = async (lines: { buyerId: number | null }[]) => {
    const rows = await db.prisma.customer.findMany({ where: { shop: SHOP }, select: { id: true, shopifyId: true } });
    const gidOf = new Map(rows.map((c) => [c.id, c.shopifyId]));
    return lines.map((l) => (l.buyerId === null ? null : (gidOf.get(l.buyerId) ?? `no customer ${l.buyerId}`)));
  };

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    ctx = testSyncContext(db, { now: () => NOW }).ctx;
    const snapshotId = await seedCurrentAnalysis(db.prisma, SHOP, [1, 2, 3, 4].map((n) => ({ customerShopifyId: customer(n) })));
    scope = { dialect, shop: SHOP, snapshotId, now: NOW };
  }, 60_000);
  afterAll(async () => {
    await closeBulkConnections();
    await db?.drop();
  });

  it("a cancelled order's products no longer count, and count again when the cancellation is undone", async () => {
    await deliver("orders/create", orderPayload(1, { customer: 1, products: [TEA], at: "2026-07-01T10:00:00Z", updatedAt: "2026-07-01T10:00:00Z" }));
    expect(await members(bought(TEA))).toEqual([customer(1)]);
    await deliver("orders/cancelled", orderPayload(1, { customer: 1, products: [TEA], at: "2026-07-01T10:00:00Z", updatedAt: "2026-07-02T10:00:00Z", cancelledAt: "2026-07-02T10:00:00Z" }));
    expect(await members(bought(TEA))).toEqual([]);
    expect(await members(neverBought(TEA))).toEqual([1, 2, 3, 4].map(customer));
    // Shopify cannot un-cancel, but an edit may arrive with the order's current state: it wins by updated_at.
    await deliver("orders/updated", orderPayload(1, { customer: 1, products: [TEA], at: "2026-07-01T10:00:00Z", updatedAt: "2026-07-03T10:00:00Z" }));
    expect(await members(bought(TEA))).toEqual([customer(1)]);
    // An older delivery does not bring the cancellation back.
    await deliver("orders/cancelled", orderPayload(1, { customer: 1, products: [TEA], at: "2026-07-01T10:00:00Z", updatedAt: "2026-07-02T10:00:00Z", cancelledAt: "2026-07-02T10:00:00Z" }));
    expect(await members(bought(TEA))).toEqual([customer(1)]);
  });

  it("a test order never counts", async () => {
    await deliver("orders/create", orderPayload(2, { customer: 2, products: [KETTLE], at: "2026-07-01T10:00:00Z", updatedAt: "2026-07-01T10:00:00Z", test: true }));
    expect(await members(bought(KETTLE))).toEqual([]);
  });

  it("a deleted order's products no longer count, and a late orders/create does not bring them back", async () => {
    await deliver("orders/create", orderPayload(3, { customer: 3, products: [KETTLE], at: "2026-07-01T10:00:00Z", updatedAt: "2026-07-01T10:00:00Z" }));
    expect(await members(bought(KETTLE))).toEqual([customer(3)]);
    await deliver("orders/delete", { id: 3, admin_graphql_api_id: "gid://shopify/Order/3" });
    expect(await members(bought(KETTLE))).toEqual([]);
    await deliver("orders/create", orderPayload(3, { customer: 3, products: [KETTLE], at: "2026-07-01T10:00:00Z", updatedAt: "2026-07-05T10:00:00Z" }));
    expect(await members(bought(KETTLE))).toEqual([]);
  });

  it("an order moved to another customer counts for the new one only (orders/updated, customers/merge)", async () => {
    const order = (buyer: number, updatedAt: string) => orderPayload(4, { customer: buyer, products: [13], at: "2026-07-01T10:00:00Z", updatedAt });
    await deliver("orders/create", order(2, "2026-07-01T10:00:00Z"));
    expect(await members(bought(13))).toEqual([customer(2)]);
    await deliver("orders/updated", order(3, "2026-07-02T10:00:00Z"));
    expect(await members(bought(13))).toEqual([customer(3)]);
    // Customer 3 merged into customer 4: the order (and its lines) now belong to 4.
    await deliver("customers/merge", { admin_graphql_api_customer_kept_id: customer(4), admin_graphql_api_customer_deleted_id: customer(3) });
    expect(await members(bought(13))).toEqual([customer(4)]);
    // A guest order (no customer) is nobody's purchase, and never makes "never bought" unknown.
    await deliver("orders/updated", orderPayload(4, { customer: null, products: [13], at: "2026-07-01T10:00:00Z", updatedAt: "2026-07-03T10:00:00Z" }));
    expect(await members(bought(13))).toEqual([]);
    expect(await members(neverBought(13))).toEqual([1, 2, 4].map(customer));
  });

  it("an order stored before its customer's record counts for them once the record arrives", async () => {
    // orders/create often comes before customers/create: the order names a customer the app does not know yet.
    await deliver("orders/create", orderPayload(7, { customer: 5, products: [16], at: "2026-07-15T10:00:00Z", updatedAt: "2026-07-15T10:00:00Z" }));
    const lines = () => db.prisma.orderLine.findMany({ where: { shop: SHOP, productShopifyId: "gid://shopify/Product/16" } });
    expect(await buyersOf(await lines())).toEqual([null]);
    await deliver("customers/create", { id: 5, admin_graphql_api_id: customer(5), email: null, first_name: "Eva", created_at: "2026-07-15T10:00:01Z", updated_at: "2026-07-15T10:00:01Z" });
    expect(await buyersOf(await lines())).toEqual([customer(5)]);
    // Cancelled afterwards: the known buyer goes too; a later customer update does not bring it back.
    await deliver("orders/cancelled", orderPayload(7, { customer: 5, products: [16], at: "2026-07-15T10:00:00Z", updatedAt: "2026-07-16T10:00:00Z", cancelledAt: "2026-07-16T10:00:00Z" }));
    await deliver("customers/update", { id: 5, admin_graphql_api_id: customer(5), email: null, first_name: "Eva", created_at: "2026-07-15T10:00:01Z", updated_at: "2026-07-17T10:00:00Z" });
    expect(await buyersOf(await lines())).toEqual([null]);
  });

  it('"bought within N days" counts a purchase on the first day of the window, not on the day before', async () => {
    // NOW is 2026-07-20 15:30 UTC; within 7 days = since 2026-07-13 00:00 UTC.
    await deliver("orders/create", orderPayload(5, { customer: 1, products: [14], at: "2026-07-13T00:00:00Z", updatedAt: "2026-07-13T00:00:00Z" }));
    await deliver("orders/create", orderPayload(6, { customer: 2, products: [14], at: "2026-07-12T23:59:59Z", updatedAt: "2026-07-12T23:59:59Z" }));
    expect(await members(bought(14, 7))).toEqual([customer(1)]);
    expect(await members(bought(14, 8))).toEqual([customer(1), customer(2)]);
    // Re-dated (processed later): the line's purchase time follows its order.
    await deliver("orders/updated", { ...orderPayload(6, { customer: 2, products: [14], at: "2026-07-12T23:59:59Z", updatedAt: "2026-07-14T00:00:00Z" }), processed_at: "2026-07-13T08:00:00Z" });
    expect(await members(bought(14, 7))).toEqual([customer(1), customer(2)]);
  });

  it("the bulk writers copy the order's buyer and purchase time onto its lines, also onto lines that come a batch after their order", async () => {
    const order = (id: number, buyer: number, cancelled: boolean): OrderWithLines => ({
      order: {
        shopifyId: `gid://shopify/Order/${id}`, name: null, customerShopifyId: customer(buyer), currencyCode: "EUR", totalPrice: "10.00", subtotalPrice: null, totalRefunded: "0",
        netSales: null, test: false, sourceName: null, channel: null, firstVisitSource: null, utmSource: null, utmMedium: null, utmCampaign: null,
        shopifyCreatedAt: new Date("2026-07-10T09:00:00Z"), processedAt: null, cancelledAt: cancelled ? new Date("2026-07-11T09:00:00Z") : null, shopifyUpdatedAt: new Date("2026-07-11T09:00:00Z"),
      },
      lines: [line(id, 0)],
      linesComplete: false,
    });
    const line = (id: number, k: number) => ({ shopifyId: `gid://shopify/LineItem/${id}-${k}`, orderShopifyId: `gid://shopify/Order/${id}`, productShopifyId: "gid://shopify/Product/15", title: "x", productType: null, vendor: null, quantity: 1, amount: "5.00" });
    const run = await db.prisma.syncRun.create({ data: { shop: SHOP, kind: "backfill", status: "running" } });
    const progress = { runId: run.id, throughLine: 0, roots: 0 };
    const first = { customers: [], products: [], orders: [order(20, 1, false), order(21, 2, true)], orphanLines: [] };
    const second = { customers: [], products: [], orders: [], orphanLines: [line(20, 1), line(21, 1)] };
    if (dialect === "sqlite") {
      const writer = new SqliteBatchWriter(db.config.dialect === "sqlite" ? db.config.filePath : "");
      expect(writer.writeBatch(SHOP, first, progress)).toEqual([]);
      expect(writer.writeBatch(SHOP, second, progress)).toEqual([]);
      writer.close();
    } else {
      const writer = new PostgresBatchWriter(postgresBulkPool(db.config));
      expect(await writer.writeBatch(SHOP, first, progress)).toEqual([]);
      expect(await writer.writeBatch(SHOP, second, progress)).toEqual([]);
    }
    const lines = await db.prisma.orderLine.findMany({ where: { shop: SHOP, productShopifyId: "gid://shopify/Product/15" }, orderBy: { shopifyId: "asc" } });
    const buyers = await buyersOf(lines);
    expect(lines.map((l, i) => [l.shopifyId, buyers[i], l.purchasedAt?.toISOString()])).toEqual([
      ["gid://shopify/LineItem/20-0", customer(1), "2026-07-10T09:00:00.000Z"],
      ["gid://shopify/LineItem/20-1", customer(1), "2026-07-10T09:00:00.000Z"],
      ["gid://shopify/LineItem/21-0", null, "2026-07-10T09:00:00.000Z"],
      ["gid://shopify/LineItem/21-1", null, "2026-07-10T09:00:00.000Z"],
    ]);
    expect(await members(bought(15))).toEqual([customer(1)]);
  });
});
