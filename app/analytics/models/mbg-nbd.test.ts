import { describe, expect, it } from "vitest";
import { logBeta, logGamma } from "../math/log-gamma.ts";
import { fitBgNbd } from "./bg-nbd.ts";
import {
  fitMbgNbd,
  mbgNbdConditionalExpectedPurchases,
  mbgNbdExpectedPurchases,
  mbgNbdLogLikelihood,
  mbgNbdProbabilityAlive,
} from "./mbg-nbd.ts";
import { groupPurchaseSummaries } from "./purchase-summary.ts";
import { loadCdnowSummary } from "./testing/cdnow-fixture.ts";

const PARAMS = { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 };

/** ∫₀¹ f(p) Beta(p; a, b) dp by the midpoint rule after p = u^(1/a) (removes the p → 0 singularity). */
function betaExpectation(f: (p: number) => number, a: number, b: number, n = 200_000): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const p = Math.pow((i + 0.5) / n, 1 / a);
    sum += (f(p) * Math.pow(1 - p, b - 1)) / a;
  }
  return sum / n / Math.exp(logBeta(a, b));
}

describe("fitMbgNbd on the CDNOW sample", () => {
  const rows = groupPurchaseSummaries(loadCdnowSummary());
  const fit = fitMbgNbd(rows);
  const bg = fitBgNbd(rows);

  it("converges to a finite log-likelihood within a few units of BG/NBD's −9582.4", () => {
    // No published MBG/NBD figure for this sample; the two models differ only in the
    // drop-out toss after the first purchase, so their maxima should be close.
    expect(fit.converged).toBe(true);
    expect(Math.abs(fit.logLikelihood - bg.logLikelihood)).toBeLessThan(5);
  });

  it("gives one-time buyers P(alive) < 1 (unlike BG/NBD), lower the longer ago they bought", () => {
    const recent = mbgNbdProbabilityAlive(fit.params, 0, 0, 5);
    const old = mbgNbdProbabilityAlive(fit.params, 0, 0, 38.86);
    expect(recent).toBeLessThan(1);
    expect(old).toBeLessThan(recent);
  });
});

describe("MBG/NBD formulas against integration over the drop-out probability p", () => {
  // Individual level: P(data, alive | λ, p) = (1−p)^(x+1) λ^x e^(−λT),
  // P(data, dead | λ, p) = p (1−p)^x λ^x e^(−λ tx). λ integrates in closed form
  // (Γ(r+x)α^r/Γ(r) · (α+t)^−(r+x)); p is integrated numerically here.
  const { r, alpha, a, b } = PARAMS;
  for (const [x, tx, T] of [
    [0, 0, 38.86],
    [2, 30.43, 38.86],
    [6, 12, 30],
  ] as const) {
    it(`likelihood and P(alive) for x = ${x}, tx = ${tx}, T = ${T}`, () => {
      const lam = (t: number): number => Math.exp(logGamma(r + x) - logGamma(r) + r * Math.log(alpha) - (r + x) * Math.log(alpha + t));
      const alive = betaExpectation((p) => Math.pow(1 - p, x + 1), a, b) * lam(T);
      const dead = betaExpectation((p) => p * Math.pow(1 - p, x), a, b) * lam(tx);
      expect(mbgNbdLogLikelihood(PARAMS, [{ x, tx, T, count: 1 }])).toBeCloseTo(Math.log(alive + dead), 5);
      expect(mbgNbdProbabilityAlive(PARAMS, x, tx, T)).toBeCloseTo(alive / (alive + dead), 5);
    });
  }

  it("unconditional E[X(t)] = E[(1−p)/p · (1 − (α/(α+pt))^r)]", () => {
    const t = 39;
    const expected = betaExpectation((p) => ((1 - p) / p) * (1 - Math.pow(alpha / (alpha + p * t), r)), a, b);
    expect(mbgNbdExpectedPurchases(PARAMS, t)).toBeCloseTo(expected, 4);
  });

  it("conditional E[Y(t)] = P(alive) · E[(1/p)(1 − ((α+T)/(α+T+pt))^(r+x))] under p ~ Beta(a, b+x+1)", () => {
    const [x, tx, T, t] = [2, 30.43, 38.86, 39];
    const givenAlive = betaExpectation((p) => (1 / p) * (1 - Math.pow((alpha + T) / (alpha + T + p * t), r + x)), a, b + x + 1);
    expect(mbgNbdConditionalExpectedPurchases(PARAMS, t, x, tx, T)).toBeCloseTo(
      mbgNbdProbabilityAlive(PARAMS, x, tx, T) * givenAlive,
      4,
    );
  });
});
