/**
 * refunds/create takes the refund off the stored order at once (issue #10 §5): the current
 * total, subtotal, net sales and total refunded change as the payload says, without waiting
 * for the Admin API; the re-read of the order (reconcile) is still queued to heal the rest.
 * Hand-computed amounts for prices without tax (US style) and with tax included (EU style).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, TEST_DIALECTS, testSyncContext, type QueuedJob, type TestDatabase } from "../db/test-database";
import type { SyncContext } from "../../app/sync/sync-context";
import { applyPendingWebhooks } from "../../app/sync/webhooks/apply-pending-webhooks";

const SHOP = "refunds.myshopify.com";
const ORDER_UPDATED = new Date("2026-11-01T10:00:00Z");

/** A REST Refund payload as Shopify sends it (amounts in shop money, adjustments negative). */
function refundPayload(orderId: string, parts: { createdAt?: string; subtotal: string; tax: string; shipping?: string; refunded: string }) {
  return JSON.stringify({
    id: 990000001,
    order_id: Number(orderId),
    created_at: parts.createdAt ?? "2026-11-02T12:00:00Z",
    refund_line_items: [{ id: 1, quantity: 1, line_item_id: 5, subtotal: parts.subtotal, subtotal_set: { shop_money: { amount: parts.subtotal } }, total_tax: parts.tax, total_tax_set: { shop_money: { amount: parts.tax } } }],
    order_adjustments: parts.shipping ? [{ id: 2, kind: "shipping_refund", amount: `-${parts.shipping}`, tax_amount: "0.00" }] : [],
    transactions: [
      { kind: "refund", status: "success", amount: parts.refunded },
      { kind: "refund", status: "failure", amount: "999.00" },
    ],
  });
}

describe.each(TEST_DIALECTS)("refunds/create on %s", (dialect) => {
  let db: TestDatabase;
  let ctx: SyncContext;
  let queued: QueuedJob[];

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    ({ ctx, queued } = testSyncContext(db));
    await db.prisma.shop.create({ data: { shop: SHOP } });
    // US style: 100.00 of items + 8.00 tax + 5.00 shipping.
    await db.prisma.order.create({
      data: { shop: SHOP, shopifyId: "gid://shopify/Order/1001", totalPrice: "113.00", subtotalPrice: "100.00", netSales: "100.00", shopifyCreatedAt: ORDER_UPDATED, shopifyUpdatedAt: ORDER_UPDATED },
    });
    // EU style: 121.00 of items with 21.00 VAT included + 5.00 shipping.
    await db.prisma.order.create({
      data: { shop: SHOP, shopifyId: "gid://shopify/Order/1002", totalPrice: "126.00", subtotalPrice: "121.00", netSales: "100.00", shopifyCreatedAt: ORDER_UPDATED, shopifyUpdatedAt: ORDER_UPDATED },
    });
  }, 60_000);
  afterAll(async () => db?.drop());

  const deliver = async (webhookId: string, payload: string) => {
    await db.prisma.webhookEvent.create({ data: { shop: SHOP, topic: "REFUNDS_CREATE", webhookId, payload } });
    return applyPendingWebhooks(ctx, SHOP);
  };
  const amounts = async (id: string) => {
    const o = await db.prisma.order.findUniqueOrThrow({ where: { shop_shopifyId: { shop: SHOP, shopifyId: `gid://shopify/Order/${id}` } } });
    return { total: o.totalPrice.toFixed(2), subtotal: o.subtotalPrice?.toFixed(2), netSales: o.netSales?.toFixed(2), refunded: o.totalRefunded.toFixed(2) };
  };

  it("prices without tax: the items with their tax and the shipping come off the total, the items off net sales", async () => {
    queued.length = 0;
    // 40.00 of items + 3.20 tax + 5.00 shipping refunded = 48.20
    const result = await deliver("r-1", refundPayload("1001", { subtotal: "40.00", tax: "3.20", shipping: "5.00", refunded: "48.20" }));
    expect(result).toMatchObject({ applied: 1, failed: 0 });
    expect(await amounts("1001")).toEqual({ total: "64.80", subtotal: "60.00", netSales: "60.00", refunded: "48.20" });
    expect(queued.map((j) => j.kind).sort()).toEqual(["recompute", "reconcile"]);
    expect(queued.find((j) => j.kind === "reconcile")?.payload).toEqual({ orderIds: ["gid://shopify/Order/1001"] });
  });

  it("prices with tax included: the items (tax inside) come off the total, the items without their tax off net sales", async () => {
    // 60.50 of items with 10.50 VAT inside, no shipping
    await deliver("r-2", refundPayload("1002", { subtotal: "60.50", tax: "10.50", refunded: "60.50" }));
    expect(await amounts("1002")).toEqual({ total: "65.50", subtotal: "60.50", netSales: "50.00", refunded: "60.50" });
  });

  it("the same refund delivered again under another webhook id, or an older one, changes nothing", async () => {
    await deliver("r-1-again", refundPayload("1001", { subtotal: "40.00", tax: "3.20", shipping: "5.00", refunded: "48.20" }));
    await deliver("r-old", refundPayload("1001", { createdAt: "2026-10-01T00:00:00Z", subtotal: "10.00", tax: "0.80", refunded: "10.80" }));
    expect(await amounts("1001")).toEqual({ total: "64.80", subtotal: "60.00", netSales: "60.00", refunded: "48.20" });
  });

  it("a refund for an order the shop does not have yet changes nothing but still asks for the re-read", async () => {
    queued.length = 0;
    const result = await deliver("r-3", refundPayload("4040", { subtotal: "1.00", tax: "0.00", refunded: "1.00" }));
    expect(result).toMatchObject({ applied: 1 });
    expect(await db.prisma.order.count({ where: { shop: SHOP, shopifyId: "gid://shopify/Order/4040" } })).toBe(0);
    expect(queued.map(({ kind, payload }) => ({ kind, payload }))).toEqual([{ kind: "reconcile", payload: { orderIds: ["gid://shopify/Order/4040"] } }]);
  });
});
