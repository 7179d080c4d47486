/**
 * Gauss hypergeometric function ₂F₁(a, b; c; z) for real arguments and z < 1.
 *
 * Needed by the unconditional and conditional expectations of BG/NBD and MBG/NBD
 * (arguments z = t / (α + t) ∈ [0, 1)) and by the Pareto/NBD likelihood
 * (z = |α − β| / (max(α, β) + t) ∈ [0, 1)).
 *
 * Evaluation strategy:
 * - z < 0: Pfaff transformation ₂F₁(a,b;c;z) = (1−z)^(−a) ₂F₁(a, c−b; c; z/(z−1)) (A&S 15.3.4),
 *   which maps z to w ∈ (0, 1).
 * - 0 ≤ z ≤ 0.99: the defining power series (A&S 15.1.1), summed until the terms stop mattering.
 * - z > 0.99: the linear transformation to 1 − z (A&S 15.3.6) when c − a − b is not an integer;
 *   near an integer the two terms have cancelling poles, so the value is the mean of the
 *   transformation at c ± δ (error O(δ²), δ = 1e-5; cancellation costs ~1e-11 relative) unless the series still converges quickly.
 *
 * @see Abramowitz & Stegun, Handbook of Mathematical Functions, ch. 15.
 */

import { gammaSign, logGamma } from "./log-gamma.ts";

const SERIES_MAX_TERMS = 200_000;
const NEAR_ONE = 0.99;
const INTEGER_GUARD = 1e-4;
const PERTURBATION = 1e-5;

/**
 * ₂F₁(a, b; c; z) = Σ_n (a)_n (b)_n / ((c)_n n!) zⁿ for real a, b, c and z < 1
 * (z = 1 only when c − a − b > 0, by Gauss's theorem).
 *
 * @returns NaN when the value is undefined (c a non-positive integer, z > 1) or the series
 *   does not converge within the term budget.
 * @example hyp2f1(1, 1, 2, 0.5) // −ln(1 − 0.5) / 0.5 = 1.3862943611198906
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (Number.isNaN(a) || Number.isNaN(b) || Number.isNaN(c) || Number.isNaN(z)) return NaN;
  if (z === 0 || a === 0 || b === 0) return 1;
  if (z > 1) return NaN;
  if (z === 1) return gaussAtOne(a, b, c);
  if (z < 0) {
    const w = z / (z - 1);
    return Math.pow(1 - z, -a) * hyp2f1NonNegative(a, c - b, c, w);
  }
  return hyp2f1NonNegative(a, b, c, z);
}

function hyp2f1NonNegative(a: number, b: number, c: number, z: number): number {
  if (z <= NEAR_ONE) return hyp2f1Series(a, b, c, z);
  const m = c - a - b;
  if (Math.abs(m - Math.round(m)) > INTEGER_GUARD) return oneMinusZTransform(a, b, c, z);
  const direct = hyp2f1Series(a, b, c, z, 20_000);
  if (!Number.isNaN(direct)) return direct;
  return (
    0.5 * (oneMinusZTransform(a, b, c + PERTURBATION, z) + oneMinusZTransform(a, b, c - PERTURBATION, z))
  );
}

/** Power series with Kahan-compensated summation; NaN when it has not converged. */
export function hyp2f1Series(a: number, b: number, c: number, z: number, maxTerms = SERIES_MAX_TERMS): number {
  if (c <= 0 && Number.isInteger(c)) return NaN;
  let term = 1;
  let sum = 1;
  let compensation = 0;
  for (let n = 0; n < maxTerms; n++) {
    const ratio = ((a + n) * (b + n) * z) / ((c + n) * (n + 1));
    term *= ratio;
    if (term === 0) return sum; // terminating polynomial (a or b a non-positive integer)
    const y = term - compensation;
    const t = sum + y;
    compensation = t - sum - y;
    sum = t;
    // Stop only once the terms shrink geometrically, so a tiny term before the peak
    // (large a, b) does not end the sum early.
    if (Math.abs(ratio) < 1 && Math.abs(term) <= 1e-17 * Math.abs(sum)) return sum;
    if (!Number.isFinite(sum)) return NaN;
  }
  return NaN;
}

/** A&S 15.3.6, valid when c − a − b is not an integer; each Γ ratio carries its sign. */
function oneMinusZTransform(a: number, b: number, c: number, z: number): number {
  const m = c - a - b;
  const w = 1 - z;
  const first = signedGammaRatio([c, m], [c - a, c - b]);
  const second = signedGammaRatio([c, -m], [a, b]);
  let value = 0;
  if (first.sign !== 0) value += first.sign * Math.exp(first.logAbs) * hyp2f1Series(a, b, 1 - m, w);
  if (second.sign !== 0) {
    value += second.sign * Math.exp(second.logAbs + m * Math.log(w)) * hyp2f1Series(c - a, c - b, m + 1, w);
  }
  return value;
}

/** Γ(n₁)Γ(n₂)… / (Γ(d₁)Γ(d₂)…) as sign and ln|value|; sign 0 when a denominator Γ has a pole. */
function signedGammaRatio(numerator: number[], denominator: number[]): { sign: number; logAbs: number } {
  let sign = 1;
  let logAbs = 0;
  for (const d of denominator) {
    if (d <= 0 && Number.isInteger(d)) return { sign: 0, logAbs: -Infinity };
    sign *= gammaSign(d);
    logAbs -= logGamma(d);
  }
  for (const n of numerator) {
    if (n <= 0 && Number.isInteger(n)) return { sign: NaN, logAbs: Infinity };
    sign *= gammaSign(n);
    logAbs += logGamma(n);
  }
  return { sign, logAbs };
}

/** Gauss's summation theorem: ₂F₁(a,b;c;1) = Γ(c)Γ(c−a−b) / (Γ(c−a)Γ(c−b)) for c − a − b > 0. */
function gaussAtOne(a: number, b: number, c: number): number {
  if (c - a - b <= 0) return NaN;
  const ratio = signedGammaRatio([c, c - a - b], [c - a, c - b]);
  return ratio.sign === 0 ? 0 : ratio.sign * Math.exp(ratio.logAbs);
}
