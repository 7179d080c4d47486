/**
 * Calendar arithmetic on *local day indices*: whole days since 1970-01-01 in the shop's time
 * zone. Every timestamp is shifted by the shop's UTC offset once, when the dataset is built
 * (see `dataset-builder.ts`), so from then on a day, a month or a weekday is plain integer math
 * with UTC getters. `Date` is used only as a calendar here, never as a clock.
 */
export const MS_PER_DAY = 86_400_000;

/** Day index of a local wall-clock time in ms (already shifted by the shop's offset). */
export function dayIndexOfLocalMs(localMs: number): number {
  return Math.floor(localMs / MS_PER_DAY);
}

/**
 * Day index of an ISO date `YYYY-MM-DD`.
 * @throws RangeError when the string is not a real calendar date.
 */
export function dayIndexFromIsoDate(isoDate: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) throw new RangeError(`expected a date as YYYY-MM-DD, got "${isoDate}"`);
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(y, m - 1, d);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) {
    throw new RangeError(`"${isoDate}" is not a calendar date`);
  }
  return ms / MS_PER_DAY;
}

/** ISO date `YYYY-MM-DD` of a day index. */
export function isoDateFromDayIndex(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Month index (`year * 12 + month0`) of a day index. */
export function monthIndexOfDay(day: number): number {
  const date = new Date(day * MS_PER_DAY);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

/** Label `YYYY-MM` of a month index. */
export function monthLabel(monthIndex: number): string {
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12 + 1;
  return `${year}-${String(month).padStart(2, "0")}`;
}

/** First day index of a month index. */
export function firstDayOfMonth(monthIndex: number): number {
  const year = Math.floor(monthIndex / 12);
  return Date.UTC(year, monthIndex - year * 12, 1) / MS_PER_DAY;
}

/** Last day index of a month index. */
export function lastDayOfMonth(monthIndex: number): number {
  return firstDayOfMonth(monthIndex + 1) - 1;
}

/**
 * The same day of the month `months` months earlier (negative: later), clamped to the end of
 * shorter months (31 March − 1 month = 28/29 February).
 */
export function shiftDayByMonths(day: number, months: number): number {
  const date = new Date(day * MS_PER_DAY);
  const target = date.getUTCFullYear() * 12 + date.getUTCMonth() - months;
  const lastDay = lastDayOfMonth(target);
  return Math.min(firstDayOfMonth(target) + date.getUTCDate() - 1, lastDay);
}

/** Weekday of a day index, 0 = Monday … 6 = Sunday (ISO order). */
export function weekdayOfDay(day: number): number {
  // 1970-01-01 was a Thursday (ISO weekday index 3).
  return (((day + 3) % 7) + 7) % 7;
}
