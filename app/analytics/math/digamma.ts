/**
 * Digamma function ψ(x) = d/dx ln Γ(x) for x > 0, needed by the analytic likelihood gradients
 * (every Γ term of the models differentiates to a ψ term).
 *
 * Recurrence ψ(x) = ψ(x + 1) − 1/x up to x ≥ 10, then the asymptotic series
 * ψ(x) ≈ ln x − 1/(2x) − Σ B₂ₖ/(2k x²ᵏ) (A&S 6.3.18) to the x⁻¹² term: relative error below
 * 1e-15 at x ≥ 10 (the first omitted term is ≈ 1e-15 there).
 *
 * @example digamma(1) // −0.5772156649015329 (−Euler's constant)
 */
export function digamma(x: number): number {
  if (Number.isNaN(x) || x <= 0) return NaN;
  if (x === Infinity) return Infinity;
  let shift = 0;
  while (x < 10) {
    shift -= 1 / x;
    x += 1;
  }
  const inv2 = 1 / (x * x);
  // Bernoulli terms: 1/12, −1/120, 1/252, −1/240, 1/132, −691/32760.
  const series = inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132 - inv2 * (691 / 32760))))));
  return shift + Math.log(x) - 0.5 / x - series;
}
