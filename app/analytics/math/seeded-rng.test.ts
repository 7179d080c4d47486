import { describe, expect, it } from "vitest";
import { createSeededRng, sampleBeta, sampleGamma } from "./seeded-rng.ts";

describe("createSeededRng(seed)", () => {
  it("repeats the same sequence for the same seed and differs for another", () => {
    const a = createSeededRng(42);
    const b = createSeededRng(42);
    const c = createSeededRng(43);
    const sa = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(sa);
    expect(Array.from({ length: 5 }, c)).not.toEqual(sa);
    for (const u of sa) expect(u >= 0 && u < 1).toBe(true);
  });
});

describe("sampleGamma / sampleBeta", () => {
  it("have the right means: Gamma(0.5, rate 2) → 0.25, Gamma(3, 1) → 3, Beta(0.8, 2.4) → 0.25", () => {
    const rng = createSeededRng(7);
    const n = 40_000;
    const mean = (f: () => number): number => Array.from({ length: n }, f).reduce((s, v) => s + v, 0) / n;
    // tolerances ≈ 4 standard errors of the sample mean
    expect(Math.abs(mean(() => sampleGamma(rng, 0.5, 2)) - 0.25)).toBeLessThan(4 * Math.sqrt(0.125 / n));
    expect(Math.abs(mean(() => sampleGamma(rng, 3, 1)) - 3)).toBeLessThan(4 * Math.sqrt(3 / n));
    const betaVar = (0.8 * 2.4) / (3.2 ** 2 * 4.2);
    expect(Math.abs(mean(() => sampleBeta(rng, 0.8, 2.4)) - 0.25)).toBeLessThan(4 * Math.sqrt(betaVar / n));
  });
});
