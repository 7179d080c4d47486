import { describe, expect, it } from "vitest";
import { logAddExp, logSubExp, logSumExp } from "./log-sum-exp.ts";

describe("logSumExp(values)", () => {
  it("adds in log space without overflow: ln(e^1000 + e^1000) = 1000 + ln 2", () => {
    expect(logSumExp([1000, 1000])).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logSumExp([-1000, -1000])).toBeCloseTo(-1000 + Math.LN2, 12);
  });

  it("ignores −∞ terms and returns −∞ for an empty or all −∞ list", () => {
    expect(logSumExp([Math.log(3), -Infinity])).toBeCloseTo(Math.log(3), 14);
    expect(logSumExp([])).toBe(-Infinity);
    expect(logSumExp([-Infinity, -Infinity])).toBe(-Infinity);
  });

  it("propagates NaN", () => {
    expect(logSumExp([1, NaN])).toBeNaN();
  });
});

describe("logAddExp(u, v) and logSubExp(u, v)", () => {
  it("agree with direct computation for moderate values", () => {
    expect(logAddExp(Math.log(2), Math.log(5))).toBeCloseTo(Math.log(7), 14);
    expect(logSubExp(Math.log(5), Math.log(2))).toBeCloseTo(Math.log(3), 14);
  });

  it("logSubExp keeps precision for nearly equal terms and rejects u < v", () => {
    // ln(e^0 − e^(−1e-10)) = ln(1 − e^(−1e-10)) ≈ ln(1e-10)
    expect(logSubExp(0, -1e-10)).toBeCloseTo(Math.log(1e-10), 6);
    expect(logSubExp(1, 1)).toBe(-Infinity);
    expect(logSubExp(1, -Infinity)).toBe(1);
    expect(logSubExp(0, 1)).toBeNaN();
  });
});
