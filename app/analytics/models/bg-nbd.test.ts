import { describe, expect, it } from "vitest";
import {
  bgNbdConditionalExpectedPurchases,
  bgNbdExpectedPurchases,
  bgNbdLogLikelihood,
  bgNbdProbabilityAlive,
  fitBgNbd,
} from "./bg-nbd.ts";
import { InvalidModelInputError } from "./invalid-model-input-error.ts";
import { groupPurchaseSummaries } from "./purchase-summary.ts";
import { loadCdnowSummary } from "./testing/cdnow-fixture.ts";

// Published values: Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way",
// §4 and Hardie's BG/NBD Excel sheet (https://www.brucehardie.com/notes/004/):
// r = 0.243, α = 4.414, a = 0.793, b = 2.426, LL = −9582.4 on the CDNOW sample (weeks).
const PUBLISHED = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

describe("fitBgNbd on the CDNOW sample", () => {
  const rows = groupPurchaseSummaries(loadCdnowSummary());
  const fit = fitBgNbd(rows);

  it("reproduces the published parameters to their 3-decimal rounding", () => {
    // tolerance: half a unit in the last published digit
    expect(fit.params.r).toBeCloseTo(PUBLISHED.r, 3);
    expect(Math.abs(fit.params.alpha - PUBLISHED.alpha)).toBeLessThan(0.0005);
    expect(Math.abs(fit.params.a - PUBLISHED.a)).toBeLessThan(0.0005);
    expect(Math.abs(fit.params.b - PUBLISHED.b)).toBeLessThan(0.0005);
  });

  it("reports the published log-likelihood −9582.4 and convergence", () => {
    expect(Math.abs(fit.logLikelihood - -9582.4)).toBeLessThan(0.05);
    expect(fit.converged).toBe(true);
    expect(fit.iterations).toBeGreaterThan(0);
  });

  it("fits on 1,016 distinct tuples instead of 2,357 customers", () => {
    expect(rows.length).toBeLessThan(2357);
    expect(rows.reduce((s, r) => s + r.count, 0)).toBe(2357);
  });
});

describe("bgNbdConditionalExpectedPurchases(params, t, x, tx, T)", () => {
  it("gives 1.226 for x = 2, tx = 30.43, T = 38.86, t = 39 (Hardie's Excel sheet)", () => {
    expect(bgNbdConditionalExpectedPurchases(PUBLISHED, 39, 2, 30.43, 38.86)).toBeCloseTo(1.226, 3);
  });

  it("stays accurate for heavy buyers (x = 1000, tx = T = 3000, t = 5200), where the plain ₂F₁ series overflows", () => {
    // Oracle: P(alive) · E[(1/p)(1 − ((α+T)/(α+T+pt))^(r+x))] with p | alive ~ Beta(a, b+x),
    // integrated numerically (midpoint rule after p = u^(1/a)).
    const { r, alpha, a, b } = PUBLISHED;
    const [x, T, t] = [1000, 3000, 5200];
    const n = 400_000;
    let integral = 0;
    for (let i = 0; i < n; i++) {
      const p = Math.pow((i + 0.5) / n, 1 / a);
      const f = (1 / p) * (1 - Math.pow((alpha + T) / (alpha + T + p * t), r + x));
      integral += (f * Math.pow(1 - p, b + x - 1)) / a / n;
    }
    const lnB = lgammaSeries(a) + lgammaSeries(b + x) - lgammaSeries(a + b + x);
    const expected = bgNbdProbabilityAlive(PUBLISHED, x, T, T) * (integral / Math.exp(lnB));
    expect(bgNbdConditionalExpectedPurchases(PUBLISHED, t, x, T, T) / expected).toBeCloseTo(1, 4);
  });

  it("is 0 for a zero horizon", () => {
    expect(bgNbdConditionalExpectedPurchases(PUBLISHED, 0, 2, 30.43, 38.86)).toBe(0);
  });

  it("rejects a negative horizon and tx > T", () => {
    expect(() => bgNbdConditionalExpectedPurchases(PUBLISHED, -1, 2, 30, 38)).toThrow(InvalidModelInputError);
    expect(() => bgNbdConditionalExpectedPurchases(PUBLISHED, 1, 2, 40, 38)).toThrow(/tx/);
  });
});

describe("bgNbdExpectedPurchases(params, t)", () => {
  it("matches direct numerical integration of E[(1/p)(1 − e^(−λpt))] over the mixing distributions", () => {
    // Independent oracle: E[X(t)] = ∫∫ (1/p)(1 − (α/(α+pt))^r) Beta(p; a, b) dp, after integrating λ
    // analytically; the p-integral by the midpoint rule on a substitution p = u^(1/a) that removes
    // the endpoint singularity.
    const { r, alpha, a, b } = PUBLISHED;
    const t = 39;
    const n = 200_000;
    let integral = 0;
    for (let i = 0; i < n; i++) {
      const u = (i + 0.5) / n;
      const p = Math.pow(u, 1 / a);
      // Beta density p^(a−1)(1−p)^(b−1)/B(a,b) dp = (1/a) (1−p)^(b−1)/B(a,b) du
      integral += ((1 - p) ** (b - 1) / a) * ((1 - (alpha / (alpha + p * t)) ** r) / p) / n;
    }
    const lnB = lgammaSeries(a) + lgammaSeries(b) - lgammaSeries(a + b);
    expect(bgNbdExpectedPurchases(PUBLISHED, t)).toBeCloseTo(integral / Math.exp(lnB), 3);
  });
});

describe("bgNbdProbabilityAlive(params, x, tx, T)", () => {
  it("is 1 for customers without repeat purchases (a property of BG/NBD)", () => {
    expect(bgNbdProbabilityAlive(PUBLISHED, 0, 0, 38.86)).toBe(1);
  });

  it("follows eq. (11) of FHL (2005) for x = 2, tx = 30.43, T = 38.86", () => {
    const { r, alpha, a, b } = PUBLISHED;
    // hand computation: 1 / (1 + a/(b+x−1) · ((α+T)/(α+tx))^(r+x))
    const expected = 1 / (1 + (a / (b + 1)) * ((alpha + 38.86) / (alpha + 30.43)) ** (r + 2));
    expect(bgNbdProbabilityAlive(PUBLISHED, 2, 30.43, 38.86)).toBeCloseTo(expected, 12);
  });
});

describe("bgNbdLogLikelihood(params, rows)", () => {
  it("names the field and row of invalid input", () => {
    const bad = [
      { x: 1, tx: 2, T: 5, count: 1 },
      { x: 0, tx: 1, T: 5, count: 1 },
    ];
    expect(() => bgNbdLogLikelihood(PUBLISHED, bad)).toThrow("row 1: tx must be 0 when x = 0");
    expect(() => bgNbdLogLikelihood(PUBLISHED, [{ x: 1.5, tx: 2, T: 5, count: 1 }])).toThrow("row 0: x must be an integer");
    expect(() => bgNbdLogLikelihood(PUBLISHED, [{ x: 1, tx: -2, T: 5, count: 1 }])).toThrow("row 0: tx must not be negative");
    expect(() => bgNbdLogLikelihood(PUBLISHED, [{ x: 1, tx: NaN, T: 5, count: 1 }])).toThrow(InvalidModelInputError);
    expect(() => bgNbdLogLikelihood(PUBLISHED, [])).toThrow(/empty/);
  });

  it("is finite for extreme inputs (Hardie note 027: x = 300, T = 1e4)", () => {
    const ll = bgNbdLogLikelihood(PUBLISHED, [{ x: 300, tx: 9000, T: 10_000, count: 1 }]);
    expect(Number.isFinite(ll)).toBe(true);
  });
});

/** ln Γ via Stirling's series with upward recurrence: an oracle independent of the Lanczos code. */
function lgammaSeries(x: number): number {
  let shift = 0;
  while (x < 20) {
    shift -= Math.log(x);
    x += 1;
  }
  return shift + (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x ** 3) + 1 / (1260 * x ** 5);
}

describe("fitBgNbd edge cases", () => {
  it("reports converged = false when nobody ever repeats (no interior maximum)", () => {
    const fit = fitBgNbd([
      { x: 0, tx: 0, T: 10, count: 50 },
      { x: 0, tx: 0, T: 30, count: 20 },
    ]);
    expect(fit.converged).toBe(false);
  });

  it("fits a single distinct tuple without throwing and flags it as not identified", () => {
    const fit = fitBgNbd([{ x: 3, tx: 20, T: 30, count: 1 }]);
    expect(Number.isFinite(fit.logLikelihood)).toBe(true);
    expect(fit.converged).toBe(false);
  });

  it("rejects empty input", () => {
    expect(() => fitBgNbd([])).toThrow(InvalidModelInputError);
  });
});
