/**
 * Order totals split into line items, tax and shipping the way Shopify reports them, before and
 * after refunds; hand-computed cases for prices with and without tax, and the identities
 * Shopify's fields obey on every order of a generated store.
 */
import { describe, expect, it } from "vitest";
import { orderPriceBreakdown, type ShopPricing } from "./order-pricing.ts";
import { generateStore } from "./store-generator.ts";
import { orderCurrentTotalCents, orderPrices } from "./store-model.ts";

const US: ShopPricing = { taxesIncluded: false, taxRate: 0.08, shippingCents: 599, freeShippingFromCents: 5000 };
const EU: ShopPricing = { taxesIncluded: true, taxRate: 0.21, shippingCents: 495, freeShippingFromCents: 7500 };

describe("orderPriceBreakdown", () => {
  it("prices without tax: the subtotal excludes tax; shipping is charged below the threshold", () => {
    // $30.00 = $5.99 shipping + $24.01 goods with tax; 24.01 / 1.08 = 22.23 items, 1.78 tax.
    expect(orderPriceBreakdown(US, 3000, 0).original).toEqual({ itemsCents: 2223, taxCents: 178, shippingCents: 599, subtotalCents: 2223, totalCents: 3000 });
    // $108.00, free shipping: $100.00 items + $8.00 tax.
    expect(orderPriceBreakdown(US, 10800, 0).original).toEqual({ itemsCents: 10000, taxCents: 800, shippingCents: 0, subtotalCents: 10000, totalCents: 10800 });
  });

  it("prices with tax: the subtotal holds the line items' tax", () => {
    // €65.45 = €4.95 shipping + €60.50 goods with 21 % VAT = €50.00 + €10.50.
    expect(orderPriceBreakdown(EU, 6545, 0).original).toEqual({ itemsCents: 5000, taxCents: 1050, shippingCents: 495, subtotalCents: 6050, totalCents: 6545 });
  });

  it("never charges shipping above a quarter of a small order", () => {
    // $10.00: shipping $2.50; $7.50 goods = 6.94 + 0.56 tax.
    expect(orderPriceBreakdown(US, 1000, 0).original).toEqual({ itemsCents: 694, taxCents: 56, shippingCents: 250, subtotalCents: 694, totalCents: 1000 });
  });

  it("refunds take back line items with their tax first, then shipping", () => {
    // Half of $108.00 refunded: $50.00 items + $4.00 tax remain.
    expect(orderPriceBreakdown(US, 10800, 5400).current).toEqual({ itemsCents: 5000, taxCents: 400, shippingCents: 0, subtotalCents: 5000, totalCents: 5400 });
    // $27.00 of $30.00 refunded: all $24.01 of goods and $2.99 of the $5.99 shipping.
    expect(orderPriceBreakdown(US, 3000, 2700).current).toEqual({ itemsCents: 0, taxCents: 0, shippingCents: 300, subtotalCents: 0, totalCents: 300 });
    // Fully refunded (or cancelled): nothing remains.
    expect(orderPriceBreakdown(EU, 6545, 6545).current).toEqual({ itemsCents: 0, taxCents: 0, shippingCents: 0, subtotalCents: 0, totalCents: 0 });
  });
});

describe.each([
  ["prices without tax", US],
  ["prices with tax", EU],
])("a generated store with %s", (_name, pricing) => {
  const store = generateStore({ seed: 5, shopName: "pricing", targetOrders: 20_000, pricing, refundedOrderShare: 0.2 });
  const o = store.orders;

  it("keeps Shopify's identities on every order: total = subtotal + shipping (+ tax when excluded), before and after refunds", () => {
    const broken: number[] = []; // one expect per order would take seconds
    for (let r = 0; r < o.count; r++) {
      const { original, current } = orderPrices(store, r);
      let ok = original.totalCents === o.totalCents[r] && current.totalCents === orderCurrentTotalCents(o, r);
      for (const a of [original, current]) {
        ok &&= a.subtotalCents + a.shippingCents + (pricing.taxesIncluded ? 0 : a.taxCents) === a.totalCents;
        ok &&= a.subtotalCents - (pricing.taxesIncluded ? a.taxCents : 0) === a.itemsCents;
        ok &&= Math.min(a.itemsCents, a.taxCents, a.shippingCents) >= 0;
      }
      // Line items (after their discounts) add up to the subtotal as placed.
      let lines = 0;
      for (let l = o.lineStart[r]; l < o.lineStart[r + 1]; l++) lines += o.lineDiscountedCents[l];
      ok &&= lines === original.subtotalCents;
      if (!ok) broken.push(r);
    }
    expect(broken).toEqual([]);
  });

  it("charges tax at the shop's rate (within a cent) and shipping only below the threshold", () => {
    const broken: number[] = [];
    for (let r = 0; r < o.count; r++) {
      const { original } = orderPrices(store, r);
      if (Math.abs(original.taxCents - original.itemsCents * pricing.taxRate) > 1) broken.push(r);
      if (o.totalCents[r] >= pricing.freeShippingFromCents && original.shippingCents !== 0) broken.push(r);
    }
    expect(broken).toEqual([]);
  });
});

it("the pricing does not change the generated orders (totals, refunds, dates): only how totals split", () => {
  const us = generateStore({ seed: 9, shopName: "a", targetOrders: 5_000, pricing: US });
  const eu = generateStore({ seed: 9, shopName: "a", targetOrders: 5_000, pricing: EU });
  expect(Array.from(eu.orders.totalCents)).toEqual(Array.from(us.orders.totalCents));
  expect(Array.from(eu.orders.refundedCents)).toEqual(Array.from(us.orders.refundedCents));
  expect(Array.from(eu.orders.createdAt)).toEqual(Array.from(us.orders.createdAt));
});
