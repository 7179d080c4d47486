import { describe, expect, it } from "vitest";
import { createSeededRng, sampleGamma } from "../math/seeded-rng.ts";
import { fitGammaGamma, gammaGammaExpectedSpend, gammaGammaLogParameterCovariance, spendFrequencyCorrelation } from "./gamma-gamma.ts";
import { InvalidModelInputError } from "./invalid-model-input-error.ts";
import { loadCdnowPurchaseEvents } from "./testing/cdnow-fixture.ts";

// Published: Fader, Hardie & Lee (2005), "RFM and CLV", JMR 42(4): p = 6.25, q = 3.74,
// γ = 15.44 on the 946 CDNOW sample customers with repeat purchases in the 39-week
// calibration period, m_x = mean of the repeat transactions (the first purchase excluded,
// same-day purchases merged). https://www.brucehardie.com/notes/025/gamma_gamma.pdf
function cdnowRepeatSpend(): { x: number; meanSpend: number }[] {
  return loadCdnowPurchaseEvents(19970930)
    .filter((c) => c.days.length > 1)
    .map((c) => {
      const repeat = c.amounts.slice(1);
      return { x: repeat.length, meanSpend: repeat.reduce((s, v) => s + v, 0) / repeat.length };
    });
}

describe("fitGammaGamma on CDNOW repeat customers", () => {
  const rows = cdnowRepeatSpend();
  const fit = fitGammaGamma(rows);

  it("uses the 946 repeat customers", () => {
    expect(rows.length).toBe(946);
  });

  it("reproduces p = 6.25, q = 3.74, γ = 15.44 to the published rounding", () => {
    expect(Math.abs(fit.params.p - 6.25)).toBeLessThan(0.005);
    expect(Math.abs(fit.params.q - 3.74)).toBeLessThan(0.005);
    expect(Math.abs(fit.params.gamma - 15.44)).toBeLessThan(0.005);
    expect(fit.converged).toBe(true);
  });

  it("reports a weak spend–frequency correlation on CDNOW (the paper reports 0.11)", () => {
    // FHL (2005 JMR) §"Spend model": correlation between x and m_x is 0.11.
    expect(spendFrequencyCorrelation(rows)).toBeCloseTo(0.11, 2);
  });
});

describe("gammaGammaExpectedSpend(params, x, meanSpend)", () => {
  const params = { p: 6.25, q: 3.74, gamma: 15.44 };

  it("is the weighted average (γ + m x) p / (p x + q − 1)", () => {
    // hand computation for x = 2, m = 40: (15.44 + 80)·6.25 / (12.5 + 2.74) = 596.5 / 15.24
    expect(gammaGammaExpectedSpend(params, 2, 40)).toBeCloseTo(596.5 / 15.24, 10);
  });

  it("shrinks towards the population mean pγ/(q−1) and equals it for x = 0", () => {
    const population = (6.25 * 15.44) / 2.74;
    expect(gammaGammaExpectedSpend(params, 0, 0)).toBeCloseTo(population, 10);
    const e = gammaGammaExpectedSpend(params, 1, 100);
    expect(e).toBeLessThan(100);
    expect(e).toBeGreaterThan(population);
  });
});

describe("fitGammaGamma input validation", () => {
  it("rejects one-time buyers and non-positive spend with field and row", () => {
    expect(() => fitGammaGamma([{ x: 1, meanSpend: 10 }, { x: 0, meanSpend: 10 }])).toThrow("row 1: x must be an integer ≥ 1");
    expect(() => fitGammaGamma([{ x: 1, meanSpend: 0 }])).toThrow("row 0: meanSpend must be a finite amount > 0");
    expect(() => fitGammaGamma([{ x: 2, meanSpend: 5, count: -1 }])).toThrow(InvalidModelInputError);
  });
});

describe("fitGammaGamma recovers simulated parameters", () => {
  it("p = 6, q = 4, γ = 15 on 3,000 simulated customers, each within 3 standard errors and 25 %", () => {
    // Generative story: ν ~ Gamma(q, rate γ) per customer, each of x transactions ~ Gamma(p, rate ν).
    // Standard errors from the observed information of the same fit (delta method from log space).
    const rng = createSeededRng(21);
    const rows = Array.from({ length: 3000 }, () => {
      const nu = sampleGamma(rng, 4, 15);
      const x = 1 + Math.floor(rng() * 6);
      let total = 0;
      for (let i = 0; i < x; i++) total += sampleGamma(rng, 6, nu);
      return { x, meanSpend: total / x };
    });
    const fit = fitGammaGamma(rows);
    expect(fit.converged).toBe(true);
    const covariance = gammaGammaLogParameterCovariance(fit.params, rows)!;
    const truth = { p: 6, q: 4, gamma: 15 };
    (["p", "q", "gamma"] as const).forEach((name, i) => {
      const se = fit.params[name] * Math.sqrt(covariance[i][i]);
      expect(Math.abs(fit.params[name] - truth[name]), name).toBeLessThan(3 * se);
      expect(Math.abs(fit.params[name] / truth[name] - 1), name).toBeLessThan(0.25);
    });
  });
});
