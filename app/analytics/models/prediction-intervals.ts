/**
 * Intervals for model predictions (predicted purchases, CLV) by sampling parameter sets from
 * the asymptotic normal distribution of the maximum-likelihood estimate, N(θ̂, I(θ̂)⁻¹) in
 * log-parameter space (observed information from a numeric Hessian), and reading percentiles
 * of the prediction over the draws. This reflects parameter uncertainty only (how well the
 * shop's data pins down the model), not the Poisson noise of an individual customer's
 * purchases; it narrows as the shop gets more customers. Deterministic for a seeded `rng`.
 * See docs/models/intervals.md.
 */

import type { Rng } from "../math/seeded-rng.ts";
import { countingModelLogParameterCovariance, sampleParametersFromCovariance, type CountingModelName, type LogNormalPrior } from "./counting-model.ts";
import { countingModelSpec, type CountingModelParams } from "./fitted-counting-model.ts";
import { gammaGammaLogParameterCovariance, gammaGammaParameterNames, type GammaGammaParams, type SpendSummaryRow } from "./gamma-gamma.ts";
import { InvalidModelInputError } from "./invalid-model-input-error.ts";
import type { PurchaseSummaryRow } from "./purchase-summary.ts";

export interface ParameterDrawOptions {
  /** Number of parameter sets. Default 200. */
  readonly draws?: number;
  /** Uniform [0, 1) source, e.g. createSeededRng(seed). */
  readonly rng: Rng;
  /** The prior the fit used (counting models): draws then come from the posterior's normal approximation. */
  readonly prior?: LogNormalPrior;
}

/**
 * Parameter sets drawn from the fit's asymptotic normal (log space). Null when the observed
 * information matrix is not positive definite (then no interval can be given).
 */
export function countingModelParameterDraws(
  model: CountingModelName,
  rows: readonly PurchaseSummaryRow[],
  params: CountingModelParams,
  options: ParameterDrawOptions,
): CountingModelParams[] | null {
  const spec = countingModelSpec(model);
  const covariance = countingModelLogParameterCovariance(spec, rows, params, options.prior);
  if (covariance === null) return null;
  return sampleParametersFromCovariance(spec.parameterNames, params, covariance, drawCount(options), options.rng);
}

/** Gamma-Gamma parameter sets from the fit's asymptotic normal (log space); null if not identified. */
export function gammaGammaParameterDraws(
  rows: readonly SpendSummaryRow[],
  params: GammaGammaParams,
  options: ParameterDrawOptions,
): GammaGammaParams[] | null {
  const covariance = gammaGammaLogParameterCovariance(params, rows);
  if (covariance === null) return null;
  return sampleParametersFromCovariance(gammaGammaParameterNames, params, covariance, drawCount(options), options.rng);
}

function drawCount(options: ParameterDrawOptions): number {
  const draws = options.draws ?? 200;
  if (!Number.isInteger(draws) || draws < 2) throw new InvalidModelInputError("draws", null, `must be an integer ≥ 2 (got ${draws})`);
  return draws;
}

export interface PredictionInterval {
  /** The prediction at the fitted parameters. */
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
  /** Central probability covered, e.g. 0.9. */
  readonly level: number;
}

/**
 * Equal-tailed percentile interval of `drawnValues` (linear interpolation between order
 * statistics, Hyndman & Fan type 7), reported around the point `estimate`. Non-finite draws
 * are an error rather than being dropped.
 *
 * @throws InvalidModelInputError for fewer than 2 values, a non-finite value or a level outside (0, 1).
 */
export function percentileInterval(estimate: number, drawnValues: readonly number[], level = 0.9): PredictionInterval {
  if (!(level > 0 && level < 1)) throw new InvalidModelInputError("level", null, `must be in (0, 1) (got ${level})`);
  if (drawnValues.length < 2) throw new InvalidModelInputError("drawnValues", null, "needs at least 2 values");
  drawnValues.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new InvalidModelInputError("drawnValues", i, `must be finite (got ${v})`);
  });
  const sorted = [...drawnValues].sort((p, q) => p - q);
  const quantile = (prob: number): number => {
    const h = (sorted.length - 1) * prob;
    const lo = Math.floor(h);
    const hi = Math.ceil(h);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  };
  const tail = (1 - level) / 2;
  return {
    estimate,
    lower: quantile(tail),
    upper: quantile(1 - tail),
    level,
  };
}
