/**
 * The per-customer summary the buy-till-you-die models are fitted on, and its validation.
 *
 * Glossary (paper symbols, Fader, Hardie & Lee 2005):
 * - `x`  frequency: number of repeat purchase events (events after the first one);
 * - `tx` recency: time from the first to the last purchase event;
 * - `T`  age: time from the first purchase event to the end of the observation;
 * - `count` how many customers share this exact (x, tx, T) tuple.
 * Time is in the caller's unit (weeks in the published CDNOW figures); every fit reports
 * rate parameters (α, β) in that same unit.
 */

import { InvalidModelInputError } from "./invalid-model-input-error.ts";

export interface PurchaseSummaryRow {
  readonly x: number;
  readonly tx: number;
  readonly T: number;
  readonly count: number;
}

/** A customer-level summary before grouping (no count). */
export interface CustomerPurchaseSummary {
  readonly x: number;
  readonly tx: number;
  readonly T: number;
}

/**
 * Checks the lifetimes `_check_inputs` invariants: finite non-negative numbers, integer x,
 * tx ≤ T, tx = 0 when x = 0, T > 0 when x > 0, count > 0.
 *
 * @throws InvalidModelInputError naming the field and row index of the first violation.
 */
export function assertPurchaseSummary(rows: readonly PurchaseSummaryRow[], requireCount = true): void {
  if (rows.length === 0) throw new InvalidModelInputError("rows", null, "is empty: nothing to fit");
  rows.forEach((row, i) => assertCustomerPurchaseSummary(row, i, requireCount));
}

/** Validates one (x, tx, T[, count]) record; `rowIndex` goes into the error. */
export function assertCustomerPurchaseSummary(
  row: CustomerPurchaseSummary & { readonly count?: number },
  rowIndex: number | null,
  requireCount = false,
): void {
  // Field by field without building a list: this runs once per customer in big stores.
  assertNonNegativeNumber("x", row.x, rowIndex);
  assertNonNegativeNumber("tx", row.tx, rowIndex);
  assertNonNegativeNumber("T", row.T, rowIndex);
  if (requireCount || row.count !== undefined) assertNonNegativeNumber("count", row.count, rowIndex);
  if (!Number.isInteger(row.x)) throw new InvalidModelInputError("x", rowIndex, `must be an integer (got ${row.x})`);
  if (row.tx > row.T) {
    throw new InvalidModelInputError("tx", rowIndex, `must not exceed T (tx = ${row.tx}, T = ${row.T})`);
  }
  if (row.x === 0 && row.tx !== 0) {
    throw new InvalidModelInputError("tx", rowIndex, `must be 0 when x = 0 (got ${row.tx})`);
  }
  if (row.x > 0 && row.tx === 0) {
    throw new InvalidModelInputError("tx", rowIndex, "must be > 0 when x > 0 (repeat purchases happen after the first)");
  }
  if (row.count !== undefined && row.count === 0 && requireCount) {
    throw new InvalidModelInputError("count", rowIndex, "must be positive");
  }
}

function assertNonNegativeNumber(field: string, value: unknown, rowIndex: number | null): void {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new InvalidModelInputError(field, rowIndex, `must be a finite number (got ${String(value)})`);
  }
  if (value < 0) throw new InvalidModelInputError(field, rowIndex, `must not be negative (got ${value})`);
}

/**
 * Groups customer-level summaries into distinct (x, tx, T) tuples with counts; a large
 * store has far fewer distinct tuples than customers, and the fit cost scales with them.
 *
 * @throws InvalidModelInputError for an invalid customer row.
 */
export function groupPurchaseSummaries(customers: readonly CustomerPurchaseSummary[]): PurchaseSummaryRow[] {
  const groups = new Map<string, { x: number; tx: number; T: number; count: number }>();
  customers.forEach((c, i) => {
    assertCustomerPurchaseSummary(c, i);
    const key = `${c.x}|${c.tx}|${c.T}`;
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { x: c.x, tx: c.tx, T: c.T, count: 1 });
  });
  return [...groups.values()];
}

/** Column-oriented copy of a validated summary, with per-distinct-x indexing for caching. */
export interface PreparedSummary {
  readonly x: Float64Array;
  readonly tx: Float64Array;
  readonly T: Float64Array;
  readonly count: Float64Array;
  /** index into `distinctX` for each row */
  readonly xIndex: Int32Array;
  readonly distinctX: readonly number[];
  /** index into `distinctT` for each row (ages repeat: customers who started the same day) */
  readonly TIndex: Int32Array;
  readonly distinctT: readonly number[];
  /** index into `distinctTx` for each row (on a day grid recencies repeat too) */
  readonly txIndex: Int32Array;
  readonly distinctTx: readonly number[];
  readonly totalCount: number;
}

/** Validates and converts rows; `timeScale` divides tx and T (internal rescaling). */
export function preparePurchaseSummary(rows: readonly PurchaseSummaryRow[], timeScale = 1): PreparedSummary {
  assertPurchaseSummary(rows);
  const n = rows.length;
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  const T = new Float64Array(n);
  const count = new Float64Array(n);
  let totalCount = 0;
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    x[i] = row.x;
    tx[i] = row.tx / timeScale;
    T[i] = row.T / timeScale;
    count[i] = row.count;
    totalCount += row.count;
  }
  const [distinctX, xIndex] = indexDistinct(x);
  const [distinctT, TIndex] = indexDistinct(T);
  const [distinctTx, txIndex] = indexDistinct(tx);
  return { x, tx, T, count, xIndex, distinctX, TIndex, distinctT, txIndex, distinctTx, totalCount };
}

/** The distinct values of `values` (in order of first appearance) and each value's index among them. */
function indexDistinct(values: Float64Array): [number[], Int32Array] {
  const indexOf = new Map<number, number>();
  const distinct: number[] = [];
  const index = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    let k = indexOf.get(v);
    if (k === undefined) {
      k = distinct.length;
      indexOf.set(v, k);
      distinct.push(v);
    }
    index[i] = k;
  }
  return [distinct, index];
}

/** ln(α + t) for each of `times` (the per-distinct-time tables of the likelihoods). */
export function logAlphaPlusTimes(alpha: number, times: readonly number[]): Float64Array {
  const out = new Float64Array(times.length);
  for (let i = 0; i < times.length; i++) out[i] = Math.log(alpha + times[i]);
  return out;
}
