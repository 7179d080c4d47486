/**
 * The sync engine as the routes use it: the process-wide engine (app/jobs/worker.server.ts),
 * configured once by the server's boot module, and the service functions routes call:
 *
 * - `ensureBackfill(shop)` from afterAuth (idempotent; afterAuth runs on every token mint);
 * - `enqueueWebhookApply(shop)` after `recordWebhook(...)` (optional: a sweep finds pending
 *   webhooks anyway);
 * - `getSyncProgress(shop)` for the home page's "objects done of total";
 * - `appContext()` and `appNow()`: the database, queue and clock every service uses;
 * - `settingsChanged(shop, before, after)` after the merchant saved settings;
 * - `startSyncWorker()` / `stopSyncWorker()` from the server entry.
 */
import { createSyncEngine, readSyncProgress, type SyncEngine, type SyncEngineOptions } from "~/jobs/worker.server";
import type { ShopSettingsValues } from "~/settings/schema";
import type { SyncContext } from "~/sync/sync-context";

export { readSyncProgress, type SyncProgress } from "~/jobs/worker.server";

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

/**
 * What services use to reach the database (Prisma and the bulk connections' config), the job
 * queue and the clock: the engine's context, so every service gets its dependencies one way.
 */
export function appContext(): SyncContext {
  return engine().context;
}

/** The app's clock (the context's, so a test or the simulator can set the day every service sees). */
export function appNow(): Date {
  return appContext().now?.() ?? new Date();
}

/** Starts a backfill for the shop unless one is running or done. Call from afterAuth. */
export function ensureBackfill(shop: string) {
  return engine().ensureBackfill(shop);
}

/** Resumes what a refused access token stopped, now that token exchange stored a new one. Call from afterAuth. */
export function accessRenewed(shop: string) {
  return engine().accessRenewed(shop);
}

/** Wakes the worker for the shop's pending webhooks. Call after recordWebhook. */
export function enqueueWebhookApply(shop: string) {
  return engine().enqueueWebhookApply(shop);
}

/** After the merchant saved settings. */
export function settingsChanged(shop: string, before: ShopSettingsValues, after: ShopSettingsValues) {
  return engine().settingsChanged(shop, before, after);
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
