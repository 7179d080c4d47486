/**
 * The segment page's figures (seed 002 "Detaljer om segmenter"), each defined once here from
 * totals over a set of customers — the segment's members or the whole store — so the segment
 * and the store are always computed the same way. The totals come from the customers' profiles
 * of the current analysis and the lines of their counted orders (segment-page.server.ts).
 */
import { DEFAULT_GROUP_SETTINGS } from "~/analytics/groups/customer-groups";

/**
 * Orders and revenue per year use the customer groups' definition (METRICS.md "Groups"): per
 * customer-year, each customer counting max(days since first order, 30) ÷ 365 years
 * (docs/decisions/054-rates-per-customer-year.md).
 */
export const MIN_LIFETIME_DAYS = DEFAULT_GROUP_SETTINGS.minLifetimeDays;

/** Sums over a set of customers (each with at least one counted order). */
export interface CustomerTotals {
  customers: number;
  /** All-time revenue on the shop's revenue basis (the profiles' total spent). */
  revenue: number;
  orders: number;
  /** Units bought on the customers' counted orders, and those lines' amounts (after discounts). */
  items: number;
  itemRevenue: number;
  /** Customers with a predicted CLV, and the sum of their predictions. */
  clvCustomers: number;
  clvSum: number;
  /** Years since each customer's first order (at least MIN_LIFETIME_DAYS), summed. */
  customerYearsSum: number;
  /** Days from first to latest order, summed. */
  lifetimeDaysSum: number;
  /** Repeat customers (≥ 2 purchase days) and the sum of their usual days between orders. */
  repeatCustomers: number;
  gapDaysSum: number;
}

export const EMPTY_TOTALS: CustomerTotals = {
  customers: 0, revenue: 0, orders: 0, items: 0, itemRevenue: 0, clvCustomers: 0, clvSum: 0,
  customerYearsSum: 0, lifetimeDaysSum: 0, repeatCustomers: 0, gapDaysSum: 0,
};

export const OVERVIEW_FIGURES = ["revenue", "customers", "orders", "products", "averageProductPrice"] as const;
export type OverviewFigure = (typeof OVERVIEW_FIGURES)[number];

export const INSIGHT_FIGURES = ["predictedClv", "orderValue", "basketSize", "revenuePerYear", "customerLifetime", "daysBetweenOrders", "ordersPerYear"] as const;
export type InsightFigure = (typeof INSIGHT_FIGURES)[number];

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

/** Overview: totals of the customers (products = units bought; average product price = line amounts ÷ units). */
export function overviewFigures(t: CustomerTotals): Record<OverviewFigure, number | null> {
  return {
    revenue: t.revenue,
    customers: t.customers,
    orders: t.orders,
    products: t.items,
    averageProductPrice: ratio(t.itemRevenue, t.items),
  };
}

/** Per-customer insights: averages per customer (per order for order value and basket size, per customer-year for the yearly rates). */
export function insightFigures(t: CustomerTotals): Record<InsightFigure, number | null> {
  return {
    predictedClv: ratio(t.clvSum, t.clvCustomers),
    orderValue: ratio(t.revenue, t.orders),
    basketSize: ratio(t.items, t.orders),
    revenuePerYear: ratio(t.revenue, t.customerYearsSum),
    customerLifetime: ratio(t.lifetimeDaysSum, t.customers),
    daysBetweenOrders: ratio(t.gapDaysSum, t.repeatCustomers),
    ordersPerYear: ratio(t.orders, t.customerYearsSum),
  };
}

export interface ComparedFigure<K extends string> {
  key: K;
  segment: number | null;
  store: number | null;
  /** Segment ÷ store: its share of the store for totals, its level against the store's for averages. */
  ofStore: number | null;
}

export function compare<K extends string>(keys: readonly K[], segment: Record<K, number | null>, store: Record<K, number | null>): ComparedFigure<K>[] {
  return keys.map((key) => {
    const s = segment[key];
    const w = store[key];
    return { key, segment: s, store: w, ofStore: s === null || w === null || w === 0 ? null : s / w };
  });
}
