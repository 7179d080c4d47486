/**
 * Central-difference Hessian of a scalar function, used for the observed information
 * matrix of a maximum-likelihood fit (standard errors, parameter draws).
 * Step h per coordinate; error O(h²). Symmetric by construction.
 */
export function numericHessian(f: (point: readonly number[]) => number, point: readonly number[], h = 1e-4): number[][] {
  const n = point.length;
  const at = (di: number, si: number, dj: number, sj: number): number => {
    const p = [...point];
    p[di] += si * h;
    p[dj] += sj * h;
    return f(p);
  };
  const f0 = f(point);
  const hessian: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    const p = [...point];
    p[i] += 2 * h;
    const fpp = f(p);
    p[i] -= 4 * h;
    const fmm = f(p);
    hessian[i][i] = (fpp - 2 * f0 + fmm) / (4 * h * h);
    for (let j = i + 1; j < n; j++) {
      const v = (at(i, 1, j, 1) - at(i, 1, j, -1) - at(i, -1, j, 1) + at(i, -1, j, -1)) / (4 * h * h);
      hessian[i][j] = v;
      hessian[j][i] = v;
    }
  }
  return hessian;
}

/**
 * Hessian from central differences of an analytic gradient: 2n gradient evaluations instead of
 * 2n² + 1 values, and error O(h²) with a much smaller h (no second difference of values).
 * Symmetrised.
 */
export function hessianFromGradient(gradient: (point: readonly number[]) => number[], point: readonly number[], h = 1e-4): number[][] {
  const n = point.length;
  const columns: number[][] = [];
  for (let j = 0; j < n; j++) {
    const up = [...point];
    up[j] += h;
    const down = [...point];
    down[j] -= h;
    const gUp = gradient(up);
    const gDown = gradient(down);
    columns.push(gUp.map((v, i) => (v - gDown[i]) / (2 * h)));
  }
  return columns.map((column, j) => column.map((v, i) => (v + columns[i][j]) / 2));
}
