/**
 * Customer lifetime value over a horizon: Σ over months m = 1..H of
 * (expected purchases in month m) × (expected spend per purchase) / (1 + d)^m,
 * with a monthly discount rate d (default 1 %), discounting each month's revenue at its end
 * (the convention of lifetimes' `customer_lifetime_value`).
 *
 * Time units: the counting models work in the unit of their fit (weeks for CDNOW, days for
 * a shop's data). `timeUnitsPerMonth` converts: a month is 365.25 / 12 = 30.4375 days, i.e.
 * 30.4375 / 7 = 4.348 weeks (`TIME_UNITS_PER_MONTH`).
 */

import { InvalidModelInputError } from "./invalid-model-input-error.ts";

export const DAYS_PER_MONTH = 365.25 / 12;

/** Model time units in one month, for the two units the app uses. */
export const TIME_UNITS_PER_MONTH = { days: DAYS_PER_MONTH, weeks: DAYS_PER_MONTH / 7 } as const;

export interface CustomerLifetimeValueInput {
  /** Expected purchases in (0, t] from the as-of date, t in model time units (e.g. a bound conditional expectation). */
  readonly expectedPurchasesBy: (t: number) => number;
  /** Expected spend per purchase (e.g. gammaGammaExpectedSpend), in shop money. */
  readonly expectedSpend: number;
  /** Model time units per month (TIME_UNITS_PER_MONTH.weeks or .days). */
  readonly timeUnitsPerMonth: number;
  /** Horizon in months. Default 12. */
  readonly months?: number;
  /** Monthly discount rate. Default 0.01. */
  readonly monthlyDiscountRate?: number;
}

export interface CustomerLifetimeValueMonth {
  readonly month: number;
  readonly expectedPurchases: number;
  readonly discountedValue: number;
}

export interface CustomerLifetimeValue {
  /** Discounted value over the horizon. */
  readonly value: number;
  /** Undiscounted expected purchases over the horizon. */
  readonly expectedPurchases: number;
  readonly byMonth: readonly CustomerLifetimeValueMonth[];
}

/**
 * Discounted expected revenue of one customer over `months` months.
 *
 * @example customerLifetimeValue({ expectedPurchasesBy: (t) => t, expectedSpend: 10, timeUnitsPerMonth: 1, months: 2, monthlyDiscountRate: 0 }).value // 20
 * @throws InvalidModelInputError for a negative spend, a non-positive month length or horizon, or a negative rate.
 */
export function customerLifetimeValue(input: CustomerLifetimeValueInput): CustomerLifetimeValue {
  const months = input.months ?? 12;
  const rate = input.monthlyDiscountRate ?? 0.01;
  if (!Number.isInteger(months) || months < 1) throw new InvalidModelInputError("months", null, `must be an integer ≥ 1 (got ${months})`);
  if (!(rate >= 0) || !Number.isFinite(rate)) throw new InvalidModelInputError("monthlyDiscountRate", null, `must be ≥ 0 (got ${rate})`);
  if (!(input.timeUnitsPerMonth > 0)) {
    throw new InvalidModelInputError("timeUnitsPerMonth", null, `must be > 0 (got ${input.timeUnitsPerMonth})`);
  }
  if (!(input.expectedSpend >= 0)) throw new InvalidModelInputError("expectedSpend", null, `must be ≥ 0 (got ${input.expectedSpend})`);
  const byMonth: CustomerLifetimeValueMonth[] = [];
  let previous = 0;
  let value = 0;
  for (let month = 1; month <= months; month++) {
    const cumulative = input.expectedPurchasesBy(month * input.timeUnitsPerMonth);
    const expectedPurchases = cumulative - previous;
    previous = cumulative;
    const discountedValue = (expectedPurchases * input.expectedSpend) / Math.pow(1 + rate, month);
    value += discountedValue;
    byMonth.push({ month, expectedPurchases, discountedValue });
  }
  return { value, expectedPurchases: previous, byMonth };
}
