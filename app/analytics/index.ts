/**
 * Public API of the analytics core (ARCHITECTURE.md "Analytics core"): pure functions, no I/O,
 * no clock, deterministic. Callers (the app's services, the CLI, the benchmarks) build a
 * columnar dataset from rows and call `analyzeStore`, or use the parts below directly.
 */

// ── Whole-store analysis ─────────────────────────────────────────────────────────────
export { analyzeStore, type AnalyzeStoreOptions, type StoreAnalysis } from "./analyze-store";

// ── Dataset (columnar, built from a stream of rows) ──────────────────────────────────
export {
  createDatasetBuilder,
  InvalidDatasetRowError,
  type CustomerRow,
  type DatasetBuilder,
  type DatasetBuilderOptions,
  type LineItemRow,
  type PurchaseRow,
  type StoreDataset,
} from "./dataset/dataset-builder";

// ── Calendar (local day indices) ─────────────────────────────────────────────────────
export { dayIndexFromIsoDate, isoDateFromDayIndex, shiftDayByMonths, weekdayOfDay } from "./calendar/calendar-day";

// ── Per-customer facts and the model summary (x, t_x, T) ─────────────────────────────
export { customerFactsAsOf, type CustomerFacts } from "./customers/customer-facts";
export { DAYS_PER_TIME_UNIT, purchaseHistorySummary, type PurchaseHistorySummary, type TimeUnit } from "./customers/purchase-history-summary";

// ── Key metrics (F2) ─────────────────────────────────────────────────────────────────
export { resolvePeriod, type AnalysisPeriod, type PeriodPreset } from "./metrics/analysis-period";
export { keyMetrics, type KeyMetrics, type MetricFigure } from "./metrics/key-metrics";
export { METRIC_DEFINITIONS, type MetricKey } from "./metrics/metric-definitions";

// ── Lifecycle stages, series and churn (F3) ──────────────────────────────────────────
export {
  DEFAULT_LIFECYCLE_SETTINGS,
  lifecycleStageCode,
  lifecycleStagesAt,
  lifecycleStagesFromFacts,
  STAGE_NAMES,
  type LifecycleSettings,
  type LifecycleStage,
} from "./lifecycle/lifecycle-stage";
export { activeCustomersComparison, lifecycleSeries, lifecycleSnapshots, monthlyChurn, type LifecycleSnapshot, type MonthlyChurn } from "./lifecycle/lifecycle-series";
export { customerGrowth, type CustomerGrowthPoint } from "./series/customer-growth";

// ── Cohorts ──────────────────────────────────────────────────────────────────────────
export { cohortRetention, type Cohort, type CohortCell } from "./cohorts/cohort-retention";

// ── RFM ──────────────────────────────────────────────────────────────────────────────
export { quintileScores } from "./rfm/quintile-scores";
export { rfmScores, rfmSummary, type RfmScores, type RfmSummary } from "./rfm/rfm-scores";
export { RFM_GROUPS, rfmGroup, type RfmGroup } from "./rfm/rfm-group";

// ── Groups (F6), customer types and spend tiers ───────────────────────────────────────────────
export { CUSTOMER_GROUPS, customerGroups, DEFAULT_GROUP_SETTINGS, groupMetrics, type CustomerGroup, type GroupMetrics, type GroupSettings } from "./groups/customer-groups";
export { customerTypeRules, CUSTOMER_TYPES, customerTypes, type CustomerType } from "./customer-types/customer-types";

// ── Benchmarks (F4) and recommended actions (F5) ─────────────────────────────────────
export { BENCHMARK_BANDS, benchmarkRatings, rateAgainstBand, type BenchmarkRating, type BenchmarkResult } from "./benchmarks/benchmark-ratings";
export { recommendedActions, type RecommendedAction } from "./actions/recommended-actions";

// ── Geography (F10), products (F11), timing (F12), acquisition (F13) ────────────────
export { geographyBreakdown, type GeographyBreakdown } from "./geography/geography-breakdown";
export { topProductsByLabel, type ProductRank } from "./products/top-products";
export { crossSellPairs, type CrossSellPair } from "./products/cross-sell-pairs";
export { weekdayHourMatrix, type WeekdayHourMatrix } from "./timing/weekday-hour";
export { acquisitionBySource, type AcquisitionBySource } from "./acquisition/acquisition-by-source";

// ── Predictions (F7, models from ./models) and per-customer score rows ──────────────
export { DEFAULT_PREDICTION_SETTINGS, storePredictions, type CustomerPredictions, type ModelSection, type PredictionSettings } from "./predictions/store-predictions";
export { churnRiskBand, customerScoreRows, SCORE_COLUMNS, type ChurnRisk, type CustomerScoreRow, type CustomerScoreTable } from "./scores/customer-score-rows";
