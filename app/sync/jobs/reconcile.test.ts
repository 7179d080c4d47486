import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testSyncContext, type TestDatabase } from "../../../tests/db/test-database";
import { createAdminApiClient } from "../../shopify/admin-api-client";
import { RECONCILE_RUNS_KEPT_MS, reconcileShop } from "./reconcile";

const SHOP = "rc.myshopify.com";

describe("reconcileShop", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
  });
  afterAll(async () => db?.drop());

  it("halves the page size when Shopify says the query costs too much, then carries on", async () => {
    const firsts: number[] = [];
    const fetch = (async (_url: RequestInfo | URL, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body));
      firsts.push(body.variables.first);
      const json =
        body.variables.first > 2
          ? { errors: [{ message: "Query cost is 1280, which exceeds the single query max cost limit (1000).", extensions: { code: "MAX_COST_EXCEEDED" } }] }
          : { data: { orders: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } } } };
      return new Response(JSON.stringify(json), { headers: { "content-type": "application/json" } });
    }) as typeof globalThis.fetch;
    const api = createAdminApiClient({ shop: SHOP, accessToken: "t", endpoint: "http://127.0.0.1:1/graphql.json", fetch });
    const result = await reconcileShop(testSyncContext(db).ctx, api, SHOP, {
      orderIds: ["gid://shopify/Order/1"],
    });
    expect(result).toEqual({ orders: 0, customers: 0 });
    expect(firsts).toEqual([8, 4, 2]);
  });

  it("keeps the checks of the last 30 days and every import, and deletes older checks of this shop only", async () => {
    const now = new Date("2026-12-06T12:00:00Z");
    const ago = (ms: number) => new Date(now.getTime() - ms);
    const run = (shop: string, kind: string, startedAt: Date) => db.prisma.syncRun.create({ data: { shop, kind, status: "completed", startedAt, finishedAt: startedAt } });
    const oldImport = await run(SHOP, "backfill", ago(400 * 86_400_000));
    const oldCheck = await run(SHOP, "reconcile", ago(RECONCILE_RUNS_KEPT_MS + 60_000));
    const recentCheck = await run(SHOP, "reconcile", ago(RECONCILE_RUNS_KEPT_MS - 60_000));
    const otherShopsOldCheck = await run("other.myshopify.com", "reconcile", ago(RECONCILE_RUNS_KEPT_MS + 60_000));
    const fetch = (async () =>
      new Response(JSON.stringify({ data: { orders: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } }, customers: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } } } }), {
        headers: { "content-type": "application/json" },
      })) as typeof globalThis.fetch;
    const api = createAdminApiClient({ shop: SHOP, accessToken: "t", endpoint: "http://127.0.0.1:1/graphql.json", fetch });
    await reconcileShop(testSyncContext(db, { now: () => now }).ctx, api, SHOP, {});
    const left = await db.prisma.syncRun.findMany({ select: { id: true } });
    const ids = left.map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining([oldImport.id, recentCheck.id, otherShopsOldCheck.id]));
    expect(ids).not.toContain(oldCheck.id);
    // The recent check and the one that just ran.
    expect(await db.prisma.syncRun.count({ where: { shop: SHOP, kind: "reconcile", status: "completed" } })).toBe(2);
  });

  it("marks a check that Shopify stopped as failed, with the reason the home page shows, and rethrows for the queue's retry", async () => {
    const shop = "failing.myshopify.com";
    await db.prisma.syncRun.create({ data: { shop, kind: "backfill", status: "completed", startedAt: new Date("2026-12-01T00:00:00Z"), finishedAt: new Date("2026-12-01T00:10:00Z") } });
    const fetch = (async () => new Response("upstream unavailable", { status: 503 })) as typeof globalThis.fetch;
    const api = createAdminApiClient({ shop, accessToken: "t", endpoint: "http://127.0.0.1:1/graphql.json", fetch, maxAttempts: 1 });
    await expect(reconcileShop(testSyncContext(db).ctx, api, shop, {})).rejects.toThrow();
    const check = await db.prisma.syncRun.findFirstOrThrow({ where: { shop, kind: "reconcile" } });
    expect(check.status).toBe("failed");
    expect(check.finishedAt).not.toBeNull();
    expect(check.error).toMatch(/503/);
  });

  it("does not show a check that a shutdown interrupted as failed", async () => {
    const shop = "stopping.myshopify.com";
    await db.prisma.syncRun.create({ data: { shop, kind: "backfill", status: "completed", startedAt: new Date("2026-12-01T00:00:00Z"), finishedAt: new Date("2026-12-01T00:10:00Z") } });
    const shutdown = new AbortController();
    const fetch = (async () => {
      shutdown.abort();
      throw new DOMException("This operation was aborted", "AbortError");
    }) as typeof globalThis.fetch;
    const api = createAdminApiClient({ shop, accessToken: "t", endpoint: "http://127.0.0.1:1/graphql.json", fetch, maxAttempts: 1 });
    await expect(reconcileShop(testSyncContext(db).ctx, api, shop, {}, shutdown.signal)).rejects.toThrow();
    const check = await db.prisma.syncRun.findFirstOrThrow({ where: { shop, kind: "reconcile" } });
    expect(check.status).not.toBe("failed");
    expect(check.error).toBeNull();
  });
});
