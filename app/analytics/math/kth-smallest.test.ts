import { describe, expect, it } from "vitest";
import { kthSmallest, quantileOfUnsorted } from "./kth-smallest";
import { createSeededRng } from "./seeded-rng";

describe("kthSmallest", () => {
  it("equals the k-th element of the sorted values, with ties, duplicates and negative values", () => {
    const rng = createSeededRng(7);
    for (const size of [1, 2, 3, 10, 101, 2000]) {
      for (const distinct of [2, 50, 1e9]) {
        const values = Float64Array.from({ length: size }, () => Math.floor(rng() * distinct) - distinct / 3);
        const sorted = Float64Array.from(values).sort();
        for (const k of new Set([0, size - 1, size >> 1, Math.floor(rng() * size)])) {
          expect(kthSmallest(Float64Array.from(values), k)).toBe(sorted[k]);
        }
      }
    }
  });

  it("only looks at the first `count` values", () => {
    expect(kthSmallest(Float64Array.from([5, 1, 4, -100, -200]), 0, 3)).toBe(1);
    expect(kthSmallest(Float64Array.from([5, 1, 4, -100, -200]), 2, 3)).toBe(5);
  });

  it("rejects a rank outside the values", () => {
    expect(() => kthSmallest(Float64Array.from([1, 2]), 2)).toThrow(RangeError);
    expect(() => kthSmallest(new Float64Array(0), 0)).toThrow(RangeError);
  });

  it("gives the quantile a sorted copy interpolates, to the last bit, without sorting", () => {
    const rng = createSeededRng(11);
    const interpolated = (sorted: Float64Array, q: number) => {
      const position = q * (sorted.length - 1);
      const k = Math.floor(position);
      return k + 1 >= sorted.length ? sorted[k] : sorted[k] + (sorted[k + 1] - sorted[k]) * (position - k);
    };
    for (const size of [1, 2, 7, 100, 1001]) {
      for (const distinct of [3, 1e9]) {
        const values = Float64Array.from({ length: size }, () => Math.floor(rng() * distinct) / 7 - 5);
        const sorted = Float64Array.from(values).sort();
        for (const q of [0, 0.05, 0.5, 0.95, 1, rng()]) expect(quantileOfUnsorted(Float64Array.from(values), q)).toBe(interpolated(sorted, q));
      }
    }
  });
});
