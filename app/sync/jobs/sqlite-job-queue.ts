/**
 * The in-process job queue over the Job table (SQLite, one app instance).
 *
 * - Dedupe: at most one row per (shop, kind, key). Enqueueing while it is queued updates it
 *   (earlier start wins, or later with `debounce`); while it is running sets `rerun`, so exactly
 *   one more run follows; a finished row is reset to queued.
 * - Claim: one atomic `UPDATE … WHERE id = (SELECT … status='queued' AND runAt <= now …) AND
 *   status='queued' RETURNING`, which sets status, lock timestamp and owner together.
 * - Crash safety: a running job's lock is refreshed every `lockTimeoutMs / 3` while it runs; a
 *   lock older than `lockTimeoutMs` (30 s: the process died or was killed) is reclaimed, with a
 *   log line, and the job runs again, so a restarted server resumes within a minute. Handlers are
 *   idempotent/resumable (the backfill resumes from SyncRun.linesProcessed).
 * Same key ⇒ same row ⇒ one at a time: that is how "one backfill per shop" and per-shop
 * serial webhook application are enforced.
 */
import crypto from "node:crypto";
import type { Database } from "../../db.server";
import { retryDelayMs } from "./backoff";
import { JobFailedPermanently, noteJobFailed, requeuedStart, takeFailedRun, type EnqueueOptions, type JobHandler, type JobKind, type JobQueue } from "./job-queue";
import { registerActive } from "./worker-registry";
import { errorLine, logInfo, logWarn } from "../../log.server";

/**
 * How long a running job's lock survives without a heartbeat before another worker takes the
 * job over. Three missed heartbeats (every 10 s); short enough that a job of a killed process
 * resumes well within a minute of the restart, long enough that a busy SQLite writer (busy_timeout
 * 10 s) does not make a live job look dead.
 */
export const SQLITE_JOB_LOCK_TIMEOUT_MS = 30_000;

export interface SqliteJobQueueOptions {
  prisma: Database;
  concurrency?: number;
  pollIntervalMs?: number;
  lockTimeoutMs?: number;
  now?: () => Date;
  random?: () => number;
  onError?: (error: unknown, job: { kind: string; shop: string }) => void;
}

interface JobRow {
  id: number;
  shop: string;
  kind: string;
  key: string | null;
  payload: string;
  attempts: number;
  maxAttempts: number;
}

export function createSqliteJobQueue(options: SqliteJobQueueOptions): JobQueue {
  const { prisma } = options;
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  const lockTimeoutMs = options.lockTimeoutMs ?? SQLITE_JOB_LOCK_TIMEOUT_MS;
  const workerId = `w-${process.pid}-${crypto.randomBytes(3).toString("hex")}`;
  let controller: AbortController | null = null;
  let loops: Promise<void>[] = [];
  let unregister: (() => void) | null = null;
  let wake: (() => void) | null = null;

  async function enqueue(kind: JobKind, shop: string, payload: Record<string, unknown> = {}, opts: EnqueueOptions = {}): Promise<void> {
    const key = opts.key ?? shop;
    const runAt = opts.runAt ?? now();
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await prisma.$transaction(async (tx) => {
          const existing = await tx.job.findUnique({ where: { shop_kind_key: { shop, kind, key } } });
          if (!existing) {
            await tx.job.create({ data: { shop, kind, key, payload: JSON.stringify(payload), runAt } });
          } else if (existing.status === "queued") {
            const next = requeuedStart(existing, runAt, opts.debounce);
            await tx.job.update({ where: { id: existing.id }, data: { runAt: next, payload: JSON.stringify(payload) } });
          } else if (existing.status === "running") {
            await tx.job.update({ where: { id: existing.id }, data: { rerun: true, runAt, payload: JSON.stringify(payload) } });
          } else {
            await tx.job.update({
              where: { id: existing.id },
              data: { status: "queued", runAt, payload: JSON.stringify(payload), attempts: 0, lastError: null, lockedAt: null, lockedBy: null, finishedAt: null, rerun: false, createdAt: now() },
            });
          }
        });
        wake?.();
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== "P2002" || attempt === 2) throw error;
      }
    }
  }

  async function claim(): Promise<JobRow | null> {
    const at = now();
    // Reclaim jobs whose worker died (lock not refreshed for lockTimeoutMs).
    const stale = await prisma.job.findMany({
      where: { status: "running", lockedAt: { lt: new Date(at.getTime() - lockTimeoutMs) } },
      select: { id: true, shop: true, kind: true, lockedBy: true, lockedAt: true },
    });
    for (const job of stale) {
      const { count } = await prisma.job.updateMany({
        where: { id: job.id, status: "running", lockedBy: job.lockedBy, lockedAt: job.lockedAt },
        data: { status: "queued", lockedAt: null, lockedBy: null, runAt: at },
      });
      if (count) noteJobFailed(job.kind, job.shop);
      if (count) logWarn("job.reclaimed", { job: job.id, kind: job.kind, shop: job.shop, deadWorker: job.lockedBy, reason: `no heartbeat for ${lockTimeoutMs / 1000} s` });
    }
    const rows = (await prisma.$queryRawUnsafe(
      `UPDATE "Job" SET "status" = 'running', "lockedAt" = ?, "lockedBy" = ?, "attempts" = "attempts" + 1
       WHERE "id" = (SELECT "id" FROM "Job" WHERE "status" = 'queued' AND "runAt" <= ? ORDER BY "runAt", "id" LIMIT 1) AND "status" = 'queued'
       RETURNING "id", "shop", "kind", "key", "payload", "attempts", "maxAttempts"`,
      at,
      workerId,
      at,
    )) as JobRow[];
    return rows[0] ?? null;
  }

  async function finish(job: JobRow, outcome: { retryAt?: Date; error?: unknown }) {
    await prisma.$transaction(async (tx) => {
      const row = await tx.job.findUnique({ where: { id: job.id } });
      if (!row || row.lockedBy !== workerId || row.status !== "running") return; // cancelled or reclaimed meanwhile
      const at = now();
      if (outcome.error !== undefined) {
        const permanent = outcome.error instanceof JobFailedPermanently || row.attempts >= row.maxAttempts;
        const message = String((outcome.error as Error)?.message ?? outcome.error).slice(0, 1000);
        if (permanent && !row.rerun) {
          await tx.job.update({ where: { id: row.id }, data: { status: "failed", lastError: message, lockedAt: null, lockedBy: null, finishedAt: at } });
        } else {
          const runAt = permanent ? at : new Date(at.getTime() + retryDelayMs(row.attempts, random));
          await tx.job.update({ where: { id: row.id }, data: { status: "queued", lastError: message, lockedAt: null, lockedBy: null, runAt, rerun: false, ...(permanent ? { attempts: 0 } : {}) } });
        }
      } else if (outcome.retryAt || row.rerun) {
        // A poll ("not finished yet") is not a failed attempt.
        const runAt = row.rerun ? (row.runAt < (outcome.retryAt ?? row.runAt) ? row.runAt : (outcome.retryAt ?? row.runAt)) : outcome.retryAt!;
        await tx.job.update({ where: { id: row.id }, data: { status: "queued", runAt, lockedAt: null, lockedBy: null, rerun: false, attempts: row.rerun ? 0 : row.attempts - 1, lastError: null } });
      } else {
        await tx.job.update({ where: { id: row.id }, data: { status: "done", lockedAt: null, lockedBy: null, finishedAt: at, lastError: null } });
      }
    });
  }

  /** Stopped mid-job: hand it back for the next start (it resumes from its own progress). */
  async function release(job: JobRow) {
    await prisma.job
      .updateMany({ where: { id: job.id, lockedBy: workerId }, data: { status: "queued", lockedAt: null, lockedBy: null, attempts: { decrement: 1 } } })
      .catch(() => {});
  }

  async function loop(handlers: Record<JobKind, JobHandler>, signal: AbortSignal) {
    while (!signal.aborted) {
      let job: JobRow | null = null;
      try {
        job = await claim();
      } catch (error) {
        logWarn("queue.claim-failed", { error: errorLine(error, 300) });
        options.onError?.(error, { kind: "claim", shop: "" });
      }
      if (!job) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, pollIntervalMs);
          function done() {
            clearTimeout(timer);
            signal.removeEventListener("abort", done);
            if (wake === done) wake = null;
            resolve();
          }
          wake = done;
          signal.addEventListener("abort", done);
        });
        continue;
      }
      const heartbeat = setInterval(() => {
        prisma.job.updateMany({ where: { id: job!.id, lockedBy: workerId }, data: { lockedAt: now() } }).catch(() => {});
      }, Math.max(50, lockTimeoutMs / 3));
      try {
        const handler = handlers[job.kind as JobKind];
        if (!handler) throw new JobFailedPermanently(`no handler for job kind ${job.kind}`);
        const failedAt = takeFailedRun(job.kind, job.shop);
        if (job.attempts > 1 || failedAt) logInfo("job.resumed", { job: job.id, kind: job.kind, shop: job.shop, attempt: job.attempts, failedAt });
        const outcome = await handler({ kind: job.kind as JobKind, shop: job.shop, payload: JSON.parse(job.payload), attempt: job.attempts, signal });
        if (signal.aborted) await release(job);
        else await finish(job, { retryAt: outcome?.retryAt });
      } catch (error) {
        if (signal.aborted) {
          await release(job);
        } else {
          logWarn("job.failed", { job: job.id, kind: job.kind, shop: job.shop, attempt: job.attempts, error: errorLine(error, 300) });
          noteJobFailed(job.kind, job.shop);
          options.onError?.(error, job);
          await finish(job, { error }).catch((e) => options.onError?.(e, job!));
        }
      } finally {
        clearInterval(heartbeat);
      }
    }
  }

  return {
    enqueue,
    async startWorker(handlers) {
      if (controller) return;
      controller = new AbortController();
      unregister = registerActive("sqlite-job-queue");
      const signal = controller.signal;
      loops = Array.from({ length: options.concurrency ?? 2 }, () => loop(handlers, signal));
    },
    async stopWorker() {
      if (!controller) return;
      controller.abort();
      await Promise.allSettled(loops);
      loops = [];
      controller = null;
      unregister?.();
      unregister = null;
    },
    async cancelShopJobs(shop) {
      await prisma.job.deleteMany({ where: { shop, status: { in: ["queued", "failed", "done"] } } });
    },
    get running() {
      return controller !== null;
    },
  };
}
