import { describe, expect, it } from "vitest";
import { dayIndexFromIsoDate } from "../calendar/calendar-day";
import { customerFactsAsOf } from "../customers/customer-facts";
import { testDataset } from "../testing/test-dataset";
import { geographyBreakdown } from "./geography-breakdown";

describe("geographyBreakdown(dataset, facts)", () => {
  it("sums customers and revenue by country, region and city, with LTV = revenue ÷ customers", () => {
    const d = testDataset(
      [["a", "2024-01-01", 10], ["a", "2024-02-01", 30], ["b", "2024-01-01", 20], ["c", "2024-01-01", 5], [null, "2024-01-01", 99]],
      [
        { customerId: "a", country: "NL", province: "UT", city: "Utrecht" },
        { customerId: "b", country: "NL", province: "NH", city: "Amsterdam" },
      ],
    );
    const g = geographyBreakdown(d, customerFactsAsOf(d, dayIndexFromIsoDate("2024-12-31")));
    expect(g.countries).toEqual([
      { country: "NL", customers: 2, revenue: 60, ltv: 30 },
      { country: "unknown", customers: 1, revenue: 5, ltv: 5 },
    ]);
    expect(g.cities[0]).toEqual({ country: "NL", province: "UT", city: "Utrecht", customers: 1, revenue: 40, ltv: 40 });
    expect(g.regions.map((r) => r.province)).toEqual(["UT", "NH", "unknown"]);
  });
});
