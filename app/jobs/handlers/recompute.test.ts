/**
 * The recompute job counts each order's revenue on the shop's basis: its current total, or its
 * net sales. On a small hand-made store the stored per-customer totals and the snapshot must be
 * the hand-computed sums, on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, TEST_DIALECTS, testSyncContext, type TestDatabase } from "../../../tests/db/test-database";
import type { SyncContext } from "~/sync/sync-context";
import { readCurrentAnalysis } from "~/snapshots/read-analysis.server";
import { recomputeShop } from "./recompute";

const SHOP = "basis.myshopify.com";
const AS_OF = new Date("2026-06-30T12:00:00Z");

// [customer, day, current total, net sales, flags]: amounts from net-sales.test.ts's hand-computed orders.
const ORDERS: [customer: string | null, day: string, total: string, netSales: string | null, kind?: "test" | "cancelled"][] = [
  ["A", "2026-03-01", "93.47", "81.00"], // prices without tax: subtotal 81.00 + tax 6.48 + shipping 5.99
  ["A", "2026-04-10", "59.40", "45.00"], // prices with 21 % VAT, discounted
  ["B", "2026-03-15", "29.15", "20.00"], // one of two items refunded
  ["B", "2026-05-01", "500.00", "400.00", "test"], // test orders never count
  ["B", "2026-05-02", "0.00", "0.00", "cancelled"], // neither do cancelled ones
  ["B", "2026-05-03", "70.00", null, "test"], // …so their missing net sales change no figure
  ["C", "2026-05-20", "40.00", null], // stored before the app read net sales
  [null, "2026-05-21", "10.00", "8.00"], // guest: in no customer's total
];

describe.each(TEST_DIALECTS)("recompute on each revenue basis on %s", (dialect) => {
  let db: TestDatabase;
  let ctx: SyncContext;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    ctx = testSyncContext(db).ctx;
    await db.prisma.shop.create({ data: { shop: SHOP, ianaTimezone: "Europe/Amsterdam", currencyCode: "EUR" } });
    for (const c of ["A", "B", "C"]) {
      await db.prisma.customer.create({ data: { shop: SHOP, shopifyId: `gid://shopify/Customer/${c.charCodeAt(0)}`, shopifyCreatedAt: new Date("2026-01-01T00:00:00Z") } });
    }
    let n = 0;
    for (const [customer, day, total, netSales, kind] of ORDERS) {
      n++;
      await db.prisma.order.create({
        data: {
          shop: SHOP,
          shopifyId: `gid://shopify/Order/${n}`,
          customerShopifyId: customer ? `gid://shopify/Customer/${customer.charCodeAt(0)}` : null,
          totalPrice: total,
          netSales,
          test: kind === "test",
          cancelledAt: kind === "cancelled" ? new Date(`${day}T15:00:00Z`) : null,
          shopifyCreatedAt: new Date(`${day}T10:00:00Z`),
        },
      });
    }
  });
  afterAll(async () => db?.drop());

  // What the pages read: the current generation's profiles and its snapshot document.
  const totals = async () => {
    const current = await readCurrentAnalysis(db.prisma, SHOP);
    const profiles = await db.prisma.customerProfile.findMany({ where: { snapshotId: current!.snapshotId }, orderBy: { customerShopifyId: "asc" } });
    return Object.fromEntries(profiles.map((s) => [String.fromCharCode(Number(s.customerShopifyId.split("/").pop())), s.totalSpent.toFixed(2)]));
  };
  const snapshotData = async (id: number) => {
    const current = await readCurrentAnalysis(db.prisma, SHOP);
    expect(current!.snapshotId).toBe(id);
    return current!.document.revenue;
  };

  it("counts the current total when the shop never chose a basis", async () => {
    const result = await recomputeShop(ctx, SHOP, { asOf: AS_OF });
    // A: 93.47 + 59.40; B: 29.15 (test and cancelled orders excluded); C: 40.00.
    expect(await totals()).toEqual({ A: "152.87", B: "29.15", C: "40.00" });
    expect(result).toMatchObject({ revenueBasis: "current_total", ordersWithoutNetSales: 0 });
    expect(await snapshotData(result!.snapshotId)).toMatchObject({ revenueBasis: "current_total", ordersWithoutNetSales: 0 });
  });

  it("counts net sales on the net-sales basis, and an order without net sales at its current total (reported), not as 0", async () => {
    await db.prisma.shopSettings.create({ data: { shop: SHOP, revenueBasis: "net_sales" } });
    const result = await recomputeShop(ctx, SHOP, { asOf: AS_OF });
    // A: 81.00 + 45.00; B: 20.00; C: its 40.00 current total, the one counted order without net sales.
    expect(await totals()).toEqual({ A: "126.00", B: "20.00", C: "40.00" });
    expect(result).toMatchObject({ revenueBasis: "net_sales", ordersWithoutNetSales: 1 });
    expect(await snapshotData(result!.snapshotId)).toMatchObject({ revenueBasis: "net_sales", ordersWithoutNetSales: 1 });
  });

  it("switches back to current totals when the setting does", async () => {
    await db.prisma.shopSettings.update({ where: { shop: SHOP }, data: { revenueBasis: "current_total" } });
    const result = await recomputeShop(ctx, SHOP, { asOf: AS_OF });
    expect(await totals()).toEqual({ A: "152.87", B: "29.15", C: "40.00" });
    expect(result!.ordersWithoutNetSales).toBe(0);
  });
});
