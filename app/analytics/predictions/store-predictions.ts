import { isoDateFromDayIndex } from "../calendar/calendar-day";
import { quantileOfUnsorted } from "../math/kth-smallest";
import { countingModelProbabilityAliveOfRows } from "../models/counting-model.ts";
import { purchaseDaysByWeek, weekSpans, type WeekSpan } from "./purchases-by-week";
import type { CustomerFacts } from "../customers/customer-facts";
import { customerFactsAsOf } from "../customers/customer-facts";
import { DAYS_PER_TIME_UNIT, type TimeUnit } from "../customers/purchase-history-summary";
import type { StoreDataset } from "../dataset/dataset-builder";
import { detectYearlySeasonality, seasonalExpectation, seasonalPieces, withSeasonality, type YearlySeasonality } from "../models/seasonality";
import { purchaseCountCdfGivenAlive, purchaseCountInterval } from "../models/purchase-count-distribution.ts";
import { spendSummary } from "./spend-summary";
import { type DailyHistories, exactSummaryWithin, type SummaryGrid, summaryGrid, thinTuples } from "./summary-grid";
import {
  assessModelReadiness,
  bindCountingModel,
  chooseDefaultChurnModel,
  countingModelCurvature,
  countingModelParameterDraws,
  countingModelSpec,
  referenceLogNormalPrior,
  createSeededRng,
  customerLifetimeValue,
  expectedPurchasesByInterval,
  expectedNextPurchase,
  nextPurchaseQuantile,
  fitCountingModelByName,
  fitGammaGamma,
  gammaGammaExpectedSpend,
  spendFrequencyCorrelation,
  TIME_UNITS_PER_MONTH,
  type AliveCalibrationGroup,
  type BacktestCustomer,
  type BoundCountingModel,
  type CountingModelParams,
  type CountingModelName,
  type FittedCountingModel,
  type GammaGammaParams,
  type ModelReadinessReason,
  type PurchaseSummaryRow,
} from "../models/index.ts";

export interface PredictionSettings {
  readonly timeUnit: TimeUnit;
  /** Horizon of `expected_purchases`, in time units (default 13 weeks / 90 days). */
  readonly horizon: number;
  /** CLV horizon in months (default 12) and monthly discount rate (default 1 %). */
  readonly clvMonths: number;
  readonly monthlyDiscountRate: number;
  /** Hold-out length of the back-test in days (default 90). */
  readonly holdoutDays: number;
  readonly minRepeatCustomers: number;
  /**
   * Stores with fewer active customers than this are fitted with the empirical-Bayes reference
   * prior (posterior mode; `priorSd` on every log-parameter, docs/models/prior.md); bigger ones
   * by plain maximum likelihood, where the prior would hardly move the fit anyway.
   */
  readonly priorBelowCustomers: number;
  readonly priorSd: number;
  readonly minHistoryDays: number;
  /** Churn models the back-test chooses the default from (BG/NBD is fitted for verification only). */
  readonly candidates: readonly CountingModelName[];
  /** Parameter draws for intervals (default 100) and their central level (default 0.9). */
  readonly intervalDraws: number;
  readonly intervalLevel: number;
  /**
   * Budget of tuple × draw evaluations for count intervals mixed over the parameter draws (keeps
   * big stores fast; beyond it a customer's count interval is taken at the fitted parameters).
   */
  readonly intervalEvaluationBudget: number;
  /** Distinct (x, t_x, T) tuples above which predictions use a coarser day grid (see summary-grid.ts). */
  readonly maxPredictionTuples: number;
  /** Stores with at most this many distinct exact tuples are fitted exactly (1M orders: ~170k; the CDNOW master log 11,104). */
  readonly maxExactFitTuples: number;
  /** Exact fits of more tuples than this start from a fit on the coarse fit grid (see below). */
  readonly warmStartAboveTuples: number;
  /** The back-test's calibration refits are exact up to this many tuples, on the fit grid above. */
  readonly maxExactBacktestTuples: number;
  /**
   * Bigger stores are fitted on every customer, on the finest day grid (2, 4, … up to `maxFitBinDays`
   * days) with at most this many tuples; only when even that grid has more, a random subset of
   * its tuples (docs/models/fitting.md has the measured error of each).
   */
  readonly maxFitTuples: number;
  readonly maxFitBinDays: number;
  readonly seed: number;
  /**
   * Yearly pattern in expected purchases (models/seasonality.ts): "auto" re-weights the horizon
   * and CLV months by calendar-month factors when the store's history shows a significant
   * pattern (30+ months), "off" never does.
   */
  readonly seasonality: "auto" | "off";
}

export const DEFAULT_PREDICTION_SETTINGS: PredictionSettings = {
  timeUnit: "week",
  horizon: 13,
  clvMonths: 12,
  monthlyDiscountRate: 0.01,
  holdoutDays: 90,
  // About 50 customers, of whom a CDNOW-like share has come back within 90+ days
  // (docs/models/prior.md): below that even the prior-shrunk fit has too little to go on.
  minRepeatCustomers: 8,
  minHistoryDays: 90,
  priorBelowCustomers: 500,
  priorSd: 1,
  candidates: ["mbg-nbd", "pareto-nbd"],
  intervalDraws: 100,
  intervalLevel: 0.9,
  intervalEvaluationBudget: 400_000,
  maxPredictionTuples: 20_000,
  maxExactFitTuples: 400_000,
  warmStartAboveTuples: 20_000,
  maxExactBacktestTuples: 20_000,
  maxFitTuples: 5_000,
  maxFitBinDays: 64,
  seed: 20_050_101,
  seasonality: "auto",
};

const MODEL_KEYS: Record<CountingModelName, "bgnbd" | "mbgnbd" | "paretoNbd"> = { "bg-nbd": "bgnbd", "mbg-nbd": "mbgnbd", "pareto-nbd": "paretoNbd" };

export interface CountingFitReport {
  readonly [param: string]: number | boolean | string;
  readonly logLikelihood: number;
  readonly converged: boolean;
  readonly iterations: number;
  readonly timeUnit: TimeUnit;
}

export interface InsufficientDataSection {
  readonly status: "insufficient-data";
  readonly reason: string;
  readonly details: readonly ModelReadinessReason[];
}

export interface FittedModelSection {
  readonly status: "fitted";
  readonly timeUnit: TimeUnit;
  readonly horizon: number;
  /** The store's yearly pattern and whether it re-weights expected purchases (models/seasonality.ts). */
  readonly seasonality: YearlySeasonality;
  readonly default: CountingModelName;
  readonly defaultChosenBy: "back-test" | "fallback";
  /** Models not fitted, and why (e.g. Pareto/NBD on data without rate heterogeneity). */
  readonly skipped: readonly { model: CountingModelName; reason: string }[];
  readonly bgnbd: CountingFitReport;
  readonly mbgnbd?: CountingFitReport;
  readonly paretoNbd?: CountingFitReport;
  readonly gammaGamma: {
    readonly p: number;
    readonly q: number;
    readonly gamma: number;
    readonly logLikelihood: number;
    readonly converged: boolean;
    readonly customers: number;
    /** Correlation of mean spend with frequency; Gamma-Gamma assumes it is near 0. */
    readonly spendFrequencyCorrelation: number;
    /** Rows the fit used and the rounding of mean spend for grouping (null = exact cents). */
    readonly fitRows: number;
    readonly spendRoundedToDigits: number | null;
  } | null;
  readonly backtest: {
    readonly holdoutDays: number;
    /** Last day of the calibration period (ISO date); the hold-out runs to the as-of date. */
    readonly calibrationEnd: string;
    readonly excluded: readonly { model: CountingModelName; reason: string }[];
    readonly ranking: readonly {
      model: CountingModelName;
      customers: number;
      predictedTotal: number;
      actualTotal: number;
      relativeErrorOfTotal: number | null;
      meanAbsoluteError: number;
      rootMeanSquaredError: number;
      buckets: readonly unknown[];
      /** Predicted vs observed share buying in the hold-out, by tenths of P(alive) (backtest.ts). */
      aliveCalibration: readonly AliveCalibrationGroup[];
    }[];
    /**
     * The chosen model's predicted and the actual repeat purchases (days with an order) per week
     * of the hold-out, the last week possibly shorter; same customers as the ranking. Absent in
     * snapshots stored before it existed.
     */
    readonly weekly?: readonly (WeekSpan & { predicted: number; actual: number })[];
    /**
     * Calendar-month factors (January first) found in the calibration period alone and applied to
     * the hold-out expectations, null when it showed no yearly pattern. Absent in older snapshots.
     */
    readonly seasonalFactors?: readonly number[] | null;
  } | { readonly skipped: string };
  /**
   * Expected repeat purchases (days with an order) of today's customers per coming week, over
   * the horizon, by the default model; they add up to `totals.expectedPurchases.estimate`.
   * Absent in snapshots stored before it existed.
   */
  readonly expectedPurchasesByWeek?: readonly (WeekSpan & { expected: number })[];
  readonly totals: {
    readonly expectedPurchases: { estimate: number; lower: number | null; upper: number | null };
    readonly clv: { estimate: number; lower: number | null; upper: number | null };
    readonly intervalLevel: number;
    readonly intervalDraws: number;
    readonly countIntervalsOverDraws: boolean;
  };
  /** How the data was reduced for fitting and predicting (1-day grid and all customers = exact). */
  /** The empirical-Bayes prior the fits used (small stores), or null (maximum likelihood). */
  readonly prior: { readonly reference: "cdnow-published-fits"; readonly sd: number; readonly belowCustomers: number } | null;
  readonly grid: { readonly predictionBinDays: number; readonly predictionTuples: number; readonly fitBinDays: number; readonly fitTuples: number; readonly fitCustomers: number };
}

export type ModelSection = InsufficientDataSection | FittedModelSection;

/**
 * Predictions of the default model per customer. All but the spend-based columns depend on the
 * customer's (x, t_x, T) tuple only, so they are kept per tuple of the prediction grid and shared
 * through `tupleOfCustomer`: a 1M-order store has ~30k tuples for 275k customers, and each fresh
 * per-customer column is 2.3 MB of first-touched memory (page faults cost ~3 ms per MB on the
 * 2-core VM: bench/RESULTS.md). NaN where not defined.
 */
export interface CustomerPredictions {
  /** The customer's row in `byTuple`, −1 for customers without orders (no prediction). */
  readonly tupleOfCustomer: Int32Array;
  readonly byTuple: TuplePredictions;
  /** Per customer: Gamma-Gamma expected spend per order, CLV and its interval. */
  readonly expectedSpend: Float64Array;
  readonly clv: Float64Array;
  readonly clvLow: Float64Array;
  readonly clvHigh: Float64Array;
}

/** The columns of {@link CustomerPredictions} that depend on the purchase tuple only. */
export interface TuplePredictions {
  readonly pAlive: Float64Array;
  readonly expectedPurchases: Float64Array;
  /**
   * Central `intervalLevel` interval of the customer's number of purchases in the horizon, from
   * its predictive distribution (mixed over the parameter draws): whole numbers, holding at least
   * that share of the probability (purchase-count-distribution.ts).
   */
  readonly expectedPurchasesLow: Float64Array;
  readonly expectedPurchasesHigh: Float64Array;
  /** Local day index of the expected next order, NaN when none is expected within a year. */
  readonly nextOrderDay: Float64Array;
  /** Interval of P(alive) over the parameter draws (NaN without per-customer intervals). */
  readonly pAliveLow: Float64Array;
  readonly pAliveHigh: Float64Array;
  /**
   * Central `intervalLevel` interval of the next order's day from the predictive distribution of
   * the time to the next purchase given alive (next-purchase-distribution.ts), at the fitted
   * parameters: NaN where no date is given (P(alive) < 0.1), and the high end NaN when it lies
   * more than a year ahead (or, for Pareto/NBD, the customer is more likely to drop out first).
   */
  readonly nextOrderDayLow: Float64Array;
  readonly nextOrderDayHigh: Float64Array;
}

/** Customer `c`'s P(alive), NaN without a prediction. */
export function probabilityAliveOfCustomer(predictions: CustomerPredictions, c: number): number {
  const t = predictions.tupleOfCustomer[c];
  return t < 0 ? NaN : predictions.byTuple.pAlive[t];
}

/** Whole-day (x, t_x, T) per customer from the facts (x = −1 without orders). */
export function dailyHistories(facts: CustomerFacts): DailyHistories {
  const n = facts.customerCount;
  const x = new Int32Array(n).fill(-1);
  const txDays = new Int32Array(n);
  const TDays = new Int32Array(n);
  for (let c = 0; c < n; c++) {
    if (facts.orders[c] === 0) continue;
    x[c] = facts.events[c] - 1;
    txDays[c] = facts.lastDay[c] - facts.firstDay[c];
    TDays[c] = facts.asOfDay - facts.firstDay[c];
  }
  return { x, txDays, TDays };
}

function fitReport(fit: FittedCountingModel, timeUnit: TimeUnit): CountingFitReport {
  return { ...(fit.params as unknown as Record<string, number>), logLikelihood: fit.fit.logLikelihood, converged: fit.fit.converged, iterations: fit.fit.iterations, timeUnit };
}

function readinessText(reason: ModelReadinessReason): string {
  return reason.kind === "too-few-repeat-customers"
    ? `only ${reason.repeatCustomers} customers have bought more than once (at least ${reason.required} are needed for a reliable prediction)`
    : `the order history covers ${reason.historyDays} days (at least ${reason.required} are needed)`;
}

function quantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Fits the churn and spend models on the store (F7) and predicts per customer with the default
 * model: BG/NBD (always, for verification against the published CDNOW fit), the `candidates`
 * (MBG/NBD, Pareto/NBD) with the default chosen by a hold-out back-test, Gamma-Gamma on repeat
 * customers' mean repeat spend; P(alive), expected purchases in `horizon`, expected spend,
 * discounted CLV, next order date and intervals (the plain-language reason is derived from each score row). All predictions are
 * computed once per distinct (x, t_x, T) tuple and shared by the customers who have it.
 *
 * Intervals come from parameter draws of the default purchase model (its observed information):
 * per customer for expected purchases and CLV, and for the store totals. Spend is held at its
 * Gamma-Gamma estimate in the CLV intervals (spend uncertainty is not yet included). Too little
 * data returns
 * `status: "insufficient-data"` with the reason, never a fabricated prediction.
 */
export function storePredictions(
  dataset: StoreDataset,
  facts: CustomerFacts,
  settings: PredictionSettings = DEFAULT_PREDICTION_SETTINGS,
): { section: ModelSection; customers: CustomerPredictions | null; basis: PredictionBasis | null } {
  const unitDays = DAYS_PER_TIME_UNIT[settings.timeUnit];
  let repeatCustomers = 0;
  let firstDay = Infinity;
  for (let c = 0; c < facts.customerCount; c++) {
    if (facts.orders[c] === 0) continue;
    if (facts.events[c] > 1) repeatCustomers++;
    if (facts.firstDay[c] < firstDay) firstDay = facts.firstDay[c];
  }
  const historyDays = firstDay === Infinity ? 0 : facts.asOfDay - firstDay;
  const readiness = assessModelReadiness({ repeatCustomers, historyDays, minRepeatCustomers: settings.minRepeatCustomers, minHistoryDays: settings.minHistoryDays });
  if (!readiness.ok) {
    return {
      section: { status: "insufficient-data", reason: `Not enough data for predictions: ${readiness.reasons.map(readinessText).join("; ")}.`, details: readiness.reasons },
      customers: null,
      basis: null,
    };
  }

  const histories = dailyHistories(facts);
  const grids = new Map<number, ReturnType<typeof summaryGrid>>();
  const tuples = summaryGrid(histories, unitDays, settings.maxPredictionTuples, 28, grids);
  const referencePrior = facts.activeCustomerCount < settings.priorBelowCustomers ? { timeUnitsPerWeek: 7 / unitDays, sd: settings.priorSd } : undefined;
  // Fits use the exact day-level tuples up to `maxExactFitTuples` (1M orders: ~170k). Above
  // `warmStartAboveTuples` each exact fit starts from a fit of the same customers on a coarse
  // day grid, with that fit's curvature: a few Newton-like steps on the exact data instead of a
  // search from the default starts (docs/models/fitting.md). Only beyond `maxExactFitTuples`
  // are the grid fits final (decision 012).
  const exact = tuples.binDays === 1 && tuples.rows.length <= settings.maxExactFitTuples ? tuples : exactSummaryWithin(histories, unitDays, settings.maxExactFitTuples);
  const coarse = exact === null || exact.rows.length > settings.warmStartAboveTuples ? summaryGrid(histories, unitDays, settings.maxFitTuples, settings.maxFitBinDays, grids) : null;
  const fitRng = createSeededRng(settings.seed + 1);
  const coarseRows = coarse === null ? null : thinTuples(coarse.rows, settings.maxFitTuples, fitRng);
  const fitGrid = exact ?? coarse!;
  const fitRows = exact !== null ? exact.rows : coarseRows!;
  const fitCustomers = fitRows.reduce((s, r) => s + r.count, 0);
  const fits = new Map<CountingModelName, FittedCountingModel>();
  // Per model: Hessian of −LL per customer in log-parameters (from the coarse fit), reused to
  // warm-start the back-test's calibration refit.
  const curvatures = new Map<CountingModelName, number[][]>();
  const skipped: { model: CountingModelName; reason: string }[] = [];
  // Fit the BG family first: when its purchase-rate heterogeneity collapses (r in the
  // thousands: every customer buys at the same rate), Pareto/NBD — which shares that gamma
  // mixing — drives its ₂F₁ to extreme arguments and its fit can take minutes. It is then
  // skipped, with the reason in the output, instead of stalling the whole analysis.
  const order = [...new Set<CountingModelName>(["bg-nbd", ...settings.candidates])].sort((p, q) => Number(p === "pareto-nbd") - Number(q === "pareto-nbd"));
  for (const name of order) {
    if (name === "pareto-nbd") {
      const collapsed = [...fits.values()].find((f) => (f.params as { r: number }).r > 1e3);
      if (collapsed) {
        skipped.push({ model: name, reason: `${collapsed.model} found no heterogeneity in purchase rates (r = ${(collapsed.params as { r: number }).r.toExponential(2)}); Pareto/NBD is not identifiable on such data` });
        continue;
      }
    }
    if (coarseRows !== null) {
      const coarseFit = fitCountingModelByName(name, coarseRows, { referencePrior });
      if (exact === null) {
        fits.set(name, coarseFit);
        continue;
      }
      const curvature = coarseFit.fit.converged ? countingModelCurvature(countingModelSpec(name), coarseRows, coarseFit.params) : undefined;
      if (curvature) curvatures.set(name, curvature);
      fits.set(name, fitCountingModelByName(name, fitRows, { startFrom: coarseFit.params as unknown as Record<string, number>, curvature, referencePrior }));
    } else {
      const fit = fitCountingModelByName(name, fitRows, { referencePrior });
      fits.set(name, fit);
      // A mid-size exact fit (no coarse grid) still gives its back-test refit a curvature, from a
      // systematic sample of its tuples as the fit's own pilot does: a few Newton-like steps on
      // the calibration tuples instead of a search from the full-data optimum.
      if (referencePrior === undefined && fitRows.length > 6_000 && fit.fit.converged) {
        const stride = Math.ceil(fitRows.length / 1_500);
        curvatures.set(name, countingModelCurvature(countingModelSpec(name), fitRows.filter((_, i) => i % stride === 0), fit.params));
      }
    }
  }

  // Back-test on a calibration period ending `holdoutDays` before A; choose the default model.
  // A fit whose parameters ran off to the optimiser's edges (e.g. r ≈ 3·10⁴, α ≈ 10⁷ when the
  // data show no heterogeneity) is not a usable churn model, and re-fitting it on the
  // calibration period can be very slow (Pareto/NBD's ₂F₁ at extreme arguments). Such candidates
  // are left out of the back-test, unless none would remain.
  // A fit that did not converge is left out too: the optimiser reports that only when the
  // likelihood has no interior maximum (it rises towards an edge or along a flat ridge).
  const degenerate = (name: CountingModelName) =>
    !fits.get(name)!.fit.converged || Object.values(fits.get(name)!.params as unknown as Record<string, number>).some((v) => !(v > 1e-5 && v < 1e5));
  const fitted = settings.candidates.filter((name) => fits.has(name));
  const usable = fitted.filter((name) => !degenerate(name));
  const backtestCandidates = usable.length > 0 ? usable : fitted.slice(0, 1);
  const excludedFromBacktest = fitted.filter((name) => !backtestCandidates.includes(name));
  let defaultModel: CountingModelName = backtestCandidates[0] ?? "bg-nbd";
  let chosenBy: "back-test" | "fallback" = "fallback";
  let backtest: FittedModelSection["backtest"];
  const calibrationEnd = facts.asOfDay - settings.holdoutDays;
  // The yearly pattern of the store's history re-weights its predictions; the back-test replays
  // that with the pattern found in the calibration period alone (nothing from the hold-out).
  const seasonality = yearlySeasonalityAsOf(dataset, facts.asOfDay, settings.seasonality);
  const seasonalFactors = seasonality.status === "detected" ? seasonality.factors : null;
  const calibrationSeasonality = yearlySeasonalityAsOf(dataset, calibrationEnd, settings.seasonality);
  const calibrationPieces =
    calibrationSeasonality.status === "detected" ? seasonalPieces(calibrationEnd, unitDays, calibrationSeasonality.factors, Math.ceil(settings.holdoutDays / 28) + 1) : null;
  const calibration = customerFactsAsOf(dataset, calibrationEnd);
  const calibrationHistories = dailyHistories(calibration);
  // The back-test refits on the exact calibration tuples up to `maxExactBacktestTuples`; a bigger
  // store's back-test refits on the coarse grid (as its fits did before issue #13): it only
  // compares the candidates and reports their calibration, and the exact refits and per-(x, T)
  // predictions of ~150k calibration tuples would cost more than the rest of the model stage.
  const calibrationExact = exactSummaryWithin(calibrationHistories, unitDays, Math.min(settings.maxExactFitTuples, settings.maxExactBacktestTuples));
  // The calibration data are the full data minus the hold-out: start at the coarse grid's width.
  const calibrationGrid =
    calibrationExact ?? summaryGrid(calibrationHistories, unitDays, settings.maxFitTuples, settings.maxFitBinDays, undefined, Math.max(1, (coarse?.binDays ?? 2) / 2));
  // Same reduction as the fit: keep whole tuples at random when the grid is still too large.
  const keepTuple = new Uint8Array(calibrationGrid.rows.length);
  const keepP = calibrationGrid === calibrationExact ? 1 : Math.min(1, settings.maxFitTuples / Math.max(1, calibrationGrid.rows.length));
  const backtestRng = createSeededRng(settings.seed + 2);
  for (let t = 0; t < keepTuple.length; t++) keepTuple[t] = keepP >= 1 || backtestRng() < keepP ? 1 : 0;
  // The fit rows: the kept calibration tuples, whole; `rowOfTuple` maps a tuple to its row.
  const calibrationRows: PurchaseSummaryRow[] = [];
  const rowOfTuple = new Int32Array(calibrationGrid.rows.length).fill(-1);
  calibrationGrid.rows.forEach((row, t) => {
    if (keepTuple[t] === 1) {
      rowOfTuple[t] = calibrationRows.length;
      calibrationRows.push(row);
    }
  });
  // Customers grouped by (calibration tuple, hold-out purchases): the back-test's error
  // measures need nothing else, and a big store has far fewer groups than customers. Most
  // customers buy nothing in the hold-out: their group is found by an array, the rest by a map.
  const backtestCustomers: BacktestCustomer[] = [];
  const quietGroup = new Int32Array(calibrationGrid.rows.length).fill(-1);
  const groupOf = new Map<number, number>();
  let calibrationRepeat = 0;
  const holdoutWeeks = weekSpans(calibrationEnd, settings.holdoutDays);
  const actualByWeek = new Float64Array(holdoutWeeks.length);
  for (let c = 0; c < calibration.customerCount; c++) {
    const t = calibrationGrid.ofCustomer[c];
    if (t < 0 || !keepTuple[t]) continue;
    const row = calibrationGrid.rows[t];
    if (row.x > 0) calibrationRepeat++;
    const holdoutPurchases = facts.events[c] - calibration.events[c];
    if (holdoutPurchases > 0) purchaseDaysByWeek(dataset, calibration.orderEnd[c], facts.orderEnd[c], calibrationEnd, actualByWeek);
    const key = holdoutPurchases * calibrationGrid.rows.length + t;
    const g = holdoutPurchases === 0 ? quietGroup[t] : (groupOf.get(key) ?? -1);
    if (g < 0) {
      if (holdoutPurchases === 0) quietGroup[t] = backtestCustomers.length;
      else groupOf.set(key, backtestCustomers.length);
      backtestCustomers.push({ x: row.x, tx: row.tx, T: row.T, holdoutPurchases, count: 1, row: rowOfTuple[t] });
    } else (backtestCustomers[g] as { count: number }).count++;
  }
  if (calibrationRepeat >= Math.min(settings.minRepeatCustomers, 50) && backtestCandidates.length > 0) {
    // The calibration data are the same customers minus the hold-out, so each refit starts at
    // the model's full-data fit (one start instead of the default ones).
    const warmStarts = Object.fromEntries(backtestCandidates.map((name) => [name, fits.get(name)!.params as unknown as Record<string, number>]));
    const choice = chooseDefaultChurnModel(backtestCustomers, settings.holdoutDays / unitDays, backtestCandidates, { referencePrior }, warmStarts, Object.fromEntries(curvatures), calibrationRows, calibrationPieces);
    defaultModel = choice.model;
    chosenBy = "back-test";
    backtest = {
      holdoutDays: settings.holdoutDays,
      calibrationEnd: isoDateFromDayIndex(calibrationEnd),
      excluded: excludedFromBacktest.map((model) => ({ model, reason: "degenerate fit on the full data (not converged, or a parameter below 1e-5 or above 1e5)" })),
      ranking: choice.ranking.map((r) => ({
        model: r.model,
        customers: r.customers,
        predictedTotal: r.predictedTotal,
        actualTotal: r.actualTotal,
        relativeErrorOfTotal: Number.isFinite(r.relativeErrorOfTotal) ? r.relativeErrorOfTotal : null,
        meanAbsoluteError: r.meanAbsoluteError,
        rootMeanSquaredError: r.rootMeanSquaredError,
        buckets: r.buckets,
        aliveCalibration: r.aliveCalibration,
      })),
      weekly: backtestByWeek(withSeasonality(choice.ranking.find((r) => r.model === choice.model)!.fitted, calibrationPieces), calibrationRows, holdoutWeeks, actualByWeek, unitDays),
      seasonalFactors: calibrationSeasonality.status === "detected" ? calibrationSeasonality.factors : null,
    };
  } else {
    backtest = { skipped: `the calibration period (up to ${settings.holdoutDays} days before the as-of date) has only ${calibrationRepeat} repeat customers` };
  }
  const model = fits.get(defaultModel)!;

  // Gamma-Gamma on repeat customers with positive mean repeat spend.
  const spend = spendSummary(facts, settings.maxFitTuples);
  const spendRows = spend.rows.length <= settings.maxFitTuples ? spend.rows : thinTuples(spend.rows, settings.maxFitTuples, createSeededRng(settings.seed + 3));
  const spendCustomers = spend.customers;
  let gg: GammaGammaParams | null = null;
  let gammaGamma: FittedModelSection["gammaGamma"] = null;
  if (spendCustomers >= 10) {
    const fit = fitGammaGamma(spendRows);
    gg = fit.params;
    gammaGamma = {
      ...fit.params,
      logLikelihood: fit.logLikelihood,
      converged: fit.converged,
      customers: spendCustomers,
      spendFrequencyCorrelation: spendFrequencyCorrelation(spend.rows),
      fitRows: spendRows.length,
      spendRoundedToDigits: spend.roundedToDigits,
    };
  }

  // Intervals from parameter draws (observed information of the default model's fit).
  const rng = createSeededRng(settings.seed);
  // The observed information of the fitted rows, re-weighted to the whole store when the fit
  // used a random subset of tuples (information grows with the number of customers).
  // A big store's exact fit takes it from the coarse grid's rows at the exact optimum (the
  // curvature of the same customers, at a fraction of the cost).
  const curvatureRows = coarseRows ?? fitRows;
  const curvatureCustomers = curvatureRows.reduce((sum, r) => sum + r.count, 0);
  const weight = curvatureCustomers > 0 ? facts.activeCustomerCount / curvatureCustomers : 1;
  const informationRows = weight === 1 ? curvatureRows : curvatureRows.map((r) => ({ ...r, count: r.count * weight }));
  const prior = referencePrior ? referenceLogNormalPrior(countingModelSpec(defaultModel), referencePrior) : undefined;
  const countDraws = countingModelParameterDraws(defaultModel, informationRows, model.params, { draws: settings.intervalDraws, rng, prior }) ?? [];
  const drawnModels: BoundCountingModel[] = countDraws.map((p) => bindCountingModel(defaultModel, p));
  const draws = drawnModels.length;
  const {
    customers: out,
    countIntervalsOverDraws,
    totalE,
    totalClv,
    drawTotalsE,
    drawTotalsClvHorizon,
    pointExpected,
    pointClvHorizon,
  } = predictCustomers(facts, tuples, model, drawnModels, gg, settings, seasonalFactors);
  const alpha = (1 - settings.intervalLevel) / 2;
  const sortedE = Float64Array.from(drawTotalsE, (v) => (pointExpected > 0 ? (v / pointExpected) * totalE : NaN)).sort();
  // Store CLV interval: each draw scales the store's expected purchases over the CLV horizon;
  // the point CLV is scaled by the same ratio (discount profile and spend held at the estimate).
  const clvRatios = Float64Array.from(drawTotalsClvHorizon, (v) => (pointClvHorizon > 0 ? (v / pointClvHorizon) * totalClv : NaN)).sort();
  const hasDraws = drawnModels.length > 0;
  const section: FittedModelSection = {
    status: "fitted",
    timeUnit: settings.timeUnit,
    horizon: settings.horizon,
    seasonality,
    default: defaultModel,
    defaultChosenBy: chosenBy,
    skipped,
    bgnbd: fitReport(fits.get("bg-nbd")!, settings.timeUnit),
    ...Object.fromEntries([...fits.entries()].filter(([name]) => name !== "bg-nbd").map(([name, fit]) => [MODEL_KEYS[name], fitReport(fit, settings.timeUnit)])),
    gammaGamma,
    backtest,
    prior: referencePrior ? { reference: "cdnow-published-fits", sd: settings.priorSd, belowCustomers: settings.priorBelowCustomers } : null,
    expectedPurchasesByWeek: expectedPurchasesInComingWeeks(
      withSeasonality(model, seasonalFactors ? seasonalPieces(facts.asOfDay, unitDays, seasonalFactors, Math.ceil((settings.horizon * unitDays) / 28) + 1) : null),
      tuples.rows,
      facts.asOfDay,
      settings.horizon * unitDays,
      unitDays,
    ),
    grid: { predictionBinDays: tuples.binDays, predictionTuples: tuples.rows.length, fitBinDays: fitGrid.binDays, fitTuples: fitRows.length, fitCustomers },
    totals: {
      expectedPurchases: { estimate: totalE, lower: hasDraws ? quantile(sortedE, alpha) : null, upper: hasDraws ? quantile(sortedE, 1 - alpha) : null },
      clv: { estimate: totalClv, lower: hasDraws ? quantile(clvRatios, alpha) : null, upper: hasDraws ? quantile(clvRatios, 1 - alpha) : null },
      intervalLevel: settings.intervalLevel,
      intervalDraws: draws,
      countIntervalsOverDraws,
    },
  };
  const basis: PredictionBasis = {
    model: defaultModel,
    params: model.params,
    draws: countDraws,
    gammaGamma: gg,
    binDays: tuples.binDays,
    countIntervalsOverDraws,
    seasonalFactors,
    settings: {
      timeUnit: settings.timeUnit,
      horizon: settings.horizon,
      clvMonths: settings.clvMonths,
      monthlyDiscountRate: settings.monthlyDiscountRate,
      intervalLevel: settings.intervalLevel,
      intervalEvaluationBudget: settings.intervalEvaluationBudget,
    },
  };
  return { section, customers: out, basis };
}

/**
 * What a customer's predictions depend on besides their own history: the default model and its
 * fitted parameters, the parameter draws behind the intervals, Gamma-Gamma, the prediction grid
 * and whether the store could afford count intervals mixed over the draws. Stored with the analysis, it lets
 * one customer be scored alone (score-customer.ts) exactly as the full analysis scored them.
 */
export interface PredictionBasis {
  readonly model: CountingModelName;
  readonly params: CountingModelParams;
  readonly draws: readonly CountingModelParams[];
  readonly gammaGamma: GammaGammaParams | null;
  readonly binDays: number;
  readonly countIntervalsOverDraws: boolean;
  /** Calendar-month factors of expected purchases (January first), null without a yearly pattern. */
  readonly seasonalFactors: readonly number[] | null;
  readonly settings: Pick<PredictionSettings, "timeUnit" | "horizon" | "clvMonths" | "monthlyDiscountRate" | "intervalLevel" | "intervalEvaluationBudget">;
}

/** What {@link predictCustomers} returns: per-customer predictions and the sums the store totals need. */
export interface CustomerPredictionRun {
  readonly customers: CustomerPredictions;
  readonly countIntervalsOverDraws: boolean;
  readonly totalE: number;
  readonly totalClv: number;
  readonly drawTotalsE: Float64Array;
  readonly drawTotalsClvHorizon: Float64Array;
  readonly pointExpected: number;
  readonly pointClvHorizon: number;
}

/**
 * Predictions per customer from a fitted model: the part of {@link storePredictions} after the
 * fits. Scoring one customer alone (app/analytics/scores/score-customer.ts) runs this same
 * function on a one-customer history with the store's parameters, draws and grid, so the two
 * cannot disagree.
 *
 * @param fixedCountIntervalsOverDraws the store's decision whether count intervals are mixed over the draws (a lone
 *   customer must not decide it from its own, tiny, evaluation cost); default: from the budget.
 */
export function predictCustomers(
  facts: CustomerFacts,
  tuples: SummaryGrid,
  model: BoundCountingModel,
  drawnModels: readonly BoundCountingModel[],
  gg: GammaGammaParams | null,
  settings: PredictionBasis["settings"],
  seasonalFactors: readonly number[] | null,
  fixedCountIntervalsOverDraws?: boolean,
): CustomerPredictionRun {
  // Per-tuple predictions. Every counting model here factorises as
  // E[Y(t) | x, t_x, T] = P(alive | x, t_x, T) × E[Y(t) | alive, x, T]: given that the customer is
  // alive at T, the posterior of the purchase rate depends on x and T only (e.g. BG/NBD:
  // λ | alive ~ Gamma(r + x, α + T), p ~ Beta(a, b + x)). So the horizon expectation, the CLV
  // profile and the next-order time are computed once per distinct (x, T) pair and scaled by
  // each tuple's P(alive) — far fewer evaluations than one per tuple.
  const k = tuples.rows.length;
  const unitDays = DAYS_PER_TIME_UNIT[settings.timeUnit];
  // With a yearly pattern, each calendar month's share of the expectation is scaled by its factor.
  const pieces = seasonalFactors ? seasonalPieces(facts.asOfDay, unitDays, seasonalFactors, settings.clvMonths + Math.ceil((settings.horizon * unitDays) / 28) + 1) : null;
  const expectationGivenAlive = (m: BoundCountingModel, x: number, T: number): ((t: number) => number) => {
    const plain = (t: number) => m.expectedPurchasesGivenAlive(t, x, T);
    return pieces ? seasonalExpectation(plain, pieces.monthStarts, pieces.factorOfPiece) : plain;
  };
  const unitsPerMonth = settings.timeUnit === "week" ? TIME_UNITS_PER_MONTH.weeks : TIME_UNITS_PER_MONTH.days;
  const clvHorizon = settings.clvMonths * unitsPerMonth;
  const pairIndex = new Map<number, number>();
  const pairX: number[] = [];
  const pairT: number[] = [];
  const pairOfTuple = new Int32Array(k);
  for (let t = 0; t < k; t++) {
    const { x, T } = tuples.rows[t];
    const key = x * 1e8 + Math.round(T * unitDays * 2);
    let q = pairIndex.get(key);
    if (q === undefined) {
      q = pairX.length;
      pairIndex.set(key, q);
      pairX.push(x);
      pairT.push(T);
    }
    pairOfTuple[t] = q;
  }
  const pairs = pairX.length;
  const pairHorizon = new Float64Array(pairs);
  const pairClvPerSpend = new Float64Array(pairs);
  const pairClvHorizon = new Float64Array(pairs);
  const pairNext = new Float64Array(pairs);
  const pairNextLow = new Float64Array(pairs);
  const pairNextHigh = new Float64Array(pairs);
  const intervalTail = (1 - settings.intervalLevel) / 2;
  for (let q = 0; q < pairs; q++) {
    const x = pairX[q];
    const T = pairT[q];
    const givenAlive = expectationGivenAlive(model, x, T);
    pairHorizon[q] = givenAlive(settings.horizon);
    const clv = customerLifetimeValue({
      expectedPurchasesBy: givenAlive,
      expectedSpend: 1,
      timeUnitsPerMonth: unitsPerMonth,
      months: settings.clvMonths,
      monthlyDiscountRate: settings.monthlyDiscountRate,
    });
    pairClvPerSpend[q] = clv.value;
    pairClvHorizon[q] = clv.expectedPurchases;
    // The alive threshold is applied per tuple below; tx = T is a valid stand-in here because
    // the time to the next purchase given alive does not depend on t_x.
    const next = expectedNextPurchase(model, x, x === 0 ? 0 : T, T, { maxHorizon: 365 / unitDays, minProbabilityAlive: 0 });
    pairNext[q] = next === null ? NaN : next.timeFromNow;
    const cdf = (h: number) => model.probabilityPurchaseGivenAlive(h, x, T);
    pairNextLow[q] = nextPurchaseQuantile(cdf, intervalTail, 365 / unitDays);
    pairNextHigh[q] = nextPurchaseQuantile(cdf, 1 - intervalTail, 365 / unitDays);
  }
  const tupleAlive = new Float64Array(k);
  const tupleExpected = new Float64Array(k);
  const tupleClvPerSpend = new Float64Array(k);
  const tupleExpectedClvHorizon = new Float64Array(k);
  const tupleNext = new Float64Array(k);
  const tupleNextLow = new Float64Array(k);
  const tupleNextHigh = new Float64Array(k);
  for (let t = 0; t < k; t++) {
    const { x, tx, T } = tuples.rows[t];
    const q = pairOfTuple[t];
    const alive = model.probabilityAlive(x, tx, T);
    tupleAlive[t] = alive;
    tupleExpected[t] = alive * pairHorizon[q];
    tupleClvPerSpend[t] = alive * pairClvPerSpend[q];
    tupleExpectedClvHorizon[t] = alive * pairClvHorizon[q];
    // Same rule as expectedNextPurchase: no date below P(alive) = 0.1.
    tupleNext[t] = alive < 0.1 || Number.isNaN(pairNext[q]) ? NaN : facts.asOfDay + Math.round(pairNext[q] * unitDays);
    tupleNextLow[t] = alive < 0.1 || Number.isNaN(pairNextLow[q]) ? NaN : facts.asOfDay + Math.round(pairNextLow[q] * unitDays);
    tupleNextHigh[t] = alive < 0.1 || Number.isNaN(pairNextHigh[q]) ? NaN : facts.asOfDay + Math.round(pairNextHigh[q] * unitDays);
  }

  const draws = drawnModels.length;
  // Every customer's P(alive) and CLV interval comes from the draws: per (pair, draw) the
  // expectations given alive, per (tuple, draw) P(alive), at most ~3M evaluations (the prediction
  // grid bounds the tuples; 0.4 s at 1M orders, decision 063). The count interval mixed over the
  // draws costs far more (each pair's count distribution under each draw: 0.9 s at 30k orders),
  // so it is mixed only within the evaluation budget, and taken at the fitted parameters beyond.
  const countIntervalsOverDraws = fixedCountIntervalsOverDraws ?? (draws > 0 && (k + 2 * pairs) * draws <= settings.intervalEvaluationBudget);
  const alpha = (1 - settings.intervalLevel) / 2;
  const drawPairHorizon = new Float64Array(pairs * draws);
  const drawPairClvHorizon = new Float64Array(pairs * draws);
  for (let q = 0; q < pairs; q++) {
    // With a yearly pattern, a draw's expectation is its plain one scaled by the point estimate's
    // seasonal ÷ plain ratio: the months' factors are not drawn, and evaluating each draw month by
    // month (~17 expectations instead of 2) took 1.4 s more at 1M orders (decision 063).
    const plainHorizon = pieces ? model.expectedPurchasesGivenAlive(settings.horizon, pairX[q], pairT[q]) : 0;
    const plainClvHorizon = pieces ? model.expectedPurchasesGivenAlive(clvHorizon, pairX[q], pairT[q]) : 0;
    const horizonScale = plainHorizon > 0 ? pairHorizon[q] / plainHorizon : 1;
    const clvHorizonScale = plainClvHorizon > 0 ? pairClvHorizon[q] / plainClvHorizon : 1;
    for (let d = 0; d < draws; d++) {
      drawPairHorizon[q * draws + d] = drawnModels[d].expectedPurchasesGivenAlive(settings.horizon, pairX[q], pairT[q]) * horizonScale;
      drawPairClvHorizon[q * draws + d] = drawnModels[d].expectedPurchasesGivenAlive(clvHorizon, pairX[q], pairT[q]) * clvHorizonScale;
    }
  }
  const tupleLowE = new Float64Array(k).fill(NaN);
  const tupleHighE = new Float64Array(k).fill(NaN);
  const tupleLowRatio = new Float64Array(k).fill(NaN);
  const tupleHighRatio = new Float64Array(k).fill(NaN);
  const drawTotalsE = new Float64Array(draws);
  const drawTotalsClvHorizon = new Float64Array(draws);
  const aliveDraws = new Float64Array(draws);
  const tupleLowAlive = new Float64Array(k).fill(NaN);
  const tupleHighAlive = new Float64Array(k).fill(NaN);
  const rDraws = new Float64Array(draws);
  const aliveByTupleDraw = countIntervalsOverDraws ? new Float64Array(k * draws) : null;
  // The tuples of each (x, T) pair, pair by pair: a pair's tuples differ only in t_x.
  const firstOfPair = new Int32Array(pairs + 1);
  for (let t = 0; t < k; t++) firstOfPair[pairOfTuple[t] + 1]++;
  for (let q = 0; q < pairs; q++) firstOfPair[q + 1] += firstOfPair[q];
  const tuplesByPair = new Int32Array(k);
  const nextSlot = firstOfPair.slice(0, pairs);
  for (let t = 0; t < k; t++) tuplesByPair[nextSlot[pairOfTuple[t]]++] = t;
  let largestPair = 0;
  for (let q = 0; q < pairs; q++) largestPair = Math.max(largestPair, firstOfPair[q + 1] - firstOfPair[q]);
  const recencies = new Float64Array(largestPair);
  const aliveOfPairDraw = new Float64Array(largestPair * draws);
  // Point values over the same tuples, weighted by their customers: the store intervals are
  // ratios draw ÷ point applied to the per-customer point totals.
  let pointClvHorizon = 0;
  let pointExpected = 0;
  for (let q = 0; draws > 0 && q < pairs; q++) {
    const first = firstOfPair[q];
    const m = firstOfPair[q + 1] - first;
    for (let i = 0; i < m; i++) recencies[i] = tuples.rows[tuplesByPair[first + i]].tx;
    for (let d = 0; d < draws; d++) drawnModels[d].probabilityAliveAtRecencies(pairX[q], pairT[q], recencies.subarray(0, m), aliveOfPairDraw.subarray(d * m, d * m + m));
    for (let i = 0; i < m; i++) {
      const t = tuplesByPair[first + i];
      const count = tuples.rows[t].count;
      pointClvHorizon += count * tupleExpectedClvHorizon[t];
      pointExpected += count * tupleExpected[t];
      for (let d = 0; d < draws; d++) {
        const slot = q * draws + d;
        const alive = aliveOfPairDraw[d * m + i];
        if (aliveByTupleDraw !== null) aliveByTupleDraw[t * draws + d] = alive;
        const eClv = alive * drawPairClvHorizon[slot];
        aliveDraws[d] = alive;
        rDraws[d] = tupleExpectedClvHorizon[t] > 0 ? eClv / tupleExpectedClvHorizon[t] : 1;
        drawTotalsE[d] += count * alive * drawPairHorizon[slot];
        drawTotalsClvHorizon[d] += count * eClv;
      }
      tupleLowAlive[t] = quantileOfUnsorted(aliveDraws, alpha);
      tupleHighAlive[t] = quantileOfUnsorted(aliveDraws, 1 - alpha);
      tupleLowRatio[t] = quantileOfUnsorted(rDraws, alpha);
      tupleHighRatio[t] = quantileOfUnsorted(rDraws, 1 - alpha);
    }
  }

  // Each customer's count over the horizon: the central interval of its predictive distribution
  // (purchase-count-distribution.ts), mixed over the parameter draws where customers get
  // intervals, at the fitted parameters otherwise (a big store pins its parameters down; the
  // count's own spread is what remains). Distributions given alive depend on (x, T) only.
  const countModels = aliveByTupleDraw !== null ? drawnModels : [model];
  const operationalTime = pieces ? seasonalExpectation((u) => u, pieces.monthStarts, pieces.factorOfPiece) : null;
  const aliveOfModel = new Float64Array(countModels.length);
  for (let q = 0; q < pairs; q++) {
    const cdfs = countModels.map((m) => purchaseCountCdfGivenAlive(m.model, m.params, settings.horizon, pairX[q], pairT[q], operationalTime));
    for (let i = firstOfPair[q]; i < firstOfPair[q + 1]; i++) {
      const t = tuplesByPair[i];
      if (aliveByTupleDraw !== null) for (let d = 0; d < draws; d++) aliveOfModel[d] = aliveByTupleDraw[t * draws + d];
      else aliveOfModel[0] = tupleAlive[t];
      [tupleLowE[t], tupleHighE[t]] = purchaseCountInterval(aliveOfModel, cdfs, settings.intervalLevel);
    }
  }

  // Per-customer columns: only what depends on the customer's spend.
  const n = facts.customerCount;
  const out: CustomerPredictions = {
    tupleOfCustomer: tuples.ofCustomer,
    byTuple: {
      pAlive: tupleAlive,
      expectedPurchases: tupleExpected,
      expectedPurchasesLow: tupleLowE,
      expectedPurchasesHigh: tupleHighE,
      nextOrderDay: tupleNext,
      pAliveLow: tupleLowAlive,
      pAliveHigh: tupleHighAlive,
      nextOrderDayLow: tupleNextLow,
      nextOrderDayHigh: tupleNextHigh,
    },
    expectedSpend: new Float64Array(n).fill(NaN),
    clv: new Float64Array(n).fill(NaN),
    clvLow: new Float64Array(n).fill(NaN),
    clvHigh: new Float64Array(n).fill(NaN),
  };
  const populationSpend = gg !== null && gg.q > 1 ? gammaGammaExpectedSpend(gg, 0, 0) : NaN;
  let totalE = 0;
  let totalClv = 0;
  for (let c = 0; c < n; c++) {
    const t = tuples.ofCustomer[c];
    if (t < 0) continue;
    const x = facts.events[c] - 1;
    const meanRepeat = x > 0 ? facts.repeatEventRevenue[c] / x : 0;
    let spend: number;
    if (gg !== null && x > 0 && meanRepeat > 0) spend = gammaGammaExpectedSpend(gg, x, meanRepeat);
    else if (Number.isFinite(populationSpend)) spend = populationSpend;
    else spend = facts.revenue[c] / facts.events[c];
    out.expectedSpend[c] = spend;
    out.clv[c] = tupleClvPerSpend[t] * spend;
    out.clvLow[c] = out.clv[c] * tupleLowRatio[t];
    out.clvHigh[c] = out.clv[c] * tupleHighRatio[t];
    totalE += tupleExpected[t];
    totalClv += out.clv[c];
  }
  return { customers: out, countIntervalsOverDraws, totalE, totalClv, drawTotalsE, drawTotalsClvHorizon, pointExpected, pointClvHorizon };
}

/** Week ends in model time units for spans of days. */
function weekEnds(weeks: readonly WeekSpan[], unitDays: number): number[] {
  let days = 0;
  return weeks.map((w) => (days += w.days) / unitDays);
}

/**
 * The hold-out week by week: the chosen model's calibration fit against what happened. The
 * back-test's customers are exactly those of the kept calibration tuples (`rows`, with counts).
 */
function backtestByWeek(fitted: BoundCountingModel, rows: readonly PurchaseSummaryRow[], weeks: readonly WeekSpan[], actual: Float64Array, unitDays: number) {
  const alive = countingModelProbabilityAliveOfRows(countingModelSpec(fitted.model), rows, fitted.params);
  const predicted = expectedPurchasesByInterval(fitted, rows, weekEnds(weeks, unitDays), alive);
  return weeks.map((w, k) => ({ ...w, predicted: predicted[k], actual: actual[k] }));
}

/** Expected repeat purchases of today's customers per coming week of the horizon (timing page). */
function expectedPurchasesInComingWeeks(model: BoundCountingModel, rows: readonly PurchaseSummaryRow[], asOfDay: number, horizonDays: number, unitDays: number) {
  const weeks = weekSpans(asOfDay, horizonDays);
  const alive = countingModelProbabilityAliveOfRows(countingModelSpec(model.model), rows, model.params);
  const expected = expectedPurchasesByInterval(model, rows, weekEnds(weeks, unitDays), alive);
  return weeks.map((w, k) => ({ ...w, expected: expected[k] }));
}

/** The yearly pattern of the orders up to `asOfDay` (models/seasonality.ts), unless switched off. */
function yearlySeasonalityAsOf(dataset: StoreDataset, asOfDay: number, setting: PredictionSettings["seasonality"]): YearlySeasonality {
  return setting === "off" ? { status: "none", reason: "off", months: 0, pValue: null } : detectYearlySeasonality(...monthlyPurchaseRates(dataset, asOfDay));
}

/**
 * Customers' orders per day in each complete calendar month up to the as-of day, for the yearly
 * pattern: per day, because February's three missing days are not a season (the counting models'
 * rate is per unit of time, and a window's pieces already have their months' lengths). The first
 * month (the store may have opened mid-month) and an unfinished last month are left out. Returns
 * the rates and the calendar month (0 = January) of the first.
 */
export function monthlyPurchaseRates(dataset: StoreDataset, asOfDay: number): [rates: number[], firstMonth: number] {
  let firstDay = Infinity;
  for (let i = 0; i < dataset.guestOrderStart; i++) if (dataset.orderDay[i] < firstDay) firstDay = dataset.orderDay[i];
  if (firstDay === Infinity || firstDay > asOfDay) return [[], 0];
  const monthIndex = (day: number) => {
    const date = new Date(day * 86_400_000);
    return date.getUTCFullYear() * 12 + date.getUTCMonth();
  };
  const first = monthIndex(firstDay) + 1;
  const last = monthIndex(asOfDay + 1) - 1; // the as-of month counts only when the as-of day is its last
  if (last < first) return [[], 0];
  // Orders per day, then per month (one Date per day, not per order).
  const perDay = new Int32Array(asOfDay - firstDay + 1);
  for (let i = 0; i < dataset.guestOrderStart; i++) {
    const day = dataset.orderDay[i];
    if (day <= asOfDay) perDay[day - firstDay]++;
  }
  const counts = new Array<number>(last - first + 1).fill(0);
  const days = new Array<number>(last - first + 1).fill(0);
  for (let d = 0; d < perDay.length; d++) {
    const month = monthIndex(firstDay + d);
    if (month < first || month > last) continue;
    counts[month - first] += perDay[d];
    days[month - first]++;
  }
  return [counts.map((c, m) => c / days[m]), first % 12];
}
