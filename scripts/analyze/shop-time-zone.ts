/**
 * The shop's time zone for the file readers: its UTC offset at any instant. The core only ever
 * sees per-row offsets (it does no zone math); this I/O-side module resolves IANA zones with
 * `Intl`, so daylight-saving changes land on the right local day and hour.
 */
export interface ShopTimeZone {
  /** UTC offset in minutes at the instant `utcMs` (e.g. 120 for Amsterdam in summer). */
  minutesAt(utcMs: number): number;
  /** True when the user named the zone/offset: it then overrides offsets written in the data. */
  readonly explicit: boolean;
}

/** A constant offset (default: UTC, not explicit, so offsets in the data win). */
export function fixedOffsetZone(minutes = 0, explicit = false): ShopTimeZone {
  return { minutesAt: () => minutes, explicit };
}

/**
 * An IANA zone such as "Europe/Amsterdam".
 * @throws RangeError for an unknown zone name.
 */
export function ianaTimeZone(zone: string): ShopTimeZone {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
  });
  // Offsets change at most a few times a year and on whole quarter hours: cache per UTC hour.
  const cache = new Map<number, number>();
  return {
    explicit: true,
    minutesAt(utcMs) {
      const hourKey = Math.floor(utcMs / 3_600_000);
      let offset = cache.get(hourKey);
      if (offset === undefined) {
        const probe = hourKey * 3_600_000;
        const parts = Object.fromEntries(format.formatToParts(new Date(probe)).map((p) => [p.type, p.value]));
        const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
        offset = Math.round((wall - probe) / 60_000);
        cache.set(hourKey, offset);
      }
      return offset;
    },
  };
}
