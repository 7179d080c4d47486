/**
 * Uninstall, shop/redact and scope changes applied through the webhook worker on both
 * databases: the shop's sessions and queued jobs go on uninstall (data stays), everything of
 * the shop goes on shop/redact (other shops untouched), read_all_orders granted later starts a
 * fresh backfill.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "../../tests/db/test-database";
import { createSqliteJobQueue } from "../sync/jobs/sqlite-job-queue";
import type { JobQueue } from "../sync/jobs/job-queue";
import type { SyncContext } from "../sync/sync-context";
import { applyPendingWebhooks } from "../sync/webhooks/apply-pending-webhooks";

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
    }
  }, 60_000);
  afterAll(async () => db?.drop());

  async function webhook(shop: string, topic: string, payload: unknown) {
    await db.prisma.webhookEvent.create({ data: { shop, topic, webhookId: `${topic}-${Math.random()}`, payload: JSON.stringify(payload) } });
    return applyPendingWebhooks(ctx, shop);
  }

  it("app/scopes_update granting read_all_orders records it and starts a fresh backfill", async () => {
    const result = await webhook(A, "APP_SCOPES_UPDATE", { id: 1, previous: ["read_orders"], current: ["read_customers", "read_orders", "read_all_orders"] });
    expect(result).toEqual({ applied: 1, failed: 0, retrying: 0 });
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

  it("shop/redact deletes every row of the shop and nothing of another shop", async () => {
    await webhook(A, "SHOP_REDACT", { shop_id: 1, shop_domain: A });
    for (const model of ["shop", "customer", "order", "syncRun", "webhookEvent", "job", "session"] as const) {
      const count = await (db.prisma[model] as unknown as { count(a: object): Promise<number> }).count({ where: { shop: A } });
      expect(`${model}: ${count}`).toBe(`${model}: 0`);
    }
    expect(await db.prisma.customer.count({ where: { shop: B } })).toBe(1);
    expect(await db.prisma.order.count({ where: { shop: B } })).toBe(1);
    expect(await db.prisma.shop.count({ where: { shop: B } })).toBe(1);
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
