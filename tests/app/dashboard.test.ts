/**
 * The home page shows the stored install and sync state as stored: the latest sync run of the
 * shop (not of another shop), its progress and its error, and nothing invented.
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
    expect(await service.getDashboardState("unknown.myshopify.com")).toEqual({ install: null, lastSync: null });
  });

  it("reports the shop's most recent sync run with its progress", async () => {
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
    expect(state.lastSync).toEqual({
      kind: "backfill",
      status: "running",
      objectsDone: 1200,
      objectsTotal: 5000,
      startedAt: "2026-11-21T09:00:00.000Z",
      finishedAt: null,
      error: null,
    });
  });
});
