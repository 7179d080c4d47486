import { describe, expect, it } from "vitest";
import { dayIndexFromIsoDate } from "../calendar/calendar-day";
import { testDataset } from "../testing/test-dataset";
import { customerFactsAsOf, medianOfHistogram } from "./customer-facts";

const day = dayIndexFromIsoDate;

describe("customerFactsAsOf(dataset, asOfDay)", () => {
  const d = testDataset([
    ["a", "2024-01-01T09:00", 10],
    ["a", "2024-01-01T18:00", 5], // same day: one purchase event, amounts summed
    ["a", "2024-01-11", 20],
    ["a", "2024-02-10", 0], // fully refunded: still an order, revenue 0
    ["a", "2024-05-01", 99], // after the as-of date: ignored, counted
    ["b", "2024-01-20", 40],
    [null, "2024-01-21", 7],
    [null, "2024-06-01", 7], // guest after as-of
  ]);
  const f = customerFactsAsOf(d, day("2024-03-01"));
  const a = d.customerIds.indexOf("a");
  const b = d.customerIds.indexOf("b");

  it("merges same-day orders into one purchase event but counts every order", () => {
    expect(f.orders[a]).toBe(4);
    expect(f.events[a]).toBe(3);
    expect(f.revenue[a]).toBe(35);
    // repeat events: Jan 11 (20) and Feb 10 (0)
    expect(f.repeatEventRevenue[a]).toBe(20);
  });

  it("takes the median gap between purchase events as the cadence (gaps 10 and 30 → 20)", () => {
    expect(f.cadenceDays[a]).toBe(20);
    expect(f.cadenceDays[b]).toBeNaN();
    expect(f.shopMedianGapDays).toBe(20);
  });

  it("ignores and counts orders after the as-of date, guests included", () => {
    expect(f.futureOrders).toBe(2);
    expect(f.guestOrders).toBe(1);
    expect(f.guestRevenue).toBe(7);
    expect(f.lastDay[a]).toBe(day("2024-02-10"));
    expect(f.activeCustomerCount).toBe(2);
  });
});

describe("medianOfHistogram(hist, total)", () => {
  it("returns the middle value, or the mean of the two middle values", () => {
    const hist: number[] = [];
    hist[3] = 1;
    hist[7] = 2;
    expect(medianOfHistogram(hist, 3)).toBe(7);
    hist[1] = 1;
    expect(medianOfHistogram(hist, 4)).toBe(5);
    expect(medianOfHistogram([], 0)).toBeNaN();
  });
});
