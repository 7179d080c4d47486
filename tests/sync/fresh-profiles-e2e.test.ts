/**
 * Fresh after every order, end to end (issue "Fresh after every order"): the simulator's live
 * mode places orders in a backfilled and analysed shop; the app's real webhook routes record
 * them and the worker applies them; each new order reaches its customer's stored profile within
 * a minute (here: seconds), without a whole-store refit, and the profile counts every order.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DIALECTS } from "../db/test-database";
import { startHarness, waitFor, type Harness } from "./simulator-harness";
import { startLiveMode } from "../../tools/shopify-sim/live-mode";
import { parseResourceId } from "../../tools/shopify-sim/resource-ids";
import type { SyncEngine } from "../../app/jobs/worker.server";
import { readCurrentAnalysis } from "../../app/snapshots/read-analysis.server";

describe.each(TEST_DIALECTS)("fresh profiles end to end on %s", (dialect) => {
  let h: Harness;
  let engine: SyncEngine;
  let shop: string;

  beforeAll(async () => {
    h = await startHarness(dialect, [{ name: "live", targetOrders: 1_500 }]);
    shop = await h.installShop("live");
    engine = h.engine();
    await engine.ensureBackfill(shop);
    await engine.start();
    await waitFor(async () => ((await readCurrentAnalysis(h.app.db.prisma, shop)) ? true : undefined), 60_000, "the first analysis");
  }, 120_000);
  afterAll(async () => {
    await engine?.stop();
    await h?.close();
  }, 60_000);

  it("a new order shows in its customer's profile within a minute, with no refit of the store", async () => {
    const { prisma } = h.app.db;
    const fitted = (await readCurrentAnalysis(prisma, shop))!;
    const startedAt = new Date();
    const live = startLiveMode(h.sim, { ordersPerMinute: 240, customerUpdatesPerMinute: 0, seed: 17 });
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    live.stop();

    const newOrders = await waitFor(async () => {
      const events = await prisma.webhookEvent.findMany({ where: { shop, topic: { in: ["orders/create", "ORDERS_CREATE"] }, receivedAt: { gte: startedAt } } });
      const pending = await prisma.webhookEvent.count({ where: { shop, status: "pending" } });
      return h.sim.webhooks.pendingCount() === 0 && pending === 0 && events.length > 0 ? events : undefined;
    }, 30_000, "the live orders to be applied");
    await waitFor(async () => ((await prisma.staleProfile.count({ where: { shop } })) === 0 ? true : undefined), 60_000, "the refresh");

    const latencies: number[] = [];
    for (const event of newOrders) {
      const payload = JSON.parse(event.payload) as { admin_graphql_api_id: string; customer: { admin_graphql_api_id: string } };
      const customerShopifyId = payload.customer.admin_graphql_api_id;
      const profile = await prisma.customerProfile.findFirstOrThrow({ where: { snapshotId: fitted.snapshotId, customerShopifyId } });
      const counted = await prisma.order.count({ where: { shop, customerShopifyId, deletedAt: null, test: false, cancelledAt: null } });
      expect(profile.orderCount, customerShopifyId).toBe(counted);
      expect(profile.daysSinceLastOrder).toBe(0);
      expect(profile.refreshedAt!.getTime()).toBeGreaterThanOrEqual(event.receivedAt.getTime());
      latencies.push(profile.refreshedAt!.getTime() - event.receivedAt.getTime());
    }
    expect(Math.max(...latencies)).toBeLessThan(60_000);
    // One order is far below 5 % of the store: the figures were not refitted for it.
    expect((await readCurrentAnalysis(prisma, shop))!.snapshotId).toBe(fitted.snapshotId);
  }, 150_000);

  it("a new order reaches its customer's segments and, with automatic push, their tag in Shopify within a minute", async () => {
    const { prisma } = h.app.db;
    const active = await waitFor(async () => (await prisma.segment.findFirst({ where: { shop, builtinKey: "lifecycle:active", membersAsOf: { not: null } } })) ?? undefined, 60_000, "the built-in segments");
    await prisma.segment.update({ where: { id: active.id }, data: { pushEnabled: true } });
    // The first push tags every member (after a full evaluation); the per-order ones follow it.
    await engine.queue.enqueue("push-tags", shop, { segmentId: active.id, mode: "push", startedBy: "automatic" }, { key: `segment-${active.id}` });
    await waitFor(async () => ((await prisma.tagPush.findFirst({ where: { segmentId: active.id, status: "completed" } })) ? true : undefined), 90_000, "the first push");
    const tag = "ci-lifecycle-active";
    const simTags = (customerShopifyId: string) => h.sim.shops.live.runtime.store.customers.tags[parseResourceId(customerShopifyId, "Customer")!.sequence] ?? [];

    const startedAt = new Date();
    const ordersBefore = h.sim.shops.live.runtime.store.orders.count;
    const live = startLiveMode(h.sim, { ordersPerMinute: 240, customerUpdatesPerMinute: 0, seed: 29 });
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    live.stop();
    const placed = h.sim.shops.live.runtime.store.orders.count - ordersBefore;
    expect(placed).toBeGreaterThan(0);
    // (Not "no webhook pending": the push's own customer.tags_added deliveries may still be retried.)
    const events = await waitFor(async () => {
      const found = await prisma.webhookEvent.findMany({ where: { shop, topic: { in: ["orders/create", "ORDERS_CREATE"] }, receivedAt: { gte: startedAt } } });
      return new Set(found.map((e) => (JSON.parse(e.payload) as { admin_graphql_api_id: string }).admin_graphql_api_id)).size === placed ? found : undefined;
    }, 30_000, "the live orders to be recorded");
    const buyers = new Map<string, Date>();
    for (const event of events) {
      const customer = (JSON.parse(event.payload) as { customer: { admin_graphql_api_id: string } }).customer.admin_graphql_api_id;
      if (!buyers.has(customer)) buyers.set(customer, event.receivedAt);
    }
    // Each buyer who is now "active" is a member, and tagged in Shopify unless held out, within a minute of their order's webhook.
    const taggedAt = new Map<string, number>();
    await waitFor(async () => {
      for (const [customer] of buyers) if (!taggedAt.has(customer) && simTags(customer).includes(tag)) taggedAt.set(customer, Date.now());
      const snapshotId = (await readCurrentAnalysis(prisma, shop))!.snapshotId;
      const profiles = await prisma.customerProfile.findMany({ where: { snapshotId, customerShopifyId: { in: [...buyers.keys()] } } });
      if (profiles.length < buyers.size || profiles.some((p) => !p.refreshedAt || p.refreshedAt < startedAt)) return undefined;
      const members = await prisma.segmentMembership.findMany({ where: { segmentId: active.id, customerShopifyId: { in: [...buyers.keys()] } } });
      const memberIds = new Set(members.map((m) => m.customerShopifyId));
      const allIn = profiles.filter((p) => p.lifecycleStage === "active").every((p) => memberIds.has(p.customerShopifyId));
      return allIn && members.filter((m) => !m.isControl).every((m) => taggedAt.has(m.customerShopifyId)) ? true : undefined;
    }, 60_000, "the buyers' memberships and tags");
    const fitted = (await readCurrentAnalysis(prisma, shop))!;
    for (const [customer, receivedAt] of buyers) {
      const profile = await prisma.customerProfile.findFirstOrThrow({ where: { snapshotId: fitted.snapshotId, customerShopifyId: customer } });
      expect(["active", "new"]).toContain(profile.lifecycleStage);
      if (profile.lifecycleStage !== "active") continue;
      const member = await prisma.segmentMembership.findUniqueOrThrow({ where: { segmentId_customerShopifyId: { segmentId: active.id, customerShopifyId: customer } } });
      if (member.isControl) continue;
      expect(taggedAt.get(customer)! - receivedAt.getTime(), customer).toBeLessThan(60_000);
    }
    // Some buyers were not active before their order: they joined with this refresh (a change row with its time).
    expect(await prisma.segmentMembershipChange.count({ where: { segmentId: active.id, joined: true, customerShopifyId: { in: [...buyers.keys()] }, at: { gte: startedAt } } })).toBeGreaterThan(0);
    // Only this segment's tag was added: every other tag of theirs is what the store had.
    for (const [customer] of buyers) expect(simTags(customer).filter((t) => t.startsWith("ci-") && t !== tag)).toEqual([]);
  }, 240_000);

  it("the daily pass re-analyses a shop once its own local day has turned, not before", async () => {
    const { prisma } = h.app.db;
    const asOf = (await readCurrentAnalysis(prisma, shop))!.document.analysis.asOf;
    await prisma.shop.update({ where: { shop }, data: { ianaTimezone: "Pacific/Auckland" } });
    // 11:00 UTC on the analysis day is already the next day in Auckland (UTC+13 in December).
    const atUtc = (time: string) => () => new Date(`${asOf}T${time}Z`);
    const beforeMidnight = h.engine({ now: atUtc("10:30:00") });
    const afterMidnight = h.engine({ now: atUtc("11:30:00") });
    expect(await beforeMidnight.dailyPass()).toBe(0);
    expect(await afterMidnight.dailyPass()).toBe(1);
    await prisma.shop.update({ where: { shop }, data: { ianaTimezone: "UTC" } });
    expect(await afterMidnight.dailyPass()).toBe(0);
  }, 60_000);
});
