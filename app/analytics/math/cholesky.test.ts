import { describe, expect, it } from "vitest";
import { cholesky, invertSymmetricPositiveDefinite } from "./cholesky.ts";

describe("cholesky(matrix) and invertSymmetricPositiveDefinite(matrix)", () => {
  const a = [
    [4, 12, -16],
    [12, 37, -43],
    [-16, -43, 98],
  ];

  it("factors the textbook example into L = [[2,0,0],[6,1,0],[−8,5,3]]", () => {
    expect(cholesky(a)).toEqual([
      [2, 0, 0],
      [6, 1, 0],
      [-8, 5, 3],
    ]);
  });

  it("inverts: A · A⁻¹ = I", () => {
    const inv = invertSymmetricPositiveDefinite(a)!;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const v = a[i].reduce((s, _, k) => s + a[i][k] * inv[k][j], 0);
        expect(v).toBeCloseTo(i === j ? 1 : 0, 10);
      }
    }
  });

  it("returns null for a matrix that is not positive definite", () => {
    expect(cholesky([
      [1, 2],
      [2, 1],
    ])).toBeNull();
  });
});
