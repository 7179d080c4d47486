/**
 * The k-th smallest of the first `count` values (k = 0 is the minimum): what `sort()[k]` gives,
 * in expected linear time (Hoare's quickselect with a median-of-three pivot) instead of a full
 * sort — thresholds such as "the revenue of the customer ranked ⌈5 % · n⌉" need one rank only.
 * Reorders that prefix of `values` in place. Values must not be NaN.
 *
 * @throws RangeError when k is not an index below `count`.
 */
export function kthSmallest(values: Float64Array, k: number, count = values.length): number {
  if (!(Number.isInteger(k) && k >= 0 && k < count)) throw new RangeError(`rank ${k} outside 0…${count - 1}`);
  let lo = 0;
  let hi = count - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // Median of three as the pivot (sorted into lo, mid, hi).
    if (values[mid] < values[lo]) swap(values, mid, lo);
    if (values[hi] < values[lo]) swap(values, hi, lo);
    if (values[hi] < values[mid]) swap(values, hi, mid);
    const pivot = values[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        swap(values, i, j);
        i++;
        j--;
      }
    }
    // Now values[lo..j] ≤ pivot ≤ values[i..hi], and anything between equals the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k];
  }
  return values[k];
}

/**
 * The q-quantile of the values by linear interpolation between order statistics (Hyndman & Fan's
 * type 7, R's default: position q·(n − 1) of the sorted values), without sorting them: one
 * selection and a scan for the next larger value. A per-customer interval from 100 parameter
 * draws at 30k prediction tuples took 0.25 s with two sorts per tuple. Reorders `values`.
 * Values must not be NaN.
 */
export function quantileOfUnsorted(values: Float64Array, q: number): number {
  const n = values.length;
  const position = q * (n - 1);
  const k = Math.floor(position);
  const below = kthSmallest(values, k);
  if (k + 1 >= n || position === k) return below;
  // After the selection every value past k is at least values[k]: the next order statistic is their minimum.
  let above = Infinity;
  for (let i = k + 1; i < n; i++) if (values[i] < above) above = values[i];
  return below + (above - below) * (position - k);
}

function swap(values: Float64Array, a: number, b: number): void {
  const t = values[a];
  values[a] = values[b];
  values[b] = t;
}
