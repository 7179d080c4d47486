/**
 * The recompute job: the shop's whole analysis, stored as a new generation. Runs after a
 * backfill, debounced after webhook bursts, daily (recency changes every day even without new
 * orders), and at once when a setting that changes figures is saved.
 *
 * load (load-store-dataset.server.ts) → analyse (`analyzeStore` with the shop's settings,
 * analysis-options.ts) → write (write-analysis.server.ts). A failure leaves the previous
 * analysis in place and readable, is recorded on the shop (the dashboard says "the last update
 * failed, retrying") with one log line, and is rethrown so the queue retries with backoff.
 */
import { errorLine, log } from "~/log.server";
import { analyzeStore } from "~/analytics/analyze-store";
import { analysisOptionsFromSettings, analysisSettings } from "~/settings/analysis-options";
import { readShopSettings } from "~/settings/shop-settings.server";
import type { SnapshotRevenue } from "~/settings/snapshot-revenue";
import { loadStoreDataset, type LoadedStore } from "~/snapshots/load-store-dataset.server";
import { LinesOutOfOrderError } from "~/snapshots/line-reader/line-reader-protocol";
import { ANALYSIS_LOCK, clearStaleCoveredBy } from "~/snapshots/refresh-profiles.server";
import { shopLocalDay } from "~/snapshots/shop-local-day";
import { sqliteBulkConnection } from "~/db/bulk-connections.server";
import { withShopLock } from "~/db/shop-lock.server";
import { generationsBeforeCurrent, writeAnalysis } from "~/snapshots/write-analysis.server";
import type { JobHandler } from "~/sync/jobs/job-queue";
import { buildMissingIndexes, INDEXES_THE_ANALYSIS_READS } from "~/sync/store/sqlite-batch-writer";
import type { SyncContext } from "~/sync/sync-context";

export interface RecomputeResult extends SnapshotRevenue {
  snapshotId: number;
  profiles: number;
  /**
   * Milliseconds per phase: load, analyse, write (the profiles and the switch: from then on the
   * new figures are read), then after the switch sortIndexes (the generation's own, SQLite) and
   * prune (the generation before the previous).
   */
  timings: { load: number; analyse: number; write: number; sortIndexes: number; prune: number };
}

/**
 * Analyses `shop` as of the shop-local day of `options.asOf` (default: now) and stores it.
 * Returns null, writing nothing, for a shop that is not installed.
 */
export async function recomputeShop(ctx: SyncContext, shop: string, options: { asOf?: Date } = {}): Promise<RecomputeResult | null> {
  // One analysis writer per shop at a time: the per-order refresh waits (refresh-profiles.server.ts).
  return withShopLock(ctx.prisma, ANALYSIS_LOCK, shop, () => recomputeUnlocked(ctx, shop, options), 30 * 60_000);
}

async function recomputeUnlocked(ctx: SyncContext, shop: string, options: { asOf?: Date }): Promise<RecomputeResult | null> {
  const shopRow = await ctx.prisma.shop.findUnique({ where: { shop }, select: { ianaTimezone: true, installState: true } });
  if (!shopRow || shopRow.installState !== "installed") return null;
  const now = ctx.now?.() ?? new Date();
  try {
    const settings = await readShopSettings(ctx.prisma, shop);
    const zone = shopRow.ianaTimezone ?? "UTC";
    let mark = performance.now();
    const lap = () => {
      const at = performance.now();
      const ms = Math.round(at - mark);
      mark = at;
      return ms;
    };
    // SQLite after a first import: the indexes the import left are built after the switch, so
    // the first figures do not wait for them (decision 049); meanwhile the line reader reads the
    // lines in row order (decision 055).
    const sqlite = sqliteBulkConnection(ctx.database);
    const loadedAt = ctx.now?.() ?? new Date();
    // SQLite: the line reader deletes the generations this recompute's prune would, while this
    // thread loads and analyses, so the write's table and index builds hold two generations, not
    // three, and little is left to prune after the switch (decision 052).
    const deleteGenerations = sqlite ? await generationsBeforeCurrent(ctx.prisma, shop) : [];
    const readStore = () => loadStoreDataset(ctx.prisma, ctx.database, shop, settings.revenueBasis, zone, { deleteGenerations });
    let loaded: LoadedStore | null;
    try {
      loaded = await readStore();
    } catch (error) {
      if (!sqlite || !(error instanceof LinesOutOfOrderError)) throw error;
      // A line was added to an order after later orders' lines were written: read in order.
      log("info", "recompute.lines-out-of-order", { shop, building: INDEXES_THE_ANALYSIS_READS.map((index) => index.name) });
      await buildMissingIndexes(sqlite, INDEXES_THE_ANALYSIS_READS);
      loaded = await readStore();
    }
    const load = lap();
    const analysis = analyzeStore(loaded.dataset, analysisOptionsFromSettings(settings, shopLocalDay(options.asOf ?? now, zone)));
    const analyse = lap();
    // Waiting for the reader's deletes, if they outlast the analysis, counts with the write.
    const deletedAhead = await loaded.generationsDeleted;
    if (deletedAhead?.error) log("warn", "recompute.delete-ahead-deferred", { shop, deleted: deletedAhead.snapshotIds.length, error: deletedAhead.error });
    const revenue: SnapshotRevenue = { revenueBasis: settings.revenueBasis, ordersWithoutNetSales: loaded.ordersWithoutNetSales };
    // The dataset (its order and line columns: a few hundred MB at 1M orders) is garbage from
    // here on, so the write's memory comes on top of the analysis only (issue #16: ≤ 1 GB).
    const customerRowIds = loaded.customerRowIds;
    loaded = null;
    const written = await writeAnalysis(ctx.prisma, ctx.database, shop, analysis, { revenue, settings: analysisSettings(settings), timings: { load, analyse } }, now, { customerRowIds });
    await clearStaleCoveredBy(ctx.prisma, shop, loadedAt);
    const { sortIndexes, prune } = written.timings;
    const timings = { load, analyse, write: lap() - sortIndexes - prune, sortIndexes, prune };
    log("info", "recompute.done", { shop, snapshotId: written.snapshotId, profiles: written.profiles, ...timings, ...(deletedAhead ? { deletedAhead: deletedAhead.ms } : {}) });
    if (sqlite) {
      // The new figures are stored: an index that cannot be built now (the write lock held past the
      // busy timeout) is left to the next recompute or server start, not reported as a failed analysis.
      try {
        const built = await buildMissingIndexes(sqlite);
        if (built.length) log("info", "recompute.indexes-built", { shop, indexes: built.length, ms: lap() });
      } catch (error) {
        log("warn", "recompute.indexes-deferred", { shop, error: errorLine(error) });
      }
    }
    return { snapshotId: written.snapshotId, profiles: written.profiles, ...revenue, timings };
  } catch (error) {
    const message = errorLine(error);
    log("error", "recompute.failed", { shop, error: message });
    await ctx.prisma.shop.updateMany({ where: { shop }, data: { analysisFailedAt: now, analysisError: message } }).catch(() => {});
    throw error;
  }
}

/** The job: the shop's whole analysis, as of now in the shop's zone; then the segments' members. */
export const recomputeJob =
  (deps: { context: SyncContext }): JobHandler =>
  async ({ shop }) => {
    // recompute → refresh segments → push tags (where switched on): members follow each new analysis.
    if (await recomputeShop(deps.context, shop)) await deps.context.jobs.enqueue("refresh-segments", shop);
  };
