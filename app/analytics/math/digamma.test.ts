import { describe, expect, it } from "vitest";
import { digamma } from "./digamma";
import { logGamma } from "./log-gamma";

const EULER = 0.5772156649015329;

describe("digamma", () => {
  it("matches closed forms: ψ(1) = −γ, ψ(1/2) = −γ − 2 ln 2, ψ(n + 1) = −γ + Hₙ", () => {
    expect(digamma(1)).toBeCloseTo(-EULER, 14);
    expect(digamma(0.5)).toBeCloseTo(-EULER - 2 * Math.LN2, 14);
    let harmonic = 0;
    for (let n = 1; n <= 40; n++) {
      harmonic += 1 / n;
      expect(digamma(n + 1)).toBeCloseTo(-EULER + harmonic, 12);
    }
  });

  it("is the derivative of ln Γ (central difference) from tiny to large arguments", () => {
    for (const x of [1e-3, 0.07, 0.9, 2.5, 9.999, 10, 17.3, 250, 1e5]) {
      const h = 1e-5 * Math.max(x, 1e-2);
      const numeric = (logGamma(x + h) - logGamma(x - h)) / (2 * h);
      expect(Math.abs(digamma(x) - numeric)).toBeLessThan(1e-6 * Math.max(1, Math.abs(numeric)));
    }
  });

  it("is NaN outside x > 0", () => {
    expect(digamma(0)).toBeNaN();
    expect(digamma(-2.5)).toBeNaN();
  });
});
