import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dayIndexFromIsoDate } from "../calendar/calendar-day";
import { testDataset, type TestOrder } from "../testing/test-dataset";
import { activeCustomersComparison, lifecycleSeries, lifecycleSnapshots, monthlyChurn } from "./lifecycle-series";
import { DEFAULT_LIFECYCLE_SETTINGS, lifecycleStagesAt } from "./lifecycle-stage";

describe("lifecycle snapshots, monthly churn and active customers over time", () => {
  // a buys every 10 days until 2024-03-01; b every 10 days throughout; c once on 2024-01-02.
  const orders: TestOrder[] = [];
  for (let d = 0; d <= 60; d += 10) orders.push(["a", new Date(Date.UTC(2024, 0, 1) + d * 864e5).toISOString().slice(0, 10), 1]);
  for (let d = 0; d <= 120; d += 10) orders.push(["b", new Date(Date.UTC(2024, 0, 1) + d * 864e5).toISOString().slice(0, 10), 1]);
  orders.push(["c", "2024-01-02", 1]);
  const ds = testDataset(orders);
  const snapshots = lifecycleSnapshots(ds, dayIndexFromIsoDate("2024-04-30"), 3, DEFAULT_LIFECYCLE_SETTINGS);

  it("takes snapshots at the as-of day and the same day 1, 2, 3 months earlier", () => {
    expect(lifecycleSeries(snapshots).map((p) => p.date)).toEqual(["2024-01-30", "2024-02-29", "2024-03-30", "2024-04-30"]);
    // 2024-01-30: all three are new (first order within 30 days).
    expect(lifecycleSeries(snapshots)[0].counts).toEqual({ new: 3, active: 0, "slipping-away": 0, lost: 0 });
  });

  it("counts customers who became lost in a month over those not lost at its start", () => {
    const churn = monthlyChurn(snapshots);
    // Month to 2024-03-30: at its start (02-29) a and b are active, c is lost (gap 58 > 2 × 10);
    // at the end a's gap is 29 > 20 → lost. 1 of 2.
    const march = churn.find((m) => m.end === "2024-03-30")!;
    expect(march).toMatchObject({ atRiskBase: 2, becameLost: 1, rate: 0.5 });
    // Month to 2024-02-29: at the start everyone is new; c turns lost → 1 of 3.
    expect(churn.find((m) => m.end === "2024-02-29")).toMatchObject({ atRiskBase: 3, becameLost: 1 });
  });

  it("compares customers buying regularly (new or active) now with months before", () => {
    const active = activeCustomersComparison(snapshots, [0, 1, 3]);
    expect(active.map((a) => a.active)).toEqual([1, 1, 3]);
    expect(active[2].changeToNow).toBeCloseTo(-2 / 3, 12);
  });
});

describe("lifecycleSnapshots(dataset, asOf, months) equals lifecycleStagesAt at each date (fast-check)", () => {
  it("agrees on random stores", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 500 })), { maxLength: 80 }),
        fc.integer({ min: 0, max: 560 }),
        (rows, asOfOffset) => {
          const ds = testDataset(rows.map(([c, d]) => [`c${c}`, new Date(Date.UTC(2023, 0, 1) + d * 864e5).toISOString().slice(0, 10), 1]));
          const asOf = Date.UTC(2023, 0, 1) / 864e5 + asOfOffset;
          const snapshots = lifecycleSnapshots(ds, asOf, 6, DEFAULT_LIFECYCLE_SETTINGS);
          return snapshots.every((snap) => Array.from(snap.stages).join() === Array.from(lifecycleStagesAt(ds, snap.day, DEFAULT_LIFECYCLE_SETTINGS)).join());
        },
      ),
      { numRuns: 300 },
    );
  });
});
