/**
 * How an order's total splits into line items, tax and shipping, before and after refunds.
 *
 * The generator draws each order's total (Gamma-Gamma spend, store-generator.ts); this module
 * decomposes it with the shop's pricing — one tax rate on line items (a single-jurisdiction
 * store; shipping is not taxed), a flat shipping fee below a free-shipping threshold, and
 * Shopify's "prices include tax" switch (`taxesIncluded`). The split is a pure function of the
 * total and the refunded amount, so it costs no memory or random draws per order and the
 * GraphQL views and webhook payloads always agree with `currentTotalPriceSet`:
 *
 *     total = items + tax + shipping        (every amount in cents, before and after refunds)
 *     subtotal = items + (taxesIncluded ? tax : 0)
 *
 * Refunds take back line items (with their tax) first and shipping only for what exceeds them.
 */
export interface ShopPricing {
  /** Shopify's "All prices include tax": orders' `taxesIncluded`. */
  taxesIncluded: boolean;
  /** Tax rate on line items, e.g. 0.08. */
  taxRate: number;
  /** Flat shipping fee of orders below {@link freeShippingFromCents}. */
  shippingCents: number;
  freeShippingFromCents: number;
}

/** A US-style store: prices without tax, 8 % sales tax, $5.99 shipping below $50. */
export const DEFAULT_PRICING: ShopPricing = { taxesIncluded: false, taxRate: 0.08, shippingCents: 599, freeShippingFromCents: 5000 };

export interface OrderAmounts {
  /** Line items after discounts, without tax: the order's net sales. */
  itemsCents: number;
  /** Tax on the line items. */
  taxCents: number;
  shippingCents: number;
  /** Shopify's subtotal: line items after discounts, with their tax when taxes are included. */
  subtotalCents: number;
  totalCents: number;
}

export interface OrderPriceBreakdown {
  original: OrderAmounts;
  /** After refunds (Shopify's `current*` fields). */
  current: OrderAmounts;
}

export function checkPricing(pricing: ShopPricing): void {
  if (!(pricing.taxRate >= 0 && pricing.taxRate < 1)) throw new Error(`taxRate must be in [0, 1), got ${pricing.taxRate}`);
  if (!(pricing.shippingCents >= 0) || !Number.isInteger(pricing.shippingCents)) throw new Error(`shippingCents must be a non-negative integer, got ${pricing.shippingCents}`);
  if (!(pricing.freeShippingFromCents >= 0)) throw new Error(`freeShippingFromCents must be >= 0, got ${pricing.freeShippingFromCents}`);
}

/** Shipping of an order with this total: the flat fee below the threshold, never more than a quarter of the total. */
export function shippingOfTotal(pricing: ShopPricing, totalCents: number): number {
  return totalCents >= pricing.freeShippingFromCents ? 0 : Math.min(pricing.shippingCents, Math.floor(totalCents / 4));
}

function amounts(pricing: ShopPricing, goodsCents: number, shippingCents: number): OrderAmounts {
  // Line items and their tax from the tax-inclusive goods amount; tax = the remainder, so the parts add up exactly.
  const itemsCents = Math.round(goodsCents / (1 + pricing.taxRate));
  const taxCents = goodsCents - itemsCents;
  return {
    itemsCents,
    taxCents,
    shippingCents,
    subtotalCents: pricing.taxesIncluded ? goodsCents : itemsCents,
    totalCents: goodsCents + shippingCents,
  };
}

/** The split of an order whose total is `totalCents`, of which `refundedCents` was refunded. */
export function orderPriceBreakdown(pricing: ShopPricing, totalCents: number, refundedCents: number): OrderPriceBreakdown {
  const shipping = shippingOfTotal(pricing, totalCents);
  const goods = totalCents - shipping;
  const goodsRefunded = Math.min(Math.max(refundedCents, 0), goods);
  const shippingRefunded = Math.min(shipping, Math.max(refundedCents, 0) - goodsRefunded);
  return {
    original: amounts(pricing, goods, shipping),
    current: amounts(pricing, goods - goodsRefunded, shipping - shippingRefunded),
  };
}

/** The original subtotal only (what the line items of a new order add up to). */
export function subtotalOfTotal(pricing: ShopPricing, totalCents: number): number {
  return amounts(pricing, totalCents - shippingOfTotal(pricing, totalCents), 0).subtotalCents;
}
