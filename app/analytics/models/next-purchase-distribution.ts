/**
 * Predictive distribution of the time to a customer's next purchase, given that the customer is
 * alive at T with x repeat purchases (docs/models/intervals.md, "Next-order date").
 *
 * In all three counting models the purchase rate of a customer known to be alive at T has the
 * posterior λ ~ Gamma(r + x, α + T) (the alive part of the likelihood is λˣ e^(−λT)).
 * - BG/NBD and MBG/NBD: dropout happens only at a purchase, so the next purchase is never
 *   pre-empted: P(τ ≤ s) = 1 − ((α+T)/(α+T+s))^(r+x), a Lomax (Pareto II) distribution.
 * - Pareto/NBD: the customer may die first, μ | alive ~ Gamma(s, β + T) independent of λ, so
 *   P(τ ≤ s) = ∫₀ˢ E[λe^(−λu)] E[e^(−μu)] du
 *            = ∫₀ˢ (r+x)/(α+T) ((α+T)/(α+T+u))^(r+x+1) ((β+T)/(β+T+u))^s du,
 *   a defective distribution (it tends to P(ever buys again | alive) < 1). With
 *   v = 1 − ((α+T)/(α+T+u))^(r+x) the integrand becomes ((β+T)/(β+T+u(v)))^s, smooth in v
 *   on [0, F_Lomax(s)], and Simpson's rule with 16 panels is accurate to ~1e-7.
 */

import type { BgNbdParams } from "./bg-nbd.ts";
import type { ParetoNbdParams } from "./pareto-nbd.ts";

/** P(next purchase within s | alive at T, x) for the BG family. */
export function bgFamilyProbabilityPurchaseWithin(params: BgNbdParams, s: number, x: number, T: number): number {
  if (!(s > 0)) return 0;
  const { r, alpha } = params;
  return -Math.expm1(-(r + x) * Math.log1p(s / (alpha + T)));
}

/** P(next purchase within s | alive at T, x) for Pareto/NBD (defective: dropout may come first). */
export function paretoNbdProbabilityPurchaseWithin(params: ParetoNbdParams, s: number, x: number, T: number): number {
  if (!(s > 0)) return 0;
  const { r, alpha, beta } = params;
  const shape = r + x;
  const b1 = alpha + T;
  const b2 = beta + T;
  const upper = -Math.expm1(-shape * Math.log1p(s / b1));
  const panels = 16;
  const h = upper / panels;
  // u(v) = b1((1 − v)^(−1/shape) − 1); survival of the lifetime at u.
  const survival = (v: number): number => {
    const u = b1 * Math.expm1(-Math.log1p(-v) / shape);
    return Math.exp(-params.s * Math.log1p(u / b2));
  };
  let sum = survival(0) + survival(upper);
  for (let i = 1; i < panels; i++) sum += (i % 2 === 1 ? 4 : 2) * survival(i * h);
  return (sum * h) / 3;
}

/**
 * The time s at which P(next purchase within s | alive) reaches `probability`, or NaN when it
 * does not within `maxHorizon` (e.g. the 95 % point of a slow buyer lies beyond a year, or a
 * Pareto/NBD customer would more likely die first). Bisection on the monotone CDF.
 */
export function nextPurchaseQuantile(cdf: (s: number) => number, probability: number, maxHorizon: number): number {
  if (!(cdf(maxHorizon) >= probability)) return NaN;
  let low = 0;
  let high = maxHorizon;
  while (high - low > 1e-6 * maxHorizon) {
    const mid = 0.5 * (low + high);
    if (cdf(mid) >= probability) high = mid;
    else low = mid;
  }
  return 0.5 * (low + high);
}
