/**
 * Measured lift of a pushed segment (issue 11 item 7): since the first push, orders, revenue and
 * conversion (share who ordered) per customer, tagged members against the hold-out, with the
 * difference and its 95 % interval.
 *
 * - Means (orders, revenue per customer): Welch's unequal-variance interval, difference ±
 *   t(ν) · √(s₁²/n₁ + s₂²/n₂) with the Welch–Satterthwaite ν (Welch 1947, Biometrika 34:28–35).
 *   The t quantile: the Cornish–Fisher expansion of Abramowitz & Stegun 26.7.5 for ν ≥ 5, the
 *   tabled value at ⌊ν⌋ below that (wider, so never overconfident).
 * - Conversion: Newcombe's hybrid score interval for a difference of proportions (Newcombe 1998,
 *   Statistics in Medicine 17:873–890, method 10), built from the two Wilson intervals; it keeps
 *   its coverage near 0 and 1 where the Wald interval does not.
 * "Significant" means the interval excludes 0; until then the report says "not significant yet".
 */

export const Z_975 = 1.959963984540054;

export interface CustomerOutcome {
  orders: number;
  revenue: number;
}

export interface Difference {
  tagged: number;
  holdOut: number;
  difference: number;
  low: number;
  high: number;
  /** difference ÷ hold-out value; null when the hold-out value is 0. */
  relative: number | null;
  significant: boolean;
}

export type LiftReport =
  | { state: "no-hold-out" }
  | { state: "too-few"; tagged: number; holdOut: number }
  | { state: "measured"; tagged: number; holdOut: number; orders: Difference; revenue: Difference; conversion: Difference };

/** Below this many customers in either group the report waits (the intervals would be empty words). */
export const MIN_GROUP = 10;

export function liftReport(tagged: readonly CustomerOutcome[], holdOut: readonly CustomerOutcome[]): LiftReport {
  if (holdOut.length === 0) return { state: "no-hold-out" };
  if (tagged.length < MIN_GROUP || holdOut.length < MIN_GROUP) return { state: "too-few", tagged: tagged.length, holdOut: holdOut.length };
  return {
    state: "measured",
    tagged: tagged.length,
    holdOut: holdOut.length,
    orders: welchDifference(tagged.map((c) => c.orders), holdOut.map((c) => c.orders)),
    revenue: welchDifference(tagged.map((c) => c.revenue), holdOut.map((c) => c.revenue)),
    conversion: newcombeDifference(
      tagged.filter((c) => c.orders > 0).length,
      tagged.length,
      holdOut.filter((c) => c.orders > 0).length,
      holdOut.length,
    ),
  };
}

function meanVariance(xs: readonly number[]): { mean: number; variance: number } {
  let mean = 0;
  let m2 = 0;
  // Welford: stable for revenue sums of any size.
  xs.forEach((x, i) => {
    const delta = x - mean;
    mean += delta / (i + 1);
    m2 += delta * (x - mean);
  });
  return { mean, variance: xs.length > 1 ? m2 / (xs.length - 1) : 0 };
}

export function welchDifference(a: readonly number[], b: readonly number[]): Difference {
  const x = meanVariance(a);
  const y = meanVariance(b);
  const va = x.variance / a.length;
  const vb = y.variance / b.length;
  const se = Math.sqrt(va + vb);
  const difference = x.mean - y.mean;
  let half = 0;
  if (se > 0) {
    const df = (va + vb) ** 2 / ((va * va) / (a.length - 1) + (vb * vb) / (b.length - 1));
    half = tQuantile975(df) * se;
  }
  return finish(x.mean, y.mean, difference - half, difference + half);
}

/** Wilson score interval for a proportion (Wilson 1927). */
export function wilsonInterval(successes: number, n: number, z = Z_975): { low: number; high: number } {
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export function newcombeDifference(s1: number, n1: number, s2: number, n2: number): Difference {
  const p1 = s1 / n1;
  const p2 = s2 / n2;
  const w1 = wilsonInterval(s1, n1);
  const w2 = wilsonInterval(s2, n2);
  const d = p1 - p2;
  const low = d - Math.sqrt((p1 - w1.low) ** 2 + (w2.high - p2) ** 2);
  const high = d + Math.sqrt((w1.high - p1) ** 2 + (p2 - w2.low) ** 2);
  return finish(p1, p2, low, high);
}

function finish(tagged: number, holdOut: number, low: number, high: number): Difference {
  return {
    tagged,
    holdOut,
    difference: tagged - holdOut,
    low,
    high,
    relative: holdOut !== 0 ? (tagged - holdOut) / holdOut : null,
    significant: low > 0 || high < 0,
  };
}

/** t(0.975; 1…4): below ν = 5 the expansion is too far off. */
const T_975_SMALL = [Infinity, 12.706204736, 4.30265273, 3.182446305, 2.776445105];

/** The 97.5 % quantile of Student's t with ν degrees of freedom (A&S 26.7.5 for ν ≥ 5). */
export function tQuantile975(nu: number): number {
  if (!(nu > 0)) return Infinity;
  if (nu < 5) return T_975_SMALL[Math.max(1, Math.floor(nu))];
  const z = Z_975;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  const z9 = z ** 9;
  const g1 = (z3 + z) / 4;
  const g2 = (5 * z5 + 16 * z3 + 3 * z) / 96;
  const g3 = (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / 384;
  const g4 = (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / 92160;
  return z + g1 / nu + g2 / nu ** 2 + g3 / nu ** 3 + g4 / nu ** 4;
}
