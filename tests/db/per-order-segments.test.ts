/**
 * Segments and tags follow each order (issue "Fresh after every order" §5), on SQLite and
 * PostgreSQL: the per-order refresh re-evaluates only the rescored customers against every
 * segment, in the transaction that rewrote their profiles; joins and leaves are recorded with
 * their time; counts stay equal to the stored members and to a full evaluation; a segment with
 * automatic push sends tagsAdd/tagsRemove for exactly those customers (its own tag only), once;
 * a customer who moves out and back within one refresh is neither recorded nor re-tagged.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeBulkConnections } from "~/db/bulk-connections.server";
import { recomputeShop } from "~/jobs/handlers/recompute";
import { refreshProfilesJob } from "~/jobs/handlers/refresh-profiles";
import { refreshSegmentMemberships } from "~/segments/refresh-memberships.server";
import type { AdminApiClient } from "~/shopify/admin-api-client";
import { ThrottleBucket } from "~/shopify/throttle-bucket";
import { markProfilesStale } from "~/snapshots/refresh-profiles.server";
import { readCurrentAnalysis } from "~/snapshots/read-analysis.server";
import type { SyncContext } from "~/sync/sync-context";
import { runPushTagsJob, type PushJobPayload } from "~/tag-push/push-runner.server";
import { seedOrderHistories } from "./seed-order-histories";
import { createTestDatabase, TEST_DIALECTS, testSyncContext, type QueuedJob, type TestDatabase } from "./test-database";

const SHOP = "fresh-segments.myshopify.com";
const AS_OF = "2026-06-30";
const AS_OF_DAY = Date.parse(`${AS_OF}T00:00:00Z`) / 86_400_000;
const CUSTOMERS = 300;

/** An Admin API that answers tag mutations with success and records what was sent. */
function recordingApi() {
  const sent: { action: "add" | "remove"; ids: string[]; tags: string[] }[] = [];
  const api: AdminApiClient = {
    shop: SHOP,
    bucket: new ThrottleBucket(),
    async request(document, variables) {
      const text = document.toString();
      const vars = variables as Record<string, unknown>;
      if (text.includes("segmentCreate")) return { data: { segmentCreate: { segment: { id: "gid://shopify/Segment/1" }, userErrors: [] } }, cost: null, attempts: 1 } as never;
      const ids = Object.keys(vars).filter((k) => /^id\d+$/.test(k)).map((k) => vars[k] as string);
      sent.push({ action: text.includes("tagsAdd") ? "add" : "remove", ids, tags: vars.tags as string[] });
      return { data: Object.fromEntries(ids.map((_, i) => [`c${i}`, { userErrors: [] }])), cost: null, attempts: 1 } as never;
    },
  };
  return { api, sent };
}

describe.each(TEST_DIALECTS)("segments and tags after a per-order refresh on %s", (dialect) => {
  let db: TestDatabase;
  let ctx: SyncContext;
  let clock: Date;
  let queued: QueuedJob[];
  const tick = () => (clock = new Date(clock.getTime() + 60_000));

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    clock = new Date(`${AS_OF}T08:00:00Z`);
    ({ ctx, queued } = testSyncContext(db, { now: () => clock }));
    await db.prisma.shop.create({ data: { shop: SHOP, ianaTimezone: "UTC" } });
    await seedOrderHistories(db.prisma, SHOP, { customers: CUSTOMERS, asOfDay: AS_OF_DAY, seed: 23, tagsOf: (c) => (c % 5 === 0 ? ["VIP Kunde", "other-app"] : []) });
    await recomputeShop(ctx, SHOP, { asOf: clock });
    await refreshSegmentMemberships(ctx, SHOP);
  }, 120_000);
  afterAll(async () => {
    await closeBulkConnections();
    await db?.drop();
  });

  const segmentOf = (builtinKey: string) => db.prisma.segment.findFirstOrThrow({ where: { shop: SHOP, builtinKey } });
  const membersOf = async (customerShopifyId: string) =>
    (await db.prisma.segmentMembership.findMany({ where: { shop: SHOP, customerShopifyId }, include: { segment: { select: { builtinKey: true } } } })).map((m) => m.segment.builtinKey).sort();
  const allMemberships = async () =>
    (await db.prisma.segmentMembership.findMany({ where: { shop: SHOP }, select: { segmentId: true, customerShopifyId: true, isControl: true } })).map((m) => `${m.segmentId}|${m.customerShopifyId}|${m.isControl}`).sort();
  /** A customer the stored analysis calls lost or slipping away, with at least two orders. */
  async function quietCustomer(skip: string[] = []) {
    const current = (await readCurrentAnalysis(db.prisma, SHOP))!;
    return db.prisma.customerProfile.findFirstOrThrow({
      where: { snapshotId: current.snapshotId, orderCount: { gte: 2 }, lifecycleStage: { in: ["lost", "slipping-away"] }, refreshedAt: null, customerShopifyId: { notIn: skip } },
      orderBy: { customerShopifyId: "asc" },
    });
  }
  let orderSeq = 0;
  const placeOrder = async (customerShopifyId: string) => {
    const shopifyId = `gid://shopify/Order/live-${++orderSeq}`;
    await db.prisma.order.create({ data: { shop: SHOP, shopifyId, customerShopifyId, totalPrice: "80.00", shopifyCreatedAt: clock } });
    await markProfilesStale(ctx, SHOP, [customerShopifyId]);
    return shopifyId;
  };
  const cancelOrder = async (shopifyId: string, customerShopifyId: string) => {
    await db.prisma.order.update({ where: { shop_shopifyId: { shop: SHOP, shopifyId } }, data: { cancelledAt: clock } });
    await markProfilesStale(ctx, SHOP, [customerShopifyId]);
  };
  /** The refresh job as the worker runs it; returns the pushes it queued. */
  const runRefreshJob = async () => {
    queued.length = 0;
    await refreshProfilesJob({ context: ctx })({ kind: "refresh-profiles", shop: SHOP, payload: {}, attempt: 1, signal: new AbortController().signal });
    return queued.filter((j) => j.kind === "push-tags").map((j) => j.payload as PushJobPayload);
  };
  const runPush = async (api: AdminApiClient, payload: PushJobPayload) => {
    for (let i = 0; i < 50; i++) if (!(await runPushTagsJob({ prisma: db.prisma, dialect, api, now: () => clock }, SHOP, payload))) return;
    throw new Error("push did not finish");
  };

  it("an order moves only its customer between segments, with the time, and leaves every segment as a full evaluation would", async () => {
    tick();
    const quiet = await quietCustomer();
    const stage = `lifecycle:${quiet.lifecycleStage}`;
    expect(await membersOf(quiet.customerShopifyId)).toContain(stage);
    const othersBefore = (await allMemberships()).filter((m) => !m.includes(`|${quiet.customerShopifyId}|`));
    const changesBefore = await db.prisma.segmentMembershipChange.count({ where: { shop: SHOP } });

    await placeOrder(quiet.customerShopifyId);
    await runRefreshJob();

    const now = await membersOf(quiet.customerShopifyId);
    expect(now).toContain("lifecycle:active");
    expect(now).not.toContain(stage);
    const changes = await db.prisma.segmentMembershipChange.findMany({ where: { shop: SHOP, customerShopifyId: quiet.customerShopifyId, at: clock }, include: { segment: { select: { builtinKey: true } } } });
    expect(changes.find((c) => c.segment.builtinKey === "lifecycle:active")?.joined).toBe(true);
    expect(changes.find((c) => c.segment.builtinKey === stage)?.joined).toBe(false);
    // Nobody else was touched, and no one else has a change row.
    expect((await allMemberships()).filter((m) => !m.includes(`|${quiet.customerShopifyId}|`))).toEqual(othersBefore);
    expect(await db.prisma.segmentMembershipChange.count({ where: { shop: SHOP } })).toBe(changesBefore + changes.length);
    // The counts moved with the members, and the hour's history point says so.
    const active = await segmentOf("lifecycle:active");
    expect(active.memberCount).toBe(await db.prisma.segmentMembership.count({ where: { segmentId: active.id } }));
    const hour = new Date(Math.floor(clock.getTime() / 3_600_000) * 3_600_000);
    expect(await db.prisma.segmentMemberCount.findUnique({ where: { segmentId_at: { segmentId: active.id, at: hour } } })).toMatchObject({ members: active.memberCount });
    for (const segment of await db.prisma.segment.findMany({ where: { shop: SHOP } })) {
      expect(segment.memberCount, segment.builtinKey ?? segment.handle).toBe(await db.prisma.segmentMembership.count({ where: { segmentId: segment.id } }));
    }
    // A full evaluation of every segment now finds nothing to change.
    tick();
    const full = await refreshSegmentMemberships(ctx, SHOP);
    expect(full.filter((r) => r.joined + r.left > 0)).toEqual([]);
  }, 60_000);

  it("automatic push sends the changed customers' tag only, once; a customer out and back within one refresh is neither recorded nor re-tagged", async () => {
    const active = await segmentOf("lifecycle:active");
    await db.prisma.segment.update({ where: { id: active.id }, data: { pushEnabled: true } });
    const { api, sent } = recordingApi();
    // The first push after a full evaluation covers every member.
    tick();
    await runPush(api, { segmentId: active.id, mode: "push", startedBy: "automatic" });
    const firstPushIds = sent.flatMap((s) => s.ids);
    expect(firstPushIds.length).toBe(active.memberCount - active.controlCount);
    sent.length = 0;

    // A quiet customer orders: one tagsAdd for them alone, with the segment's tag alone.
    tick();
    const quiet = await quietCustomer();
    const order = await placeOrder(quiet.customerShopifyId);
    const pushes = await runRefreshJob();
    expect(pushes).toEqual([{ segmentId: active.id, mode: "push", startedBy: "automatic" }]);
    tick();
    await runPush(api, pushes[0]);
    expect(sent).toEqual([{ action: "add", ids: [quiet.customerShopifyId], tags: ["ci-lifecycle-active"] }]);
    const tags = JSON.parse((await db.prisma.customer.findFirstOrThrow({ where: { shop: SHOP, shopifyId: quiet.customerShopifyId } })).tags) as string[];
    expect(tags).toContain("ci-lifecycle-active");
    // Asked again: nothing left to send, and no empty push in the history.
    const historyBefore = await db.prisma.tagPush.count({ where: { segmentId: active.id } });
    tick();
    await runPush(api, pushes[0]);
    expect(sent).toHaveLength(1);
    expect(await db.prisma.tagPush.count({ where: { segmentId: active.id } })).toBe(historyBefore);

    // The order is cancelled: they leave, and the tag is removed from them alone.
    sent.length = 0;
    tick();
    await cancelOrder(order, quiet.customerShopifyId);
    const afterCancel = await runRefreshJob();
    expect(afterCancel).toEqual([{ segmentId: active.id, mode: "push", startedBy: "automatic" }]);
    tick();
    await runPush(api, afterCancel[0]);
    expect(sent).toEqual([{ action: "remove", ids: [quiet.customerShopifyId], tags: ["ci-lifecycle-active"] }]);

    // Out and back within one refresh: an order and its cancellation before the refresh runs.
    sent.length = 0;
    tick();
    const other = await quietCustomer([quiet.customerShopifyId]);
    const membershipsBefore = await membersOf(other.customerShopifyId);
    const since = clock;
    const flapping = await placeOrder(other.customerShopifyId);
    await cancelOrder(flapping, other.customerShopifyId);
    const result = await runRefreshJob();
    expect(await membersOf(other.customerShopifyId)).toEqual(membershipsBefore);
    expect(await db.prisma.segmentMembershipChange.count({ where: { shop: SHOP, customerShopifyId: other.customerShopifyId, at: { gte: since } } })).toBe(0);
    for (const payload of result) await runPush(api, payload);
    expect(sent).toEqual([]);
    // Other tags (the merchant's, other apps') were never sent.
    expect(await db.prisma.customer.count({ where: { shop: SHOP, tags: { contains: "other-app" } } })).toBe(CUSTOMERS / 5);
  }, 60_000);
});
