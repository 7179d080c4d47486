import { describe, expect, it } from "vitest";
import { createTranslator, MESSAGES, SUPPORTED_LOCALES } from "./translate";

const englishKeys = Object.keys(MESSAGES.en).sort();

describe("translation files en.json, nl.json, da.json", () => {
  it.each(SUPPORTED_LOCALES)("%s has exactly the English keys", (locale) => {
    expect(Object.keys(MESSAGES[locale]).sort()).toEqual(englishKeys);
  });

  it.each(SUPPORTED_LOCALES)("%s has no empty values", (locale) => {
    const empty = Object.entries(MESSAGES[locale]).filter(([, text]) => typeof text !== "string" || text.trim() === "");
    expect(empty).toEqual([]);
  });

  it.each(SUPPORTED_LOCALES)("%s uses the same {placeholders} as English in every message", (locale) => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of englishKeys) {
      const k = key as keyof typeof MESSAGES.en;
      expect([key, placeholders(MESSAGES[locale][k])]).toEqual([key, placeholders(MESSAGES.en[k])]);
    }
  });

  it("Dutch and Danish are actually translated, not copies of English", () => {
    // The product name, and words these languages share with English.
    const sameByDesign = new Set([
      "app.name",
      "landing.title",
      "nav.dashboard",
      "dashboard.title",
      "dashboard.install.heading",
      // Seed 000's own words ("Benchmarks", "cohort", "VIP") and notations (2:1, M3).
      "dashboard.v2.benchmarks.title",
      "dashboard.v2.cohorts.cohort",
      "dashboard.v2.type.vip",
      "dashboard.v2.benchmarks.ratio",
      "dashboard.v2.cohorts.monthShort",
      // "Product" is Dutch too (Danish: "Produkt").
      "segmentRule.field.product",
    ]);
    for (const locale of ["nl", "da"] as const) {
      const copied = englishKeys.filter((key) => {
        const k = key as keyof typeof MESSAGES.en;
        return MESSAGES[locale][k] === MESSAGES.en[k] && !sameByDesign.has(key);
      });
      expect(copied).toEqual([]);
    }
  });
});

describe("createTranslator(locale)", () => {
  it("fills placeholders and formats numbers the way the language writes them", () => {
    expect(createTranslator("nl")("dashboard.sync.running", { kind: "Volledige import", done: 1234, total: 50000 })).toBe(
      "Volledige import bezig: 1.234 van 50.000 records.",
    );
    expect(createTranslator("en")("dashboard.sync.running", { kind: "Full import", done: 1234, total: 50000 })).toBe(
      "Full import in progress: 1,234 of 50,000 records.",
    );
  });

  it("speaks the requested language", () => {
    expect(createTranslator("da")("nav.customers")).toBe("Kunder");
    expect(createTranslator("nl")("nav.customers")).toBe("Klanten");
    expect(createTranslator("en")("nav.customers")).toBe("Customers");
  });
});
