import { FileInputError } from "./file-input-error";
import type { ShopTimeZone } from "./shop-time-zone";

export interface ParsedInstant {
  /** ms since the epoch (UTC). */
  at: number;
  /** The shop's UTC offset to read local days and hours with. */
  utcOffsetMinutes: number;
}

const PATTERN =
  /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses the date formats the readers accept: `YYYY-MM-DD`, `YYYYMMDD`, and either followed by
 * ` HH:MM[:SS]` or `THH:MM[:SS]` and an optional `Z` / `+hh:mm` / `+hhmm` offset (Shopify's
 * export writes `2024-01-15 10:23:45 +0100`, in the shop's zone). Without an offset the
 * wall-clock time is read in the shop's zone. The local offset returned is the one written in
 * the value, unless the user named the shop's zone explicitly (then the instant is re-read in it).
 *
 * @throws FileInputError naming `line` when the value is not such a date.
 */
export function parseDateTime(value: string, line: number, field: string, shop: ShopTimeZone): ParsedInstant {
  const match = PATTERN.exec(value.trim());
  if (!match) throw new FileInputError(line, `${field} "${value}" is not a date (expected YYYY-MM-DD[ HH:MM[:SS]][ ±hhmm])`);
  const [, y, mo, d, h = "0", mi = "0", s = "0", zone] = match;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const check = new Date(wall);
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    throw new FileInputError(line, `${field} "${value}" is not a calendar date`);
  }
  if (zone === undefined) {
    // Wall clock in the shop's zone: the offset depends on the instant, so refine once.
    const offset = shop.minutesAt(wall - shop.minutesAt(wall) * 60_000);
    return { at: wall - offset * 60_000, utcOffsetMinutes: offset };
  }
  let written = 0;
  if (zone !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    written = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
  }
  const at = wall - written * 60_000;
  return { at, utcOffsetMinutes: shop.explicit ? shop.minutesAt(at) : written };
}

/**
 * Parses a money or count field ("1,234.50" is rejected: exports use a dot and no grouping).
 * Empty → `fallback` when given, else an error.
 */
export function parseNumberField(value: string | undefined, line: number, field: string, fallback?: number): number {
  const text = (value ?? "").trim();
  if (text === "") {
    if (fallback !== undefined) return fallback;
    throw new FileInputError(line, `${field} is empty`);
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw new FileInputError(line, `${field} "${text}" is not a number`);
  return Number(text);
}
