/**
 * Expected repeat purchases of a group of customers in consecutive intervals after their
 * observation end T: the "expected orders in the coming weeks" of the timing page and the
 * per-week predictions of the back-test's hold-out (issue #12 items 3 and 4).
 *
 * Every counting model here factorises E[Y(t) | x, t_x, T] = P(alive | x, t_x, T) ·
 * E[Y(t) | alive, x, T] (FHL 2005 eq. 10 for BG/NBD; Schmittlein et al. 1987 eq. 22 for
 * Pareto/NBD), so the purchases in (t_{k−1}, t_k] are P(alive) · (E[Y(t_k) | alive] −
 * E[Y(t_{k−1}) | alive]). The given-alive part depends on (x, T) only and is computed once per
 * distinct pair; summed over the intervals it equals the expectation over the whole span.
 */
import type { BoundCountingModel } from "./fitted-counting-model.ts";
import { InvalidModelInputError } from "./invalid-model-input-error.ts";

export interface IntervalPurchaseRow {
  readonly x: number;
  readonly tx: number;
  readonly T: number;
  /** Customers with this summary (default 1). */
  readonly count?: number;
}

/**
 * @param ends the intervals' ends in model time units after each customer's T, increasing and
 *   positive: [1, 2, 3] are the first three time units.
 * @returns expected purchases of all rows in (0, ends[0]], (ends[0], ends[1]], …
 * @param aliveOfRow P(alive) of each row when the caller has it already (one likelihood pass
 *   over many rows is much cheaper than a call per row); computed per row otherwise.
 * @throws InvalidModelInputError when `ends` is empty, not increasing or not positive.
 */
export function expectedPurchasesByInterval(model: BoundCountingModel, rows: readonly IntervalPurchaseRow[], ends: readonly number[], aliveOfRow?: ArrayLike<number>): number[] {
  if (ends.length === 0) throw new InvalidModelInputError("ends", null, "is empty: no interval to predict");
  ends.forEach((end, i) => {
    if (!(Number.isFinite(end) && end > (i === 0 ? 0 : ends[i - 1]))) throw new InvalidModelInputError("ends", i, `must be positive and increasing (got ${end})`);
  });
  const totals = new Array<number>(ends.length).fill(0);
  // Increments given alive per distinct (x, T): numeric key as in backtest.ts.
  const increments = new Map<number, Float64Array>();
  if (aliveOfRow !== undefined && aliveOfRow.length !== rows.length) throw new InvalidModelInputError("aliveOfRow", null, `has ${aliveOfRow.length} values for ${rows.length} rows`);
  rows.forEach((row, r) => {
    const key = row.x * 4_294_967_296 + Math.round(row.T * 1e6);
    let inc = increments.get(key);
    if (inc === undefined) {
      inc = new Float64Array(ends.length);
      let previous = 0;
      for (let k = 0; k < ends.length; k++) {
        const cumulative = model.expectedPurchasesGivenAlive(ends[k], row.x, row.T);
        inc[k] = cumulative - previous;
        previous = cumulative;
      }
      increments.set(key, inc);
    }
    const weight = (row.count ?? 1) * (aliveOfRow !== undefined ? aliveOfRow[r] : model.probabilityAlive(row.x, row.tx, row.T));
    for (let k = 0; k < ends.length; k++) totals[k] += weight * inc[k];
  });
  return totals;
}
