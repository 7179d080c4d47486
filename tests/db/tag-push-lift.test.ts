/**
 * The lift report read from the database (SQLite and PostgreSQL): on a store where the tagged
 * members were made to buy more after the push it finds the lift; where they were not, it
 * reports nothing significant. Orders before the push, test and cancelled orders never count.
 * The groups are the members when the first push with a control group started, from the
 * membership history: members who join, leave or change hold-out status afterwards change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSeededRng } from "../../app/analytics/math/seeded-rng";
import { liftWindow, readSegmentLift } from "../../app/tag-push/lift-data.server";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "./test-database";

const SHOP = "lift.myshopify.com";
/** The first push started (its members were fixed) at PUSH_STARTED and finished at PUSHED. */
const PUSH_STARTED = new Date("2026-09-30T23:00:00Z");
const PUSHED = new Date("2026-10-01T00:00:00Z");
const JOINED = new Date("2026-09-20T00:00:00Z");
const AFTER = new Date("2026-10-10T00:00:00Z");

describe.each(TEST_DIALECTS)("segment lift from stored orders (%s)", (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    await db.prisma.shop.create({ data: { shop: SHOP } });
  });
  afterAll(async () => db?.drop(), 60_000);

  /** The lift as the push page reads it: its window from the segment's first push, then the report in it. */
  const liftOf = async (segmentId: number, firstPushedAt: Date | null) =>
    readSegmentLift(db.prisma, dialect, SHOP, segmentId, await liftWindow(db.prisma, SHOP, segmentId, firstPushedAt));

  /**
   * 900 tagged and 100 held-out members; exactly `rate` of the tagged and `holdOutRate` of the
   * held-out members order after the push (every member's order value is random).
   */
  async function store(handle: string, rate: number, holdOutRate: number) {
    const rng = createSeededRng(handle.length * 97);
    const segment = await db.prisma.segment.create({ data: { shop: SHOP, handle, name: handle, firstPushedAt: PUSHED } });
    const members = Array.from({ length: 1_000 }, (_, i) => ({ shop: SHOP, segmentId: segment.id, customerShopifyId: `gid://shopify/Customer/${handle}${i}`, isControl: i % 10 === 0 }));
    await db.prisma.segmentMembership.createMany({ data: members });
    // As the refresh records them: each member's join, before the push.
    await db.prisma.segmentMembershipChange.createMany({ data: members.map((m) => ({ ...m, joined: true, at: JOINED })) });
    await db.prisma.tagPush.create({ data: { shop: SHOP, segmentId: segment.id, tag: `ci-${handle}`, status: "completed", startedAt: PUSH_STARTED, finishedAt: PUSHED } });
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
    return { id: segment.id, members };
  }

  it("finds the lift where tagged members bought more", async () => {
    const { id } = await store("lifted", 0.5, 0.2);
    const report = await liftOf(id, PUSHED);
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
    const { id } = await store("flat", 0.3, 0.3);
    const report = await liftOf(id, PUSHED);
    if (report.state !== "measured") throw new Error(report.state);
    expect(report.conversion.significant).toBe(false);
    expect(report.orders.significant).toBe(false);
    expect(report.revenue.significant).toBe(false);
  });

  it("compares the members at the first push, whoever joined, left or changed hold-out status since", async () => {
    const { id, members } = await store("moved", 0.5, 0.2);
    const before = await liftOf(id, PUSHED);
    const gidOf = (handle: string, i: number) => `gid://shopify/Customer/${handle}${i}`;
    // Tagged members who bought after the push leave the segment (bought, so no longer "lost", say).
    const buyers = new Set((await db.prisma.order.findMany({ where: { shop: SHOP, shopifyCreatedAt: { gt: PUSHED }, test: false, cancelledAt: null }, select: { customerShopifyId: true } })).map((o) => o.customerShopifyId));
    const leavers = members.filter((m) => !m.isControl && buyers.has(m.customerShopifyId)).slice(0, 300);
    expect(leavers).toHaveLength(300);
    await db.prisma.segmentMembership.deleteMany({ where: { segmentId: id, customerShopifyId: { in: leavers.map((m) => m.customerShopifyId) } } });
    await db.prisma.segmentMembershipChange.createMany({ data: leavers.map((m) => ({ ...m, joined: false, at: AFTER })) });
    // 500 customers join later, tagged and held out, none buying; one joined while the push ran.
    const joiners = Array.from({ length: 500 }, (_, i) => ({ shop: SHOP, segmentId: id, customerShopifyId: gidOf("moved-late", i), isControl: i % 2 === 0 }));
    const duringPush = { shop: SHOP, segmentId: id, customerShopifyId: gidOf("moved-during", 0), isControl: true };
    await db.prisma.segmentMembership.createMany({ data: [...joiners, duringPush] });
    await db.prisma.segmentMembershipChange.createMany({ data: [...joiners.map((m) => ({ ...m, joined: true, at: AFTER })), { ...duringPush, joined: true, at: new Date("2026-09-30T23:30:00Z") }] });
    // The control share is lowered: half of the hold-outs become tagged members.
    const released = members.filter((m) => m.isControl).slice(0, 50);
    await db.prisma.segmentMembership.updateMany({ where: { segmentId: id, customerShopifyId: { in: released.map((m) => m.customerShopifyId) } }, data: { isControl: false } });
    await db.prisma.segmentMembershipChange.createMany({ data: released.map((m) => ({ ...m, joined: true, isControl: false, at: AFTER })) });

    const after = await liftOf(id, PUSHED);
    expect(after).toEqual(before);
    expect(after).toMatchObject({ state: "measured", tagged: 900, holdOut: 100 });
    if (after.state !== "measured") return;
    expect(after.conversion.significant).toBe(true);
    expect(after.conversion.tagged).toBeCloseTo(0.5, 10);
    expect(after.conversion.holdOut).toBeCloseTo(0.2, 10);
  });

  it("counts revenue on the shop's basis: net sales where known, else the current total", async () => {
    const handle = "refunded";
    const segment = await db.prisma.segment.create({ data: { shop: SHOP, handle, name: handle, firstPushedAt: PUSHED } });
    const members = Array.from({ length: 200 }, (_, i) => ({ shop: SHOP, segmentId: segment.id, customerShopifyId: `gid://shopify/Customer/${handle}${i}`, isControl: i % 4 === 0 }));
    await db.prisma.segmentMembership.createMany({ data: members });
    await db.prisma.segmentMembershipChange.createMany({ data: members.map((m) => ({ ...m, joined: true, at: JOINED })) });
    await db.prisma.tagPush.create({ data: { shop: SHOP, segmentId: segment.id, tag: `ci-${handle}`, status: "completed", startedAt: PUSH_STARTED, finishedAt: PUSHED } });
    // Every member buys once after the push for 100; part of it refunded (net sales 60), except
    // odd members' orders, stored before the app read net sales (unknown: their total counts).
    const netSalesOf = (i: number) => (i % 2 === 1 ? null : 60);
    await db.prisma.order.createMany({
      data: members.map((m, i) => ({ shop: SHOP, shopifyId: `gid://shopify/Order/${handle}${i}`, customerShopifyId: m.customerShopifyId, totalPrice: 100, netSales: netSalesOf(i), shopifyCreatedAt: AFTER })),
    });
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const taggedIndexes = members.flatMap((m, i) => (m.isControl ? [] : [i]));
    const heldOutIndexes = members.flatMap((m, i) => (m.isControl ? [i] : []));

    await db.prisma.shopSettings.create({ data: { shop: SHOP, revenueBasis: "current_total" } });
    const onTotals = await liftOf(segment.id, PUSHED);
    if (onTotals.state !== "measured") throw new Error(onTotals.state);
    expect([onTotals.revenue.tagged, onTotals.revenue.holdOut]).toEqual([100, 100]);

    await db.prisma.shopSettings.update({ where: { shop: SHOP }, data: { revenueBasis: "net_sales" } });
    const onNetSales = await liftOf(segment.id, PUSHED);
    if (onNetSales.state !== "measured") throw new Error(onNetSales.state);
    expect(onNetSales.revenue.tagged).toBeCloseTo(mean(taggedIndexes.map((i) => netSalesOf(i) ?? 100)), 6);
    // Held-out members are every fourth: all even, so all at their net sales.
    expect(onNetSales.revenue.holdOut).toBeCloseTo(60, 6);
    expect(heldOutIndexes.every((i) => netSalesOf(i) === 60)).toBe(true);
    await db.prisma.shopSettings.delete({ where: { shop: SHOP } });
  });

  it("starts at the first push with a control group when the first push had none (the share is 0 until set)", async () => {
    const handle = "late-control";
    const FIRST_STARTED = new Date("2026-09-10T10:00:00Z");
    const FIRST_PUSHED = new Date("2026-09-10T10:05:00Z");
    const SHARE_SET = new Date("2026-09-20T08:00:00Z");
    const segment = await db.prisma.segment.create({ data: { shop: SHOP, handle, name: handle, firstPushedAt: FIRST_PUSHED } });
    const gidOf = (i: number) => `gid://shopify/Customer/${handle}${i}`;
    const members = Array.from({ length: 400 }, (_, i) => ({ shop: SHOP, segmentId: segment.id, customerShopifyId: gidOf(i), isControl: i % 4 === 0 }));
    // Everyone joined while the share was 0: no control group at the first push, which tagged them all.
    await db.prisma.segmentMembershipChange.createMany({ data: members.map((m) => ({ ...m, isControl: false, joined: true, at: JOINED })) });
    await db.prisma.tagPush.create({ data: { shop: SHOP, segmentId: segment.id, tag: `ci-${handle}`, status: "completed", startedAt: FIRST_STARTED, finishedAt: FIRST_PUSHED } });
    // The merchant sets a 25 % share: every fourth member is held out, then a second push.
    await db.prisma.segmentMembership.createMany({ data: members });
    await db.prisma.segmentMembershipChange.createMany({ data: members.filter((m) => m.isControl).map((m) => ({ ...m, joined: true, at: SHARE_SET })) });
    const before = await liftOf(segment.id, FIRST_PUSHED);
    expect(before).toEqual({ state: "no-hold-out" });
    // No push since the share was set: no comparison yet, and no moment to name for one.
    expect(await liftWindow(db.prisma, SHOP, segment.id, FIRST_PUSHED)).toBeNull();
    await db.prisma.tagPush.create({ data: { shop: SHOP, segmentId: segment.id, tag: `ci-${handle}`, status: "completed", startedAt: PUSH_STARTED, finishedAt: PUSHED } });
    expect(await liftWindow(db.prisma, SHOP, segment.id, FIRST_PUSHED)).toEqual({ cohortAt: PUSH_STARTED, since: PUSHED });
    // Tagged members buy half as often again after the second push; orders between the pushes do not count.
    await db.prisma.order.createMany({
      data: members.flatMap((m, i) => [
        { shop: SHOP, shopifyId: `gid://shopify/Order/${handle}-between-${i}`, customerShopifyId: m.customerShopifyId, totalPrice: 50, shopifyCreatedAt: new Date("2026-09-15T00:00:00Z") },
        ...(i % 2 === 1 || (m.isControl && i % 8 === 0) ? [{ shop: SHOP, shopifyId: `gid://shopify/Order/${handle}-after-${i}`, customerShopifyId: m.customerShopifyId, totalPrice: 50, shopifyCreatedAt: AFTER }] : []),
      ]),
    });
    const report = await liftOf(segment.id, FIRST_PUSHED);
    expect(report).toMatchObject({ state: "measured", tagged: 300, holdOut: 100 });
    if (report.state !== "measured") return;
    // Odd members (all tagged: every fourth is even) bought: 200 of 300; of the hold-outs every other (i % 8 === 0).
    expect(report.conversion.tagged).toBeCloseTo(200 / 300, 10);
    expect(report.conversion.holdOut).toBeCloseTo(50 / 100, 10);
  });

  it("has nothing to report before the first push", async () => {
    expect(await liftOf(1, null)).toEqual({ state: "no-hold-out" });
  });
});
