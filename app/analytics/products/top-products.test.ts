import { describe, expect, it } from "vitest";
import { dayIndexFromIsoDate } from "../calendar/calendar-day";
import { customerFactsAsOf } from "../customers/customer-facts";
import { testDataset, type TestOrder } from "../testing/test-dataset";
import { crossSellPairs } from "./cross-sell-pairs";
import { topProductsByLabel } from "./top-products";

const line = (productId: string, quantity = 1, revenue = 10) => ({ productId, title: productId.toUpperCase(), quantity, revenue });

describe("topProductsByLabel(dataset, facts, labels, count)", () => {
  it("ranks products by orders containing them within each label, with quantity, revenue and buyers", () => {
    const d = testDataset([
      ["a", "2024-01-01", 30, { lines: [line("mug", 2, 20), line("tea")] }],
      ["a", "2024-01-02", 10, { lines: [line("mug")] }],
      ["b", "2024-01-03", 10, { lines: [line("tea")] }],
      ["c", "2024-01-03", 10, { lines: [line("pot")] }],
      [null, "2024-01-03", 10, { lines: [line("pot")] }], // guests belong to no segment
      ["c", "2025-01-03", 10, { lines: [line("pot")] }], // after as-of
    ]);
    const facts = customerFactsAsOf(d, dayIndexFromIsoDate("2024-12-31"));
    const labels = Uint8Array.from(d.customerIds.map((id) => (id === "c" ? 1 : 0)));
    const [first, second] = topProductsByLabel(d, facts, labels, 2);
    expect(first.map((p) => [p.productId, p.orders, p.quantity, p.revenue, p.customers])).toEqual([
      ["mug", 2, 3, 30, 1],
      ["tea", 2, 2, 20, 2],
    ]);
    expect(first[0].title).toBe("MUG");
    expect(second.map((p) => [p.productId, p.orders])).toEqual([["pot", 1]]);
  });
});

describe("crossSellPairs(dataset, facts)", () => {
  it("finds 'bought X, never bought Y' audiences ranked by P(Y | X)", () => {
    const orders: TestOrder[] = [];
    // 10 customers bought mug; 8 of them also tea; 2 bought tea only.
    for (let i = 0; i < 10; i++) orders.push([`m${i}`, "2024-01-01", 10, { lines: [line("mug")] }]);
    for (let i = 0; i < 8; i++) orders.push([`m${i}`, "2024-02-01", 10, { lines: [line("tea")] }]);
    for (let i = 0; i < 2; i++) orders.push([`t${i}`, "2024-02-01", 10, { lines: [line("tea")] }]);
    const d = testDataset(orders);
    const pairs = crossSellPairs(d, customerFactsAsOf(d, dayIndexFromIsoDate("2024-12-31")));
    // Both directions have P = 8/10 and an audience of 2; ties are ordered by product id.
    expect(pairs[0]).toMatchObject({ bought: "mug", neverBought: "tea", both: 8, confidence: 0.8, audience: 2 });
    expect(pairs[1]).toMatchObject({ bought: "tea", neverBought: "mug", both: 8, confidence: 0.8, audience: 2 });
    expect(pairs).toHaveLength(2);
  });
});
