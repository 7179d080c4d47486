import type { CustomerFacts } from "../customers/customer-facts";
import { kthSmallest } from "../math/kth-smallest";

/**
 * Spend tiers (PRODUCT.md F11 "high / mid / low spend tiers"): the customers with an order
 * split into thirds by all-time revenue. The boundaries are two ranks of the sorted revenues
 * (nearest rank, so ties at a boundary share the higher tier), which lets a single customer be
 * placed later (issue "Fresh after every order") by comparing with the two stored thresholds.
 */
export type SpendTier = "high" | "mid" | "low";
export const SPEND_TIERS: readonly SpendTier[] = ["high", "mid", "low"];

export interface SpendTierThresholds {
  /** Revenue from which a customer is in the high tier (null without customers). */
  readonly high: number | null;
  /** Revenue from which a customer is at least mid. */
  readonly mid: number | null;
}

export function spendTierThresholds(facts: CustomerFacts): SpendTierThresholds {
  const revenues = new Float64Array(facts.customerCount);
  let n = 0;
  for (let c = 0; c < facts.customerCount; c++) if (facts.orders[c] > 0) revenues[n++] = facts.revenue[c];
  if (n === 0) return { high: null, mid: null };
  // The top third starts at rank n − ⌈n/3⌉ (0-based ascending), the middle third at n − ⌈2n/3⌉.
  const high = kthSmallest(revenues, n - Math.ceil(n / 3), n);
  const mid = kthSmallest(revenues, n - Math.ceil((2 * n) / 3), n);
  return { high, mid };
}

/**
 * Compared in whole cents, as the profile stores the total spent: a tier is then exactly a range
 * of the stored amount (the products page counts a tier's customers along the (snapshotId,
 * totalSpent) index), even where two sums of the same cents differ in their last float bit.
 */
export function spendTierOf(revenue: number, thresholds: SpendTierThresholds): SpendTier {
  if (thresholds.high !== null && cents(revenue) >= cents(thresholds.high)) return "high";
  if (thresholds.mid !== null && cents(revenue) >= cents(thresholds.mid)) return "mid";
  return "low";
}

/** The least stored total spent (a 2-decimal amount) of each tier above low, null when the tier cannot occur. */
export function spendTierLowerBounds(thresholds: SpendTierThresholds): { high: string | null; mid: string | null } {
  const amount = (threshold: number | null) => (threshold === null ? null : (cents(threshold) / 100).toFixed(2));
  return { high: amount(thresholds.high), mid: amount(thresholds.mid) };
}

/** Revenues are sums of 2-decimal amounts: rounding to cents removes only float error. */
const cents = (amount: number) => Math.round(amount * 100);
