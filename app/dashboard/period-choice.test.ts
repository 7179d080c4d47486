import { describe, expect, it } from "vitest";
import { parsePeriodChoice } from "./period-choice";

describe("parsePeriodChoice(params)", () => {
  it("opens on the last 90 days when the URL names no period", () => {
    expect(parsePeriodChoice(new URLSearchParams(""))).toEqual({ kind: "preset", preset: "90d" });
  });

  it("reads each preset and a custom range", () => {
    for (const preset of ["30d", "90d", "12m", "all"]) expect(parsePeriodChoice(new URLSearchParams({ period: preset }))).toEqual({ kind: "preset", preset });
    expect(parsePeriodChoice(new URLSearchParams({ period: "custom", from: " 2026-01-01", to: "2026-02-01 " }))).toEqual({ kind: "custom", from: "2026-01-01", to: "2026-02-01" });
  });

  it("rejects a period that is not offered", () => {
    expect(parsePeriodChoice(new URLSearchParams({ period: "7d" }))).toBeNull();
  });
});
