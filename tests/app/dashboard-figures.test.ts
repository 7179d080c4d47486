/**
 * The home page's loader shows the key figures of the authenticated shop's current analysis
 * (the newest complete snapshot of the current document version) as stored (value, previous
 * value, change), its customer groups and the honest "not enough data" of the models — never
 * another shop's snapshot, never an incomplete one, never an older document version half-read —
 * and says when new figures are on their way or the last update failed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeStore } from "~/analytics/analyze-store";
import { createDatasetBuilder } from "~/analytics/dataset/dataset-builder";
import { analysisSettings } from "~/settings/analysis-options";
import { DEFAULT_SETTINGS } from "~/settings/schema";
import { SNAPSHOT_VERSION } from "~/snapshots/snapshot-document";
import { TEST_DIALECTS } from "../db/test-database";
import { APP_URL, responseOf, startAppUnderTest, type AppUnderTest } from "./app-under-test";
import { mintSessionToken } from "./session-token";

type DashboardRoute = typeof import("~/routes/app._index");
type Dashboard = import("~/services/dashboard.server").Dashboard;

const SHOP = "figures-shop.myshopify.com";
const OTHER_SHOP = "figures-other.myshopify.com";

const figure = (key: string, value: number | null, previous: number | null) => ({
  key,
  definition: "stored definition",
  value,
  previous,
  change: value === null || previous === null || previous === 0 ? null : (value - previous) / Math.abs(previous),
  changeUnit: "relative",
});

/** The parts of a stored analysis these tests do not vary (charts, series), as `analyzeStore` writes them. */
const { scores: _scores, timings: _timings, metricsByPeriod: _byPeriod, ...EMPTY_ANALYSIS } = analyzeStore(createDatasetBuilder().build(), { asOf: "2026-11-21" });

/** A stored analysis in the shape `analyzeStore` writes (only the parts the page reads vary). */
function storedAnalysis(asOf: string, totalCustomers: number, models: unknown, extra: Record<string, unknown> = {}) {
  const figures = {
    "total-customers": figure("total-customers", totalCustomers, 100),
    "new-customers": figure("new-customers", 30, 40),
    ltv: figure("ltv", 154.25, 150),
    "repeat-purchase-rate": figure("repeat-purchase-rate", 0.25, 0.2),
    "retention-rate": figure("retention-rate", null, null),
    "churn-rate-monthly": figure("churn-rate-monthly", 0.05, 0.04),
    aov: figure("aov", 61.7, 60),
    "orders-per-customer": figure("orders-per-customer", 1.4, 1.5),
    "guest-order-share": figure("guest-order-share", 0.1, 0.1),
    cac: figure("cac", null, null),
  };
  return {
    ...EMPTY_ANALYSIS,
    asOf,
    customers: totalCustomers,
    orders: 0,
    lifecycle: { new: 1, active: 2, "slipping-away": 3, lost: 4 },
    customerTypes: { rules: [], counts: { new: 1 } },
    metrics: { period: { start: "2026-08-24", end: asOf, preset: "90d" }, previousPeriod: { start: "2026-05-26", end: "2026-08-23" }, figures },
    groups: {
      vipRevenueThreshold: 500,
      frequentOrdersPerYearThreshold: 4,
      metrics: [
        { group: "one-time", customers: 80, ltv: 55.5, averageOrders: 1, averageBasketSize: 2, ordersPerYear: 1, revenuePerYear: 55.5, lostShare: 0.5 },
        { group: "vip", customers: 5, ltv: 900, averageOrders: 12, averageBasketSize: 3, ordersPerYear: 6, revenuePerYear: 450, lostShare: 0 },
      ],
    },
    models,
    ...extra,
  };
}

/** A snapshot as the recompute stores it: versioned document, completed unless told otherwise. */
function storedSnapshot(shop: string, analysis: ReturnType<typeof storedAnalysis>, options: { createdAt?: string; revenueBasis?: "current_total" | "net_sales"; ordersWithoutNetSales?: number; version?: number; completed?: boolean } = {}) {
  const createdAt = new Date(options.createdAt ?? "2026-11-22T03:00:00Z");
  const basis = options.revenueBasis ?? "current_total";
  return {
    shop,
    asOf: new Date(`${analysis.asOf}T00:00:00Z`),
    customers: analysis.customers,
    orders: 0,
    createdAt,
    completedAt: options.completed === false ? null : createdAt,
    version: options.version ?? SNAPSHOT_VERSION,
    data: JSON.stringify({
      analysis,
      revenue: { revenueBasis: basis, ordersWithoutNetSales: options.ordersWithoutNetSales ?? 0 },
      settings: { ...analysisSettings(DEFAULT_SETTINGS), revenueBasis: basis },
      timings: {},
    }),
  };
}

describe.each(TEST_DIALECTS)("dashboard loader with figures on %s", (dialect) => {
  let app: AppUnderTest;
  let route: DashboardRoute;

  const load = async (shop: string, search = "") =>
    (await route.loader({
      request: new Request(`${APP_URL}/app${search}`, { headers: { Authorization: `Bearer ${mintSessionToken({ shop })}` } }),
      params: {},
      context: {},
    })) as Dashboard;

  beforeAll(async () => {
    app = await startAppUnderTest(dialect);
    route = await app.load<DashboardRoute>("~/routes/app._index");
    await app.storeOfflineSession(SHOP);
    await app.storeOfflineSession(OTHER_SHOP);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it("has no figures before the first snapshot", async () => {
    const dashboard = await load(SHOP);
    expect(dashboard.analysis).toBeNull();
    expect(dashboard.progress.status).toBe("none");
  });

  it("shows the shop's latest snapshot, not an older one and not another shop's newer one", async () => {
    const prisma = app.db.prisma;
    await prisma.shop.update({ where: { shop: SHOP }, data: { currencyCode: "EUR" } }).catch(() =>
      prisma.shop.create({ data: { shop: SHOP, currencyCode: "EUR", hasAllOrdersAccess: true } }),
    );
    const insufficient = {
      status: "insufficient-data",
      reason: "Not enough data for predictions: …",
      details: [{ kind: "too-few-repeat-customers", repeatCustomers: 12, required: 50 }],
    };
    const snapshot = (shop: string, asOf: string, total: number, createdAt: string, options: { version?: number; completed?: boolean } = {}) =>
      prisma.analysisSnapshot.create({ data: storedSnapshot(shop, storedAnalysis(asOf, total, insufficient), { createdAt, ...options }) });
    await snapshot(SHOP, "2026-11-20", 111, "2026-11-20T03:00:00Z");
    await snapshot(SHOP, "2026-11-21", 120, "2026-11-21T03:00:00Z");
    await snapshot(OTHER_SHOP, "2026-11-22", 999, "2026-11-22T03:00:00Z");
    // Newer, but still being written (its profiles incomplete), or of an older document version: never shown.
    await snapshot(SHOP, "2026-11-22", 130, "2026-11-22T03:00:00Z", { completed: false });
    await snapshot(SHOP, "2026-11-22", 140, "2026-11-22T04:00:00Z", { version: SNAPSHOT_VERSION - 1 });

    const { analysis } = await load(SHOP);
    expect(analysis).not.toBeNull();
    expect(analysis!.asOf).toBe("2026-11-21");
    expect(analysis!.currencyCode).toBe("EUR");
    expect(analysis!.revenueBasis).toBe("current_total");
    expect(analysis!.previousPeriod).toEqual({ start: "2026-05-26", end: "2026-08-23" });
    // The nine F2 figures in display order; CAC is not one of them.
    expect(analysis!.figures.map((f) => f.key)).toEqual([
      "total-customers",
      "new-customers",
      "ltv",
      "repeat-purchase-rate",
      "retention-rate",
      "churn-rate-monthly",
      "aov",
      "orders-per-customer",
      "guest-order-share",
    ]);
    const byKey = Object.fromEntries(analysis!.figures.map((f) => [f.key, f]));
    expect(byKey["total-customers"]).toEqual({ key: "total-customers", value: 120, previous: 100, change: 0.2, changeUnit: "relative" });
    expect(byKey.ltv.value).toBe(154.25);
    expect(byKey["churn-rate-monthly"].change).toBeCloseTo(0.25, 12);
    expect(byKey["retention-rate"]).toEqual({ key: "retention-rate", value: null, previous: null, change: null, changeUnit: "relative" });
    expect(analysis!.groups).toEqual([
      // AOV is the group's revenue per order: 900 per customer over 12 orders each is 75.
      { group: "one-time", customers: 80, ltv: 55.5, averageOrders: 1, lostShare: 0.5, ordersPerYear: 1, aov: 55.5 },
      { group: "vip", customers: 5, ltv: 900, averageOrders: 12, lostShare: 0, ordersPerYear: 6, aov: 75 },
    ]);
    expect(analysis!.models).toEqual({ status: "insufficient-data", details: [{ kind: "too-few-repeat-customers", repeatCustomers: 12, required: 50 }] });

    const other = await load(OTHER_SHOP);
    expect(other.analysis!.figures[0].value).toBe(999);
  });

  it("states the revenue basis the figures were computed on, not today's setting", async () => {
    const prisma = app.db.prisma;
    await prisma.shopSettings.create({ data: { shop: SHOP, revenueBasis: "net_sales" } });
    // The current figures were computed on the current order total, whatever the setting says now.
    expect((await load(SHOP)).analysis!.revenueBasis).toBe("current_total");
    await prisma.analysisSnapshot.create({ data: storedSnapshot(SHOP, storedAnalysis("2026-11-22", 1, { status: "fitted" }), { createdAt: "2026-11-22T05:00:00Z", revenueBasis: "net_sales" }) });
    const { analysis } = await load(SHOP);
    expect(analysis!.revenueBasis).toBe("net_sales");
    expect(analysis!.ordersWithoutNetSales).toBe(0);
    expect(analysis!.models).toEqual({ status: "fitted" });
  });

  it("reports how many orders counted at their total on the net-sales basis because their net sales are unknown", async () => {
    const shop = "figures-fallback.myshopify.com";
    await app.storeOfflineSession(shop);
    await app.db.prisma.analysisSnapshot.create({ data: storedSnapshot(shop, storedAnalysis("2026-11-22", 1, { status: "fitted" }), { revenueBasis: "net_sales", ordersWithoutNetSales: 37 }) });
    const { analysis } = await load(shop);
    expect(analysis!.revenueBasis).toBe("net_sales");
    expect(analysis!.ordersWithoutNetSales).toBe(37);
  });

  it("treats a snapshot without figures, or of the current version but the wrong shape, as no figures yet instead of failing", async () => {
    const shop = "figures-empty.myshopify.com";
    await app.storeOfflineSession(shop);
    await app.db.prisma.analysisSnapshot.create({ data: { shop, asOf: new Date("2026-11-22T00:00:00Z"), customers: 0, orders: 0, data: "{}", version: SNAPSHOT_VERSION, completedAt: new Date() } });
    await app.db.prisma.analysisSnapshot.create({ data: { shop, asOf: new Date("2026-11-22T00:00:00Z"), customers: 0, orders: 0, data: "not json", version: SNAPSHOT_VERSION, completedAt: new Date() } });
    expect((await load(shop)).analysis).toBeNull();
  });

  it("says when figures are being recalculated, and when the last update failed, while showing the previous figures", async () => {
    const shop = "figures-state.myshopify.com";
    await app.storeOfflineSession(shop);
    await app.db.prisma.shop.create({ data: { shop } });
    await app.db.prisma.analysisSnapshot.create({ data: storedSnapshot(shop, storedAnalysis("2026-11-22", 7, { status: "fitted" }), { createdAt: "2026-11-22T03:00:00Z" }) });
    expect((await load(shop)).analysisStatus).toEqual({ computedAt: "2026-11-22T03:00:00.000Z", recalculating: false, lastFailure: null, timeZone: "UTC" });
    await app.db.prisma.shop.update({ where: { shop }, data: { analysisRequestedAt: new Date("2026-11-22T04:00:00Z") } });
    expect((await load(shop)).analysisStatus).toEqual({ computedAt: "2026-11-22T03:00:00.000Z", recalculating: true, lastFailure: null, timeZone: "UTC" });
    await app.db.prisma.shop.update({ where: { shop }, data: { analysisFailedAt: new Date("2026-11-22T04:01:00Z"), analysisError: "connection lost" } });
    const failed = await load(shop);
    expect(failed.analysisStatus.lastFailure).toEqual({ at: "2026-11-22T04:01:00.000Z" });
    expect(failed.analysis!.figures[0].value).toBe(7);
  });

  it("reports import progress as objects done of total while the backfill runs", async () => {
    await app.db.prisma.syncRun.create({
      data: { shop: OTHER_SHOP, kind: "backfill", status: "running", objectsDone: 250, objectsTotal: 1000, startedAt: new Date("2026-11-22T04:00:00Z") },
    });
    expect((await load(OTHER_SHOP)).progress).toMatchObject({ status: "running", objectsDone: 250, objectsTotal: 1000 });
    expect((await load(SHOP)).progress.status).toBe("none");
  });

  it("shows the chosen period's stored figures and comparison; without stored presets only the stored period", async () => {
    const shop = "figures-periods.myshopify.com";
    await app.storeOfflineSession(shop);
    await app.db.prisma.shop.create({ data: { shop } });
    const base = storedAnalysis("2026-11-22", 500, { status: "fitted" });
    const preset = (preset: string, total: number, previous: { start: string; end: string } | null) => ({
      period: { start: "2026-10-24", end: "2026-11-22", preset },
      previousPeriod: previous,
      figures: { ...base.metrics.figures, "total-customers": figure("total-customers", total, previous ? 250 : null) },
    });
    const byPeriod = {
      "30d": preset("30d", 300, { start: "2026-09-24", end: "2026-10-23" }),
      "90d": base.metrics,
      "12m": preset("12m", 1200, { start: "2024-11-23", end: "2025-11-22" }),
      all: preset("all", 4000, null),
    };
    await app.db.prisma.analysisSnapshot.create({ data: storedSnapshot(shop, { ...base, metricsByPeriod: byPeriod } as typeof base) });

    const thirty = (await load(shop, "?period=30d")).analysis!;
    expect(thirty.figures[0]).toMatchObject({ key: "total-customers", value: 300, previous: 250 });
    expect(thirty.previousPeriod).toEqual({ start: "2026-09-24", end: "2026-10-23" });
    expect(thirty.periodChoice).toEqual({ choice: { kind: "preset", preset: "30d" }, presets: ["30d", "90d", "12m", "all"], customError: null });
    const all = (await load(shop, "?period=all")).analysis!;
    expect(all.figures[0].value).toBe(4000);
    expect(all.previousPeriod).toBeNull();
    // The default is the stored 90 days.
    expect((await load(shop)).analysis!.figures[0].value).toBe(500);

    // A document written before presets were stored: the stored period only, whatever is asked.
    const older = "figures-older.myshopify.com";
    await app.storeOfflineSession(older);
    await app.db.prisma.shop.create({ data: { shop: older } });
    await app.db.prisma.analysisSnapshot.create({ data: storedSnapshot(older, storedAnalysis("2026-11-22", 77, { status: "fitted" })) });
    const fallback = (await load(older, "?period=12m")).analysis!;
    expect(fallback.figures[0].value).toBe(77);
    expect(fallback.periodChoice).toMatchObject({ choice: { kind: "preset", preset: "90d" }, presets: ["90d"] });
  });

  it("answers a period that is not offered with 400, and a bad custom range with the field's error and the default figures", async () => {
    const shop = "figures-periods.myshopify.com";
    const response = await responseOf(() => load(shop, "?period=7d"));
    expect(response).toBeInstanceOf(Response);
    expect((response as Response).status).toBe(400);
    // The lists' shape, so the page can say which parameter and offer the page without it.
    await expect((response as Response).json()).resolves.toMatchObject({ error: "invalid-query", field: "period", reason: "not-one-of", allowed: ["30d", "90d", "12m", "all", "custom"] });

    const backwards = (await load(shop, "?period=custom&from=2026-11-20&to=2026-11-01")).analysis!;
    expect(backwards.periodChoice.customError).toBe("end-before-start");
    expect(backwards.periodChoice.choice).toEqual({ kind: "custom", from: "2026-11-20", to: "2026-11-01" });
    expect(backwards.figures[0].value).toBe(500);
    // Days after the analysis have no figures yet.
    expect((await load(shop, "?period=custom&from=2026-11-01&to=2026-12-31")).analysis!.periodChoice.customError).toBe("after-as-of");
    expect((await load(shop, "?period=custom&from=2026-13-01&to=2026-11-20")).analysis!.periodChoice.customError).toBe("invalid-start");
  });

  it("estimates the import's time left from its pace", async () => {
    const shop = "figures-pace.myshopify.com";
    await app.storeOfflineSession(shop);
    await app.db.prisma.shop.create({ data: { shop } });
    await app.db.prisma.syncRun.create({ data: { shop, kind: "backfill", status: "running", objectsDone: 250, objectsTotal: 1000, startedAt: new Date(Date.now() - 60_000) } });
    // A quarter in a minute: about three minutes to go.
    const left = (await load(shop)).progress.secondsLeft!;
    expect(left).toBeGreaterThan(170);
    expect(left).toBeLessThan(200);
  });
});
