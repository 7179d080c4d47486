import type { CustomerGroup } from "~/analytics/groups/customer-groups";
import type { MetricKey } from "~/analytics/metrics/metric-definitions";
import type { ModelReadinessReason } from "~/analytics/models/model-readiness";
import { appContext, readSyncProgress, type SyncProgress } from "~/services/sync.server";
import type { RevenueBasis } from "~/settings/schema";
import { readAnalysisState } from "~/snapshots/read-analysis.server";

export interface DashboardState {
  install: {
    state: "installed" | "uninstalled";
    installedAt: string;
    uninstalledAt: string | null;
    hasAllOrdersAccess: boolean;
  } | null;
  lastSync: {
    kind: string;
    status: string;
    objectsDone: number;
    objectsTotal: number | null;
    startedAt: string;
    finishedAt: string | null;
    error: string | null;
  } | null;
}

/**
 * What the home page shows before analytics exist: the shop's install record and its most
 * recent sync run, exactly as stored (no placeholder figures).
 */
export async function getDashboardState(shop: string): Promise<DashboardState> {
  const { prisma } = appContext();
  const [shopRow, syncRun] = await Promise.all([
    prisma.shop.findUnique({ where: { shop } }),
    prisma.syncRun.findFirst({ where: { shop }, orderBy: { startedAt: "desc" } }),
  ]);
  return {
    install: shopRow
      ? {
          state: shopRow.installState === "uninstalled" ? "uninstalled" : "installed",
          installedAt: shopRow.installedAt.toISOString(),
          uninstalledAt: shopRow.uninstalledAt?.toISOString() ?? null,
          hasAllOrdersAccess: shopRow.hasAllOrdersAccess,
        }
      : null,
    lastSync: syncRun
      ? {
          kind: syncRun.kind,
          status: syncRun.status,
          objectsDone: syncRun.objectsDone,
          objectsTotal: syncRun.objectsTotal,
          startedAt: syncRun.startedAt.toISOString(),
          finishedAt: syncRun.finishedAt?.toISOString() ?? null,
          error: syncRun.error ?? syncRun.errorCode ?? null,
        }
      : null,
  };
}

/** The F2 key metrics the home page shows, in display order. */
export const DASHBOARD_METRICS = [
  "total-customers",
  "new-customers",
  "ltv",
  "repeat-purchase-rate",
  "retention-rate",
  "churn-rate-monthly",
  "aov",
  "orders-per-customer",
  "guest-order-share",
] as const satisfies readonly MetricKey[];
export type DashboardMetricKey = (typeof DASHBOARD_METRICS)[number];

export interface DashboardFigure {
  key: DashboardMetricKey;
  value: number | null;
  previous: number | null;
  /** Change against the previous period (METRICS.md), null when undefined: relative, or in percentage points for shares. */
  change: number | null;
  changeUnit: "relative" | "points";
}

export interface DashboardGroup {
  group: CustomerGroup;
  customers: number;
  ltv: number | null;
  averageOrders: number | null;
  lostShare: number | null;
}

export type DashboardModels =
  | { status: "fitted" }
  | { status: "insufficient-data"; details: ModelReadinessReason[] }
  | { status: "unknown" };

export interface DashboardAnalysis {
  /** The shop-local day the figures are computed for (ISO date). */
  asOf: string;
  computedAt: string;
  period: { start: string; end: string; preset: string };
  previousPeriod: { start: string; end: string } | null;
  currencyCode: string | null;
  /** The basis the figures were computed on (not necessarily the current setting, until the recompute has run). */
  revenueBasis: RevenueBasis;
  /** Orders counted at their current total on the net-sales basis because their net sales are unknown. */
  ordersWithoutNetSales: number;
  figures: DashboardFigure[];
  groups: DashboardGroup[];
  models: DashboardModels;
}

export interface DashboardProgress {
  status: SyncProgress["status"];
  objectsDone: number;
  objectsTotal: number | null;
  /** Merchant-readable problem of the last import, if any. */
  error: string | null;
  ordersLimitedTo60Days: boolean;
}

export interface Dashboard extends DashboardState {
  progress: DashboardProgress;
  analysis: DashboardAnalysis | null;
  /** New figures were asked for (a setting changed, an import finished) and are being computed. */
  recalculating: boolean;
  /** The last recompute failed; the figures shown (if any) are the previous ones, and it is retried. */
  lastFailure: { at: string } | null;
}

/**
 * The home page (F2, F6): install and sync state, import progress, and the figures of the
 * shop's current analysis exactly as the recompute stored them — never another shop's, and
 * nothing when no analysis exists yet — with whether new figures are on their way or the last
 * update failed.
 */
export async function getDashboard(shop: string): Promise<Dashboard> {
  const { prisma } = appContext();
  const [state, progress, analysisState, shopRow] = await Promise.all([
    getDashboardState(shop),
    readSyncProgress(prisma, shop),
    readAnalysisState(prisma, shop),
    prisma.shop.findUnique({ where: { shop }, select: { currencyCode: true } }),
  ]);
  let analysis: DashboardAnalysis | null = null;
  const current = analysisState.current;
  if (current) {
    const stored = current.document.analysis;
    const figures = stored.metrics.figures;
    analysis = {
      asOf: stored.asOf,
      computedAt: current.computedAt.toISOString(),
      period: stored.metrics.period,
      previousPeriod: stored.metrics.previousPeriod,
      currencyCode: shopRow?.currencyCode ?? null,
      ...current.document.revenue,
      figures: DASHBOARD_METRICS.map((key) => ({
        key,
        value: figures[key]?.value ?? null,
        previous: figures[key]?.previous ?? null,
        change: figures[key]?.change ?? null,
        changeUnit: figures[key]?.changeUnit ?? "relative",
      })),
      groups: stored.groups.metrics.map((g) => ({
        group: g.group,
        customers: g.customers,
        ltv: g.ltv,
        averageOrders: g.averageOrders,
        lostShare: g.lostShare,
      })),
      models: stored.models.status === "fitted" ? { status: "fitted" } : { status: "insufficient-data", details: [...stored.models.details] },
    };
  }
  return {
    ...state,
    progress: {
      status: progress.status,
      objectsDone: progress.objectsDone,
      objectsTotal: progress.objectsTotal,
      error: progress.error,
      ordersLimitedTo60Days: progress.ordersLimitedTo60Days,
    },
    analysis,
    recalculating: analysisState.recalculating,
    lastFailure: analysisState.lastFailure ? { at: analysisState.lastFailure.at.toISOString() } : null,
  };
}
