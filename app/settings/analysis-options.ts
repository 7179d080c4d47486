import type { AnalyzeStoreOptions } from "~/analytics/analyze-store";
import type { ShopSettingsValues } from "./schema";

/**
 * The one mapping from a shop's settings to the analysis (issue "Settings that take effect"):
 * every setting that changes a figure reaches `analyzeStore` here and nowhere else, under the
 * core's name for the same thing (Settings `lifecycleActiveFactor` → `lifecycle.activeFactor`,
 * `newCustomerDays` → `lifecycle.newCustomerDays`, `vipShare` → `groups.vipShare`,
 * `monthlyMarketingSpend` → `marketingSpendPerMonth`). The revenue basis picks which stored
 * amount an order's revenue is read from (app/snapshots/load-store-dataset.server.ts), so it is
 * not an analysis option. `tagPrefix` affects no figure.
 *
 * Pure: the as-of date is passed in (the shop-local day the figures are for).
 */
export function analysisOptionsFromSettings(settings: ShopSettingsValues, asOf: string): AnalyzeStoreOptions {
  const spend = Number(settings.monthlyMarketingSpend);
  return {
    asOf,
    lifecycle: {
      newCustomerDays: settings.newCustomerDays,
      activeFactor: settings.lifecycleActiveFactor,
      lostFactor: settings.lifecycleLostFactor,
    },
    groups: { vipShare: settings.vipShare },
    // No spend entered means CAC is unknown, not free: the dashboard then asks for it.
    marketingSpendPerMonth: Number.isFinite(spend) && spend > 0 ? spend : null,
  };
}

/** The settings that change figures, as recorded in a snapshot (so a page can say what the figures were computed with). */
export type AnalysisSettings = Omit<ShopSettingsValues, "tagPrefix">;

export function analysisSettings(settings: ShopSettingsValues): AnalysisSettings {
  const { tagPrefix: _tagPrefix, ...rest } = settings;
  return rest;
}

/** True when a change from `before` to `after` changes any figure (so it must queue a recompute). */
export function settingsChangeFigures(before: ShopSettingsValues, after: ShopSettingsValues): boolean {
  const a = analysisSettings(before);
  const b = analysisSettings(after);
  // "1250.5" and "1250.50" are one amount.
  const same = (key: keyof AnalysisSettings) => (key === "monthlyMarketingSpend" ? Number(a[key]) === Number(b[key]) : a[key] === b[key]);
  return !(Object.keys(a) as (keyof AnalysisSettings)[]).every(same);
}
