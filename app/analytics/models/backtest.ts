/**
 * Back-test of a counting model: fit on a calibration period, predict each customer's repeat
 * purchases in the hold-out period that follows, compare with what happened — in total and by
 * calibration frequency bucket 0, 1, …, 6, 7+ (the layout of FHL 2005, fig. 4).
 *
 * Error scores: mean absolute error per customer (MAE) of E[Y(holdout) | x, tx, T] against the
 * actual count, its root mean square, and the relative error of the total,
 * (predicted − actual) / actual. P(alive) calibration: predicted against observed share of
 * customers buying in the hold-out, by tenths of P(alive) (`aliveCalibration`).
 *
 * With a yearly pattern, the hold-out expectations are re-weighted by the calendar-month factors
 * estimated on the calibration period alone (no hold-out data), as the app would have predicted
 * at the calibration end (docs/models/backtest.md).
 */

import { countingModelProbabilityAliveOfRows, type CountingModelName, type FitOptions } from "./counting-model.ts";
import { countingModelSpec, fitCountingModelByName, type FittedCountingModel } from "./fitted-counting-model.ts";
import { InvalidModelInputError } from "./invalid-model-input-error.ts";
import { assertCustomerPurchaseSummary, type PurchaseSummaryRow } from "./purchase-summary.ts";
import { withSeasonality, type SeasonalPieces } from "./seasonality.ts";

export interface BacktestCustomer {
  /** Calibration-period summary (time in the model unit). */
  readonly x: number;
  readonly tx: number;
  readonly T: number;
  /** Repeat purchase events the customer actually made in the hold-out period. */
  readonly holdoutPurchases: number;
  /** Customers this row stands for (same summary and hold-out purchases); default 1. */
  readonly count?: number;
  /** Index of this customer's summary in the `calibrationRows` passed along (speeds up P(alive)). */
  readonly row?: number;
}

export interface FrequencyBucket {
  /** "0" … "6", "7+" */
  readonly frequency: string;
  readonly customers: number;
  readonly predictedTotal: number;
  readonly actualTotal: number;
  /** per-customer means (what FHL plot) */
  readonly predictedMean: number;
  readonly actualMean: number;
}

export interface BacktestResult {
  readonly model: CountingModelName;
  readonly fitted: FittedCountingModel;
  readonly holdoutLength: number;
  readonly customers: number;
  readonly predictedTotal: number;
  readonly actualTotal: number;
  /** (predicted − actual) / actual; NaN when there were no actual purchases. */
  readonly relativeErrorOfTotal: number;
  readonly meanAbsoluteError: number;
  /** √(mean squared error per customer): weighs the misses on heavy buyers more than MAE. */
  readonly rootMeanSquaredError: number;
  readonly buckets: readonly FrequencyBucket[];
  /** P(alive) calibration: ten groups of customers by P(alive), low to high. */
  readonly aliveCalibration: readonly AliveCalibrationGroup[];
  /** Whether the hold-out expectations followed the calibration period's yearly pattern. */
  readonly seasonal: boolean;
}

export interface AliveCalibrationGroup {
  readonly fromProbabilityAlive: number;
  readonly toProbabilityAlive: number;
  readonly customers: number;
  readonly meanProbabilityAlive: number;
  /** Mean P(at least one purchase in the hold-out | calibration data). */
  readonly predictedShareBuying: number;
  /** Share of these customers who bought at least once in the hold-out. */
  readonly observedShareBuying: number;
}

const BUCKET_LABELS = ["0", "1", "2", "3", "4", "5", "6", "7+"];

/**
 * Fits `model` on the calibration summaries (grouped into distinct tuples) and compares its
 * hold-out predictions with the actual counts.
 *
 * @throws InvalidModelInputError for an invalid row (field and index), an empty list, or a non-positive hold-out length.
 */
export function backtestModel(
  model: CountingModelName,
  customers: readonly BacktestCustomer[],
  holdoutLength: number,
  options: FitOptions = {},
  /** The calibration summaries already grouped into tuples (as `customers` without hold-out); grouped here when absent. */
  calibrationRows?: readonly PurchaseSummaryRow[],
  /** The calibration period's yearly pattern from its end on (seasonality.ts), or none. */
  seasonal: SeasonalPieces | null = null,
): BacktestResult {
  assertBacktestInput(customers, holdoutLength);
  const fitted = fitCountingModelByName(model, calibrationRows ?? groupBacktestSummaries(customers), options);
  const predictor = withSeasonality(fitted, seasonal);
  const sums = BUCKET_LABELS.map(() => ({ customers: 0, predicted: 0, actual: 0 }));
  let predictedTotal = 0;
  let actualTotal = 0;
  let absoluteError = 0;
  let squaredError = 0;
  // E[Y | x, tx, T] = P(alive | x, tx, T) · E[Y | alive, x, T] (as in store-predictions.ts): the
  // expensive factor depends on (x, T) only, and an exact big store has far fewer (x, T) pairs
  // than customers. Numeric keys: T to 1e-6 time units, x above it.
  const givenAlive = new Map<number, number>();
  const purchaseGivenAlive = new Map<number, number>();
  const pAlive = new Float64Array(customers.length);
  const pBuy = new Float64Array(customers.length);
  // With the calibration rows and each customer's row, P(alive) comes from one likelihood pass.
  const aliveOfRow =
    calibrationRows !== undefined && customers.every((c) => c.row !== undefined && c.row >= 0 && c.row < calibrationRows.length)
      ? countingModelProbabilityAliveOfRows(countingModelSpec(model), calibrationRows, fitted.params)
      : null;
  let customerCount = 0;
  customers.forEach((c, i) => {
    const key = c.x * 4_294_967_296 + Math.round(c.T * 1e6);
    let e = givenAlive.get(key);
    let buy = purchaseGivenAlive.get(key);
    if (e === undefined || buy === undefined) {
      e = predictor.expectedPurchasesGivenAlive(holdoutLength, c.x, c.T);
      buy = fitted.probabilityPurchaseGivenAlive(holdoutLength, c.x, c.T);
      givenAlive.set(key, e);
      purchaseGivenAlive.set(key, buy);
    }
    const alive = aliveOfRow !== null ? aliveOfRow[c.row!] : fitted.probabilityAlive(c.x, c.tx, c.T);
    pAlive[i] = alive;
    pBuy[i] = alive * buy;
    const predicted = alive * e;
    const count = c.count ?? 1;
    const bucket = sums[Math.min(c.x, 7)];
    bucket.customers += count;
    bucket.predicted += count * predicted;
    bucket.actual += count * c.holdoutPurchases;
    predictedTotal += count * predicted;
    actualTotal += count * c.holdoutPurchases;
    absoluteError += count * Math.abs(predicted - c.holdoutPurchases);
    squaredError += count * (predicted - c.holdoutPurchases) ** 2;
    customerCount += count;
  });
  return {
    model,
    fitted,
    holdoutLength,
    customers: customerCount,
    predictedTotal,
    actualTotal,
    relativeErrorOfTotal: actualTotal > 0 ? (predictedTotal - actualTotal) / actualTotal : NaN,
    meanAbsoluteError: absoluteError / customerCount,
    rootMeanSquaredError: Math.sqrt(squaredError / customerCount),
    buckets: sums.map((s, i) => ({
      frequency: BUCKET_LABELS[i],
      customers: s.customers,
      predictedTotal: s.predicted,
      actualTotal: s.actual,
      predictedMean: s.customers > 0 ? s.predicted / s.customers : 0,
      actualMean: s.customers > 0 ? s.actual / s.customers : 0,
    })),
    aliveCalibration: aliveCalibration(customers, pAlive, pBuy),
    seasonal: seasonal !== null,
  };
}

/**
 * Customers ranked by P(alive) at the end of the calibration period and cut into up to ten groups
 * of about a tenth of the customers each (ties, e.g. every BG/NBD one-time buyer at P(alive) = 1,
 * stay in one group, which may then hold more, and leave fewer groups). Per group: the mean P(alive), the predicted
 * share buying at least once in the hold-out (P(alive) · P(a purchase within the hold-out |
 * alive)) and the observed share. A calibrated model has predicted ≈ observed in every group;
 * P(alive) itself bounds the observed share from above (an alive customer need not buy within
 * the hold-out).
 */
function aliveCalibration(customers: readonly BacktestCustomer[], pAlive: Float64Array, pBuy: Float64Array): AliveCalibrationGroup[] {
  // A histogram on a fine P(alive) grid instead of a sort (an exact big store has ~150k rows):
  // the groups' edges fall on the grid, customers with equal P(alive) always share a group.
  const bins = 4096;
  const binOf = (p: number) => Math.min(bins - 1, Math.max(0, Math.floor(p * bins)));
  const binCount = new Float64Array(bins);
  let total = 0;
  customers.forEach((c, i) => {
    binCount[binOf(pAlive[i])] += c.count ?? 1;
    total += c.count ?? 1;
  });
  // Group of each bin: the tenth its cumulative count reaches when it ends.
  const groupOfBin = new Int32Array(bins);
  let cumulative = 0;
  let group = 0;
  for (let b = 0; b < bins; b++) {
    groupOfBin[b] = group;
    cumulative += binCount[b];
    while (group < 9 && cumulative >= (total * (group + 1)) / 10) group++;
  }
  const sums = Array.from({ length: 10 }, () => ({ n: 0, alive: 0, buy: 0, buyers: 0, from: Infinity, to: -Infinity }));
  customers.forEach((c, i) => {
    const g = sums[groupOfBin[binOf(pAlive[i])]];
    const count = c.count ?? 1;
    g.n += count;
    g.alive += count * pAlive[i];
    g.buy += count * pBuy[i];
    if (c.holdoutPurchases > 0) g.buyers += count;
    g.from = Math.min(g.from, pAlive[i]);
    g.to = Math.max(g.to, pAlive[i]);
  });
  return sums
    .filter((g) => g.n > 0)
    .map((g) => ({
      fromProbabilityAlive: g.from,
      toProbabilityAlive: g.to,
      customers: g.n,
      meanProbabilityAlive: g.alive / g.n,
      predictedShareBuying: g.buy / g.n,
      observedShareBuying: g.buyers / g.n,
    }));
}

/** Distinct (x, tx, T) tuples with the number of customers behind them (rows carry counts). */
function groupBacktestSummaries(customers: readonly BacktestCustomer[]): PurchaseSummaryRow[] {
  // Numeric keys (x and T, then t_x, to 1e-6 time units) instead of strings: an exact big store
  // has ~150k calibration tuples.
  const groups = new Map<number, Map<number, { x: number; tx: number; T: number; count: number }>>();
  const rows: { x: number; tx: number; T: number; count: number }[] = [];
  for (const c of customers) {
    const key = c.x * 4_294_967_296 + Math.round(c.T * 1e6);
    let byTx = groups.get(key);
    if (byTx === undefined) {
      byTx = new Map();
      groups.set(key, byTx);
    }
    const txKey = Math.round(c.tx * 1e6);
    const g = byTx.get(txKey);
    if (g) g.count += c.count ?? 1;
    else {
      const row = { x: c.x, tx: c.tx, T: c.T, count: c.count ?? 1 };
      byTx.set(txKey, row);
      rows.push(row);
    }
  }
  return rows;
}

function assertBacktestInput(customers: readonly BacktestCustomer[], holdoutLength: number): void {
  if (!(holdoutLength > 0) || !Number.isFinite(holdoutLength)) {
    throw new InvalidModelInputError("holdoutLength", null, `must be a positive finite length (got ${holdoutLength})`);
  }
  if (customers.length === 0) throw new InvalidModelInputError("customers", null, "is empty: nothing to back-test");
  customers.forEach((c, i) => {
    assertCustomerPurchaseSummary(c, i);
    if (!Number.isInteger(c.holdoutPurchases) || c.holdoutPurchases < 0) {
      throw new InvalidModelInputError("holdoutPurchases", i, `must be an integer ≥ 0 (got ${c.holdoutPurchases})`);
    }
    if (c.count !== undefined && !(Number.isFinite(c.count) && c.count > 0)) {
      throw new InvalidModelInputError("count", i, `must be a positive number of customers (got ${c.count})`);
    }
  });
}

export interface ChurnModelChoice {
  readonly model: CountingModelName;
  /** Back-test of every candidate, best first. */
  readonly ranking: readonly BacktestResult[];
}

/**
 * Picks the merchant-facing churn model among BG/NBD, MBG/NBD and Pareto/NBD by the lowest
 * hold-out MAE per customer (ties, within 1e-9, go to the earlier candidate). BG/NBD stays
 * a candidate — it is excluded only by being worse on the back-test; its P(alive) = 1 for
 * one-time buyers is a known weakness that usually shows up as a worse score when many
 * one-time buyers have left. See docs/models/backtest.md.
 *
 * @throws InvalidModelInputError as backtestModel, or for an empty candidate list.
 */
export function chooseDefaultChurnModel(
  customers: readonly BacktestCustomer[],
  holdoutLength: number,
  candidates: readonly CountingModelName[] = ["mbg-nbd", "pareto-nbd", "bg-nbd"],
  options: FitOptions = {},
  /** Per model, parameters to start the calibration fit from (see FitOptions.startFrom). */
  warmStarts: Partial<Record<CountingModelName, Readonly<Record<string, number>>>> = {},
  /** Per model, the curvature to warm-start with (see FitOptions.curvature; needs a warm start). */
  curvatures: Partial<Record<CountingModelName, readonly (readonly number[])[]>> = {},
  /** See backtestModel. */
  calibrationRows?: readonly PurchaseSummaryRow[],
  seasonal: SeasonalPieces | null = null,
): ChurnModelChoice {
  if (candidates.length === 0) throw new InvalidModelInputError("candidates", null, "is empty");
  const results = candidates.map((model) => backtestModel(model, customers, holdoutLength, { ...options, startFrom: warmStarts[model] ?? options.startFrom, curvature: warmStarts[model] ? (curvatures[model] ?? options.curvature) : options.curvature }, calibrationRows, seasonal));
  const ranking = results
    .map((result, order) => ({ result, order }))
    .sort((p, q) => {
      // A model whose predictions are not finite (NaN error) ranks last, never first.
      const pBad = !Number.isFinite(p.result.meanAbsoluteError);
      const qBad = !Number.isFinite(q.result.meanAbsoluteError);
      if (pBad !== qBad) return pBad ? 1 : -1;
      const d = p.result.meanAbsoluteError - q.result.meanAbsoluteError;
      return Math.abs(d) > 1e-9 ? d : p.order - q.order;
    })
    .map((e) => e.result);
  return { model: ranking[0].model, ranking };
}
