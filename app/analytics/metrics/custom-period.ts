import { dayIndexFromIsoDate } from "../calendar/calendar-day";
import type { MonthlyChurn } from "../lifecycle/lifecycle-series";
import type { AnalysisPeriod } from "./analysis-period";

/** Why a custom range cannot be used (the dashboard shows it as the field's error). */
export type CustomPeriodError = "invalid-start" | "invalid-end" | "end-before-start" | "after-as-of";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function dayOf(iso: string): number | null {
  if (!ISO_DATE.test(iso)) return null;
  try {
    return dayIndexFromIsoDate(iso);
  } catch {
    return null;
  }
}

/**
 * A merchant's own range, first and last day both included (`YYYY-MM-DD`, shop-local), compared
 * with the range of equal length just before it (METRICS.md "previous period"). It may not end
 * after the as-of day: there are no figures for days that have not been analysed.
 */
export function resolveCustomPeriod(start: string, end: string, asOfDay: number): AnalysisPeriod | { error: CustomPeriodError } {
  const first = dayOf(start);
  if (first === null) return { error: "invalid-start" };
  const last = dayOf(end);
  if (last === null) return { error: "invalid-end" };
  if (last < first) return { error: "end-before-start" };
  if (last > asOfDay) return { error: "after-as-of" };
  const startDay = first - 1;
  const length = last - startDay;
  return { preset: "custom", startDay, endDay: last, previousStartDay: startDay - length, months: Math.max(1, Math.round(length / 30.4375)) };
}

/**
 * The monthly churn windows `keyMetrics` averages for `period`: it reads the first `months`
 * entries as the period and the next `months` as the previous one, so the windows that end
 * inside each range (newest first) are put there, and a range with fewer windows than
 * months is filled with empty windows (rate null, skipped by the mean) — never with the
 * neighbouring range's months.
 */
export function churnWindowsForPeriod(churn: readonly MonthlyChurn[], period: AnalysisPeriod): MonthlyChurn[] {
  // A month window counts for the range its last day falls in (as the presets, whose 30 days
  // are not a calendar month, count the month that ends on the as-of day).
  const within = (from: number, to: number) =>
    churn.filter((m) => {
      const end = dayIndexFromIsoDate(m.end);
      return end > from && end <= to;
    }).slice(0, period.months);
  const pad = (windows: MonthlyChurn[]) => [
    ...windows,
    ...Array.from({ length: period.months - windows.length }, (): MonthlyChurn => ({ start: "", end: "", atRiskBase: 0, becameLost: 0, rate: null })),
  ];
  const now = pad(within(period.startDay, period.endDay));
  return period.previousStartDay === null ? now : [...now, ...pad(within(period.previousStartDay, period.startDay))];
}
