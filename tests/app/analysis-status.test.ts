/**
 * Every page that shows analysed figures says what the home page says about them (issue #9
 * item 1, #16 item 3): right after a setting that changes figures is saved, "being recalculated"
 * with the figures still from the previous analysis; once the recompute stored the new analysis,
 * no longer, with the new figures; after a failing recompute, "the last update failed". Saved
 * through the Settings route and read through the pages' loaders as the browser would, on SQLite
 * and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SyncContext } from "~/sync/sync-context";
import { TEST_DIALECTS, testSyncContext } from "../db/test-database";
import { APP_URL, startAppUnderTest, type AppUnderTest } from "./app-under-test";
import { mintSessionToken } from "./session-token";

type AnalysisStatus = import("~/snapshots/read-analysis.server").AnalysisStatus;
type CustomerList = import("~/services/customers.server").CustomerList;
type Loader = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<unknown>;

const SHOP = "analysis-status.myshopify.com";
const AS_OF = new Date("2026-06-30T12:00:00Z");
const DAY = 86_400_000;
const DEFAULTS = { tagPrefix: "ci-", vipSharePercent: "10", lifecycleActiveFactor: "1.5", lifecycleLostFactor: "2", newCustomerDays: "30", monthlyMarketingSpend: "0", revenueBasis: "current_total" };
const CUSTOMERS = 40;

/** The pages besides Customers that show analysed figures, by route module, path and params. */
const OTHER_PAGES: [module: string, path: string, params: Record<string, string>][] = [
  ["~/routes/app.customer-base", "/app/customer-base", {}],
  ["~/routes/app.customers_.$id", "/app/customers/1000", { id: "1000" }],
  ["~/routes/app.geography", "/app/geography", {}],
  ["~/routes/app.products", "/app/products", {}],
  ["~/routes/app.timing", "/app/timing", {}],
  ["~/routes/app.acquisition", "/app/acquisition", {}],
  ["~/routes/app.model-quality", "/app/model-quality", {}],
  ["~/routes/app.segments._index", "/app/segments", {}],
  ["~/routes/app.settings", "/app/settings", {}],
  ["~/routes/app._index", "/app", {}],
];

describe.each(TEST_DIALECTS)("the analysis status the pages receive on %s", (dialect) => {
  let app: AppUnderTest;
  let recompute: typeof import("~/jobs/handlers/recompute").recomputeShop;
  let ctx: SyncContext;

  const request = (path: string, init: RequestInit = {}) =>
    new Request(`${APP_URL}${path}`, { ...init, headers: { Authorization: `Bearer ${mintSessionToken({ shop: SHOP })}` } });
  const loaderOf = async (module: string) => (await app.load<{ loader: Loader }>(module)).loader;
  const customers = async () => (await (await loaderOf("~/routes/app.customers"))({ request: request("/app/customers"), params: {}, context: {} })) as CustomerList;
  const statusOf = async (module: string, path: string, params: Record<string, string>) =>
    ((await (await loaderOf(module))({ request: request(path), params, context: {} })) as { analysisStatus: AnalysisStatus }).analysisStatus;
  /** Saves the form through the Settings route, as the page's Save button does; the recompute it queues is not run. */
  const save = async (form: Record<string, string>) => {
    const settings = await app.load<typeof import("~/routes/app.settings")>("~/routes/app.settings");
    const response = (await settings.action({ request: request("/app/settings", { method: "POST", body: new URLSearchParams(form) }), params: {}, context: {} })) as Response;
    expect(response.status).toBe(200);
    return (await response.json()) as { status: string; recalculating?: boolean };
  };
  const vips = (list: CustomerList) => list.rows.filter((r) => r.group === "vip").length;
  const computedAt = async () =>
    (await app.db.prisma.analysisSnapshot.findFirstOrThrow({ where: { shop: SHOP, completedAt: { not: null } }, orderBy: { id: "desc" } })).completedAt!.toISOString();
  /** Every other page receives exactly the status the Customers page received. */
  const everyPageSays = async (expected: AnalysisStatus) => {
    for (const [module, path, params] of OTHER_PAGES) expect([module, await statusOf(module, path, params)]).toEqual([module, expected]);
    // The segment pages too (the built-in segments exist once the list was opened).
    const segment = await app.db.prisma.segment.findFirstOrThrow({ where: { shop: SHOP }, orderBy: { id: "asc" } });
    expect(await statusOf("~/routes/app.segments.$id", `/app/segments/${segment.id}`, { id: String(segment.id) })).toEqual(expected);
  };

  beforeAll(async () => {
    app = await startAppUnderTest(dialect);
    recompute = (await app.load<typeof import("~/jobs/handlers/recompute")>("~/jobs/handlers/recompute")).recomputeShop;
    ctx = testSyncContext(app.db).ctx;
    await app.storeOfflineSession(SHOP);
    await app.db.prisma.shop.create({ data: { shop: SHOP, ianaTimezone: "UTC", currencyCode: "EUR" } });
    // Customers with two or three orders each, spend rising with the index: the VIP share decides how many are VIPs.
    const orders: { shop: string; shopifyId: string; customerShopifyId: string; totalPrice: string; shopifyCreatedAt: Date }[] = [];
    for (let i = 0; i < CUSTOMERS; i++) {
      const customer = `gid://shopify/Customer/${1000 + i}`;
      await app.db.prisma.customer.create({ data: { shop: SHOP, shopifyId: customer, email: `c${i}@example.com` } });
      for (let k = 0; k < 2 + (i % 2); k++) {
        orders.push({ shop: SHOP, shopifyId: `gid://shopify/Order/${i * 10 + k}`, customerShopifyId: customer, totalPrice: (10 * (i + 1)).toFixed(2), shopifyCreatedAt: new Date(AS_OF.getTime() - (5 + k * 20 + (i % 7) * 9) * DAY) });
      }
    }
    await app.db.prisma.order.createMany({ data: orders });
    // The first analysis, with the default settings.
    await recompute(ctx, SHOP, { asOf: AS_OF });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it("is 'recalculating' right after a save that changes figures, with the previous figures; not once the new ones are stored; 'failed' after a failing recompute", async () => {
    const first = await customers();
    const firstAt = await computedAt();
    expect(first.analysisStatus).toEqual({ computedAt: firstAt, recalculating: false, lastFailure: null, timeZone: "UTC" });
    expect(first.total).toBe(CUSTOMERS);
    // Opening the list creates the built-in segments the segment pages need.
    await statusOf("~/routes/app.segments._index", "/app/segments", {});
    await everyPageSays(first.analysisStatus);

    // Only the tag prefix: no figure changes, nothing to recalculate.
    expect(await save({ ...DEFAULTS, tagPrefix: "shop-" })).toMatchObject({ status: "saved", recalculating: false });
    expect((await customers()).analysisStatus.recalculating).toBe(false);

    // VIP share 10 → 25 %: a recompute is queued at once, and every page says so while showing the previous figures.
    expect(await save({ ...DEFAULTS, vipSharePercent: "25" })).toMatchObject({ status: "saved", recalculating: true });
    const waiting = await customers();
    expect(waiting.analysisStatus).toEqual({ computedAt: firstAt, recalculating: true, lastFailure: null, timeZone: "UTC" });
    expect(vips(waiting)).toBe(vips(first));
    await everyPageSays(waiting.analysisStatus);

    // The recompute stores the new analysis: no longer recalculating, and the new figures are shown.
    await recompute(ctx, SHOP, { asOf: AS_OF });
    const done = await customers();
    const doneAt = await computedAt();
    expect(doneAt > firstAt).toBe(true);
    expect(done.analysisStatus).toEqual({ computedAt: doneAt, recalculating: false, lastFailure: null, timeZone: "UTC" });
    expect(vips(done)).toBeGreaterThan(vips(first));
    await everyPageSays(done.analysisStatus);

    // A recompute that fails (an unknown time zone): the previous figures stay, and the pages say the update failed.
    await app.db.prisma.shop.update({ where: { shop: SHOP }, data: { ianaTimezone: "Mars/Olympus_Mons" } });
    expect(await save({ ...DEFAULTS, vipSharePercent: "10" })).toMatchObject({ status: "saved", recalculating: true });
    await expect(recompute(ctx, SHOP, { asOf: AS_OF })).rejects.toThrow();
    // (The zone set right again: the customer page formats its days in it. The failure stays until the next success.)
    await app.db.prisma.shop.update({ where: { shop: SHOP }, data: { ianaTimezone: "UTC" } });
    const failed = await customers();
    const failedAt = (await app.db.prisma.shop.findUniqueOrThrow({ where: { shop: SHOP } })).analysisFailedAt!.toISOString();
    expect(failed.analysisStatus).toEqual({ computedAt: doneAt, recalculating: true, lastFailure: { at: failedAt }, timeZone: "UTC" });
    expect(vips(failed)).toBe(vips(done));
    await everyPageSays(failed.analysisStatus);

    // The retry succeeds: the failure is gone with the recalculation.
    await recompute(ctx, SHOP, { asOf: AS_OF });
    const retried = await customers();
    expect(retried.analysisStatus).toEqual({ computedAt: await computedAt(), recalculating: false, lastFailure: null, timeZone: "UTC" });
    expect(vips(retried)).toBe(vips(first));
  }, 120_000);
});
