/**
 * Why an RFM score can hold no customer (METRICS.md "RFM"): customers with the same value share
 * the score of the first of them in rank order, so when one value is common (half a store's
 * customers ordered once) its customers take more than a fifth of the ranks and the next score
 * is skipped. A merchant sees an empty column in the value × frequency matrix; the dashboard
 * names the skipped scores and the shared score that took their place.
 */

/** A run of skipped scores (`from`–`to`, 1–5) and the score below them whose customers took their ranks. */
export interface SkippedRfmScores {
  from: number;
  to: number;
  sharedScore: number;
  /** Share of the scored customers who hold `sharedScore`. */
  sharedShare: number;
}

/**
 * The skipped scores among `counts` (customers per score, index 0 = score 1): empty scores above
 * a score that has customers. Empty scores below every held score cannot be explained by ties
 * and do not occur (the worst value scores 1, or 3 when all customers are equal).
 */
export function skippedRfmScores(counts: readonly number[]): SkippedRfmScores[] {
  const total = counts.reduce((sum, n) => sum + n, 0);
  const skipped: SkippedRfmScores[] = [];
  if (total === 0) return skipped;
  let held = 0;
  for (let score = 1; score <= counts.length; score++) {
    if (counts[score - 1] > 0) {
      held = score;
      continue;
    }
    if (held === 0) continue;
    const last = skipped.at(-1);
    if (last && last.sharedScore === held) last.to = score;
    else skipped.push({ from: score, to: score, sharedScore: held, sharedShare: counts[held - 1] / total });
  }
  return skipped;
}
