import { describe, expect, it } from "vitest";
import { logGamma } from "../math/log-gamma.ts";
import {
  fitParetoNbd,
  paretoNbdConditionalExpectedPurchases,
  paretoNbdExpectedPurchases,
  paretoNbdLogLikelihood,
  paretoNbdProbabilityAlive,
} from "./pareto-nbd.ts";
import { groupPurchaseSummaries } from "./purchase-summary.ts";
import { loadCdnowSummary } from "./testing/cdnow-fixture.ts";

// Published fit on the CDNOW sample summary (weeks): r = 0.553, α = 10.578, s = 0.606,
// β = 11.669, LL ≈ −9595.0 (Fader, Hardie & Lee 2005; Fader & Hardie's Pareto/NBD note;
// lifetimes tests/test_estimation.py).
const PUBLISHED = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };

/** Composite Simpson rule on [lo, hi] with n (even) intervals. */
function simpson(f: (y: number) => number, lo: number, hi: number, n = 2000): number {
  const h = (hi - lo) / n;
  let sum = f(lo) + f(hi);
  for (let i = 1; i < n; i++) sum += (i % 2 === 1 ? 4 : 2) * f(lo + i * h);
  return (sum * h) / 3;
}

/**
 * Independent oracle: the Pareto/NBD likelihood before the ₂F₁ closed form,
 * L = Γ(r+x)α^r β^s/Γ(r) · [(α+T)^−(r+x)(β+T)^−s + s ∫_tx^T (α+y)^−(r+x) (β+y)^−(s+1) dy]
 * (death at time y ∈ (tx, T], integrated numerically). Returns [ln L, P(alive)].
 */
function paretoByQuadrature(p: typeof PUBLISHED, x: number, tx: number, T: number): [number, number] {
  const { r, alpha, s, beta } = p;
  const alive = Math.pow(alpha + T, -(r + x)) * Math.pow(beta + T, -s);
  const dead = tx < T ? s * simpson((y) => Math.pow(alpha + y, -(r + x)) * Math.pow(beta + y, -(s + 1)), tx, T) : 0;
  const lnFront = logGamma(r + x) - logGamma(r) + r * Math.log(alpha) + s * Math.log(beta);
  return [lnFront + Math.log(alive + dead), alive / (alive + dead)];
}

describe("fitParetoNbd on the CDNOW sample", () => {
  const rows = groupPurchaseSummaries(loadCdnowSummary());
  const fit = fitParetoNbd(rows);

  it("reproduces the published parameters (tolerance: 0.002 absolute, published 3-decimal rounding plus optimiser spread)", () => {
    expect(Math.abs(fit.params.r - PUBLISHED.r)).toBeLessThan(0.002);
    expect(Math.abs(fit.params.alpha - PUBLISHED.alpha)).toBeLessThan(0.002);
    expect(Math.abs(fit.params.s - PUBLISHED.s)).toBeLessThan(0.002);
    expect(Math.abs(fit.params.beta - PUBLISHED.beta)).toBeLessThan(0.002);
    expect(fit.converged).toBe(true);
  });

  it("reaches LL ≈ −9595.0, at least as high as at the published parameters", () => {
    expect(Math.abs(fit.logLikelihood - -9595.0)).toBeLessThan(0.05);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(paretoNbdLogLikelihood(PUBLISHED, rows) - 1e-6);
  });
});

describe("paretoNbdLogLikelihood / paretoNbdProbabilityAlive against numerical integration", () => {
  const cases: [number, number, number][] = [
    [0, 0, 38.86],
    [2, 30.43, 38.86],
    [7, 5, 30],
    [1, 1.71, 38.86],
    [15, 37, 38],
  ];
  for (const [x, tx, T] of cases) {
    it(`matches quadrature for x = ${x}, tx = ${tx}, T = ${T} (both α < β and α > β)`, () => {
      for (const params of [PUBLISHED, { r: 0.553, alpha: 15, s: 1.4, beta: 3 }]) {
        const [lnL, pAlive] = paretoByQuadrature(params, x, tx, T);
        expect(paretoNbdLogLikelihood(params, [{ x, tx, T, count: 1 }])).toBeCloseTo(lnL, 8);
        expect(paretoNbdProbabilityAlive(params, x, tx, T)).toBeCloseTo(pAlive, 8);
      }
    });
  }

  it("gives one-time buyers P(alive) < 1, falling as time passes", () => {
    const early = paretoNbdProbabilityAlive(PUBLISHED, 0, 0, 5);
    const late = paretoNbdProbabilityAlive(PUBLISHED, 0, 0, 60);
    expect(early).toBeLessThan(1);
    expect(late).toBeLessThan(early);
  });
});

describe("paretoNbdConditionalExpectedPurchases(params, t, x, tx, T)", () => {
  it("equals P(alive) · (r+x)/(α+T) · ∫₀ᵗ ((β+T)/(β+T+τ))^s dτ (posterior-mean oracle by quadrature)", () => {
    const [x, tx, T, t] = [2, 30.43, 38.86, 39];
    const { r, alpha, s, beta } = PUBLISHED;
    const integral = simpson((tau) => Math.pow((beta + T) / (beta + T + tau), s), 0, t);
    const expected = paretoNbdProbabilityAlive(PUBLISHED, x, tx, T) * ((r + x) / (alpha + T)) * integral;
    expect(paretoNbdConditionalExpectedPurchases(PUBLISHED, t, x, tx, T)).toBeCloseTo(expected, 8);
  });

  it("handles s = 1 exactly (limit (β+T)·ln(1 + t/(β+T)))", () => {
    const p = { ...PUBLISHED, s: 1 };
    const near = { ...PUBLISHED, s: 1 + 1e-9 };
    expect(paretoNbdConditionalExpectedPurchases(p, 39, 2, 30, 38)).toBeCloseTo(
      paretoNbdConditionalExpectedPurchases(near, 39, 2, 30, 38),
      7,
    );
  });
});

describe("paretoNbdExpectedPurchases(params, t)", () => {
  it("equals (r/α) ∫₀ᵗ (β/(β+τ))^s dτ (quadrature)", () => {
    const { r, alpha, s, beta } = PUBLISHED;
    const integral = simpson((tau) => Math.pow(beta / (beta + tau), s), 0, 52);
    expect(paretoNbdExpectedPurchases(PUBLISHED, 52)).toBeCloseTo((r / alpha) * integral, 8);
  });
});
