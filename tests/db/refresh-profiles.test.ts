/**
 * The per-order refresh (issue "Fresh after every order" §1–2), on SQLite and PostgreSQL: an
 * order applied after the analysis makes its customer's stored profile follow within one
 * refresh, scored alone with the analysis's basis; a cancellation puts the profile back exactly
 * as the full analysis had it; other customers are untouched; a redacted customer's profile is
 * removed, never recreated; and the webhook path marks the customer and schedules the refresh
 * instead of a whole-store recompute for one order.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeBulkConnections } from "~/db/bulk-connections.server";
import { recomputeShop } from "~/jobs/handlers/recompute";
import { markProfilesStale, refreshStaleProfiles } from "~/snapshots/refresh-profiles.server";
import { readCurrentAnalysis } from "~/snapshots/read-analysis.server";
import type { SyncContext } from "~/sync/sync-context";
import { applyPendingWebhooks } from "~/sync/webhooks/apply-pending-webhooks";
import { customerGid, seedOrderHistories } from "./seed-order-histories";
import { createTestDatabase, TEST_DIALECTS, testSyncContext, type QueuedJob, type TestDatabase } from "./test-database";

const SHOP = "fresh.myshopify.com";
const AS_OF = "2026-06-30";
const NOON = new Date(`${AS_OF}T12:00:00Z`);
const AS_OF_DAY = Date.parse(`${AS_OF}T00:00:00Z`) / 86_400_000;
const CUSTOMERS = 400;
const gid = customerGid;

/** Profile columns that are the customer's scores and facts (not keys or bookkeeping). */
function scoresOf(p: Record<string, unknown>) {
  const { snapshotId: _s, refreshedAt: _r, ...rest } = p;
  return JSON.parse(JSON.stringify(rest));
}

describe.each(TEST_DIALECTS)("per-order profile refresh on %s", (dialect) => {
  let db: TestDatabase;
  let ctx: SyncContext;
  let queued: QueuedJob[];

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    ({ ctx, queued } = testSyncContext(db, { now: () => NOON }));
    await db.prisma.shop.create({ data: { shop: SHOP, ianaTimezone: "UTC" } });
    await seedOrderHistories(db.prisma, SHOP, { customers: CUSTOMERS, asOfDay: AS_OF_DAY, seed: 11 });
    await recomputeShop(ctx, SHOP, { asOf: NOON });
  }, 120_000);
  afterAll(async () => {
    await closeBulkConnections();
    await db?.drop();
  });

  const profileOf = async (c: number) => {
    const current = await readCurrentAnalysis(db.prisma, SHOP);
    return db.prisma.customerProfile.findFirst({ where: { snapshotId: current!.snapshotId, customerShopifyId: gid(c) } });
  };

  it("follows a new order, and a cancellation puts the analysis's profile back exactly", async () => {
    const current = await readCurrentAnalysis(db.prisma, SHOP);
    expect(current!.document.analysis.models.status).toBe("fitted");
    // A customer who has gone quiet: their profile must visibly change with a new order today.
    const quiet = await db.prisma.customerProfile.findFirstOrThrow({ where: { snapshotId: current!.snapshotId, orderCount: { gte: 2 }, daysSinceLastOrder: { gte: 120 } } });
    const c = Number(quiet.customerShopifyId.split("/").pop()) - 1;
    const bystander = await profileOf((c + 1) % CUSTOMERS);

    await db.prisma.order.create({ data: { shop: SHOP, shopifyId: "gid://shopify/Order/new-1", customerShopifyId: quiet.customerShopifyId, totalPrice: "75.00", shopifyCreatedAt: new Date(`${AS_OF}T09:30:00Z`) } });
    await markProfilesStale(ctx, SHOP, [quiet.customerShopifyId]);
    expect(await refreshStaleProfiles(ctx, SHOP)).toEqual({ rescored: 1, removed: 0, deferred: 0, joined: 0, left: 0 });

    const fresh = (await profileOf(c))!;
    expect(fresh.orderCount).toBe(quiet.orderCount + 1);
    expect(fresh.totalSpent.toFixed(2)).toBe((Number(quiet.totalSpent) + 75).toFixed(2));
    expect(fresh.daysSinceLastOrder).toBe(0);
    expect(fresh.lastOrderAt).toEqual(new Date(`${AS_OF}T00:00:00Z`));
    expect(fresh.lifecycleStage).toBe("active");
    expect(fresh.pAlive!).toBeGreaterThan(quiet.pAlive!);
    expect(fresh.refreshedAt).toEqual(NOON);
    // The generation says when a profile last changed (the Customers list's "Profiles updated N s ago").
    expect((await readCurrentAnalysis(db.prisma, SHOP))!.profilesUpdatedAt).toEqual(NOON);
    expect(await db.prisma.staleProfile.count({ where: { shop: SHOP } })).toBe(0);
    // Only that customer was rewritten.
    expect(scoresOf((await profileOf((c + 1) % CUSTOMERS))!)).toEqual(scoresOf(bystander!));

    await db.prisma.order.update({ where: { shop_shopifyId: { shop: SHOP, shopifyId: "gid://shopify/Order/new-1" } }, data: { cancelledAt: NOON } });
    await markProfilesStale(ctx, SHOP, [quiet.customerShopifyId]);
    await refreshStaleProfiles(ctx, SHOP);
    expect(scoresOf((await profileOf(c))!)).toEqual(scoresOf(quiet));
  }, 60_000);

  it("gives a first-time buyer a profile, and removes the profile of a redacted customer without recreating it", async () => {
    const newcomer = await db.prisma.customer.create({ data: { shop: SHOP, shopifyId: "gid://shopify/Customer/9001" } });
    await db.prisma.order.create({ data: { shop: SHOP, shopifyId: "gid://shopify/Order/new-2", customerShopifyId: newcomer.shopifyId, totalPrice: "30.00", shopifyCreatedAt: new Date(`${AS_OF}T08:00:00Z`) } });
    await db.prisma.customer.update({ where: { shop_shopifyId: { shop: SHOP, shopifyId: gid(3) } }, data: { redactedAt: NOON, email: null } });
    await markProfilesStale(ctx, SHOP, [newcomer.shopifyId, gid(3)]);
    expect(await refreshStaleProfiles(ctx, SHOP)).toEqual({ rescored: 1, removed: 1, deferred: 0, joined: 0, left: 0 });
    const first = (await db.prisma.customerProfile.findFirst({ where: { snapshotId: (await readCurrentAnalysis(db.prisma, SHOP))!.snapshotId, customerId: newcomer.id } }))!;
    expect(first.orderCount).toBe(1);
    expect(first.lifecycleStage).toBe("new");
    expect(first.customerType).toBe("new");
    expect(await profileOf(3)).toBeNull();
  }, 60_000);

  it("schedules a refresh within seconds for an order webhook, and no whole-store refit for one order", async () => {
    queued.length = 0;
    const payload = {
      id: 880001,
      admin_graphql_api_id: "gid://shopify/Order/880001",
      name: "#880001",
      created_at: `${AS_OF}T11:00:00Z`,
      updated_at: `${AS_OF}T11:00:00Z`,
      processed_at: `${AS_OF}T11:00:00Z`,
      currency: "EUR",
      current_total_price: "42.00",
      current_subtotal_price: "42.00",
      total_price: "42.00",
      subtotal_price: "42.00",
      test: false,
      cancelled_at: null,
      source_name: "web",
      customer: { id: 5, admin_graphql_api_id: gid(4) },
      line_items: [],
      refunds: [],
    };
    await db.prisma.webhookEvent.create({ data: { shop: SHOP, webhookId: "wh-order-1", topic: "orders/create", payload: JSON.stringify(payload), triggeredAt: NOON } });
    const applied = await applyPendingWebhooks(ctx, SHOP);
    expect(applied.applied).toBe(1);
    expect(await db.prisma.staleProfile.findMany({ where: { shop: SHOP }, select: { customerShopifyId: true } })).toEqual([{ customerShopifyId: gid(4) }]);
    const refresh = queued.find((job) => job.kind === "refresh-profiles");
    expect(refresh!.runAt!.getTime() - NOON.getTime()).toBeLessThanOrEqual(5_000);
    expect(queued.some((job) => job.kind === "recompute")).toBe(false);
    await refreshStaleProfiles(ctx, SHOP);
    expect((await profileOf(4))!.daysSinceLastOrder).toBe(0);
  }, 60_000);
});
