import { describe, expect, it } from "vitest";
import { dayIndexFromIsoDate } from "../calendar/calendar-day";
import { MonthOfDayTable } from "../calendar/month-of-day-table";
import { customerFactsAsOf } from "../customers/customer-facts";
import { testDataset } from "../testing/test-dataset";
import { cohortRetention } from "./cohort-retention";

describe("cohortRetention(dataset, facts, months, lastCompleteMonth)", () => {
  // January cohort: a, b, c, d. February cohort: e. As of 2024-04-15 (April incomplete).
  const d = testDataset([
    ["a", "2024-01-05", 1],
    ["a", "2024-01-20", 1], // same month: counts once in month 0, and is a second purchase by month 0
    ["a", "2024-02-10", 1],
    ["b", "2024-01-10", 1],
    ["b", "2024-03-02", 1],
    ["c", "2024-01-31", 1],
    ["c", "2024-04-02", 1],
    ["d", "2024-01-15", 1],
    ["e", "2024-02-01", 1],
    ["e", "2024-03-01", 1],
  ]);
  const asOf = dayIndexFromIsoDate("2024-04-15");
  const facts = customerFactsAsOf(d, asOf);
  const months = new MonthOfDayTable(dayIndexFromIsoDate("2024-01-01"), asOf);
  const lastComplete = 2024 * 12 + 2; // March 2024
  const cohorts = cohortRetention(d, facts, months, lastComplete, 6);

  it("gives the share of the cohort ordering in calendar month cohort + k", () => {
    const jan = cohorts[0];
    expect(jan.cohort).toBe("2024-01");
    expect(jan.size).toBe(4);
    expect(jan.retention.map((c) => c.share)).toEqual([1, 1 / 4, 1 / 4, null]);
    expect(jan.retention.map((c) => c.customers)).toEqual([4, 1, 1, null]);
  });

  it("marks months that have not ended as incomplete, never 0 %", () => {
    const jan = cohorts[0];
    expect(jan.retention[3]).toEqual({ monthsAfter: 3, customers: null, share: null, incomplete: true });
    const feb = cohorts[1];
    expect(feb.retention.map((c) => c.incomplete)).toEqual([false, false, true]);
    expect(cohorts[3].cohort).toBe("2024-04");
    expect(cohorts[3].size).toBe(0);
  });

  it("gives the cumulative share who ordered again by month k", () => {
    // a by month 0, b by month 2, c by month 3 (incomplete), d never.
    expect(cohorts[0].repeatedBy.map((c) => c.share)).toEqual([1 / 4, 1 / 4, 2 / 4, null]);
    expect(cohorts[1].repeatedBy.map((c) => c.share)).toEqual([0, 1, null]);
  });
});
