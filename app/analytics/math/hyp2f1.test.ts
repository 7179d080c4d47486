import { describe, expect, it } from "vitest";
import { hyp2f1 } from "./hyp2f1.ts";

const relativeError = (actual: number, expected: number): number => Math.abs(actual / expected - 1);

describe("hyp2f1(a, b, c, z) against closed forms (A&S 15.1)", () => {
  it("₂F₁(1, 1; 2; z) = −ln(1 − z)/z on both sides of 0 and close to 1", () => {
    for (const z of [-50, -3, -0.5, 0.1, 0.5, 0.9, 0.95, 0.99, 0.995]) {
      const expected = -Math.log1p(-z) / z;
      expect(relativeError(hyp2f1(1, 1, 2, z), expected), `z = ${z}`).toBeLessThan(1e-9);
    }
  });

  it("keeps 1e-8 relative accuracy at z = 0.9999 when c − a − b is an integer (the perturbed path)", () => {
    // c − a − b = 0 here: A&S 15.3.6 is singular, so the value averages c ± 1e-5 (documented accuracy).
    const z = 0.9999;
    expect(relativeError(hyp2f1(1, 1, 2, z), -Math.log1p(-z) / z)).toBeLessThan(1e-8);
  });

  it("₂F₁(a, b; b; z) = (1 − z)^(−a)", () => {
    for (const [a, b, z] of [
      [0.7, 2.3, 0.3],
      [0.243, 2.426, 0.8],
      [1.7, 0.4, 0.995],
      [2.5, 1.1, -3],
      [12.3, 5.5, 0.6],
    ]) {
      expect(relativeError(hyp2f1(a, b, b, z), Math.pow(1 - z, -a)), `${a}, ${b}, ${z}`).toBeLessThan(1e-9);
    }
  });

  it("₂F₁(1/2, 1/2; 3/2; z²) = arcsin(z)/z", () => {
    for (const z of [0.2, 0.7, 0.99, 0.9995]) {
      expect(relativeError(hyp2f1(0.5, 0.5, 1.5, z * z), Math.asin(z) / z), `z = ${z}`).toBeLessThan(1e-9);
    }
  });

  it("₂F₁(a, b; c; 1) follows Gauss's theorem Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)) when c > a + b", () => {
    // ₂F₁(1, 1; 3; 1) = Γ(3)Γ(1)/(Γ(2)Γ(2)) = 2
    expect(hyp2f1(1, 1, 3, 1)).toBeCloseTo(2, 12);
    expect(hyp2f1(1, 1, 2, 1)).toBeNaN();
  });

  it("₂F₁(a, b; a+1; z) matches a·∫₀¹ u^(a−1)(1 − zu)^(−b) du (the Pareto/NBD form) near z = 1", () => {
    // Midpoint rule after u = v^(1/a) removes the endpoint singularity: a∫… = ∫₀¹ (1 − z v^(1/a))^(−b) dv
    const a = 2.3;
    const b = 1.606;
    for (const z of [0.5, 0.97, 0.995]) {
      const n = 400_000;
      let integral = 0;
      for (let i = 0; i < n; i++) integral += Math.pow(1 - z * Math.pow((i + 0.5) / n, 1 / a), -b) / n;
      expect(relativeError(hyp2f1(a, b, a + 1, z), integral), `z = ${z}`).toBeLessThan(1e-5);
    }
  });

  it("is 1 at z = 0, terminates for negative integer a, and is NaN for z > 1 or c a non-positive integer", () => {
    expect(hyp2f1(3, 4, 5, 0)).toBe(1);
    // ₂F₁(−2, b; c; z) = 1 − 2bz/c + b(b+1)z²/(c(c+1))
    expect(hyp2f1(-2, 3, 4, 0.5)).toBeCloseTo(1 - (2 * 3 * 0.5) / 4 + (3 * 4 * 0.25) / (4 * 5), 14);
    expect(hyp2f1(1, 1, 2, 1.5)).toBeNaN();
    expect(hyp2f1(1, 1, -2, 0.5)).toBeNaN();
    expect(hyp2f1(NaN, 1, 2, 0.5)).toBeNaN();
  });
});
