/**
 * A refused access token (HTTP 401 from the Admin API, or a refresh that keeps failing) on SQLite
 * and PostgreSQL: the tag push job
 * forgets the shop's stored offline session and ends without retries, its push left running and
 * whole; once the shop opens the app and token exchange stores a new token (afterAuth), the push
 * is resumed and finishes with the new token (app/jobs/access-renewal.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobHandlers } from "~/jobs/registry";
import { OfflineTokenRefreshFailedError, REFRESH_FAILURES_BEFORE_RENEWAL, resumeAfterAccessRenewed, withAccessRenewal } from "~/jobs/access-renewal";
import { AdminApiError, type AdminApiClient } from "~/shopify/admin-api-client";
import { ThrottleBucket } from "~/shopify/throttle-bucket";
import type { BackfillDeps } from "~/sync/bulk/backfill";
import { JobFailedPermanently } from "~/sync/jobs/job-queue";
import type { SyncContext } from "~/sync/sync-context";
import { createTestDatabase, TEST_DIALECTS, testSyncContext, type QueuedJob, type TestDatabase } from "./test-database";

const SHOP = "refused-token.myshopify.com";
const CUSTOMERS = ["gid://shopify/Customer/101", "gid://shopify/Customer/102", "gid://shopify/Customer/103"];

/** An Admin API that refuses every request with 401, or accepts tag mutations and records them. */
function adminApi(refuse: boolean) {
  const tagged: string[] = [];
  const api: AdminApiClient = {
    shop: SHOP,
    bucket: new ThrottleBucket(),
    async request(document, variables) {
      if (refuse) throw new AdminApiError("Shopify refused the access token (HTTP 401)", "UNAUTHORIZED", false, 401);
      const vars = variables as Record<string, unknown>;
      const ids = Object.keys(vars).filter((k) => /^id\d+$/.test(k)).map((k) => vars[k] as string);
      if (document.toString().includes("tagsAdd")) tagged.push(...ids);
      return { data: Object.fromEntries(ids.map((_, i) => [`c${i}`, { userErrors: [] }])), cost: null, attempts: 1 } as never;
    },
  };
  return { api, tagged };
}

describe.each(TEST_DIALECTS)("a refused access token on %s", (dialect) => {
  let db: TestDatabase;
  let ctx: SyncContext;
  let segmentId: number;
  let queued: QueuedJob[];

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    ({ ctx, queued } = testSyncContext(db));
    const prisma = db.prisma;
    await prisma.shop.create({ data: { shop: SHOP, installState: "installed" } });
    await prisma.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: "shpat_refused", scope: "read_customers,write_customers" } });
    await prisma.customer.createMany({ data: CUSTOMERS.map((shopifyId) => ({ shop: SHOP, shopifyId })) });
    const customers = await prisma.customer.findMany({ where: { shop: SHOP }, select: { id: true, shopifyId: true } });
    segmentId = (await prisma.segment.create({ data: { shop: SHOP, handle: "vip", name: "VIP", rules: "{}", memberCount: customers.length, membersAsOf: new Date() } })).id;
    await prisma.segmentMembership.createMany({ data: customers.map((c) => ({ shop: SHOP, segmentId, customerShopifyId: c.shopifyId, customerId: c.id })) });
  });
  afterAll(async () => db?.drop());

  const runPushJob = (api: AdminApiClient, payload: Record<string, unknown>) => {
    const handlers = jobHandlers({ context: ctx, adminClient: async () => api, backfill: {} as BackfillDeps });
    return handlers["push-tags"]({ kind: "push-tags", shop: SHOP, payload, attempt: 1, signal: new AbortController().signal });
  };

  it("ends the push job without retries and forgets the refused session; a new token resumes the push, which tags every member", async () => {
    await expect(runPushJob(adminApi(true).api, { segmentId, mode: "push", startedBy: "staff 1" })).rejects.toBeInstanceOf(JobFailedPermanently);
    expect(await db.prisma.session.count({ where: { shop: SHOP, isOnline: false } })).toBe(0);
    const push = await db.prisma.tagPush.findFirstOrThrow({ where: { shop: SHOP, segmentId } });
    expect(push.status).toBe("running");

    // The shop opens the app: token exchange stores a new token, and afterAuth resumes the push.
    await db.prisma.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: "shpat_renewed" } });
    queued.length = 0;
    expect(await resumeAfterAccessRenewed(ctx, SHOP)).toBe(1);
    expect(queued.map(({ kind, payload, key }) => ({ kind, payload, key }))).toEqual([{ kind: "push-tags", payload: { segmentId, mode: "resume" }, key: `segment-${segmentId}` }]);

    const working = adminApi(false);
    for (let i = 0; i < 20 && (await db.prisma.tagPush.findUniqueOrThrow({ where: { id: push.id } })).status === "running"; i++) await runPushJob(working.api, queued[0].payload);
    expect((await db.prisma.tagPush.findUniqueOrThrow({ where: { id: push.id } })).status).toBe("completed");
    expect([...working.tagged].sort()).toEqual(CUSTOMERS);
  });

  it("a refresh of an expired token that keeps failing counts as refused from its third attempt on; before, the job is retried and the session kept", async () => {
    const refreshFails = withAccessRenewal(ctx, async () => {
      throw new OfflineTokenRefreshFailedError(SHOP);
    });
    const run = (attempt: number) => refreshFails({ kind: "reconcile", shop: SHOP, payload: {}, attempt, signal: new AbortController().signal });
    for (let attempt = 1; attempt < REFRESH_FAILURES_BEFORE_RENEWAL; attempt++) {
      await expect(run(attempt)).rejects.toBeInstanceOf(OfflineTokenRefreshFailedError);
      expect(await db.prisma.session.count({ where: { shop: SHOP, isOnline: false } })).toBe(1);
    }
    await expect(run(REFRESH_FAILURES_BEFORE_RENEWAL)).rejects.toBeInstanceOf(JobFailedPermanently);
    expect(await db.prisma.session.count({ where: { shop: SHOP, isOnline: false } })).toBe(0);
    await db.prisma.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: "shpat_renewed_again" } });
  });

  it("another failure is retried as before and keeps the session", async () => {
    const failing: AdminApiClient = { ...adminApi(false).api, request: async () => { throw new AdminApiError("HTTP 502", "HTTP", true, 502); } };
    await db.prisma.tagPush.deleteMany({ where: { shop: SHOP } });
    await expect(runPushJob(failing, { segmentId, mode: "push", startedBy: "staff 1" })).rejects.not.toBeInstanceOf(JobFailedPermanently);
    expect(await db.prisma.session.count({ where: { shop: SHOP, isOnline: false } })).toBe(1);
  });
});
