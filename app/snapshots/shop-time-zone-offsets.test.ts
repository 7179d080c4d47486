import { describe, expect, it } from "vitest";
import { ShopTimeZoneOffsets } from "./shop-time-zone-offsets";

const at = (iso: string) => Date.parse(iso);

describe("ShopTimeZoneOffsets", () => {
  it("gives Amsterdam +60 in winter and +120 in summer, changing at 01:00 UTC on the last Sundays of March and October", () => {
    const offsets = new ShopTimeZoneOffsets("Europe/Amsterdam");
    expect(offsets.at(at("2026-01-15T12:00:00Z"))).toBe(60);
    expect(offsets.at(at("2026-03-29T00:59:59Z"))).toBe(60);
    expect(offsets.at(at("2026-03-29T01:00:00Z"))).toBe(120);
    expect(offsets.at(at("2026-03-29T00:30:00Z"))).toBe(60);
    expect(offsets.at(at("2026-07-01T23:59:59Z"))).toBe(120);
    expect(offsets.at(at("2026-10-25T00:59:59Z"))).toBe(120);
    expect(offsets.at(at("2026-10-25T01:00:00Z"))).toBe(60);
    expect(offsets.at(at("2026-10-25T00:00:00Z"))).toBe(120);
  });

  it("answers every hour of a year alike whatever order the instants come in, as a fresh look-up of each does", () => {
    const cached = new ShopTimeZoneOffsets("America/St_Johns"); // −3:30 / −2:30, changes at 2:00 local
    const instants: number[] = [];
    for (let ms = at("2025-12-31T00:00:00Z"); ms < at("2027-01-02T00:00:00Z"); ms += 37 * 60_000) instants.push(ms);
    // A shuffled order (deterministic): the cache fills days from any hour.
    const shuffled = instants.map((ms, i) => [ms, (i * 7919) % instants.length] as const).sort((a, b) => a[1] - b[1]).map(([ms]) => ms);
    const answers = new Map(shuffled.map((ms) => [ms, cached.at(ms)]));
    for (const ms of instants) expect(answers.get(ms), new Date(ms).toISOString()).toBe(new ShopTimeZoneOffsets("America/St_Johns").at(ms));
    expect(new Set(answers.values())).toEqual(new Set([-210, -150]));
    // Its changes fall on half hours of UTC: 2:00 local on March 8 and November 1, 2026.
    expect(cached.at(at("2026-03-08T05:29:59Z"))).toBe(-210);
    expect(cached.at(at("2026-03-08T05:30:00Z"))).toBe(-150);
    expect(cached.at(at("2026-03-08T05:10:00Z"))).toBe(-210);
    expect(cached.at(at("2026-11-01T04:29:59Z"))).toBe(-150);
    expect(cached.at(at("2026-11-01T04:30:00Z"))).toBe(-210);
    expect(cached.at(at("2026-11-01T04:45:00Z"))).toBe(-210);
  });

  it("gives fixed and half-hour zones their offsets, and instants years away from the first", () => {
    const kolkata = new ShopTimeZoneOffsets("Asia/Kolkata");
    expect(kolkata.at(at("2026-06-01T00:00:00Z"))).toBe(330);
    expect(kolkata.at(at("1990-06-01T00:00:00Z"))).toBe(330);
    expect(kolkata.at(at("2045-06-01T00:00:00Z"))).toBe(330);
    const utc = new ShopTimeZoneOffsets("UTC");
    expect(utc.at(at("2026-03-29T01:30:00Z"))).toBe(0);
    const amsterdam = new ShopTimeZoneOffsets("Europe/Amsterdam");
    expect(amsterdam.at(at("2026-01-01T00:00:00Z"))).toBe(60);
    expect(amsterdam.at(at("2040-07-01T00:00:00Z"))).toBe(120); // beyond the dense cache
    expect(amsterdam.at(at("2000-07-01T00:00:00Z"))).toBe(120);
  });
});
