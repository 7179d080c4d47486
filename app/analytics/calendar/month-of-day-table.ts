import { monthIndexOfDay } from "./calendar-day";

/**
 * Month index (`year * 12 + month0`) of each day in `[fromDay, toDay]`, precomputed so hot
 * loops over millions of orders do an array read instead of a `Date` conversion.
 */
export class MonthOfDayTable {
  private readonly months: Int32Array;

  constructor(
    readonly fromDay: number,
    readonly toDay: number,
  ) {
    const span = Math.max(0, toDay - fromDay + 1);
    this.months = new Int32Array(span);
    if (span === 0) return;
    let month = monthIndexOfDay(fromDay);
    let nextMonthStartsAt = fromDay;
    // Walk day by day; recompute only on the 1st of a month.
    for (let d = fromDay; d <= toDay; d++) {
      if (d >= nextMonthStartsAt) {
        month = monthIndexOfDay(d);
        const date = new Date(d * 86_400_000);
        nextMonthStartsAt = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / 86_400_000;
      }
      this.months[d - fromDay] = month;
    }
  }

  monthOf(day: number): number {
    const i = day - this.fromDay;
    if (i >= 0 && i < this.months.length) return this.months[i];
    return monthIndexOfDay(day);
  }
}
