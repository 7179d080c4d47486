/**
 * The home page's loader shows the key figures of the authenticated shop's latest analysis
 * snapshot as stored (value, previous value, change), its customer groups and the honest
 * "not enough data" of the models — and never another shop's snapshot.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DIALECTS } from "../db/test-database";
import { APP_URL, startAppUnderTest, type AppUnderTest } from "./app-under-test";
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
});

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
    asOf,
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

describe.each(TEST_DIALECTS)("dashboard loader with figures on %s", (dialect) => {
  let app: AppUnderTest;
  let route: DashboardRoute;

  const load = async (shop: string) =>
    (await route.loader({
      request: new Request(`${APP_URL}/app`, { headers: { Authorization: `Bearer ${mintSessionToken({ shop })}` } }),
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
    const snapshot = (shop: string, asOf: string, total: number, createdAt: string) =>
      prisma.analysisSnapshot.create({
        data: { shop, asOf: new Date(`${asOf}T00:00:00Z`), customers: total, orders: 0, createdAt: new Date(createdAt), data: JSON.stringify(storedAnalysis(asOf, total, insufficient)) },
      });
    await snapshot(SHOP, "2026-11-20", 111, "2026-11-20T03:00:00Z");
    await snapshot(SHOP, "2026-11-21", 120, "2026-11-21T03:00:00Z");
    await snapshot(OTHER_SHOP, "2026-11-22", 999, "2026-11-22T03:00:00Z");

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
    expect(byKey["total-customers"]).toEqual({ key: "total-customers", value: 120, previous: 100, change: 0.2 });
    expect(byKey.ltv.value).toBe(154.25);
    expect(byKey["churn-rate-monthly"].change).toBeCloseTo(0.25, 12);
    expect(byKey["retention-rate"]).toEqual({ key: "retention-rate", value: null, previous: null, change: null });
    expect(analysis!.groups).toEqual([
      { group: "one-time", customers: 80, ltv: 55.5, averageOrders: 1, lostShare: 0.5 },
      { group: "vip", customers: 5, ltv: 900, averageOrders: 12, lostShare: 0 },
    ]);
    expect(analysis!.models).toEqual({ status: "insufficient-data", details: [{ kind: "too-few-repeat-customers", repeatCustomers: 12, required: 50 }] });

    const other = await load(OTHER_SHOP);
    expect(other.analysis!.figures[0].value).toBe(999);
  });

  it("states the revenue basis the figures were computed on, not today's setting", async () => {
    const prisma = app.db.prisma;
    await prisma.shopSettings.create({ data: { shop: SHOP, revenueBasis: "net_sales" } });
    // No basis recorded: the recompute job computed on the current order total.
    expect((await load(SHOP)).analysis!.revenueBasis).toBe("current_total");
    await prisma.analysisSnapshot.create({
      data: {
        shop: SHOP,
        asOf: new Date("2026-11-22T00:00:00Z"),
        customers: 1,
        orders: 1,
        createdAt: new Date("2026-11-22T05:00:00Z"),
        data: JSON.stringify(storedAnalysis("2026-11-22", 1, { status: "fitted" }, { revenueBasis: "net_sales" })),
      },
    });
    const { analysis } = await load(SHOP);
    expect(analysis!.revenueBasis).toBe("net_sales");
    expect(analysis!.ordersWithoutNetSales).toBe(0);
    expect(analysis!.models).toEqual({ status: "fitted" });
  });

  it("reports how many orders counted at their total on the net-sales basis because their net sales are unknown", async () => {
    const shop = "figures-fallback.myshopify.com";
    await app.storeOfflineSession(shop);
    await app.db.prisma.analysisSnapshot.create({
      data: {
        shop,
        asOf: new Date("2026-11-22T00:00:00Z"),
        customers: 1,
        orders: 1,
        data: JSON.stringify(storedAnalysis("2026-11-22", 1, { status: "fitted" }, { revenueBasis: "net_sales", ordersWithoutNetSales: 37 })),
      },
    });
    const { analysis } = await load(shop);
    expect(analysis!.revenueBasis).toBe("net_sales");
    expect(analysis!.ordersWithoutNetSales).toBe(37);
  });

  it("treats a snapshot without figures as no figures yet instead of failing", async () => {
    const shop = "figures-empty.myshopify.com";
    await app.storeOfflineSession(shop);
    await app.db.prisma.analysisSnapshot.create({ data: { shop, asOf: new Date("2026-11-22T00:00:00Z"), customers: 0, orders: 0, data: "{}" } });
    expect((await load(shop)).analysis).toBeNull();
  });

  it("reports import progress as objects done of total while the backfill runs", async () => {
    await app.db.prisma.syncRun.create({
      data: { shop: OTHER_SHOP, kind: "backfill", status: "running", objectsDone: 250, objectsTotal: 1000, startedAt: new Date("2026-11-22T04:00:00Z") },
    });
    expect((await load(OTHER_SHOP)).progress).toMatchObject({ status: "running", objectsDone: 250, objectsTotal: 1000 });
    expect((await load(SHOP)).progress.status).toBe("none");
  });
});
