import { type LifecycleReason } from "~/analytics/lifecycle/lifecycle-reason";
import type { TranslationKey, TranslationValues } from "~/i18n/translate";

/**
 * The sentence behind a customer's lifecycle stage (customers.reason.* in every language), from
 * the reason the analytics core derives from the same numbers as the stage
 * (app/analytics/lifecycle/lifecycle-reason.ts). "Later than usual" is said only once the usual
 * gap has gone by, never beside a rhythm that is still on time. An order placed on the as-of day
 * was "today", not "0 days ago".
 */
export function lifecycleReasonMessage(reason: LifecycleReason): { key: TranslationKey; values: TranslationValues } {
  if (reason.kind === "new-customer") {
    return reason.daysSinceFirstOrder === 0 ? { key: "customers.reason.newToday", values: {} } : { key: "customers.reason.new", values: { days: reason.daysSinceFirstOrder } };
  }
  if (reason.rhythmOf === "shop") return { key: "customers.reason.oneTime", values: { days: reason.daysSinceLastOrder, gap: reason.usualGapDays } };
  if (reason.daysPastRhythm > 0) {
    return { key: "customers.reason.pastRhythm", values: { gap: reason.usualGapDays, days: reason.daysSinceLastOrder, past: reason.daysPastRhythm } };
  }
  if (reason.daysSinceLastOrder === 0) return { key: "customers.reason.regularToday", values: { gap: reason.usualGapDays } };
  return { key: "customers.reason.regular", values: { gap: reason.usualGapDays, days: reason.daysSinceLastOrder } };
}
