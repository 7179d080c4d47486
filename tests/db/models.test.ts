/**
 * The data model on both databases: migrations apply to an empty database and every model
 * round-trips with the values the app relies on (exact money, 64-bit Shopify ids, dates).
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Decimal } from "../../app/generated/prisma/sqlite/internal/prismaNamespace";
import { createEmptyDatabase, createTestDatabase, TEST_DIALECTS, type TestDatabase } from "./test-database";
import { migrate } from "../../scripts/db/cli";

const SHOP = "round-trip.myshopify.com";
// Above 2^53: a JS number would change it.
const ORDER_GID = "gid://shopify/Order/9007199254740993123";
const CUSTOMER_GID = "gid://shopify/Customer/7340123456789012345";

describe.each(TEST_DIALECTS)("data model on %s", (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("applies every migration to an empty database, and a second run applies none", async () => {
    const empty = await createEmptyDatabase(dialect);
    try {
      const first = await migrate(empty.config);
      expect(first.length).toBeGreaterThan(0);
      const migrationsDir = dialect === "sqlite" ? "prisma/migrations" : "prisma/postgresql/migrations";
      const onDisk = fs.readdirSync(migrationsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
      expect(first.sort()).toEqual(onDisk.sort());
      expect(await migrate(empty.config)).toEqual([]);
    } finally {
      await empty.drop();
    }
  });

  it("round-trips Shop and ShopSettings with exact decimal spend", async () => {
    await db.prisma.shop.create({
      data: { shop: SHOP, grantedScopes: "read_customers,read_orders", hasAllOrdersAccess: true, currencyCode: "EUR", ianaTimezone: "Europe/Amsterdam" },
    });
    await db.prisma.shopSettings.create({
      data: { shop: SHOP, tagPrefix: "vip-", vipShare: 0.15, monthlyMarketingSpend: new Decimal("123456789012.34") },
    });
    const shop = await db.prisma.shop.findUniqueOrThrow({ where: { shop: SHOP }, include: { settings: true } });
    expect(shop.hasAllOrdersAccess).toBe(true);
    expect(shop.ianaTimezone).toBe("Europe/Amsterdam");
    expect(shop.settings?.monthlyMarketingSpend.toString()).toBe("123456789012.34");
    expect(shop.settings?.vipShare).toBe(0.15);
    expect(shop.settings?.lifecycleActiveFactor).toBe(1.5);
    expect(shop.settings?.revenueBasis).toBe("current_total");
  });

  it("round-trips customers, orders and lines with 64-bit ids and exact money", async () => {
    await db.prisma.customer.create({
      data: {
        shop: SHOP, shopifyId: CUSTOMER_GID, email: "anna@example.com", firstName: "Anna", countryCode: "NL", city: "Utrecht",
        tags: JSON.stringify(["ci-vip", "wholesale"]), numberOfOrders: 3, amountSpent: new Decimal("1999.99"),
        shopifyCreatedAt: new Date("2024-01-02T03:04:05.678Z"), shopifyUpdatedAt: new Date("2026-11-01T00:00:00Z"),
      },
    });
    const order = await db.prisma.order.create({
      data: {
        shop: SHOP, shopifyId: ORDER_GID, name: "#1001", customerShopifyId: CUSTOMER_GID, currencyCode: "EUR",
        totalPrice: new Decimal("0.10"), totalRefunded: new Decimal("0.20"), shopifyCreatedAt: new Date("2026-10-31T23:59:59.999Z"),
        utmSource: "newsletter",
        lines: {
          create: [
            { shop: SHOP, shopifyId: "gid://shopify/LineItem/18446744073709551615", title: "Koffie", quantity: 2, amount: new Decimal("0.30"), productShopifyId: "gid://shopify/Product/1" },
          ],
        },
      },
    });
    const back = await db.prisma.order.findUniqueOrThrow({ where: { shop_shopifyId: { shop: SHOP, shopifyId: ORDER_GID } }, include: { lines: true } });
    expect(back.id).toBe(order.id);
    expect(back.customerShopifyId).toBe(CUSTOMER_GID);
    // 0.10 + 0.20 = 0.30 exactly: decimals, not floats
    expect(back.totalPrice.plus(back.totalRefunded).equals(back.lines[0].amount)).toBe(true);
    expect(back.lines[0].shopifyId).toBe("gid://shopify/LineItem/18446744073709551615");
    expect(back.shopifyCreatedAt.toISOString()).toBe("2026-10-31T23:59:59.999Z");
    const customer = await db.prisma.customer.findUniqueOrThrow({ where: { shop_shopifyId: { shop: SHOP, shopifyId: CUSTOMER_GID } } });
    expect(JSON.parse(customer.tags)).toEqual(["ci-vip", "wholesale"]);
    expect(customer.amountSpent.toString()).toBe("1999.99");

    // Deleting an order deletes its lines.
    await db.prisma.order.delete({ where: { id: order.id } });
    expect(await db.prisma.orderLine.count({ where: { shop: SHOP } })).toBe(0);
  });

  it("keeps one row per (shop, Shopify id): the same id in two shops is two rows, a repeat in one shop is refused", async () => {
    await db.prisma.product.create({ data: { shop: SHOP, shopifyId: "gid://shopify/Product/5", title: "A" } });
    await db.prisma.product.create({ data: { shop: "other.myshopify.com", shopifyId: "gid://shopify/Product/5", title: "B" } });
    await expect(db.prisma.product.create({ data: { shop: SHOP, shopifyId: "gid://shopify/Product/5", title: "C" } })).rejects.toThrow();
    expect(await db.prisma.product.count({ where: { shop: SHOP } })).toBe(1);
  });

  it("records a webhook once per (shop, webhookId)", async () => {
    const data = { shop: SHOP, webhookId: "wh-1", topic: "orders/create", payload: '{"id":9007199254740993123}', triggeredAt: new Date() };
    await db.prisma.webhookEvent.create({ data });
    await expect(db.prisma.webhookEvent.create({ data })).rejects.toThrow();
    const row = await db.prisma.webhookEvent.findFirstOrThrow({ where: { shop: SHOP, webhookId: "wh-1" } });
    // The raw body keeps the 64-bit id as text.
    expect(row.payload).toContain("9007199254740993123");
    expect(row.status).toBe("pending");
  });

  it("round-trips jobs, sync runs, snapshots, every customer-profile field, segments, memberships, tag pushes and compliance requests", async () => {
    const job = await db.prisma.job.create({ data: { shop: SHOP, kind: "backfill", key: "initial", payload: '{"x":1}' } });
    expect((await db.prisma.job.findUniqueOrThrow({ where: { id: job.id } })).status).toBe("queued");
    await expect(db.prisma.job.create({ data: { shop: SHOP, kind: "backfill", key: "initial" } })).rejects.toThrow();

    const run = await db.prisma.syncRun.create({ data: { shop: SHOP, kind: "backfill", objectsTotal: 50_000, linesProcessed: 1234 } });
    expect((await db.prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } })).objectsTotal).toBe(50_000);

    const snapshot = await db.prisma.analysisSnapshot.create({
      data: { shop: SHOP, asOf: new Date("2026-11-22T00:00:00Z"), customers: 2, orders: 3, data: JSON.stringify({ metrics: { aov: 12.5 } }) },
    });
    const customer = await db.prisma.customer.upsert({ where: { shop_shopifyId: { shop: SHOP, shopifyId: CUSTOMER_GID } }, create: { shop: SHOP, shopifyId: CUSTOMER_GID }, update: {} });
    const profile = {
      snapshotId: snapshot.id, customerId: customer.id, shop: SHOP, customerShopifyId: CUSTOMER_GID, orderCount: 3, repeatPurchases: 2,
      totalSpent: new Decimal("1999.99"), averageOrderValue: new Decimal("666.66"), firstOrderAt: new Date("2024-01-02T00:00:00Z"),
      lastOrderAt: new Date("2026-10-31T00:00:00Z"), daysSinceFirstOrder: 1055, daysSinceLastOrder: 22, usualGapDays: 106.5,
      lifecycleStage: "active", customerGroup: "loyal", customerType: "returning", spendTier: "high", recencyScore: 5, frequencyScore: 4, monetaryScore: 5,
      rfmGroup: "champions", acquisitionSource: "google", pAlive: 0.87, pAliveLow: 0.8, pAliveHigh: 0.93, churnRisk: "low",
      expectedOrders: 1.226, expectedOrdersLow: 0.9, expectedOrdersHigh: 1.6, expectedOrderValue: 64.25, predictedClv: 123.45,
      predictedClvLow: 100.5, predictedClvHigh: 150.25, nextOrderAt: new Date("2026-12-24T00:00:00Z"),
      nextOrderLow: new Date("2026-12-10T00:00:00Z"), nextOrderHigh: new Date("2027-02-01T00:00:00Z"), refreshedAt: new Date("2026-11-30T08:15:42.123Z"),
    };
    await db.prisma.customerProfile.create({ data: profile });
    const stored = await db.prisma.customerProfile.findUniqueOrThrow({ where: { snapshotId_customerId: { snapshotId: snapshot.id, customerId: customer.id } }, include: { customer: true } });
    const { customer: related, ...fields } = stored;
    expect({ ...fields, totalSpent: fields.totalSpent.toString(), averageOrderValue: fields.averageOrderValue.toString() }).toEqual({ ...profile, totalSpent: "1999.99", averageOrderValue: "666.66" });
    expect(related.shopifyId).toBe(CUSTOMER_GID);
    expect(JSON.parse((await db.prisma.analysisSnapshot.findUniqueOrThrow({ where: { id: snapshot.id } })).data)).toEqual({ metrics: { aov: 12.5 } });

    const segment = await db.prisma.segment.create({
      data: { shop: SHOP, handle: "vip", name: "VIP", kind: "builtin", rules: '{"group":"vip"}', controlGroupPercent: 10 },
    });
    await db.prisma.segmentMembership.create({ data: { shop: SHOP, segmentId: segment.id, customerShopifyId: CUSTOMER_GID, isControl: true } });
    await db.prisma.tagPush.create({ data: { shop: SHOP, segmentId: segment.id, tag: "ci-vip", added: 1, total: 1 } });
    const withMembers = await db.prisma.segment.findUniqueOrThrow({ where: { id: segment.id }, include: { members: true, pushes: true } });
    expect(withMembers.members.map((m) => [m.customerShopifyId, m.isControl])).toEqual([[CUSTOMER_GID, true]]);
    expect(withMembers.pushes[0].tag).toBe("ci-vip");
    // Deleting a segment removes its memberships and push history.
    await db.prisma.segment.delete({ where: { id: segment.id } });
    expect(await db.prisma.segmentMembership.count({ where: { segmentId: segment.id } })).toBe(0);
    expect(await db.prisma.tagPush.count({ where: { segmentId: segment.id } })).toBe(0);

    const request = await db.prisma.complianceRequest.create({
      data: { shop: SHOP, topic: "customers/data_request", customerShopifyId: CUSTOMER_GID, payload: "{}", result: '{"orders":[]}' },
    });
    expect((await db.prisma.complianceRequest.findUniqueOrThrow({ where: { id: request.id } })).result).toBe('{"orders":[]}');
  });
});

describe("schema conventions", () => {
  const schema = fs.readFileSync("prisma/schema.prisma", "utf8");
  const models = [...schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)].map(([, name, body]) => ({ name, body }));

  // shop/redact deletes a shop's rows by such a key, not by a scan of every shop's. Profiles are
  // reached by their generation instead (a snapshot of one shop; decision 051).
  it("every model that holds shop data has an index, unique key or id led by shop (profiles: by their generation)", () => {
    const shopModels = models.filter((m) => /^\s+shop\s+String/m.test(m.body));
    expect(shopModels.length).toBeGreaterThan(10);
    for (const { name, body } of shopModels) {
      const byGeneration = name === "CustomerProfile" && /@@id\(\[snapshotId\b/.test(body);
      const led = byGeneration || /^\s+shop\s+String\s+@id/m.test(body) || /@@(index|unique|id)\(\[shop\b/.test(body);
      expect(led, `${name} needs an index starting with shop`).toBe(true);
    }
  });

  it("no money column is a Float", () => {
    for (const { name, body } of models) {
      for (const field of ["amount", "totalPrice", "amountSpent", "totalSpent", "aov", "monthlyMarketingSpend", "totalRefunded"]) {
        const line = body.match(new RegExp(`^\\s+${field}\\s+(\\w+)`, "m"));
        if (line) expect(line[1], `${name}.${field}`).toBe("Decimal");
      }
    }
  });
});
