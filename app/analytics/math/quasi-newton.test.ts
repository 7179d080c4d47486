import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { finiteDifferenceGradient, minimiseQuasiNewton } from "./quasi-newton.ts";

const rosenbrock = (p: readonly number[]): number => 100 * (p[1] - p[0] ** 2) ** 2 + (1 - p[0]) ** 2;
const rosenbrockGradient = (p: readonly number[]): number[] => [
  -400 * p[0] * (p[1] - p[0] ** 2) - 2 * (1 - p[0]),
  200 * (p[1] - p[0] ** 2),
];

describe("finiteDifferenceGradient(f, x, f(x), step)", () => {
  it("equals the analytic gradient of Rosenbrock's function at random points", () => {
    fc.assert(
      fc.property(fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true }), (a, b) => {
        const g = finiteDifferenceGradient(rosenbrock, [a, b], rosenbrock([a, b]), 1e-5);
        const exact = rosenbrockGradient([a, b]);
        for (let i = 0; i < 2; i++) expect(Math.abs(g[i] - exact[i])).toBeLessThan(1e-5 * (1 + Math.abs(exact[i])));
      }),
    );
  });

  it("uses a one-sided difference where the other neighbour is outside the domain", () => {
    const f = (p: readonly number[]) => (p[0] < 0 ? Infinity : p[0] ** 2 + 3 * p[0]);
    expect(finiteDifferenceGradient(f, [0], 0, 1e-6)[0]).toBeCloseTo(3, 5);
  });
});

describe("minimiseQuasiNewton(objective, start)", () => {
  it("finds the Rosenbrock minimum (1, 1) from the classic start in far fewer evaluations than Nelder–Mead", () => {
    const result = minimiseQuasiNewton(rosenbrock, [-1.2, 1]);
    expect(result.converged).toBe(true);
    expect(result.point[0]).toBeCloseTo(1, 5);
    expect(result.point[1]).toBeCloseTo(1, 5);
    expect(result.evaluations).toBeLessThan(600);
  });

  it("minimises a positive definite quadratic exactly (known minimiser)", () => {
    // f = ½ (x − m)ᵀ A (x − m) with A = [[4, 1, 0], [1, 3, 0.5], [0, 0.5, 2]], minimum at m.
    const m = [1, -2, 0.5];
    const a = [[4, 1, 0], [1, 3, 0.5], [0, 0.5, 2]];
    const f = (p: readonly number[]) => {
      const d = p.map((v, i) => v - m[i]);
      return 0.5 * d.reduce((s, di, i) => s + di * a[i].reduce((t, aij, j) => t + aij * d[j], 0), 0);
    };
    const result = minimiseQuasiNewton(f, [0, 0, 0]);
    expect(result.converged).toBe(true);
    result.point.forEach((v, i) => expect(v).toBeCloseTo(m[i], 6));
  });

  it("does not claim convergence when the iteration budget runs out", () => {
    expect(minimiseQuasiNewton(rosenbrock, [-1.2, 1], { maxIterations: 3 }).converged).toBe(false);
  });

  it("never evaluates outside the box", () => {
    const seen: number[] = [];
    minimiseQuasiNewton((p) => {
      seen.push(p[0]);
      return (p[0] - 5) ** 2;
    }, [0], { lower: [-1], upper: [2] });
    expect(Math.max(...seen)).toBeLessThanOrEqual(2);
  });
});
