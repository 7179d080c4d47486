import { describe, expect, it } from "vitest";
import { dayIndexFromIsoDate } from "../calendar/calendar-day";
import { MonthOfDayTable } from "../calendar/month-of-day-table";
import { customerFactsAsOf } from "../customers/customer-facts";
import { testDataset } from "../testing/test-dataset";
import { customerGrowth } from "./customer-growth";

describe("customerGrowth(dataset, facts, months)", () => {
  it("gives new, cumulative total and ordering customers per month, the current month marked incomplete", () => {
    const d = testDataset([["a", "2024-01-05", 1], ["a", "2024-03-05", 1], ["b", "2024-01-20", 1], ["c", "2024-03-01", 1]]);
    const asOf = dayIndexFromIsoDate("2024-03-15");
    const g = customerGrowth(d, customerFactsAsOf(d, asOf), new MonthOfDayTable(dayIndexFromIsoDate("2024-01-01"), asOf), false);
    expect(g).toEqual([
      { month: "2024-01", newCustomers: 2, totalCustomers: 2, orderingCustomers: 2, incomplete: false },
      { month: "2024-02", newCustomers: 0, totalCustomers: 2, orderingCustomers: 0, incomplete: false },
      { month: "2024-03", newCustomers: 1, totalCustomers: 3, orderingCustomers: 2, incomplete: true },
    ]);
  });
});
