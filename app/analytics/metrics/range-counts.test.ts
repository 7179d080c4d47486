import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dayIndexFromIsoDate, isoDateFromDayIndex } from "../calendar/calendar-day";
import { syntheticStore, SYNTHETIC_AS_OF } from "../testing/synthetic-store";
import { testDataset } from "../testing/test-dataset";
import type { StoreDataset } from "../dataset/dataset-builder";
import { periodCounts, type PeriodCounts } from "./period-counts";
import { rangeCounter, rangeCountsSummary } from "./range-counts";

/** Counts equal; money sums equal up to the rounding of adding the same amounts in another order. */
function expectSameCounts(actual: PeriodCounts, expected: PeriodCounts) {
  const { customerRevenueToDate, revenue, ...counts } = actual;
  const { customerRevenueToDate: expectedToDate, revenue: expectedRevenue, ...expectedCounts } = expected;
  expect(counts).toEqual(expectedCounts);
  expect(customerRevenueToDate).toBeCloseTo(expectedToDate, 6);
  expect(revenue).toBeCloseTo(expectedRevenue, 6);
}

/** The summary survives the snapshot document's JSON round trip. */
const counterFor = (dataset: StoreDataset, asOfDay: number) => rangeCounter(JSON.parse(JSON.stringify(rangeCountsSummary(dataset, asOfDay))));

describe("range counts from the stored per-day summary", () => {
  it("equal the counts over the orders on a hand-made store (same-day orders, guests, orders after the as-of day)", () => {
    const d = testDataset([
      ["a", "2024-01-10", 10],
      ["a", "2024-01-10", 5],
      ["a", "2024-02-15", 20],
      ["a", "2024-03-10", 30],
      ["b", "2024-02-20", 40],
      ["c", "2024-03-05", 50],
      ["c", "2024-03-06", 10],
      ["c", "2024-04-20", 10],
      ["d", "2024-03-20", 0],
      [null, "2024-03-15", 60],
      [null, "2024-02-10", 5],
    ]);
    const asOf = dayIndexFromIsoDate("2024-03-31");
    const counter = counterFor(d, asOf);
    const first = dayIndexFromIsoDate("2024-01-10");
    for (let start = first - 40; start < asOf; start += 3) {
      for (let end = start + 1; end <= asOf; end += 4) {
        const previous = start - (end - start);
        expectSameCounts(counter.counts(start, end, previous), periodCounts(d, start, end, previous));
        expectSameCounts(counter.counts(start, end, null), periodCounts(d, start, end, null));
      }
    }
    // (2024-02-29, 2024-03-31] against (2024-01-29, 2024-02-29]: a and b ordered before, a again.
    expect(counter.counts(asOf - 31, asOf, asOf - 62)).toMatchObject({ customersInPeriod: 3, customersInPrevious: 2, retainedFromPrevious: 1, newCustomers: 2, customersToDate: 4, repeatCustomersToDate: 2 });
  });

  it("equal the counts over the orders for any range of a generated store", () => {
    const d = syntheticStore(3_000);
    const asOf = dayIndexFromIsoDate(SYNTHETIC_AS_OF);
    const counter = counterFor(d, asOf);
    let firstDay = Infinity;
    for (let i = 0; i < d.orderCount; i++) firstDay = Math.min(firstDay, d.orderDay[i]);
    fc.assert(
      fc.property(fc.integer({ min: firstDay - 30, max: asOf - 1 }), fc.integer({ min: 1, max: 800 }), fc.boolean(), (start, length, withPrevious) => {
        const end = Math.min(asOf, start + length);
        const previous = withPrevious ? start - (end - start) : null;
        expectSameCounts(counter.counts(start, end, previous), periodCounts(d, start, end, previous));
      }),
      { numRuns: 300 },
    );
  });

  it("is empty, not wrong, for a store without orders", () => {
    const asOf = dayIndexFromIsoDate("2024-03-31");
    const counter = counterFor(testDataset([]), asOf);
    expectSameCounts(counter.counts(asOf - 30, asOf, asOf - 60), periodCounts(testDataset([]), asOf - 30, asOf, asOf - 60));
  });

  it("stores the absences as standard base64 (btoa's text of the same bytes), whatever the byte count modulo 3", () => {
    const remainders = new Set<number>();
    for (const orders of [300, 400, 500, 700, 1_000, 2_000, 3_000]) {
      const { absences } = rangeCountsSummary(syntheticStore(orders), dayIndexFromIsoDate(SYNTHETIC_AS_OF));
      const binary = atob(absences);
      remainders.add(binary.length % 3);
      expect(btoa(binary)).toBe(absences);
    }
    // Full groups of three bytes, and one or two bytes left over (padding "==" and "=").
    expect([...remainders].sort()).toEqual([0, 1, 2]);
  });

  it("stays small: the summary of a 100k-order store is a fraction of its orders", () => {
    const d = syntheticStore(100_000);
    const json = JSON.stringify(rangeCountsSummary(d, dayIndexFromIsoDate(SYNTHETIC_AS_OF)));
    // 100k orders as (customer, day, amount) would be well over 2 MB of JSON.
    expect(json.length).toBeLessThan(1_000_000);
    expect(isoDateFromDayIndex(JSON.parse(json).firstDay) < SYNTHETIC_AS_OF).toBe(true);
  });
});
