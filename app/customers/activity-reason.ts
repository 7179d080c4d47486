import { type CustomerActivityReason, customerActivityReason } from "~/analytics/models/customer-activity-reason";
import type { TranslationKey, TranslationValues } from "~/i18n/translate";

const DAY_MS = 86_400_000;

/** The stored fields of a customer's score row the reason is derived from. */
export interface StoredPurchaseHistory {
  /** Repeat purchase events (purchase days − 1). */
  readonly x: number;
  /** Shop-local days of the first and last purchase, stored as UTC midnight. */
  readonly firstOrderAt: Date;
  readonly lastOrderAt: Date;
  readonly daysSinceLastOrder: number;
}

/**
 * The plain-language reason behind a customer's churn score, derived from the stored score row
 * (no sentence is stored: the analysis would build one string per customer and the page would
 * parse it back). Same classification as the analytics core's `customerActivityReason`; null
 * when the stored row is not a valid purchase history.
 */
export function storedActivityReason(row: StoredPurchaseHistory): CustomerActivityReason | null {
  const txDays = Math.round((row.lastOrderAt.getTime() - row.firstOrderAt.getTime()) / DAY_MS);
  try {
    return customerActivityReason({ x: row.x, txDays, TDays: txDays + row.daysSinceLastOrder });
  } catch {
    return null;
  }
}

/** The reason as a translation key with its numbers (customers.reason.* in every language). */
export function activityReasonMessage(reason: CustomerActivityReason): { key: TranslationKey; values: TranslationValues } {
  switch (reason.kind) {
    case "one-time-buyer":
      return { key: "customers.reason.oneTime", values: { days: reason.daysSinceFirst } };
    case "overdue":
      return { key: "customers.reason.overdue", values: { gap: reason.typicalGapDays, days: reason.daysSinceLast } };
    case "on-schedule":
      return { key: "customers.reason.regular", values: { gap: reason.typicalGapDays, days: reason.daysSinceLast } };
  }
}
