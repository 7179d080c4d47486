import { describe, expect, it } from "vitest";
import { minimiseSmooth } from "./minimise-smooth.ts";
import { minimise } from "./nelder-mead.ts";

describe("minimiseSmooth(objective, starts, options)", () => {
  it("uses BFGS on a smooth objective with an interior minimum and agrees with Nelder–Mead", () => {
    const f = (p: readonly number[]) => Math.exp(p[0]) - 2 * p[0] + (p[1] - 0.3) ** 2 * (1 + p[0] ** 2); // minimum at (ln 2, 0.3)
    const smooth = minimiseSmooth(f, [[0, 0], [1, 1]]);
    const simplex = minimise(f, [[0, 0], [1, 1]]);
    expect(smooth.method).toBe("bfgs");
    expect(smooth.converged).toBe(true);
    expect(smooth.point[0]).toBeCloseTo(Math.log(2), 6);
    expect(smooth.point[1]).toBeCloseTo(0.3, 6);
    expect(smooth.value).toBeLessThanOrEqual(simplex.value + 1e-12);
    expect(smooth.evaluations).toBeLessThan(simplex.evaluations);
  });

  it("keeps the best of several starts (two wells; the global one is near x = −2)", () => {
    // f = (x² − 4)² + x: wells near ±2, the tilt makes the negative one lower.
    const f = (p: readonly number[]) => (p[0] ** 2 - 4) ** 2 + p[0];
    const fromPoor = minimiseSmooth(f, [[1.5]]);
    const screened = minimiseSmooth(f, [[1.5], [-1]]);
    expect(fromPoor.point[0]).toBeGreaterThan(1.9);
    expect(screened.point[0]).toBeLessThan(-1.9);
    // f'(x) = 4x(x² − 4) + 1 = 0 at the minimum.
    expect(Math.abs(4 * screened.point[0] * (screened.point[0] ** 2 - 4) + 1)).toBeLessThan(1e-6);
  });

  it("falls back to Nelder–Mead when BFGS cannot start (objective not finite at the start)", () => {
    const f = (p: readonly number[]) => (Math.abs(p[0]) < 0.1 ? Infinity : (p[0] - 3) ** 2);
    const result = minimiseSmooth(f, [[0]]);
    expect(result.method).toBe("nelder-mead");
    expect(result.point[0]).toBeCloseTo(3, 4);
  });

  it("stops on the bound when the minimum is outside the box and reports it as not converged", () => {
    const result = minimiseSmooth((p) => (p[0] - 5) ** 2 + p[1] ** 2, [[0, 1]], { lower: [-1, -1], upper: [2, 1] });
    expect(result.converged).toBe(false);
    expect(result.point[0]).toBeCloseTo(2, 5);
    expect(result.point[1]).toBeCloseTo(0, 4);
  });

  it("does not accept a fading gradient on a surface without a minimum (f = e^x, no curvature to pin it)", () => {
    const result = minimiseSmooth((p) => Math.exp(p[0]), [[0]], { lower: [-30], upper: [30] });
    expect(result.converged).toBe(false);
    expect(result.point[0]).toBeLessThan(-15);
  });
});
