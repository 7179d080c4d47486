/**
 * The home page shows the stored install and sync state as stored: the shop's latest full import
 * (not another shop's) with its progress and its error, its latest check for missed changes
 * beside it, and nothing invented.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DIALECTS } from "../db/test-database";
import { startAppUnderTest, type AppUnderTest } from "./app-under-test";

type DashboardService = typeof import("~/services/dashboard.server");

describe.each(TEST_DIALECTS)("getDashboardState on %s", (dialect) => {
  let app: AppUnderTest;
  let service: DashboardService;

  beforeAll(async () => {
    app = await startAppUnderTest(dialect);
    service = await app.load<DashboardService>("~/services/dashboard.server");
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it("has no install and no sync for an unknown shop", async () => {
    expect(await service.getDashboardState("unknown.myshopify.com")).toEqual({ install: null, lastImport: null, lastCheck: null, timeZone: "UTC" });
  });

  it("reports the shop's latest full import with its progress", async () => {
    const shop = "syncing.myshopify.com";
    await app.db.prisma.shop.create({ data: { shop, hasAllOrdersAccess: true } });
    await app.db.prisma.syncRun.create({
      data: {
        shop,
        kind: "backfill",
        status: "failed",
        error: "Bulk operation ACCESS_DENIED",
        startedAt: new Date("2026-11-20T10:00:00Z"),
        finishedAt: new Date("2026-11-20T10:05:00Z"),
      },
    });
    await app.db.prisma.syncRun.create({
      data: { shop, kind: "backfill", status: "running", objectsDone: 1200, objectsTotal: 5000, startedAt: new Date("2026-11-21T09:00:00Z") },
    });
    // Another shop's newer run must not show.
    await app.db.prisma.syncRun.create({
      data: { shop: "other.myshopify.com", kind: "reconcile", status: "completed", startedAt: new Date("2026-11-22T09:00:00Z") },
    });

    const state = await service.getDashboardState(shop);
    expect(state.install).toMatchObject({ state: "installed", hasAllOrdersAccess: true, uninstalledAt: null });
    expect(state.lastImport).toEqual({
      status: "running",
      objectsDone: 1200,
      objectsTotal: 5000,
      startedAt: "2026-11-21T09:00:00.000Z",
      finishedAt: null,
      error: null,
    });
  });

  it("keeps the last import in view after later checks for missed changes, and shows the latest check beside it", async () => {
    const shop = "checked.myshopify.com";
    await app.db.prisma.shop.create({ data: { shop, hasAllOrdersAccess: true, ianaTimezone: "Europe/Copenhagen" } });
    await app.db.prisma.syncRun.create({
      data: { shop, kind: "reconcile", status: "completed", objectsDone: 9, objectsTotal: 9, startedAt: new Date("2026-11-19T09:00:00Z"), finishedAt: new Date("2026-11-19T09:00:05Z") },
    });
    await app.db.prisma.syncRun.create({
      data: { shop, kind: "backfill", status: "completed", objectsDone: 26_904, objectsTotal: 26_904, startedAt: new Date("2026-11-20T10:00:00Z"), finishedAt: new Date("2026-11-20T10:02:00Z") },
    });
    // Before the first check after this import, an older check is not news.
    expect((await service.getDashboardState(shop)).lastCheck).toBeNull();
    for (const [minute, status, done] of [[15, "completed", 3], [30, "failed", 0]] as const) {
      await app.db.prisma.syncRun.create({
        data: {
          shop,
          kind: "reconcile",
          status,
          objectsDone: done,
          error: status === "failed" ? "Shopify answered 503" : null,
          startedAt: new Date(Date.UTC(2026, 10, 20, 10, minute)),
          finishedAt: new Date(Date.UTC(2026, 10, 20, 10, minute, 4)),
        },
      });
    }
    const state = await service.getDashboardState(shop);
    expect(state.lastImport).toMatchObject({ status: "completed", objectsDone: 26_904, finishedAt: "2026-11-20T10:02:00.000Z" });
    // The page states the runs' times in the shop's zone, the same on the server and in the browser.
    expect(state.timeZone).toBe("Europe/Copenhagen");
    expect(state.lastCheck).toEqual({
      status: "failed",
      objectsDone: 0,
      objectsTotal: null,
      startedAt: "2026-11-20T10:30:00.000Z",
      finishedAt: "2026-11-20T10:30:04.000Z",
      error: "Shopify answered 503",
    });
  });
});
