import { describe, expect, it } from "vitest";
import { timeAgo } from "./time-ago";

const NOW = "2026-12-03T12:00:00.000Z";
const before = (seconds: number) => new Date(Date.parse(NOW) - seconds * 1000).toISOString();

describe("timeAgo", () => {
  it("says seconds, minutes, hours or days, whichever is the largest that fits", () => {
    expect(timeAgo("en", before(12), NOW)).toBe("12 seconds ago");
    expect(timeAgo("en", before(59), NOW)).toBe("59 seconds ago");
    expect(timeAgo("en", before(60), NOW)).toBe("1 minute ago");
    expect(timeAgo("en", before(2 * 3600 + 5), NOW)).toBe("2 hours ago");
    expect(timeAgo("en", before(3 * 86_400), NOW)).toBe("3 days ago");
  });
  it("in Dutch and Danish", () => {
    expect(timeAgo("nl", before(12), NOW)).toBe("12 seconden geleden");
    expect(timeAgo("da", before(12), NOW)).toBe("for 12 sekunder siden");
  });
  it("never says a time in the future (clocks a little apart)", () => {
    expect(timeAgo("en", "2026-12-03T12:00:02.000Z", NOW)).toBe("0 seconds ago");
  });
});
