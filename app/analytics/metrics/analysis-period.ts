import { isoDateFromDayIndex, shiftDayByMonths } from "../calendar/calendar-day";

/** Period presets of F2; `all` has no previous period. */
export type PeriodPreset = "30d" | "90d" | "12m" | "all";
export const PERIOD_PRESETS: readonly PeriodPreset[] = ["30d", "90d", "12m", "all"];

/** A period `(startDay, endDay]` of local day indices, with its previous period of equal length. */
export interface AnalysisPeriod {
  readonly preset: PeriodPreset | "custom";
  readonly startDay: number;
  readonly endDay: number;
  /** Previous period `(previousStartDay, startDay]`, null for "all time". */
  readonly previousStartDay: number | null;
  /** Whole months the period spans (for monthly churn and CAC), at least 1. */
  readonly months: number;
}

/**
 * Resolves a preset ending at the as-of day. "12m" is twelve calendar months back; "all" starts
 * the day before the first order (`firstDay`).
 */
export function resolvePeriod(preset: PeriodPreset, asOfDay: number, firstDay: number): AnalysisPeriod {
  switch (preset) {
    case "30d":
      return { preset, startDay: asOfDay - 30, endDay: asOfDay, previousStartDay: asOfDay - 60, months: 1 };
    case "90d":
      return { preset, startDay: asOfDay - 90, endDay: asOfDay, previousStartDay: asOfDay - 180, months: 3 };
    case "12m": {
      const start = shiftDayByMonths(asOfDay, 12);
      return { preset, startDay: start, endDay: asOfDay, previousStartDay: shiftDayByMonths(asOfDay, 24), months: 12 };
    }
    case "all": {
      const start = Math.min(firstDay, asOfDay) - 1;
      return { preset, startDay: start, endDay: asOfDay, previousStartDay: null, months: Math.max(1, Math.round((asOfDay - start) / 30.4375)) };
    }
  }
}

/** `{ start, end }`: the first and the last day of a period, both included (start is the day after `startDay`). */
export function periodLabel(period: Pick<AnalysisPeriod, "startDay" | "endDay">): { start: string; end: string } {
  return { start: isoDateFromDayIndex(period.startDay + 1), end: isoDateFromDayIndex(period.endDay) };
}
