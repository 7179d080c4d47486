/**
 * Scores 1–5 by quintile (METRICS.md "RFM"): with values ordered from worst to best, a value's
 * score is `1 + floor(5 × rank / n)` where `rank` is the 0-based position of the *first*
 * customer with that value — so ties share the score of their rank. When there are fewer than
 * 5 distinct values, the distinct values are spread evenly over 1–5 instead (2 values → 1 and
 * 5; 3 → 1, 3, 5; 4 → 1, 2, 4, 5 rounded), and a single distinct value scores 3 for everyone:
 * nobody is better or worse.
 *
 * @param values one value per customer (only `include[c]` customers are scored; others get 0)
 * @param higherIsBetter false for recency in days (fewer days = more recent = 5)
 */
export function quintileScores(values: Float64Array, include: (c: number) => boolean, higherIsBetter: boolean): Uint8Array {
  const n = values.length;
  const scores = new Uint8Array(n);
  let count = 0;
  const members = new Int32Array(n);
  for (let c = 0; c < n; c++) if (include(c)) members[count++] = c;
  if (count === 0) return scores;
  const sorted = members.subarray(0, count);
  // Worst first.
  const sign = higherIsBetter ? 1 : -1;
  const keys = new Float64Array(count);
  for (let i = 0; i < count; i++) keys[i] = sign * values[sorted[i]];
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  order.sort((p, q) => keys[p] - keys[q] || p - q);

  let distinct = 0;
  for (let i = 0; i < count; i++) if (i === 0 || keys[order[i]] !== keys[order[i - 1]]) distinct++;

  let distinctRank = -1;
  let tieStart = 0;
  for (let i = 0; i < count; i++) {
    if (i === 0 || keys[order[i]] !== keys[order[i - 1]]) {
      tieStart = i;
      distinctRank++;
    }
    let score: number;
    if (distinct >= 5) score = 1 + Math.floor((5 * tieStart) / count);
    else if (distinct === 1) score = 3;
    else score = 1 + Math.round((4 * distinctRank) / (distinct - 1));
    scores[sorted[order[i]]] = score;
  }
  return scores;
}
