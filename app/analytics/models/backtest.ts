/**
 * Back-test of a counting model: fit on a calibration period, predict each customer's repeat
 * purchases in the hold-out period that follows, compare with what happened — in total and by
 * calibration frequency bucket 0, 1, …, 6, 7+ (the layout of FHL 2005, fig. 4).
 *
 * Error scores: mean absolute error per customer (MAE) of E[Y(holdout) | x, tx, T] against the
 * actual count, and the relative error of the total, (predicted − actual) / actual.
 */

import { type CountingModelName, type FitOptions } from "./counting-model.ts";
import { fitCountingModelByName, type FittedCountingModel } from "./fitted-counting-model.ts";
import { InvalidModelInputError } from "./invalid-model-input-error.ts";
import { assertCustomerPurchaseSummary, type PurchaseSummaryRow } from "./purchase-summary.ts";

export interface BacktestCustomer {
  /** Calibration-period summary (time in the model unit). */
  readonly x: number;
  readonly tx: number;
  readonly T: number;
  /** Repeat purchase events the customer actually made in the hold-out period. */
  readonly holdoutPurchases: number;
  /** Customers this row stands for (same summary and hold-out purchases); default 1. */
  readonly count?: number;
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
  readonly buckets: readonly FrequencyBucket[];
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
): BacktestResult {
  assertBacktestInput(customers, holdoutLength);
  const fitted = fitCountingModelByName(model, groupBacktestSummaries(customers), options);
  const sums = BUCKET_LABELS.map(() => ({ customers: 0, predicted: 0, actual: 0 }));
  let predictedTotal = 0;
  let actualTotal = 0;
  let absoluteError = 0;
  // Customers sharing a tuple share a prediction: cache it.
  const cache = new Map<string, number>();
  let customerCount = 0;
  for (const c of customers) {
    const key = `${c.x}|${c.tx}|${c.T}`;
    let predicted = cache.get(key);
    if (predicted === undefined) {
      predicted = fitted.conditionalExpectedPurchases(holdoutLength, c.x, c.tx, c.T);
      cache.set(key, predicted);
    }
    const count = c.count ?? 1;
    const bucket = sums[Math.min(c.x, 7)];
    bucket.customers += count;
    bucket.predicted += count * predicted;
    bucket.actual += count * c.holdoutPurchases;
    predictedTotal += count * predicted;
    actualTotal += count * c.holdoutPurchases;
    absoluteError += count * Math.abs(predicted - c.holdoutPurchases);
    customerCount += count;
  }
  return {
    model,
    fitted,
    holdoutLength,
    customers: customerCount,
    predictedTotal,
    actualTotal,
    relativeErrorOfTotal: actualTotal > 0 ? (predictedTotal - actualTotal) / actualTotal : NaN,
    meanAbsoluteError: absoluteError / customerCount,
    buckets: sums.map((s, i) => ({
      frequency: BUCKET_LABELS[i],
      customers: s.customers,
      predictedTotal: s.predicted,
      actualTotal: s.actual,
      predictedMean: s.customers > 0 ? s.predicted / s.customers : 0,
      actualMean: s.customers > 0 ? s.actual / s.customers : 0,
    })),
  };
}

/** Distinct (x, tx, T) tuples with the number of customers behind them (rows carry counts). */
function groupBacktestSummaries(customers: readonly BacktestCustomer[]): PurchaseSummaryRow[] {
  const groups = new Map<string, { x: number; tx: number; T: number; count: number }>();
  for (const c of customers) {
    const key = `${c.x}|${c.tx}|${c.T}`;
    const g = groups.get(key);
    if (g) g.count += c.count ?? 1;
    else groups.set(key, { x: c.x, tx: c.tx, T: c.T, count: c.count ?? 1 });
  }
  return [...groups.values()];
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
): ChurnModelChoice {
  if (candidates.length === 0) throw new InvalidModelInputError("candidates", null, "is empty");
  const results = candidates.map((model) => backtestModel(model, customers, holdoutLength, { ...options, startFrom: warmStarts[model] ?? options.startFrom }));
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
