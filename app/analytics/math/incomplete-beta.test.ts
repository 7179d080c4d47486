import { describe, expect, it } from "vitest";
import { fDistributionUpperTail, regularizedIncompleteBeta } from "./incomplete-beta";

describe("regularizedIncompleteBeta", () => {
  it("matches closed forms", () => {
    // I_x(1, 1) = x; I_x(a, 1) = x^a; I_x(1, b) = 1 − (1 − x)^b.
    for (const x of [0.05, 0.3, 0.5, 0.9]) {
      expect(regularizedIncompleteBeta(x, 1, 1)).toBeCloseTo(x, 12);
      expect(regularizedIncompleteBeta(x, 3.5, 1)).toBeCloseTo(x ** 3.5, 12);
      expect(regularizedIncompleteBeta(x, 1, 6)).toBeCloseTo(1 - (1 - x) ** 6, 12);
    }
    // I_0.5(a, a) = 1/2 by symmetry.
    expect(regularizedIncompleteBeta(0.5, 7.25, 7.25)).toBeCloseTo(0.5, 12);
  });
});

describe("fDistributionUpperTail", () => {
  it("reproduces tabulated F critical values (NIST/SEMATECH e-Handbook, table 1.3.6.7.3)", () => {
    // Upper 1 % points: F(0.99; 11, 12) = 4.220, F(0.99; 5, 10) = 5.636; upper 5 %: F(0.95; 11, 24) = 2.216.
    expect(fDistributionUpperTail(4.22, 11, 12)).toBeCloseTo(0.01, 3);
    expect(fDistributionUpperTail(5.636, 5, 10)).toBeCloseTo(0.01, 4);
    expect(fDistributionUpperTail(2.216, 11, 24)).toBeCloseTo(0.05, 3);
    expect(fDistributionUpperTail(0, 3, 3)).toBe(1);
  });
});
