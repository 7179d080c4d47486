import { describe, expect, it } from "vitest";
import type { CustomerFacts } from "../customers/customer-facts";
import { createSeededRng } from "../math/seeded-rng.ts";
import { spendTierLowerBounds, spendTierOf, spendTierThresholds, type SpendTier } from "./spend-tier";

/** Just the facts the tiers read: orders and revenue per customer. */
const factsOf = (revenues: readonly number[], orders = revenues.map(() => 1)) =>
  ({ customerCount: revenues.length, orders: Int32Array.from(orders), revenue: Float64Array.from(revenues) }) as unknown as CustomerFacts;

describe("spend tiers (PRODUCT.md F11)", () => {
  it("splits the customers with an order into thirds by revenue, ties at a boundary in the higher tier", () => {
    const revenues = [10, 20, 30, 40, 50, 60, 70, 80, 90];
    const thresholds = spendTierThresholds(factsOf(revenues));
    expect(thresholds).toEqual({ high: 70, mid: 40 });
    expect(revenues.map((r) => spendTierOf(r, thresholds))).toEqual(["low", "low", "low", "mid", "mid", "mid", "high", "high", "high"]);
    const tied = spendTierThresholds(factsOf([5, 5, 5, 5, 5, 9]));
    expect(spendTierOf(5, tied)).toBe("high");
  });

  it("leaves customers without an order out, and has no thresholds without customers", () => {
    expect(spendTierThresholds(factsOf([0, 0, 100, 200, 300], [0, 0, 1, 1, 1]))).toEqual({ high: 300, mid: 200 });
    expect(spendTierThresholds(factsOf([]))).toEqual({ high: null, mid: null });
    expect(spendTierLowerBounds({ high: null, mid: null })).toEqual({ high: null, mid: null });
  });

  it("compares whole cents: two sums of the same cents are one tier, whatever their float rounding", () => {
    const thresholds = { high: 0.3, mid: 0.1 };
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(spendTierOf(0.1 + 0.2, thresholds)).toBe("high");
    const below = { high: 0.1 + 0.2, mid: 0.1 };
    expect(spendTierOf(0.3, below)).toBe("high");
    expect(spendTierOf(0.29, below)).toBe("mid");
  });

  it("is exactly a range of the stored total spent (the products page counts tiers along that index)", () => {
    const rng = createSeededRng(7);
    // Float sums of 2-decimal prices, as the core adds up orders.
    const revenues = Array.from({ length: 3000 }, () => {
      let total = 0;
      const orders = 1 + Math.floor(rng() * 5);
      for (let i = 0; i < orders; i++) total += Math.round(rng() * 20000) / 100;
      return total;
    });
    const thresholds = spendTierThresholds(factsOf(revenues));
    const bounds = spendTierLowerBounds(thresholds);
    const stored = (r: number) => Number(r.toFixed(2));
    const byRange = (r: number): SpendTier => (stored(r) >= Number(bounds.high) ? "high" : stored(r) >= Number(bounds.mid) ? "mid" : "low");
    for (const r of revenues) expect(spendTierOf(r, thresholds)).toBe(byRange(r));
    const counts = { high: 0, mid: 0, low: 0 };
    for (const r of revenues) counts[spendTierOf(r, thresholds)]++;
    expect(counts.high).toBeGreaterThanOrEqual(1000);
    expect(counts.mid).toBeGreaterThanOrEqual(900);
  });
});
