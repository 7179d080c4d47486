import type { LifecycleSettings, LifecycleStage } from "./lifecycle-stage";

/**
 * Why a customer is in their lifecycle stage, as data (no wording): the UI and the CLI render
 * it in the reader's language. It is built from exactly the numbers the stage was decided on
 * (METRICS.md "Lifecycle stage"): the days since the last order against the customer's usual
 * gap between purchases (their median gap, or the shop's for one-time buyers) times the
 * settings' factors. So a reason can never contradict its stage: "usually every 42 days; last
 * order 50 days ago" is active at factor 1.5 (50 ≤ 63), and "past their usual rhythm" is said
 * only once the usual gap has gone by.
 */
export type LifecycleReason =
  | { readonly kind: "new-customer"; readonly daysSinceFirstOrder: number; readonly newCustomerDays: number }
  | {
      readonly kind: "rhythm";
      /** Whose rhythm: the customer's own median gap, or the shop's median gap for a one-time buyer. */
      readonly rhythmOf: "customer" | "shop";
      readonly usualGapDays: number;
      readonly daysSinceLastOrder: number;
      /** Days past the usual gap (0 while within it). */
      readonly daysPastRhythm: number;
      /** Days after the last order at which the stage turns slipping away and lost. */
      readonly slippingAfterDays: number;
      readonly lostAfterDays: number;
    };

export interface LifecycleReasonInput {
  readonly stage: LifecycleStage;
  readonly repeatPurchases: number;
  readonly daysSinceFirstOrder: number;
  readonly daysSinceLastOrder: number;
  readonly usualGapDays: number;
}

/** The reason behind `input.stage` under `settings` (the same settings the stage was computed with). */
export function lifecycleReason(input: LifecycleReasonInput, settings: Pick<LifecycleSettings, "newCustomerDays" | "activeFactor" | "lostFactor">): LifecycleReason {
  if (input.stage === "new") return { kind: "new-customer", daysSinceFirstOrder: input.daysSinceFirstOrder, newCustomerDays: settings.newCustomerDays };
  const gap = input.usualGapDays;
  return {
    kind: "rhythm",
    rhythmOf: input.repeatPurchases > 0 ? "customer" : "shop",
    usualGapDays: Math.round(gap),
    daysSinceLastOrder: input.daysSinceLastOrder,
    daysPastRhythm: Math.max(0, Math.round(input.daysSinceLastOrder - gap)),
    slippingAfterDays: Math.floor(settings.activeFactor * gap),
    lostAfterDays: Math.floor(settings.lostFactor * gap),
  };
}
