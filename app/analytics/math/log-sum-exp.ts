/**
 * Numerically stable ln(Σ exp(v_i)) by shifting with the largest term (Hardie note 027's
 * "max-shift" trick for the BG/NBD likelihood). −∞ entries contribute nothing.
 *
 * @example logSumExp([Math.log(1), Math.log(3)]) // ln 4
 */
export function logSumExp(values: readonly number[]): number {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  if (max === -Infinity || !Number.isFinite(max)) return max;
  let sum = 0;
  for (const v of values) sum += Math.exp(v - max);
  return max + Math.log(sum);
}

/** ln(e^u + e^v) without an array allocation (hot path of the likelihoods). */
export function logAddExp(u: number, v: number): number {
  const max = u > v ? u : v;
  if (max === -Infinity) return -Infinity;
  if (max === Infinity) return Infinity;
  return max + Math.log1p(Math.exp(-Math.abs(u - v)));
}

/**
 * ln(e^u − e^v) for u ≥ v. Returns −∞ when u = v and NaN when u < v.
 * Uses log1p(−exp(d)) / log(−expm1(d)) depending on d = v − u (Mächler 2012).
 */
export function logSubExp(u: number, v: number): number {
  if (v > u) return NaN;
  if (v === -Infinity) return u;
  const d = v - u;
  if (d === 0) return -Infinity;
  return u + (d > -Math.LN2 ? Math.log(-Math.expm1(d)) : Math.log1p(-Math.exp(d)));
}
