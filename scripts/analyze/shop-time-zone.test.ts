import { describe, expect, it } from "vitest";
import { parseDateTime } from "./parse-date-time";
import { fixedOffsetZone, ianaTimeZone } from "./shop-time-zone";

describe("ianaTimeZone(zone).minutesAt(utcMs)", () => {
  const amsterdam = ianaTimeZone("Europe/Amsterdam");
  it("gives CET (+60) in winter and CEST (+120) in summer, switching at 01:00 UTC on the last Sunday of March", () => {
    expect(amsterdam.minutesAt(Date.UTC(2024, 0, 15, 12))).toBe(60);
    expect(amsterdam.minutesAt(Date.UTC(2024, 6, 15, 12))).toBe(120);
    expect(amsterdam.minutesAt(Date.UTC(2024, 2, 31, 0, 59))).toBe(60);
    expect(amsterdam.minutesAt(Date.UTC(2024, 2, 31, 1, 0))).toBe(120);
  });
  it("rejects an unknown zone", () => {
    expect(() => ianaTimeZone("Mars/Olympus")).toThrow(RangeError);
  });
});

describe("parseDateTime(value, line, field, shopZone)", () => {
  const amsterdam = ianaTimeZone("Europe/Amsterdam");
  it("reads wall-clock times in the shop's zone", () => {
    expect(parseDateTime("2024-07-01 23:30", 2, "date", amsterdam)).toEqual({ at: Date.UTC(2024, 6, 1, 21, 30), utcOffsetMinutes: 120 });
    expect(parseDateTime("2024-01-01", 2, "date", amsterdam)).toEqual({ at: Date.UTC(2023, 11, 31, 23, 0), utcOffsetMinutes: 60 });
  });
  it("keeps an offset written in the value unless the shop's zone was named", () => {
    expect(parseDateTime("2024-01-15 10:23:45 +0100", 2, "Created at", fixedOffsetZone())).toEqual({ at: Date.UTC(2024, 0, 15, 9, 23, 45), utcOffsetMinutes: 60 });
    expect(parseDateTime("2024-07-01T22:30:00Z", 2, "date", amsterdam)).toEqual({ at: Date.UTC(2024, 6, 1, 22, 30), utcOffsetMinutes: 120 });
  });
  it("names the line and field of a bad date", () => {
    expect(() => parseDateTime("2024-02-30", 7, "date", amsterdam)).toThrow(/line 7: date "2024-02-30" is not a calendar date/);
    expect(() => parseDateTime("yesterday", 8, "Created at", amsterdam)).toThrow(/line 8: Created at/);
  });
});
