import type { CustomerFacts } from "../customers/customer-facts";
import { customerFactsAsOf } from "../customers/customer-facts";
import { DAYS_PER_TIME_UNIT, type TimeUnit } from "../customers/purchase-history-summary";
import type { StoreDataset } from "../dataset/dataset-builder";
import {
  assessModelReadiness,
  bindCountingModel,
  chooseDefaultChurnModel,
  countingModelParameterDraws,
  createSeededRng,
  customerActivityReason,
  customerLifetimeValue,
  expectedNextPurchase,
  fitCountingModelByName,
  fitGammaGamma,
  gammaGammaExpectedSpend,
  spendFrequencyCorrelation,
  TIME_UNITS_PER_MONTH,
  type BacktestCustomer,
  type BoundCountingModel,
  type CountingModelName,
  type FittedCountingModel,
  type GammaGammaParams,
  type ModelReadinessReason,
  type PurchaseSummaryRow,
  type SpendSummaryRow,
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
  readonly minHistoryDays: number;
  /** Churn models the back-test chooses the default from (BG/NBD is fitted for verification only). */
  readonly candidates: readonly CountingModelName[];
  /** Parameter draws for intervals (default 100) and their central level (default 0.9). */
  readonly intervalDraws: number;
  readonly intervalLevel: number;
  /** Budget of tuple × draw evaluations for per-customer intervals (keeps big stores fast). */
  readonly intervalEvaluationBudget: number;
  readonly seed: number;
}

export const DEFAULT_PREDICTION_SETTINGS: PredictionSettings = {
  timeUnit: "week",
  horizon: 13,
  clvMonths: 12,
  monthlyDiscountRate: 0.01,
  holdoutDays: 90,
  minRepeatCustomers: 200,
  minHistoryDays: 90,
  candidates: ["mbg-nbd", "pareto-nbd"],
  intervalDraws: 100,
  intervalLevel: 0.9,
  intervalEvaluationBudget: 1_000_000,
  seed: 20_050_101,
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
  readonly default: CountingModelName;
  readonly defaultChosenBy: "back-test" | "fallback";
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
  } | null;
  readonly backtest: {
    readonly holdoutDays: number;
    readonly calibrationEnd: number;
    readonly ranking: readonly { model: CountingModelName; customers: number; predictedTotal: number; actualTotal: number; relativeErrorOfTotal: number | null; meanAbsoluteError: number; buckets: readonly unknown[] }[];
  } | { readonly skipped: string };
  readonly totals: {
    readonly expectedPurchases: { estimate: number; lower: number | null; upper: number | null };
    readonly clv: { estimate: number; lower: number | null; upper: number | null };
    readonly intervalLevel: number;
    readonly intervalDraws: number;
    readonly perCustomerIntervals: boolean;
  };
  readonly fitSeconds?: number;
}

export type ModelSection = InsufficientDataSection | FittedModelSection;

/** Per-customer predictions of the default model (NaN where not defined). */
export interface CustomerPredictions {
  readonly pAlive: Float64Array;
  readonly expectedPurchases: Float64Array;
  readonly expectedPurchasesLow: Float64Array;
  readonly expectedPurchasesHigh: Float64Array;
  readonly expectedSpend: Float64Array;
  readonly clv: Float64Array;
  readonly clvLow: Float64Array;
  readonly clvHigh: Float64Array;
  /** Local day index of the expected next order, NaN when none is expected within a year. */
  readonly nextOrderDay: Float64Array;
  readonly reason: readonly string[];
}

interface Tuples {
  readonly rows: PurchaseSummaryRow[];
  /** tuple index per customer, -1 without orders */
  readonly ofCustomer: Int32Array;
  readonly txDays: number[];
  readonly TDays: number[];
}

/** Distinct (x, t_x, T) tuples with counts, from integer days (exact grouping, no float keys). */
function groupTuples(facts: CustomerFacts, unitDays: number): Tuples {
  const index = new Map<number, number>();
  const rows: PurchaseSummaryRow[] = [];
  const txDays: number[] = [];
  const TDays: number[] = [];
  const ofCustomer = new Int32Array(facts.customerCount).fill(-1);
  for (let c = 0; c < facts.customerCount; c++) {
    if (facts.orders[c] === 0) continue;
    const x = facts.events[c] - 1;
    const tx = facts.lastDay[c] - facts.firstDay[c];
    const T = facts.asOfDay - facts.firstDay[c];
    const key = (x * 65_536 + tx) * 65_536 + T;
    let t = index.get(key);
    if (t === undefined) {
      t = rows.length;
      index.set(key, t);
      rows.push({ x, tx: tx / unitDays, T: T / unitDays, count: 0 });
      txDays.push(tx);
      TDays.push(T);
    }
    (rows[t] as { count: number }).count++;
    ofCustomer[c] = t;
  }
  return { rows, ofCustomer, txDays, TDays };
}

function fitReport(fit: FittedCountingModel, timeUnit: TimeUnit): CountingFitReport {
  return { ...(fit.params as unknown as Record<string, number>), logLikelihood: fit.fit.logLikelihood, converged: fit.fit.converged, iterations: fit.fit.iterations, timeUnit };
}

function readinessText(reason: ModelReadinessReason): string {
  return reason.kind === "too-few-repeat-customers"
    ? `only ${reason.repeatCustomers} customers have bought more than once (at least ${reason.required} are needed for a reliable prediction)`
    : `the order history covers ${reason.historyDays} days (at least ${reason.required} are needed)`;
}

function reasonText(x: number, txDays: number, TDays: number): string {
  const r = customerActivityReason({ x, txDays, TDays });
  if (r.kind === "one-time-buyer") return `ordered once, ${r.daysSinceFirst} days ago`;
  const every = `usually orders every ${r.typicalGapDays} day${r.typicalGapDays === 1 ? "" : "s"}; last order ${r.daysSinceLast} days ago`;
  return r.kind === "overdue" ? `${every} (overdue)` : every;
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
 * discounted CLV, next order date, intervals and a plain-language reason. All predictions are
 * computed once per distinct (x, t_x, T) tuple and shared by the customers who have it.
 *
 * Per-customer intervals come from parameter draws of the purchase model (observed information);
 * the store totals' intervals combine purchase and spend draws. Too little data returns
 * `status: "insufficient-data"` with the reason, never a fabricated prediction.
 */
export function storePredictions(
  dataset: StoreDataset,
  facts: CustomerFacts,
  settings: PredictionSettings = DEFAULT_PREDICTION_SETTINGS,
): { section: ModelSection; customers: CustomerPredictions | null } {
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
    };
  }

  const tuples = groupTuples(facts, unitDays);
  const fits = new Map<CountingModelName, FittedCountingModel>();
  for (const name of new Set<CountingModelName>(["bg-nbd", ...settings.candidates])) fits.set(name, fitCountingModelByName(name, tuples.rows));

  // Back-test on a calibration period ending `holdoutDays` before A; choose the default model.
  let defaultModel: CountingModelName = settings.candidates[0] ?? "bg-nbd";
  let chosenBy: "back-test" | "fallback" = "fallback";
  let backtest: FittedModelSection["backtest"];
  const calibrationEnd = facts.asOfDay - settings.holdoutDays;
  const calibration = customerFactsAsOf(dataset, calibrationEnd);
  const backtestCustomers: BacktestCustomer[] = [];
  let calibrationRepeat = 0;
  for (let c = 0; c < calibration.customerCount; c++) {
    if (calibration.orders[c] === 0) continue;
    const x = calibration.events[c] - 1;
    if (x > 0) calibrationRepeat++;
    backtestCustomers.push({
      x,
      tx: (calibration.lastDay[c] - calibration.firstDay[c]) / unitDays,
      T: (calibrationEnd - calibration.firstDay[c]) / unitDays,
      holdoutPurchases: facts.events[c] - calibration.events[c],
    });
  }
  if (calibrationRepeat >= Math.min(settings.minRepeatCustomers, 50) && settings.candidates.length > 0) {
    const choice = chooseDefaultChurnModel(backtestCustomers, settings.holdoutDays / unitDays, settings.candidates);
    defaultModel = choice.model;
    chosenBy = "back-test";
    backtest = {
      holdoutDays: settings.holdoutDays,
      calibrationEnd,
      ranking: choice.ranking.map((r) => ({
        model: r.model,
        customers: r.customers,
        predictedTotal: r.predictedTotal,
        actualTotal: r.actualTotal,
        relativeErrorOfTotal: Number.isFinite(r.relativeErrorOfTotal) ? r.relativeErrorOfTotal : null,
        meanAbsoluteError: r.meanAbsoluteError,
        buckets: r.buckets,
      })),
    };
  } else {
    backtest = { skipped: `the calibration period (up to ${settings.holdoutDays} days before the as-of date) has only ${calibrationRepeat} repeat customers` };
  }
  const model = fits.get(defaultModel)!;

  // Gamma-Gamma on repeat customers with positive mean repeat spend, grouped by (x, cents).
  const spendIndex = new Map<string, number>();
  const spendRows: SpendSummaryRow[] = [];
  let spendCustomers = 0;
  for (let c = 0; c < facts.customerCount; c++) {
    const x = facts.events[c] - 1;
    if (facts.orders[c] === 0 || x < 1) continue;
    const mean = Math.round((facts.repeatEventRevenue[c] / x) * 100) / 100;
    if (!(mean > 0)) continue;
    spendCustomers++;
    const key = `${x}|${mean}`;
    const i = spendIndex.get(key);
    if (i === undefined) {
      spendIndex.set(key, spendRows.length);
      spendRows.push({ x, meanSpend: mean, count: 1 });
    } else (spendRows[i] as { count: number }).count++;
  }
  let gg: GammaGammaParams | null = null;
  let gammaGamma: FittedModelSection["gammaGamma"] = null;
  if (spendCustomers >= 10) {
    const fit = fitGammaGamma(spendRows);
    gg = fit.params;
    gammaGamma = { ...fit.params, logLikelihood: fit.logLikelihood, converged: fit.converged, customers: spendCustomers, spendFrequencyCorrelation: spendFrequencyCorrelation(spendRows) };
  }

  // Per-tuple predictions.
  const k = tuples.rows.length;
  const unitsPerMonth = settings.timeUnit === "week" ? TIME_UNITS_PER_MONTH.weeks : TIME_UNITS_PER_MONTH.days;
  const clvHorizon = settings.clvMonths * unitsPerMonth;
  const tupleAlive = new Float64Array(k);
  const tupleExpected = new Float64Array(k);
  const tupleClvPerSpend = new Float64Array(k);
  const tupleExpectedClvHorizon = new Float64Array(k);
  const tupleNext = new Float64Array(k);
  const tupleReason: string[] = new Array(k);
  for (let t = 0; t < k; t++) {
    const { x, tx, T } = tuples.rows[t];
    tupleAlive[t] = model.probabilityAlive(x, tx, T);
    tupleExpected[t] = model.conditionalExpectedPurchases(settings.horizon, x, tx, T);
    const clv = customerLifetimeValue({
      expectedPurchasesBy: (h) => model.conditionalExpectedPurchases(h, x, tx, T),
      expectedSpend: 1,
      timeUnitsPerMonth: unitsPerMonth,
      months: settings.clvMonths,
      monthlyDiscountRate: settings.monthlyDiscountRate,
    });
    tupleClvPerSpend[t] = clv.value;
    tupleExpectedClvHorizon[t] = clv.expectedPurchases;
    const next = expectedNextPurchase(model, x, tx, T, { maxHorizon: 365 / unitDays });
    tupleNext[t] = next === null ? NaN : facts.asOfDay + Math.round(next.timeFromNow * unitDays);
    tupleReason[t] = reasonText(x, tuples.txDays[t], tuples.TDays[t]);
  }

  // Intervals from parameter draws (observed information of the default model's fit).
  const rng = createSeededRng(settings.seed);
  const wantedDraws = settings.intervalDraws;
  const countDraws = countingModelParameterDraws(defaultModel, tuples.rows, model.params, { draws: wantedDraws, rng }) ?? [];
  const perCustomerIntervals = countDraws.length > 0 && k * countDraws.length * 2 <= settings.intervalEvaluationBudget;
  const drawnModels: BoundCountingModel[] = countDraws.map((p) => bindCountingModel(defaultModel, p));
  const tupleLowE = new Float64Array(k).fill(NaN);
  const tupleHighE = new Float64Array(k).fill(NaN);
  const tupleLowRatio = new Float64Array(k).fill(NaN);
  const tupleHighRatio = new Float64Array(k).fill(NaN);
  const drawTotalsE = new Float64Array(drawnModels.length);
  const drawTotalsClvHorizon = new Float64Array(drawnModels.length);
  // Store totals use a tuple subsample when the store is big, weighted by counts (exact for small stores).
  const stride = perCustomerIntervals ? 1 : Math.max(1, Math.ceil((k * drawnModels.length * 2) / settings.intervalEvaluationBudget));
  const eDraws = new Float64Array(drawnModels.length);
  const rDraws = new Float64Array(drawnModels.length);
  const alpha = (1 - settings.intervalLevel) / 2;
  let sampledClvHorizon = 0;
  for (let t = 0; t < k; t += stride) {
    const { x, tx, T, count } = tuples.rows[t];
    sampledClvHorizon += count * stride * tupleExpectedClvHorizon[t];
    for (let d = 0; d < drawnModels.length; d++) {
      const e = drawnModels[d].conditionalExpectedPurchases(settings.horizon, x, tx, T);
      const eClv = drawnModels[d].conditionalExpectedPurchases(clvHorizon, x, tx, T);
      eDraws[d] = e;
      rDraws[d] = tupleExpectedClvHorizon[t] > 0 ? eClv / tupleExpectedClvHorizon[t] : 1;
      drawTotalsE[d] += count * stride * e;
      drawTotalsClvHorizon[d] += count * stride * eClv;
    }
    if (perCustomerIntervals) {
      eDraws.sort();
      rDraws.sort();
      tupleLowE[t] = quantile(eDraws, alpha);
      tupleHighE[t] = quantile(eDraws, 1 - alpha);
      tupleLowRatio[t] = quantile(rDraws, alpha);
      tupleHighRatio[t] = quantile(rDraws, 1 - alpha);
    }
  }

  // Per-customer rows.
  const n = facts.customerCount;
  const out: CustomerPredictions = {
    pAlive: new Float64Array(n).fill(NaN),
    expectedPurchases: new Float64Array(n).fill(NaN),
    expectedPurchasesLow: new Float64Array(n).fill(NaN),
    expectedPurchasesHigh: new Float64Array(n).fill(NaN),
    expectedSpend: new Float64Array(n).fill(NaN),
    clv: new Float64Array(n).fill(NaN),
    clvLow: new Float64Array(n).fill(NaN),
    clvHigh: new Float64Array(n).fill(NaN),
    nextOrderDay: new Float64Array(n).fill(NaN),
    reason: new Array<string>(n).fill(""),
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
    out.pAlive[c] = tupleAlive[t];
    out.expectedPurchases[c] = tupleExpected[t];
    out.expectedPurchasesLow[c] = tupleLowE[t];
    out.expectedPurchasesHigh[c] = tupleHighE[t];
    out.expectedSpend[c] = spend;
    out.clv[c] = tupleClvPerSpend[t] * spend;
    out.clvLow[c] = out.clv[c] * tupleLowRatio[t];
    out.clvHigh[c] = out.clv[c] * tupleHighRatio[t];
    out.nextOrderDay[c] = tupleNext[t];
    (out.reason as string[])[c] = tupleReason[t];
    totalE += tupleExpected[t];
    totalClv += out.clv[c];
  }
  const sortedE = Float64Array.from(drawTotalsE).sort();
  // Store CLV interval: each draw scales the store's expected purchases over the CLV horizon;
  // the point CLV is scaled by the same ratio (discount profile and spend held at the estimate).
  const clvRatios = Float64Array.from(drawTotalsClvHorizon, (v) => (sampledClvHorizon > 0 ? (v / sampledClvHorizon) * totalClv : NaN)).sort();
  const hasDraws = drawnModels.length > 0;
  const section: FittedModelSection = {
    status: "fitted",
    timeUnit: settings.timeUnit,
    horizon: settings.horizon,
    default: defaultModel,
    defaultChosenBy: chosenBy,
    bgnbd: fitReport(fits.get("bg-nbd")!, settings.timeUnit),
    ...Object.fromEntries([...fits.entries()].filter(([name]) => name !== "bg-nbd").map(([name, fit]) => [MODEL_KEYS[name], fitReport(fit, settings.timeUnit)])),
    gammaGamma,
    backtest,
    totals: {
      expectedPurchases: { estimate: totalE, lower: hasDraws ? quantile(sortedE, alpha) : null, upper: hasDraws ? quantile(sortedE, 1 - alpha) : null },
      clv: { estimate: totalClv, lower: hasDraws ? quantile(clvRatios, alpha) : null, upper: hasDraws ? quantile(clvRatios, 1 - alpha) : null },
      intervalLevel: settings.intervalLevel,
      intervalDraws: drawnModels.length,
      perCustomerIntervals,
    },
  };
  return { section, customers: out };
}
