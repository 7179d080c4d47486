/**
 * Bounded Nelder–Mead minimiser with restarts.
 *
 * Derivative-free simplex search (Nelder & Mead 1965) with the dimension-adaptive
 * coefficients of Gao & Han (2012), which behave better than the textbook ones beyond
 * two dimensions. Bounds are a box: points outside it score +∞, so the simplex never
 * leaves it. Convergence is a real tolerance check (scipy's rule): every vertex within
 * `xTolerance` of the best one in each coordinate AND every function value within
 * `fTolerance` of the best one. After convergence the search restarts from the best
 * point with a fresh, smaller simplex; the result is `converged` only if a restart ends where
 * the previous run ended (a collapsed simplex can otherwise stop on a slope).
 * With several starts, each is screened for `screeningIterations` and the best continues.
 */

export interface MinimiseOptions {
  /** Per-coordinate box; defaults to ±Infinity. */
  readonly lower?: readonly number[];
  readonly upper?: readonly number[];
  /** Convergence tolerance on coordinates (absolute). Default 1e-7. */
  readonly xTolerance?: number;
  /** Convergence tolerance on the objective (absolute). Default 1e-9. */
  readonly fTolerance?: number;
  /** Iteration budget of the final search, restarts included (screening is extra). Default 4000. */
  readonly maxIterations?: number;
  /** Initial simplex step per coordinate. Default 0.5 (a factor e^0.5 in log space). */
  readonly initialStep?: number;
  /** With several starts: iterations spent on each before the best continues. Default 150. */
  readonly screeningIterations?: number;
}

export interface MinimiseResult {
  readonly point: number[];
  readonly value: number;
  readonly converged: boolean;
  readonly iterations: number;
  readonly evaluations: number;
}

/**
 * Minimises `objective` from the most promising of `starts` and returns the best point.
 *
 * @throws RangeError when no start is given or starts differ in dimension.
 */
export function minimise(
  objective: (point: readonly number[]) => number,
  starts: readonly (readonly number[])[],
  options: MinimiseOptions = {},
): MinimiseResult {
  if (starts.length === 0) throw new RangeError("minimise needs at least one start");
  const dimension = starts[0].length;
  if (starts.some((s) => s.length !== dimension)) throw new RangeError("starts differ in dimension");
  if (starts.length === 1) return minimiseFrom(objective, starts[0], options);
  // Screening: a short search from every start, then the most promising one runs to
  // convergence. Cheaper than converging from each start, and still guards against a
  // start that sits in a poor basin.
  const screening = starts.map((start) =>
    minimiseFrom(objective, start, { ...options, maxIterations: options.screeningIterations ?? 150 }),
  );
  let best = screening[0];
  for (const run of screening) if (run.value < best.value) best = run;
  const final = minimiseFrom(objective, best.point, options);
  const screeningIterations = screening.reduce((sum, run) => sum + run.iterations, 0);
  const screeningEvaluations = screening.reduce((sum, run) => sum + run.evaluations, 0);
  return {
    ...final,
    iterations: final.iterations + screeningIterations,
    evaluations: final.evaluations + screeningEvaluations,
  };
}

function minimiseFrom(
  objective: (point: readonly number[]) => number,
  start: readonly number[],
  options: MinimiseOptions,
): MinimiseResult {
  const n = start.length;
  const lower = options.lower ?? new Array<number>(n).fill(-Infinity);
  const upper = options.upper ?? new Array<number>(n).fill(Infinity);
  const xTolerance = options.xTolerance ?? 1e-7;
  const fTolerance = options.fTolerance ?? 1e-9;
  const maxIterations = options.maxIterations ?? 4000;
  const step = options.initialStep ?? 0.5;
  let evaluations = 0;

  const evaluate = (p: readonly number[]): number => {
    evaluations++;
    for (let i = 0; i < n; i++) if (p[i] < lower[i] || p[i] > upper[i]) return Infinity;
    const v = objective(p);
    return Number.isNaN(v) ? Infinity : v;
  };

  const clampIntoBox = (p: number[]): number[] =>
    p.map((v, i) => Math.min(upper[i], Math.max(lower[i], v)));

  let point = clampIntoBox([...start]);
  let value = evaluate(point);
  let iterations = 0;
  let converged = false;

  // Restart loop: converge, then start again from the best point; stop when a restart
  // does not move the solution (or the budget is spent).
  for (let restart = 0; restart < 5 && iterations < maxIterations; restart++) {
    // Restarts use a smaller simplex: they only need to confirm or escape locally.
    const run = simplexSearch(evaluate, point, value, restart === 0 ? step : step / 5, xTolerance, fTolerance, maxIterations - iterations, clampIntoBox);
    iterations += run.iterations;
    const moved =
      value - run.value > fTolerance * 10 || run.point.some((v, i) => Math.abs(v - point[i]) > Math.sqrt(xTolerance));
    point = run.point;
    value = run.value;
    if (!run.converged) break;
    if (restart > 0 && !moved) {
      converged = true;
      break;
    }
  }
  return { point, value, converged, iterations, evaluations };
}

function simplexSearch(
  evaluate: (p: readonly number[]) => number,
  start: number[],
  startValue: number,
  step: number,
  xTolerance: number,
  fTolerance: number,
  budget: number,
  clampIntoBox: (p: number[]) => number[],
): { point: number[]; value: number; converged: boolean; iterations: number } {
  const n = start.length;
  // Gao & Han (2012) adaptive coefficients.
  const reflection = 1;
  const expansion = 1 + 2 / n;
  const contraction = 0.75 - 1 / (2 * n);
  const shrink = 1 - 1 / n;

  const vertices: number[][] = [start];
  const values: number[] = [startValue];
  for (let i = 0; i < n; i++) {
    const v = [...start];
    v[i] += step;
    let p = clampIntoBox(v);
    if (p[i] === start[i]) {
      v[i] = start[i] - step;
      p = clampIntoBox(v);
    }
    vertices.push(p);
    values.push(evaluate(p));
  }

  const order = (): void => {
    const idx = values.map((_, i) => i).sort((i, j) => values[i] - values[j]);
    const vs = idx.map((i) => vertices[i]);
    const fs = idx.map((i) => values[i]);
    for (let i = 0; i <= n; i++) {
      vertices[i] = vs[i];
      values[i] = fs[i];
    }
  };

  let iterations = 0;
  while (iterations < budget) {
    order();
    if (hasConverged(vertices, values, xTolerance, fTolerance)) {
      return { point: vertices[0], value: values[0], converged: true, iterations };
    }
    iterations++;
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] += vertices[i][j] / n;
    const worst = vertices[n];
    const along = (t: number): number[] => centroid.map((c, j) => c + t * (c - worst[j]));

    const reflected = along(reflection);
    const fr = evaluate(reflected);
    if (fr < values[0]) {
      const expanded = along(reflection * expansion);
      const fe = evaluate(expanded);
      if (fe < fr) {
        vertices[n] = expanded;
        values[n] = fe;
      } else {
        vertices[n] = reflected;
        values[n] = fr;
      }
      continue;
    }
    if (fr < values[n - 1]) {
      vertices[n] = reflected;
      values[n] = fr;
      continue;
    }
    const outside = fr < values[n];
    const contracted = along(outside ? reflection * contraction : -contraction);
    const fc = evaluate(contracted);
    if (fc < (outside ? fr : values[n])) {
      vertices[n] = contracted;
      values[n] = fc;
      continue;
    }
    for (let i = 1; i <= n; i++) {
      vertices[i] = vertices[i].map((v, j) => vertices[0][j] + shrink * (v - vertices[0][j]));
      values[i] = evaluate(vertices[i]);
    }
  }
  order();
  return { point: vertices[0], value: values[0], converged: false, iterations };
}

function hasConverged(vertices: number[][], values: number[], xTolerance: number, fTolerance: number): boolean {
  if (!Number.isFinite(values[0])) return false;
  for (let i = 1; i < vertices.length; i++) {
    if (Math.abs(values[i] - values[0]) > fTolerance) return false;
    for (let j = 0; j < vertices[0].length; j++) {
      if (Math.abs(vertices[i][j] - vertices[0][j]) > xTolerance) return false;
    }
  }
  return true;
}
