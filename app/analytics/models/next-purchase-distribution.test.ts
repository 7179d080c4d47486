import { describe, expect, it } from "vitest";
import { createSeededRng, sampleGamma } from "../math/seeded-rng.ts";
import { bgFamilyProbabilityPurchaseWithin, nextPurchaseQuantile, paretoNbdProbabilityPurchaseWithin } from "./next-purchase-distribution.ts";


describe("next-purchase distribution given alive", () => {
  it("BG family: the Lomax CDF 1 − ((α+T)/(α+T+s))^(r+x), 0 at s = 0, rising to 1", () => {
    const p = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    expect(bgFamilyProbabilityPurchaseWithin(p, 0, 2, 38.86)).toBe(0);
    expect(bgFamilyProbabilityPurchaseWithin(p, 10, 2, 38.86)).toBeCloseTo(1 - Math.pow((4.414 + 38.86) / (4.414 + 38.86 + 10), 2.243), 12);
    expect(bgFamilyProbabilityPurchaseWithin(p, 1e9, 2, 38.86)).toBeCloseTo(1, 6);
  });

  it("Pareto/NBD: matches a Monte Carlo of λ ~ Γ(r+x, α+T), μ ~ Γ(s, β+T), next purchase before death", () => {
    const p = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };
    const x = 3;
    const T = 30;
    const h = 26;
    const rng = createSeededRng(7);
    let hits = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const lambda = sampleGamma(rng, p.r + x, p.alpha + T);
      const mu = sampleGamma(rng, p.s, p.beta + T);
      const purchase = -Math.log(1 - rng()) / lambda;
      const death = -Math.log(1 - rng()) / mu;
      if (purchase <= h && purchase < death) hits++;
    }
    // Monte Carlo standard error ≈ 0.001.
    expect(paretoNbdProbabilityPurchaseWithin(p, h, x, T)).toBeCloseTo(hits / n, 2);
    // Defective: below 1 even at a very long horizon (the customer may die first).
    expect(paretoNbdProbabilityPurchaseWithin(p, 1e6, x, T)).toBeLessThan(0.99);
  });

  it("quantiles invert the CDF, and are NaN beyond the horizon searched", () => {
    const p = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    const cdf = (s: number) => bgFamilyProbabilityPurchaseWithin(p, s, 2, 38.86);
    const median = nextPurchaseQuantile(cdf, 0.5, 520);
    expect(cdf(median)).toBeCloseTo(0.5, 4);
    expect(nextPurchaseQuantile(cdf, 0.999, 52)).toBeNaN();
  });
});
