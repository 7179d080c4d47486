/**
 * Minimiser for the smooth maximum-likelihood objectives of the models: BFGS
 * (`quasi-newton.ts`) from every start, the best converged interior result wins; when no start
 * converges strictly inside the box (a flat or unbounded likelihood, e.g. nobody repeats, or a
 * maximum on the box), it falls back to the bounded Nelder–Mead search (`nelder-mead.ts`),
 * which copes with such surfaces and reports them as not converged.
 *
 * Why not Nelder–Mead alone: it needs ~600–1,500 evaluations per fit and sometimes ran out of
 * iterations on synthetic data; BFGS converges in ~20–40 iterations to a gradient below 1e-8
 * (docs/models/fitting.md has the measurements).
 */

import { invertSymmetricPositiveDefinite } from "./cholesky.ts";
import { minimise, type MinimiseOptions, type MinimiseResult } from "./nelder-mead.ts";
import { hessianFromGradient, numericHessian } from "./numeric-hessian.ts";
import { minimiseQuasiNewton, type ValueAndGradient } from "./quasi-newton.ts";

export interface SmoothMinimiseResult extends MinimiseResult {
  /** Which search produced the point. */
  readonly method: "bfgs" | "nelder-mead";
}

/**
 * True when `point` is a well-determined minimum: the Hessian is positive definite and the
 * Newton step −H⁻¹g from the point is below `NEWTON_STEP_TOLERANCE` in every coordinate. On a
 * surface that keeps falling towards an edge (f = eˣ; BG/NBD when nobody repeats: r → 0) the
 * gradient fades but so does the curvature, and the Newton step stays large.
 */
function isWellDeterminedMinimum(
  objective: (point: readonly number[]) => number,
  valueAndGradient: ((point: readonly number[]) => ValueAndGradient) | undefined,
  point: readonly number[],
  gradient: readonly number[],
): boolean {
  const hessian = valueAndGradient ? hessianFromGradient((p) => valueAndGradient(p).gradient, point, 1e-4) : numericHessian(objective, point, 1e-3);
  const inverse = invertSymmetricPositiveDefinite(hessian);
  if (inverse === null) return false;
  return inverse.every((row) => Math.abs(row.reduce((sum, v, j) => sum + v * gradient[j], 0)) < NEWTON_STEP_TOLERANCE);
}

/** Largest accepted Newton step at a BFGS result (log-parameter units). */
const NEWTON_STEP_TOLERANCE = 1e-4;

/** Iterations per start before the best one continues, and the budget of that final run. */
const SCREENING_ITERATIONS = 6;
const MAX_ITERATIONS = 200;

/** Gradient below which a point that is not a confirmed minimum is taken as a flat ridge. */
const FLAT_GRADIENT = 1e-5;

/** Distance to the box under which a BFGS result counts as on the boundary. */
const BOUNDARY_MARGIN = 1e-3;

export interface SmoothMinimiseOptions extends MinimiseOptions {
  /** `objective` with its analytic gradient in one pass (BFGS and the final curvature check use it). */
  readonly valueAndGradient?: (point: readonly number[]) => ValueAndGradient;
}

/**
 * Minimises `objective` (smooth inside the box) from `starts`.
 *
 * @throws RangeError when no start is given or starts differ in dimension.
 */
export function minimiseSmooth(
  objective: (point: readonly number[]) => number,
  starts: readonly (readonly number[])[],
  options: SmoothMinimiseOptions = {},
): SmoothMinimiseResult {
  if (starts.length === 0) throw new RangeError("minimise needs at least one start");
  const dimension = starts[0].length;
  if (starts.some((s) => s.length !== dimension)) throw new RangeError("starts differ in dimension");
  const lower = options.lower ?? new Array<number>(dimension).fill(-Infinity);
  const upper = options.upper ?? new Array<number>(dimension).fill(Infinity);
  // Screening, as for Nelder–Mead: a few iterations from every start, then only the most
  // promising point continues (a start in a poor basin or on a flat ridge costs little).
  const budget = (iterations: number) => ({ lower, upper, maxIterations: iterations, valueAndGradient: options.valueAndGradient });
  const screened = starts.map((start) => minimiseQuasiNewton(objective, start, budget(starts.length > 1 ? SCREENING_ITERATIONS : MAX_ITERATIONS)));
  let iterations = screened.reduce((sum, run) => sum + run.iterations, 0);
  let evaluations = screened.reduce((sum, run) => sum + run.evaluations, 0);
  let run = screened.reduce((a, b) => (b.value < a.value ? b : a));
  if (!run.converged && Number.isFinite(run.value)) {
    run = minimiseQuasiNewton(objective, run.point, budget(MAX_ITERATIONS));
    iterations += run.iterations;
    evaluations += run.evaluations;
  }
  const interior = run.point.every((v, i) => v - lower[i] > BOUNDARY_MARGIN && upper[i] - v > BOUNDARY_MARGIN);
  let best = run.converged && interior ? run : null;
  // A vanishing gradient is not enough: on a likelihood that keeps rising towards an edge the
  // gradient fades too. Confirm with the curvature (one numeric Hessian, 2n² evaluations).
  if (best !== null && !isWellDeterminedMinimum(objective, options.valueAndGradient, best.point, best.gradient)) best = null;
  // Stopped on the edge of the box, or with a vanishing gradient but no confirmed minimum: the
  // likelihood keeps rising towards an edge or along a flat ridge (nobody repeats: r → 0; no
  // dropout heterogeneity: a, b → ∞ with a/(a+b) fixed). Nelder–Mead would only wander along
  // the same ridge until its iteration cap (4,300 iterations on the 5M-order bench), so report
  // the point as not converged. The fallback stays for a search that failed with a gradient
  // that is still large (iteration budget, non-finite values).
  const onEdge = run.point.some((v, i) => v - lower[i] <= BOUNDARY_MARGIN || upper[i] - v <= BOUNDARY_MARGIN);
  const flat = run.gradient.every((v) => Math.abs(v) < FLAT_GRADIENT);
  if (best === null && (onEdge || flat) && Number.isFinite(run.value)) {
    return { point: run.point, value: run.value, converged: false, iterations, evaluations, method: "bfgs" };
  }
  if (best !== null) return { point: best.point, value: best.value, converged: true, iterations, evaluations, method: "bfgs" };
  const fallback = minimise(objective, starts, options);
  return { ...fallback, iterations: fallback.iterations + iterations, evaluations: fallback.evaluations + evaluations, method: "nelder-mead" };
}
