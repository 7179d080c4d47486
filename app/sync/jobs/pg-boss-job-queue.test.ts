/**
 * pg-boss on PostgreSQL: two app instances (two queues on one database) share the work and
 * never run one job twice; a key is never run by both at once.
 */
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "../../../tests/db/test-database";
import { createPgBossJobQueue } from "./pg-boss-job-queue";
import { JOB_KINDS, type JobHandler, type JobKind, type JobQueue } from "./job-queue";
import { activeWorkers } from "./worker-registry";

const enabled = TEST_DIALECTS.includes("postgresql");

describe.runIf(enabled)("createPgBossJobQueue", () => {
  let db: TestDatabase;
  const queues: JobQueue[] = [];
  beforeAll(async () => {
    db = await createTestDatabase("postgresql");
  }, 60_000);
  afterEach(async () => {
    for (const q of queues.splice(0)) await q.stopWorker();
    expect(activeWorkers()).toEqual([]);
  }, 60_000);
  afterAll(async () => db?.drop());

  it("two instances run every job exactly once and never the same key concurrently", async () => {
    const runs = new Map<string, number>();
    const active = new Set<string>();
    let overlaps = 0;
    const handler =
      (): JobHandler =>
      async ({ shop, payload }) => {
        const key = `${shop}:${String(payload.n)}`;
        if (active.has(shop)) overlaps++;
        active.add(shop);
        runs.set(key, (runs.get(key) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 15));
        active.delete(shop);
      };
    const handlers = (): Record<JobKind, JobHandler> => ({
      ...(Object.fromEntries(JOB_KINDS.map((kind): [JobKind, JobHandler] => [kind, async () => {}])) as Record<JobKind, JobHandler>),
      backfill: handler(),
    });
    const a = createPgBossJobQueue({ connectionString: db.config.url, concurrency: 3, pollIntervalSeconds: 0.5 });
    const b = createPgBossJobQueue({ connectionString: db.config.url, concurrency: 3, pollIntervalSeconds: 0.5 });
    queues.push(a, b);
    // 12 shops, one backfill each
    for (let n = 0; n < 12; n++) await a.enqueue("backfill", `shop-${n}.myshopify.com`, { n });
    // enqueueing an already-queued key again does not add a job
    await b.enqueue("backfill", "shop-0.myshopify.com", { n: 0 });
    await Promise.all([a.startWorker(handlers()), b.startWorker(handlers())]);
    const end = Date.now() + 30_000;
    while (runs.size < 12 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1_000)); // would-be duplicates have time to show up
    expect(runs.size).toBe(12);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(overlaps).toBe(0);
  }, 60_000);

  it("debounce pushes a queued job later, but never beyond its maximum delay; without it the earlier start wins", async () => {
    const queue = createPgBossJobQueue({ connectionString: db.config.url });
    queues.push(queue);
    const shop = "debounce.myshopify.com";
    const client = new pg.Client({ connectionString: db.config.url });
    await client.connect();
    onTestFinished(() => client.end());
    const queued = async (kind: JobKind) => {
      const { rows } = await client.query<{ start_after: Date; created_on: Date }>(
        `SELECT start_after, created_on FROM pgboss.job WHERE name = $1 AND singleton_key = $2 AND state = 'created'`,
        [kind, `${shop}|${shop}`],
      );
      expect(rows).toHaveLength(1);
      return { startAfter: rows[0].start_after.getTime(), createdOn: rows[0].created_on.getTime() };
    };
    const t0 = Date.now();
    await queue.enqueue("recompute", shop, {}, { runAt: new Date(t0 + 1_000), debounce: { maxDelayMs: 5_000 } });
    await queue.enqueue("recompute", shop, {}, { runAt: new Date(t0 + 3_000), debounce: { maxDelayMs: 5_000 } });
    expect((await queued("recompute")).startAfter).toBe(t0 + 3_000);
    await queue.enqueue("recompute", shop, {}, { runAt: new Date(t0 + 60_000), debounce: { maxDelayMs: 5_000 } });
    const capped = await queued("recompute");
    expect(capped.startAfter).toBeLessThanOrEqual(capped.createdOn + 5_000);
    expect(capped.startAfter).toBeGreaterThan(t0 + 3_000);

    await queue.enqueue("reconcile", shop, {}, { runAt: new Date(t0 + 60_000) });
    await queue.enqueue("reconcile", shop, {}, { runAt: new Date(t0 + 2_000) });
    await queue.enqueue("reconcile", shop, {}, { runAt: new Date(t0 + 30_000) });
    expect((await queued("reconcile")).startAfter).toBe(t0 + 2_000);
    await queue.cancelShopJobs(shop);
  }, 60_000);

  it("cancelShopJobs removes the shop's queued jobs", async () => {
    const q = createPgBossJobQueue({ connectionString: db.config.url });
    queues.push(q);
    await q.enqueue("recompute", "gone.myshopify.com", {}, { runAt: new Date(Date.now() + 3_600_000) });
    await q.enqueue("recompute", "kept.myshopify.com", {}, { runAt: new Date(Date.now() + 3_600_000) });
    await q.cancelShopJobs("gone.myshopify.com");
    const rows = (await db.prisma.$queryRawUnsafe(
      `SELECT data->>'shop' AS shop FROM pgboss.job WHERE name = 'recompute' AND state = 'created' ORDER BY 1`,
    )) as { shop: string }[];
    expect(rows.map((r) => r.shop)).toEqual(["kept.myshopify.com"]);
  }, 60_000);
});
