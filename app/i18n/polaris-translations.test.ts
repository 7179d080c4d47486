import { describe, expect, it } from "vitest";
import { polarisTranslations } from "./polaris-translations.server";
import { SUPPORTED_LOCALES } from "./translate";

describe("polarisTranslations(locale): what screen readers hear from Polaris", () => {
  it("reads no hidden tone word after a badge (our badges say what they mean in their own words)", () => {
    for (const locale of SUPPORTED_LOCALES) {
      const labels = polarisTranslations(locale).Polaris.Badge.TONE_LABELS as Record<string, string>;
      expect(Object.values(labels).every((label) => label === ""), locale).toBe(true);
    }
  });

  it("labels sorting in Dutch and Danish without the untranslated direction", () => {
    for (const locale of ["nl", "da"] as const) {
      const label = polarisTranslations(locale).Polaris.DataTable.sortAccessibilityLabel;
      expect(label).not.toContain("{direction}");
    }
    expect(polarisTranslations("nl").Polaris.DataTable.sortAccessibilityLabel).toBe("sorteren");
    // Everything else stays Polaris' own translation.
    expect(polarisTranslations("da").Polaris.DataTable.totalsRowHeading).toBe("I alt");
  });
});
