import { describe, expect, it } from "vitest";
import { createSeededRng, sampleBeta, sampleExponential, sampleGamma } from "../math/seeded-rng.ts";
import type { CountingModelName } from "./counting-model.ts";
import { bindCountingModel, type CountingModelParams } from "./fitted-counting-model.ts";
import { purchaseCountCdfGivenAlive, purchaseCountInterval } from "./purchase-count-distribution.ts";

// Published CDNOW fits (weeks), docs/models/prior.md.
const PARAMS: Record<CountingModelName, CountingModelParams> = {
  "bg-nbd": { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
  "mbg-nbd": { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 },
  "pareto-nbd": { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 },
};
const MODELS = Object.keys(PARAMS) as CountingModelName[];

const pmfOf = (cdf: Float64Array) => Array.from(cdf, (v, y) => v - (y > 0 ? cdf[y - 1] : 0));

describe("purchaseCountCdfGivenAlive", () => {
  for (const model of MODELS) {
    it(`${model}: a distribution whose mean is the model's E[Y(t) | alive] (eq. 10 and its kin)`, () => {
      const bound = bindCountingModel(model, PARAMS[model]);
      for (const [x, T, t] of [[0, 10, 13], [2, 38.86, 39], [7, 60, 13], [40, 70, 52], [1, 5, 0.5]]) {
        const cdf = purchaseCountCdfGivenAlive(model, PARAMS[model], t, x, T);
        expect(cdf[cdf.length - 1]).toBeGreaterThan(1 - 1e-8);
        const pmf = pmfOf(cdf);
        pmf.forEach((p) => expect(p).toBeGreaterThanOrEqual(-1e-15));
        const mean = pmf.reduce((sum, p, y) => sum + y * p, 0);
        expect(mean / bound.expectedPurchasesGivenAlive(t, x, T)).toBeCloseTo(1, 6);
      }
    });
  }

  it("bg-nbd: P(X(t) = x) of a new customer is FHL (2005) eq. (8), checked against a direct sum", () => {
    // A new customer (x = 0, T = 0) is alive: eq. (8) itself. Direct evaluation at x = 0, 1, 2.
    const { r, alpha, a, b } = PARAMS["bg-nbd"] as { r: number; alpha: number; a: number; b: number };
    const t = 39;
    const lbeta = (p: number, q: number) => lgamma(p) + lgamma(q) - lgamma(p + q);
    const nb = (j: number) => Math.exp(lgamma(r + j) - lgamma(r) - lgamma(j + 1) + r * Math.log(alpha / (alpha + t)) + j * Math.log(t / (alpha + t)));
    const eq8 = (x: number) => {
      let tail = 1;
      for (let j = 0; j < x; j++) tail -= nb(j);
      return Math.exp(lbeta(a, b + x) - lbeta(a, b)) * nb(x) + (x > 0 ? Math.exp(lbeta(a + 1, b + x - 1) - lbeta(a, b)) * tail : 0);
    };
    const pmf = pmfOf(purchaseCountCdfGivenAlive("bg-nbd", PARAMS["bg-nbd"], t, 0, 0));
    for (let x = 0; x < 6; x++) expect(pmf[x]).toBeCloseTo(eq8(x), 12);
  });

  for (const model of MODELS) {
    it(`${model}: matches a simulation of customers with no repeat purchase by T`, () => {
      // Simulate the model's story, keep the customers with x = 0 at T = 20 weeks, count their
      // purchases in the next 13 weeks; compare with (1 − P(alive))·1{y=0} + P(alive)·P(y | alive).
      const rng = createSeededRng(7);
      const p = PARAMS[model] as unknown as Record<string, number>;
      const T = 20;
      const t = 13;
      const counts = new Map<number, number>();
      let kept = 0;
      for (let c = 0; c < 120_000; c++) {
        const lambda = sampleGamma(rng, p.r, p.alpha);
        const times: number[] = [];
        if (model === "pareto-nbd") {
          const death = sampleExponential(rng, sampleGamma(rng, p.s, p.beta));
          for (let u = sampleExponential(rng, lambda); u < Math.min(death, T + t); u += sampleExponential(rng, lambda)) times.push(u);
        } else {
          const drop = sampleBeta(rng, p.a, p.b);
          if (model === "bg-nbd" || rng() >= drop) {
            for (let u = sampleExponential(rng, lambda); u < T + t; u += sampleExponential(rng, lambda)) {
              times.push(u);
              if (rng() < drop) break;
            }
          }
        }
        if (times.some((u) => u <= T)) continue;
        kept++;
        counts.set(times.length, (counts.get(times.length) ?? 0) + 1);
      }
      const alive = bindCountingModel(model, PARAMS[model]).probabilityAlive(0, 0, T);
      const pmf = pmfOf(purchaseCountCdfGivenAlive(model, PARAMS[model], t, 0, T));
      for (let y = 0; y < 3; y++) {
        const predicted = (y === 0 ? 1 - alive : 0) + alive * pmf[y];
        const observed = (counts.get(y) ?? 0) / kept;
        // Four binomial standard errors.
        expect(Math.abs(observed - predicted), `y = ${y}`).toBeLessThan(4 * Math.sqrt((predicted * (1 - predicted)) / kept) + 1e-4);
      }
    });
  }

  it("a yearly pattern enters as operational time: doubling the rate doubles BG/NBD's horizon", () => {
    const twice = purchaseCountCdfGivenAlive("bg-nbd", PARAMS["bg-nbd"], 13, 3, 30, (u) => 2 * u);
    const plain = purchaseCountCdfGivenAlive("bg-nbd", PARAMS["bg-nbd"], 26, 3, 30);
    expect(Array.from(twice)).toEqual(Array.from(plain));
    // Pareto/NBD: dropout stays in calendar time, so the count grows but less than at 26 weeks.
    const meanOf = (cdf: Float64Array) => pmfOf(cdf).reduce((s, p, y) => s + y * p, 0);
    const paretoTwice = meanOf(purchaseCountCdfGivenAlive("pareto-nbd", PARAMS["pareto-nbd"], 13, 3, 30, (u) => 2 * u));
    const paretoPlain = bindCountingModel("pareto-nbd", PARAMS["pareto-nbd"]).expectedPurchasesGivenAlive(13, 3, 30);
    // With a constant factor 2 the rate doubles and the lifetime is untouched: exactly twice the mean.
    expect(paretoTwice / paretoPlain).toBeCloseTo(2, 6);
  });
});

describe("purchaseCountInterval", () => {
  it("takes the quantiles of the mixture over draws, P(alive) included", () => {
    // One draw: dead with probability 0.5, else Y | alive ∈ {0: 0.2, 1: 0.3, 2: 0.5}.
    const cdf = Float64Array.of(0.2, 0.5, 1);
    // P(Y ≤ y) = 0.6, 0.75, 1 → 5 % point 0, 95 % point 2.
    expect(purchaseCountInterval([0.5], [cdf], 0.9)).toEqual([0, 2]);
    // Alive for sure: P(Y ≤ y) = 0.2, 0.5, 1 → [0, 2]; at level 0.5: 25 % point 1, 75 % point 2.
    expect(purchaseCountInterval([1], [cdf], 0.5)).toEqual([1, 2]);
    // Two draws: one certainly dead, one alive with Y = 3 for sure → P(Y ≤ y) = 0.5 until 3.
    expect(purchaseCountInterval([0, 1], [Float64Array.of(1), Float64Array.of(0, 0, 0, 1)], 0.9)).toEqual([0, 3]);
  });
});

function lgamma(x: number): number {
  // Lanczos (g = 7, n = 9), accurate to ~1e-15 for x > 0.
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}
