/**
 * Scores 1–5 by quintile (METRICS.md "RFM"): with values ordered from worst to best, a value's
 * score is `1 + floor(5 × rank / n)` where `rank` is the 0-based position of the *first*
 * customer with that value — so ties share the score of their rank. When there are fewer than
 * 5 distinct values, the distinct values are spread evenly over 1–5 instead (2 values → 1 and
 * 5; 3 → 1, 3, 5; 4 → 1, 2, 4, 5 rounded), and a single distinct value scores 3 for everyone:
 * nobody is better or worse.
 *
 * Implementation: one native numeric sort of the keys (no comparator callback), then a binary
 * search per customer for the first position of its value — O(n log n) without per-element
 * closures, which matters at 300k customers.
 *
 * @param values one value per customer (only `include[c]` customers are scored; others get 0)
 * @param higherIsBetter false for recency in days (fewer days = more recent = 5)
 */
export function quintileScores(values: Float64Array, include: (c: number) => boolean, higherIsBetter: boolean): Uint8Array {
  const n = values.length;
  const scores = new Uint8Array(n);
  const sign = higherIsBetter ? 1 : -1;
  let count = 0;
  for (let c = 0; c < n; c++) if (include(c)) count++;
  if (count === 0) return scores;
  // Worst first: ascending keys.
  const sorted = new Float64Array(count);
  for (let c = 0, i = 0; c < n; c++) if (include(c)) sorted[i++] = sign * values[c] + 0; // + 0 turns −0 into 0
  sorted.sort();
  const distinctValues: number[] = [];
  for (let i = 0; i < count; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinctValues.push(sorted[i]);
  const distinct = distinctValues.length;

  const firstPosition = (key: number): number => {
    let lo = 0;
    let hi = count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const distinctRank = (key: number): number => {
    let lo = 0;
    let hi = distinct;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (distinctValues[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  for (let c = 0; c < n; c++) {
    if (!include(c)) continue;
    const key = sign * values[c] + 0;
    let score: number;
    if (distinct >= 5) score = 1 + Math.floor((5 * firstPosition(key)) / count);
    else if (distinct === 1) score = 3;
    else score = 1 + Math.round((4 * distinctRank(key)) / (distinct - 1));
    scores[c] = score;
  }
  return scores;
}
