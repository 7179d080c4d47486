import { describe, expect, it } from "vitest";
import { dayIndexFromIsoDate } from "../calendar/calendar-day";
import { MonthOfDayTable } from "../calendar/month-of-day-table";
import { customerFactsAsOf } from "../customers/customer-facts";
import { testDataset } from "../testing/test-dataset";
import { acquisitionByChannel, acquisitionByFirstVisit, acquisitionBySource } from "./acquisition-by-source";

describe("acquisitionBySource(dataset, facts, months)", () => {
  it("counts new customers per month and year by the source of their first order", () => {
    const d = testDataset([
      ["a", "2023-12-05", 1, { source: "web" }],
      ["a", "2024-01-05", 1, { source: "email" }], // not a first order
      ["b", "2024-01-10", 1, { source: "web" }],
      ["c", "2024-01-11", 1, { source: "instagram" }],
      ["d", "2024-01-12", 1],
    ]);
    const asOf = dayIndexFromIsoDate("2024-01-31");
    const r = acquisitionBySource(d, customerFactsAsOf(d, asOf), new MonthOfDayTable(dayIndexFromIsoDate("2023-12-01"), asOf));
    expect(r.sources).toEqual(["web", "instagram", "unknown"]);
    expect(r.months).toEqual([
      { month: "2023-12", newCustomers: [1, 0, 0] },
      { month: "2024-01", newCustomers: [1, 1, 1] },
    ]);
    expect(r.years).toEqual([
      { year: "2023", newCustomers: [1, 0, 0] },
      { year: "2024", newCustomers: [1, 1, 1] },
    ]);
  });

  it("counts them by the sales channel and by the first visit's UTM source of the first order the same way", () => {
    const d = testDataset([
      ["a", "2024-01-02", 1, { channel: "Online Store", firstVisit: "google" }],
      ["a", "2024-02-02", 1, { channel: "Point of Sale", firstVisit: "newsletter" }], // not a first order
      ["b", "2024-02-03", 1, { channel: "Online Store", firstVisit: "newsletter" }],
      ["c", "2024-02-04", 1, { channel: "Point of Sale" }],
    ]);
    const asOf = dayIndexFromIsoDate("2024-02-29");
    const facts = customerFactsAsOf(d, asOf);
    const months = new MonthOfDayTable(dayIndexFromIsoDate("2024-01-01"), asOf);
    const byChannel = acquisitionByChannel(d, facts, months);
    expect(byChannel.sources).toEqual(["Online Store", "Point of Sale"]);
    expect(byChannel.months).toEqual([
      { month: "2024-01", newCustomers: [1, 0] },
      { month: "2024-02", newCustomers: [1, 1] },
    ]);
    const byFirstVisit = acquisitionByFirstVisit(d, facts, months);
    expect(byFirstVisit.sources).toEqual(["google", "newsletter", "unknown"]);
    expect(byFirstVisit.years).toEqual([{ year: "2024", newCustomers: [1, 1, 1] }]);
  });
});
