/**
 * The SQLite job queue under crash and concurrency (graphile-worker style): seed stale-locked
 * and duplicate jobs, run the worker, assert the sequence of runs and the final rows.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../tests/db/test-database";
import { createSqliteJobQueue } from "./sqlite-job-queue";
import { JOB_KINDS, JobFailedPermanently, type JobHandler, type JobKind } from "./job-queue";
import { activeWorkers } from "./worker-registry";

const SHOP = "jobs.myshopify.com";

function handlersWith(overrides: Partial<Record<JobKind, JobHandler>>): Record<JobKind, JobHandler> {
  const noop: JobHandler = async () => {};
  return { ...(Object.fromEntries(JOB_KINDS.map((kind) => [kind, noop])) as Record<JobKind, JobHandler>), ...overrides };
}

async function until(check: () => Promise<boolean>, ms = 5_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("condition not reached");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("createSqliteJobQueue", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
  });
  afterAll(async () => db?.drop());
  beforeEach(async () => {
    await db.prisma.job.deleteMany();
  });
  afterEach(() => {
    expect(activeWorkers()).toEqual([]);
  });

  it("enqueueing the same key while queued keeps one job; the earlier start wins", async () => {
    const queue = createSqliteJobQueue({ prisma: db.prisma });
    await queue.enqueue("backfill", SHOP, { n: 1 }, { runAt: new Date(Date.now() + 60_000) });
    await queue.enqueue("backfill", SHOP, { n: 2 });
    const jobs = await db.prisma.job.findMany();
    expect(jobs).toHaveLength(1);
    expect(jobs[0].runAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(JSON.parse(jobs[0].payload)).toEqual({ n: 2 });
  });

  it("debounce pushes a queued job later, but never beyond its maximum delay", async () => {
    const queue = createSqliteJobQueue({ prisma: db.prisma });
    const t0 = Date.now();
    await queue.enqueue("recompute", SHOP, {}, { runAt: new Date(t0 + 1_000), debounce: { maxDelayMs: 5_000 } });
    await queue.enqueue("recompute", SHOP, {}, { runAt: new Date(t0 + 3_000), debounce: { maxDelayMs: 5_000 } });
    let job = await db.prisma.job.findFirstOrThrow();
    expect(job.runAt.getTime()).toBe(t0 + 3_000);
    await queue.enqueue("recompute", SHOP, {}, { runAt: new Date(t0 + 60_000), debounce: { maxDelayMs: 5_000 } });
    job = await db.prisma.job.findFirstOrThrow();
    expect(job.runAt.getTime()).toBeLessThanOrEqual(job.createdAt.getTime() + 5_000);
  });

  it("one key runs one at a time; an enqueue during the run causes exactly one more run", async () => {
    const queue = createSqliteJobQueue({ prisma: db.prisma, concurrency: 3, pollIntervalMs: 10 });
    const events: string[] = [];
    let running = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let runs = 0;
    await queue.enqueue("backfill", SHOP);
    await queue.startWorker(
      handlersWith({
        backfill: async () => {
          running++;
          runs++;
          events.push(`start ${runs} (concurrent: ${running})`);
          if (runs === 1) await gate;
          running--;
          events.push(`end ${runs}`);
        },
      }),
    );
    await until(async () => runs === 1);
    await queue.enqueue("backfill", SHOP); // while running
    await queue.enqueue("backfill", SHOP); // still one follow-up
    release();
    await until(async () => (await db.prisma.job.findFirstOrThrow()).status === "done");
    await new Promise((r) => setTimeout(r, 100));
    await queue.stopWorker();
    expect(events).toEqual(["start 1 (concurrent: 1)", "end 1", "start 2 (concurrent: 1)", "end 2"]);
  });

  it("a job locked by a worker that died is reclaimed after the lock timeout and runs again", async () => {
    await db.prisma.job.create({
      data: { shop: SHOP, kind: "backfill", key: SHOP, status: "running", lockedAt: new Date(Date.now() - 60_000), lockedBy: "dead-worker", attempts: 1 },
    });
    const queue = createSqliteJobQueue({ prisma: db.prisma, lockTimeoutMs: 30_000, pollIntervalMs: 10 });
    let ran = 0;
    await queue.startWorker(handlersWith({ backfill: async () => void ran++ }));
    await until(async () => (await db.prisma.job.findFirstOrThrow()).status === "done");
    await queue.stopWorker();
    expect(ran).toBe(1);
    const job = await db.prisma.job.findFirstOrThrow();
    expect(job.attempts).toBe(2);
    expect(job.lockedBy).toBeNull();
  });

  it("a fresh lock is not stolen", async () => {
    await db.prisma.job.create({ data: { shop: SHOP, kind: "backfill", key: SHOP, status: "running", lockedAt: new Date(), lockedBy: "alive-worker" } });
    const queue = createSqliteJobQueue({ prisma: db.prisma, lockTimeoutMs: 30_000, pollIntervalMs: 10 });
    let ran = 0;
    await queue.startWorker(handlersWith({ backfill: async () => void ran++ }));
    await new Promise((r) => setTimeout(r, 200));
    await queue.stopWorker();
    expect(ran).toBe(0);
    expect((await db.prisma.job.findFirstOrThrow()).lockedBy).toBe("alive-worker");
  });

  it("a failing job is retried with backoff and fails for good after maxAttempts; a permanent failure is not retried", async () => {
    const queue = createSqliteJobQueue({ prisma: db.prisma, pollIntervalMs: 10, random: () => 0 });
    await db.prisma.job.create({ data: { shop: SHOP, kind: "reconcile", key: SHOP, maxAttempts: 2 } });
    await db.prisma.job.create({ data: { shop: SHOP, kind: "recompute", key: SHOP } });
    let reconcileRuns = 0;
    let recomputeRuns = 0;
    await queue.startWorker(
      handlersWith({
        reconcile: async () => {
          reconcileRuns++;
          throw new Error("Shopify is down");
        },
        recompute: async () => {
          recomputeRuns++;
          throw new JobFailedPermanently("bad data");
        },
      }),
    );
    await until(async () => (await db.prisma.job.findFirstOrThrow({ where: { kind: "recompute" } })).status === "failed");
    let reconcile = await db.prisma.job.findFirstOrThrow({ where: { kind: "reconcile" } });
    expect(reconcile.status).toBe("queued"); // first failure: retried later (backoff ≥ 1 s)
    expect(reconcile.runAt.getTime()).toBeGreaterThan(Date.now());
    expect(reconcile.lastError).toBe("Shopify is down");
    await db.prisma.job.update({ where: { id: reconcile.id }, data: { runAt: new Date() } }); // fast-forward the backoff
    await until(async () => (await db.prisma.job.findFirstOrThrow({ where: { kind: "reconcile" } })).status === "failed");
    await queue.stopWorker();
    reconcile = await db.prisma.job.findFirstOrThrow({ where: { kind: "reconcile" } });
    expect(reconcileRuns).toBe(2);
    expect(recomputeRuns).toBe(1);
  });

  it("stopping mid-job hands the job back queued, without counting an attempt", async () => {
    const queue = createSqliteJobQueue({ prisma: db.prisma, pollIntervalMs: 10 });
    await queue.enqueue("backfill", SHOP);
    let started = false;
    await queue.startWorker(
      handlersWith({
        backfill: async ({ signal }) => {
          started = true;
          await new Promise<void>((r) => signal.addEventListener("abort", () => r()));
        },
      }),
    );
    await until(async () => started);
    await queue.stopWorker();
    const job = await db.prisma.job.findFirstOrThrow();
    expect(job).toMatchObject({ status: "queued", attempts: 0, lockedBy: null });
  });

  it("cancelShopJobs drops the shop's queued jobs only", async () => {
    const queue = createSqliteJobQueue({ prisma: db.prisma });
    await queue.enqueue("backfill", SHOP);
    await queue.enqueue("backfill", "other.myshopify.com");
    await queue.cancelShopJobs(SHOP);
    expect((await db.prisma.job.findMany()).map((j) => j.shop)).toEqual(["other.myshopify.com"]);
  });
});
