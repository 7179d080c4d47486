/**
 * The segment page's stored figures on SQLite and PostgreSQL (figures.server.ts): a full
 * membership refresh stores, for every segment, the totals, popular products and store totals
 * the page would compute from the members itself (segment-page.test.ts checks those against the
 * raw orders); the page shows them; and they are never shown for another membership or analysis
 * than the segment's: a new analysis, or a segment refreshed alone, makes the page compute from
 * its current members until the next full refresh replaces them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recomputeShop } from "~/jobs/handlers/recompute";
import { customerTotals, popularProducts, storedSegmentFigures, type Scope, type SegmentFigures } from "~/segment-page/figures.server";
import type { CustomerTotals } from "~/segment-page/segment-figures";
import { PRODUCT_SORTS } from "~/segment-page/segment-page-query";
import { refreshProfilesJob } from "~/jobs/handlers/refresh-profiles";
import { refreshSegmentMemberships } from "~/segments/refresh-memberships.server";
import { markProfilesStale } from "~/snapshots/refresh-profiles.server";
import { readCurrentAnalysis } from "~/snapshots/read-analysis.server";
import { copyOrderPurchasesToLines } from "~/sync/store/line-purchase";
import { TEST_DIALECTS, testSyncContext } from "../db/test-database";
import { APP_URL, startAppUnderTest, type AppUnderTest } from "./app-under-test";
import { mintSessionToken } from "./session-token";

type PageRoute = typeof import("~/routes/app.segments.$id");
type SegmentPage = import("~/services/segment-page.server").SegmentPage;

const SHOP = "segment-page-figures.myshopify.com";
const DAY_MS = 86_400_000;
const gid = (n: number) => `gid://shopify/Customer/${n}`;
const product = (n: number) => `gid://shopify/Product/${n}`;

interface RawOrder { customer: number | null; day: string; total: number; lines: [number | null, number, number][]; test?: boolean; cancelled?: boolean }

// Customers 1–8; 1, 2, 3 and 6 order more than once. A test order, a cancelled one, a guest's and a line without a product.
const ORDERS: RawOrder[] = [
  { customer: 1, day: "2025-01-10", total: 120, lines: [[1, 2, 80], [2, 1, 40]] },
  { customer: 1, day: "2025-06-10", total: 62.5, lines: [[1, 1, 40], [null, 1, 2.5], [3, 3, 20]] },
  { customer: 1, day: "2026-03-01", total: 500, lines: [[1, 9, 500]], test: true },
  { customer: 2, day: "2025-03-05", total: 45, lines: [[3, 5, 45]] },
  { customer: 2, day: "2026-02-05", total: 70, lines: [[1, 1, 70]] },
  { customer: 2, day: "2026-04-05", total: 70, lines: [[4, 1, 70]], cancelled: true },
  { customer: 3, day: "2024-11-01", total: 30, lines: [[2, 1, 30]] },
  { customer: 3, day: "2025-02-01", total: 35, lines: [[2, 1, 35]] },
  { customer: 3, day: "2025-09-01", total: 40, lines: [[4, 2, 40]] },
  { customer: 4, day: "2026-05-15", total: 210, lines: [[4, 6, 210]] },
  { customer: 5, day: "2024-08-20", total: 55, lines: [[2, 2, 55]] },
  { customer: 6, day: "2025-12-01", total: 400, lines: [[1, 4, 300], [4, 2, 100]] },
  { customer: 6, day: "2026-05-01", total: 150, lines: [[3, 1, 150]] },
  { customer: 7, day: "2026-01-12", total: 12, lines: [[3, 1, 12]] },
  { customer: 8, day: "2025-10-10", total: 66, lines: [[2, 2, 66]] },
  { customer: null, day: "2026-06-01", total: 999, lines: [[1, 10, 999]] },
];

const REPEAT_RULE = (orders: number) => JSON.stringify({ type: "group", match: "all", children: [{ type: "condition", field: "orderCount", operator: "gte", value: orders }] });

describe.each(TEST_DIALECTS)("stored segment page figures on %s", (dialect) => {
  let app: AppUnderTest;
  let route: PageRoute;
  let repeatId: number;
  let orderNumber = 0;
  const asOf = { at: new Date("2026-06-30T12:00:00Z") };

  const request = (path: string) => new Request(`${APP_URL}${path}`, { headers: { Authorization: `Bearer ${mintSessionToken({ shop: SHOP })}` } });
  const load = async (id: number, query = "") => (await route.loader({ request: request(`/app/segments/${id}?${query}`), params: { id: String(id) }, context: {} })) as SegmentPage;
  const ctx = () => testSyncContext(app.db, { now: () => asOf.at }).ctx;

  /** Orders written as the app's writers leave them: each line with its order's buyer and purchase time. */
  async function writeOrders(orders: RawOrder[]) {
    const prisma = app.db.prisma;
    const ids: number[] = [];
    for (const o of orders) {
      const n = ++orderNumber;
      const at = new Date(`${o.day}T12:00:00Z`);
      const order = await prisma.order.create({
        data: {
          shop: SHOP, shopifyId: `gid://shopify/Order/${n}`, customerShopifyId: o.customer === null ? null : gid(o.customer), totalPrice: o.total.toFixed(2),
          shopifyCreatedAt: at, test: o.test ?? false, cancelledAt: o.cancelled ? at : null,
          lines: { create: o.lines.map(([p, quantity, amount], j) => ({ shop: SHOP, shopifyId: `gid://shopify/LineItem/${n}-${j}`, productShopifyId: p === null ? null : product(p), title: p === null ? "Gift wrap" : `Product ${p}`, quantity, amount: amount.toFixed(2) })) },
        },
      });
      ids.push(order.id);
    }
    await copyOrderPurchasesToLines({ db: prisma, dialect }, SHOP, ids);
  }

  /** The page's own computation from the segment's current members (what it shows when nothing stored fits). */
  async function computedFigures(segmentId: number): Promise<SegmentFigures> {
    const current = (await readCurrentAnalysis(app.db.prisma, SHOP))!;
    const scope: Scope = { prisma: app.db.prisma, dialect, shop: SHOP, segmentId, snapshotId: current.snapshotId, ordersUntil: current.computedAt };
    const products = Object.fromEntries(await Promise.all(PRODUCT_SORTS.map(async (sort) => [sort, await popularProducts(scope, sort)]))) as SegmentFigures["products"];
    return { segment: await customerTotals(scope, true), store: await customerTotals(scope, false), products };
  }

  function expectSameTotals(got: CustomerTotals, want: CustomerTotals) {
    for (const key of Object.keys(want) as (keyof CustomerTotals)[]) expect([key, got[key]]).toEqual([key, expect.closeTo(want[key], 6)]);
  }

  function expectSameFigures(got: SegmentFigures, want: SegmentFigures) {
    expectSameTotals(got.segment, want.segment);
    expectSameTotals(got.store, want.store);
    for (const sort of PRODUCT_SORTS) {
      expect(got.products[sort].map((p) => [p.product, p.title, p.orders, p.quantity, p.customers])).toEqual(want.products[sort].map((p) => [p.product, p.title, p.orders, p.quantity, p.customers]));
      got.products[sort].forEach((p, i) => expect(p.revenue).toBeCloseTo(want.products[sort][i].revenue, 6));
    }
  }

  /** What the page shows, as figures: the segment's and the store's overview, and the products in each sort. */
  async function shownFigures(segmentId: number) {
    const pages = await Promise.all(PRODUCT_SORTS.map((sort) => load(segmentId, `products=${sort}`)));
    return { overview: pages[0].overview, insights: pages[0].insights, products: pages.map((p) => p.products.rows), total: pages[0].members.total };
  }

  const stored = async (segmentId: number) => {
    const segment = await app.db.prisma.segment.findUniqueOrThrow({ where: { id: segmentId } });
    return storedSegmentFigures(app.db.prisma, { id: segmentId, membersAsOf: segment.membersAsOf! }, (await readCurrentAnalysis(app.db.prisma, SHOP))!);
  };

  beforeAll(async () => {
    app = await startAppUnderTest(dialect);
    route = await app.load<PageRoute>("~/routes/app.segments.$id");
    await app.storeOfflineSession(SHOP);
    const prisma = app.db.prisma;
    await prisma.shop.upsert({ where: { shop: SHOP }, create: { shop: SHOP, currencyCode: "EUR", ianaTimezone: "UTC" }, update: {} });
    await prisma.customer.createMany({ data: Array.from({ length: 8 }, (_, i) => ({ shop: SHOP, shopifyId: gid(i + 1), firstName: `Name${i + 1}` })) });
    await writeOrders(ORDERS);
    await recomputeShop(ctx(), SHOP, { asOf: asOf.at });
    repeatId = (await prisma.segment.create({ data: { shop: SHOP, handle: "repeat", name: "Repeat", rules: REPEAT_RULE(2) } })).id;
    await refreshSegmentMemberships(ctx(), SHOP);
  }, 120_000);
  afterAll(async () => app?.close());

  it("stores every segment's figures at a full refresh, equal to the page's computation from the members, and the page shows them", async () => {
    const segments = await app.db.prisma.segment.findMany({ where: { shop: SHOP } });
    expect(segments.length).toBeGreaterThan(10); // the built-ins and the custom one
    expect(await app.db.prisma.segmentFigures.count({ where: { shop: SHOP } })).toBe(segments.length);
    for (const segment of segments) {
      const figures = await stored(segment.id);
      expect([segment.handle, figures === null]).toEqual([segment.handle, false]);
      expectSameFigures(figures!, await computedFigures(segment.id));
    }
    const repeat = (await stored(repeatId))!;
    // Customers 1, 2, 3 and 6; the test and cancelled orders and the guest count nowhere.
    expect(repeat.segment).toMatchObject({ customers: 4, orders: 9, items: 8 + 6 + 4 + 7 });
    expect(repeat.store.customers).toBe(8);

    // The page shows the stored figures, and they are what it computes without them.
    const shown = await shownFigures(repeatId);
    await app.db.prisma.segmentFigures.deleteMany({ where: { segmentId: repeatId } });
    expect(await shownFigures(repeatId)).toEqual(shown);
    expect(shown.total).toBe(4);
    await refreshSegmentMemberships(ctx(), SHOP);
  });

  it("never shows a former analysis' figures: a new analysis is computed from the members until the refresh replaces them", async () => {
    const before = (await stored(repeatId))!;
    // Customer 4's second order makes them a repeat customer in the next analysis.
    await writeOrders([{ customer: 4, day: "2026-06-20", total: 33, lines: [[2, 3, 33]] }]);
    await recomputeShop(ctx(), SHOP, { asOf: asOf.at });
    expect(await stored(repeatId)).toBeNull();
    // Not refreshed yet: the former members (4 is not one), against the new analysis (its store totals have the new order).
    const page = await load(repeatId);
    const computed = await computedFigures(repeatId);
    expect(page.overview!.find((f) => f.key === "customers")!.segment).toBe(4);
    expect(page.overview!.find((f) => f.key === "products")!.store).toBe(computed.store.items);
    expect(computed.store.items).toBe(before.store.items + 3);

    asOf.at = new Date(asOf.at.getTime() + DAY_MS);
    await refreshSegmentMemberships(ctx(), SHOP);
    const after = (await stored(repeatId))!;
    expectSameFigures(after, await computedFigures(repeatId));
    expect(after.segment.customers).toBe(5);
    expect(after.segment.items).toBe(before.segment.items + 6 + 3);
    expect(after.products.orders.find((p) => p.product === product(2))!.customers).toBe(before.products.orders.find((p) => p.product === product(2))!.customers + 1);
    expect((await load(repeatId)).overview!.find((f) => f.key === "customers")!.segment).toBe(5);
  });

  it("never shows figures stored in an earlier release's shape: the page computes them from the members", async () => {
    await refreshSegmentMemberships(ctx(), SHOP);
    const current = (await stored(repeatId))!;
    const shown = await shownFigures(repeatId);
    // As a release before decision 054 stored them: no version, yearly rates summed per customer.
    const { customerYearsSum: _, ...olderSegment } = current.segment;
    const older = { segment: { ...olderSegment, revenuePerYearSum: 1, ordersPerYearSum: 1 }, store: current.store, products: current.products };
    await app.db.prisma.segmentFigures.update({ where: { segmentId: repeatId }, data: { figures: JSON.stringify(older) } });
    expect(await stored(repeatId)).toBeNull();
    const page = await shownFigures(repeatId);
    expect(page).toEqual(shown);
    for (const key of ["ordersPerYear", "revenuePerYear"]) expect(Number.isFinite(page.insights!.find((f) => f.key === key)!.segment)).toBe(true);
  });

  it("stores the right figures for a shop with more segments than one pass of the products query takes (63)", async () => {
    const prisma = app.db.prisma;
    // Alternating rules, so neighbouring segments (neighbouring bits of a customer's mask) differ.
    const extra = Array.from({ length: 70 }, (_, i) => ({ shop: SHOP, handle: `many-${i}`, name: `Many ${i}`, rules: REPEAT_RULE(1 + (i % 3)) }));
    await prisma.segment.createMany({ data: extra });
    asOf.at = new Date(asOf.at.getTime() + DAY_MS);
    await refreshSegmentMemberships(ctx(), SHOP);
    const segments = await prisma.segment.findMany({ where: { shop: SHOP }, orderBy: { id: "asc" } });
    expect(segments.length).toBeGreaterThan(63);
    for (const segment of segments) {
      const figures = await stored(segment.id);
      expect([segment.handle, figures === null]).toEqual([segment.handle, false]);
      expectSameFigures(figures!, await computedFigures(segment.id));
    }
    // The last segment, in the second pass, has members and products.
    const last = (await stored(segments[segments.length - 1].id))!;
    expect(last.segment.customers).toBeGreaterThan(0);
    expect(last.products.orders.length).toBeGreaterThan(0);
    await prisma.segment.deleteMany({ where: { shop: SHOP, handle: { startsWith: "many-" } } });
  });

  it("never shows a former membership's figures: a segment refreshed alone (saved) is computed from its new members", async () => {
    await app.db.prisma.segment.update({ where: { id: repeatId }, data: { rules: REPEAT_RULE(3) } });
    asOf.at = new Date(asOf.at.getTime() + DAY_MS);
    await refreshSegmentMemberships(ctx(), SHOP, { segmentIds: [repeatId] });
    expect(await stored(repeatId)).toBeNull();
    const page = await load(repeatId);
    // Only customer 3 has three counted orders (customer 1's third is a test, customer 2's cancelled).
    expect(page.overview!.find((f) => f.key === "customers")!.segment).toBe((await computedFigures(repeatId)).segment.customers);
    expect(page.members.total).toBe(page.overview!.find((f) => f.key === "customers")!.segment);
    expect(page.members.rows.map((r) => r.customerShopifyId)).toEqual([gid(3)]);
  });

  it("says when orders moved members since the stored figures: the count and the list are current, the figures follow with the next full analysis", async () => {
    const prisma = app.db.prisma;
    await prisma.segment.update({ where: { id: repeatId }, data: { rules: REPEAT_RULE(2) } });
    asOf.at = new Date(asOf.at.getTime() + DAY_MS);
    await refreshSegmentMemberships(ctx(), SHOP);
    const before = await load(repeatId);
    const customersBefore = before.overview!.find((f) => f.key === "customers")!.segment!;
    expect(before.figuresBehindMembers).toBeNull();
    expect(before.segment.memberCount).toBe(customersBefore);
    expect(before.members.rows.map((r) => r.customerShopifyId)).not.toContain(gid(5));

    // Customer 5's second order, as a webhook brings it: the per-order refresh makes them a member.
    asOf.at = new Date(asOf.at.getTime() + 60_000);
    await writeOrders([{ customer: 5, day: asOf.at.toISOString().slice(0, 10), total: 20, lines: [[2, 1, 20]] }]);
    await markProfilesStale(ctx(), SHOP, [gid(5)]);
    await refreshProfilesJob({ context: ctx() })({ kind: "refresh-profiles", shop: SHOP, payload: {}, attempt: 1, signal: new AbortController().signal });

    const after = await load(repeatId);
    expect(after.segment.memberCount).toBe(customersBefore + 1);
    expect(after.members.rows.map((r) => r.customerShopifyId)).toContain(gid(5));
    expect(after.members.total).toBe(customersBefore + 1);
    // The stored figures are still the full refresh's, and the page says since when and for how many.
    expect(after.overview!.find((f) => f.key === "customers")!.segment).toBe(customersBefore);
    const segment = await prisma.segment.findUniqueOrThrow({ where: { id: repeatId } });
    expect(after.figuresBehindMembers).toEqual({ since: segment.membersAsOf!.toISOString(), customers: 1 });

    // The next analysis and its full refresh bring the figures up to the members: no note.
    asOf.at = new Date(asOf.at.getTime() + 60_000);
    await recomputeShop(ctx(), SHOP, { asOf: asOf.at });
    await refreshSegmentMemberships(ctx(), SHOP);
    const current = await load(repeatId);
    expect(current.figuresBehindMembers).toBeNull();
    expect(current.overview!.find((f) => f.key === "customers")!.segment).toBe(customersBefore + 1);
    expect(current.members.total).toBe(customersBefore + 1);
  });
});
