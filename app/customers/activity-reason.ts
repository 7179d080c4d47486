import type { TranslationKey, TranslationValues } from "~/i18n/translate";

/**
 * The stored plain-language reason of a customer's prediction (written in English by the
 * analytics core, app/analytics/predictions/store-predictions.ts `reasonText`) as a translation
 * key with its numbers, so the sentence can be shown in the merchant's language. Returns null
 * for a reason this version does not recognise (the page then shows the stored text).
 */
export function activityReasonMessage(reason: string): { key: TranslationKey; values: TranslationValues } | null {
  const once = /^ordered once, (\d+) days? ago$/.exec(reason);
  if (once) return { key: "customers.reason.oneTime", values: { days: Number(once[1]) } };
  const regular = /^usually orders every (\d+) days?; last order (\d+) days? ago( \(overdue\))?$/.exec(reason);
  if (regular) {
    return {
      key: regular[3] ? "customers.reason.overdue" : "customers.reason.regular",
      values: { gap: Number(regular[1]), days: Number(regular[2]) },
    };
  }
  return null;
}
