import { describe, expect, it } from "vitest";
import { dayIndexFromIsoDate } from "../calendar/calendar-day";
import type { MonthlyChurn } from "../lifecycle/lifecycle-series";
import { testDataset } from "../testing/test-dataset";
import { resolvePeriod } from "./analysis-period";
import { keyMetrics } from "./key-metrics";

/**
 * Hand-computed store, as of 2024-03-31, period "30d" = (2024-03-01, 2024-03-31], previous
 * (2024-01-31, 2024-03-01]:
 *   a: 2024-01-10 (10), 2024-02-15 (20), 2024-03-10 (30)
 *   b: 2024-02-20 (40)
 *   c: 2024-03-05 (50), 2024-03-06 (10)
 *   d: 2024-03-20 (0, refunded to zero)
 *   guest: 2024-03-15 (60), 2024-02-10 (5)
 */
const d = testDataset([
  ["a", "2024-01-10", 10],
  ["a", "2024-02-15", 20],
  ["a", "2024-03-10", 30],
  ["b", "2024-02-20", 40],
  ["c", "2024-03-05", 50],
  ["c", "2024-03-06", 10],
  ["d", "2024-03-20", 0],
  [null, "2024-03-15", 60],
  [null, "2024-02-10", 5],
]);
const asOf = dayIndexFromIsoDate("2024-03-31");
const churn: MonthlyChurn[] = [
  { start: "2024-02-29", end: "2024-03-31", atRiskBase: 10, becameLost: 1, rate: 0.1 },
  { start: "2024-01-31", end: "2024-02-29", atRiskBase: 10, becameLost: 3, rate: 0.3 },
];

describe("keyMetrics(dataset, period, options) on a hand-computed store", () => {
  const m = keyMetrics(d, resolvePeriod("30d", asOf, dayIndexFromIsoDate("2024-01-10")), { churnByMonth: churn, marketingSpendPerMonth: 300 });
  const f = m.figures;

  it("counts customers and new customers in the period and the previous one", () => {
    // Both labels name their first and last included day: 30 days each, sharing none.
    expect(m.previousPeriod).toEqual({ start: "2024-02-01", end: "2024-03-01" });
    expect(m.period).toEqual({ start: "2024-03-02", end: "2024-03-31", preset: "30d" });
    expect(f["total-customers"].value).toBe(3); // a, c, d
    expect(f["total-customers"].previous).toBe(2); // a, b
    expect(f["new-customers"].value).toBe(2); // c, d
    expect(f["new-customers"].previous).toBe(1); // b
    expect(f["new-customers"].change).toBe(1);
  });

  it("computes LTV and repeat rate over all time up to the period end", () => {
    expect(f.ltv.value).toBe(160 / 4);
    expect(f.ltv.previous).toBe(70 / 2); // a (10 + 20), b (40) up to 2024-03-01
    expect(f["repeat-purchase-rate"].value).toBe(2 / 4); // a, c
    expect(f["repeat-purchase-rate"].previous).toBe(1 / 2);
  });

  it("gives a rate's change in percentage points and an amount's relative to the previous value", () => {
    // Retention 100 % → 50 %: down 50 points (not −50 % of 100 %, which reads alike only here).
    expect(f["retention-rate"]).toMatchObject({ change: 1 / 2 - 1, changeUnit: "points" });
    // Repeat rate 50 % → 50 %: no change, in points.
    expect(f["repeat-purchase-rate"]).toMatchObject({ change: 0, changeUnit: "points" });
    // Guest share 1 of 3 orders (Feb: b, a's second, the guest's 5) → 1 of 5 (Mar): a difference of shares.
    expect(f["guest-order-share"]).toMatchObject({ value: 1 / 5, previous: 1 / 3, changeUnit: "points" });
    expect(f["guest-order-share"].change).toBeCloseTo(1 / 5 - 1 / 3, 12);
    // LTV 35 → 40: +14.3 % of the previous value.
    expect(f.ltv).toMatchObject({ changeUnit: "relative" });
    expect(f.ltv.change).toBeCloseTo((40 - 35) / 35, 12);
  });

  it("computes retention from the previous period's customers", () => {
    expect(f["retention-rate"].value).toBe(1 / 2); // of a, b only a came back
    // previous period: a ordered in (Jan 1, Jan 31] (Jan 10) and again in (Jan 31, Mar 1] (Feb 15)
    expect(f["retention-rate"].previous).toBe(1);
  });

  it("AOV includes guest orders; orders per customer and the guest share use all orders", () => {
    expect(f.aov.value).toBe((30 + 50 + 10 + 0 + 60) / 5);
    expect(f["orders-per-customer"].value).toBe(4 / 3);
    expect(f["guest-order-share"].value).toBe(1 / 5);
    expect(f.orders.value).toBe(5);
    expect(f.revenue.value).toBe(150);
  });

  it("takes monthly churn from the monthly series and CAC from the spend", () => {
    expect(f["churn-rate-monthly"].value).toBe(0.1);
    expect(f["churn-rate-monthly"].previous).toBe(0.3);
    expect(f.cac.value).toBe(300 / 2);
    expect(f["ltv-cac"].value).toBe(40 / 150);
    expect(f["ltv-cac"].note).toMatch(/historic LTV/);
  });

  it("every figure carries its definition", () => {
    for (const figure of Object.values(f)) expect(figure.definition.length).toBeGreaterThan(10);
  });

  it("without marketing spend CAC and LTV:CAC are null with a note", () => {
    const none = keyMetrics(d, resolvePeriod("30d", asOf, 0), { churnByMonth: churn });
    expect(none.figures.cac.value).toBeNull();
    expect(none.figures.cac.note).toMatch(/spend/);
  });

  it("'all' has no previous period", () => {
    const all = keyMetrics(d, resolvePeriod("all", asOf, dayIndexFromIsoDate("2024-01-10")), { churnByMonth: churn });
    expect(all.previousPeriod).toBeNull();
    expect(all.figures["total-customers"].value).toBe(4);
    expect(all.figures["new-customers"].value).toBe(4);
    expect(all.figures["retention-rate"].value).toBeNull();
  });
});
