import type { CustomerFacts } from "./customer-facts";

export type TimeUnit = "week" | "day";

/** Days per model time unit. */
export const DAYS_PER_TIME_UNIT: Readonly<Record<TimeUnit, number>> = { week: 7, day: 1 };

/**
 * The per-customer model input of BG/NBD-family models (Fader, Hardie & Lee 2005):
 * `x` (frequency) = repeat purchase events, `t_x` (recency) = time from first to last event,
 * `T` (age) = time from first event to the as-of date, all in `timeUnit`; plus `m_x`
 * (monetary) = mean revenue per repeat purchase event (0 without repeats), the Gamma-Gamma input.
 * Indexed by customer; customers with no order up to the as-of date have `T = NaN`.
 *
 * @see METRICS.md "Models (F7)"
 */
export interface PurchaseHistorySummary {
  readonly timeUnit: TimeUnit;
  readonly frequency: Float64Array;
  readonly recency: Float64Array;
  readonly ageT: Float64Array;
  readonly monetary: Float64Array;
}

/**
 * Builds the `(x, t_x, T, m_x)` columns from {@link CustomerFacts}.
 *
 * @example
 * // CDNOW sample customer 1, A = 1997-09-30, weeks: x = 2, t_x = 30.43, T = 38.86
 */
export function purchaseHistorySummary(facts: CustomerFacts, timeUnit: TimeUnit): PurchaseHistorySummary {
  const n = facts.customerCount;
  const unit = DAYS_PER_TIME_UNIT[timeUnit];
  const frequency = new Float64Array(n);
  const recency = new Float64Array(n);
  const ageT = new Float64Array(n).fill(NaN);
  const monetary = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    if (facts.orders[c] === 0) continue;
    const x = facts.events[c] - 1;
    frequency[c] = x;
    recency[c] = (facts.lastDay[c] - facts.firstDay[c]) / unit;
    ageT[c] = (facts.asOfDay - facts.firstDay[c]) / unit;
    monetary[c] = x > 0 ? facts.repeatEventRevenue[c] / x : 0;
  }
  return { timeUnit, frequency, recency, ageT, monetary };
}
