/**
 * BG/NBD model, Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way: An
 * Alternative to the Pareto/NBD Model", Marketing Science 24(2), 275–284.
 *
 * Glossary: x = repeat purchases, tx = time of the last purchase (from the first),
 * T = age (time from the first purchase to the end of observation), t = a future horizon.
 * While alive a customer buys as Poisson(λ), λ ~ Gamma(r, α) (α in the caller's time unit);
 * after each repeat purchase they drop out with probability p, p ~ Beta(a, b).
 * Derivations and the numerics are in docs/models/bg-nbd.md.
 *
 * @see https://www.brucehardie.com/papers/018/fader_et_al_mksc_05.pdf
 * @see https://www.brucehardie.com/notes/027/ (numerically stable likelihood)
 */

import { hyp2f1 } from "../math/hyp2f1.ts";
import { logAddExp } from "../math/log-sum-exp.ts";
import { digamma } from "../math/digamma.ts";
import { logGamma } from "../math/log-gamma.ts";
import { fitCountingModel, type CountingModelSpec, type FitOptions, type ModelFit } from "./counting-model.ts";
import { logAlphaPlusTimes, assertCustomerPurchaseSummary, preparePurchaseSummary, type PreparedSummary, type PurchaseSummaryRow } from "./purchase-summary.ts";
import { InvalidModelInputError } from "./invalid-model-input-error.ts";

export interface BgNbdParams {
  readonly r: number;
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
}

function preparedLogLikelihood(params: BgNbdParams, data: PreparedSummary, aliveOut?: Float64Array): number {
  const { r, alpha, a, b } = params;
  const k = data.distinctX.length;
  const common = new Float64Array(k);
  const aliveTerm = new Float64Array(k);
  const deadTerm = new Float64Array(k);
  const lgR = logGamma(r);
  const lgB = logGamma(b);
  const lgAB = logGamma(a + b);
  const lnA = Math.log(a);
  const rLnAlpha = r * Math.log(alpha);
  for (let j = 0; j < k; j++) {
    const x = data.distinctX[j];
    // Γ(r+x) α^r / Γ(r)
    common[j] = logGamma(r + x) - lgR + rLnAlpha;
    const lgABX = logGamma(a + b + x);
    // B(a, b+x) / B(a, b)
    aliveTerm[j] = logGamma(b + x) + lgAB - lgB - lgABX;
    // B(a+1, b+x−1) / B(a, b), only for x > 0
    deadTerm[j] = x > 0 ? lnA + logGamma(b + x - 1) + lgAB - lgB - lgABX : -Infinity;
  }
  // ln(α + t) once per distinct age and recency instead of twice per row.
  const logAlphaT = logAlphaPlusTimes(alpha, data.distinctT);
  const logAlphaTx = logAlphaPlusTimes(alpha, data.distinctTx);
  let total = 0;
  for (let i = 0; i < data.x.length; i++) {
    const j = data.xIndex[i];
    const rx = r + data.x[i];
    const alive = aliveTerm[j] - rx * logAlphaT[data.TIndex[i]];
    const dead = data.x[i] > 0 ? deadTerm[j] - rx * logAlphaTx[data.txIndex[i]] : -Infinity;
    total += data.count[i] * (common[j] + logAddExp(alive, dead));
    // P(alive | x, tx, T) = alive / (alive + dead): the likelihood's own split.
    if (aliveOut) aliveOut[i] = dead === -Infinity ? 1 : 1 / (1 + Math.exp(dead - alive));
  }
  return total;
}

/**
 * Gradient of the BG/NBD (`dropoutAtFirst` false) or MBG/NBD (true) log-likelihood with
 * respect to (ln r, ln α, ln a, ln b). Both are L = Γ(r+x)α^r/Γ(r) · [alive + dead] with
 * alive = B(a, b+x+k)/B(a,b) (α+T)^−(r+x) and dead = B(a+1, b+x+k−1)/B(a,b) (α+tx)^−(r+x),
 * k = 1 for MBG/NBD (the coin is also tossed after the first purchase) and 0 for BG/NBD (no
 * dead term at x = 0). Every Γ term differentiates to a ψ term, and the derivative of
 * ln(alive + dead) is the alive/dead-weighted mean of the two terms' derivatives, so one pass
 * gives all four components (docs/models/fitting.md "Analytic gradients"), with the value.
 */
export function bgFamilyLogLikelihoodWithGradient(params: BgNbdParams, data: PreparedSummary, dropoutAtFirst: boolean): { value: number; gradient: number[] } {
  const { r, alpha, a, b } = params;
  const k = dropoutAtFirst ? 1 : 0;
  const nx = data.distinctX.length;
  const common = new Float64Array(nx);
  const aliveTerm = new Float64Array(nx);
  const deadTerm = new Float64Array(nx);
  const dCommonR = new Float64Array(nx);
  const dAB = new Float64Array(nx);
  const dAliveB = new Float64Array(nx);
  const dDeadB = new Float64Array(nx);
  const lgR = logGamma(r);
  const lgB = logGamma(b);
  const lgAB = logGamma(a + b);
  const psiR = digamma(r);
  const psiB = digamma(b);
  const psiAB = digamma(a + b);
  const lnA = Math.log(a);
  const lnAlpha = Math.log(alpha);
  for (let j = 0; j < nx; j++) {
    const x = data.distinctX[j];
    common[j] = logGamma(r + x) - lgR + r * lnAlpha;
    dCommonR[j] = digamma(r + x) - psiR + lnAlpha;
    const lgABX = logGamma(a + b + x + k);
    aliveTerm[j] = logGamma(b + x + k) + lgAB - lgB - lgABX;
    dAB[j] = psiAB - digamma(a + b + x + k);
    dAliveB[j] = digamma(b + x + k) - psiB;
    const hasDead = x + k > 0;
    deadTerm[j] = hasDead ? lnA + logGamma(b + x + k - 1) + lgAB - lgB - lgABX : -Infinity;
    dDeadB[j] = hasDead ? digamma(b + x + k - 1) - psiB : 0;
  }
  const logAlphaT = logAlphaPlusTimes(alpha, data.distinctT);
  const logAlphaTx = logAlphaPlusTimes(alpha, data.distinctTx);
  // Per distinct age and recency: 1/(α + t), so the row loop has no division.
  const invAlphaT = new Float64Array(logAlphaT.length);
  for (let q = 0; q < invAlphaT.length; q++) invAlphaT[q] = 1 / (alpha + data.distinctT[q]);
  const invAlphaTx = new Float64Array(logAlphaTx.length);
  for (let q = 0; q < invAlphaTx.length; q++) invAlphaTx[q] = 1 / (alpha + data.distinctTx[q]);
  // Per distinct x: the dead term minus the alive term at equal times (−∞ without a dead term).
  const deadMinusAlive = new Float64Array(nx);
  for (let j = 0; j < nx; j++) deadMinusAlive[j] = deadTerm[j] - aliveTerm[j];
  let value = 0;
  let gR = 0;
  let gAlpha = (r / alpha) * data.totalCount;
  let gA = 0;
  let gB = 0;
  const invA = 1 / a;
  // One exp and one log1p per row (this loop is the whole cost of an exact fit of a big store):
  // with d = dead − alive, ln(alive + dead) = alive + ln(1 + eᵈ) and w_dead = eᵈ/(1 + eᵈ),
  // written on the smaller exponent so that neither overflows.
  for (let i = 0; i < data.x.length; i++) {
    const j = data.xIndex[i];
    const x = data.x[i];
    const rx = r + x;
    const iT = data.TIndex[i];
    const iTx = data.txIndex[i];
    const lT = logAlphaT[iT];
    const lTx = logAlphaTx[iTx];
    const alive = aliveTerm[j] - rx * lT;
    const d = deadMinusAlive[j] - rx * (lTx - lT);
    let logSum: number;
    let wDead: number;
    if (d === -Infinity) {
      logSum = alive;
      wDead = 0;
    } else if (d <= 0) {
      const e = Math.exp(d);
      logSum = alive + Math.log1p(e);
      wDead = e / (1 + e);
    } else {
      const e = Math.exp(-d);
      logSum = alive + d + Math.log1p(e);
      wDead = 1 / (1 + e);
    }
    const wAlive = 1 - wDead;
    const n = data.count[i];
    value += n * (common[j] + logSum);
    gR += n * (dCommonR[j] - wAlive * lT - wDead * lTx);
    gAlpha -= n * rx * (wAlive * invAlphaT[iT] + wDead * invAlphaTx[iTx]);
    gA += n * (dAB[j] + wDead * invA);
    gB += n * (dAB[j] + wAlive * dAliveB[j] + wDead * dDeadB[j]);
  }
  return { value, gradient: [r * gR, alpha * gAlpha, a * gA, b * gB] };
}

/** Model description consumed by the shared fitter, intervals and back-test. */
export const bgNbdModel: CountingModelSpec<BgNbdParams> = {
  name: "bg-nbd",
  parameterNames: ["r", "alpha", "a", "b"],
  timeParameters: ["alpha"],
  // Published CDNOW fit (weeks): the centre of the small-store prior.
  reference: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
  starts: [
    { r: 1, alpha: 1, a: 1, b: 1 },
    { r: 0.3, alpha: 3, a: 0.5, b: 3 },
  ],
  logLikelihood: preparedLogLikelihood,
  logLikelihoodWithGradient: (params, data) => bgFamilyLogLikelihoodWithGradient(params, data, false),
};

/**
 * Log-likelihood Σ count · ln L(r, α, a, b | x, tx, T), eq. (6) of FHL (2005), evaluated
 * with the max-shift of Hardie note 027.
 *
 * @throws InvalidModelInputError for invalid rows.
 */
export function bgNbdLogLikelihood(params: BgNbdParams, rows: readonly PurchaseSummaryRow[]): number {
  assertBgNbdParams(params);
  return preparedLogLikelihood(params, preparePurchaseSummary(rows));
}

/**
 * Maximum-likelihood fit of BG/NBD on distinct (x, tx, T) tuples with counts.
 *
 * @example fitBgNbd(cdnowSummary).params // ≈ { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } (weeks)
 * @throws InvalidModelInputError for invalid rows.
 */
export function fitBgNbd(rows: readonly PurchaseSummaryRow[], options: FitOptions = {}): ModelFit<BgNbdParams> {
  return fitCountingModel(bgNbdModel, rows, options);
}

/**
 * P(alive | x, tx, T), eq. (11) of FHL (2005):
 * 1 / (1 + 1{x>0} · a/(b+x−1) · ((α+T)/(α+tx))^(r+x)). Equals 1 when x = 0 (a known
 * property of BG/NBD: one-time buyers are never considered dead).
 */
export function bgNbdProbabilityAlive(params: BgNbdParams, x: number, tx: number, T: number): number {
  assertCustomerPurchaseSummary({ x, tx, T }, null);
  if (x === 0) return 1;
  const { r, alpha, a, b } = params;
  const logOdds = Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
  return 1 / (1 + Math.exp(logOdds));
}

/** {@link bgNbdProbabilityAlive} of every customer with `x` and `T` at each of the `recencies`, into `out` (see mbg-nbd.ts). */
export function bgNbdProbabilityAliveAtRecencies(params: BgNbdParams, x: number, T: number, recencies: Float64Array, out: Float64Array): void {
  if (x === 0) {
    out.fill(1, 0, recencies.length);
    return;
  }
  const { r, alpha, a, b } = params;
  const shared = Math.log(a) - Math.log(b + x - 1) + (r + x) * Math.log(alpha + T);
  for (let i = 0; i < recencies.length; i++) out[i] = 1 / (1 + Math.exp(shared - (r + x) * Math.log(alpha + recencies[i])));
}

/**
 * E[Y(t) | x, tx, T]: expected repeat purchases in (T, T + t], eq. (10) of FHL (2005):
 * (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))] · P(alive).
 *
 * @example bgNbdConditionalExpectedPurchases({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, 39, 2, 30.43, 38.86) // ≈ 1.226
 */
export function bgNbdConditionalExpectedPurchases(
  params: BgNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  assertHorizon(t);
  const pAlive = bgNbdProbabilityAlive(params, x, tx, T);
  return bgNbdExpectedPurchasesGivenAlive(params, t, x, T) * pAlive;
}

/**
 * E[Y(t) | alive at T, x]: eq. (10) without the P(alive) factor.
 *
 * Numerics: with z = t/(α+T+t), the product ((α+T)/(α+T+t))^(r+x) · ₂F₁(r+x, b+x; a+b+x−1; z)
 * is rewritten by Euler's transformation (A&S 15.3.3) as
 * (1−z)^(a−1) · ₂F₁(a+b−1−r, a−1; a+b+x−1; z), whose series terms do not grow with x
 * (the original ₂F₁ overflows for heavy buyers, x in the hundreds).
 */
export function bgNbdExpectedPurchasesGivenAlive(params: BgNbdParams, t: number, x: number, T: number): number {
  if (t === 0) return 0;
  const { r, alpha, b } = params;
  const a = nudgeAwayFromOne(params.a);
  const z = t / (alpha + T + t);
  const c = a + b + x - 1;
  const tail = Math.exp((a - 1) * Math.log1p(-z)) * hyp2f1(a + b - 1 - r, a - 1, c, z);
  return (c / (a - 1)) * (1 - tail);
}

/**
 * Unconditional E[X(t)] for a customer who made the first purchase at time 0, eq. (9) of
 * FHL (2005): (a+b−1)/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))].
 */
export function bgNbdExpectedPurchases(params: BgNbdParams, t: number): number {
  assertHorizon(t);
  if (t === 0) return 0;
  const { r, alpha, a, b } = params;
  const aa = nudgeAwayFromOne(a);
  const powerTerm = Math.exp(-r * Math.log1p(t / alpha));
  return ((aa + b - 1) / (aa - 1)) * (1 - powerTerm * hyp2f1(r, b, aa + b - 1, t / (alpha + t)));
}

/**
 * The closed forms divide by (a − 1); at a = 1 both numerator and denominator vanish.
 * The expectation is continuous in a, so evaluating at 1 ± 1e-7 costs ~1e-7 relative error.
 */
function nudgeAwayFromOne(a: number): number {
  return Math.abs(a - 1) < 1e-7 ? 1 + 1e-7 : a;
}

export function assertHorizon(t: number): void {
  if (!Number.isFinite(t) || t < 0) throw new InvalidModelInputError("t", null, `must be a finite non-negative horizon (got ${t})`);
}

export function assertBgNbdParams(params: BgNbdParams): void {
  for (const name of ["r", "alpha", "a", "b"] as const) {
    const v = params[name];
    if (!Number.isFinite(v) || v <= 0) throw new InvalidModelInputError(`params.${name}`, null, `must be positive (got ${v})`);
  }
}
