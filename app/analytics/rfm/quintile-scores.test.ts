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

  it("scores only included customers, the others get 0; empty input gives no scores", () => {
    expect(Array.from(quintileScores(Float64Array.from([5, 9, 1]), (c) => c !== 1, true))).toEqual([5, 0, 1]);
    expect(quintileScores(new Float64Array(0), all, true).length).toBe(0);
  });
});
