import { describe, expect, it } from "vitest";
import { displayTimeZone } from "./display-time-zone";

describe("displayTimeZone", () => {
  it("is the shop's zone, so a time reads the same on the server and in any merchant's browser", () => {
    const zone = displayTimeZone("Europe/Copenhagen");
    const instant = new Date("2026-12-06T22:54:00Z");
    expect(new Intl.DateTimeFormat("da", { timeStyle: "short", timeZone: zone }).format(instant)).toBe("23.54");
  });

  it("falls back to UTC for a shop without a zone or with one this runtime does not know", () => {
    expect(displayTimeZone(null)).toBe("UTC");
    expect(displayTimeZone("")).toBe("UTC");
    expect(displayTimeZone("Mars/Olympus_Mons")).toBe("UTC");
  });
});
