import type { StoreDataset } from "../dataset/dataset-builder";
import type { MonthlyChurn } from "../lifecycle/lifecycle-series";
import { type AnalysisPeriod, periodLabel } from "./analysis-period";
import { METRIC_DEFINITIONS, type MetricKey, RATE_METRICS } from "./metric-definitions";
import { periodCounts, type PeriodCounts } from "./period-counts";

/** A figure with its previous-period value and its definition key (F2). */
export interface MetricFigure {
  readonly key: MetricKey;
  readonly definition: string;
  /** null when undefined for the data (e.g. a rate with an empty base, CAC without spend). */
  readonly value: number | null;
  readonly previous: number | null;
  /** (value − previous) ÷ |previous|, null when either is missing or previous is 0. */
  readonly change: number | null;
  /** "points": `change` is value − previous of a share (percentage points); "relative": (value − previous) ÷ |previous|. */
  readonly changeUnit: "relative" | "points";
  /** Why the value is null, when it is. */
  readonly note?: string;
}

export interface KeyMetrics {
  readonly period: { start: string; end: string; preset: string };
  readonly previousPeriod: { start: string; end: string } | null;
  readonly figures: Record<MetricKey, MetricFigure>;
}

export interface KeyMetricsOptions {
  /** Marketing spend per month entered by the merchant (CAC); null/undefined: not entered. */
  readonly marketingSpendPerMonth?: number | null;
  /** Monthly churn, newest month first (from `monthlyChurn`). */
  readonly churnByMonth: readonly MonthlyChurn[];
  /** Predicted 12-month CLV per new customer of the period and of the previous one (null: no model). */
  readonly predictedClvOfNewCustomers?: { value: number | null; previous: number | null };
}

const ratio = (num: number, den: number): number | null => (den === 0 ? null : num / den);

/**
 * F2 key metrics for `period` with the previous-period comparison, following METRICS.md.
 * Monthly churn for a period of `months` months is the mean of the last `months` monthly rates
 * (months with an empty base are skipped).
 */
export function keyMetrics(dataset: StoreDataset, period: AnalysisPeriod, options: KeyMetricsOptions): KeyMetrics {
  return keyMetricsFromCounts((start, end, previousStart) => periodCounts(dataset, start, end, previousStart), period, options);
}

/**
 * The same figures from any source of `PeriodCounts` for `(start, end]` with the previous
 * range from `previousStart` (the orders themselves, or the stored per-day summary of
 * range-counts.ts for a custom range).
 */
export function keyMetricsFromCounts(
  countsFor: (start: number, end: number, previousStart: number | null) => PeriodCounts,
  period: AnalysisPeriod,
  options: KeyMetricsOptions,
): KeyMetrics {
  const len = period.endDay - period.startDay;
  const now = countsFor(period.startDay, period.endDay, period.previousStartDay);
  const prev: PeriodCounts | null =
    period.previousStartDay === null ? null : countsFor(period.previousStartDay, period.startDay, period.previousStartDay - len);

  const churnMean = (from: number, count: number): number | null => {
    // Uses the months available (a young store may have fewer than the period spans).
    const rates = options.churnByMonth.slice(from, from + count).map((m) => m.rate).filter((r): r is number => r !== null);
    return rates.length === 0 ? null : rates.reduce((s, r) => s + r, 0) / rates.length;
  };

  const spend = options.marketingSpendPerMonth ?? null;
  const cac = (c: PeriodCounts | null) => (c === null || spend === null ? null : ratio(spend * period.months, c.newCustomers));
  const ltv = (c: PeriodCounts | null) => (c === null ? null : ratio(c.customerRevenueToDate, c.customersToDate));
  const ltvForRatio = (c: PeriodCounts | null, predicted: number | null | undefined) => predicted ?? ltv(c);
  const ltvCac = (c: PeriodCounts | null, predicted: number | null | undefined) => {
    const k = cac(c);
    const l = ltvForRatio(c, predicted);
    return k === null || l === null || k === 0 ? null : l / k;
  };

  const pick = (c: PeriodCounts | null, f: (c: PeriodCounts) => number | null) => (c === null ? null : f(c));
  const values: Record<MetricKey, [number | null, number | null, string?]> = {
    "total-customers": [now.customersInPeriod, pick(prev, (c) => c.customersInPeriod)],
    "new-customers": [now.newCustomers, pick(prev, (c) => c.newCustomers)],
    ltv: [ltv(now), ltv(prev)],
    "repeat-purchase-rate": [ratio(now.repeatCustomersToDate, now.customersToDate), pick(prev, (c) => ratio(c.repeatCustomersToDate, c.customersToDate))],
    "retention-rate": [
      ratio(now.retainedFromPrevious, now.customersInPrevious),
      pick(prev, (c) => ratio(c.retainedFromPrevious, c.customersInPrevious)),
      period.previousStartDay === null ? "no previous period for all time" : now.customersInPrevious === 0 ? "no customer ordered in the previous period" : undefined,
    ],
    "churn-rate-monthly": [
      churnMean(0, period.months),
      prev !== null ? churnMean(period.months, period.months) : null,
    ],
    aov: [ratio(now.revenue, now.customerOrders + now.guestOrders), pick(prev, (c) => ratio(c.revenue, c.customerOrders + c.guestOrders))],
    "orders-per-customer": [ratio(now.customerOrders, now.customersInPeriod), pick(prev, (c) => ratio(c.customerOrders, c.customersInPeriod))],
    "guest-order-share": [ratio(now.guestOrders, now.customerOrders + now.guestOrders), pick(prev, (c) => ratio(c.guestOrders, c.customerOrders + c.guestOrders))],
    cac: [cac(now), cac(prev), spend === null ? "no marketing spend entered" : undefined],
    "ltv-cac": [
      ltvCac(now, options.predictedClvOfNewCustomers?.value),
      ltvCac(prev, options.predictedClvOfNewCustomers?.previous),
      spend === null ? "no marketing spend entered" : options.predictedClvOfNewCustomers?.value == null ? "historic LTV used (no CLV prediction)" : undefined,
    ],
    revenue: [now.revenue, pick(prev, (c) => c.revenue)],
    orders: [now.customerOrders + now.guestOrders, pick(prev, (c) => c.customerOrders + c.guestOrders)],
  };

  const figures = {} as Record<MetricKey, MetricFigure>;
  for (const key of Object.keys(values) as MetricKey[]) {
    const [value, previous, note] = values[key];
    const points = RATE_METRICS.has(key);
    const change = value === null || previous === null ? null : points ? value - previous : previous === 0 ? null : (value - previous) / Math.abs(previous);
    figures[key] = { key, definition: METRIC_DEFINITIONS[key], value, previous, change, changeUnit: points ? "points" : "relative", ...(note ? { note } : {}) };
  }
  return {
    period: { ...periodLabel(period), preset: period.preset },
    // The previous period ends the day before this one's first day: the two never share a day.
    previousPeriod: period.previousStartDay === null ? null : periodLabel({ ...period, startDay: period.previousStartDay, endDay: period.startDay }),
    figures,
  };
}
