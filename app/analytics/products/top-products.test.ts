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
  /**
   * 100 customers, one order each, everyone with a sock. The best seller (tee) is bought by 80 %,
   * as often by mug buyers as by anyone; 12 of the 20 mug buyers and 3 others bought a poster;
   * 4 customers bought a card and a pin, and nothing links them to anything else.
   */
  const store = () => {
    const orders: TestOrder[] = [];
    for (let c = 0; c < 100; c++) {
      const products = ["sock"];
      if (c < 16 || (c >= 20 && c < 84)) products.push("tee");
      if (c < 20) products.push("mug");
      if (c < 12 || (c >= 20 && c < 23)) products.push("poster");
      if (c >= 90 && c < 94) products.push("card", "pin");
      orders.push([`c${c}`, "2024-01-01", 10, { lines: products.map((p) => line(p)) }]);
    }
    orders.push([`c0`, "2025-06-01", 10, { lines: [line("pin")] }]); // after as-of
    const d = testDataset(orders);
    return crossSellPairs(d, customerFactsAsOf(d, dayIndexFromIsoDate("2024-12-31")));
  };

  it("ranks 'bought X, never bought Y' audiences by lift, P(Y | X) / P(Y): products bought together, not the best seller after everything", () => {
    const pairs = store();
    // mug → poster: 12 of 20 mug buyers against 15 of 100 customers; poster → mug: 12 of 15 against 20 of 100.
    // tee → poster: 15 of 80 against 15 of 100. Equal lifts are ordered by audience.
    expect(pairs.map((p) => [p.bought, p.neverBought, p.both, p.audience])).toEqual([
      ["mug", "poster", 12, 8],
      ["poster", "mug", 12, 3],
      ["tee", "poster", 15, 65],
    ]);
    expect(pairs[0].confidence).toBeCloseTo(12 / 20, 12);
    expect(pairs[0].lift).toBeCloseTo(12 / 20 / (15 / 100), 12);
    expect(pairs[1].lift).toBeCloseTo(12 / 15 / (20 / 100), 12);
    expect(pairs[2].lift).toBeCloseTo(15 / 80 / (15 / 100), 12);
    expect(pairs[0]).toMatchObject({ boughtTitle: "MUG", neverBoughtTitle: "POSTER" });
  });

  it("leaves out the best seller bought by mug buyers only as often as by anyone (lift 1, though P(tee | mug) = 0.8 is the highest confidence), pairs of fewer than 5 joint buyers, and empty audiences", () => {
    const pairs = store();
    expect(pairs.find((p) => p.bought === "mug" && p.neverBought === "tee")).toBeUndefined();
    expect(pairs.find((p) => p.bought === "card" || p.bought === "pin")).toBeUndefined();
    // Every poster buyer bought a tee: "bought a poster, never a tee" is nobody.
    expect(pairs.find((p) => p.bought === "poster" && p.neverBought === "tee")).toBeUndefined();
    expect(pairs.every((p) => p.lift > 1 && p.both >= 5 && p.audience > 0)).toBe(true);
  });
});
