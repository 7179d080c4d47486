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
