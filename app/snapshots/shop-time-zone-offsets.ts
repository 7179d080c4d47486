/**
 * A shop's UTC offset at an instant, in minutes (+60 for CET, +120 for CEST), from the time zone
 * database through Intl (no dependency): the load gives each order its offset, so days and hours
 * are the shop's own (METRICS.md "Inputs").
 *
 * Asked once per order (a million at 1M orders), it answers from a cache of hours filled a day at
 * a time: a day whose first and last second have one offset has it every hour (a zone changes its
 * offset at most once a day), so Intl is asked twice a day, and every hour only on a day of change.
 */
const MS_PER_HOUR = 3_600_000;
const NOT_KNOWN = -32_768;
/** Hours the dense cache covers from its first day: about ten years (176 KB). */
const CACHED_HOURS = 24 * 366 * 10;

export class ShopTimeZoneOffsets {
  private readonly formatter: Intl.DateTimeFormat;
  /** Offsets of hours from `firstHour` on; NOT_KNOWN until asked. */
  private readonly byHour = new Int16Array(CACHED_HOURS).fill(NOT_KNOWN);
  private firstHour = Number.NaN;
  /** Hours outside the dense cache. */
  private readonly farHours = new Map<number, number>();

  constructor(timeZone: string) {
    this.formatter = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
  }

  at(ms: number): number {
    const hour = Math.floor(ms / MS_PER_HOUR);
    // The cache starts five years before the first instant asked for (orders come roughly in time order).
    if (Number.isNaN(this.firstHour)) this.firstHour = (Math.floor(hour / 24) - 366 * 5) * 24;
    const i = hour - this.firstHour;
    if (i < 0 || i >= CACHED_HOURS) {
      let offset = this.farHours.get(hour);
      if (offset === undefined) this.farHours.set(hour, (offset = this.offsetAt(ms)));
      return offset;
    }
    const cached = this.byHour[i];
    if (cached !== NOT_KNOWN) return cached;
    const dayStart = i - (i % 24);
    const dayStartMs = (this.firstHour + dayStart) * MS_PER_HOUR;
    const first = this.offsetAt(dayStartMs);
    if (first === this.offsetAt(dayStartMs + 24 * MS_PER_HOUR - 1000)) {
      this.byHour.fill(first, dayStart, Math.min(dayStart + 24, CACHED_HOURS));
      return first;
    }
    // A day of change: each hour on its own (a change falls on a whole hour in every zone of today's database, or on a half hour, which the hour's start does not see: ask for the instant itself then).
    const offset = this.offsetAt(ms);
    if (offset === this.offsetAt(hour * MS_PER_HOUR) && offset === this.offsetAt((hour + 1) * MS_PER_HOUR - 1000)) this.byHour[i] = offset;
    return offset;
  }

  /** The offset at `ms` from Intl: the zone's wall clock read as if it were UTC, less the instant. */
  private offsetAt(ms: number): number {
    const parts = this.formatter.formatToParts(new Date(ms));
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour") % 24, get("minute"), get("second"));
    return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
  }
}
