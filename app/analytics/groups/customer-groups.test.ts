import { describe, expect, it } from "vitest";
import { dayIndexFromIsoDate } from "../calendar/calendar-day";
import { customerFactsAsOf } from "../customers/customer-facts";
import { lifecycleStagesFromFacts, DEFAULT_LIFECYCLE_SETTINGS } from "../lifecycle/lifecycle-stage";
import { testDataset, type TestOrder } from "../testing/test-dataset";
import { CUSTOMER_GROUPS, customerGroups, DEFAULT_GROUP_SETTINGS, groupMetrics } from "./customer-groups";

/**
 * Ten customers as of 2024-12-31, all first ordering on 2024-01-01 (365 days ago):
 * c0 … c5 one order of 10; r1 … r3 two orders of 10 (2 orders/yr); f1 four orders of 10
 * (4 orders/yr); v1 one order of 500 → top 10 % by revenue is v1 only (⌈0.1 × 10⌉ = 1).
 */
const orders: TestOrder[] = [];
for (let i = 0; i < 5; i++) orders.push([`c${i}`, "2024-01-01", 10, { items: 2 }]);
for (const r of ["r1", "r2", "r3"]) orders.push([r, "2024-01-01", 10], [r, "2024-06-01", 10]);
for (const day of ["2024-01-01", "2024-03-01", "2024-06-01", "2024-12-01"]) orders.push(["f1", day, 10]);
orders.push(["v1", "2024-01-01", 500, { items: 5 }]);
const d = testDataset(orders);
const facts = customerFactsAsOf(d, dayIndexFromIsoDate("2024-12-31"));
const assignment = customerGroups(facts);
const groupOf = (id: string) => CUSTOMER_GROUPS[assignment.group[d.customerIds.indexOf(id)]];

describe("customerGroups(facts)", () => {
  it("puts the top 10 % by revenue in VIP even with one order (VIP wins)", () => {
    expect(groupOf("v1")).toBe("vip");
    expect(assignment.vipRevenueThreshold).toBe(500);
  });

  it("makes repeat customers in the top quartile of orders per year frequent, the rest loyal", () => {
    // repeat rates: r1..r3 = 2/yr, f1 = 4/yr → nearest-rank 75th percentile of [2, 2, 2, 4] = 2,
    // so every repeat customer reaches it: ties at the threshold are frequent.
    expect(assignment.frequentOrdersPerYearThreshold).toBe(2);
    expect(groupOf("f1")).toBe("frequent");
    expect(groupOf("r1")).toBe("frequent");
  });

  it("leaves loyal for repeat customers below the threshold", () => {
    const more = testDataset([...orders, ["f2", "2024-01-01", 10], ["f2", "2024-02-01", 10], ["f2", "2024-03-01", 10], ["f2", "2024-04-01", 10], ["f2", "2024-05-01", 10], ["f2", "2024-06-01", 10]]);
    const f = customerFactsAsOf(more, dayIndexFromIsoDate("2024-12-31"));
    // 11 customers: a 5 % VIP share keeps v1 the only VIP (⌈0.55⌉ = 1).
    const g = customerGroups(f, { ...DEFAULT_GROUP_SETTINGS, vipShare: 0.05 });
    // rates [2, 2, 2, 4, 6]: nearest rank ⌈0.75 × 5⌉ = 4th → 4: f1 and f2 frequent, r* loyal.
    expect(g.frequentOrdersPerYearThreshold).toBe(4);
    const of = (id: string) => CUSTOMER_GROUPS[g.group[more.customerIds.indexOf(id)]];
    expect([of("r1"), of("f1"), of("f2"), of("c0")]).toEqual(["loyal", "frequent", "frequent", "one-time"]);
  });

  it("computes each group's LTV, average orders, basket size, orders and revenue per year", () => {
    const stages = lifecycleStagesFromFacts(facts, DEFAULT_LIFECYCLE_SETTINGS);
    const m = Object.fromEntries(groupMetrics(facts, assignment, stages).map((g) => [g.group, g]));
    expect(m["one-time"]).toMatchObject({ customers: 5, ltv: 10, averageOrders: 1, averageBasketSize: 2, ordersPerYear: 1, revenuePerYear: 10 });
    expect(m.vip).toMatchObject({ customers: 1, ltv: 500, averageBasketSize: 5 });
    expect(m.frequent.customers).toBe(4);
    expect(m.frequent.ltv).toBe((3 * 20 + 40) / 4);
    expect(m.loyal).toMatchObject({ customers: 0, ltv: null, lostShare: null });
    // The one-time buyers ordered 365 days ago; the shop's median gap is ~150 days → lost.
    expect(m["one-time"].lostShare).toBe(1);
  });

  it("rates a group's orders and revenue per customer-year, so its newest customers do not inflate them", () => {
    // Two one-time buyers of 30 (r, the top spender, is the VIP): one a year ago, one 40 days ago.
    // Each buyer's own rate averaged would be (1 + 365/40) / 2 ≈ 5.1 orders and ≈ 152 a year;
    // per customer-year it is 2 orders and 60 in 405 days.
    const young = testDataset([["old", "2024-01-01", 30], ["new", "2024-11-21", 30], ["r", "2024-01-01", 100], ["r", "2024-06-01", 100]]);
    const f = customerFactsAsOf(young, dayIndexFromIsoDate("2024-12-31"));
    const m = Object.fromEntries(groupMetrics(f, customerGroups(f, { ...DEFAULT_GROUP_SETTINGS, vipShare: 0.01 }), lifecycleStagesFromFacts(f, DEFAULT_LIFECYCLE_SETTINGS)).map((g) => [g.group, g]));
    expect(m["one-time"].customers).toBe(2);
    expect(m["one-time"].ordersPerYear).toBeCloseTo((2 * 365) / (365 + 40), 12);
    expect(m["one-time"].revenuePerYear).toBeCloseTo((60 * 365) / (365 + 40), 12);
    // A customer of two days counts as 30 (the minimum lifetime): 1 order is 365/30 a year, not 182.
    const twoDays = testDataset([["a", "2024-12-29", 10]]);
    const g = customerFactsAsOf(twoDays, dayIndexFromIsoDate("2024-12-31"));
    const only = groupMetrics(g, customerGroups(g, { ...DEFAULT_GROUP_SETTINGS, vipShare: 0.01 }), lifecycleStagesFromFacts(g, DEFAULT_LIFECYCLE_SETTINGS)).find((x) => x.customers === 1)!;
    expect(only.ordersPerYear).toBeCloseTo(365 / 30, 12);
  });
});
