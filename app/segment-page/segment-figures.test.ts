import { describe, expect, it } from "vitest";
import { compare, EMPTY_TOTALS, insightFigures, overviewFigures, type CustomerTotals } from "./segment-figures";

const totals = (t: Partial<CustomerTotals>): CustomerTotals => ({ ...EMPTY_TOTALS, ...t });

describe("segment figures", () => {
  it("averages per order for order value and basket size, per customer-year for the yearly rates, per customer otherwise, and per repeat customer for the gap", () => {
    // 4 customers with 2.5 customer-years between them: 10 orders and 500 of revenue are 4 orders and 200 a year.
    const f = insightFigures(totals({ customers: 4, orders: 10, revenue: 500, items: 25, clvCustomers: 2, clvSum: 300, customerYearsSum: 2.5, lifetimeDaysSum: 400, repeatCustomers: 2, gapDaysSum: 90 }));
    expect(f).toEqual({ predictedClv: 150, orderValue: 50, basketSize: 2.5, revenuePerYear: 200, customerLifetime: 100, daysBetweenOrders: 45, ordersPerYear: 4 });
  });

  it("has no figure rather than a 0 where nothing is measured (no orders, no predictions, no repeat customers)", () => {
    expect(insightFigures(EMPTY_TOTALS)).toEqual({ predictedClv: null, orderValue: null, basketSize: null, revenuePerYear: null, customerLifetime: null, daysBetweenOrders: null, ordersPerYear: null });
    expect(overviewFigures(totals({ customers: 2, orders: 2, revenue: 10 })).averageProductPrice).toBeNull();
  });

  it("compares with the store: a share for totals, no share against a store figure of 0 or missing", () => {
    const segment = overviewFigures(totals({ customers: 1, orders: 2, revenue: 30, items: 3, itemRevenue: 30 }));
    const store = overviewFigures(totals({ customers: 4, orders: 8, revenue: 120, items: 0, itemRevenue: 0 }));
    const byKey = Object.fromEntries(compare(["revenue", "customers", "products", "averageProductPrice"], segment, store).map((f) => [f.key, f.ofStore]));
    expect(byKey).toEqual({ revenue: 0.25, customers: 0.25, products: null, averageProductPrice: null });
  });
});
