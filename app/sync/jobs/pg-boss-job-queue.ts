/**
 * The job queue on PostgreSQL: pg-boss 12 (SKIP LOCKED claims, so several app instances share
 * the work and a job is fetched by exactly one of them).
 *
 * Each job kind is a pg-boss queue with the `stately` policy and singletonKey = shop + key:
 * at most one queued and one active job per key, across all instances. That gives the same
 * semantics as the SQLite queue: enqueueing again while queued edits the queued job
 * (`upsert` by singletonKey), while running queues exactly one follow-up run, and one backfill
 * per shop ever runs at a time.
 */
import { PgBoss, type Job } from "pg-boss";
import { JobFailedPermanently, JOB_KINDS, noteJobFailed, requeuedStart, takeFailedRun, type EnqueueOptions, type JobHandler, type JobKind, type JobQueue } from "./job-queue";
import { registerActive } from "./worker-registry";
import { errorLine, logInfo, logWarn } from "../../log.server";

/**
 * Fault handling (issue #10 §4): a worker refreshes its job's heartbeat every 10 s; pg-boss's
 * monitor (every 10 s, on any instance) fails a job whose heartbeat is older than 20 s and
 * retries it (2 s, 4 s, … backoff). So a job whose process was killed, or whose completion was
 * lost in a database outage, is retried within about 30 s of the database answering again,
 * instead of staying `active` until its expiry.
 */
const QUEUE_OPTIONS = {
  policy: "stately",
  retryLimit: 8,
  retryDelay: 2,
  retryBackoff: true,
  retryDelayMax: 15 * 60,
  expireInSeconds: 60 * 60,
  heartbeatSeconds: 20,
} as const;
const MONITOR_INTERVAL_SECONDS = 10;

export interface PgBossJobQueueOptions {
  connectionString: string;
  schema?: string;
  concurrency?: number;
  pollIntervalSeconds?: number;
  onError?: (error: unknown) => void;
  now?: () => Date;
}

interface JobData {
  shop: string;
  key: string;
  payload: Record<string, unknown>;
}

export function createPgBossJobQueue(options: PgBossJobQueueOptions): JobQueue {
  const schema = options.schema ?? "pgboss";
  const now = options.now ?? (() => new Date());
  // A stopped PgBoss is not restarted: the next start makes a new one (like a new process).
  let boss!: PgBoss;
  let started: Promise<void> | null = null;
  let working = false;
  let controller: AbortController | null = null;
  let unregister: (() => void) | null = null;
  let lastErrorLogAt = 0;
  let suppressedErrors = 0;

  function ensureStarted(): Promise<void> {
    started ??= (async () => {
      boss = new PgBoss({
        connectionString: options.connectionString,
        schema,
        max: 4,
        monitorIntervalSeconds: MONITOR_INTERVAL_SECONDS,
        superviseIntervalSeconds: MONITOR_INTERVAL_SECONDS,
        // A dropped connection must fail fast (and be retried), not wait on the OS's TCP timeout.
        connectionTimeoutMillis: 10_000,
      } as ConstructorParameters<typeof PgBoss>[0]);
      boss.on("error", (error) => {
        // Every worker's poll fails while the database is away: one line per 10 s, with the count.
        const at = Date.now();
        suppressedErrors++;
        if (at - lastErrorLogAt >= 10_000) {
          logWarn("queue.error", { error: String((error as Error)?.message ?? error).slice(0, 300), errorsSinceLastLine: suppressedErrors });
          lastErrorLogAt = at;
          suppressedErrors = 0;
        }
        options.onError?.(error);
      });
      await boss.start();
      for (const kind of JOB_KINDS) {
        await boss.createQueue(kind, QUEUE_OPTIONS).catch(async (error: Error) => {
          if (!/already exists/i.test(error.message)) throw error;
          // Queues made by an older version get today's settings (the heartbeat).
          const { policy: _policy, ...changeable } = QUEUE_OPTIONS;
          await boss.updateQueue(kind, changeable);
        });
      }
    })();
    return started;
  }

  const singletonKey = (shop: string, key: string) => `${shop}|${key}`;

  async function enqueue(kind: JobKind, shop: string, payload: Record<string, unknown> = {}, opts: EnqueueOptions = {}) {
    await ensureStarted();
    const key = opts.key ?? shop;
    const data: JobData = { shop, key, payload };
    // Edits the queued job of this key, or inserts one (one queued + one active per key: stately).
    const startAfter = await nextStart(kind, singletonKey(shop, key), opts.runAt ?? now(), opts.debounce);
    await boss.upsert(kind, data, { singletonKey: singletonKey(shop, key), startAfter });
  }

  /**
   * The start time for an enqueue against the key's queued job, by the rule both queues share
   * (`requeuedStart`: a steady stream of webhooks cannot postpone a recompute for ever).
   * upsert alone would always take the new time.
   */
  async function nextStart(kind: JobKind, key: string, runAt: Date, debounce: EnqueueOptions["debounce"]): Promise<Date> {
    const { rows } = (await boss.getDb().executeSql(
      `SELECT start_after, created_on FROM ${schema}.job WHERE name = $1 AND singleton_key = $2 AND state IN ('created', 'retry') ORDER BY created_on LIMIT 1`,
      [kind, key],
    )) as { rows: { start_after: Date; created_on: Date }[] };
    if (!rows.length) return runAt;
    return requeuedStart({ runAt: new Date(rows[0].start_after), createdAt: new Date(rows[0].created_on) }, runAt, debounce);
  }

  return {
    enqueue,
    async startWorker(handlers: Record<JobKind, JobHandler>) {
      if (working) return;
      await ensureStarted();
      working = true;
      controller = new AbortController();
      const signal = controller.signal;
      unregister = registerActive("pg-boss-job-queue");
      for (const kind of JOB_KINDS) {
        await boss.work<JobData>(
          kind,
          { batchSize: 1, pollingIntervalSeconds: options.pollIntervalSeconds ?? 0.5, localConcurrency: options.concurrency ?? 2 },
          async ([job]: Job<JobData>[]) => {
            const { shop, key, payload } = job.data;
            const attempt = (job as { retryCount?: number }).retryCount ?? 0;
            const failedAt = takeFailedRun(kind, shop);
            if (attempt > 0 || failedAt) logInfo("job.resumed", { job: job.id, kind, shop, attempt, failedAt });
            try {
              const outcome = await handlers[kind]({ kind, shop, payload, attempt, signal });
              if (signal.aborted) {
                // Stopped mid-run: queue a fresh run; the handler resumes from its own progress.
                await boss.send(kind, job.data, { singletonKey: singletonKey(shop, key) });
              } else if (outcome?.retryAt) {
                // "Not finished yet": a plain send is dropped when a wake-up is already queued, which then wins.
                await boss.send(kind, job.data, { singletonKey: singletonKey(shop, key), startAfter: outcome.retryAt });
              }
            } catch (error) {
              logWarn("job.failed", { job: job.id, kind, shop, attempt, error: errorLine(error, 300) });
              noteJobFailed(kind, shop);
              if (error instanceof JobFailedPermanently) return; // recorded by the handler; retrying cannot help
              throw error;
            }
          },
        );
      }
    },
    async stopWorker() {
      if (!started) return;
      controller?.abort();
      await boss.stop({ graceful: true, timeout: 20_000, close: true });
      working = false;
      started = null;
      controller = null;
      unregister?.();
      unregister = null;
    },
    async cancelShopJobs(shop: string) {
      await ensureStarted();
      await boss.getDb().executeSql(
        `DELETE FROM ${schema}.job WHERE name = ANY($1) AND state IN ('created', 'retry') AND data->>'shop' = $2`,
        [JOB_KINDS as unknown as string[], shop],
      );
    },
    get running() {
      return working;
    },
  };
}
