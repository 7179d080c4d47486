import type { ModelReadinessReason } from "~/analytics/models/model-readiness";
import type { Translate } from "~/i18n/translate";

/** Why there are no predictions, in the admin's language (the dashboard's sentences). */
export function readinessMessage(t: Translate, details: readonly ModelReadinessReason[]): string {
  if (details.length === 0) return t("dashboard.models.insufficient");
  return details
    .map((reason) =>
      reason.kind === "too-few-repeat-customers"
        ? t("dashboard.models.tooFewRepeat", { count: reason.repeatCustomers, required: reason.required })
        : t("dashboard.models.historyTooShort", { days: reason.historyDays, required: reason.required }),
    )
    .join(" ");
}
