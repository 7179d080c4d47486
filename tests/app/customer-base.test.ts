/**
 * The customer base page's loader (seed 002): the authenticated shop's current analysis only —
 * its groups, active customers against earlier months with "n/a" (null) before the shop's first
 * order, and its lifecycle series — and nothing before the first analysis.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeStore } from "~/analytics/analyze-store";
import { testDataset } from "~/analytics/testing/test-dataset";
import { analysisSettings } from "~/settings/analysis-options";
import { DEFAULT_SETTINGS } from "~/settings/schema";
import { serializeSnapshotDocument, SNAPSHOT_VERSION } from "~/snapshots/snapshot-document";
import { TEST_DIALECTS } from "../db/test-database";
import { APP_URL, startAppUnderTest, type AppUnderTest } from "./app-under-test";
import { mintSessionToken } from "./session-token";

type Route = typeof import("~/routes/app.customer-base");
type CustomerBase = import("~/services/customer-base.server").CustomerBase;

/** A young shop: first orders in September 2026, analysed as of 2026-11-30. */
function youngShopAnalysis() {
  const dataset = testDataset([
    ["a", "2026-09-03", 40],
    ["a", "2026-10-02", 35],
    ["a", "2026-11-01", 30],
    ["b", "2026-09-20", 80],
    ["c", "2026-11-25", 20],
  ]);
  const { scores: _s, timings: _t, ...analysis } = analyzeStore(dataset, { asOf: "2026-11-30" });
  return analysis;
}

describe.each(TEST_DIALECTS)("customer base loader on %s", (dialect) => {
  let app: AppUnderTest;
  let route: Route;
  const load = async (shop: string) =>
    (await route.loader({ request: new Request(`${APP_URL}/app/customer-base`, { headers: { Authorization: `Bearer ${mintSessionToken({ shop })}` } }), params: {}, context: {} })) as CustomerBase;

  beforeAll(async () => {
    app = await startAppUnderTest(dialect);
    route = await app.load<Route>("~/routes/app.customer-base");
  }, 60_000);
  afterAll(async () => app?.close());

  it("has nothing before the first analysis, and never another shop's", async () => {
    const shop = "base-empty.myshopify.com";
    const other = "base-other.myshopify.com";
    for (const s of [shop, other]) {
      await app.storeOfflineSession(s);
      await app.db.prisma.shop.create({ data: { shop: s } });
    }
    const analysis = youngShopAnalysis();
    await app.db.prisma.analysisSnapshot.create({
      data: {
        shop: other, asOf: new Date("2026-11-30T00:00:00Z"), customers: 3, orders: 5, version: SNAPSHOT_VERSION, completedAt: new Date(),
        data: serializeSnapshotDocument({ analysis, revenue: { revenueBasis: "current_total", ordersWithoutNetSales: 0 }, settings: analysisSettings(DEFAULT_SETTINGS), timings: {} }),
      },
    });
    expect((await load(shop)).analysis).toBeNull();
    expect((await load(other)).analysis).not.toBeNull();
  });

  it("shows the groups and lifecycle as stored and n/a, not 0, before the shop's first order", async () => {
    const shop = "base-young.myshopify.com";
    await app.storeOfflineSession(shop);
    await app.db.prisma.shop.create({ data: { shop } });
    const analysis = youngShopAnalysis();
    await app.db.prisma.analysisSnapshot.create({
      data: {
        shop, asOf: new Date("2026-11-30T00:00:00Z"), customers: 3, orders: 5, version: SNAPSHOT_VERSION, completedAt: new Date(),
        data: serializeSnapshotDocument({ analysis, revenue: { revenueBasis: "current_total", ordersWithoutNetSales: 0 }, settings: analysisSettings(DEFAULT_SETTINGS), timings: {} }),
      },
    });
    const base = (await load(shop)).analysis!;
    expect(base.groups.map((g) => g.customers).reduce((s, n) => s + n, 0)).toBe(3);
    expect(base.lifecycle).toEqual(analysis.series.lifecycle);
    const byMonths = Object.fromEntries(base.active.map((r) => [r.monthsAgo, r.active]));
    // 2026-05-31 and 2025-11-30 are before the first order (September 2026): unknown, not zero.
    expect(byMonths[6]).toBeNull();
    expect(byMonths[12]).toBeNull();
    // Now: a (monthly buyer, last order 29 days ago) and c (new) are active; b is not.
    expect(byMonths[0]).toBe(2);
    expect(byMonths[1]).not.toBeNull();
  });
});
