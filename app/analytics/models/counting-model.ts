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
import { minimiseQuasiNewton } from "../math/quasi-newton.ts";
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
  /**
   * Reference parameters in weeks, the centre of the empirical-Bayes prior for small stores:
   * the model's published fit on the CDNOW sample (docs/models/prior.md).
   */
  readonly reference: P;
  /** Starting points for data rescaled to max(T) = 10. */
  readonly starts: readonly P[];
  /**
   * Total log-likelihood Σ count · ln L(x, tx, T); with `aliveOut`, also each row's
   * P(alive | x, tx, T) (the alive part of its likelihood over the whole), in row order.
   */
  logLikelihood(params: P, data: PreparedSummary, aliveOut?: Float64Array): number;
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
  /**
   * With `startFrom`: the Hessian of −LL per customer in log-parameter space near that point
   * (`countingModelCurvature`, e.g. of the same customers on a coarse day grid, which costs a
   * fraction of the exact data). The search then starts with Newton steps and a big store's
   * exact fit takes a handful of likelihood evaluations instead of dozens; the same matrix
   * confirms the optimum (positive definite, Newton step below 1e-4). Falls back to the default
   * search when that quick search does not converge.
   */
  readonly curvature?: readonly (readonly number[])[];
  /**
   * Empirical-Bayes prior (docs/models/prior.md): independent normal priors on the
   * log-parameters, ln θᵢ ~ N(meanᵢ, sdᵢ²), in `parameterNames` order and the caller's time unit.
   * The fit is then the posterior mode (MAP); with many customers the likelihood dominates and
   * the prior's pull vanishes.
   */
  readonly prior?: LogNormalPrior;
  /**
   * Use the model's reference prior (`CountingModelSpec.reference`: the published CDNOW fit,
   * docs/models/prior.md) centred in the caller's time unit, with standard deviation `sd`
   * (default 1) on every log-parameter. Ignored when `prior` is given.
   */
  readonly referencePrior?: { readonly timeUnitsPerWeek: number; readonly sd?: number };
}

/** Default spread of the reference prior: a factor e ≈ 2.7 either way per parameter (1 sd). */
export const REFERENCE_PRIOR_SD = 1;

/** The model's reference prior in a time unit with `timeUnitsPerWeek` units per week. */
export function referenceLogNormalPrior<P extends object>(spec: CountingModelSpec<P>, options: { readonly timeUnitsPerWeek: number; readonly sd?: number }): LogNormalPrior {
  const sd = options.sd ?? REFERENCE_PRIOR_SD;
  return {
    // A rate parameter in weeks times the units per week (α days = 7 · α weeks).
    mean: spec.parameterNames.map((name) => Math.log((spec.reference as Record<string, number>)[name]) + (spec.timeParameters.includes(name) ? Math.log(options.timeUnitsPerWeek) : 0)),
    sd: spec.parameterNames.map(() => sd),
  };
}

/** Independent normal priors on the log-parameters (caller's time unit). */
export interface LogNormalPrior {
  readonly mean: readonly number[];
  readonly sd: readonly number[];
}

const LOG_BOUND = Math.log(1e6);

/** Above this many tuples a fit without a start first fits a systematic sample of ~PILOT_TUPLES. */
const PILOT_ABOVE_TUPLES = 6_000;
const PILOT_TUPLES = 1_500;

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
 * The rescaled column copy of `rows`, shared by the fits of every model on the same rows (an
 * exact big store's copy takes as long as a few likelihood evaluations). Keyed by the rows
 * array itself, which callers do not mutate; held only as long as the rows are.
 */
const preparedByRows = new WeakMap<readonly PurchaseSummaryRow[], { timeScale: number; data: PreparedSummary }>();
function preparedFor(rows: readonly PurchaseSummaryRow[], timeScale: number): PreparedSummary {
  const cached = preparedByRows.get(rows);
  if (cached !== undefined && cached.timeScale === timeScale && cached.data.x.length === rows.length) return cached.data;
  const data = preparePurchaseSummary(rows, timeScale);
  preparedByRows.set(rows, { timeScale, data });
  return data;
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
  if (options.startFrom === undefined && rows.length > PILOT_ABOVE_TUPLES && spec.logLikelihoodWithGradient) {
    // Better starting point: fit every k-th tuple first (a systematic sample of ~1,500), then
    // take Newton-like steps on all tuples from there with the sample's curvature. The full
    // data then costs ~6 likelihood evaluations instead of ~35 (docs/models/fitting.md).
    const stride = Math.ceil(rows.length / PILOT_TUPLES);
    const pilotRows = rows.filter((_, i) => i % stride === 0);
    const pilot = fitCountingModel(spec, pilotRows, options);
    if (pilot.converged) {
      const curvature = countingModelCurvature(spec, pilotRows, pilot.params);
      return fitCountingModel(spec, rows, { ...options, startFrom: pilot.params as Record<string, number>, curvature });
    }
  }
  let maxT = 0;
  for (const row of rows) if (row.T > maxT) maxT = row.T;
  const timeScale = maxT > 0 ? maxT / 10 : 1;
  const scaled = preparedFor(rows, timeScale);
  const n = scaled.totalCount;
  const dimension = spec.parameterNames.length;
  // The prior's mean in the fit's rescaled time unit: ln θ shifts by −ln(timeScale) for α, β.
  const prior = options.prior ?? (options.referencePrior ? referenceLogNormalPrior(spec, options.referencePrior) : undefined);
  const priorMean = prior
    ? spec.parameterNames.map((name, i) => prior.mean[i] - (spec.timeParameters.includes(name) ? Math.log(timeScale) : 0))
    : null;
  const logPrior = (v: readonly number[]): { value: number; gradient: number[] } => {
    if (prior === undefined || priorMean === null) return { value: 0, gradient: new Array<number>(dimension).fill(0) };
    let value = 0;
    const gradient = new Array<number>(dimension);
    for (let i = 0; i < dimension; i++) {
      const z = (v[i] - priorMean[i]) / prior.sd[i];
      value -= 0.5 * z * z;
      gradient[i] = -z / prior.sd[i];
    }
    return { value, gradient };
  };
  const objective = (v: readonly number[]): number => -(spec.logLikelihood(paramsFromLogVector(spec, v), scaled) + logPrior(v).value) / n;
  const withGradient = spec.logLikelihoodWithGradient;
  const valueAndGradient = withGradient
    ? (v: readonly number[]) => {
        const ll = withGradient(paramsFromLogVector(spec, v), scaled);
        const lp = logPrior(v);
        return { value: -(ll.value + lp.value) / n, gradient: ll.gradient.map((g, i) => -(g + lp.gradient[i]) / n) };
      }
    : undefined;
  const lower = new Array<number>(dimension).fill(-LOG_BOUND);
  const upper = new Array<number>(dimension).fill(LOG_BOUND);
  const warmStart = options.startFrom
    ? paramsToLogVector(spec, rescaleTimeParameters(spec, options.startFrom as P, 1 / timeScale)).map((v) => Math.min(LOG_BOUND, Math.max(-LOG_BOUND, v)))
    : null;
  const result =
    (warmStart && options.curvature && valueAndGradient ? newtonFromCurvature(objective, valueAndGradient, warmStart, options.curvature, lower, upper) : null) ??
    minimiseSmooth(objective, warmStart ? [warmStart] : spec.starts.map((s) => paramsToLogVector(spec, s)), {
      lower,
      upper,
      xTolerance: 1e-6,
      fTolerance: 1e-10,
      maxIterations: options.maxIterations ?? 4000,
      valueAndGradient,
    });
  const params = rescaleTimeParameters(spec, paramsFromLogVector(spec, result.point), timeScale);
  // Back to the caller's time unit without another pass over the data: dividing the times by c
  // multiplies each customer's likelihood (a density of x purchase times) by cˣ.
  // Without a prior the search's last value is −LL/N at the point (one pass over the data less).
  const scaledLogLikelihood =
    prior === undefined && "value" in result && Number.isFinite(result.value) ? -result.value * n : spec.logLikelihood(paramsFromLogVector(spec, result.point), scaled);
  let repeatPurchases = 0;
  for (let i = 0; i < scaled.x.length; i++) repeatPurchases += scaled.count[i] * scaled.x[i];
  const logLikelihood = scaledLogLikelihood - repeatPurchases * Math.log(timeScale);
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
 * Quasi-Newton search from `start` whose first inverse Hessian is the inverse of `curvature`
 * (a Newton step); returns null when it does not converge to a confirmed interior minimum, so
 * the caller falls back to the general search.
 */
function newtonFromCurvature(
  objective: (v: readonly number[]) => number,
  valueAndGradient: (v: readonly number[]) => { value: number; gradient: number[] },
  start: readonly number[],
  curvature: readonly (readonly number[])[],
  lower: readonly number[],
  upper: readonly number[],
): { point: number[]; value: number; converged: boolean; iterations: number } | null {
  const inverse = invertSymmetricPositiveDefinite(curvature.map((row) => [...row]));
  if (inverse === null) return null;
  const newtonStep = (gradient: readonly number[]) => inverse.map((row) => Math.abs(row.reduce((sum, v, j) => sum + v * gradient[j], 0)));
  // At the optimum when the Newton step is below 1e-5 in every log-parameter, i.e. every
  // parameter within 0.001 % of the optimum (the same curvature confirms a well-determined
  // minimum: it is the Hessian of nearby data). Far inside the statistical uncertainty of any
  // store big enough to get here (standard errors of 10⁻³–10⁻² in log-parameters), and it stops
  // the search before the gradient's rounding floor (a sum over ~10⁵ tuples; Pareto/NBD's ₂F₁
  // partials by differences above z = 0.9) makes it spend its line searches there. 1e-6 was
  // below that floor for the MBG/NBD fit of the 1M-order store as loaded from the database
  // (steps stuck at 1.3–1.8e-6): 100 evaluations at the floor, then the general search from the
  // warm start, 0.8 s of the analysis (bench/RESULTS.md, ninth session).
  const atOptimum = (gradient: readonly number[]) => newtonStep(gradient).every((v) => v < 1e-5);
  const run = minimiseQuasiNewton(objective, start, { lower, upper, maxIterations: 40, valueAndGradient, initialInverseHessian: inverse, isConverged: (_, g) => atOptimum(g) });
  const interior = run.point.every((v, i) => v - lower[i] > 1e-3 && upper[i] - v > 1e-3);
  if (!interior || !atOptimum(run.gradient)) return null;
  return { point: run.point, value: run.value, converged: true, iterations: run.iterations };
}

/**
 * Hessian of −LL per customer in log-parameter space at `params` (central differences of the
 * analytic gradient): the `curvature` to warm-start a fit of similar data with.
 */
export function countingModelCurvature<P extends object>(spec: CountingModelSpec<P>, rows: readonly PurchaseSummaryRow[], params: P): number[][] {
  const data = preparePurchaseSummary(rows);
  const withGradient = spec.logLikelihoodWithGradient;
  const n = data.totalCount;
  const negLL = (v: readonly number[]): number => -spec.logLikelihood(paramsFromLogVector(spec, v), data) / n;
  return withGradient
    ? hessianFromGradient((v) => withGradient(paramsFromLogVector(spec, v), data).gradient.map((g) => -g / n), paramsToLogVector(spec, params), 1e-4)
    : numericHessian(negLL, paramsToLogVector(spec, params), 1e-3);
}

/**
 * P(alive | x, tx, T) of every row in one likelihood pass: the per-(x, T) and per-(x, t_x)
 * tables of the likelihood are shared by the rows (Pareto/NBD's ₂F₁ terms, one per row through
 * `paretoNbdProbabilityAlive`, are the cost of a big store's back-test otherwise). Uses the
 * fit's cached column copy of `rows` when there is one.
 */
export function countingModelProbabilityAliveOfRows<P extends object>(spec: CountingModelSpec<P>, rows: readonly PurchaseSummaryRow[], params: P): Float64Array {
  let maxT = 0;
  for (const row of rows) if (row.T > maxT) maxT = row.T;
  const timeScale = maxT > 0 ? maxT / 10 : 1;
  const data = preparedFor(rows, timeScale);
  const out = new Float64Array(rows.length);
  // P(alive) does not depend on the time unit: alive and dead scale alike.
  spec.logLikelihood(rescaleTimeParameters(spec, params, 1 / timeScale), data, out);
  return out;
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
  /** A fit with a prior: its precision 1/sd² adds to the information (posterior covariance). */
  prior?: LogNormalPrior,
): number[][] | null {
  const data = preparePurchaseSummary(rows);
  const negLL = (v: readonly number[]): number => -spec.logLikelihood(paramsFromLogVector(spec, v), data);
  const withGradient = spec.logLikelihoodWithGradient;
  const hessian = withGradient
    ? hessianFromGradient((v) => withGradient(paramsFromLogVector(spec, v), data).gradient.map((g) => -g), paramsToLogVector(spec, params), 1e-4)
    : numericHessian(negLL, paramsToLogVector(spec, params), 1e-3);
  if (prior) for (let i = 0; i < hessian.length; i++) hessian[i][i] += 1 / (prior.sd[i] * prior.sd[i]);
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
