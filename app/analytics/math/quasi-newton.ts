/**
 * BFGS quasi-Newton minimiser (Nocedal & Wright 2006, "Numerical Optimization", 2nd ed.,
 * Algorithm 6.1, inverse-Hessian update eq. 6.17, initial scaling eq. 6.20) with a
 * backtracking Armijo line search (Algorithm 3.1) and central-difference gradients.
 *
 * Why: the model log-likelihoods here are smooth in log-parameter space, and Nelder–Mead needs
 * ~600–1,500 objective evaluations per fit where BFGS needs ~20–40 iterations of ~10
 * evaluations each. Gradients are central differences (2·n evaluations; error ≈ 1e-10 at
 * step 1e-5 for objectives of order 1), so the module works unchanged for every model.
 * Points outside the box score +∞ (the line search backs off from them); a gradient next to
 * the box uses a one-sided difference. A caller with an analytic gradient passes
 * `options.valueAndGradient` (value and gradient in one pass: the line search's accepted point
 * already carries its gradient, instead of n or 2n more evaluations, and no difference noise).
 */

/** Gradient size (max component) above which forward differences are used. */
const FORWARD_DIFFERENCE_ABOVE = 1e-3;

export interface QuasiNewtonOptions {
  readonly lower?: readonly number[];
  readonly upper?: readonly number[];
  /** Converged when every gradient component is below this (absolute). Default 1e-8. */
  readonly gradientTolerance?: number;
  /** Iteration budget (one line search each). Default 200. */
  readonly maxIterations?: number;
  /** Finite-difference step per coordinate. Default 1e-5. */
  readonly differenceStep?: number;
  /** Largest move per coordinate in one iteration (keeps early steps from overflowing). Default 2. */
  readonly maxStep?: number;
  /**
   * The objective and its analytic gradient at a point inside the box, in one pass; replaces
   * `objective` and the finite differences. The value must equal `objective(point)`.
   * Non-finite components make the search fail as a non-finite difference would.
   */
  readonly valueAndGradient?: (point: readonly number[]) => ValueAndGradient;
  /**
   * Inverse Hessian to start from (e.g. from a fit of similar data): the first step is then a
   * Newton step, and a start near the minimum converges in a few iterations instead of
   * re-learning the curvature from the identity.
   */
  readonly initialInverseHessian?: readonly (readonly number[])[];
  /**
   * An extra stopping rule checked with the gradient one (e.g. a Newton step below a tolerance):
   * stops a search whose gradient cannot reach `gradientTolerance` through rounding noise
   * before it spends its line searches at the noise floor.
   */
  readonly isConverged?: (point: readonly number[], gradient: readonly number[]) => boolean;
}

export interface ValueAndGradient {
  readonly value: number;
  readonly gradient: number[];
}

export interface QuasiNewtonResult {
  readonly point: number[];
  readonly value: number;
  readonly gradient: number[];
  readonly converged: boolean;
  readonly iterations: number;
  readonly evaluations: number;
}

/**
 * Central-difference gradient of `f` at `x` (one-sided where a neighbour is not finite). With
 * `forward`, forward differences (n evaluations instead of 2n; error ≈ step · f'', plenty to
 * choose a descent direction far from the minimum).
 */
export function finiteDifferenceGradient(f: (p: readonly number[]) => number, x: readonly number[], fx: number, step: number, forward = false): number[] {
  const n = x.length;
  const g = new Array<number>(n);
  const p = [...x];
  if (forward) {
    for (let i = 0; i < n; i++) {
      p[i] = x[i] + step;
      const up = f(p);
      p[i] = x[i];
      g[i] = Number.isFinite(up) ? (up - fx) / step : NaN;
    }
    if (g.every(Number.isFinite)) return g;
  }
  for (let i = 0; i < n; i++) {
    p[i] = x[i] + step;
    const up = f(p);
    p[i] = x[i] - step;
    const down = f(p);
    p[i] = x[i];
    if (Number.isFinite(up) && Number.isFinite(down)) g[i] = (up - down) / (2 * step);
    else if (Number.isFinite(up)) g[i] = (up - fx) / step;
    else if (Number.isFinite(down)) g[i] = (fx - down) / step;
    else g[i] = NaN;
  }
  return g;
}

/**
 * Minimises a smooth `objective` from `start` by BFGS. `converged` means the gradient met the
 * tolerance (or the line search could no longer improve at a gradient below 10× it: the
 * finite-difference noise floor); otherwise the caller should fall back to a derivative-free
 * method.
 */
export function minimiseQuasiNewton(
  objective: (point: readonly number[]) => number,
  start: readonly number[],
  options: QuasiNewtonOptions = {},
): QuasiNewtonResult {
  const n = start.length;
  const lower = options.lower ?? new Array<number>(n).fill(-Infinity);
  const upper = options.upper ?? new Array<number>(n).fill(Infinity);
  const gradientTolerance = options.gradientTolerance ?? 1e-8;
  const maxIterations = options.maxIterations ?? 200;
  const step = options.differenceStep ?? 1e-5;
  const maxStep = options.maxStep ?? 2;
  let evaluations = 0;
  const analytic = options.valueAndGradient;
  // The gradient that came with the last analytic evaluation (the accepted point of a line search).
  let last: { point: readonly number[]; gradient: number[] } | null = null;
  const evaluate = (p: readonly number[]): number => {
    evaluations++;
    for (let i = 0; i < n; i++) if (!(p[i] >= lower[i] && p[i] <= upper[i])) return Infinity;
    let v: number;
    if (analytic) {
      const both = analytic(p);
      last = { point: p, gradient: both.gradient };
      v = both.value;
    } else v = objective(p);
    return Number.isNaN(v) ? Infinity : v;
  };
  // Gradient at p (value fp): analytic when given, else central (or, with `forward`, forward) differences.
  const gradientAt = (p: readonly number[], fp: number, forward = false): number[] => {
    if (!analytic) return finiteDifferenceGradient(evaluate, p, fp, step, forward);
    if (last !== null && last.point === p) return last.gradient;
    evaluations++;
    return analytic(p).gradient;
  };

  let x = start.map((v, i) => Math.min(upper[i], Math.max(lower[i], v)));
  let fx = evaluate(x);
  const fail = (iterations: number): QuasiNewtonResult => ({ point: x, value: fx, gradient: new Array<number>(n).fill(NaN), converged: false, iterations, evaluations });
  if (!Number.isFinite(fx)) return fail(0);
  let g = gradientAt(x, fx);
  if (g.some((v) => !Number.isFinite(v))) return fail(0);
  // Inverse-Hessian approximation, row-major; identity until the first curvature pair scales it.
  let h = options.initialInverseHessian ? options.initialInverseHessian.map((row) => [...row]) : identity(n);
  let scaled = options.initialInverseHessian !== undefined;
  let gIsForward = false;
  const maxAbs = (v: readonly number[]) => v.reduce((m, e) => Math.max(m, Math.abs(e)), 0);

  // Coordinates held on a bound because the gradient pushes them outwards (active set): the
  // search continues in the others, and convergence is judged on the projected gradient.
  const held = (p: readonly number[], grad: readonly number[], i: number) => (p[i] <= lower[i] && grad[i] > 0) || (p[i] >= upper[i] && grad[i] < 0);
  const projected = (p: readonly number[], grad: readonly number[]) => grad.map((v, i) => (held(p, grad, i) ? 0 : v));

  for (let iteration = 0; iteration < maxIterations; iteration++) {
    if (maxAbs(projected(x, g)) < gradientTolerance || options.isConverged?.(x, g)) return { point: x, value: fx, gradient: projected(x, g), converged: true, iterations: iteration, evaluations };
    let d = multiply(h, g).map((v, i) => (held(x, g, i) ? 0 : -v));
    let slope = dot(d, g);
    if (!(slope < 0)) {
      // Not a descent direction (curvature information went stale): restart from steepest descent.
      h = identity(n);
      scaled = false;
      d = projected(x, g).map((v) => -v);
      slope = dot(d, g);
    }
    let t = Math.min(1, maxStep / Math.max(maxAbs(d), 1e-300));
    let next: number[] = x;
    let fNext = Infinity;
    let accepted = false;
    for (let tries = 0; tries < 30; tries++) {
      // Projected onto the box, so a minimum on the edge is reached instead of approached.
      next = x.map((v, i) => Math.min(upper[i], Math.max(lower[i], v + t * d[i])));
      fNext = evaluate(next);
      // Strict decrease too: at the rounding floor of f, Armijo alone accepts equal values and
      // the search would wander without end.
      if (fNext <= fx + 1e-4 * t * slope && fNext < fx) {
        accepted = true;
        break;
      }
      t *= 0.5;
    }
    if (!accepted && gIsForward) {
      // The forward difference may be too coarse to give a descent direction here: retry with
      // the central one.
      g = gradientAt(x, fx);
      gIsForward = false;
      if (g.some((v) => !Number.isFinite(v))) return fail(iteration + 1);
      continue;
    }
    if (!accepted) {
      // No decrease found along a descent direction: at the noise floor of the differences.
      return { point: x, value: fx, gradient: g, converged: maxAbs(g) < 10 * gradientTolerance, iterations: iteration + 1, evaluations };
    }
    // Far from the minimum (large gradient) a forward difference is enough to steer; near it
    // the central difference gives the accuracy the stopping rule needs.
    let nextIsForward = !analytic && maxAbs(g) > FORWARD_DIFFERENCE_ABOVE;
    let gNext = gradientAt(next, fNext, nextIsForward);
    if (nextIsForward && maxAbs(gNext) <= FORWARD_DIFFERENCE_ABOVE) {
      gNext = gradientAt(next, fNext);
      nextIsForward = false;
    }
    if (gNext.some((v) => !Number.isFinite(v))) return { point: x, value: fx, gradient: g, converged: false, iterations: iteration + 1, evaluations };
    const s = next.map((v, i) => v - x[i]);
    const y = gNext.map((v, i) => v - g[i]);
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (!scaled) {
        // N&W eq. 6.20: scale the initial matrix to the curvature seen along the first step.
        h = identity(n).map((row) => row.map((v) => (v * sy) / dot(y, y)));
        scaled = true;
      }
      h = bfgsUpdate(h, s, y, sy);
    }
    x = next;
    fx = fNext;
    g = gNext;
    gIsForward = nextIsForward;
  }
  return { point: x, value: fx, gradient: g, converged: maxAbs(g) < gradientTolerance, iterations: maxIterations, evaluations };
}

/** H⁺ = (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ with ρ = 1 / yᵀs (N&W eq. 6.17). */
function bfgsUpdate(h: number[][], s: readonly number[], y: readonly number[], sy: number): number[][] {
  const n = s.length;
  const rho = 1 / sy;
  const hy = multiply(h, y);
  const yhy = dot(y, hy);
  const out = identity(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      // Expanded form of the product, exploiting the symmetry of H.
      out[i][j] = h[i][j] - rho * (s[i] * hy[j] + hy[i] * s[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
    }
  }
  return out;
}

function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

function multiply(m: readonly (readonly number[])[], v: readonly number[]): number[] {
  return m.map((row) => dot(row, v));
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
