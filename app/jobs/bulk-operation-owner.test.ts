import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyWebhookEvent } from "~/sync/webhooks/apply-webhook";
import type { SyncContext } from "~/sync/sync-context";
import { createTestDatabase, testSyncContext, type QueuedJob, type TestDatabase } from "../../tests/db/test-database";

const SHOP = "bulk-owner.myshopify.com";

describe("bulk_operations/finish wakes the job that started the operation, and no other", () => {
  let db: TestDatabase;
  let ctx: SyncContext;
  let queued: QueuedJob[];
  /** The jobs woken: what was queued, as kind, payload and dedupe key. */
  const woken = () => queued.map(({ kind, payload, key }) => ({ kind, payload, key }));

  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    ({ ctx, queued } = testSyncContext(db));
    await db.prisma.shop.create({ data: { shop: SHOP } });
    await db.prisma.syncRun.create({ data: { shop: SHOP, kind: "backfill", bulkOperationId: "gid://shopify/BulkOperation/1" } });
  });
  afterAll(async () => db?.drop());

  const finish = (id: string, n: number) =>
    applyWebhookEvent(ctx, { id: n, shop: SHOP, topic: "bulk_operations/finish", payload: JSON.stringify({ admin_graphql_api_id: id, status: "completed" }), triggeredAt: null, receivedAt: new Date() });

  it("wakes the backfill for its own export", async () => {
    await finish("gid://shopify/BulkOperation/1", 1);
    expect(woken()).toEqual([{ kind: "backfill", payload: { wokenBy: "gid://shopify/BulkOperation/1" } }]);
  });

  it("wakes the segment's push-tags job (its own key) for a tag push's bulk mutation", async () => {
    queued.length = 0;
    const segment = await db.prisma.segment.create({ data: { shop: SHOP, handle: "vip", name: "VIP" } });
    await db.prisma.tagPush.create({ data: { shop: SHOP, segmentId: segment.id, tag: "ci-vip", bulkOperationId: "gid://shopify/BulkOperation/7" } });
    await finish("gid://shopify/BulkOperation/7", 3);
    expect(woken()).toEqual([{ kind: "push-tags", payload: { segmentId: segment.id, mode: "resume", wokenBy: "gid://shopify/BulkOperation/7" }, key: `segment-${segment.id}` }]);
  });

  it("wakes nothing for an operation no job of ours started (e.g. another shop's id, or a mutation)", async () => {
    queued.length = 0;
    await finish("gid://shopify/BulkOperation/2", 2);
    expect(woken()).toEqual([]);
  });
});
