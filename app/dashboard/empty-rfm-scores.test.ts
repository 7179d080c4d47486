import { describe, expect, it } from "vitest";
import { quintileScores } from "~/analytics/rfm/quintile-scores";
import { skippedRfmScores } from "./empty-rfm-scores";

/** Customers per score 1–5 of these order counts, scored as the dashboard's frequency ring is. */
function frequencyCounts(orderCounts: number[]): number[] {
  const scores = quintileScores(Float64Array.from(orderCounts), () => true, true);
  const counts = [0, 0, 0, 0, 0];
  for (const s of scores) counts[s - 1]++;
  return counts;
}

describe("skippedRfmScores(counts)", () => {
  it("names frequency score 2 as skipped when over a fifth of the customers ordered once, with their share", () => {
    // 53 one-time buyers of 100: they share score 1, and two-time buyers start at rank 53 (score 3).
    const orders = [...Array(53).fill(1), ...Array(20).fill(2), ...Array(9).fill(3), ...Array(10).fill(4), ...Array(8).fill(6)];
    const counts = frequencyCounts(orders);
    expect(counts[1]).toBe(0);
    expect(skippedRfmScores(counts)).toEqual([{ from: 2, to: 2, sharedScore: 1, sharedShare: 0.53 }]);
  });

  it("joins consecutive skipped scores into one run, and finds none when every score is held", () => {
    expect(skippedRfmScores([70, 0, 0, 10, 20])).toEqual([{ from: 2, to: 3, sharedScore: 1, sharedShare: 0.7 }]);
    expect(skippedRfmScores([60, 0, 20, 0, 20])).toEqual([
      { from: 2, to: 2, sharedScore: 1, sharedShare: 0.6 },
      { from: 4, to: 4, sharedScore: 3, sharedShare: 0.2 },
    ]);
    const distinct = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(skippedRfmScores(frequencyCounts(distinct))).toEqual([]);
  });

  it("explains nothing for a store without scored customers, nor the empty scores below the lowest held one", () => {
    expect(skippedRfmScores([0, 0, 0, 0, 0])).toEqual([]);
    // Every customer equal: all score 3 (quintile-scores.ts); 4 and 5 are skipped, 1 and 2 are not.
    const counts = frequencyCounts(Array(10).fill(2));
    expect(counts).toEqual([0, 0, 10, 0, 0]);
    expect(skippedRfmScores(counts)).toEqual([{ from: 4, to: 5, sharedScore: 3, sharedShare: 1 }]);
  });
});
