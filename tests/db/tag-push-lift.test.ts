/**
 * The lift report read from the database (SQLite and PostgreSQL): on a store where the tagged
 * members were made to buy more after the push it finds the lift; where they were not, it
 * reports nothing significant. Orders before the push, test and cancelled orders never count.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSeededRng } from "../../app/analytics/math/seeded-rng";
import { readSegmentLift } from "../../app/tag-push/lift-data.server";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "./test-database";

const SHOP = "lift.myshopify.com";
const PUSHED = new Date("2026-10-01T00:00:00Z");

describe.each(TEST_DIALECTS)("segment lift from stored orders (%s)", (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    await db.prisma.shop.create({ data: { shop: SHOP } });
  });
  afterAll(async () => db?.drop());

  /**
   * 900 tagged and 100 held-out members; exactly `rate` of the tagged and `holdOutRate` of the
   * held-out members order after the push (every member's order value is random).
   */
  async function store(handle: string, rate: number, holdOutRate: number) {
    const rng = createSeededRng(handle.length * 97);
    const segment = await db.prisma.segment.create({ data: { shop: SHOP, handle, name: handle, firstPushedAt: PUSHED } });
    const members = Array.from({ length: 1_000 }, (_, i) => ({ shop: SHOP, segmentId: segment.id, customerShopifyId: `gid://shopify/Customer/${handle}${i}`, isControl: i % 10 === 0 }));
    await db.prisma.segmentMembership.createMany({ data: members });
    const orders = [];
    let n = 0;
    for (const m of members) {
      // Before the push everyone bought alike; it must not count.
      orders.push({ shop: SHOP, shopifyId: `gid://shopify/Order/${handle}${n++}`, customerShopifyId: m.customerShopifyId, totalPrice: 500, shopifyCreatedAt: new Date("2026-09-01T00:00:00Z") });
      const i = Number(m.customerShopifyId.slice(`gid://shopify/Customer/${handle}`.length));
      if (Math.floor(i / 10) % 10 < (m.isControl ? holdOutRate : rate) * 10) {
        orders.push({ shop: SHOP, shopifyId: `gid://shopify/Order/${handle}${n++}`, customerShopifyId: m.customerShopifyId, totalPrice: 40 + rng() * 40, shopifyCreatedAt: new Date("2026-10-05T00:00:00Z") });
      }
      // Test and cancelled orders after the push, on held-out members only: they must not count either.
      if (m.isControl) {
        orders.push({ shop: SHOP, shopifyId: `gid://shopify/Order/${handle}${n++}`, customerShopifyId: m.customerShopifyId, totalPrice: 900, test: true, shopifyCreatedAt: new Date("2026-10-06T00:00:00Z") });
        orders.push({ shop: SHOP, shopifyId: `gid://shopify/Order/${handle}${n++}`, customerShopifyId: m.customerShopifyId, totalPrice: 900, cancelledAt: new Date("2026-10-07T00:00:00Z"), shopifyCreatedAt: new Date("2026-10-06T00:00:00Z") });
      }
    }
    await db.prisma.order.createMany({ data: orders });
    return segment.id;
  }

  it("finds the lift where tagged members bought more", async () => {
    const id = await store("lifted", 0.5, 0.2);
    const report = await readSegmentLift(db.prisma, dialect, SHOP, id, PUSHED);
    expect(report.state).toBe("measured");
    if (report.state !== "measured") return;
    expect(report).toMatchObject({ tagged: 900, holdOut: 100 });
    expect(report.conversion.significant).toBe(true);
    expect(report.conversion.low).toBeGreaterThan(0);
    expect(report.orders.significant).toBe(true);
    expect(report.revenue.significant).toBe(true);
    expect(report.revenue.low).toBeGreaterThan(0);
  });

  it("reports nothing significant where they bought as before", async () => {
    const id = await store("flat", 0.3, 0.3);
    const report = await readSegmentLift(db.prisma, dialect, SHOP, id, PUSHED);
    if (report.state !== "measured") throw new Error(report.state);
    expect(report.conversion.significant).toBe(false);
    expect(report.orders.significant).toBe(false);
    expect(report.revenue.significant).toBe(false);
  });

  it("has nothing to report before the first push", async () => {
    expect(await readSegmentLift(db.prisma, dialect, SHOP, 1, null)).toEqual({ state: "no-hold-out" });
  });
});
