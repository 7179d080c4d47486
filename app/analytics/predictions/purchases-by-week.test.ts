import { describe, expect, it } from "vitest";
import { analyzeStore } from "../analyze-store";
import { dayIndexFromIsoDate } from "../calendar/calendar-day";
import { syntheticStore, SYNTHETIC_AS_OF } from "../testing/synthetic-store";
import { testDataset } from "../testing/test-dataset";
import { purchaseDaysByWeek, weekSpans } from "./purchases-by-week";

describe("weekSpans", () => {
  it("cuts 90 days into 12 weeks and a last part of 6 days, dates inclusive", () => {
    const spans = weekSpans(dayIndexFromIsoDate("2026-09-04"), 90);
    expect(spans).toHaveLength(13);
    expect(spans[0]).toEqual({ start: "2026-09-05", end: "2026-09-11", days: 7 });
    expect(spans[12]).toEqual({ start: "2026-11-28", end: "2026-12-03", days: 6 });
  });
});

describe("purchaseDaysByWeek", () => {
  it("counts days with an order, not orders, and only after the start day", () => {
    const dataset = testDataset([
      ["a", "2026-01-01", 10],
      ["a", "2026-01-02T09:00", 10],
      ["a", "2026-01-02T15:00", 10],
      ["a", "2026-01-09", 10],
      ["a", "2026-01-30", 10],
    ]);
    const bins = new Float64Array(2);
    purchaseDaysByWeek(dataset, dataset.customerOrderStart[0], dataset.customerOrderStart[1], dayIndexFromIsoDate("2026-01-01"), bins);
    // 2 Jan (two orders, one purchase day) in week 1, 9 Jan in week 2; 30 Jan is beyond the bins.
    expect([...bins]).toEqual([1, 1]);
  });
});

describe("the stored back-test by week and the expected purchases in the coming weeks", () => {
  const dataset = syntheticStore(6_000);
  const analysis = analyzeStore(dataset, { asOf: SYNTHETIC_AS_OF, includeScores: false });
  const models = analysis.models;
  if (models.status !== "fitted" || "skipped" in models.backtest) throw new Error("the synthetic store should be fitted and back-tested");
  const backtest = models.backtest;
  const weekly = backtest.weekly!;

  it("counts each week's actual repeat purchases as the order log says (distinct customer-days in the week, customers known before the hold-out)", () => {
    const calibrationEnd = dayIndexFromIsoDate(backtest.calibrationEnd);
    const asOf = dayIndexFromIsoDate(SYNTHETIC_AS_OF);
    const firstDay = new Map<number, number>();
    for (let i = 0; i < dataset.orderCount; i++) {
      const c = dataset.orderCustomer[i];
      if (c >= 0) firstDay.set(c, Math.min(firstDay.get(c) ?? Infinity, dataset.orderDay[i]));
    }
    const seen = new Set<string>();
    const expected = new Array(weekly.length).fill(0);
    for (let i = 0; i < dataset.orderCount; i++) {
      const c = dataset.orderCustomer[i];
      const day = dataset.orderDay[i];
      if (c < 0 || day <= calibrationEnd || day > asOf || firstDay.get(c)! > calibrationEnd || seen.has(`${c}:${day}`)) continue;
      seen.add(`${c}:${day}`);
      expected[Math.floor((day - calibrationEnd - 1) / 7)]++;
    }
    expect(weekly.map((w) => w.actual)).toEqual(expected);
    expect(expected.reduce((s, v) => s + v, 0)).toBeGreaterThan(0);
  });

  it("covers the hold-out exactly and adds up to the chosen model's back-test totals", () => {
    expect(weekly[0].start > backtest.calibrationEnd).toBe(true);
    expect(weekly.at(-1)!.end).toBe(SYNTHETIC_AS_OF);
    expect(weekly.reduce((s, w) => s + w.days, 0)).toBe(backtest.holdoutDays);
    const chosen = backtest.ranking.find((r) => r.model === models.default)!;
    expect(weekly.reduce((s, w) => s + w.actual, 0)).toBe(chosen.actualTotal);
    expect(weekly.reduce((s, w) => s + w.predicted, 0)).toBeCloseTo(chosen.predictedTotal, 6);
  });

  it("expects purchases in each coming week that add up to the store's expected purchases over the horizon", () => {
    const byWeek = models.expectedPurchasesByWeek!;
    expect(byWeek).toHaveLength(13);
    expect(byWeek[0].start).toBe("2025-01-01");
    const sum = byWeek.reduce((s, w) => s + w.expected, 0);
    expect(Math.abs(sum - models.totals.expectedPurchases.estimate) / models.totals.expectedPurchases.estimate).toBeLessThan(1e-3);
    // Customers drop out as time passes: fewer expected purchases in the last week than in the first.
    expect(byWeek[12].expected).toBeLessThan(byWeek[0].expected);
  });
});
