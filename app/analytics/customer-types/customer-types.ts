import type { CustomerFacts } from "../customers/customer-facts";
import { STAGE_LOST, STAGE_NEW, STAGE_SLIPPING } from "../lifecycle/lifecycle-stage";

/**
 * Customer types: the slices of the F3 donut (seed 000 calls them "segments"; in this code
 * "segment" means a merchant's own segment, docs/glossary.md).
 */
export type CustomerType = "new" | "vip" | "at-risk" | "returning" | "one-time-inactive";
export const CUSTOMER_TYPES: readonly CustomerType[] = ["new", "vip", "at-risk", "returning", "one-time-inactive"];

/**
 * The rule order that makes the donut a partition (shown in the UI). The first rule that
 * matches wins:
 * 1. **new**: first order within the last `newCustomerDays` days (lifecycle stage new);
 * 2. **VIP**: in the VIP group (the settings' VIP share) and not lost;
 * 3. **at risk**: ≥ 2 orders and (slipping away, lost, or P(alive) < 0.5);
 * 4. **returning**: ≥ 2 orders (so active, with P(alive) ≥ 0.5 or no model);
 * 5. **one-time inactive**: one order, no longer new.
 */
export function customerTypeRules(vipShare: number, newCustomerDays: number): readonly string[] {
  return [
    `new: first order within the last ${newCustomerDays} days`,
    `vip: VIP group (top ${Number((vipShare * 100).toFixed(2))}% by revenue) and not lost`,
    "at-risk: 2+ orders and slipping away or lost, or P(alive) < 0.5",
    "returning: 2+ orders, active",
    "one-time-inactive: one order, not new",
  ];
}

/**
 * Assigns each customer with an order exactly one customer type (index into
 * {@link CUSTOMER_TYPES}; 255 for customers without orders).
 * @param isVip VIP group membership per customer
 * @param pAlive customer c's P(alive) from the default model, or null without a model
 */
export function customerTypes(facts: CustomerFacts, stages: Uint8Array, isVip: (c: number) => boolean, pAlive: ((c: number) => number) | null): Uint8Array {
  const out = new Uint8Array(facts.customerCount).fill(255);
  for (let c = 0; c < facts.customerCount; c++) {
    if (facts.orders[c] === 0) continue;
    const stage = stages[c];
    const repeat = facts.orders[c] >= 2;
    if (stage === STAGE_NEW) out[c] = 0;
    else if (isVip(c) && stage !== STAGE_LOST) out[c] = 1;
    else if (repeat && (stage === STAGE_SLIPPING || stage === STAGE_LOST || (pAlive !== null && pAlive(c) < 0.5))) out[c] = 2;
    else if (repeat) out[c] = 3;
    else out[c] = 4;
  }
  return out;
}

/** Customer counts per slice. */
export function countCustomerTypes(types: Uint8Array): Record<CustomerType, number> {
  const counts = [0, 0, 0, 0, 0];
  for (let c = 0; c < types.length; c++) if (types[c] !== 255) counts[types[c]]++;
  return Object.fromEntries(CUSTOMER_TYPES.map((s, i) => [s, counts[i]])) as Record<CustomerType, number>;
}
