/**
 * The one wiring module of the background work: picks the job queue (pg-boss on PostgreSQL, the
 * Job table on SQLite), builds the context every handler gets (database, dialect, queue, clock,
 * Admin client), starts the worker with the registry's handlers (registry.ts) and the periodic
 * timers (webhook sweep, reconcile, the daily pass at each shop's local midnight). app/services/sync.server.ts exposes the
 * service functions routes call; app/boot-sync-worker.server.ts starts it with the server.
 */
import { createPrismaClient, prisma as defaultPrisma, type Database } from "../db.server";
import { parseDatabaseUrl } from "../db/database-url";
import { createAdminApiClient, type AdminApiClient } from "../shopify/admin-api-client";
import { adminGraphqlUrl } from "../shopify/api-version";
import { simulatorFetch } from "../config/shopify-simulator.server";
import { ThrottleBucket } from "../shopify/throttle-bucket";
import { ALL_ORDERS_NOTICE } from "../sync/bulk/backfill-messages";
import { startBackfillRun, type BackfillDeps } from "../sync/bulk/backfill";
import type { BatchProgress } from "../sync/bulk/bulk-import";
import type { JobHandler, JobKind, JobQueue } from "../sync/jobs/job-queue";
import { createPgBossJobQueue } from "../sync/jobs/pg-boss-job-queue";
import { createSqliteJobQueue } from "../sync/jobs/sqlite-job-queue";
import { jobHandlers } from "./registry";
import { NoOfflineAccessError, resumeAfterAccessRenewed } from "./access-renewal";
import { dropExpiredHeldWebhooks } from "../sync/webhooks/apply-pending-webhooks";
import { registerActive } from "../sync/jobs/worker-registry";
import { settingsChangeFigures } from "../settings/analysis-options";
import { SNAPSHOT_VERSION } from "../snapshots/snapshot-document";
import { shopLocalDay } from "../snapshots/shop-local-day";
import type { ShopSettingsValues } from "../settings/schema";
import type { SqlDialect } from "../sync/store/sql-dialect";
import type { SyncContext } from "../sync/sync-context";

export interface SyncEngineOptions {
  prisma?: Database;
  /** DATABASE_URL of `prisma` (picks the dialect and the queue engine). */
  databaseUrl?: string;
  queue?: JobQueue;
  /** Admin API client for a shop; default: the stored offline session's token. */
  adminClient?: (shop: string) => Promise<AdminApiClient>;
  /**
   * The shop's current offline access token for the default Admin client; default: read from
   * the stored session. The app passes one built on `unauthenticated.admin(shop)`, which
   * refreshes expiring offline tokens (shopify.server.ts).
   */
  accessToken?: (shop: string) => Promise<string>;
  /** fetch for Admin API calls and bulk downloads (the simulator's in tests). */
  fetch?: typeof globalThis.fetch;
  pollIntervalMs?: number;
  batchSize?: number;
  afterBatch?: (progress: BatchProgress) => void | Promise<void>;
  sweepIntervalMs?: number;
  reconcileIntervalMs?: number;
  /** How often to look for shops whose local day has turned since their analysis (the daily pass). */
  dailyPassCheckIntervalMs?: number;
  concurrency?: number;
  /** Job kinds this instance does not run (left done at once), e.g. recompute on a dedicated worker. */
  disabledJobs?: readonly JobKind[];
  now?: () => Date;
  onError?: (error: unknown) => void;
}

export interface SyncProgress {
  status: "none" | "running" | "completed" | "failed";
  stage: string | null;
  objectsDone: number;
  objectsTotal: number | null;
  errorCode: string | null;
  /** Merchant-readable explanation of the last problem, if any. */
  error: string | null;
  /** True when Shopify shows this app only the last 60 days of orders (no read_all_orders). */
  ordersLimitedTo60Days: boolean;
  notice: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface SyncEngine {
  readonly context: SyncContext;
  readonly queue: JobQueue;
  start(): Promise<void>;
  stop(): Promise<void>;
  ensureBackfill(shop: string): Promise<{ started: boolean }>;
  /** After token exchange stored a new token (afterAuth): work a refused token stopped goes on (access-renewal.ts). */
  accessRenewed(shop: string): Promise<number>;
  enqueueWebhookApply(shop: string): Promise<void>;
  getSyncProgress(shop: string): Promise<SyncProgress>;
  /**
   * Recomputes the figures at once when a setting that affects them changed (the pages say
   * they are being recalculated until it is stored). On a switch to net sales, orders stored
   * before the app read their net sales count at their current total until a re-import, started
   * here, fills them in (its completion queues another recompute); docs/decisions/009.
   */
  settingsChanged(shop: string, before: ShopSettingsValues, after: ShopSettingsValues): Promise<{ recompute: boolean; reimport: boolean }>;
  /**
   * Queues the daily pass for every shop whose local day turned since its analysis, and a recompute
   * for every shop whose analysis is of an earlier document version (only those: `outdatedOnly`,
   * as at start); returns how many.
   */
  dailyPass(which?: { outdatedOnly?: boolean }): Promise<number>;
  /** Runs the periodic sweep once (tests). */
  sweepPendingWebhooks(): Promise<number>;
}

export function createSyncEngine(options: SyncEngineOptions = {}): SyncEngine {
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL;
  const config = parseDatabaseUrl(databaseUrl);
  const dialect: SqlDialect = config.dialect;
  const prisma = options.prisma ?? (options.databaseUrl ? createPrismaClient(config) : defaultPrisma);
  const queue =
    options.queue ??
    (dialect === "postgresql"
      ? createPgBossJobQueue({ connectionString: config.url.split("?")[0], onError: options.onError, concurrency: options.concurrency, now: options.now })
      : createSqliteJobQueue({ prisma, onError: (e) => options.onError?.(e), concurrency: options.concurrency, now: options.now }));
  const context: SyncContext = {
    prisma,
    database: config,
    dialect,
    jobs: queue,
    now: options.now,
    sqliteFile: config.dialect === "sqlite" && config.filePath !== ":memory:" ? config.filePath : undefined,
  };
  const adminClient = options.adminClient ?? defaultAdminClientFactory(prisma, options.fetch, options.accessToken);
  const deps: BackfillDeps = {
    ...context,
    adminClient,
    fetch: options.fetch,
    pollIntervalMs: options.pollIntervalMs,
    batchSize: options.batchSize,
    afterBatch: options.afterBatch,
  };

  const handlers: Record<JobKind, JobHandler> = jobHandlers({ context, adminClient, backfill: deps });

  for (const kind of options.disabledJobs ?? []) handlers[kind] = async () => {};

  const timers: NodeJS.Timeout[] = [];
  let unregister: (() => void) | null = null;

  async function sweepPendingWebhooks(): Promise<number> {
    await dropExpiredHeldWebhooks(context);
    const shops = await prisma.webhookEvent.findMany({ where: { status: "pending" }, distinct: ["shop"], select: { shop: true } });
    for (const { shop } of shops) await queue.enqueue("apply-webhook", shop, {});
    return shops.length;
  }

  async function forInstalledShops(kind: JobKind) {
    const shops = await prisma.shop.findMany({ where: { installState: "installed" }, select: { shop: true } });
    for (const { shop } of shops) await queue.enqueue(kind, shop, { reason: "periodic" });
  }

  /**
   * The daily pass (issue "Fresh after every order" §3): days since the last order, lifecycle
   * stages and P(alive) move with the date, so once a shop's local day has turned since its
   * current analysis, the shop is analysed as of the new day (at shortly after its midnight,
   * not 24 hours after this process started).
   */
  async function enqueueDailyPasses(which: { outdatedOnly?: boolean } = {}): Promise<number> {
    const now = options.now?.() ?? new Date();
    const shops = await prisma.shop.findMany({ where: { installState: "installed" }, select: { shop: true, ianaTimezone: true } });
    let queued = 0;
    for (const { shop, ianaTimezone } of shops) {
      const current = await prisma.analysisSnapshot.findFirst({ where: { shop, completedAt: { not: null } }, orderBy: { id: "desc" }, select: { asOf: true, version: true } });
      if (!current) continue; // the backfill's completion starts the first analysis
      // An analysis stored by an earlier release in another document version is not read
      // (snapshot-document.ts): the shop is analysed again now, and its pages say so meanwhile.
      const outdated = current.version !== SNAPSHOT_VERSION;
      const newDay = !which.outdatedOnly && current.asOf.toISOString().slice(0, 10) < shopLocalDay(now, ianaTimezone ?? "UTC");
      if (!outdated && !newDay) continue;
      if (outdated) await prisma.shop.updateMany({ where: { shop }, data: { analysisRequestedAt: now } });
      await queue.enqueue("recompute", shop, { reason: outdated ? "analysis of an earlier version" : "new day" });
      queued++;
    }
    return queued;
  }

  const report = (error: unknown) => options.onError?.(error);

  return {
    context,
    queue,
    async start() {
      await queue.startWorker(handlers);
      if (unregister) return;
      unregister = registerActive("sync-engine-timers");
      timers.push(setInterval(() => void sweepPendingWebhooks().catch(report), options.sweepIntervalMs ?? 2_000));
      timers.push(setInterval(() => void forInstalledShops("reconcile").catch(report), options.reconcileIntervalMs ?? 15 * 60_000));
      timers.push(setInterval(() => void enqueueDailyPasses().catch(report), options.dailyPassCheckIntervalMs ?? 10 * 60_000));
      // After an upgrade that changed the analysis document, at once rather than at the next check.
      void enqueueDailyPasses({ outdatedOnly: true }).catch(report);
    },
    async stop() {
      for (const t of timers.splice(0)) clearInterval(t);
      unregister?.();
      unregister = null;
      await queue.stopWorker();
    },
    dailyPass: enqueueDailyPasses,
    async ensureBackfill(shop) {
      const started = await startBackfillRun(context, shop);
      if (!started) return { started: false };
      // Enqueued even when the run existed: a lost job (crash before enqueue) is recreated.
      await queue.enqueue("backfill", shop, {});
      return { started: started.created };
    },
    accessRenewed: (shop) => resumeAfterAccessRenewed(context, shop),
    async enqueueWebhookApply(shop) {
      await queue.enqueue("apply-webhook", shop, {});
    },
    getSyncProgress: (shop) => readSyncProgress(prisma, shop),
    async settingsChanged(shop, before, after) {
      if (!settingsChangeFigures(before, after)) return { recompute: false, reimport: false };
      await prisma.shop.updateMany({ where: { shop }, data: { analysisRequestedAt: options.now?.() ?? new Date() } });
      await queue.enqueue("recompute", shop, { reason: "settings changed" });
      if (after.revenueBasis !== "net_sales" || before.revenueBasis === "net_sales") return { recompute: true, reimport: false };
      const unknown = await prisma.order.findFirst({ where: { shop, netSales: null, deletedAt: null }, select: { id: true } });
      if (!unknown) return { recompute: true, reimport: false };
      const started = await startBackfillRun(context, shop, { force: true });
      if (!started) return { recompute: true, reimport: false };
      await queue.enqueue("backfill", shop, {});
      return { recompute: true, reimport: true };
    },
    sweepPendingWebhooks,
  };
}

export async function readSyncProgress(prisma: Database, shop: string): Promise<SyncProgress> {
  const [run, shopRow] = await Promise.all([
    prisma.syncRun.findFirst({ where: { shop, kind: "backfill" }, orderBy: { id: "desc" } }),
    prisma.shop.findUnique({ where: { shop }, select: { hasAllOrdersAccess: true, grantedScopes: true } }),
  ]);
  const limited = shopRow ? !shopRow.hasAllOrdersAccess : false;
  return {
    status: (run?.status as SyncProgress["status"]) ?? "none",
    stage: run?.stage ?? null,
    objectsDone: run?.objectsDone ?? 0,
    objectsTotal: run?.objectsTotal ?? null,
    errorCode: run?.errorCode ?? null,
    error: run?.error ?? null,
    ordersLimitedTo60Days: limited,
    notice: limited ? ALL_ORDERS_NOTICE : null,
    startedAt: run?.startedAt ?? null,
    finishedAt: run?.finishedAt ?? null,
  };
}

/**
 * Admin clients from the stored offline session (`offline_<shop>`), one throttle bucket per
 * shop. Token reads are serialised per shop in this process so that, with expiring offline
 * tokens, one refresh happens at a time (refresh tokens rotate on use, SHOPIFY.md §2); the app
 * shell passes `currentAccessToken` built on `unauthenticated.admin(shop)`, which refreshes
 * tokens, inside `withShopLock` (app/db/shop-lock.server.ts), which also serialises across
 * instances on PostgreSQL (boot-sync-worker.server.ts).
 */
export function defaultAdminClientFactory(
  prisma: Database,
  fetchImpl?: typeof globalThis.fetch,
  currentAccessToken?: (shop: string) => Promise<string>,
) {
  const buckets = new Map<string, ThrottleBucket>();
  const tokenLocks = new Map<string, Promise<string>>();
  return async (shop: string): Promise<AdminApiClient> => {
    const readToken = async () => {
      const pending = tokenLocks.get(shop);
      if (pending) return pending;
      const next = (
        currentAccessToken
          ? currentAccessToken(shop)
          : prisma.session
              .findFirst({ where: { shop, isOnline: false }, select: { accessToken: true } })
              .then((s) => {
                if (!s) throw new NoOfflineAccessError(shop);
                return s.accessToken;
              })
      ).finally(() => tokenLocks.delete(shop));
      tokenLocks.set(shop, next);
      return next;
    };
    let bucket = buckets.get(shop);
    if (!bucket) buckets.set(shop, (bucket = new ThrottleBucket()));
    return createAdminApiClient({
      shop,
      accessToken: readToken,
      endpoint: adminGraphqlUrl(shop),
      fetch: fetchImpl ?? defaultFetch(),
      bucket,
    });
  };
}

/** Dev/test: with SHOPIFY_SIMULATOR_URL set, Admin API calls go to the simulator (refused in production). */
function defaultFetch(): typeof globalThis.fetch | undefined {
  const simulatorUrl = process.env.SHOPIFY_SIMULATOR_URL;
  return simulatorUrl ? simulatorFetch(simulatorUrl) : undefined;
}

