/**
 * Pareto/NBD model, Schmittlein, Morrison & Colombo (1987), "Counting Your Customers: Who
 * Are They and What Will They Do Next?", Management Science 33(1), 1–24; likelihood in the
 * form of Fader & Hardie (2005), "A Note on Deriving the Pareto/NBD Model and Related
 * Expressions".
 *
 * While alive a customer buys as Poisson(λ), λ ~ Gamma(r, α); the lifetime is
 * Exponential(μ), μ ~ Gamma(s, β). α and β are in the caller's time unit.
 * Glossary as in bg-nbd.ts. Derivations in docs/models/pareto-nbd.md.
 *
 * @see https://www.brucehardie.com/notes/009/pareto_nbd_derivations_2005-11-05.pdf
 */

import { hyp2f1 } from "../math/hyp2f1.ts";
import { logAddExp, logSubExp } from "../math/log-sum-exp.ts";
import { digamma } from "../math/digamma.ts";
import { logGamma } from "../math/log-gamma.ts";
import { assertHorizon } from "./bg-nbd.ts";
import { fitCountingModel, type CountingModelSpec, type FitOptions, type ModelFit } from "./counting-model.ts";
import { InvalidModelInputError } from "./invalid-model-input-error.ts";
import { assertCustomerPurchaseSummary, preparePurchaseSummary, type PreparedSummary, type PurchaseSummaryRow } from "./purchase-summary.ts";

export interface ParetoNbdParams {
  readonly r: number;
  readonly alpha: number;
  readonly s: number;
  readonly beta: number;
}

/**
 * ln A₀ of Fader & Hardie (2005), eq. (19)/(20): with m = max(α, β),
 * A₀ = F(tx)/(m+tx)^(r+s+x) − F(T)/(m+T)^(r+s+x), F(t) = ₂F₁(r+s+x, q; r+s+x+1; |α−β|/(m+t)),
 * q = s+1 when α ≥ β and q = r+x otherwise, so the argument stays in [0, 1).
 */
function logA0(params: ParetoNbdParams, x: number, tx: number, T: number): number {
  return tx === T ? -Infinity : logA0FromTerms(a0Term(params, x, tx), a0Term(params, x, T));
}

/** log of A₀'s term at time t (its value at t_x less its value at T is A₀). */
function a0Term({ r, alpha, s, beta }: ParetoNbdParams, x: number, t: number): number {
  const rsx = r + s + x;
  const m = Math.max(alpha, beta);
  return logHyp2f1APlusOne(rsx, alpha >= beta ? s + 1 : r + x, Math.abs(alpha - beta) / (m + t)) - rsx * Math.log(m + t);
}

/** log A₀ from its terms at t_x and T (t_x < T). */
function logA0FromTerms(atTx: number, atT: number): number {
  // Rounding can make atT ≥ atTx when tx ≈ T; A₀ is then 0 to working precision.
  return atT >= atTx ? -Infinity : logSubExp(atTx, atT);
}

function preparedLogLikelihood(params: ParetoNbdParams, data: PreparedSummary, aliveOut?: Float64Array): number {
  const { r, alpha, s, beta } = params;
  const k = data.distinctX.length;
  const nT = data.distinctT.length;
  const lgR = logGamma(r);
  const base = r * Math.log(alpha) + s * Math.log(beta);
  const m = Math.max(alpha, beta);
  const gap = Math.abs(alpha - beta);
  const qBase = alpha >= beta ? s + 1 : r;
  const common = new Float64Array(k);
  for (let j = 0; j < k; j++) common[j] = logGamma(r + data.distinctX[j]) - lgR + base;
  // Ages repeat across rows (customers who started on the same day): cache per distinct T,
  // and the A₀ term at T per distinct (x, T) pair.
  const logAlphaT = new Float64Array(nT);
  const logBetaT = new Float64Array(nT);
  const logMT = new Float64Array(nT);
  for (let j = 0; j < nT; j++) {
    const T = data.distinctT[j];
    logAlphaT[j] = Math.log(alpha + T);
    logBetaT[j] = Math.log(beta + T);
    logMT[j] = Math.log(m + T);
  }
  const a0AtT = new Float64Array(k * nT).fill(NaN);
  // Same for the term at tx per distinct (x, tx) pair (on a day grid, recencies repeat).
  // Only when the table is not much bigger than the data (exact days over a long history).
  const nTx = data.distinctTx.length;
  const cacheTx = k * nTx <= 4 * data.x.length + 1024;
  const a0AtTx = new Float64Array(cacheTx ? k * nTx : 0);
  a0AtTx.fill(NaN);
  const lnS = Math.log(s);
  let total = 0;
  for (let i = 0; i < data.x.length; i++) {
    const x = data.x[i];
    const tx = data.tx[i];
    const jx = data.xIndex[i];
    const jT = data.TIndex[i];
    const rsx = r + s + x;
    const q = alpha >= beta ? qBase : qBase + x;
    let atT = a0AtT[jx * nT + jT];
    if (Number.isNaN(atT)) {
      atT = logHyp2f1APlusOne(rsx, q, gap / (m + data.T[i])) - rsx * logMT[jT];
      a0AtT[jx * nT + jT] = atT;
    }
    let logA0 = -Infinity;
    if (tx < data.T[i]) {
      const slot = cacheTx ? jx * nTx + data.txIndex[i] : -1;
      let atTx = cacheTx ? a0AtTx[slot] : NaN;
      if (Number.isNaN(atTx)) {
        atTx = logHyp2f1APlusOne(rsx, q, gap / (m + tx)) - rsx * Math.log(m + tx);
        if (cacheTx) a0AtTx[slot] = atTx;
      }
      logA0 = logA0FromTerms(atTx, atT);
    }
    const aliveTerm = -(r + x) * logAlphaT[jT] - s * logBetaT[jT];
    const deadTerm = lnS - Math.log(rsx) + logA0;
    total += data.count[i] * (common[jx] + logAddExp(aliveTerm, deadTerm));
    // P(alive | x, tx, T) = alive / (alive + dead): the likelihood's own split.
    if (aliveOut) aliveOut[i] = deadTerm === -Infinity ? 1 : 1 / (1 + Math.exp(deadTerm - aliveTerm));
  }
  return total;
}

/**
 * ln ₂F₁(a, q; a+1; z) for a, q > 0 and 0 ≤ z < 1, the only form the likelihood needs.
 * Euler's transformation (A&S 15.3.3) gives (1−z)^(1−q) · ₂F₁(1, a+1−q; a+1; z), whose
 * series has positive terms shrinking at least as fast as zⁿ — no overflow when q = r+x is
 * large (heavy buyers), unlike the original series whose terms grow like (1−z)^(−q).
 * Arguments above 0.9 go to the general routine with its 1 − z transformation.
 */
function logHyp2f1APlusOne(a: number, q: number, z: number): number {
  const b = a + 1 - q;
  let sum = 1;
  if (z > 0.9) {
    sum = hyp2f1(1, b, a + 1, z);
  } else {
    let term = 1;
    for (let n = 0; n < 10_000; n++) {
      term *= ((b + n) * z) / (a + 1 + n);
      sum += term;
      if (term <= 1e-17 * sum) break;
    }
  }
  return (1 - q) * Math.log1p(-z) + Math.log(sum);
}

/**
 * ln ₂F₁(a, q; a+1; z) (as {@link logHyp2f1APlusOne}) and its partial derivatives, written to
 * `out` as [value, ∂/∂a, ∂/∂q, ∂/∂z]. On the series branch the derivatives are summed with the
 * series: term n carries the factor Π (b+k)z/(a+1+k), whose logarithmic derivatives are running
 * sums of 1/(b+k) − 1/(a+1+k) (a), −1/(b+k) (q, through b = a+1−q) and n/z (z). Above z = 0.9
 * the general ₂F₁ routine is used for the value, and the partials are central differences of it.
 */
function logHyp2f1APlusOneWithPartials(a: number, q: number, z: number, out: Float64Array): void {
  if (z > 0.9) {
    const value = logHyp2f1APlusOne(a, q, z);
    const ha = 1e-6 * a;
    const hq = 1e-6 * q;
    const hz = Math.min(1e-7, (1 - z) / 4);
    out[0] = value;
    out[1] = (logHyp2f1APlusOne(a + ha, q, z) - logHyp2f1APlusOne(a - ha, q, z)) / (2 * ha);
    out[2] = (logHyp2f1APlusOne(a, q + hq, z) - logHyp2f1APlusOne(a, q - hq, z)) / (2 * hq);
    out[3] = (logHyp2f1APlusOne(a, q, z + hz) - logHyp2f1APlusOne(a, q, z - hz)) / (2 * hz);
    return;
  }
  const b = a + 1 - q;
  let sum = 1;
  let term = 1;
  let logDerivA = 0;
  let logDerivQ = 0;
  let sumA = 0;
  let sumQ = 0;
  let sumZ = 0; // Σ n · termₙ (÷ z at the end)
  for (let n = 0; n < 10_000; n++) {
    logDerivA += 1 / (b + n) - 1 / (a + 1 + n);
    logDerivQ -= 1 / (b + n);
    term *= ((b + n) * z) / (a + 1 + n);
    sum += term;
    sumA += term * logDerivA;
    sumQ += term * logDerivQ;
    sumZ += term * (n + 1);
    if (term <= 1e-17 * sum) break;
  }
  const log1mz = Math.log1p(-z);
  out[0] = (1 - q) * log1mz + Math.log(sum);
  out[1] = sumA / sum;
  out[2] = -log1mz + sumQ / sum;
  // At z = 0 the series' slope is its first coefficient b/(a+1).
  out[3] = -(1 - q) / (1 - z) + (z > 0 ? sumZ / z : b / (a + 1)) / sum;
}

/**
 * Reused per-evaluation caches of the gradient pass (an exact big store's tables hold ~400k
 * numbers each; allocating them on every evaluation of a fit made garbage-collection work).
 * Two slots: the (x, T) table and the (x, t_x) table. Nothing is kept between calls but memory.
 */
const nanBuffers: Float64Array[] = [new Float64Array(0), new Float64Array(0)];
function nanFilledBuffer(slot: number, size: number): Float64Array {
  if (nanBuffers[slot].length < size) nanBuffers[slot] = new Float64Array(size);
  const view = nanBuffers[slot].subarray(0, size);
  view.fill(NaN);
  return view;
}

/**
 * Gradient of the Pareto/NBD log-likelihood with respect to (ln r, ln α, ln s, ln β).
 * ln L = common + ln(alive + dead) with common = ln Γ(r+x) − ln Γ(r) + r ln α + s ln β,
 * alive = −(r+x) ln(α+T) − s ln(β+T), dead = ln s − ln(r+s+x) + ln A₀; the derivative of
 * ln A₀ = ln(e^u − e^v), u, v the A₀ terms at tx and T, is (u′ − ρ v′)/(1 − ρ), ρ = e^(v−u),
 * and each term's derivative follows from the ₂F₁ partials (chain rule through a = r+s+x, q, and
 * z = |α−β|/(max(α,β)+t)). Cached per distinct (x, T) and (x, tx) like the likelihood, and
 * returned with the log-likelihood itself (same value as the likelihood function).
 */
function preparedLogLikelihoodWithGradient(params: ParetoNbdParams, data: PreparedSummary): { value: number; gradient: number[] } {
  const { r, alpha, s, beta } = params;
  const k = data.distinctX.length;
  const nT = data.distinctT.length;
  const nTx = data.distinctTx.length;
  const alphaAbove = alpha >= beta;
  const m = Math.max(alpha, beta);
  const gap = Math.abs(alpha - beta);
  const psiR = digamma(r);
  const lgR = logGamma(r);
  const base = r * Math.log(alpha) + s * Math.log(beta);
  const common = new Float64Array(k);
  const dCommonR = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    common[j] = logGamma(r + data.distinctX[j]) - lgR + base;
    dCommonR[j] = digamma(r + data.distinctX[j]) - psiR + Math.log(alpha);
  }
  // Per cached A₀ term: value and its derivatives in (r, α, s, β): 5 numbers per slot.
  const partials = new Float64Array(4);
  const term = (x: number, t: number, out: Float64Array, o: number) => {
    const a = r + s + x;
    const q = alphaAbove ? s + 1 : r + x;
    const mt = m + t;
    const z = gap / mt;
    logHyp2f1APlusOneWithPartials(a, q, z, partials);
    const [g, gA, gQ, gZ] = partials;
    const lnMt = Math.log(mt);
    out[o] = g - a * lnMt;
    // dz/dα, dz/dβ and dm/dα, dm/dβ for the branch in use.
    const dzAlpha = alphaAbove ? (beta + t) / (mt * mt) : -1 / mt;
    const dzBeta = alphaAbove ? -1 / mt : (alpha + t) / (mt * mt);
    const dmAlpha = alphaAbove ? 1 : 0;
    const dmBeta = alphaAbove ? 0 : 1;
    out[o + 1] = gA + (alphaAbove ? 0 : gQ) - lnMt; // r
    out[o + 2] = gZ * dzAlpha - (a * dmAlpha) / mt; // α
    out[o + 3] = gA + (alphaAbove ? gQ : 0) - lnMt; // s
    out[o + 4] = gZ * dzBeta - (a * dmBeta) / mt; // β
  };
  const atT = nanFilledBuffer(0, k * nT * 5);
  const cacheTx = k * nTx <= 4 * data.x.length + 1024;
  const atTxCache = nanFilledBuffer(1, cacheTx ? k * nTx * 5 : 0);
  const scratch = new Float64Array(5);
  const lnS = Math.log(s);
  // Per distinct age: ln(α+T), ln(β+T) and their reciprocals; per distinct x: ln(r+s+x) and
  // 1/(r+s+x). The row loop below is the whole cost of an exact big-store fit, so it computes
  // no logarithm or division that a table can hold.
  const lnAlphaTs = new Float64Array(nT);
  const lnBetaTs = new Float64Array(nT);
  const invAlphaTs = new Float64Array(nT);
  const invBetaTs = new Float64Array(nT);
  for (let j = 0; j < nT; j++) {
    const T = data.distinctT[j];
    lnAlphaTs[j] = Math.log(alpha + T);
    lnBetaTs[j] = Math.log(beta + T);
    invAlphaTs[j] = 1 / (alpha + T);
    invBetaTs[j] = 1 / (beta + T);
  }
  const lnRsx = new Float64Array(k);
  const invRsx = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    lnRsx[j] = Math.log(r + s + data.distinctX[j]);
    invRsx[j] = 1 / (r + s + data.distinctX[j]);
  }
  const invS = 1 / s;
  const lnBeta = Math.log(beta);
  let value = 0;
  let gR = 0;
  let gAlpha = (r / alpha) * data.totalCount;
  let gS = lnBeta * data.totalCount;
  let gBeta = (s / beta) * data.totalCount;
  for (let i = 0; i < data.x.length; i++) {
    const x = data.x[i];
    const tx = data.tx[i];
    const T = data.T[i];
    const jx = data.xIndex[i];
    const jT = data.TIndex[i];
    const oT = (jx * nT + jT) * 5;
    if (Number.isNaN(atT[oT])) term(x, T, atT, oT);
    const lnAlphaT = lnAlphaTs[jT];
    const lnBetaT = lnBetaTs[jT];
    const alive = -(r + x) * lnAlphaT - s * lnBetaT;
    // Derivatives of the alive and dead terms in (r, α, s, β).
    let aR = -lnAlphaT;
    let aAlpha = -(r + x) * invAlphaTs[jT];
    let aS = -lnBetaT;
    let aBeta = -s * invBetaTs[jT];
    let logSum = alive;
    if (tx < T) {
      let u: Float64Array = scratch;
      let oTx = 0;
      if (cacheTx) {
        u = atTxCache;
        oTx = (jx * nTx + data.txIndex[i]) * 5;
        if (Number.isNaN(u[oTx])) term(x, tx, u, oTx);
      } else term(x, tx, scratch, 0);
      const uv = u[oTx];
      const vv = atT[oT];
      if (vv < uv) {
        const rho = Math.exp(vv - uv);
        const dead = lnS - lnRsx[jx] + uv + Math.log1p(-rho);
        // ln(e^alive + e^dead) and the dead term's weight from one exponential.
        const d = dead - alive;
        let wDead: number;
        if (d <= 0) {
          const e = Math.exp(d);
          logSum = alive + Math.log1p(e);
          wDead = e / (1 + e);
        } else {
          const e = Math.exp(-d);
          logSum = dead + Math.log1p(e);
          wDead = 1 / (1 + e);
        }
        const f = 1 / (1 - rho);
        const dR = -invRsx[jx] + (u[oTx + 1] - rho * atT[oT + 1]) * f;
        const dAlpha = (u[oTx + 2] - rho * atT[oT + 2]) * f;
        const dS = invS - invRsx[jx] + (u[oTx + 3] - rho * atT[oT + 3]) * f;
        const dBeta = (u[oTx + 4] - rho * atT[oT + 4]) * f;
        const wAlive = 1 - wDead;
        aR = wAlive * aR + wDead * dR;
        aAlpha = wAlive * aAlpha + wDead * dAlpha;
        aS = wAlive * aS + wDead * dS;
        aBeta = wAlive * aBeta + wDead * dBeta;
      }
    }
    const n = data.count[i];
    value += n * (common[jx] + logSum);
    gR += n * (dCommonR[jx] + aR);
    gAlpha += n * aAlpha;
    gS += n * aS;
    gBeta += n * aBeta;
  }
  return { value, gradient: [r * gR, alpha * gAlpha, s * gS, beta * gBeta] };
}

export const paretoNbdModel: CountingModelSpec<ParetoNbdParams> = {
  name: "pareto-nbd",
  parameterNames: ["r", "alpha", "s", "beta"],
  timeParameters: ["alpha", "beta"],
  // Published CDNOW fit (weeks): the centre of the small-store prior.
  reference: { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 },
  starts: [
    { r: 1, alpha: 1, s: 1, beta: 1 },
    { r: 0.5, alpha: 3, s: 0.5, beta: 3 },
  ],
  logLikelihood: preparedLogLikelihood,
  logLikelihoodWithGradient: preparedLogLikelihoodWithGradient,
};

/**
 * Log-likelihood, Fader & Hardie (2005) eq. (22):
 * L = Γ(r+x)α^r β^s/Γ(r) · [1/((α+T)^(r+x)(β+T)^s) + s/(r+s+x) · A₀].
 *
 * @throws InvalidModelInputError for invalid rows or parameters.
 */
export function paretoNbdLogLikelihood(params: ParetoNbdParams, rows: readonly PurchaseSummaryRow[]): number {
  assertParetoNbdParams(params);
  return preparedLogLikelihood(params, preparePurchaseSummary(rows));
}

/** Maximum-likelihood fit of Pareto/NBD on distinct (x, tx, T) tuples with counts. */
export function fitParetoNbd(rows: readonly PurchaseSummaryRow[], options: FitOptions = {}): ModelFit<ParetoNbdParams> {
  return fitCountingModel(paretoNbdModel, rows, options);
}

/**
 * P(alive | x, tx, T) = 1 / (1 + s/(r+s+x) · (α+T)^(r+x) (β+T)^s · A₀), Fader & Hardie (2005)
 * eq. (24). Below 1 for one-time buyers too.
 */
export function paretoNbdProbabilityAlive(params: ParetoNbdParams, x: number, tx: number, T: number): number {
  assertCustomerPurchaseSummary({ x, tx, T }, null);
  return 1 / (1 + Math.exp(aliveLogOddsWithoutA0(params, x, T) + logA0(params, x, tx, T)));
}

/** log of s/(r+s+x) · (α+T)^(r+x) (β+T)^s: the odds of having dropped out, less A₀'s factor. */
function aliveLogOddsWithoutA0({ r, alpha, s, beta }: ParetoNbdParams, x: number, T: number): number {
  return Math.log(s) - Math.log(r + s + x) + (r + x) * Math.log(alpha + T) + s * Math.log(beta + T);
}

/**
 * {@link paretoNbdProbabilityAlive} of every customer with `x` and `T` at each of the `recencies`
 * (their t_x), into `out`: the terms at T, A₀'s among them, once; per customer only A₀'s term at
 * t_x (the per-customer intervals evaluate every prediction tuple under every parameter draw).
 */
export function paretoNbdProbabilityAliveAtRecencies(params: ParetoNbdParams, x: number, T: number, recencies: Float64Array, out: Float64Array): void {
  const shared = aliveLogOddsWithoutA0(params, x, T);
  const atT = a0Term(params, x, T);
  for (let i = 0; i < recencies.length; i++) {
    const tx = recencies[i];
    const logA0 = tx === T ? -Infinity : logA0FromTerms(a0Term(params, x, tx), atT);
    out[i] = 1 / (1 + Math.exp(shared + logA0));
  }
}

/**
 * E[Y(t) | alive at T, x] = (r+x)/(α+T) · (β+T)/(s−1) · [1 − ((β+T)/(β+T+t))^(s−1)]
 * (SMC 1987 eq. 22 without P(alive)); the s → 1 limit (β+T)·ln(1 + t/(β+T)) is reached
 * smoothly through expm1.
 */
export function paretoNbdExpectedPurchasesGivenAlive(params: ParetoNbdParams, t: number, x: number, T: number): number {
  if (t === 0) return 0;
  const { r, alpha, s, beta } = params;
  return ((r + x) / (alpha + T)) * (beta + T) * lifetimeFactor(s, Math.log1p(t / (beta + T)));
}

/** ∫₀^u e^(−(s−1)v) dv = (1 − e^(−(s−1)u))/(s−1), = u at s = 1. */
function lifetimeFactor(s: number, u: number): number {
  const k = s - 1;
  return k === 0 ? u : -Math.expm1(-k * u) / k;
}

/** E[Y(t) | x, tx, T] = E[Y(t) | alive] · P(alive), SMC (1987) eq. (22). */
export function paretoNbdConditionalExpectedPurchases(
  params: ParetoNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  assertHorizon(t);
  return paretoNbdExpectedPurchasesGivenAlive(params, t, x, T) * paretoNbdProbabilityAlive(params, x, tx, T);
}

/** Unconditional E[X(t)] = rβ/(α(s−1)) · [1 − (β/(β+t))^(s−1)], SMC (1987) eq. (17). */
export function paretoNbdExpectedPurchases(params: ParetoNbdParams, t: number): number {
  assertHorizon(t);
  const { r, alpha, s, beta } = params;
  return (r / alpha) * beta * lifetimeFactor(s, Math.log1p(t / beta));
}

export function assertParetoNbdParams(params: ParetoNbdParams): void {
  for (const name of ["r", "alpha", "s", "beta"] as const) {
    const v = params[name];
    if (!Number.isFinite(v) || v <= 0) throw new InvalidModelInputError(`params.${name}`, null, `must be positive (got ${v})`);
  }
}
