/**
 * In-memory model of one shop. Orders and customers live in columnar typed arrays (one array per
 * attribute) so a million orders fit in tens of megabytes and generate in seconds; mutable,
 * sparse data (tags, segments, bulk operations) lives in ordinary maps.
 *
 * Money is stored in integer cents of the shop currency. Times are epoch milliseconds.
 */
export interface ProductRecord {
  title: string;
  productType: string;
  vendor: string;
  priceCents: number;
  createdAt: number;
  updatedAt: number;
  tags: string[];
  /** Relative popularity (Zipf weight). */
  popularity: number;
}

export interface CustomerColumns {
  count: number;
  firstNameIdx: Uint8Array;
  lastNameIdx: Uint8Array;
  placeIdx: Uint8Array;
  marketingStateIdx: Uint8Array;
  /** First-visit source index of the customer's acquisition (see FIRST_VISIT_SOURCES). */
  acquisitionSourceIdx: Uint8Array;
  createdAt: Float64Array;
  updatedAt: Float64Array;
  /** Orders counted by Shopify's `numberOfOrders` (all non-test orders, cancelled included). */
  numberOfOrders: Int32Array;
  /** Sum of current totals of non-test, non-cancelled orders. */
  amountSpentCents: Float64Array;
  /** Time of the last non-test order (NaN if none). */
  lastOrderAt: Float64Array;
  /** Tags per customer; undefined = no tags. Mutated by tagsAdd/tagsRemove/customerUpdate. */
  tags: (string[] | undefined)[];
}

/** Bit flags in {@link OrderColumns.flags}. */
export const ORDER_FLAG_TEST = 1;
export const ORDER_FLAG_CANCELLED = 2;
/** Set on orders that are part of the customer's BG/NBD purchase process (not test, not cancelled extras). */
export const ORDER_FLAG_PROCESS = 4;

export interface OrderColumns {
  count: number;
  /** Index into customers, or −1 for a guest order. */
  customerIdx: Int32Array;
  createdAt: Float64Array;
  updatedAt: Float64Array;
  /** NaN when not cancelled. */
  cancelledAt: Float64Array;
  /** Order total as placed (line items after discounts + tax + shipping; order-pricing.ts splits it). */
  totalCents: Float64Array;
  refundedCents: Float64Array;
  flags: Uint8Array;
  channelIdx: Uint8Array;
  firstVisitSourceIdx: Uint8Array;
  /** Line items of order i are lineStart[i] .. lineStart[i+1]−1. */
  lineStart: Int32Array;
  lineProductIdx: Int32Array;
  lineQuantity: Uint16Array;
  /** Line total before discount. */
  lineOriginalCents: Float64Array;
  /** Line total after discount. */
  lineDiscountedCents: Float64Array;
  /** Tags per order (sparse). */
  tags: Map<number, string[]>;
}

import { orderPriceBreakdown, type OrderPriceBreakdown, type ShopPricing } from "./order-pricing.ts";

export type ShopPlan = "standard" | "plus";

export interface ShopInfo {
  /** "demo" for demo.myshopify.com. */
  name: string;
  domain: string;
  currencyCode: string;
  plan: ShopPlan;
  ianaTimezone: string;
  email: string;
  createdAt: number;
  /** Tax, shipping and tax-inclusive prices: how order totals split (order-pricing.ts). */
  pricing: ShopPricing;
}

export interface ShopStore {
  shop: ShopInfo;
  products: ProductRecord[];
  customers: CustomerColumns;
  orders: OrderColumns;
  /** Incremented on every mutation; lets cached sort orders know they are stale. */
  version: number;
}

/** Current total of order `i` (total minus refunds), in cents. */
export function orderCurrentTotalCents(orders: OrderColumns, i: number): number {
  return orders.totalCents[i] - orders.refundedCents[i];
}

/** Line items, tax and shipping of order `i`, before and after its refunds. */
export function orderPrices(store: ShopStore, i: number): OrderPriceBreakdown {
  return orderPriceBreakdown(store.shop.pricing, store.orders.totalCents[i], store.orders.refundedCents[i]);
}

/** Discounts on order `i`'s line items (original minus discounted line totals), in cents. */
export function orderDiscountCents(orders: OrderColumns, i: number): number {
  let cents = 0;
  for (let line = orders.lineStart[i]; line < orders.lineStart[i + 1]; line++) cents += orders.lineOriginalCents[line] - orders.lineDiscountedCents[line];
  return cents;
}

/** Formats cents as Shopify's Decimal/Money string ("12.30"). */
export function formatMoney(cents: number): string {
  const negative = cents < 0;
  const abs = Math.round(Math.abs(cents));
  const text = `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
  return negative ? `-${text}` : text;
}
