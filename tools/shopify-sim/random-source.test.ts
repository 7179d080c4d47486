import { describe, expect, it } from "vitest";
import { createRandomSource } from "./random-source.ts";

/** Sample mean and variance of n draws. */
function moments(draw: () => number, n = 200_000) {
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    sum += x;
    sumSq += x * x;
  }
  const mean = sum / n;
  return { mean, variance: sumSq / n - mean * mean };
}

describe("createRandomSource(seed)", () => {
  it("repeats the same stream for a seed and differs between seeds", () => {
    const a = createRandomSource(1);
    const b = createRandomSource(1);
    const c = createRandomSource(2);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });

  it("gamma(shape, rate) has mean shape/rate and variance shape/rate², also for shape < 1", () => {
    const rng = createRandomSource(7);
    for (const [shape, rate] of [[0.243, 4.414], [6.25, 2], [3.74, 15.44]]) {
      const { mean, variance } = moments(() => rng.gamma(shape, rate));
      expect(Math.abs(mean - shape / rate) / (shape / rate)).toBeLessThan(0.02);
      expect(Math.abs(variance - shape / rate ** 2) / (shape / rate ** 2)).toBeLessThan(0.06);
    }
  });

  it("beta(a, b) has mean a/(a+b) and variance ab/((a+b)²(a+b+1))", () => {
    const rng = createRandomSource(8);
    const [a, b] = [0.793, 2.426];
    const { mean, variance } = moments(() => rng.beta(a, b));
    expect(mean).toBeCloseTo(a / (a + b), 2);
    expect(variance).toBeCloseTo((a * b) / ((a + b) ** 2 * (a + b + 1)), 3);
  });

  it("poisson(mean) and exponential(rate) have their textbook moments", () => {
    const rng = createRandomSource(9);
    const p = moments(() => rng.poisson(3.5));
    expect(p.mean).toBeCloseTo(3.5, 1);
    expect(p.variance).toBeCloseTo(3.5, 1);
    const e = moments(() => rng.exponential(4));
    expect(e.mean).toBeCloseTo(0.25, 2);
  });

  it("weighted(cumulative) picks indices in proportion to their weights", () => {
    const rng = createRandomSource(10);
    const counts = [0, 0, 0];
    // Cumulative [1, 3, 6] = weights 1, 2, 3 → probabilities 1/6, 1/3, 1/2.
    for (let i = 0; i < 100_000; i++) counts[rng.weighted([1, 3, 6])]++;
    expect(counts[0] / 100_000).toBeCloseTo(1 / 6, 2);
    expect(counts[1] / 100_000).toBeCloseTo(1 / 3, 2);
    expect(counts[2] / 100_000).toBeCloseTo(1 / 2, 2);
  });

  it("rejects non-positive gamma parameters and non-finite seeds", () => {
    expect(() => createRandomSource(NaN)).toThrow(/seed/);
    expect(() => createRandomSource(1).gamma(0, 1)).toThrow(/positive/);
  });
});
