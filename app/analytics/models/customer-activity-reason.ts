/**
 * A plain-language reason behind a customer's churn score, as data (no wording, no
 * translation): the UI/CLI renders e.g. `{ kind: "overdue", typicalGapDays: 32,
 * daysSinceLast: 71 }` as "usually orders every 32 days; last order 71 days ago".
 *
 * typicalGapDays = tx / x (the mean gap between the customer's purchase events; with x
 * repeat events over tx days there are x gaps). A customer is overdue when the time since
 * the last purchase exceeds `overdueFactor` × the typical gap (default 1.5, the "slipping
 * away" factor of METRICS.md's lifecycle stages).
 */

import { InvalidModelInputError } from "./invalid-model-input-error.ts";
import { assertCustomerPurchaseSummary } from "./purchase-summary.ts";

export type CustomerActivityReason =
  | { readonly kind: "one-time-buyer"; readonly daysSinceFirst: number }
  | { readonly kind: "overdue"; readonly typicalGapDays: number; readonly daysSinceLast: number }
  | { readonly kind: "on-schedule"; readonly typicalGapDays: number; readonly daysSinceLast: number };

export interface CustomerActivityInput {
  /** Repeat purchase events. */
  readonly x: number;
  /** Days from the first to the last purchase event. */
  readonly txDays: number;
  /** Days from the first purchase event to the as-of date. */
  readonly TDays: number;
  /** Default 1.5. */
  readonly overdueFactor?: number;
}

/**
 * Classifies the customer's recent activity against their own rhythm. Days are rounded to
 * whole days for display.
 *
 * @throws InvalidModelInputError for an invalid (x, txDays, TDays) or overdueFactor ≤ 0.
 */
export function customerActivityReason(input: CustomerActivityInput): CustomerActivityReason {
  try {
    assertCustomerPurchaseSummary({ x: input.x, tx: input.txDays, T: input.TDays }, null);
  } catch (error) {
    // Report the caller's field names (txDays, TDays), not the model's.
    if (!(error instanceof InvalidModelInputError)) throw error;
    const names: Record<string, string> = { tx: "txDays", T: "TDays" };
    throw new InvalidModelInputError(names[error.field] ?? error.field, null, error.problem.replace("T (tx =", "TDays (txDays =").replace(", T =", ", TDays ="));
  }
  const factor = input.overdueFactor ?? 1.5;
  if (!(factor > 0)) throw new InvalidModelInputError("overdueFactor", null, `must be > 0 (got ${factor})`);
  if (input.x === 0) return { kind: "one-time-buyer", daysSinceFirst: Math.round(input.TDays) };
  const typicalGap = input.txDays / input.x;
  const sinceLast = input.TDays - input.txDays;
  const typicalGapDays = Math.round(typicalGap);
  const daysSinceLast = Math.round(sinceLast);
  return sinceLast > factor * typicalGap
    ? { kind: "overdue", typicalGapDays, daysSinceLast }
    : { kind: "on-schedule", typicalGapDays, daysSinceLast };
}
