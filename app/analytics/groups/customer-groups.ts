import type { CustomerFacts } from "../customers/customer-facts";
import { STAGE_LOST } from "../lifecycle/lifecycle-stage";
import { kthSmallest } from "../math/kth-smallest";

/** F6 customer groups (seed 002). */
export type CustomerGroup = "one-time" | "loyal" | "frequent" | "vip";
export const CUSTOMER_GROUPS: readonly CustomerGroup[] = ["one-time", "loyal", "frequent", "vip"];
export const GROUP_NONE = 255;

export interface GroupSettings {
  /** Share of customers (by all-time revenue) that are VIP, default 0.10. */
  readonly vipShare: number;
  /** Quantile of orders per year among repeat customers from which they are frequent, default 0.75. */
  readonly frequentQuantile: number;
  /** Minimum customer lifetime in days when computing orders per year (default 30), so a 2-day-old customer is not "730 orders a year". */
  readonly minLifetimeDays: number;
}

export const DEFAULT_GROUP_SETTINGS: GroupSettings = { vipShare: 0.1, frequentQuantile: 0.75, minLifetimeDays: 30 };

/** Years customer `c` has been a customer: max(days since first order, minimum) ÷ 365. */
export function customerYearsOf(facts: CustomerFacts, c: number, settings: GroupSettings): number {
  return Math.max(facts.asOfDay - facts.firstDay[c], settings.minLifetimeDays) / 365;
}

/** Orders per year of customer `c`, which ranks repeat customers for "frequent": orders ÷ customer-years. */
export function ordersPerYear(facts: CustomerFacts, c: number, settings: GroupSettings): number {
  return facts.orders[c] / customerYearsOf(facts, c, settings);
}

export interface CustomerGroupAssignment {
  /** Index into {@link CUSTOMER_GROUPS}, {@link GROUP_NONE} for customers without orders. */
  readonly group: Uint8Array;
  /** Revenue from which a customer is VIP, and orders per year from which a repeat customer is frequent. */
  readonly vipRevenueThreshold: number | null;
  readonly frequentOrdersPerYearThreshold: number | null;
}

/**
 * Assigns each customer with an order exactly one group (METRICS.md "Groups"), VIP winning over
 * frequent over loyal: VIP = all-time revenue ≥ that of the customer ranked ⌈vipShare × n⌉ by
 * revenue (ties at the boundary are all VIP; revenue must be > 0); frequent = ≥ 2 orders and
 * orders per year ≥ the `frequentQuantile` (nearest rank) among repeat customers; loyal = other
 * repeat customers; one-time = one order.
 */
export function customerGroups(
  facts: CustomerFacts,
  settings: GroupSettings = DEFAULT_GROUP_SETTINGS,
  /** A store's thresholds, to assign customers scored alone exactly as the store assigned them. */
  thresholds?: Pick<CustomerGroupAssignment, "vipRevenueThreshold" | "frequentOrdersPerYearThreshold">,
): CustomerGroupAssignment {
  const n = facts.customerCount;
  const group = new Uint8Array(n).fill(GROUP_NONE);
  const revenues = new Float64Array(n);
  const repeatRates = new Float64Array(n);
  let buyers = 0;
  let repeaters = 0;
  for (let c = 0; c < n; c++) {
    if (facts.orders[c] === 0) continue;
    revenues[buyers++] = facts.revenue[c];
    if (facts.orders[c] >= 2) repeatRates[repeaters++] = ordersPerYear(facts, c, settings);
  }
  // Each threshold is one rank of the sorted values: selected, not sorted.
  const vipCount = Math.ceil(settings.vipShare * buyers);
  const vipThreshold = thresholds ? thresholds.vipRevenueThreshold : vipCount === 0 ? null : Math.max(kthSmallest(revenues, buyers - vipCount, buyers), Number.MIN_VALUE);
  const frequentThreshold = thresholds
    ? thresholds.frequentOrdersPerYearThreshold
    : repeaters === 0
      ? null
      : kthSmallest(repeatRates, Math.max(0, Math.ceil(settings.frequentQuantile * repeaters) - 1), repeaters);
  for (let c = 0; c < n; c++) {
    if (facts.orders[c] === 0) continue;
    if (vipThreshold !== null && facts.revenue[c] >= vipThreshold) group[c] = 3;
    else if (facts.orders[c] === 1) group[c] = 0;
    else if (frequentThreshold !== null && ordersPerYear(facts, c, settings) >= frequentThreshold) group[c] = 2;
    else group[c] = 1;
  }
  return { group, vipRevenueThreshold: vipThreshold, frequentOrdersPerYearThreshold: frequentThreshold };
}

export interface GroupMetrics {
  readonly group: CustomerGroup;
  readonly customers: number;
  /** Mean all-time revenue per customer. */
  readonly ltv: number | null;
  readonly averageOrders: number | null;
  /** Items per order over the group's orders. */
  readonly averageBasketSize: number | null;
  /**
   * The group's orders per customer-year: its orders ÷ the sum of its customers' years since their
   * first order (each at least `minLifetimeDays`). Pooled, not a mean of each customer's own rate,
   * which a group's youngest customers dominate: one order 40 days ago is "9 a year" on its own
   * (docs/decisions/054-rates-per-customer-year.md).
   */
  readonly ordersPerYear: number | null;
  /** The group's revenue per customer-year, pooled the same way. */
  readonly revenuePerYear: number | null;
  /** Share of the group whose lifecycle stage is lost. */
  readonly lostShare: number | null;
}

/** F6 group metrics (seed 002 "Hovedgrupper"): one row per group. */
export function groupMetrics(facts: CustomerFacts, assignment: CustomerGroupAssignment, stages: Uint8Array, settings: GroupSettings = DEFAULT_GROUP_SETTINGS): GroupMetrics[] {
  const k = CUSTOMER_GROUPS.length;
  const count = new Float64Array(k);
  const revenue = new Float64Array(k);
  const orders = new Float64Array(k);
  const items = new Float64Array(k);
  const customerYears = new Float64Array(k);
  const lost = new Float64Array(k);
  for (let c = 0; c < facts.customerCount; c++) {
    const g = assignment.group[c];
    if (g === GROUP_NONE) continue;
    count[g]++;
    revenue[g] += facts.revenue[c];
    orders[g] += facts.orders[c];
    items[g] += facts.items[c];
    customerYears[g] += customerYearsOf(facts, c, settings);
    if (stages[c] === STAGE_LOST) lost[g]++;
  }
  const per = (v: Float64Array, g: number) => (count[g] === 0 ? null : v[g] / count[g]);
  return CUSTOMER_GROUPS.map((group, g) => ({
    group,
    customers: count[g],
    ltv: per(revenue, g),
    averageOrders: per(orders, g),
    averageBasketSize: orders[g] === 0 ? null : items[g] / orders[g],
    ordersPerYear: customerYears[g] === 0 ? null : orders[g] / customerYears[g],
    revenuePerYear: customerYears[g] === 0 ? null : revenue[g] / customerYears[g],
    lostShare: per(lost, g),
  }));
}
