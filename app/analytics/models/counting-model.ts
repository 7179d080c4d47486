/**
 * Shared maximum-likelihood machinery for the buy-till-you-die "counting" models
 * (BG/NBD, MBG/NBD, Pareto/NBD): fitting in log-parameter space, the observed information
 * matrix, and parameter draws from its asymptotic normal for intervals.
 *
 * Time rescaling: before fitting, tx and T are divided by `timeScale = max(T) / 10` so that
 * the starting points mean the same thing whatever the caller's unit (days, weeks); rate
 * parameters (α, β) are multiplied back afterwards. The reported log-likelihood is on the
 * caller's unit.
 */

import { invertSymmetricPositiveDefinite, cholesky } from "../math/cholesky.ts";
import { minimiseSmooth } from "../math/minimise-smooth.ts";
import { hessianFromGradient, numericHessian } from "../math/numeric-hessian.ts";
import { sampleStandardNormal, type Rng } from "../math/seeded-rng.ts";
import { preparePurchaseSummary, type PreparedSummary, type PurchaseSummaryRow } from "./purchase-summary.ts";

export type CountingModelName = "bg-nbd" | "mbg-nbd" | "pareto-nbd";

export interface CountingModelSpec<P extends object> {
  readonly name: CountingModelName;
  /** Order of the parameter vector. */
  readonly parameterNames: readonly (keyof P & string)[];
  /** Parameters measured in time units (α, β): they scale with the time unit. */
  readonly timeParameters: readonly (keyof P & string)[];
  /** Starting points for data rescaled to max(T) = 10. */
  readonly starts: readonly P[];
  /** Total log-likelihood Σ count · ln L(x, tx, T). */
  logLikelihood(params: P, data: PreparedSummary): number;
  /**
   * The total log-likelihood and its analytic gradient with respect to the log-parameters
   * (θᵢ · ∂LL/∂θᵢ, in `parameterNames` order) in one pass; without it the fit uses finite
   * differences.
   */
  logLikelihoodWithGradient?(params: P, data: PreparedSummary): { value: number; gradient: number[] };
}

/** Result of a maximum-likelihood fit. */
export interface ModelFit<P> {
  readonly params: P;
  /** Maximised log-likelihood, in the caller's time unit. */
  readonly logLikelihood: number;
  /**
   * True when the optimiser confirmed an interior maximum (BFGS: gradient below tolerance and a
   * small Newton step with a positive definite Hessian; Nelder–Mead fallback: the simplex met the
   * tolerance and a restart did not move it) inside the parameter box (|ln θ| < ln 1e6); false
   * means the data do not identify the model. See docs/models/fitting.md.
   */
  readonly converged: boolean;
  readonly iterations: number;
  /** Divisor applied while fitting: to the times for counting models (max(T) / 10), to the spend for Gamma-Gamma (mean spend). */
  readonly scale: number;
}

export interface FitOptions {
  /** Iteration budget of the Nelder–Mead fallback. Default 4000. */
  readonly maxIterations?: number;
  /**
   * Parameters (caller's time unit) to start from instead of the model's default starts — e.g.
   * the full-data fit for the back-test's calibration refit, whose optimum is close by, so one
   * start and a few quasi-Newton iterations suffice. Ignored by Gamma-Gamma.
   */
  readonly startFrom?: Readonly<Record<string, number>>;
}

const LOG_BOUND = Math.log(1e6);

export function paramsFromLogVector<P extends object>(spec: CountingModelSpec<P>, v: readonly number[]): P {
  const params: Record<string, number> = {};
  spec.parameterNames.forEach((name, i) => (params[name] = Math.exp(v[i])));
  return params as P;
}

export function paramsToLogVector<P extends object>(spec: CountingModelSpec<P>, params: P): number[] {
  return spec.parameterNames.map((name) => Math.log((params as Record<string, number>)[name]));
}

/** Multiplies the time parameters by `factor` (changing the time unit of a fit). */
export function rescaleTimeParameters<P extends object>(spec: CountingModelSpec<P>, params: P, factor: number): P {
  const out: Record<string, number> = { ...(params as Record<string, number>) };
  for (const name of spec.timeParameters) out[name] *= factor;
  return out as P;
}

/**
 * Fits a counting model by maximum likelihood on distinct (x, tx, T) tuples with counts.
 *
 * @throws InvalidModelInputError for invalid rows.
 */
export function fitCountingModel<P extends object>(
  spec: CountingModelSpec<P>,
  rows: readonly PurchaseSummaryRow[],
  options: FitOptions = {},
): ModelFit<P> {
  let maxT = 0;
  for (const row of rows) if (row.T > maxT) maxT = row.T;
  const timeScale = maxT > 0 ? maxT / 10 : 1;
  const scaled = preparePurchaseSummary(rows, timeScale);
  const n = scaled.totalCount;
  const objective = (v: readonly number[]): number => -spec.logLikelihood(paramsFromLogVector(spec, v), scaled) / n;
  const withGradient = spec.logLikelihoodWithGradient;
  const valueAndGradient = withGradient
    ? (v: readonly number[]) => {
        const ll = withGradient(paramsFromLogVector(spec, v), scaled);
        return { value: -ll.value / n, gradient: ll.gradient.map((g) => -g / n) };
      }
    : undefined;
  const dimension = spec.parameterNames.length;
  const result = minimiseSmooth(
    objective,
    options.startFrom
      ? [paramsToLogVector(spec, rescaleTimeParameters(spec, options.startFrom as P, 1 / timeScale)).map((v) => Math.min(LOG_BOUND, Math.max(-LOG_BOUND, v)))]
      : spec.starts.map((s) => paramsToLogVector(spec, s)),
    {
      lower: new Array<number>(dimension).fill(-LOG_BOUND),
      upper: new Array<number>(dimension).fill(LOG_BOUND),
      xTolerance: 1e-6,
      fTolerance: 1e-10,
      maxIterations: options.maxIterations ?? 4000,
      valueAndGradient,
    },
  );
  const params = rescaleTimeParameters(spec, paramsFromLogVector(spec, result.point), timeScale);
  const logLikelihood = spec.logLikelihood(params, preparePurchaseSummary(rows));
  // A maximum on the search box is not an interior MLE (e.g. no customer ever repeats, so
  // the likelihood keeps rising as r → 0): report it as not converged.
  const onBoundary = result.point.some((v) => Math.abs(v) > LOG_BOUND - 1e-3);
  return {
    params,
    logLikelihood,
    converged: result.converged && !onBoundary && Number.isFinite(logLikelihood),
    iterations: result.iterations,
    scale: timeScale,
  };
}

/**
 * Covariance of the log-parameters from the observed information matrix (inverse of the
 * Hessian of −LL in log-parameter space, central differences). Null when the information
 * matrix is not positive definite (flat direction: the data cannot pin a parameter down).
 */
export function countingModelLogParameterCovariance<P extends object>(
  spec: CountingModelSpec<P>,
  rows: readonly PurchaseSummaryRow[],
  params: P,
): number[][] | null {
  const data = preparePurchaseSummary(rows);
  const negLL = (v: readonly number[]): number => -spec.logLikelihood(paramsFromLogVector(spec, v), data);
  const withGradient = spec.logLikelihoodWithGradient;
  const hessian = withGradient
    ? hessianFromGradient((v) => withGradient(paramsFromLogVector(spec, v), data).gradient.map((g) => -g), paramsToLogVector(spec, params), 1e-4)
    : numericHessian(negLL, paramsToLogVector(spec, params), 1e-3);
  return invertSymmetricPositiveDefinite(hessian);
}

/** Standard errors of the parameters (delta method from the log-parameter covariance). */
export function countingModelStandardErrors<P extends object>(
  spec: CountingModelSpec<P>,
  rows: readonly PurchaseSummaryRow[],
  params: P,
): P | null {
  const covariance = countingModelLogParameterCovariance(spec, rows, params);
  if (covariance === null) return null;
  const out: Record<string, number> = {};
  spec.parameterNames.forEach((name, i) => {
    out[name] = (params as Record<string, number>)[name] * Math.sqrt(covariance[i][i]);
  });
  return out as P;
}

/**
 * Draws parameter sets from the asymptotic normal of the log-parameters, N(θ̂, I(θ̂)⁻¹).
 * Working in log space keeps every draw positive. Deterministic for a given `rng`.
 * Returns null when the information matrix is not positive definite.
 */
export function sampleParametersFromCovariance<P extends object>(
  parameterNames: readonly (keyof P & string)[],
  params: P,
  logCovariance: readonly (readonly number[])[],
  draws: number,
  rng: Rng,
): P[] | null {
  const lower = cholesky(logCovariance);
  if (lower === null) return null;
  const centre = parameterNames.map((name) => Math.log((params as Record<string, number>)[name]));
  const out: P[] = [];
  for (let d = 0; d < draws; d++) {
    const z = centre.map(() => sampleStandardNormal(rng));
    const draw: Record<string, number> = {};
    parameterNames.forEach((name, i) => {
      let v = centre[i];
      for (let k = 0; k <= i; k++) v += lower[i][k] * z[k];
      draw[name] = Math.exp(v);
    });
    out.push(draw as P);
  }
  return out;
}
