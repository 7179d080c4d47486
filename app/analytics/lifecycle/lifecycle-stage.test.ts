import { describe, expect, it } from "vitest";
import { dayIndexFromIsoDate } from "../calendar/calendar-day";
import { customerFactsAsOf } from "../customers/customer-facts";
import { testDataset } from "../testing/test-dataset";
import { DEFAULT_LIFECYCLE_SETTINGS, lifecycleStageCode, lifecycleStagesAt, lifecycleStagesFromFacts, STAGE_ACTIVE, STAGE_LOST, STAGE_NAMES, STAGE_NEW, STAGE_SLIPPING } from "./lifecycle-stage";

const s = DEFAULT_LIFECYCLE_SETTINGS;

describe("lifecycleStageCode(daysSinceFirst, gap, cadence, shopCadence, settings)", () => {
  it("is new while the first order is within the last 30 days, whatever the gap", () => {
    expect(lifecycleStageCode(29, 29, Number.NaN, 5, s)).toBe(STAGE_NEW);
    expect(lifecycleStageCode(30, 30, Number.NaN, 100, s)).toBe(STAGE_ACTIVE);
  });

  it("uses 1.5× and 2× the customer's cadence (cadence 10: gap 15 active, 16 slipping, 20 slipping, 21 lost)", () => {
    expect(lifecycleStageCode(100, 15, 10, 50, s)).toBe(STAGE_ACTIVE);
    expect(lifecycleStageCode(100, 16, 10, 50, s)).toBe(STAGE_SLIPPING);
    expect(lifecycleStageCode(100, 20, 10, 50, s)).toBe(STAGE_SLIPPING);
    expect(lifecycleStageCode(100, 21, 10, 50, s)).toBe(STAGE_LOST);
  });

  it("uses the shop's median for one-time buyers, and the fallback when the shop has no repeat purchase", () => {
    expect(lifecycleStageCode(60, 60, Number.NaN, 40, s)).toBe(STAGE_ACTIVE); // 60 ≤ 1.5 × 40
    expect(lifecycleStageCode(61, 61, Number.NaN, 40, s)).toBe(STAGE_SLIPPING);
    expect(lifecycleStageCode(81, 81, Number.NaN, 40, s)).toBe(STAGE_LOST);
    expect(lifecycleStageCode(400, 400, Number.NaN, Number.NaN, s)).toBe(STAGE_ACTIVE); // ≤ 365 × 1.5 = 547.5
    expect(lifecycleStageCode(600, 600, Number.NaN, Number.NaN, s)).toBe(STAGE_SLIPPING);
  });

  it("follows changed settings (factors 1.2 / 1.5, new within 7 days)", () => {
    const custom = { ...s, activeFactor: 1.2, lostFactor: 1.5, newCustomerDays: 7 };
    expect(lifecycleStageCode(8, 8, 10, 10, custom)).toBe(STAGE_ACTIVE);
    expect(lifecycleStageCode(100, 13, 10, 10, custom)).toBe(STAGE_SLIPPING);
    expect(lifecycleStageCode(100, 16, 10, 10, custom)).toBe(STAGE_LOST);
  });
});

describe("lifecycleStagesAt(dataset, day) and lifecycleStagesFromFacts(facts)", () => {
  const d = testDataset([
    ["a", "2024-01-01", 1],
    ["a", "2024-01-11", 1],
    ["a", "2024-01-21", 1], // cadence 10, last 2024-01-21
    ["b", "2024-01-05", 1], // one-time, shop median 10
    ["c", "2024-03-20", 1], // new on 2024-03-31
  ]);
  it("classifies each customer as of a date, only from orders up to it, and agrees with the facts path", () => {
    const asOf = dayIndexFromIsoDate("2024-03-31");
    const stages = lifecycleStagesAt(d, asOf, s);
    const names = d.customerIds.map((id, c) => [id, STAGE_NAMES[stages[c]]]);
    expect(Object.fromEntries(names)).toEqual({ a: "lost", b: "lost", c: "new" });
    expect(Array.from(lifecycleStagesFromFacts(customerFactsAsOf(d, asOf), s))).toEqual(Array.from(stages));
    // On 2024-02-02 a's gap is 12 (≤ 15: active); b's gap 28 > 20 (lost); c has no order yet.
    const earlier = lifecycleStagesAt(d, dayIndexFromIsoDate("2024-02-02"), s);
    expect(Array.from(earlier)).toEqual([STAGE_ACTIVE, STAGE_NEW, 0]);
  });
});
