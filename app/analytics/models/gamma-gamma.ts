/**
 * Gamma-Gamma spend model, Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value Curves
 * for Customer Base Analysis", Journal of Marketing Research 42(4), 415–430, and Fader &
 * Hardie (2013), "The Gamma-Gamma Model of Monetary Value".
 *
 * Glossary: x = number of repeat transactions (≥ 1), mx = mean spend of those x repeat
 * transactions. Each transaction value ~ Gamma(p, ν), ν ~ Gamma(q, γ) across customers;
 * γ is in money units. Assumes spend is independent of purchase frequency (see
 * `spendFrequencyCorrelation`). Derivation in docs/models/gamma-gamma.md.
 *
 * @see https://www.brucehardie.com/notes/025/gamma_gamma.pdf
 */

import { invertSymmetricPositiveDefinite } from "../math/cholesky.ts";
import { digamma } from "../math/digamma.ts";
import { logGamma } from "../math/log-gamma.ts";
import { minimiseSmooth } from "../math/minimise-smooth.ts";
import { hessianFromGradient } from "../math/numeric-hessian.ts";
import type { FitOptions, ModelFit } from "./counting-model.ts";
import { InvalidModelInputError } from "./invalid-model-input-error.ts";

export interface GammaGammaParams {
  readonly p: number;
  readonly q: number;
  readonly gamma: number;
}

export interface SpendSummaryRow {
  /** repeat transactions, integer ≥ 1 */
  readonly x: number;
  /** mean spend per repeat transaction, > 0 */
  readonly meanSpend: number;
  /** customers sharing this row; default 1 */
  readonly count?: number;
}

/**
 * Checks x integer ≥ 1, meanSpend finite and > 0, count > 0 when given.
 *
 * @throws InvalidModelInputError naming the field and row index.
 */
export function assertSpendSummary(rows: readonly SpendSummaryRow[]): void {
  if (rows.length === 0) throw new InvalidModelInputError("rows", null, "is empty: nothing to fit");
  rows.forEach((row, i) => {
    if (!Number.isFinite(row.x) || !Number.isInteger(row.x) || row.x < 1) {
      throw new InvalidModelInputError("x", i, `must be an integer ≥ 1: Gamma-Gamma is fitted on repeat customers only (got ${row.x})`);
    }
    if (!Number.isFinite(row.meanSpend) || row.meanSpend <= 0) {
      throw new InvalidModelInputError("meanSpend", i, `must be a finite amount > 0 (got ${row.meanSpend})`);
    }
    if (row.count !== undefined && (!Number.isFinite(row.count) || row.count <= 0)) {
      throw new InvalidModelInputError("count", i, `must be positive (got ${row.count})`);
    }
  });
}

function logLikelihoodUnchecked(params: GammaGammaParams, rows: readonly SpendSummaryRow[], spendScale: number): number {
  const { p, q, gamma } = params;
  const lgQ = logGamma(q);
  const qLnGamma = q * Math.log(gamma);
  // The Γ terms depend on the row only through x: cache them per distinct x.
  const gammaTerms = new Map<number, number>();
  let total = 0;
  for (const row of rows) {
    const x = row.x;
    const m = row.meanSpend / spendScale;
    const px = p * x;
    let g = gammaTerms.get(x);
    if (g === undefined) {
      g = logGamma(px + q) - logGamma(px) + px * Math.log(x);
      gammaTerms.set(x, g);
    }
    // f(mx | p, q, γ, x), FHL (2005 JMR) eq. (2)/(3): density of the mean of x Gamma(p, ν) draws, mixed over ν.
    const ll = g - lgQ + qLnGamma + (px - 1) * Math.log(m) - (px + q) * Math.log(gamma + m * x);
    total += (row.count ?? 1) * ll;
  }
  return total;
}

/**
 * Gradient of the log-likelihood with respect to (ln p, ln q, ln γ): per row
 * ∂/∂p = x·[ψ(px+q) − ψ(px) + ln x + ln m − ln(γ+mx)], ∂/∂q = ψ(px+q) − ψ(q) + ln γ − ln(γ+mx),
 * ∂/∂γ = q/γ − (px+q)/(γ+mx); the ψ terms cached per distinct x like the Γ terms.
 */
function logLikelihoodWithGradientUnchecked(params: GammaGammaParams, rows: readonly SpendSummaryRow[], spendScale: number): { value: number; gradient: number[] } {
  const { p, q, gamma } = params;
  const psiQ = digamma(q);
  const lgQ = logGamma(q);
  const lnGamma = Math.log(gamma);
  const psiTerms = new Map<number, { g: number; dp: number; dq: number }>();
  let value = 0;
  let gP = 0;
  let gQ = 0;
  let gGamma = 0;
  for (const row of rows) {
    const x = row.x;
    const m = row.meanSpend / spendScale;
    const px = p * x;
    let psi = psiTerms.get(x);
    if (psi === undefined) {
      const psiPxQ = digamma(px + q);
      psi = { g: logGamma(px + q) - logGamma(px) + px * Math.log(x), dp: x * (psiPxQ - digamma(px) + Math.log(x)), dq: psiPxQ - psiQ + lnGamma };
      psiTerms.set(x, psi);
    }
    const lnGammaMx = Math.log(gamma + m * x);
    const c = row.count ?? 1;
    value += c * (psi.g - lgQ + q * lnGamma + (px - 1) * Math.log(m) - (px + q) * lnGammaMx);
    gP += c * (psi.dp + x * (Math.log(m) - lnGammaMx));
    gQ += c * (psi.dq - lnGammaMx);
    gGamma += c * (q / gamma - (px + q) / (gamma + m * x));
  }
  return { value, gradient: [p * gP, q * gQ, gamma * gGamma] };
}

/**
 * Σ count · ln f(mx | p, q, γ, x), the Gamma-Gamma likelihood of the observed mean spends.
 *
 * @throws InvalidModelInputError for invalid rows.
 */
export function gammaGammaLogLikelihood(params: GammaGammaParams, rows: readonly SpendSummaryRow[]): number {
  assertSpendSummary(rows);
  return logLikelihoodUnchecked(params, rows, 1);
}

const NAMES = ["p", "q", "gamma"] as const;
const toParams = (v: readonly number[]): GammaGammaParams => ({ p: Math.exp(v[0]), q: Math.exp(v[1]), gamma: Math.exp(v[2]) });

/**
 * Maximum-likelihood fit of (p, q, γ) on repeat customers' mean repeat spend.
 * Spend is divided by its mean while fitting (reported as `scale`), γ scaled back.
 *
 * @example fitGammaGamma(cdnowRepeatCustomers).params // ≈ { p: 6.25, q: 3.74, gamma: 15.44 }
 * @throws InvalidModelInputError for invalid rows.
 */
export function fitGammaGamma(rows: readonly SpendSummaryRow[], options: FitOptions = {}): ModelFit<GammaGammaParams> {
  assertSpendSummary(rows);
  let weight = 0;
  let spend = 0;
  for (const row of rows) {
    weight += row.count ?? 1;
    spend += (row.count ?? 1) * row.meanSpend;
  }
  const scale = spend / weight;
  const objective = (v: readonly number[]): number => -logLikelihoodUnchecked(toParams(v), rows, scale) / weight;
  const valueAndGradient = (v: readonly number[]) => {
    const ll = logLikelihoodWithGradientUnchecked(toParams(v), rows, scale);
    return { value: -ll.value / weight, gradient: ll.gradient.map((g) => -g / weight) };
  };
  const result = minimiseSmooth(
    objective,
    [
      [0, 0, 0],
      [Math.log(5), Math.log(3), Math.log(2)],
    ],
    {
      lower: [-14, -14, -14],
      upper: [14, 14, 14],
      xTolerance: 1e-6,
      fTolerance: 1e-10,
      maxIterations: options.maxIterations ?? 4000,
      valueAndGradient,
    },
  );
  const scaled = toParams(result.point);
  const params = { ...scaled, gamma: scaled.gamma * scale };
  const logLikelihood = logLikelihoodUnchecked(params, rows, 1);
  const onBoundary = result.point.some((v) => Math.abs(v) > 14 - 1e-3);
  return {
    params,
    logLikelihood,
    converged: result.converged && !onBoundary && Number.isFinite(logLikelihood),
    iterations: result.iterations,
    scale,
  };
}

/**
 * E[M | p, q, γ, mx, x] = (γ + mx·x)·p / (p·x + q − 1): the expected mean transaction value
 * of a customer with x repeat transactions averaging mx, FHL (2005 JMR) eq. (5). A weighted
 * average of the population mean pγ/(q−1) and the customer's own mean mx.
 * For x = 0 it returns the population mean (needs q > 1).
 *
 * @throws InvalidModelInputError when x is negative/non-integer, meanSpend ≤ 0 with x > 0,
 *   or the mean does not exist (p·x + q ≤ 1).
 */
export function gammaGammaExpectedSpend(params: GammaGammaParams, x: number, meanSpend: number): number {
  if (!Number.isInteger(x) || x < 0) throw new InvalidModelInputError("x", null, `must be an integer ≥ 0 (got ${x})`);
  if (x > 0 && !(meanSpend > 0)) throw new InvalidModelInputError("meanSpend", null, `must be > 0 (got ${meanSpend})`);
  const { p, q, gamma } = params;
  const denominator = p * x + q - 1;
  if (!(denominator > 0)) {
    throw new InvalidModelInputError("params.q", null, `p·x + q must exceed 1 for a finite expected spend (q = ${q})`);
  }
  return ((gamma + (x > 0 ? meanSpend * x : 0)) * p) / denominator;
}

/**
 * Covariance of (ln p, ln q, ln γ) from the observed information matrix; null when not
 * positive definite.
 */
export function gammaGammaLogParameterCovariance(params: GammaGammaParams, rows: readonly SpendSummaryRow[]): number[][] | null {
  assertSpendSummary(rows);
  const negGradient = (v: readonly number[]): number[] => logLikelihoodWithGradientUnchecked(toParams(v), rows, 1).gradient.map((g) => -g);
  const point = NAMES.map((name) => Math.log(params[name]));
  return invertSymmetricPositiveDefinite(hessianFromGradient(negGradient, point, 1e-4));
}

/**
 * Analytic gradient of {@link gammaGammaLogLikelihood} with respect to (ln p, ln q, ln γ).
 *
 * @throws InvalidModelInputError for invalid rows.
 */
export function gammaGammaLogLikelihoodGradient(params: GammaGammaParams, rows: readonly SpendSummaryRow[]): number[] {
  assertSpendSummary(rows);
  return logLikelihoodWithGradientUnchecked(params, rows, 1).gradient;
}

export const gammaGammaParameterNames: readonly (keyof GammaGammaParams & string)[] = NAMES;

/**
 * Pearson correlation between frequency x and mean spend over the rows (weighted by count).
 * Gamma-Gamma assumes the two are independent; a value far from 0 (|ρ| > 0.3, say) is a
 * warning to show next to the CLV figures. NaN when either column is constant.
 */
export function spendFrequencyCorrelation(rows: readonly SpendSummaryRow[]): number {
  assertSpendSummary(rows);
  let w = 0;
  let mx = 0;
  let my = 0;
  for (const row of rows) {
    const c = row.count ?? 1;
    w += c;
    mx += c * row.x;
    my += c * row.meanSpend;
  }
  mx /= w;
  my /= w;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const row of rows) {
    const c = row.count ?? 1;
    const dx = row.x - mx;
    const dy = row.meanSpend - my;
    sxy += c * dx * dy;
    sxx += c * dx * dx;
    syy += c * dy * dy;
  }
  return sxx === 0 || syy === 0 ? NaN : sxy / Math.sqrt(sxx * syy);
}
