/**
 * The per-order refresh (issue "Fresh after every order"): a customer whose order, refund,
 * cancellation or record was just applied is marked stale (StaleProfile), and a refresh job,
 * coalesced per shop and started within seconds, rescores only the stale customers with
 * `scoreCustomer` and the current analysis's scoring basis, and rewrites their profiles in the
 * current generation in one transaction, together with those customers' segment memberships
 * (re-evaluated for them alone: refresh-memberships.server.ts). The store-level refit (the recompute job) stays a
 * separate, rarer job; both hold the shop's "analysis" lock, so a refresh never writes into a
 * generation that a running recompute is about to replace with figures read before the order.
 *
 * A stale row is removed only if no newer change arrived while the customer was scored, so an
 * order that lands mid-refresh is picked up by the next run. A redacted or deleted customer is
 * skipped (their profile removed), never recreated.
 */
import type { PurchaseRow } from "~/analytics/dataset/dataset-builder";
import { scoreCustomer, type ScoringBasis } from "~/analytics/scores/score-customer";
import type { CustomerScoreRow } from "~/analytics/scores/customer-score-rows";
import { withShopLock } from "~/db/shop-lock.server";
import { refreshMembershipsOf } from "~/segments/refresh-memberships.server";
import type { Database } from "~/db.server";
import { readShopSettings } from "~/settings/shop-settings.server";
import type { SyncContext } from "~/sync/sync-context";
import { loadCustomerPurchases } from "./load-store-dataset.server";
import { readCurrentAnalysis } from "./read-analysis.server";
import { shopLocalDay } from "./shop-local-day";
import { rewriteProfiles } from "./write-analysis.server";

/** Customers rescored per transaction: bounds one transaction and one query's parameter list. */
export const REFRESH_BATCH = 500;
/** How soon after a change the refresh starts (coalescing a burst, never restarted by it). */
export const REFRESH_DELAY_MS = 2_000;
/** The lock the refresh and the recompute share (app/db/shop-lock.server.ts). */
export const ANALYSIS_LOCK = "analysis";

/** Marks customers' profiles stale (inside the caller's transaction or not) and schedules the refresh. */
export async function markProfilesStale(ctx: Pick<SyncContext, "prisma" | "jobs" | "now">, shop: string, customerShopifyIds: Iterable<string | null | undefined>): Promise<number> {
  const ids = [...new Set([...customerShopifyIds].filter((id): id is string => typeof id === "string" && id.length > 0))];
  if (ids.length === 0) return 0;
  const now = ctx.now?.() ?? new Date();
  for (const customerShopifyId of ids) {
    await ctx.prisma.staleProfile.upsert({
      where: { shop_customerShopifyId: { shop, customerShopifyId } },
      create: { shop, customerShopifyId, requestedAt: now },
      update: { requestedAt: now },
    });
  }
  await ctx.jobs.enqueue("refresh-profiles", shop, {}, { runAt: new Date(now.getTime() + REFRESH_DELAY_MS) });
  return ids.length;
}

export interface RefreshResult {
  /** Profiles rewritten. */
  rescored: number;
  /** Profiles removed: the customer has no counted order any more, or was deleted or redacted. */
  removed: number;
  /** Stale customers left for the full analysis (no analysis with a scoring basis yet). */
  deferred: number;
  /** Segment joins and leaves of the rescored customers (summed over segments). */
  joined: number;
  left: number;
}

/** Rescores every stale customer of `shop` into the current generation. */
export async function refreshStaleProfiles(ctx: SyncContext, shop: string): Promise<RefreshResult> {
  return withShopLock(ctx.prisma, ANALYSIS_LOCK, shop, () => refreshUnlocked(ctx, shop), 10 * 60_000);
}

async function refreshUnlocked(ctx: SyncContext, shop: string): Promise<RefreshResult> {
  const result: RefreshResult = { rescored: 0, removed: 0, deferred: 0, joined: 0, left: 0 };
  const shopRow = await ctx.prisma.shop.findUnique({ where: { shop }, select: { installState: true, ianaTimezone: true } });
  if (!shopRow || shopRow.installState !== "installed") return result;
  const current = await readCurrentAnalysis(ctx.prisma, shop);
  const basis = (current?.document.analysis as { scoringBasis?: ScoringBasis } | undefined)?.scoringBasis;
  if (!current || !basis) {
    // Nothing to rescore against yet: the (first or next) full analysis covers these customers.
    result.deferred = await ctx.prisma.staleProfile.count({ where: { shop } });
    return result;
  }
  const settings = await readShopSettings(ctx.prisma, shop);
  // The revenue basis the analysis used: a setting changed since is the recompute's to apply.
  const revenueBasis = current.document.settings.revenueBasis ?? settings.revenueBasis;
  const zone = shopRow.ianaTimezone ?? "UTC";
  let after = "";
  for (;;) {
    const stale = await ctx.prisma.staleProfile.findMany({
      where: { shop, customerShopifyId: { gt: after } },
      orderBy: { customerShopifyId: "asc" },
      take: REFRESH_BATCH,
    });
    if (stale.length === 0) break;
    after = stale[stale.length - 1].customerShopifyId;
    const now = ctx.now?.() ?? new Date();
    const ids = stale.map((s) => s.customerShopifyId);
    const [customers, purchases] = await Promise.all([
      ctx.prisma.customer.findMany({ where: { shop, shopifyId: { in: ids } }, select: { id: true, shopifyId: true, redactedAt: true, deletedAt: true } }),
      loadCustomerPurchases(ctx.prisma, ctx.dialect, shop, ids, revenueBasis, zone),
    ]);
    const byGid = new Map(customers.map((c) => [c.shopifyId, c]));
    const rows: { row: CustomerScoreRow; customerId: number }[] = [];
    const removed: number[] = [];
    const today = shopLocalDay(now, zone);
    for (const id of ids) {
      const customer = byGid.get(id);
      if (!customer) continue; // an order whose customer record has not arrived: the next analysis links it
      if (customer.redactedAt || customer.deletedAt) {
        removed.push(customer.id);
        continue;
      }
      const row = scoreCustomer(purchases.get(id) ?? ([] as PurchaseRow[]), basis, today);
      if (row) rows.push({ row, customerId: customer.id });
      else removed.push(customer.id);
    }
    const moved = await ctx.prisma.$transaction(
      async (tx) => {
        await rewriteProfiles(tx, ctx.dialect, shop, current.snapshotId, rows, removed, now);
        // The generation's freshness, for the Customers list's "Profiles updated N s ago".
        await tx.analysisSnapshot.update({ where: { id: current.snapshotId }, data: { profilesRefreshedAt: now } });
        // Their segments follow in the same transaction: a run killed before the commit leaves them stale, and the retry redoes both.
        const memberships = await refreshMembershipsOf(tx, ctx.dialect, shop, current.snapshotId, { shopifyIds: ids, ids: customers.map((c) => c.id) }, now);
        // Only the changes this run has seen: one newer than the read stays stale for the next run.
        for (const s of stale) await tx.staleProfile.deleteMany({ where: { shop, customerShopifyId: s.customerShopifyId, requestedAt: { lte: s.requestedAt } } });
        return memberships;
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
    result.rescored += rows.length;
    result.removed += removed.length;
    result.joined += moved.joined;
    result.left += moved.left;
    if (stale.length < REFRESH_BATCH) break;
  }
  return result;
}

/** Stale rows the full analysis has covered: changes it read (up to its load) need no per-customer run. */
export async function clearStaleCoveredBy(prisma: Database, shop: string, loadedAt: Date): Promise<void> {
  await prisma.staleProfile.deleteMany({ where: { shop, requestedAt: { lt: loadedAt } } });
}
