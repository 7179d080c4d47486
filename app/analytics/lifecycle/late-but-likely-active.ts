import type { ChurnRisk } from "../scores/customer-score-rows";
import type { LifecycleStage } from "./lifecycle-stage";

/**
 * Whether a customer is late by their lifecycle stage (slipping away or lost) and yet likely
 * still active by the purchase model (low churn risk). Both are right by their own definitions
 * (METRICS.md "Lifecycle stage", "P(alive)"): the stage compares the days since the last order
 * with the customer's usual gap alone, while P(alive) also weighs how many orders they placed, so
 * a frequent buyer's pause reads as a pause. The customer page explains the two where they meet.
 */
export function lateButLikelyActive(stage: LifecycleStage, churnRisk: ChurnRisk | null): boolean {
  return (stage === "slipping-away" || stage === "lost") && churnRisk === "low";
}
