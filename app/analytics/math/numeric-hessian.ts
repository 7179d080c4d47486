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
