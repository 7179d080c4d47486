import { describe, expect, it } from "vitest";
import { gammaSign, logBeta, logGamma } from "./log-gamma.ts";

describe("logGamma(x)", () => {
  it("equals ln((n−1)!) at integers", () => {
    let factorial = 1;
    for (let n = 1; n <= 20; n++) {
      expect(logGamma(n)).toBeCloseTo(Math.log(factorial), 12);
      factorial *= n;
    }
  });

  it("equals ln √π at 1/2 and ln(√π/2) at 3/2", () => {
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(logGamma(1.5)).toBeCloseTo(0.5 * Math.log(Math.PI) - Math.LN2, 14);
  });

  it("matches ln Γ(100) = 359.1342053695754 (Wolfram Alpha) to 1e-12 relative", () => {
    expect(Math.abs(logGamma(100) / 359.1342053695754 - 1)).toBeLessThan(1e-12);
  });

  it("handles small arguments: ln Γ(1e-8) ≈ −ln(1e-8) − γ·1e-8", () => {
    expect(logGamma(1e-8)).toBeCloseTo(-Math.log(1e-8) - 0.5772156649 * 1e-8, 10);
  });

  it("returns ln|Γ(x)| for negative non-integers via reflection: Γ(−1/2) = −2√π", () => {
    expect(logGamma(-0.5)).toBeCloseTo(Math.log(2 * Math.sqrt(Math.PI)), 12);
    expect(gammaSign(-0.5)).toBe(-1);
    expect(gammaSign(-1.5)).toBe(1);
    expect(gammaSign(2.5)).toBe(1);
  });

  it("is +∞ at poles and NaN for NaN", () => {
    expect(logGamma(0)).toBe(Infinity);
    expect(logGamma(-3)).toBe(Infinity);
    expect(logGamma(NaN)).toBeNaN();
  });
});

describe("logBeta(a, b)", () => {
  it("equals ln(1/12) for B(2, 3) and is symmetric", () => {
    expect(logBeta(2, 3)).toBeCloseTo(Math.log(1 / 12), 14);
    expect(logBeta(0.3, 7.1)).toBeCloseTo(logBeta(7.1, 0.3), 14);
  });
});
