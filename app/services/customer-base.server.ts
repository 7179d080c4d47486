import type { GroupMetrics } from "~/analytics/groups/customer-groups";
import type { LifecycleSeriesPoint } from "~/analytics/lifecycle/lifecycle-series";
import { activeCustomersRows, type ActiveCustomersRow } from "~/dashboard/active-comparison";
import { appContext } from "~/services/sync.server";
import { analysisStatusOf, readAnalysisState, type AnalysisStatus } from "~/snapshots/read-analysis.server";

export interface CustomerBase {
  analysis: {
    asOf: string;
    computedAt: string;
    currencyCode: string | null;
    /** Seed 002's groups with every metric it lists. */
    groups: GroupMetrics[];
    /** Active customers now and 1, 3, 6 and 12 months ago (n/a before the first order). */
    active: ActiveCustomersRow[];
    /** Lifecycle stage counts at each month end, oldest first (the stacked bars). */
    lifecycle: LifecycleSeriesPoint[];
  } | null;
  analysisStatus: AnalysisStatus;
}

/**
 * The customer base page (seed 002): the shop's current analysis as stored — groups, active
 * customers against earlier months, lifecycle over time — never another shop's, nothing before
 * the first analysis.
 */
export async function getCustomerBase(shop: string): Promise<CustomerBase> {
  const { prisma } = appContext();
  const [state, shopRow] = await Promise.all([readAnalysisState(prisma, shop), prisma.shop.findUnique({ where: { shop }, select: { currencyCode: true } })]);
  const current = state.current;
  if (!current) return { analysis: null, analysisStatus: analysisStatusOf(state) };
  const stored = current.document.analysis;
  const firstOrderMonth = stored.series.growth.find((p) => p.newCustomers > 0)?.month ?? null;
  return {
    analysis: {
      asOf: stored.asOf,
      computedAt: current.computedAt.toISOString(),
      currencyCode: shopRow?.currencyCode ?? null,
      groups: stored.groups.metrics,
      active: activeCustomersRows(stored.series.activeCustomers, firstOrderMonth),
      lifecycle: stored.series.lifecycle,
    },
    analysisStatus: analysisStatusOf(state),
  };
}
