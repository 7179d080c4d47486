import { FileInputError } from "./file-input-error";

export interface ParsedInstant {
  /** ms since the epoch (UTC). */
  at: number;
  /** The UTC offset written in the value, when it had one. */
  utcOffsetMinutes?: number;
}

const PATTERN =
  /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses the date formats the readers accept: `YYYY-MM-DD`, `YYYYMMDD`, and either followed by
 * ` HH:MM[:SS]` or `THH:MM[:SS]` and an optional `Z` / `+hh:mm` / `+hhmm` offset (Shopify's
 * export writes `2024-01-15 10:23:45 +0100`). Without an offset the wall-clock time is read in
 * the shop's zone (`defaultOffsetMinutes`).
 *
 * @throws FileInputError naming `line` when the value is not such a date.
 */
export function parseDateTime(value: string, line: number, field: string, defaultOffsetMinutes = 0): ParsedInstant {
  const match = PATTERN.exec(value.trim());
  if (!match) throw new FileInputError(line, `${field} "${value}" is not a date (expected YYYY-MM-DD[ HH:MM[:SS]][ ±hhmm])`);
  const [, y, mo, d, h = "0", mi = "0", s = "0", zone] = match;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const check = new Date(wall);
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    throw new FileInputError(line, `${field} "${value}" is not a calendar date`);
  }
  if (zone === undefined) return { at: wall - defaultOffsetMinutes * 60_000 };
  if (zone === "Z") return { at: wall, utcOffsetMinutes: 0 };
  const sign = zone[0] === "-" ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  const offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
  return { at: wall - offset * 60_000, utcOffsetMinutes: offset };
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
