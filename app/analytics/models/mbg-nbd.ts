/**
 * MBG/NBD model, Batislam, Denizel & Filiztekin (2007), "Empirical validation and comparison
 * of models for customer base analysis", International Journal of Research in Marketing
 * 24(3), 201–209.
 *
 * Same as BG/NBD except that the drop-out coin (probability p) is also tossed right after
 * the first purchase, so a customer with no repeat purchase can be dead: P(alive | x = 0) < 1.
 * Glossary as in bg-nbd.ts. Derivations in docs/models/mbg-nbd.md.
 *
 * @see https://doi.org/10.1016/j.ijresmar.2006.12.005
 */

import { hyp2f1 } from "../math/hyp2f1.ts";
import { logAddExp } from "../math/log-sum-exp.ts";
import { logGamma } from "../math/log-gamma.ts";
import { assertBgNbdParams, assertHorizon, bgFamilyLogLikelihoodWithGradient, type BgNbdParams } from "./bg-nbd.ts";
import { fitCountingModel, type CountingModelSpec, type FitOptions, type ModelFit } from "./counting-model.ts";
import { logAlphaPlusTimes, assertCustomerPurchaseSummary, preparePurchaseSummary, type PreparedSummary, type PurchaseSummaryRow } from "./purchase-summary.ts";

/** MBG/NBD has the same four parameters as BG/NBD. */
export type MbgNbdParams = BgNbdParams;

function preparedLogLikelihood(params: MbgNbdParams, data: PreparedSummary, aliveOut?: Float64Array): number {
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
    common[j] = logGamma(r + x) - lgR + rLnAlpha;
    const lgABX1 = logGamma(a + b + x + 1);
    // B(a, b+x+1) / B(a, b): survived x+1 drop-out tosses (first purchase included)
    aliveTerm[j] = logGamma(b + x + 1) + lgAB - lgB - lgABX1;
    // B(a+1, b+x) / B(a, b): survived x tosses, dropped at the (x+1)-th, for every x ≥ 0
    deadTerm[j] = lnA + logGamma(b + x) + lgAB - lgB - lgABX1;
  }
  // ln(α + t) once per distinct age and recency instead of twice per row.
  const logAlphaT = logAlphaPlusTimes(alpha, data.distinctT);
  const logAlphaTx = logAlphaPlusTimes(alpha, data.distinctTx);
  let total = 0;
  for (let i = 0; i < data.x.length; i++) {
    const j = data.xIndex[i];
    const rx = r + data.x[i];
    const alive = aliveTerm[j] - rx * logAlphaT[data.TIndex[i]];
    const dead = deadTerm[j] - rx * logAlphaTx[data.txIndex[i]];
    total += data.count[i] * (common[j] + logAddExp(alive, dead));
    // P(alive | x, tx, T) = alive / (alive + dead): the likelihood's own split.
    if (aliveOut) aliveOut[i] = 1 / (1 + Math.exp(dead - alive));
  }
  return total;
}

export const mbgNbdModel: CountingModelSpec<MbgNbdParams> = {
  name: "mbg-nbd",
  parameterNames: ["r", "alpha", "a", "b"],
  timeParameters: ["alpha"],
  // Published CDNOW fit (weeks): the centre of the small-store prior.
  reference: { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 },
  starts: [
    { r: 1, alpha: 1, a: 1, b: 1 },
    { r: 0.3, alpha: 3, a: 0.5, b: 3 },
  ],
  logLikelihood: preparedLogLikelihood,
  logLikelihoodWithGradient: (params, data) => bgFamilyLogLikelihoodWithGradient(params, data, true),
};

/**
 * Log-likelihood of MBG/NBD (Batislam et al. 2007, eq. 3):
 * L = Γ(r+x)α^r/Γ(r) · [B(a, b+x+1)/B(a,b) (α+T)^−(r+x) + B(a+1, b+x)/B(a,b) (α+tx)^−(r+x)].
 *
 * @throws InvalidModelInputError for invalid rows.
 */
export function mbgNbdLogLikelihood(params: MbgNbdParams, rows: readonly PurchaseSummaryRow[]): number {
  assertBgNbdParams(params);
  return preparedLogLikelihood(params, preparePurchaseSummary(rows));
}

/** Maximum-likelihood fit of MBG/NBD on distinct (x, tx, T) tuples with counts. */
export function fitMbgNbd(rows: readonly PurchaseSummaryRow[], options: FitOptions = {}): ModelFit<MbgNbdParams> {
  return fitCountingModel(mbgNbdModel, rows, options);
}

/**
 * P(alive | x, tx, T) = 1 / (1 + a/(b+x) · ((α+T)/(α+tx))^(r+x)), for every x including 0
 * (a one-time buyer whose first purchase was long ago is probably gone).
 */
export function mbgNbdProbabilityAlive(params: MbgNbdParams, x: number, tx: number, T: number): number {
  assertCustomerPurchaseSummary({ x, tx, T }, null);
  const { r, alpha, a, b } = params;
  const logOdds = Math.log(a) - Math.log(b + x) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * P(alive) of every customer with `x` repeat purchases and age `T` at each of the `recencies`
 * (their t_x), into `out`: the terms without t_x once, then one logarithm per customer (the
 * per-customer intervals evaluate every prediction tuple under every parameter draw).
 */
export function mbgNbdProbabilityAliveAtRecencies(params: MbgNbdParams, x: number, T: number, recencies: Float64Array, out: Float64Array): void {
  const { r, alpha, a, b } = params;
  const shared = Math.log(a) - Math.log(b + x) + (r + x) * Math.log(alpha + T);
  for (let i = 0; i < recencies.length; i++) out[i] = 1 / (1 + Math.exp(shared - (r + x) * Math.log(alpha + recencies[i])));
}

/**
 * E[Y(t) | alive at T, x]. Given alive, λ | data ~ Gamma(r+x, α+T) and p | data ~
 * Beta(a, b+x+1); integrating (1/p)(1 − e^(−λpt)) gives
 * (a+b+x)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x+1; a+b+x; t/(α+T+t))].
 */
export function mbgNbdExpectedPurchasesGivenAlive(params: MbgNbdParams, t: number, x: number, T: number): number {
  if (t === 0) return 0;
  const { r, alpha, b } = params;
  const a = Math.abs(params.a - 1) < 1e-7 ? 1 + 1e-7 : params.a;
  const z = t / (alpha + T + t);
  // Euler's transformation (A&S 15.3.3), as in BG/NBD: ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x+1; a+b+x; z)
  // = (1−z)^(a−1) ₂F₁(a+b−r, a−1; a+b+x; z), whose terms do not grow with x.
  const tail = Math.exp((a - 1) * Math.log1p(-z)) * hyp2f1(a + b - r, a - 1, a + b + x, z);
  return ((a + b + x) / (a - 1)) * (1 - tail);
}

/** E[Y(t) | x, tx, T] = E[Y(t) | alive] · P(alive). */
export function mbgNbdConditionalExpectedPurchases(
  params: MbgNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  assertHorizon(t);
  return mbgNbdExpectedPurchasesGivenAlive(params, t, x, T) * mbgNbdProbabilityAlive(params, x, tx, T);
}

/**
 * Unconditional E[X(t)] = b/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b+1; a+b; t/(α+t))]
 * (E[(1−p)/p · (1 − e^(−λpt))] over the mixing distributions; see docs/models/mbg-nbd.md).
 */
export function mbgNbdExpectedPurchases(params: MbgNbdParams, t: number): number {
  assertHorizon(t);
  if (t === 0) return 0;
  const { r, alpha, b } = params;
  const a = Math.abs(params.a - 1) < 1e-7 ? 1 + 1e-7 : params.a;
  const powerTerm = Math.exp(-r * Math.log1p(t / alpha));
  return (b / (a - 1)) * (1 - powerTerm * hyp2f1(r, b + 1, a + b, t / (alpha + t)));
}
