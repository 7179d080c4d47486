import { recommendedActions, type RecommendedAction } from "./actions/recommended-actions";
import { acquisitionByChannel, acquisitionByFirstVisit, acquisitionBySource, type AcquisitionBySource } from "./acquisition/acquisition-by-source";
import { benchmarkRatings, type BenchmarkResult } from "./benchmarks/benchmark-ratings";
import { dayIndexFromIsoDate, isoDateFromDayIndex, lastDayOfMonth } from "./calendar/calendar-day";
import { MonthOfDayTable } from "./calendar/month-of-day-table";
import { cohortRetention, type Cohort } from "./cohorts/cohort-retention";
import { customerFactsAsOf } from "./customers/customer-facts";
import type { TimeUnit } from "./customers/purchase-history-summary";
import type { StoreDataset } from "./dataset/dataset-builder";
import { spendTierThresholds, type SpendTierThresholds } from "./groups/spend-tier";
import { geographyBreakdown, type GeographyBreakdown } from "./geography/geography-breakdown";
import { CUSTOMER_GROUPS, customerGroups, DEFAULT_GROUP_SETTINGS, groupMetrics, type GroupMetrics, type GroupSettings } from "./groups/customer-groups";
import { activeCustomersComparison, type ActiveCustomersComparison, lifecycleSeries, type LifecycleSeriesPoint, lifecycleSnapshots, monthlyChurn, type MonthlyChurn } from "./lifecycle/lifecycle-series";
import { countStages, DEFAULT_LIFECYCLE_SETTINGS, type LifecycleSettings, type LifecycleStage, lifecycleStagesFromFacts, STAGE_LOST, STAGE_SLIPPING } from "./lifecycle/lifecycle-stage";
import { PERIOD_PRESETS, type PeriodPreset, resolvePeriod } from "./metrics/analysis-period";
import { keyMetrics, type KeyMetrics } from "./metrics/key-metrics";
import { rangeCountsSummary, type RangeCountsSummary } from "./metrics/range-counts";
import { DEFAULT_PREDICTION_SETTINGS, type ModelSection, type PredictionSettings, probabilityAliveOfCustomer, storePredictions } from "./predictions/store-predictions";
import { crossSellPairs, type CrossSellPair } from "./products/cross-sell-pairs";
import { type ProductRank, topProductsByLabel } from "./products/top-products";
import { rfmCuts, rfmScores, rfmSummary, type RfmSummary } from "./rfm/rfm-scores";
import { customerScoreRows, type CustomerScoreTable } from "./scores/customer-score-rows";
import type { ScoringBasis } from "./scores/score-customer";
import { countCustomerTypes, customerTypeRules, CUSTOMER_TYPES, customerTypes, type CustomerType } from "./customer-types/customer-types";
import { customerGrowth, type CustomerGrowthPoint } from "./series/customer-growth";
import { weekdayHourMatrix, type WeekdayHourMatrix } from "./timing/weekday-hour";

export interface AnalyzeStoreOptions {
  /** As-of date `YYYY-MM-DD` in the shop's zone (inclusive): nothing after it is seen. */
  readonly asOf: string;
  readonly timeUnit?: TimeUnit;
  /** Horizon of expected purchases in time units (default 13 weeks or 90 days). */
  readonly horizon?: number;
  /** Key-metrics period (default "90d"). */
  readonly period?: PeriodPreset;
  readonly lifecycle?: Partial<LifecycleSettings>;
  readonly groups?: Partial<GroupSettings>;
  readonly predictions?: Partial<Omit<PredictionSettings, "timeUnit" | "horizon">>;
  /** Marketing spend per month entered by the merchant, for CAC and LTV:CAC. */
  readonly marketingSpendPerMonth?: number | null;
  /** Months of lifecycle history for the series (default 24: the customer base page's time frames go back two years). */
  readonly seriesMonths?: number;
  /** Months after the cohort month in the cohort table (default 12). */
  readonly cohortMonths?: number;
  /** Include one score row per customer (default true). */
  readonly includeScores?: boolean;
  /** Optional monotonic clock (ms) for the timings section; the core never reads a clock itself. */
  readonly clock?: () => number;
}

/** Everything the dashboard, the CLI and the stored snapshot show; plain JSON except `scores`. */
export interface StoreAnalysis {
  readonly asOf: string;
  readonly timeUnit: TimeUnit;
  /** Customers with at least one order up to the as-of date. */
  readonly customers: number;
  /** Orders up to the as-of date, guest orders included. */
  readonly orders: number;
  readonly guestOrders: number;
  readonly guestOrderShare: number | null;
  readonly revenue: number;
  readonly excludedOrders: { readonly test: number; readonly cancelled: number; readonly afterAsOf: number };
  readonly metrics: KeyMetrics;
  /** The key metrics for every period preset (the dashboard's period choice); `metrics` is the one of `options.period`. */
  readonly metricsByPeriod: Record<PeriodPreset, KeyMetrics>;
  /** Per-day totals and absences the key metrics of any other range are counted from (the dashboard's custom range). */
  readonly rangeCounts: RangeCountsSummary;
  readonly series: {
    readonly growth: CustomerGrowthPoint[];
    readonly lifecycle: LifecycleSeriesPoint[];
    readonly activeCustomers: ActiveCustomersComparison[];
    readonly monthlyChurn: MonthlyChurn[];
  };
  readonly cohorts: Cohort[];
  readonly lifecycle: Record<LifecycleStage, number>;
  readonly rfm: RfmSummary;
  readonly groups: { readonly vipRevenueThreshold: number | null; readonly frequentOrdersPerYearThreshold: number | null; readonly metrics: GroupMetrics[] };
  /** The donut's partition (new, VIP, at risk, returning, one-time inactive); "segments" in seed 000. */
  readonly customerTypes: { readonly rules: readonly string[]; readonly counts: Record<CustomerType, number> };
  /** Revenue from which a customer is in the high and the mid spend tier. */
  readonly spendTiers: SpendTierThresholds;
  readonly benchmarks: BenchmarkResult[];
  readonly actions: RecommendedAction[];
  readonly geography: GeographyBreakdown;
  readonly products: {
    readonly topByCustomerType: Record<CustomerType, ProductRank[]>;
    readonly topByGroup: Record<string, ProductRank[]>;
    readonly crossSell: CrossSellPair[];
  };
  readonly timing: WeekdayHourMatrix;
  /**
   * New customers by the source of their first order, and by its sales channel and first-visit
   * UTM source (those two are absent in snapshots stored before they existed).
   */
  readonly acquisition: AcquisitionBySource & { readonly byChannel?: AcquisitionBySource; readonly byFirstVisit?: AcquisitionBySource };
  readonly models: ModelSection;
  /** The store-level cut-offs every customer's row depends on: score one customer alone with them (score-customer.ts). */
  readonly scoringBasis: ScoringBasis;
  /** One row per customer, built on demand (columnar; not part of the JSON snapshot). */
  readonly scores?: CustomerScoreTable;
  readonly timings?: Record<string, number>;
}

/**
 * The whole analysis of a store as of `options.asOf` (ARCHITECTURE.md "Analytics core"):
 * descriptive metrics (F2–F6, F10–F13), model fits and per-customer scores (F7). Pure and
 * deterministic: same dataset and options, same result.
 *
 * @throws RangeError when `asOf` is not a calendar date.
 */
export function analyzeStore(dataset: StoreDataset, options: AnalyzeStoreOptions): StoreAnalysis {
  const clock = options.clock;
  const timings: Record<string, number> = {};
  let mark = clock ? clock() : 0;
  const lap = (name: string) => {
    if (!clock) return;
    const now = clock();
    timings[name] = now - mark;
    mark = now;
  };

  const asOfDay = dayIndexFromIsoDate(options.asOf);
  const timeUnit = options.timeUnit ?? "week";
  const horizon = options.horizon ?? (timeUnit === "week" ? 13 : 90);
  const lifecycleSettings = { ...DEFAULT_LIFECYCLE_SETTINGS, ...options.lifecycle };
  const groupSettings = { ...DEFAULT_GROUP_SETTINGS, ...options.groups };

  const facts = customerFactsAsOf(dataset, asOfDay);
  let firstDay = asOfDay;
  let customerRevenue = 0;
  let customerOrders = 0;
  for (let c = 0; c < facts.customerCount; c++) {
    if (facts.orders[c] === 0) continue;
    if (facts.firstDay[c] < firstDay) firstDay = facts.firstDay[c];
    customerRevenue += facts.revenue[c];
    customerOrders += facts.orders[c];
  }
  for (let i = dataset.guestOrderStart; i < dataset.orderCount; i++) if (dataset.orderDay[i] < firstDay) firstDay = dataset.orderDay[i];
  const months = new MonthOfDayTable(Math.min(firstDay, asOfDay), asOfDay);
  const asOfMonthComplete = lastDayOfMonth(months.monthOf(asOfDay)) === asOfDay;
  const lastCompleteMonth = months.monthOf(asOfDay) - (asOfMonthComplete ? 0 : 1);
  lap("facts");

  const stages = lifecycleStagesFromFacts(facts, lifecycleSettings);
  const period = resolvePeriod(options.period ?? "90d", asOfDay, firstDay);
  // Monthly churn of every preset and of its previous period (12 months against the 12 before).
  const snapshotMonths = Math.max(options.seriesMonths ?? 24, 24);
  const snapshots = lifecycleSnapshots(dataset, asOfDay, snapshotMonths, lifecycleSettings);
  const churn = monthlyChurn(snapshots);
  lap("lifecycle");

  const rfm = rfmScores(facts);
  const groups = customerGroups(facts, groupSettings);
  lap("rfm-groups");

  const { section: models, customers: predictions, basis: predictionBasis } = storePredictions(dataset, facts, {
    ...DEFAULT_PREDICTION_SETTINGS,
    ...options.predictions,
    timeUnit,
    horizon,
  });
  lap("models");

  const types = customerTypes(facts, stages, (c) => groups.group[c] === 3, predictions ? (c) => probabilityAliveOfCustomer(predictions, c) : null);
  const typeCounts = countCustomerTypes(types);

  // Predicted 12-month CLV of the customers acquired in a period (for LTV:CAC), null without a model.
  const predictedClvOfNewSince = (startDay: number): number | null => {
    if (!predictions) return null;
    let sum = 0;
    let count = 0;
    for (let c = 0; c < facts.customerCount; c++) {
      if (facts.orders[c] > 0 && facts.firstDay[c] > startDay && Number.isFinite(predictions.clv[c])) {
        sum += predictions.clv[c];
        count++;
      }
    }
    return count === 0 ? null : sum / count;
  };
  const metricsFor = (p: ReturnType<typeof resolvePeriod>) =>
    keyMetrics(dataset, p, {
      churnByMonth: churn,
      marketingSpendPerMonth: options.marketingSpendPerMonth ?? null,
      predictedClvOfNewCustomers: { value: predictedClvOfNewSince(p.startDay), previous: null },
    });
  const metrics = metricsFor(period);
  const metricsByPeriod = Object.fromEntries(
    PERIOD_PRESETS.map((preset) => [preset, preset === period.preset ? metrics : metricsFor(resolvePeriod(preset, asOfDay, firstDay))]),
  ) as Record<PeriodPreset, KeyMetrics>;
  const rangeCounts = rangeCountsSummary(dataset, asOfDay);
  lap("metrics");

  const f = metrics.figures;
  const benchmarks = benchmarkRatings({
    "ltv-cac": { value: f["ltv-cac"].value, note: f["ltv-cac"].note },
    "retention-rate": { value: f["retention-rate"].value, note: f["retention-rate"].note },
    "churn-rate-monthly": { value: f["churn-rate-monthly"].value },
    "repeat-purchase-rate": { value: f["repeat-purchase-rate"].value },
  });
  const atRiskAt = (s: Uint8Array) => {
    let n = 0;
    for (let c = 0; c < s.length; c++) if ((s[c] === STAGE_SLIPPING || s[c] === STAGE_LOST) && facts.orders[c] >= 2) n++;
    return n;
  };
  let notLost = 0;
  let vipsNotLost = 0;
  for (let c = 0; c < facts.customerCount; c++) {
    if (facts.orders[c] === 0 || stages[c] === STAGE_LOST) continue;
    notLost++;
    if (groups.group[c] === 3) vipsNotLost++;
  }
  const periodStartSnapshot = snapshots.find((s) => s.day <= period.startDay);
  const actions = recommendedActions({
    vipShare: notLost === 0 ? null : vipsNotLost / notLost,
    vipGroupShare: groupSettings.vipShare,
    churnRate: f["churn-rate-monthly"].value,
    previousChurnRate: f["churn-rate-monthly"].previous,
    newCustomers: f["new-customers"].value,
    previousNewCustomers: f["new-customers"].previous,
    retentionRate: f["retention-rate"].value,
    atRiskNow: atRiskAt(stages),
    atRiskAtPeriodStart: periodStartSnapshot ? atRiskAt(periodStartSnapshot.stages) : null,
  });

  const series = {
    growth: customerGrowth(dataset, facts, months, asOfMonthComplete),
    lifecycle: lifecycleSeries(snapshots.slice(0, (options.seriesMonths ?? 24) + 1)),
    activeCustomers: activeCustomersComparison(snapshots),
    monthlyChurn: churn,
  };
  const cohorts = cohortRetention(dataset, facts, months, lastCompleteMonth, options.cohortMonths ?? 12);
  lap("series-cohorts");

  const topTypes = topProductsByLabel(dataset, facts, types, CUSTOMER_TYPES.length);
  const topGroups = topProductsByLabel(dataset, facts, groups.group, CUSTOMER_GROUPS.length);
  const products = {
    topByCustomerType: Object.fromEntries(CUSTOMER_TYPES.map((s, i) => [s, topTypes[i]])) as Record<CustomerType, ProductRank[]>,
    topByGroup: Object.fromEntries(CUSTOMER_GROUPS.map((g, i) => [g, topGroups[i]])),
    crossSell: crossSellPairs(dataset, facts),
  };
  const geography = geographyBreakdown(dataset, facts);
  const timing = weekdayHourMatrix(dataset, asOfDay);
  const acquisition = { ...acquisitionBySource(dataset, facts, months), byChannel: acquisitionByChannel(dataset, facts, months), byFirstVisit: acquisitionByFirstVisit(dataset, facts, months) };
  lap("products-geo-timing");

  const spendTiers = spendTierThresholds(facts);
  const scores = options.includeScores === false ? undefined : customerScoreRows(dataset, facts, timeUnit, stages, groups.group, types, rfm, predictions, lifecycleSettings, spendTiers);
  lap("scores");

  const scoringBasis: ScoringBasis = {
    asOf: isoDateFromDayIndex(asOfDay),
    timeUnit,
    lifecycle: lifecycleSettings,
    shopMedianGapDays: Number.isNaN(facts.shopMedianGapDays) ? null : facts.shopMedianGapDays,
    groups: { settings: groupSettings, vipRevenueThreshold: groups.vipRevenueThreshold, frequentOrdersPerYearThreshold: groups.frequentOrdersPerYearThreshold },
    rfm: rfmCuts(facts, rfm),
    spendTiers,
    predictions: predictionBasis,
  };
  const orders = customerOrders + facts.guestOrders;
  return {
    asOf: isoDateFromDayIndex(asOfDay),
    timeUnit,
    customers: facts.activeCustomerCount,
    orders,
    guestOrders: facts.guestOrders,
    guestOrderShare: orders === 0 ? null : facts.guestOrders / orders,
    revenue: customerRevenue + facts.guestRevenue,
    excludedOrders: { test: dataset.excluded.test, cancelled: dataset.excluded.cancelled, afterAsOf: facts.futureOrders },
    metrics,
    metricsByPeriod,
    rangeCounts,
    series,
    cohorts,
    lifecycle: countStages(stages),
    rfm: rfmSummary(facts, rfm),
    groups: { vipRevenueThreshold: groups.vipRevenueThreshold, frequentOrdersPerYearThreshold: groups.frequentOrdersPerYearThreshold, metrics: groupMetrics(facts, groups, stages, groupSettings) },
    customerTypes: { rules: customerTypeRules(groupSettings.vipShare, lifecycleSettings.newCustomerDays), counts: typeCounts },
    spendTiers,
    benchmarks,
    actions,
    geography,
    products,
    timing,
    acquisition,
    models,
    scoringBasis,
    ...(scores ? { scores } : {}),
    ...(clock ? { timings } : {}),
  };
}
