import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, formValuesInLocale, parseSettingsForm, settingsToFormValues, type ShopSettingsValues } from "./schema";

const stored: ShopSettingsValues = { ...DEFAULT_SETTINGS, vipShare: 0.125, lifecycleActiveFactor: 1.5, lifecycleLostFactor: 2.75, monthlyMarketingSpend: "1250.50" };

describe("the settings form in the admin's language", () => {
  it("writes decimals with the language's separator: 1,5 in Dutch and Danish, 1.5 in English", () => {
    expect(formValuesInLocale(settingsToFormValues(stored), "da")).toMatchObject({ vipSharePercent: "12,5", lifecycleActiveFactor: "1,5", lifecycleLostFactor: "2,75", monthlyMarketingSpend: "1250,50", newCustomerDays: "30" });
    expect(formValuesInLocale(settingsToFormValues(stored), "nl")).toMatchObject({ lifecycleActiveFactor: "1,5" });
    expect(formValuesInLocale(settingsToFormValues(stored), "en")).toMatchObject({ lifecycleActiveFactor: "1.5", monthlyMarketingSpend: "1250.50" });
  });

  it("reads the form back as the settings it shows, in every language: saving it unchanged changes nothing", () => {
    for (const locale of ["en", "nl", "da"]) {
      const parsed = parseSettingsForm({ ...formValuesInLocale(settingsToFormValues(stored), locale) });
      expect([locale, parsed]).toEqual([locale, { ok: true, settings: stored }]);
    }
  });
});
