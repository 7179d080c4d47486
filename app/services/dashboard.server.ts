import { appNow } from "~/services/sync.server";
import { json } from "@remix-run/node";
import type { RecommendedActionId } from "~/analytics/actions/recommended-actions";
import { benchmarkRatings, type BenchmarkResult } from "~/analytics/benchmarks/benchmark-ratings";
import { dayIndexFromIsoDate } from "~/analytics/calendar/calendar-day";
import type { CustomerType } from "~/analytics/customer-types/customer-types";
import type { StoreDataset } from "~/analytics/dataset/dataset-builder";
import type { CustomerGroup } from "~/analytics/groups/customer-groups";
import type { KeyMetrics } from "~/analytics/metrics/key-metrics";
import { keyMetrics, keyMetricsFromCounts } from "~/analytics/metrics/key-metrics";
import { rangeCounter, type RangeCounter, type RangeCountsSummary } from "~/analytics/metrics/range-counts";
import { PERIOD_PRESETS, type PeriodPreset } from "~/analytics/metrics/analysis-period";
import { churnWindowsForPeriod, resolveCustomPeriod, type CustomPeriodError } from "~/analytics/metrics/custom-period";
import type { MetricKey } from "~/analytics/metrics/metric-definitions";
import type { ModelReadinessReason } from "~/analytics/models/model-readiness";
import { importSecondsLeft } from "~/dashboard/import-estimate";
import { displayTimeZone } from "~/i18n/display-time-zone";
import { parsePeriodChoice, type PeriodChoice } from "~/dashboard/period-choice";
import { invalidParameter } from "~/customers/customer-list-query";
import { appContext, readSyncProgress, type SyncProgress } from "~/services/sync.server";
import type { RevenueBasis } from "~/settings/schema";
import { loadStoreDataset } from "~/snapshots/load-store-dataset.server";
import { analysisStatusOf, readAnalysisState, type AnalysisStatus } from "~/snapshots/read-analysis.server";
import type { SnapshotDocument } from "~/snapshots/snapshot-document";

/** One sync run as the home page shows it. */
export interface SyncRunState {
  status: string;
  objectsDone: number;
  objectsTotal: number | null;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
}

export interface DashboardState {
  install: {
    state: "installed" | "uninstalled";
    installedAt: string;
    uninstalledAt: string | null;
    hasAllOrdersAccess: boolean;
  } | null;
  /** The shop's latest full import. */
  lastImport: SyncRunState | null;
  /**
   * The latest check for changes webhooks may have missed (the reconcile, every 15 minutes), when
   * it started after the latest import: a separate line, so the import's outcome stays in view.
   */
  lastCheck: SyncRunState | null;
  /**
   * The shop's time zone, in which the page states the runs' dates and times: the server renders
   * in its own zone and the browser hydrates in the merchant's, and text that differs between the
   * two made React throw the server's page away.
   */
  timeZone: string;
}

/**
 * What the home page shows before analytics exist: the shop's install record, its latest full
 * import and its latest check for missed changes, exactly as stored (no placeholder figures).
 */
export async function getDashboardState(shop: string): Promise<DashboardState> {
  const { prisma } = appContext();
  const latest = (kind: "backfill" | "reconcile") => prisma.syncRun.findFirst({ where: { shop, kind }, orderBy: { startedAt: "desc" } });
  const [shopRow, lastImport, lastCheck] = await Promise.all([prisma.shop.findUnique({ where: { shop } }), latest("backfill"), latest("reconcile")]);
  return {
    install: shopRow
      ? {
          state: shopRow.installState === "uninstalled" ? "uninstalled" : "installed",
          installedAt: shopRow.installedAt.toISOString(),
          uninstalledAt: shopRow.uninstalledAt?.toISOString() ?? null,
          hasAllOrdersAccess: shopRow.hasAllOrdersAccess,
        }
      : null,
    lastImport: lastImport ? syncRunState(lastImport) : null,
    lastCheck: lastCheck && (!lastImport || lastCheck.startedAt > lastImport.startedAt) ? syncRunState(lastCheck) : null,
    timeZone: displayTimeZone(shopRow?.ianaTimezone),
  };
}

function syncRunState(run: { status: string; objectsDone: number; objectsTotal: number | null; startedAt: Date; finishedAt: Date | null; error: string | null; errorCode: string | null }): SyncRunState {
  return {
    status: run.status,
    objectsDone: run.objectsDone,
    objectsTotal: run.objectsTotal,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    error: run.error ?? run.errorCode ?? null,
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
  ordersPerYear: number | null;
  /** Average order value of the group's orders: its revenue ÷ its orders (= LTV ÷ average orders). */
  aov: number | null;
}

/** The dashboard's period as shown: the choice, which presets can be chosen, and a custom range's problem. */
export interface DashboardPeriodChoice {
  choice: PeriodChoice;
  /** Presets with stored figures (all four once the snapshot has them; the stored one before). */
  presets: PeriodPreset[];
  /** Set when the custom range cannot be used: the figures shown are then the default period's. */
  customError: CustomPeriodError | null;
}

export interface DashboardCharts {
  growth: { month: string; newCustomers: number; totalCustomers: number; incomplete: boolean }[];
  customerTypes: Record<CustomerType, number>;
  rfm: {
    rings: { r: number[]; f: number[]; m: number[] };
    /** Rows M 5…1, columns F 1…5: customer counts. */
    valueFrequency: { m: number; counts: number[] }[];
  };
  cohorts: { cohort: string; size: number; retention: { monthsAfter: number; share: number | null; incomplete: boolean }[] }[];
  benchmarks: BenchmarkResult[];
  /** No marketing spend entered: CAC and LTV:CAC are unknown (the page asks for it). */
  marketingSpendMissing: boolean;
  actions: { id: RecommendedActionId; triggered: boolean; customerType: string; figures: Record<string, number | null> }[];
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
  periodChoice: DashboardPeriodChoice;
  charts: DashboardCharts;
}

export interface DashboardProgress {
  status: SyncProgress["status"];
  objectsDone: number;
  objectsTotal: number | null;
  /** Merchant-readable problem of the last import, if any. */
  error: string | null;
  ordersLimitedTo60Days: boolean;
  /** Seconds the running import still needs at its pace so far; null when unknown. */
  secondsLeft: number | null;
}

export interface Dashboard extends DashboardState {
  progress: DashboardProgress;
  analysis: DashboardAnalysis | null;
  /** Whether new figures are being computed (a setting changed, an import finished), or the last recompute failed. */
  analysisStatus: AnalysisStatus;
}

/**
 * The home page (F2–F6): install and sync state, import progress, and the figures of the shop's
 * current analysis exactly as the recompute stored them — never another shop's, and nothing
 * when no analysis exists yet — for the period in the page's URL, with whether new figures are
 * on their way or the last update failed. Presets are read from the snapshot; a custom range is
 * computed from the shop's orders on demand (docs/decisions/026-dashboard-periods.md).
 *
 * @throws a 400 response ("invalid-query", as the lists answer) for a period that is not one of the choices.
 */
export async function getDashboard(shop: string, params: URLSearchParams = new URLSearchParams()): Promise<Dashboard> {
  const choice = parsePeriodChoice(params);
  if (choice === null) throw json({ error: "invalid-query", ...invalidParameter("period", "not-one-of", { allowed: [...PERIOD_PRESETS, "custom"] }) }, { status: 400 });
  const { prisma } = appContext();
  const [state, progress, analysisState, shopRow] = await Promise.all([
    getDashboardState(shop),
    readSyncProgress(prisma, shop),
    readAnalysisState(prisma, shop),
    prisma.shop.findUnique({ where: { shop }, select: { currencyCode: true, ianaTimezone: true } }),
  ]);
  let analysis: DashboardAnalysis | null = null;
  const current = analysisState.current;
  if (current) {
    const document = current.document;
    const stored = document.analysis;
    const chosen = await chosenMetrics(shop, document, choice, shopRow?.ianaTimezone ?? "UTC", current.snapshotId);
    const figures = chosen.metrics.figures;
    analysis = {
      asOf: stored.asOf,
      computedAt: current.computedAt.toISOString(),
      period: chosen.metrics.period,
      previousPeriod: chosen.metrics.previousPeriod,
      currencyCode: shopRow?.currencyCode ?? null,
      ...document.revenue,
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
        ordersPerYear: g.ordersPerYear ?? null,
        aov: g.ltv === null || !g.averageOrders ? null : g.ltv / g.averageOrders,
      })),
      models: stored.models.status === "fitted" ? { status: "fitted" } : { status: "insufficient-data", details: [...stored.models.details] },
      periodChoice: { choice: chosen.choice, presets: chosen.presets, customError: chosen.customError },
      charts: dashboardCharts(document, chosen.metrics),
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
      secondsLeft: progress.status === "running" ? importSecondsLeft(progress.objectsDone, progress.objectsTotal, progress.startedAt, appNow()) : null,
    },
    analysis,
    analysisStatus: analysisStatusOf(analysisState),
  };
}

/** The key metrics of the chosen period: a stored preset, or a custom range computed now. */
async function chosenMetrics(
  shop: string,
  document: SnapshotDocument,
  choice: PeriodChoice,
  timeZone: string,
  snapshotId: number,
): Promise<{ metrics: KeyMetrics; choice: PeriodChoice; presets: PeriodPreset[]; customError: CustomPeriodError | null }> {
  const stored = document.analysis;
  const byPeriod = stored.metricsByPeriod;
  const storedPreset = stored.metrics.period.preset as PeriodPreset;
  const presets = byPeriod ? PERIOD_PRESETS.filter((p) => byPeriod[p]) : [storedPreset];
  const fallback = { metrics: stored.metrics, choice: { kind: "preset", preset: storedPreset } as PeriodChoice, presets };
  if (choice.kind === "preset") {
    const metrics = choice.preset === storedPreset ? stored.metrics : byPeriod?.[choice.preset];
    return metrics ? { metrics, choice, presets, customError: null } : { ...fallback, customError: null };
  }
  const asOfDay = dayIndexFromIsoDate(stored.asOf);
  const period = resolveCustomPeriod(choice.from, choice.to, asOfDay);
  if ("error" in period) return { ...fallback, choice, customError: period.error };
  const spend = Number(document.settings.monthlyMarketingSpend);
  const options = {
    churnByMonth: churnWindowsForPeriod(stored.series.monthlyChurn, period),
    marketingSpendPerMonth: Number.isFinite(spend) && spend > 0 ? spend : null,
  };
  // Counted from the analysis' stored per-day summary (milliseconds); a document written before
  // it existed has its range counted from the shop's orders (seconds at 1M orders).
  const metrics = stored.rangeCounts
    ? keyMetricsFromCounts(counterOf(stored.rangeCounts).counts, period, options)
    : keyMetrics(await ordersForCustomRange(shop, document, timeZone, snapshotId), period, options);
  return { metrics, choice, presets, customError: null };
}

/** The summary decoded once per stored document (documents are shared and never change: read-analysis.server.ts). */
const counters = new WeakMap<RangeCountsSummary, RangeCounter>();
function counterOf(summary: RangeCountsSummary): RangeCounter {
  let counter = counters.get(summary);
  if (!counter) counters.set(summary, (counter = rangeCounter(summary)));
  return counter;
}

/**
 * The last custom range's orders, kept a few minutes for the next range of the same shop and
 * analysis: a merchant trying ranges pays the load once (one entry, so memory stays one store's
 * columns; decision 023).
 */
let customRangeOrders: { key: string; until: number; dataset: StoreDataset } | null = null;
const CUSTOM_RANGE_REUSE_MS = 5 * 60_000;

async function ordersForCustomRange(shop: string, document: SnapshotDocument, timeZone: string, snapshotId: number): Promise<StoreDataset> {
  const key = `${shop}\n${snapshotId}\n${document.revenue.revenueBasis}\n${timeZone}`;
  const now = Date.now();
  if (customRangeOrders?.key === key && customRangeOrders.until > now) return customRangeOrders.dataset;
  const { prisma, database } = appContext();
  // The same orders, revenue basis and zone the stored figures were computed from.
  const loaded = await loadStoreDataset(prisma, database, shop, document.revenue.revenueBasis, timeZone);
  customRangeOrders = { key, until: now + CUSTOM_RANGE_REUSE_MS, dataset: loaded.dataset };
  return loaded.dataset;
}

/** What the dashboard's charts draw, from the stored analysis; benchmarks rate the chosen period. */
function dashboardCharts(document: SnapshotDocument, metrics: KeyMetrics): DashboardCharts {
  const stored = document.analysis;
  const f = metrics.figures;
  const spend = Number(document.settings.monthlyMarketingSpend);
  return {
    growth: stored.series.growth.map((p) => ({ month: p.month, newCustomers: p.newCustomers, totalCustomers: p.totalCustomers, incomplete: p.incomplete })),
    customerTypes: { ...stored.customerTypes.counts },
    rfm: {
      rings: { r: [...stored.rfm.rings.r], f: [...stored.rfm.rings.f], m: [...stored.rfm.rings.m] },
      valueFrequency: stored.rfm.valueFrequencyMatrix.map((row) => ({ m: row.m, counts: [...row.counts] })),
    },
    cohorts: stored.cohorts.map((c) => ({
      cohort: c.cohort,
      size: c.size,
      retention: c.retention.map((cell) => ({ monthsAfter: cell.monthsAfter, share: cell.share, incomplete: cell.incomplete })),
    })),
    benchmarks: benchmarkRatings({
      "ltv-cac": { value: f["ltv-cac"]?.value ?? null, note: f["ltv-cac"]?.note },
      "retention-rate": { value: f["retention-rate"]?.value ?? null, note: f["retention-rate"]?.note },
      "churn-rate-monthly": { value: f["churn-rate-monthly"]?.value ?? null },
      "repeat-purchase-rate": { value: f["repeat-purchase-rate"]?.value ?? null },
    }),
    marketingSpendMissing: !(Number.isFinite(spend) && spend > 0),
    actions: stored.actions.map((a) => ({ id: a.id, triggered: a.triggered, customerType: a.customerType, figures: { ...a.figures } })),
  };
}
