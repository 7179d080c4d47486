/**
 * The per-order refresh under concurrency and crashes (issue "Fresh after every order", tests):
 * - two app instances on one PostgreSQL database (two module copies with their own Prisma
 *   clients, as in app/db/shop-lock.server.test.ts) never have one customer in a refresh at once,
 *   and end where one quiet refresh would;
 * - a refresh that dies after writing profiles but before its commit (what a killed worker
 *   leaves: the database rolls the open transaction back) changes nothing — profiles, segments,
 *   stale marks — and the retried job ends exactly where an uninterrupted refresh would.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { isoDateFromDayIndex } from "~/analytics/calendar/calendar-day";
import { createSeededRng } from "~/analytics/math/seeded-rng";
import { closeBulkConnections } from "~/db/bulk-connections.server";
import { createPrismaClient } from "~/db.server";
import { recomputeShop } from "~/jobs/handlers/recompute";
import { refreshSegmentMemberships } from "~/segments/refresh-memberships.server";
import { markProfilesStale, refreshStaleProfiles } from "~/snapshots/refresh-profiles.server";
import { readCurrentAnalysis } from "~/snapshots/read-analysis.server";
import type { SyncContext } from "~/sync/sync-context";
import { createTestDatabase, TEST_DIALECTS, testSyncContext, type TestDatabase } from "./test-database";

/** Customers between loading their orders and writing their profiles, and a crash switch. */
const probe = vi.hoisted(() => ({ inside: new Set<string>(), overlaps: [] as string[], crashNextWrite: false }));
vi.mock("~/snapshots/load-store-dataset.server", async (importOriginal) => {
  const original = await importOriginal<typeof import("~/snapshots/load-store-dataset.server")>();
  return {
    ...original,
    loadCustomerPurchases: (...args: Parameters<typeof original.loadCustomerPurchases>) => {
      for (const id of args[3]) {
        if (probe.inside.has(id)) probe.overlaps.push(id);
        probe.inside.add(id);
      }
      return original.loadCustomerPurchases(...args);
    },
  };
});
vi.mock("~/snapshots/write-analysis.server", async (importOriginal) => {
  const original = await importOriginal<typeof import("~/snapshots/write-analysis.server")>();
  return {
    ...original,
    rewriteProfiles: async (...args: Parameters<typeof original.rewriteProfiles>) => {
      await original.rewriteProfiles(...args);
      probe.inside.clear();
      if (probe.crashNextWrite) {
        probe.crashNextWrite = false;
        throw new Error("worker killed after writing profiles, before the commit");
      }
    },
  };
});

const SHOP = "refresh-race.myshopify.com";
const AS_OF = "2026-06-30";
const AS_OF_DAY = Date.parse(`${AS_OF}T00:00:00Z`) / 86_400_000;
const CUSTOMERS = 300;
const gid = (c: number) => `gid://shopify/Customer/${c + 1}`;

function scoresOf(p: Record<string, unknown>) {
  const { refreshedAt: _r, ...rest } = p;
  return JSON.parse(JSON.stringify(rest));
}

describe.each(TEST_DIALECTS)("per-order refresh under concurrency and crashes on %s", (dialect) => {
  let db: TestDatabase;
  let ctx: SyncContext;
  const previousUrl = process.env.DATABASE_URL;
  let clock = new Date(`${AS_OF}T09:00:00Z`);
  let orderSeq = 0;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    // withShopLock picks the cross-instance lock from DATABASE_URL's dialect, as the app does.
    process.env.DATABASE_URL = db.config.url;
    ctx = testSyncContext(db, { now: () => clock }).ctx;
    await db.prisma.shop.create({ data: { shop: SHOP, ianaTimezone: "UTC" } });
    await db.prisma.customer.createMany({ data: Array.from({ length: CUSTOMERS }, (_, c) => ({ shop: SHOP, shopifyId: gid(c) })) });
    const rng = createSeededRng(5);
    const rows = [];
    for (let c = 0; c < CUSTOMERS; c++) {
      let day = AS_OF_DAY - 40 - Math.floor(rng() * 600);
      for (;;) {
        rows.push({ shop: SHOP, shopifyId: `gid://shopify/Order/${rows.length + 1}`, customerShopifyId: gid(c), totalPrice: (20 + Math.floor(rng() * 200)).toFixed(2), shopifyCreatedAt: new Date(`${isoDateFromDayIndex(day)}T10:00:00Z`) });
        if (rng() < 0.25) break;
        day += 1 + Math.floor(rng() * 90);
        if (day > AS_OF_DAY - 31) break;
      }
    }
    await db.prisma.order.createMany({ data: rows });
    await recomputeShop(ctx, SHOP, { asOf: clock });
    await refreshSegmentMemberships(ctx, SHOP);
  }, 120_000);
  afterAll(async () => {
    process.env.DATABASE_URL = previousUrl;
    await closeBulkConnections();
    await db?.drop();
  });

  /** New orders for customers `from`..`to`-1 (marked stale as applying their webhooks would). */
  async function ordersFor(from: number, to: number) {
    const ids = Array.from({ length: to - from }, (_, i) => gid(from + i));
    await db.prisma.order.createMany({ data: ids.map((customerShopifyId) => ({ shop: SHOP, shopifyId: `gid://shopify/Order/new-${++orderSeq}`, customerShopifyId, totalPrice: "55.00", shopifyCreatedAt: clock })) });
    await markProfilesStale(ctx, SHOP, ids);
  }
  const profiles = async () => {
    const current = (await readCurrentAnalysis(db.prisma, SHOP))!;
    return (await db.prisma.customerProfile.findMany({ where: { snapshotId: current.snapshotId }, orderBy: { customerId: "asc" } })).map(scoresOf);
  };
  const memberships = async () => (await db.prisma.segmentMembership.findMany({ where: { shop: SHOP }, select: { segmentId: true, customerShopifyId: true, isControl: true }, orderBy: [{ segmentId: "asc" }, { customerShopifyId: "asc" }] }));
  /** Every customer rescored once on a quiet store: what any sequence of refreshes must end at. */
  async function quietReference() {
    await markProfilesStale(ctx, SHOP, Array.from({ length: CUSTOMERS }, (_, c) => gid(c)));
    await refreshStaleProfiles(ctx, SHOP);
    return profiles();
  }

  it("a refresh killed before its commit changes nothing, and the retry ends where an uninterrupted refresh would", async () => {
    clock = new Date(`${AS_OF}T10:00:00Z`);
    await ordersFor(0, 120);
    const [profilesBefore, membersBefore] = [await profiles(), await memberships()];
    probe.crashNextWrite = true;
    await expect(refreshStaleProfiles(ctx, SHOP)).rejects.toThrow("worker killed");
    expect(await profiles()).toEqual(profilesBefore);
    expect(await memberships()).toEqual(membersBefore);
    expect(await db.prisma.staleProfile.count({ where: { shop: SHOP } })).toBe(120);

    // The queue runs the job again.
    const resumed = await refreshStaleProfiles(ctx, SHOP);
    expect(resumed.rescored).toBe(120);
    expect(resumed.joined + resumed.left).toBeGreaterThan(0);
    const afterResume = await profiles();
    expect(afterResume).not.toEqual(profilesBefore);
    expect(await quietReference()).toEqual(afterResume);
    // And the segments are what a full evaluation says.
    expect((await refreshSegmentMemberships(ctx, SHOP)).filter((r) => r.joined + r.left > 0)).toEqual([]);
  }, 120_000);

  it.runIf(dialect === "postgresql")("two instances never refresh one customer at once, and end where one quiet refresh would", async () => {
    vi.resetModules();
    const other = await import("~/snapshots/refresh-profiles.server");
    const second = createPrismaClient(db.config);
    const otherCtx: SyncContext = { ...ctx, prisma: second };
    try {
      probe.overlaps.length = 0;
      clock = new Date(`${AS_OF}T11:00:00Z`);
      // Orders keep arriving while both instances refresh, as under a steady stream.
      const runs: Promise<unknown>[] = [];
      for (let wave = 0; wave < 5; wave++) {
        await ordersFor(wave * 60, wave * 60 + 60);
        runs.push(refreshStaleProfiles(ctx, SHOP), other.refreshStaleProfiles(otherCtx, SHOP));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await Promise.all(runs);
      await Promise.all([refreshStaleProfiles(ctx, SHOP), other.refreshStaleProfiles(otherCtx, SHOP)]);
      expect(probe.overlaps).toEqual([]);
      expect(await db.prisma.staleProfile.count({ where: { shop: SHOP } })).toBe(0);
      const drained = await profiles();
      expect(await quietReference()).toEqual(drained);
      expect((await refreshSegmentMemberships(ctx, SHOP)).filter((r) => r.joined + r.left > 0)).toEqual([]);
    } finally {
      await second.$disconnect();
    }
  }, 120_000);
});
