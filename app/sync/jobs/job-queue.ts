/**
 * One job interface over two engines (docs/decisions/007-job-queue.md): pg-boss on PostgreSQL
 * (several app instances share the work, SKIP LOCKED, a job runs once) and an in-process worker
 * over the Job table on SQLite (one instance by design).
 */
export type JobKind = "backfill" | "apply-webhook" | "recompute" | "reconcile" | "refresh-profiles" | "refresh-segments";

export const JOB_KINDS: readonly JobKind[] = ["backfill", "apply-webhook", "recompute", "reconcile", "refresh-profiles", "refresh-segments"];

export interface EnqueueOptions {
  /**
   * Dedupe key: while a job with the same (kind, shop, key) is queued, enqueueing again does not
   * add a second one; while one is running, exactly one more run is queued after it.
   * Default: the shop (one queued job per shop and kind).
   */
  key?: string;
  /** Run no earlier than this. */
  runAt?: Date;
  /**
   * Debounce: when a queued job with the key exists, push its start to `runAt` (later wins),
   * but never beyond `maxDelayMs` after it was first queued. Used by recompute after bursts.
   */
  debounce?: { maxDelayMs: number };
}

/**
 * When a queued job of the key should start after another enqueue (both queues use this rule):
 * the earlier start wins; with `debounce` the later one wins, but never beyond `maxDelayMs`
 * after the queued job was first created.
 */
export function requeuedStart(queued: { runAt: Date; createdAt: Date }, runAt: Date, debounce: EnqueueOptions["debounce"]): Date {
  const queuedStart = queued.runAt.getTime();
  if (!debounce) return new Date(Math.min(queuedStart, runAt.getTime()));
  const cap = queued.createdAt.getTime() + debounce.maxDelayMs;
  return new Date(Math.min(Math.max(queuedStart, runAt.getTime()), Math.max(cap, queuedStart)));
}

export interface JobContext {
  kind: JobKind;
  shop: string;
  payload: Record<string, unknown>;
  attempt: number;
  /** Aborted when the worker stops: long handlers check it between steps. */
  signal: AbortSignal;
}

export type JobHandler = (job: JobContext) => Promise<JobOutcome | void>;

/** A handler may ask to run again later (e.g. a bulk operation still running). */
export type JobOutcome = { retryAt: Date };

export interface JobQueue {
  enqueue(kind: JobKind, shop: string, payload?: Record<string, unknown>, options?: EnqueueOptions): Promise<void>;
  startWorker(handlers: Record<JobKind, JobHandler>): Promise<void>;
  stopWorker(): Promise<void>;
  /** Drops every queued job of the shop (app/uninstalled, shop/redact). */
  cancelShopJobs(shop: string): Promise<void>;
  readonly running: boolean;
}

export class JobFailedPermanently extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JobFailedPermanently";
  }
}

/**
 * Failed runs of (kind, shop) in this process that no run has followed yet: the next start of
 * the same kind for the shop, whichever job it is (a retry, or a new one a webhook queued),
 * logs `job.resumed`, so an operator sees the recovery after a `job.failed` line.
 */
const failedRuns = new Map<string, Date>();

export function noteJobFailed(kind: string, shop: string, at = new Date()): void {
  failedRuns.set(`${kind}|${shop}`, at);
}

/** When a run of (kind, shop) failed and none has started since; cleared by the call. */
export function takeFailedRun(kind: string, shop: string): Date | undefined {
  const at = failedRuns.get(`${kind}|${shop}`);
  failedRuns.delete(`${kind}|${shop}`);
  return at;
}
