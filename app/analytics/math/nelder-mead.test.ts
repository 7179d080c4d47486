import { describe, expect, it } from "vitest";
import { minimise } from "./nelder-mead.ts";

const rosenbrock = (p: readonly number[]): number => 100 * (p[1] - p[0] ** 2) ** 2 + (1 - p[0]) ** 2;

describe("minimise(objective, starts, options)", () => {
  it("finds the Rosenbrock minimum (1, 1) and reports convergence", () => {
    const result = minimise(rosenbrock, [[-1.2, 1]]);
    expect(result.converged).toBe(true);
    expect(result.point[0]).toBeCloseTo(1, 5);
    expect(result.point[1]).toBeCloseTo(1, 5);
    expect(result.value).toBeLessThan(1e-10);
  });

  it("reports converged = false when the iteration budget runs out", () => {
    const result = minimise(rosenbrock, [[-1.2, 1]], { maxIterations: 10 });
    expect(result.converged).toBe(false);
    expect(result.iterations).toBeLessThanOrEqual(10);
  });

  it("stays inside the box and stops on the bound when the minimum is outside", () => {
    const result = minimise((p) => (p[0] - 5) ** 2 + p[1] ** 2, [[0, 1]], { lower: [-1, -1], upper: [2, 1] });
    expect(result.point[0]).toBeLessThanOrEqual(2);
    expect(result.point[0]).toBeCloseTo(2, 5);
  });

  it("escapes a poor basin by screening several starts", () => {
    // Two wells: a shallow one at x = −2 (value 1) and the global one at x = 3 (value 0).
    const f = (p: readonly number[]): number => Math.min((p[0] + 2) ** 2 + 1, (p[0] - 3) ** 2);
    const fromPoor = minimise(f, [[-2.5]]);
    const screened = minimise(f, [[-2.5], [2]]);
    expect(fromPoor.point[0]).toBeCloseTo(-2, 4);
    expect(screened.point[0]).toBeCloseTo(3, 4);
  });

  it("treats NaN objective values as +∞ instead of accepting them", () => {
    const result = minimise((p) => (p[0] < 0 ? NaN : (p[0] - 1) ** 2), [[0.5]]);
    expect(result.point[0]).toBeCloseTo(1, 5);
  });

  it("rejects an empty start list", () => {
    expect(() => minimise(rosenbrock, [])).toThrow(RangeError);
  });
});
