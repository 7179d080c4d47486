import { describe, expect, it } from "vitest";
import { importSecondsLeft } from "./import-estimate";

const start = new Date("2026-12-01T10:00:00Z");
const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);

describe("importSecondsLeft(done, total, startedAt, now)", () => {
  it("extrapolates the pace so far: a quarter done in 10 s leaves 30 s", () => {
    expect(importSecondsLeft(250, 1000, start, at(10))).toBe(30);
  });

  it("says nothing before there is a pace to go by", () => {
    expect(importSecondsLeft(0, 1000, start, at(10))).toBeNull();
    expect(importSecondsLeft(10, null, start, at(10))).toBeNull();
    expect(importSecondsLeft(10, 1000, start, at(1))).toBeNull();
  });

  it("leaves nothing once everything counted is done", () => {
    expect(importSecondsLeft(1000, 1000, start, at(10))).toBe(0);
  });
});
