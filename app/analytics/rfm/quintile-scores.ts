/**
 * Scores 1–5 by quintile (METRICS.md "RFM"): with values ordered from worst to best, a value's
 * score is `1 + floor(5 × rank / n)` where `rank` is the 0-based position of the *first*
 * customer with that value — so ties share the score of their rank. When there are fewer than
 * 5 distinct values, the distinct values are spread evenly over 1–5 instead (2 values → 1 and
 * 5; 3 → 1, 3, 5; 4 → 1, 2, 4, 5 rounded), and a single distinct value scores 3 for everyone:
 * nobody is better or worse.
 *
 * Implementation: a counting sort for integer keys in a modest range; otherwise one native
 * numeric sort (no comparator callback) of the keys packed with their customer index, or for
 * non-integer keys of the keys alone followed by a binary search per customer for the first
 * position of its value — O(n log n) without per-element closures, which matters at 300k
 * customers.
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
  let allIntegers = true;
  let min = Infinity;
  let max = -Infinity;
  for (let c = 0, i = 0; c < n; c++) {
    if (!include(c)) continue;
    const key = sign * values[c] + 0; // + 0 turns −0 into 0
    sorted[i++] = key;
    if (!Number.isInteger(key)) allIntegers = false;
    if (key < min) min = key;
    if (key > max) max = key;
  }
  // Integer keys in a modest range (days, order counts, cents of small stores): counting sort,
  // which gives every value's first position directly. Otherwise one native numeric sort.
  if (allIntegers && max - min <= 4 * count + 1024) {
    const range = max - min + 1;
    const first = new Int32Array(range + 1);
    for (let i = 0; i < count; i++) first[sorted[i] - min + 1]++;
    let distinct = 0;
    for (let v = 1; v <= range; v++) if (first[v] > 0) distinct++;
    const rankOf = new Int32Array(range);
    for (let v = 0, r = 0; v < range; v++) {
      rankOf[v] = r;
      if (first[v + 1] > 0) r++;
    }
    for (let v = 1; v <= range; v++) first[v] += first[v - 1];
    for (let c = 0; c < n; c++) {
      if (!include(c)) continue;
      const v = sign * values[c] + 0 - min;
      scores[c] = scoreFor(first[v], rankOf[v], count, distinct);
    }
    return scores;
  }
  // Integer keys over a wide range (revenue in cents): each key packed with its customer index
  // into one float (exact below 2⁵³), one native sort, then one pass in sorted order gives every
  // customer the first position of its value — no binary search per customer (a cache miss
  // per step at 300k customers).
  const indexFactor = 2 ** Math.ceil(Math.log2(n + 1));
  if (allIntegers && (max - min + 1) * indexFactor <= Number.MAX_SAFE_INTEGER) {
    let i = 0;
    for (let c = 0; c < n; c++) if (include(c)) sorted[i++] = (sign * values[c] + 0 - min) * indexFactor + c;
    sorted.sort();
    let distinct = 0;
    for (let k = 0, previous = -1; k < count; k++) {
      const value = Math.floor(sorted[k] / indexFactor);
      if (value !== previous) distinct++;
      previous = value;
    }
    for (let k = 0, previous = -1, first = 0, rank = -1; k < count; k++) {
      const value = Math.floor(sorted[k] / indexFactor);
      if (value !== previous) {
        first = k;
        rank++;
        previous = value;
      }
      scores[sorted[k] - value * indexFactor] = scoreFor(first, rank, count, distinct);
    }
    return scores;
  }
  sorted.sort();
  const distinctValues: number[] = [];
  for (let i = 0; i < count; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinctValues.push(sorted[i]);
  const distinct = distinctValues.length;

  const firstPosition = (key: number): number => lowerBound(sorted, count, key);
  const distinctRank = (key: number): number => lowerBound(distinctValues, distinct, key);
  for (let c = 0; c < n; c++) {
    if (!include(c)) continue;
    const key = sign * values[c] + 0;
    // The distinct rank only matters with fewer than 5 distinct values: skip its search otherwise.
    scores[c] = scoreFor(firstPosition(key), distinct >= 5 ? 0 : distinctRank(key), count, distinct);
  }
  return scores;
}

/** The first index in `sorted[0 … length)` (ascending) whose value is not below `key`. */
function lowerBound(sorted: ArrayLike<number>, length: number, key: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Score of a value whose tie starts at `position` and which is the `rank`-th distinct value. */
function scoreFor(position: number, rank: number, count: number, distinct: number): number {
  if (distinct >= 5) return 1 + Math.floor((5 * position) / count);
  if (distinct === 1) return 3;
  return 1 + Math.round((4 * rank) / (distinct - 1));
}

/**
 * A store's quintile scoring kept as cut-offs, so one customer can be scored later exactly as the
 * store scored them (score-customer.ts): `from[i]` is the lowest key (value × ±1, worst first)
 * that scored `score[i]`, ascending. Scores only rise with the key, so a value that was in the
 * store gets its store score back; a value between two cut-offs gets the lower one's score.
 */
export interface QuintileCuts {
  readonly higherIsBetter: boolean;
  readonly from: readonly number[];
  readonly score: readonly number[];
}

/** The cut-offs of a scoring {@link quintileScores} returned for the same arguments. */
export function quintileCuts(values: Float64Array, include: (c: number) => boolean, higherIsBetter: boolean, scores: Uint8Array): QuintileCuts {
  const sign = higherIsBetter ? 1 : -1;
  // Lowest key per score (a score is a byte): an array, not a Map lookup per customer.
  const lowest = new Float64Array(256).fill(Infinity);
  const seen = new Uint8Array(256);
  for (let c = 0; c < values.length; c++) {
    if (!include(c)) continue;
    const key = sign * values[c] + 0;
    const s = scores[c];
    seen[s] = 1;
    if (key < lowest[s]) lowest[s] = key;
  }
  const score: number[] = [];
  for (let s = 0; s < 256; s++) if (seen[s] === 1) score.push(s);
  return { higherIsBetter, from: score.map((s) => lowest[s]), score };
}

/** The score of `value` under a store's cut-offs (0 when the store scored nobody). */
export function scoreByCuts(value: number, cuts: QuintileCuts): number {
  if (cuts.score.length === 0) return 0;
  const key = (cuts.higherIsBetter ? 1 : -1) * value + 0;
  let score = cuts.score[0];
  for (let i = 1; i < cuts.from.length && key >= cuts.from[i]; i++) score = cuts.score[i];
  return score;
}
