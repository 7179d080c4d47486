/**
 * Uninstall, shop/redact and scope changes applied through the webhook worker on both
 * databases: the shop's sessions and queued jobs go on uninstall (data stays), everything of
 * the shop goes on shop/redact (other shops untouched), read_all_orders granted later starts a
 * fresh backfill.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCurrentAnalysis } from "../../../tests/db/seed-analysis";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "../../../tests/db/test-database";
import { createSqliteJobQueue } from "../jobs/sqlite-job-queue";
import type { JobQueue } from "../jobs/job-queue";
import type { SyncContext } from "../sync-context";
import { applyPendingWebhooks, dropExpiredHeldWebhooks } from "../webhooks/apply-pending-webhooks";

const A = "alpha.myshopify.com";
const B = "beta.myshopify.com";

describe.each(TEST_DIALECTS)("uninstall and shop redaction on %s", (dialect) => {
  let db: TestDatabase;
  let ctx: SyncContext;
  const enqueued: { kind: string; shop: string }[] = [];
  const cancelled: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    // Record what the worker asks of the queue; the SQLite queue keeps the Job table honest.
    const inner: JobQueue = createSqliteJobQueue({ prisma: db.prisma });
    ctx = {
      prisma: db.prisma,
      database: db.config,
      dialect,
      jobs: {
        enqueue: async (kind, shop, payload, options) => {
          enqueued.push({ kind, shop });
          await inner.enqueue(kind, shop, payload, options);
        },
        cancelShopJobs: async (shop) => {
          cancelled.push(shop);
          await inner.cancelShopJobs(shop);
        },
      },
    };
    for (const shop of [A, B]) {
      await db.prisma.shop.create({ data: { shop, grantedScopes: "read_customers,read_orders", hasAllOrdersAccess: false } });
      await db.prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "", accessToken: "tok" } });
      await db.prisma.customer.create({ data: { shop, shopifyId: "gid://shopify/Customer/1", email: `x@${shop}` } });
      await db.prisma.order.create({ data: { shop, shopifyId: "gid://shopify/Order/1", totalPrice: "10", shopifyCreatedAt: new Date() } });
      await db.prisma.syncRun.create({ data: { shop, kind: "backfill", status: "completed" } });
      await db.prisma.job.create({ data: { shop, kind: "reconcile", key: shop, runAt: new Date(Date.now() + 3_600_000) } });
      await seedCurrentAnalysis(db.prisma, shop, [{ customerShopifyId: "gid://shopify/Customer/1" }]);
    }
  }, 60_000);
  afterAll(async () => db?.drop());

  async function webhook(shop: string, topic: string, payload: unknown) {
    await db.prisma.webhookEvent.create({ data: { shop, topic, webhookId: `${topic}-${Math.random()}`, payload: JSON.stringify(payload) } });
    return applyPendingWebhooks(ctx, shop);
  }

  it("app/scopes_update granting read_all_orders records it and starts a fresh backfill", async () => {
    const result = await webhook(A, "APP_SCOPES_UPDATE", { id: 1, previous: ["read_orders"], current: ["read_customers", "read_orders", "read_all_orders"] });
    expect(result).toEqual({ applied: 1, failed: 0, retrying: 0, dropped: 0, held: 0 });
    expect(await db.prisma.shop.findUniqueOrThrow({ where: { shop: A } })).toMatchObject({ hasAllOrdersAccess: true, grantedScopes: "read_all_orders,read_customers,read_orders" });
    const runs = await db.prisma.syncRun.findMany({ where: { shop: A, kind: "backfill" }, orderBy: { id: "asc" } });
    expect(runs.map((r) => r.status)).toEqual(["completed", "running"]);
    expect(enqueued).toContainEqual({ kind: "backfill", shop: A });
  });

  it("app/uninstalled stops the shop's jobs and deletes its sessions; its data stays until shop/redact", async () => {
    await webhook(A, "APP_UNINSTALLED", { id: 1, domain: A });
    expect(cancelled).toContain(A);
    expect(await db.prisma.session.count({ where: { shop: A } })).toBe(0);
    expect(await db.prisma.job.count({ where: { shop: A } })).toBe(0);
    expect(await db.prisma.shop.findUniqueOrThrow({ where: { shop: A } })).toMatchObject({ installState: "uninstalled" });
    expect((await db.prisma.syncRun.findFirstOrThrow({ where: { shop: A, status: { not: "completed" } } })).errorCode).toBe("UNINSTALLED");
    expect(await db.prisma.order.count({ where: { shop: A } })).toBe(1);
    // the other shop is untouched
    expect(await db.prisma.session.count({ where: { shop: B } })).toBe(1);
    expect(await db.prisma.job.count({ where: { shop: B } })).toBe(1);
  });

  it("shop/redact deletes every row of the shop and nothing of another shop, leaving only a tombstone", async () => {
    await webhook(A, "SHOP_REDACT", { shop_id: 1, shop_domain: A });
    for (const model of ["customer", "order", "syncRun", "webhookEvent", "job", "session", "shopSettings", "complianceRequest", "analysisSnapshot", "customerProfile"] as const) {
      const count = await (db.prisma[model] as unknown as { count(a: object): Promise<number> }).count({ where: { shop: A } });
      expect(`${model}: ${count}`).toBe(`${model}: 0`);
    }
    // The tombstone says only that the shop was redacted; nothing the shop told us survives.
    expect(await db.prisma.shop.findUniqueOrThrow({ where: { shop: A } })).toMatchObject({
      installState: "redacted",
      grantedScopes: "",
      hasAllOrdersAccess: false,
      name: null,
      currencyCode: null,
      ianaTimezone: null,
      planName: null,
    });
    expect(await db.prisma.customer.count({ where: { shop: B } })).toBe(1);
    expect(await db.prisma.order.count({ where: { shop: B } })).toBe(1);
    expect(await db.prisma.shop.count({ where: { shop: B } })).toBe(1);
    // The other shop's analysis is whole: its snapshot and its profile (profiles are deleted by generation, decision 051).
    expect(await db.prisma.customerProfile.count({ where: { shop: B } })).toBe(1);
    expect(await db.prisma.analysisSnapshot.count({ where: { shop: B } })).toBe(1);
  });

  it("after shop/redact, late customers/update and orders/create recreate nothing and ask for no recompute; a retry of the redact stays dropped", async () => {
    enqueued.length = 0;
    const result = await webhook(A, "CUSTOMERS_UPDATE", { admin_graphql_api_id: "gid://shopify/Customer/1", email: "late@alpha.example", updated_at: "2030-01-01T00:00:00Z" });
    await db.prisma.webhookEvent.create({ data: { shop: A, topic: "ORDERS_CREATE", webhookId: "late-order", payload: JSON.stringify({ admin_graphql_api_id: "gid://shopify/Order/9" }) } });
    await db.prisma.webhookEvent.create({ data: { shop: A, topic: "SHOP_REDACT", webhookId: "late-redact", payload: JSON.stringify({ shop_domain: A }) } });
    const more = await applyPendingWebhooks(ctx, A);
    expect(result).toMatchObject({ applied: 0, dropped: 1 });
    expect(more).toMatchObject({ applied: 0, dropped: 2 });
    expect(await db.prisma.customer.count({ where: { shop: A } })).toBe(0);
    expect(await db.prisma.order.count({ where: { shop: A } })).toBe(0);
    expect(enqueued.filter((j) => j.shop === A)).toEqual([]);
    // Dropped deliveries keep nothing of what they carried.
    const kept = await db.prisma.webhookEvent.findMany({ where: { shop: A } });
    expect(kept.every((row) => row.status === "dropped" && !row.payload.includes("late@"))).toBe(true);
    expect(await db.prisma.shop.findUniqueOrThrow({ where: { shop: A } })).toMatchObject({ installState: "redacted" });
  });

  it("for an uninstalled shop, orders/create is dropped but customers/redact is applied", async () => {
    const C = "gamma.myshopify.com";
    await db.prisma.shop.create({ data: { shop: C, installState: "uninstalled" } });
    await db.prisma.customer.create({ data: { shop: C, shopifyId: "gid://shopify/Customer/5", email: "five@gamma.example" } });
    const order = await webhook(C, "ORDERS_CREATE", { admin_graphql_api_id: "gid://shopify/Order/5", current_total_price_set: { shop_money: { amount: "5.00" } } });
    expect(order).toMatchObject({ applied: 0, dropped: 1 });
    expect(await db.prisma.order.count({ where: { shop: C } })).toBe(0);
    const redact = await webhook(C, "CUSTOMERS_REDACT", { customer: { id: 5, email: "five@gamma.example" } });
    expect(redact).toMatchObject({ applied: 1, dropped: 0 });
    expect((await db.prisma.customer.findFirstOrThrow({ where: { shop: C } })).email).toBeNull();
  });

  it("a delivery that arrives before its shop's install completes is held, then applied once the shop is installed; one whose shop never installs is dropped", async () => {
    const D = "delta.myshopify.com";
    const held = await webhook(D, "CUSTOMERS_UPDATE", { admin_graphql_api_id: "gid://shopify/Customer/7", email: "seven@delta.example", updated_at: "2026-11-01T00:00:00Z" });
    expect(held).toMatchObject({ applied: 0, held: 1 });
    expect(await db.prisma.customer.count({ where: { shop: D } })).toBe(0);
    // What recordInstall (afterAuth) does once the install completes.
    await db.prisma.shop.create({ data: { shop: D } });
    await db.prisma.webhookEvent.updateMany({ where: { shop: D, status: "awaiting-install" }, data: { status: "pending" } });
    expect(await applyPendingWebhooks(ctx, D)).toMatchObject({ applied: 1, held: 0 });
    expect((await db.prisma.customer.findFirstOrThrow({ where: { shop: D } })).email).toBe("seven@delta.example");

    const E = "epsilon.myshopify.com";
    await db.prisma.webhookEvent.create({
      data: { shop: E, topic: "CUSTOMERS_UPDATE", webhookId: "never", payload: '{"email":"never@epsilon.example"}', status: "awaiting-install", receivedAt: new Date(Date.now() - 11 * 60_000) },
    });
    expect(await dropExpiredHeldWebhooks(ctx)).toBe(1);
    const dropped = await db.prisma.webhookEvent.findFirstOrThrow({ where: { shop: E } });
    expect(dropped.status).toBe("dropped");
    expect(dropped.payload).not.toContain("never@");
  });

  it("a webhook with an unreadable payload is failed with the field that is wrong, not retried forever", async () => {
    const result = await webhook(B, "ORDERS_CREATE", { admin_graphql_api_id: "gid://shopify/Order/2", updated_at: "not a date" });
    expect(result.failed).toBe(1);
    const failed = await db.prisma.webhookEvent.findFirstOrThrow({ where: { shop: B, status: "failed" } });
    expect(failed.lastError).toBe("current_total_price_set.shop_money.amount: expected a decimal amount, got undefined");
    expect(failed.attempts).toBe(1);
    expect(await db.prisma.order.count({ where: { shop: B } })).toBe(1);
  });
});
