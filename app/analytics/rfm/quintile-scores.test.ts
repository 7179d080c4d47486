import { describe, expect, it } from "vitest";
import { quintileScores } from "./quintile-scores";

const all = () => true;

describe("quintileScores(values, include, higherIsBetter)", () => {
  it("assigns quintile 5 to the top 20 % by value and 1 to the bottom 20 %", () => {
    const v = Float64Array.from([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(Array.from(quintileScores(v, all, true))).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  });

  it("reverses for recency: fewer days since the last order scores higher", () => {
    const days = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(Array.from(quintileScores(days, all, false))).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
  });

  it("gives ties the score of the rank where the tie starts", () => {
    // sorted: 1 1 1 1 1 1 2 3 4 5 → the six 1s start at rank 0 (score 1); 2 at rank 6 → 1 + ⌊30/10⌋ = 4.
    const v = Float64Array.from([1, 1, 1, 1, 1, 1, 2, 3, 4, 5]);
    expect(Array.from(quintileScores(v, all, true))).toEqual([1, 1, 1, 1, 1, 1, 4, 4, 5, 5]);
  });

  it("spreads fewer than 5 distinct values over 1–5 (2 values → 1 and 5; 3 → 1, 3, 5)", () => {
    expect(Array.from(quintileScores(Float64Array.from([1, 2, 1, 2]), all, true))).toEqual([1, 5, 1, 5]);
    expect(Array.from(quintileScores(Float64Array.from([1, 2, 3, 3]), all, true))).toEqual([1, 3, 5, 5]);
    expect(Array.from(quintileScores(Float64Array.from([7, 7]), all, true))).toEqual([3, 3]);
  });

  it("gives the same scores whether keys are small integers (counting) or not (sorting)", () => {
    const ints = [1, 1, 1, 1, 1, 1, 2, 3, 4, 5, 9, 9, 12, 40, 40];
    const fractional = Float64Array.from(ints, (v) => v + 0.25);
    const spread = Float64Array.from(ints, (v) => v * 1_000_000);
    const expected = Array.from(quintileScores(Float64Array.from(ints), all, true));
    expect(Array.from(quintileScores(fractional, all, true))).toEqual(expected);
    expect(Array.from(quintileScores(spread, all, true))).toEqual(expected);
    expect(Array.from(quintileScores(Float64Array.from([0.5, 1.5, 0.5]), all, false))).toEqual([5, 1, 5]);
  });

  it("agrees with the definition on random data of every key kind (small/wide/huge integer ranges, negatives, fractions)", () => {
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    // Definition: with values sorted worst first, score = 1 + ⌊5 × (first rank of the value) / n⌋.
    const reference = (v: number[], higherIsBetter: boolean) => {
      const keys = v.map((x) => (higherIsBetter ? x : -x));
      const sorted = [...keys].sort((a, b) => a - b);
      return keys.map((k) => 1 + Math.floor((5 * sorted.indexOf(k)) / keys.length));
    };
    const kinds = [
      () => Math.floor(random() * 400), // counting sort
      () => Math.floor(random() * 5e7) - 1e7, // wide integer range, negatives: packed sort
      () => Math.floor(random() * 2e15) - 1e15, // too wide to pack: binary search
      () => random() * 1000 - 500, // fractions
    ];
    for (const kind of kinds) {
      const v = Array.from({ length: 3000 }, kind);
      for (let i = 0; i < 300; i++) v[Math.floor(random() * v.length)] = v[Math.floor(random() * v.length)]; // ties
      for (const higher of [true, false]) expect(Array.from(quintileScores(Float64Array.from(v), all, higher))).toEqual(reference(v, higher));
    }
  });

  it("scores only included customers, the others get 0; empty input gives no scores", () => {
    expect(Array.from(quintileScores(Float64Array.from([5, 9, 1]), (c) => c !== 1, true))).toEqual([5, 0, 1]);
    expect(quintileScores(new Float64Array(0), all, true).length).toBe(0);
  });
});
