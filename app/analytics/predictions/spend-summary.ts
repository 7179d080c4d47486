import type { CustomerFacts } from "../customers/customer-facts";
import type { SpendSummaryRow } from "../models/index.ts";

/** Gamma-Gamma input: repeat customers' (x, mean repeat spend) rows with counts. */
export interface SpendSummary {
  readonly rows: SpendSummaryRow[];
  /** Repeat customers with positive mean repeat spend. */
  readonly customers: number;
  /** Significant digits the mean spend was rounded to for grouping (null = cents, exact). */
  readonly roundedToDigits: number | null;
}

/** Powers of ten 10⁻¹⁵ … 10¹⁵ (no Math.pow per customer). */
const POWERS = Array.from({ length: 31 }, (_, i) => Number(`1e${i - 15}`));

function roundSignificant(value: number, digits: number): number {
  if (value === 0) return 0;
  const exponent = digits - 1 - Math.floor(Math.log10(Math.abs(value)));
  const scale = exponent >= -15 && exponent <= 15 ? POWERS[exponent + 15] : Math.pow(10, exponent);
  return Math.round(value * scale) / scale;
}

/**
 * Groups repeat customers by (x, mean spend per repeat purchase event). Mean spend is grouped
 * at cent precision; when that leaves more than `maxRows` rows (large stores), it is rounded to
 * 3, then 2 significant digits (≤ 0.5 % / 5 % relative error, reported) so the Gamma-Gamma fit
 * stays cheap. Customers with zero mean repeat spend (fully refunded repeats) are left out: the
 * model needs positive spend.
 */
export function spendSummary(facts: CustomerFacts, maxRows: number): SpendSummary {
  // A grouping that may still be coarsened stops at the first row over `limit`.
  const group = (digits: number | null, limit: number): SpendSummary | null => {
    // One index per x keyed by whole cents: small-integer keys hash much faster than the
    // large float keys a single (x, cents) key would need.
    const indexOfX: Map<number, number>[] = [];
    const rows: { x: number; meanSpend: number; count: number }[] = [];
    let customers = 0;
    for (let c = 0; c < facts.customerCount; c++) {
      const x = facts.events[c] - 1;
      if (facts.orders[c] === 0 || x < 1) continue;
      const cents = Math.round((facts.repeatEventRevenue[c] / x) * 100) / 100;
      if (!(cents > 0)) continue;
      const mean = digits === null ? cents : roundSignificant(cents, digits);
      customers++;
      const index = (indexOfX[x] ??= new Map<number, number>());
      const key = Math.round(mean * 100);
      const i = index.get(key);
      if (i === undefined) {
        if (rows.length >= limit) return null;
        index.set(key, rows.length);
        rows.push({ x, meanSpend: mean, count: 1 });
      } else rows[i].count++;
    }
    return { rows, customers, roundedToDigits: digits };
  };
  let repeatCustomers = 0;
  for (let c = 0; c < facts.customerCount; c++) if (facts.events[c] > 1) repeatCustomers++;
  // A big store will need rounding anyway: skip the exact grouping pass. Two significant
  // digits is the coarsest rounding, kept whatever its size.
  const precisions: (number | null)[] = repeatCustomers > 4 * maxRows ? [3, 2] : [null, 3, 2];
  let summary: SpendSummary | null = null;
  for (const digits of precisions) {
    summary = group(digits, digits === 2 ? Infinity : maxRows);
    if (summary !== null) break;
  }
  return summary!;
}
