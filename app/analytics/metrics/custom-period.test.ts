import { describe, expect, it } from "vitest";
import { dayIndexFromIsoDate } from "../calendar/calendar-day";
import type { MonthlyChurn } from "../lifecycle/lifecycle-series";
import { testDataset } from "../testing/test-dataset";
import { periodLabel, resolvePeriod } from "./analysis-period";
import { churnWindowsForPeriod, resolveCustomPeriod } from "./custom-period";
import { keyMetrics } from "./key-metrics";

const asOf = dayIndexFromIsoDate("2024-03-31");

describe("resolveCustomPeriod(start, end, asOfDay)", () => {
  it("includes both chosen days and compares with the equally long range just before", () => {
    const period = resolveCustomPeriod("2024-03-01", "2024-03-10", asOf);
    if ("error" in period) throw new Error(period.error);
    expect(periodLabel(period)).toEqual({ start: "2024-03-01", end: "2024-03-10" });
    expect(periodLabel({ startDay: period.previousStartDay!, endDay: period.startDay })).toEqual({ start: "2024-02-20", end: "2024-02-29" });
  });

  it("equals the 30-day preset when the merchant picks the same 30 days", () => {
    const custom = resolveCustomPeriod("2024-03-02", "2024-03-31", asOf);
    const preset = resolvePeriod("30d", asOf, 0);
    expect(custom).toMatchObject({ startDay: preset.startDay, endDay: preset.endDay, previousStartDay: preset.previousStartDay, months: 1 });
  });

  it("refuses what is not a range of analysed days, saying which field is wrong", () => {
    expect(resolveCustomPeriod("2024-02-30", "2024-03-10", asOf)).toEqual({ error: "invalid-start" });
    expect(resolveCustomPeriod("2024-03-01", "yesterday", asOf)).toEqual({ error: "invalid-end" });
    expect(resolveCustomPeriod("2024-03-10", "2024-03-01", asOf)).toEqual({ error: "end-before-start" });
    expect(resolveCustomPeriod("2024-03-01", "2024-04-01", asOf)).toEqual({ error: "after-as-of" });
  });
});

describe("churnWindowsForPeriod(churn, period)", () => {
  // Newest first, as monthlyChurn returns them.
  const churn: MonthlyChurn[] = [
    { start: "2024-02-29", end: "2024-03-31", atRiskBase: 10, becameLost: 1, rate: 0.1 },
    { start: "2024-01-31", end: "2024-02-29", atRiskBase: 10, becameLost: 3, rate: 0.3 },
    { start: "2023-12-31", end: "2024-01-31", atRiskBase: 10, becameLost: 5, rate: 0.5 },
  ];
  const d = testDataset([["a", "2024-01-10", 10], ["a", "2024-02-15", 20]]);

  it("averages the months inside the range and compares with the months inside the previous range", () => {
    const period = resolveCustomPeriod("2024-03-01", "2024-03-31", asOf);
    if ("error" in period) throw new Error(period.error);
    const figure = keyMetrics(d, period, { churnByMonth: churnWindowsForPeriod(churn, period) }).figures["churn-rate-monthly"];
    expect(figure.value).toBeCloseTo(0.1, 12);
    expect(figure.previous).toBeCloseTo(0.3, 12);
  });

  it("gives a custom range equal to the 30-day preset the preset's churn", () => {
    const custom = resolveCustomPeriod("2024-03-02", "2024-03-31", asOf);
    if ("error" in custom) throw new Error(custom.error);
    const preset = keyMetrics(d, resolvePeriod("30d", asOf, 0), { churnByMonth: churn }).figures["churn-rate-monthly"];
    const own = keyMetrics(d, custom, { churnByMonth: churnWindowsForPeriod(churn, custom) }).figures["churn-rate-monthly"];
    expect([own.value, own.previous]).toEqual([0.1, 0.3]);
    expect([own.value, own.previous]).toEqual([preset.value, preset.previous]);
  });

  it("leaves churn unknown for a range no stored month ends in, instead of borrowing a neighbour's", () => {
    const period = resolveCustomPeriod("2024-03-15", "2024-03-25", asOf);
    if ("error" in period) throw new Error(period.error);
    const figure = keyMetrics(d, period, { churnByMonth: churnWindowsForPeriod(churn, period) }).figures["churn-rate-monthly"];
    expect(figure.value).toBeNull();
    expect(figure.previous).toBeNull();
  });
});
