/**
 * Reconcile against the simulator: a change Shopify never sent a webhook for is healed by the
 * periodic `updated_at:>'…'` read, and refunds/create re-reads its order by id.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DIALECTS } from "../db/test-database";
import { startHarness, waitFor, type Harness } from "./simulator-harness";
import { globalId, numericId } from "../../tools/shopify-sim/resource-ids";
import { formatMoney, orderCurrentTotalCents } from "../../tools/shopify-sim/store-model";
import { RawJsonNumber } from "../../tools/shopify-sim/rest-payloads";
import { reconcileShop } from "../../app/sync/jobs/reconcile";
import { defaultAdminClientFactory, type SyncEngine } from "../../app/jobs/worker.server";

describe.each(TEST_DIALECTS)("reconcile against the simulator on %s", (dialect) => {
  let h: Harness;
  let engine: SyncEngine;
  let shop: string;
  beforeAll(async () => {
    h = await startHarness(dialect, [{ name: "rec", targetOrders: 400 }]);
    shop = await h.installShop("rec");
    engine = h.engine({ disabledJobs: ["recompute"] });
    await engine.ensureBackfill(shop);
    await engine.start();
    await waitFor(async () => ((await engine.getSyncProgress(shop)).status === "completed" ? true : undefined), 60_000, "backfill");
  }, 90_000);
  afterAll(async () => {
    await engine?.stop();
    await h?.close();
  }, 60_000);

  it("heals an order changed in Shopify without a webhook", async () => {
    const o = h.sim.shops.rec.runtime.store.orders;
    const r = 7;
    const before = await h.app.db.prisma.order.findUniqueOrThrow({ where: { shop_shopifyId: { shop, shopifyId: globalId("Order", r) } } });
    // a refund of 1.00 in Shopify, webhook lost
    o.refundedCents[r] += 100;
    o.updatedAt[r] = Date.now();
    const api = await defaultAdminClientFactory(h.app.db.prisma, h.sim.fetch)(shop);
    const result = await reconcileShop(engine.context, api, shop, {});
    expect(result.orders).toBeGreaterThanOrEqual(1);
    const after = await h.app.db.prisma.order.findUniqueOrThrow({ where: { shop_shopifyId: { shop, shopifyId: globalId("Order", r) } } });
    expect(after.totalPrice.toFixed(2)).toBe(formatMoney(orderCurrentTotalCents(o, r)));
    expect(Number(before.totalPrice) - Number(after.totalPrice)).toBeCloseTo(1, 6);
  }, 30_000);

  it("refunds/create re-reads its order by id through the worker", async () => {
    const o = h.sim.shops.rec.runtime.store.orders;
    const r = 11;
    const gid = globalId("Order", r);
    // our copy went stale (older updatedAt, wrong total); Shopify's is current
    await h.app.db.prisma.order.update({ where: { shop_shopifyId: { shop, shopifyId: gid } }, data: { totalPrice: "0", shopifyUpdatedAt: new Date(0) } });
    h.sim.triggerWebhook("rec", "refunds/create", { payload: { id: new RawJsonNumber("1234567890123456789"), order_id: new RawJsonNumber(numericId("Order", r)), transactions: [] } });
    const healed = await waitFor(async () => {
      const row = await h.app.db.prisma.order.findUniqueOrThrow({ where: { shop_shopifyId: { shop, shopifyId: gid } } });
      return row.totalPrice.toFixed(2) !== "0.00" ? row : undefined;
    }, 20_000, "reconcile of the refunded order");
    expect(healed.totalPrice.toFixed(2)).toBe(formatMoney(orderCurrentTotalCents(o, r)));
  }, 30_000);
});
