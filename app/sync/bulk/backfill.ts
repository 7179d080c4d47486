/**
 * The backfill job: a resumable state machine over one SyncRun per shop. Each step runs until it
 * must wait, then returns `{retryAt}` (the worker runs it again later, or at once when the
 * `bulk_operations/finish` webhook arrives). Stages run in order products → customers → orders;
 * for each: wait for its `bulkOperationRunQuery` export, stream its JSONL into the database
 * (bulk-import.ts). The three exports are started together with the first stage (Shopify runs up
 * to five bulk queries per shop at once since API 2026-01), so Shopify exports the orders, the
 * longest, while the products and customers are imported (`exportsAhead`). Everything the
 * machine knows is in the SyncRun row, so a crash or restart at any point resumes: the same bulk
 * operation is followed, the same file resumes from `linesProcessed`.
 *
 * Failures are recorded with a merchant-readable code (backfill-messages.ts):
 * TIMEOUT / INTERNAL_SERVER_ERROR / expired results → retried with backoff by re-running the
 * stage (idempotent upserts make that safe); ACCESS_DENIED → the run fails and says why.
 */
import { logInfo } from "../../log.server";
import { AdminApiError, type AdminApiClient } from "../../shopify/admin-api-client";
import { RECORD_COUNTS, SHOP_DETAILS } from "../../shopify/documents/app-installation";
import { BulkUrlExpiredError, downloadBulkResult, readBulkOperation, startBulkQuery } from "../../shopify/bulk-operation";
import { BULK_QUERIES, BULK_RESOURCES, type BulkResource } from "../../shopify/documents/bulk-queries";
import type { JobOutcome } from "../jobs/job-queue";
import { retryDelayMs } from "../jobs/backoff";
import type { SyncContext } from "../sync-context";
import { BACKFILL_MESSAGES, type BackfillErrorCode } from "./backfill-messages";
import { importBulkJsonl, type BatchProgress } from "./bulk-import";
import { JsonlFormatError } from "./jsonl-lines";

export interface BackfillDeps extends SyncContext {
  adminClient(shop: string): Promise<AdminApiClient>;
  /** Downloads the JSONL (the simulator's fetch in tests). */
  fetch?: typeof globalThis.fetch;
  pollIntervalMs?: number;
  batchSize?: number;
  maxAttempts?: number;
  random?: () => number;
  afterBatch?: (progress: BatchProgress) => void | Promise<void>;
}

const ALL_ORDERS_SCOPE = "read_all_orders";

type Run = Awaited<ReturnType<SyncContext["prisma"]["syncRun"]["findFirstOrThrow"]>>;

/**
 * Starts a backfill run for the shop unless one is running, or (without `force`) one already
 * completed. Idempotent: afterAuth calls it on every token mint. On PostgreSQL a transaction-level
 * advisory lock on the shop makes concurrent calls from several instances start at most one run.
 * @returns the running run (and whether this call created it), or null when the shop is already backfilled.
 */
export async function startBackfillRun(ctx: SyncContext, shop: string, options: { force?: boolean } = {}): Promise<{ run: Run; created: boolean } | null> {
  return ctx.prisma.$transaction(async (tx) => {
    if (ctx.dialect === "postgresql") await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext($1))`, `backfill:${shop}`);
    const latest = await tx.syncRun.findFirst({ where: { shop, kind: "backfill" }, orderBy: { id: "desc" } });
    if (latest?.status === "running") return { run: latest, created: false };
    if (latest?.status === "completed" && !options.force) return null;
    return { run: await tx.syncRun.create({ data: { shop, kind: "backfill", status: "running" } }), created: true };
  });
}

/** The later stages' exports started with the first one, not yet followed by their stage. */
function exportsAhead(run: Run): Partial<Record<BulkResource, string>> {
  return run.exportsAhead ? (JSON.parse(run.exportsAhead) as Partial<Record<BulkResource, string>>) : {};
}

async function runningBackfill(ctx: SyncContext, shop: string): Promise<Run | null> {
  return ctx.prisma.syncRun.findFirst({ where: { shop, kind: "backfill", status: "running" }, orderBy: { id: "desc" } });
}

export async function runBackfillStep(deps: BackfillDeps, shop: string, signal: AbortSignal): Promise<JobOutcome | void> {
  const now = () => deps.now?.() ?? new Date();
  const pollMs = deps.pollIntervalMs ?? 10_000;
  let run = await runningBackfill(deps, shop);
  if (!run) return;
  if (run.nextAttemptAt && run.nextAttemptAt > now()) return { retryAt: run.nextAttemptAt };
  const api = await deps.adminClient(shop);

  if (run.stage === null && run.bulkOperationId === null && run.objectsTotal === null) {
    const { data } = await api.request(SHOP_DETAILS, {});
    const session = await deps.prisma.session.findFirst({ where: { shop, isOnline: false }, select: { scope: true } });
    const scopes = [...new Set((session?.scope ?? "").split(",").map((s) => s.trim()).filter(Boolean))].sort();
    const shopInfo = {
      grantedScopes: scopes.join(","),
      hasAllOrdersAccess: scopes.includes(ALL_ORDERS_SCOPE),
      name: data.shop.name,
      currencyCode: data.shop.currencyCode,
      ianaTimezone: data.shop.ianaTimezone,
      planName: data.shop.plan.publicDisplayName,
    };
    await deps.prisma.shop.upsert({ where: { shop }, create: { shop, ...shopInfo }, update: shopInfo });
    try {
      const counts = (await api.request(RECORD_COUNTS, {})).data;
      const total = (counts.customersCount?.count ?? 0) + (counts.ordersCount?.count ?? 0) + (counts.productsCount?.count ?? 0);
      run = await deps.prisma.syncRun.update({ where: { id: run.id }, data: { objectsTotal: total } });
    } catch (error) {
      // Counts are a nicety for the progress bar: without them the total grows as each export completes.
      if (!(error instanceof AdminApiError) || error.retryable) throw error;
    }
  }

  while (!signal.aborted) {
    const stage = (run.stage ?? BULK_RESOURCES[0]) as BulkResource;
    if (!run.bulkOperationId) {
      const ahead = exportsAhead(run);
      const startedAhead = ahead[stage];
      if (startedAhead) {
        // Started with the first stage: follow it (a failed or expired one is restarted as any other).
        delete ahead[stage];
        run = await deps.prisma.syncRun.update({
          where: { id: run.id },
          data: { stage, bulkOperationId: startedAhead, bulkStatus: null, stageStartedAt: now(), linesProcessed: 0, errorCode: null, error: null, exportsAhead: JSON.stringify(ahead) },
        });
      } else {
        const start = await startBulkQuery(api, BULK_QUERIES[stage]);
        if ("busy" in start) {
          await record(run.id, "OPERATION_IN_PROGRESS", { bulkStatus: null });
          return { retryAt: new Date(now().getTime() + pollMs) };
        }
        if ("refused" in start) {
          await fail(run.id, "API_ERROR", `${BACKFILL_MESSAGES.API_ERROR} (${start.refused})`);
          return;
        }
        run = await deps.prisma.syncRun.update({
          where: { id: run.id },
          data: { stage, bulkOperationId: start.started.id, bulkStatus: start.started.status, stageStartedAt: now(), linesProcessed: 0, errorCode: null, error: null },
        });
        if (run.exportsAhead === null) run = await startLaterExports(run, stage);
      }
    }

    const polled = await readBulkOperation(api, run.bulkOperationId!);
    if (polled.state === "gone") {
      await restartStage(run, "EXPIRED");
      return { retryAt: now() };
    }
    const op = polled.operation;
    if (op.status !== run.bulkStatus) run = await deps.prisma.syncRun.update({ where: { id: run.id }, data: { bulkStatus: op.status } });
    if (polled.state === "running") return { retryAt: new Date(now().getTime() + pollMs) };
    if (polled.state === "failed") {
      const code = polled.errorCode as BackfillErrorCode;
      if (code === "ACCESS_DENIED") {
        await fail(run.id, code, BACKFILL_MESSAGES.ACCESS_DENIED);
        return;
      }
      return retryLater(run, code);
    }
    if (polled.state === "stopped") return retryLater(run, polled.status);

    // COMPLETED: the export's root count is exact; the total shown never trails what is known.
    const stageTotal = polled.rootObjectCount;
    const doneBefore = await doneBeforeStage(stage);
    if (run.objectsTotal === null || run.objectsTotal < doneBefore + stageTotal) {
      run = await deps.prisma.syncRun.update({ where: { id: run.id }, data: { objectsTotal: doneBefore + stageTotal } });
    }
    if (polled.resultUrl) {
      // After a lost database, a killed worker or a restart: say where the import picks up.
      if (run.linesProcessed > 0) logInfo("backfill.resumed", { shop, kind: "backfill", syncRun: run.id, stage, fromLine: run.linesProcessed });
      try {
        const result = await importBulkJsonl({
          prisma: deps.prisma,
          dialect: deps.dialect,
          shop,
          runId: run.id,
          resource: stage,
          jsonl: { chunks: downloadBulkResult(polled.resultUrl, deps.fetch), skipLines: run.linesProcessed },
          batchSize: deps.batchSize,
          afterBatch: deps.afterBatch,
          sqliteFile: deps.sqliteFile,
          database: deps.database,
          signal,
        });
        if (result.stopped) return;
      } catch (error) {
        if (error instanceof BulkUrlExpiredError) return retryLater(run, "URL_EXPIRED", { immediately: true });
        if (error instanceof JsonlFormatError) {
          await fail(run.id, "BAD_DATA", `${BACKFILL_MESSAGES.BAD_DATA} (${stage}: ${error.message})`);
          return;
        }
        if (signal.aborted) return;
        throw error;
      }
    }
    const next = BULK_RESOURCES[BULK_RESOURCES.indexOf(stage) + 1];
    if (next) {
      run = await deps.prisma.syncRun.update({
        where: { id: run.id },
        data: { stage: next, bulkOperationId: null, bulkStatus: null, linesProcessed: 0, attempts: 0, errorCode: null, error: null },
      });
      continue;
    }
    await deps.prisma.syncRun.update({
      where: { id: run.id },
      data: { status: "completed", finishedAt: now(), errorCode: null, error: null, objectsTotal: Math.max(run.objectsTotal ?? 0, (await objectCounts(shop)).total) },
    });
    // The home page says the figures are being computed until the recompute stores them.
    await deps.prisma.shop.updateMany({ where: { shop }, data: { analysisRequestedAt: now() } });
    await deps.jobs.enqueue("recompute", shop, { reason: "backfill completed" });
    return;
  }
  return;

  /**
   * Once per run, with the first export: the later stages' exports, in stage order, until one
   * does not start (a limit reached, an error: that stage starts its own when it comes).
   * Recorded even when none started, so a restarted stage never starts them twice.
   */
  async function startLaterExports(current: Run, first: BulkResource): Promise<Run> {
    const ahead: Partial<Record<BulkResource, string>> = {};
    for (const resource of BULK_RESOURCES.slice(BULK_RESOURCES.indexOf(first) + 1)) {
      // A failed request is no failure of the run: that stage starts its own export when it comes.
      const start = await startBulkQuery(api, BULK_QUERIES[resource]).catch(() => null);
      if (!start || !("started" in start)) break;
      ahead[resource] = start.started.id;
    }
    return deps.prisma.syncRun.update({ where: { id: current.id }, data: { exportsAhead: JSON.stringify(ahead) } });
  }

  async function record(runId: number, code: BackfillErrorCode, extra: Record<string, unknown> = {}) {
    await deps.prisma.syncRun.update({ where: { id: runId }, data: { errorCode: code, error: BACKFILL_MESSAGES[code], ...extra } });
  }

  async function fail(runId: number, code: BackfillErrorCode, message: string) {
    await deps.prisma.syncRun.update({ where: { id: runId }, data: { status: "failed", errorCode: code, error: message, finishedAt: now() } });
  }

  /** Objects already imported, by resource: the honest progress after a stage restarts. */
  async function objectCounts(s: string) {
    const [products, customers, orders] = await Promise.all([
      deps.prisma.product.count({ where: { shop: s } }),
      deps.prisma.customer.count({ where: { shop: s } }),
      deps.prisma.order.count({ where: { shop: s } }),
    ]);
    return { products, customers, orders, total: products + customers + orders };
  }

  async function doneBeforeStage(stage: BulkResource) {
    const counts = await objectCounts(shop);
    return BULK_RESOURCES.slice(0, BULK_RESOURCES.indexOf(stage)).reduce((sum, r) => sum + counts[r], 0);
  }

  async function restartStage(current: Run, code: BackfillErrorCode, extra: Record<string, unknown> = {}) {
    // The stage's rows stay (upserts are idempotent); progress counts what is really stored.
    const counts = await objectCounts(shop);
    const stage = (current.stage ?? BULK_RESOURCES[0]) as BulkResource;
    const before = BULK_RESOURCES.slice(0, BULK_RESOURCES.indexOf(stage)).reduce((sum, r) => sum + counts[r], 0);
    return deps.prisma.syncRun.update({
      where: { id: current.id },
      data: { bulkOperationId: null, bulkStatus: null, linesProcessed: 0, objectsDone: before, errorCode: code, error: BACKFILL_MESSAGES[code], ...extra },
    });
  }

  async function retryLater(current: Run, code: BackfillErrorCode, opts: { immediately?: boolean } = {}): Promise<JobOutcome | void> {
    const attempts = current.attempts + 1;
    if (attempts > (deps.maxAttempts ?? 6)) {
      await fail(current.id, code, `${BACKFILL_MESSAGES[code]} It failed ${attempts - 1} times; the next automatic retry is tomorrow's reconcile, or reinstall to retry now.`);
      return;
    }
    const retryAt = new Date(now().getTime() + (opts.immediately ? 0 : retryDelayMs(attempts, deps.random)));
    await restartStage(current, code, { attempts, nextAttemptAt: retryAt });
    return { retryAt };
  }
}
