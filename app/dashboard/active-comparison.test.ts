import { describe, expect, it } from "vitest";
import { activeCustomersRows, lifecyclePointsInFrame } from "./active-comparison";

const stored = [
  { monthsAgo: 0, date: "2026-11-30", active: 120, changeToNow: null },
  { monthsAgo: 1, date: "2026-10-31", active: 100, changeToNow: 0.2 },
  { monthsAgo: 3, date: "2026-08-31", active: 60, changeToNow: 1 },
  { monthsAgo: 6, date: "2026-05-31", active: 0, changeToNow: null },
  { monthsAgo: 12, date: "2025-11-30", active: 0, changeToNow: null },
];

describe("activeCustomersRows(stored, firstOrderMonth)", () => {
  it("says n/a (null), not 0, for dates before the shop's first order", () => {
    const rows = activeCustomersRows(stored, "2026-07");
    expect(rows.map((r) => r.active)).toEqual([120, 100, 60, null, null]);
    expect(rows.map((r) => r.changeToNow)).toEqual([null, 0.2, 1, null, null]);
  });

  it("keeps a real 0 once the history reaches back", () => {
    expect(activeCustomersRows(stored, "2025-01")[3].active).toBe(0);
  });

  it("knows nothing about a shop without orders", () => {
    expect(activeCustomersRows(stored, null).every((r) => r.active === null)).toBe(true);
  });
});

describe("lifecyclePointsInFrame(points, frame)", () => {
  const point = (date: string, n: number) => ({ date, counts: { new: n, active: 0, "slipping-away": 0, lost: 0 } });
  const points = [point("2026-05-31", 0), point("2026-06-30", 0), point("2026-07-31", 4), point("2026-08-31", 5), point("2026-09-30", 6), point("2026-10-31", 7), point("2026-11-30", 8)];

  it("draws all months from the first with customers, not the empty ones before", () => {
    expect(lifecyclePointsInFrame(points, "all").map((p) => p.date)).toEqual(["2026-07-31", "2026-08-31", "2026-09-30", "2026-10-31", "2026-11-30"]);
  });

  it("narrows to the last months of the frame", () => {
    expect(lifecyclePointsInFrame(points, "3m").map((p) => p.date)).toEqual(["2026-08-31", "2026-09-30", "2026-10-31", "2026-11-30"]);
    expect(lifecyclePointsInFrame(points, "12m")).toHaveLength(5);
  });
});
