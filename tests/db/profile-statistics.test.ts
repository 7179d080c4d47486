/**
 * PostgreSQL plans segment pages from its statistics (decision 036, follow-up): after a recompute
 * writes a large generation, the planner must know how many profiles the new snapshot holds, or it
 * joins every member of a big segment to its customer before taking a page (1.3 s instead of 0.7 s
 * at 1M orders). The recompute refreshes the statistics itself rather than waiting for autovacuum.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYNTHETIC_AS_OF } from "~/analytics/testing/synthetic-store";
import { closeBulkConnections } from "~/db/bulk-connections.server";
import { recomputeShop } from "~/jobs/handlers/recompute";
import type { SyncContext } from "~/sync/sync-context";
import { seedSyntheticStore } from "./seed-synthetic-store";
import { createTestDatabase, TEST_DIALECTS, testSyncContext, type TestDatabase } from "./test-database";

const SHOP = "statistics.myshopify.com";

describe.each(TEST_DIALECTS.filter((d) => d === "postgresql"))("profile statistics on %s", (dialect) => {
  let db: TestDatabase;
  let ctx: SyncContext;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    ctx = testSyncContext(db).ctx;
    // About 12k customers with orders: above the size from which the recompute refreshes statistics.
    await seedSyntheticStore(db, SHOP, 45_000);
  }, 300_000);

  afterAll(async () => {
    await closeBulkConnections();
    await db?.drop();
  });

  it("after a large recompute the planner's estimate for the new generation is its real size", async () => {
    const result = await recomputeShop(ctx, SHOP, { asOf: new Date(`${SYNTHETIC_AS_OF}T12:00:00Z`) });
    expect(result).not.toBeNull();
    const snapshotId = result!.snapshotId;
    const [{ profiles }] = await db.prisma.$queryRawUnsafe<{ profiles: number }[]>(`SELECT COUNT(*)::int AS profiles FROM "CustomerProfile" WHERE "snapshotId" = $1`, snapshotId);
    expect(profiles).toBeGreaterThanOrEqual(10_000);
    const [row] = await db.prisma.$queryRawUnsafe<Record<string, unknown>[]>(`EXPLAIN (FORMAT JSON) SELECT * FROM "CustomerProfile" WHERE "snapshotId" = ${Number(snapshotId)}`);
    const plan = Object.values(row)[0];
    const estimate = ((typeof plan === "string" ? JSON.parse(plan) : plan) as { Plan: { "Plan Rows": number } }[])[0].Plan["Plan Rows"];
    // Without fresh statistics PostgreSQL guesses a handful of rows (or a default fraction of a table it believes empty).
    expect(estimate).toBeGreaterThan(profiles * 0.8);
    expect(estimate).toBeLessThan(profiles * 1.2);
  }, 300_000);
});
