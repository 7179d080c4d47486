/**
 * The sync engine as the app uses it: one composition of the job queue (pg-boss on PostgreSQL,
 * the Job table on SQLite), the job handlers, and the periodic timers; plus the service
 * functions the routes call. Routes never touch the queue or Prisma for sync:
 *
 * - `ensureBackfill(shop)` from afterAuth (idempotent; afterAuth runs on every token mint);
 * - `enqueueWebhookApply(shop)` after `recordWebhook(...)` (optional: a sweep finds pending
 *   webhooks anyway within `sweepIntervalMs`);
 * - `getSyncProgress(shop)` for the home page's "objects done of total";
 * - `revenueBasisChanged(shop, basis)` after the merchant switched the revenue basis;
 * - `startSyncWorker()` / `stopSyncWorker()` from the server entry.
 */
import { createPrismaClient, prisma as defaultPrisma, type Database } from "../db.server";
import { parseDatabaseUrl } from "../db/database-url";
import { createAdminApiClient, type AdminApiClient } from "../shopify/admin-api-client";
import { adminGraphqlUrl } from "../shopify/api-version";
import { simulatorFetch } from "../config/shopify-simulator.server";
import { ThrottleBucket } from "../shopify/throttle-bucket";
import { ALL_ORDERS_NOTICE } from "../sync/bulk/backfill-messages";
import { runBackfillStep, startBackfillRun, type BackfillDeps } from "../sync/bulk/backfill";
import type { BatchProgress } from "../sync/bulk/bulk-import";
import type { JobHandler, JobKind, JobQueue } from "../sync/jobs/job-queue";
import { createPgBossJobQueue } from "../sync/jobs/pg-boss-job-queue";
import { recomputeShop } from "../sync/jobs/recompute";
import { reconcileShop } from "../sync/jobs/reconcile";
import { createSqliteJobQueue } from "../sync/jobs/sqlite-job-queue";
import { registerActive } from "../sync/jobs/worker-registry";
import type { RevenueBasis } from "../settings/schema";
import type { SqlDialect } from "../sync/store/sql-dialect";
import type { SyncContext } from "../sync/sync-context";
import { applyPendingWebhooks, dropExpiredHeldWebhooks } from "../sync/webhooks/apply-pending-webhooks";

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
  recomputeIntervalMs?: number;
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
  enqueueWebhookApply(shop: string): Promise<void>;
  getSyncProgress(shop: string): Promise<SyncProgress>;
  /**
   * Recomputes the figures on the new basis. On net sales, orders stored before the app read
   * their net sales count at their current total until a re-import, started here, fills them in
   * (its completion queues another recompute); docs/decisions/009.
   */
  revenueBasisChanged(shop: string, basis: RevenueBasis): Promise<{ reimport: boolean }>;
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

  const handlers: Record<JobKind, JobHandler> = {
    backfill: ({ shop, signal }) => runBackfillStep(deps, shop, signal),
    "apply-webhook": async ({ shop, signal }) => {
      await applyPendingWebhooks(context, shop, { signal });
    },
    recompute: async ({ shop }) => {
      await recomputeShop(context, shop);
    },
    reconcile: async ({ shop, payload, signal }) => {
      await reconcileShop(context, await adminClient(shop), shop, payload as { orderIds?: string[]; customerIds?: string[] }, signal);
    },
  };

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
      timers.push(setInterval(() => void forInstalledShops("recompute").catch(report), options.recomputeIntervalMs ?? 24 * 3_600_000));
    },
    async stop() {
      for (const t of timers.splice(0)) clearInterval(t);
      unregister?.();
      unregister = null;
      await queue.stopWorker();
    },
    async ensureBackfill(shop) {
      const started = await startBackfillRun(context, shop);
      if (!started) return { started: false };
      // Enqueued even when the run existed: a lost job (crash before enqueue) is recreated.
      await queue.enqueue("backfill", shop, {});
      return { started: started.created };
    },
    async enqueueWebhookApply(shop) {
      await queue.enqueue("apply-webhook", shop, {});
    },
    getSyncProgress: (shop) => readSyncProgress(prisma, shop),
    async revenueBasisChanged(shop, basis) {
      await queue.enqueue("recompute", shop, { reason: "revenue basis changed" });
      if (basis !== "net_sales") return { reimport: false };
      const unknown = await prisma.order.findFirst({ where: { shop, netSales: null, deletedAt: null }, select: { id: true } });
      if (!unknown) return { reimport: false };
      const started = await startBackfillRun(context, shop, { force: true });
      if (!started) return { reimport: false };
      await queue.enqueue("backfill", shop, {});
      return { reimport: true };
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
                if (!s) throw new Error(`no offline session for ${shop}: the app is not installed or was uninstalled`);
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

let defaultEngine: SyncEngine | null = null;
let defaultOptions: SyncEngineOptions = {};

/**
 * Sets the process-wide engine's options before its first use, e.g. from shopify.server.ts:
 * `configureSyncEngine({ accessToken: async (shop) => (await unauthenticated.admin(shop)).session.accessToken })`
 * so background jobs get tokens through shopify-app-remix, which refreshes expiring ones.
 * @throws when the engine is already running with other options.
 */
export function configureSyncEngine(options: SyncEngineOptions): void {
  if (defaultEngine) throw new Error("configureSyncEngine must be called before the sync engine is first used");
  defaultOptions = options;
}

function engine(): SyncEngine {
  defaultEngine ??= createSyncEngine(defaultOptions);
  return defaultEngine;
}

/** Starts a backfill for the shop unless one is running or done. Call from afterAuth. */
export function ensureBackfill(shop: string) {
  return engine().ensureBackfill(shop);
}

/** Wakes the worker for the shop's pending webhooks. Call after recordWebhook. */
export function enqueueWebhookApply(shop: string) {
  return engine().enqueueWebhookApply(shop);
}

/** After a change of the shop's revenue basis (Settings). */
export function revenueBasisChanged(shop: string, basis: RevenueBasis) {
  return engine().revenueBasisChanged(shop, basis);
}

/** Backfill progress and notices for the home page. */
export function getSyncProgress(shop: string) {
  return readSyncProgress(engine().context.prisma, shop);
}

export function startSyncWorker() {
  return engine().start();
}

export async function stopSyncWorker() {
  await defaultEngine?.stop();
}
