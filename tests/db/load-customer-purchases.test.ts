/**
 * The per-customer load (loadCustomerPurchases, the per-order refresh's read) gives each order's
 * columns as the whole-store load reads them (load-store-dataset.server.ts: "the one conversion
 * the whole-store load and the per-customer load share"), on SQLite and PostgreSQL: the source
 * (UTM source, else the order's source name), the channel, the first-visit source, and the lines.
 * Issue #17: on PostgreSQL the refresh read the first-visit source as the order's source, so a
 * customer rescored alone got another acquisition source than the full analysis gave them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeBulkConnections } from "~/db/bulk-connections.server";
import { loadCustomerPurchases, loadStoreDataset } from "~/snapshots/load-store-dataset.server";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "./test-database";

const SHOP = "sources.myshopify.com";
const CUSTOMER = "gid://shopify/Customer/1";

/** Two orders of one customer whose source name, UTM source and first-visit source all differ. */
const ORDERS = [
  { shopifyId: "gid://shopify/Order/1", sourceName: "web", channel: "Online Store", firstVisitSource: "direct", utmSource: null, at: "2026-03-01T10:00:00.000Z", total: "31.60" },
  { shopifyId: "gid://shopify/Order/2", sourceName: "pos", channel: "Point of Sale", firstVisitSource: "google", utmSource: "klaviyo", at: "2026-04-02T10:00:00.000Z", total: "18.12" },
];

describe.each(TEST_DIALECTS)("the per-customer load on %s", (dialect) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    for (const [i, o] of ORDERS.entries()) {
      await db.prisma.order.create({
        data: {
          shop: SHOP,
          shopifyId: o.shopifyId,
          customerShopifyId: CUSTOMER,
          totalPrice: o.total,
          netSales: o.total,
          sourceName: o.sourceName,
          channel: o.channel,
          firstVisitSource: o.firstVisitSource,
          utmSource: o.utmSource,
          shopifyCreatedAt: new Date(o.at),
          lines: {
            create: [
              { shop: SHOP, shopifyId: `gid://shopify/LineItem/${i}1`, productShopifyId: `gid://shopify/Product/${i}1`, title: "Classic Mug", productType: "Mugs", quantity: 2, amount: "20.00" },
              { shop: SHOP, shopifyId: `gid://shopify/LineItem/${i}2`, productShopifyId: null, title: "Gift wrap", productType: null, quantity: 1, amount: "3.50" },
            ],
          },
        },
      });
    }
  }, 60_000);
  afterAll(async () => {
    await closeBulkConnections();
    await db?.drop();
  });

  it("reads each order's source, channel, first visit and lines into their own fields, as the whole-store load does", async () => {
    const purchases = (await loadCustomerPurchases(db.prisma, dialect, SHOP, [CUSTOMER], "current_total", "UTC")).get(CUSTOMER)!;
    expect(purchases.map(({ utcOffsetMinutes: _u, ...p }) => p)).toEqual(
      ORDERS.map((o, i) => ({
        customerId: CUSTOMER,
        at: Date.parse(o.at),
        revenue: Number(o.total),
        source: o.utmSource ?? o.sourceName,
        channel: o.channel,
        firstVisit: o.utmSource ?? o.firstVisitSource,
        test: false,
        cancelled: false,
        lineItems: [
          { productId: `gid://shopify/Product/${i}1`, title: "Classic Mug", productType: "Mugs", quantity: 2, revenue: 20 },
          { productId: "Gift wrap", title: "Gift wrap", productType: undefined, quantity: 1, revenue: 3.5 },
        ],
      })),
    );

    // The whole-store load, read by its own path (a cursor on PostgreSQL, the file's connection on SQLite), agrees.
    const { dataset } = await loadStoreDataset(db.prisma, db.config, SHOP, "current_total", "UTC");
    const orders = Array.from({ length: dataset.orderCount }, (_, i) => ({
      source: dataset.orderSource[i] >= 0 ? dataset.sources[dataset.orderSource[i]] : null,
      channel: dataset.orderChannel[i] >= 0 ? dataset.channels[dataset.orderChannel[i]] : null,
      firstVisit: dataset.orderFirstVisit[i] >= 0 ? dataset.firstVisits[dataset.orderFirstVisit[i]] : null,
    }));
    expect(orders).toEqual(purchases.map((p) => ({ source: p.source, channel: p.channel, firstVisit: p.firstVisit })));
  });
});
