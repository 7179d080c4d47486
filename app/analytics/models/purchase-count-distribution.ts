/**
 * Predictive distribution of a customer's number of repeat purchases in (T, T+t]
 * (docs/models/intervals.md, "Customer's count"): the interval stored with expected orders.
 *
 * Given that a customer is alive at T with x repeat purchases, the rest of their purchase process
 * is a fresh one of the same model with the posterior parameters (the alive part of the
 * likelihood is λˣe^(−λT) times the survival of the dropout process):
 * - BG/NBD: λ ~ Gamma(r+x, α+T), p ~ Beta(a, b+x); the customer is alive at the start and may
 *   drop out after each purchase, exactly the situation of FHL (2005) eq. (8) for a new customer.
 *   So P(Y = y | alive) is eq. (8) with (r+x, α+T, a, b+x):
 *     B(a, b'+y)/B(a, b') · NB(y) + 1{y>0} B(a+1, b'+y−1)/B(a, b') · [1 − Σ_{j<y} NB(j)],
 *   NB(j) = Γ(r'+j)/(Γ(r') j!) (α'/(α'+t))^r' (t/(α'+t))^j (the Poisson–Gamma count of an alive
 *   customer; the first term: alive through y purchases, the second: dropped out after the y-th).
 * - MBG/NBD: the same with p ~ Beta(a, b+x+1) (the first purchase also flipped the coin; the
 *   E[Y | alive] of mbg-nbd.ts is the mean of this distribution).
 * - Pareto/NBD: λ ~ Gamma(r+x, α+T), μ ~ Gamma(s, β+T); the count is NB at the time the customer
 *   dies or at t: P(Y = y | alive) = S(t) NB(y; t) + ∫₀ᵗ f(τ) NB(y; τ) dτ with the lifetime's
 *   survival S(τ) = ((β+T)/(β+T+τ))^s and density f. With v = 1 − S(τ) the integral is
 *   ∫₀^(1−S(t)) NB(y; τ(v)) dv, by 24-point Gauss–Legendre.
 * Unconditionally, P(Y = 0) gains 1 − P(alive): {@link purchaseCountInterval} mixes that in, and
 * over parameter draws.
 *
 * A yearly pattern (seasonality.ts: purchase rate λ·s(m) in calendar month m) enters through the
 * operational time Λ(τ) = ∫₀^τ s: the count of an alive customer by τ is NB at Λ(τ), while
 * BG/NBD's dropout happens at purchases (so the whole distribution is eq. (8) at Λ(t)) and
 * Pareto/NBD's in calendar time (only the NB argument changes).
 */

import type { CountingModelName } from "./counting-model.ts";
import type { CountingModelParams } from "./fitted-counting-model.ts";

/** Largest count a distribution is computed to (a heavy buyer's 13 weeks stay far below). */
const MAX_COUNT = 2_000;
/** The distribution is computed until its given-alive CDF is this close to 1. */
const TAIL = 1e-9;

/**
 * CDF of the repeat purchases in (T, T+t] given alive at T with x repeat purchases: element y is
 * P(Y ≤ y | alive); the array ends where the CDF is within 1e-9 of 1 (or at 2,000).
 *
 * @param operationalTime Λ(τ) for a yearly pattern (identity without one).
 */
export function purchaseCountCdfGivenAlive(
  model: CountingModelName,
  params: CountingModelParams,
  t: number,
  x: number,
  T: number,
  operationalTime: ((tau: number) => number) | null = null,
): Float64Array {
  if (!(t > 0)) return Float64Array.of(1);
  const p = params as unknown as Record<string, number>;
  if (model === "pareto-nbd") return paretoCdf(p.r + x, p.alpha + T, p.s, p.beta + T, t, operationalTime);
  return bgFamilyCdf(p.r + x, p.alpha + T, p.a, p.b + x + (model === "mbg-nbd" ? 1 : 0), operationalTime ? operationalTime(t) : t);
}

function bgFamilyCdf(r: number, alpha: number, a: number, b: number, t: number): Float64Array {
  const out: number[] = [];
  const q = t / (alpha + t);
  let nb = Math.exp(-r * Math.log1p(t / alpha)); // NB(0)
  let nbSum = 0; // Σ_{j<y} NB(j)
  let c = 1; // B(a, b+y)/B(a, b)
  let cPrevious = 1; // B(a, b+y−1)/B(a, b)
  let cdf = 0;
  for (let y = 0; y <= MAX_COUNT; y++) {
    let pmf = c * nb;
    // B(a+1, b+y−1)/B(a, b) = B(a, b+y−1)/B(a, b) · a/(a+b+y−1)
    if (y > 0) pmf += cPrevious * (a / (a + b + y - 1)) * (1 - nbSum);
    cdf += pmf;
    out.push(Math.min(1, cdf));
    if (cdf >= 1 - TAIL) break;
    nbSum += nb;
    nb *= ((r + y) / (y + 1)) * q;
    cPrevious = c;
    c *= (b + y) / (a + b + y);
  }
  return Float64Array.from(out);
}

// 24-point Gauss–Legendre nodes and weights on [−1, 1] (Newton on the Legendre polynomial).
const [GL_NODES, GL_WEIGHTS] = gaussLegendre(24);

function gaussLegendre(n: number): [Float64Array, Float64Array] {
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p0 = 1;
      let p1 = 0;
      for (let k = 1; k <= n; k++) {
        const p2 = p1;
        p1 = p0;
        p0 = ((2 * k - 1) * z * p1 - (k - 1) * p2) / k;
      }
      dp = (n * (z * p0 - p1)) / (z * z - 1);
      const dz = p0 / dp;
      z -= dz;
      if (Math.abs(dz) < 1e-15) break;
    }
    nodes[i] = z;
    weights[i] = 2 / ((1 - z * z) * dp * dp);
  }
  return [nodes, weights];
}

function paretoCdf(r: number, alpha: number, s: number, beta: number, t: number, operationalTime: ((tau: number) => number) | null): Float64Array {
  const lambdaTime = operationalTime ?? ((tau: number) => tau);
  // Mixture components: weight and NB time. Survivors to t, then the quadrature nodes of the death time.
  const survivalAtT = Math.exp(-s * Math.log1p(t / beta));
  const upper = 1 - survivalAtT;
  const weights: number[] = [survivalAtT];
  const times: number[] = [lambdaTime(t)];
  for (let i = 0; i < GL_NODES.length; i++) {
    const v = 0.5 * upper * (GL_NODES[i] + 1);
    weights.push(0.5 * upper * GL_WEIGHTS[i]);
    // τ(v) = β((1 − v)^(−1/s) − 1), the death time whose survival is 1 − v.
    times.push(lambdaTime(beta * Math.expm1(-Math.log1p(-v) / s)));
  }
  const m = weights.length;
  const nb = new Float64Array(m);
  const q = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    nb[j] = Math.exp(-r * Math.log1p(times[j] / alpha));
    q[j] = times[j] / (alpha + times[j]);
  }
  const out: number[] = [];
  let cdf = 0;
  for (let y = 0; y <= MAX_COUNT; y++) {
    let pmf = 0;
    for (let j = 0; j < m; j++) {
      pmf += weights[j] * nb[j];
      nb[j] *= ((r + y) / (y + 1)) * q[j];
    }
    cdf += pmf;
    out.push(Math.min(1, cdf));
    if (cdf >= 1 - TAIL) break;
  }
  return Float64Array.from(out);
}

/**
 * The central `level` interval of a customer's count, [low, high], from its predictive
 * distribution mixed over parameter draws: P(Y ≤ y) = mean over draws of
 * (1 − P_d(alive)) + P_d(alive) · P_d(Y ≤ y | alive). low is the smallest y with P(Y ≤ y) >
 * (1 − level)/2, high the smallest with P(Y ≤ y) ≥ (1 + level)/2 (the usual quantiles of a
 * discrete distribution: the interval holds at least `level` of the probability).
 *
 * @param alive P(alive) per draw
 * @param cdfGivenAlive per draw, {@link purchaseCountCdfGivenAlive}
 */
export function purchaseCountInterval(alive: ArrayLike<number>, cdfGivenAlive: readonly Float64Array[], level: number): [low: number, high: number] {
  const draws = cdfGivenAlive.length;
  const lowTail = (1 - level) / 2;
  const highTail = (1 + level) / 2;
  let low = -1;
  for (let y = 0; ; y++) {
    let cdf = 0;
    for (let d = 0; d < draws; d++) {
      const h = cdfGivenAlive[d];
      cdf += 1 - alive[d] + alive[d] * h[Math.min(y, h.length - 1)];
    }
    cdf /= draws;
    if (low < 0 && cdf > lowTail) low = y;
    if (cdf >= highTail || y >= MAX_COUNT) return [low < 0 ? y : low, y];
  }
}
