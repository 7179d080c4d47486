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

function swap(values: Float64Array, a: number, b: number): void {
  const t = values[a];
  values[a] = values[b];
  values[b] = t;
}
