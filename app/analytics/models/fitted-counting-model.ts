/**
 * One interface over the three counting models, so callers (CLI, per-customer scores,
 * back-test) can switch model by name: predictions are bound to a parameter set.
 */

import {
  bgNbdConditionalExpectedPurchases,
  bgNbdExpectedPurchases,
  bgNbdExpectedPurchasesGivenAlive,
  bgNbdModel,
  bgNbdProbabilityAlive,
  bgNbdProbabilityAliveAtRecencies,
  type BgNbdParams,
} from "./bg-nbd.ts";
import { fitCountingModel, type CountingModelName, type CountingModelSpec, type FitOptions, type ModelFit } from "./counting-model.ts";
import {
  mbgNbdConditionalExpectedPurchases,
  mbgNbdExpectedPurchases,
  mbgNbdExpectedPurchasesGivenAlive,
  mbgNbdModel,
  mbgNbdProbabilityAlive,
  mbgNbdProbabilityAliveAtRecencies,
} from "./mbg-nbd.ts";
import {
  paretoNbdConditionalExpectedPurchases,
  paretoNbdExpectedPurchases,
  paretoNbdExpectedPurchasesGivenAlive,
  paretoNbdModel,
  paretoNbdProbabilityAlive,
  paretoNbdProbabilityAliveAtRecencies,
  type ParetoNbdParams,
} from "./pareto-nbd.ts";
import { bgFamilyProbabilityPurchaseWithin, paretoNbdProbabilityPurchaseWithin } from "./next-purchase-distribution.ts";
import type { PurchaseSummaryRow } from "./purchase-summary.ts";

export type CountingModelParams = BgNbdParams | ParetoNbdParams;

/** Predictions of one model with its parameters bound; times in the fit's unit. */
export interface BoundCountingModel {
  readonly model: CountingModelName;
  readonly params: CountingModelParams;
  /** P(alive at T | x, tx, T) */
  probabilityAlive(x: number, tx: number, T: number): number;
  /** P(alive) of every customer with `x` and `T` at each of the `recencies` (their t_x), into `out`. */
  probabilityAliveAtRecencies(x: number, T: number, recencies: Float64Array, out: Float64Array): void;
  /** E[repeat purchases in (T, T+t] | x, tx, T] */
  conditionalExpectedPurchases(t: number, x: number, tx: number, T: number): number;
  /** E[repeat purchases in (T, T+t] | alive at T, x] */
  expectedPurchasesGivenAlive(t: number, x: number, T: number): number;
  /** E[repeat purchases in (0, t]] for a new customer */
  expectedPurchases(t: number): number;
  /** P(at least one purchase in (T, T+t] | alive at T, x): the next-purchase time's CDF */
  probabilityPurchaseGivenAlive(t: number, x: number, T: number): number;
}

export interface FittedCountingModel extends BoundCountingModel {
  readonly fit: ModelFit<CountingModelParams>;
}

interface ModelTable<P extends object> {
  spec: CountingModelSpec<P>;
  probabilityAlive(p: P, x: number, tx: number, T: number): number;
  probabilityAliveAtRecencies(p: P, x: number, T: number, recencies: Float64Array, out: Float64Array): void;
  conditional(p: P, t: number, x: number, tx: number, T: number): number;
  givenAlive(p: P, t: number, x: number, T: number): number;
  unconditional(p: P, t: number): number;
  purchaseWithin(p: P, t: number, x: number, T: number): number;
}

const bg: ModelTable<BgNbdParams> = {
  spec: bgNbdModel,
  probabilityAlive: bgNbdProbabilityAlive,
  probabilityAliveAtRecencies: bgNbdProbabilityAliveAtRecencies,
  conditional: bgNbdConditionalExpectedPurchases,
  givenAlive: bgNbdExpectedPurchasesGivenAlive,
  unconditional: bgNbdExpectedPurchases,
  purchaseWithin: bgFamilyProbabilityPurchaseWithin,
};
const mbg: ModelTable<BgNbdParams> = {
  spec: mbgNbdModel,
  probabilityAlive: mbgNbdProbabilityAlive,
  probabilityAliveAtRecencies: mbgNbdProbabilityAliveAtRecencies,
  conditional: mbgNbdConditionalExpectedPurchases,
  givenAlive: mbgNbdExpectedPurchasesGivenAlive,
  unconditional: mbgNbdExpectedPurchases,
  purchaseWithin: bgFamilyProbabilityPurchaseWithin,
};
const pareto: ModelTable<ParetoNbdParams> = {
  spec: paretoNbdModel,
  probabilityAlive: paretoNbdProbabilityAlive,
  probabilityAliveAtRecencies: paretoNbdProbabilityAliveAtRecencies,
  conditional: paretoNbdConditionalExpectedPurchases,
  givenAlive: paretoNbdExpectedPurchasesGivenAlive,
  unconditional: paretoNbdExpectedPurchases,
  purchaseWithin: paretoNbdProbabilityPurchaseWithin,
};

function bindTable<P extends object>(model: CountingModelName, table: ModelTable<P>, params: P): BoundCountingModel {
  return {
    model,
    params: params as unknown as CountingModelParams,
    probabilityAlive: (x, tx, T) => table.probabilityAlive(params, x, tx, T),
    probabilityAliveAtRecencies: (x, T, recencies, out) => table.probabilityAliveAtRecencies(params, x, T, recencies, out),
    conditionalExpectedPurchases: (t, x, tx, T) => table.conditional(params, t, x, tx, T),
    expectedPurchasesGivenAlive: (t, x, T) => table.givenAlive(params, t, x, T),
    expectedPurchases: (t) => table.unconditional(params, t),
    probabilityPurchaseGivenAlive: (t, x, T) => table.purchaseWithin(params, t, x, T),
  };
}

function isParetoParams(params: CountingModelParams): params is ParetoNbdParams {
  return "s" in params && "beta" in params;
}

function isBgParams(params: CountingModelParams): params is BgNbdParams {
  return "a" in params && "b" in params;
}

/**
 * Binds a parameter set to its model's predictions.
 *
 * @throws TypeError when the parameters do not belong to the model (e.g. Pareto/NBD
 *   parameters for "bg-nbd").
 */
export function bindCountingModel(model: CountingModelName, params: CountingModelParams): BoundCountingModel {
  if (model === "pareto-nbd") {
    if (!isParetoParams(params)) throw new TypeError("pareto-nbd needs parameters { r, alpha, s, beta }");
    return bindTable(model, pareto, params);
  }
  if (!isBgParams(params)) throw new TypeError(`${model} needs parameters { r, alpha, a, b }`);
  return bindTable(model, model === "bg-nbd" ? bg : mbg, params);
}

/** The likelihood description of a model (for covariance and parameter draws). */
export function countingModelSpec(model: CountingModelName): CountingModelSpec<CountingModelParams> {
  const spec = model === "pareto-nbd" ? paretoNbdModel : model === "bg-nbd" ? bgNbdModel : mbgNbdModel;
  return spec as unknown as CountingModelSpec<CountingModelParams>;
}

/**
 * Fits the named model on distinct (x, tx, T) tuples and binds its predictions.
 *
 * @throws InvalidModelInputError for invalid rows.
 */
export function fitCountingModelByName(
  model: CountingModelName,
  rows: readonly PurchaseSummaryRow[],
  options: FitOptions = {},
): FittedCountingModel {
  const fit = fitCountingModel(countingModelSpec(model), rows, options);
  return { ...bindCountingModel(model, fit.params), fit };
}
