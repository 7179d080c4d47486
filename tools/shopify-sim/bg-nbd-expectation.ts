/**
 * Closed-form expectations of the generator's purchase process, used to size stores and, in
 * tests, as the analytic oracle the generated data must match.
 *
 * Glossary (Fader, Hardie & Lee 2005): r, alpha — Gamma heterogeneity of the purchase rate λ;
 * a, b — Beta heterogeneity of the dropout probability p; t — length of the observation window
 * after the first purchase, in the process's time unit.
 */

/**
 * Gauss hypergeometric function 2F1(a, b; c; z) by its power series, for 0 ≤ z < 1.
 * @see https://dlmf.nist.gov/15.2 (eq. 15.2.1)
 */
export function hypergeometric2F1(a: number, b: number, c: number, z: number): number {
  if (!(z >= 0 && z < 1)) throw new Error(`hypergeometric2F1: z must be in [0,1), got ${z}`);
  let term = 1;
  let sum = 1;
  for (let n = 0; n < 1_000_000; n++) {
    term *= ((a + n) * (b + n)) / ((c + n) * (n + 1)) * z;
    sum += term;
    if (Math.abs(term) < 1e-15 * Math.abs(sum)) return sum;
  }
  return sum;
}

/**
 * Expected number of repeat purchases in (0, t] for a customer drawn at random from a BG/NBD
 * population: E[X(t)] = (a+b−1)/(a−1) · [1 − (α/(α+t))^r · 2F1(r, b; a+b−1; t/(α+t))].
 * Eq. (9), Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way", Marketing Science 24(2).
 * @see http://www.brucehardie.com/papers/018/fader_et_al_mksc_05.pdf
 * Valid for any a ≠ 1 (for a < 1 both factors are negative; CDNOW's a = 0.793 is such a case).
 * @throws if a = 1, where the closed form is singular.
 */
export function bgNbdExpectedRepeatPurchases(params: { r: number; alpha: number; a: number; b: number }, t: number): number {
  const { r, alpha, a, b } = params;
  if (a === 1) throw new Error("bgNbdExpectedRepeatPurchases: the closed form is singular at a = 1");
  if (t <= 0) return 0;
  const z = t / (alpha + t);
  return ((a + b - 1) / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), r) * hypergeometric2F1(r, b, a + b - 1, z));
}

/**
 * Expected spend per transaction under the Gamma-Gamma model: p·γ/(q−1) (needs q > 1).
 * Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value Curves for Customer Base Analysis", eq. (3)
 * integrated over ν ~ Gamma(q, γ). @see http://www.brucehardie.com/notes/025/gamma_gamma.pdf
 */
export function gammaGammaMeanSpend(params: { p: number; q: number; gamma: number }): number {
  if (!(params.q > 1)) throw new Error(`gammaGammaMeanSpend: needs q > 1, got q=${params.q}`);
  return (params.p * params.gamma) / (params.q - 1);
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/**
 * ln Γ(z) for z > 0 by the Lanczos approximation (g = 7, 9 terms; ~15 significant digits),
 * with the reflection formula below 0.5. @see https://en.wikipedia.org/wiki/Lanczos_approximation
 */
export function logGamma(z: number): number {
  if (z < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * z))) - logGamma(1 - z);
  const zz = z - 1;
  let x = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) x += LANCZOS[i] / (zz + i);
  const t = zz + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (zz + 0.5) * Math.log(t) - t + Math.log(x);
}

function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/**
 * P(X(t) = x): probability of exactly x repeat purchases in (0, t] for a random customer.
 * Eq. (8), Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way".
 */
export function bgNbdProbabilityOfRepeatPurchases(params: { r: number; alpha: number; a: number; b: number }, t: number, x: number): number {
  const { r, alpha, a, b } = params;
  if (!Number.isInteger(x) || x < 0) throw new Error(`bgNbdProbabilityOfRepeatPurchases: x must be a non-negative integer, got ${x}`);
  const logPAlive = Math.log(alpha / (alpha + t));
  const logPRate = Math.log(t / (alpha + t));
  /** ln[Γ(r+j)/(Γ(r) j!)] */
  const logNbdCoefficient = (j: number) => logGamma(r + j) - logGamma(r) - logGamma(j + 1);
  const first = Math.exp(logBeta(a, b + x) - logBeta(a, b) + logNbdCoefficient(x) + r * logPAlive + (x > 0 ? x * logPRate : 0));
  if (x === 0) return first;
  let partial = 0;
  for (let j = 0; j < x; j++) partial += Math.exp(logNbdCoefficient(j) + r * logPAlive + (j > 0 ? j * logPRate : 0));
  return first + Math.exp(logBeta(a + 1, b + x - 1) - logBeta(a, b)) * (1 - partial);
}
