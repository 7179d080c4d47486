/**
 * Weeks after a day (the hold-out after the calibration end, the coming weeks after the as-of
 * date) and the purchase days of a customer that fall in each: the bins of the back-test's
 * per-week comparison and of the expected orders in the coming weeks.
 */
import { isoDateFromDayIndex } from "../calendar/calendar-day";
import type { StoreDataset } from "../dataset/dataset-builder";

/** One week (or the shorter last part) of a span, as ISO dates, both inclusive. */
export interface WeekSpan {
  readonly start: string;
  readonly end: string;
  readonly days: number;
}

/** The weeks of the `totalDays` days after `afterDay`; the last one is shorter when 7 does not divide the span. */
export function weekSpans(afterDay: number, totalDays: number): WeekSpan[] {
  const spans: WeekSpan[] = [];
  for (let from = 0; from < totalDays; from += 7) {
    const days = Math.min(7, totalDays - from);
    spans.push({ start: isoDateFromDayIndex(afterDay + from + 1), end: isoDateFromDayIndex(afterDay + from + days), days });
  }
  return spans;
}

/**
 * Adds customer `customer`'s purchase days (days with at least one order: the models' purchase
 * events) in (afterDay, afterDay + 7·bins.length] to `bins`, one bin per week. Orders are
 * `orderStart … orderEnd − 1` of the dataset, sorted by day within the customer.
 */
export function purchaseDaysByWeek(dataset: StoreDataset, orderStart: number, orderEnd: number, afterDay: number, bins: Float64Array): void {
  let previousDay = -Infinity;
  for (let i = orderStart; i < orderEnd; i++) {
    const day = dataset.orderDay[i];
    if (day <= afterDay || day === previousDay) continue;
    previousDay = day;
    const week = Math.floor((day - afterDay - 1) / 7);
    if (week < bins.length) bins[week]++;
  }
}
