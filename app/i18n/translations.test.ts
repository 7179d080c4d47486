import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DEFAULT_PREDICTION_SETTINGS } from "~/analytics/predictions/store-predictions";
import { createTranslator, MESSAGES, PLACEHOLDER, SUPPORTED_LOCALES } from "./translate";

const englishKeys = Object.keys(MESSAGES.en).sort();
const CARD_LOCALES = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../extensions/customer-card/locales");

describe("translation files en.json, nl.json, da.json", () => {
  it.each(SUPPORTED_LOCALES)("%s has exactly the English keys", (locale) => {
    expect(Object.keys(MESSAGES[locale]).sort()).toEqual(englishKeys);
  });

  it.each(SUPPORTED_LOCALES)("%s has no empty values", (locale) => {
    const empty = Object.entries(MESSAGES[locale]).filter(([, text]) => typeof text !== "string" || text.trim() === "");
    expect(empty).toEqual([]);
  });

  it.each(SUPPORTED_LOCALES)("%s uses the same {placeholders} as English in every message", (locale) => {
    // Names, not occurrences: a language may need a count twice ("{count|is|are} skipped") where another does not.
    const placeholders = (text: string) => [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]))].sort();
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
      // A notation: "4,6×" with the locale's decimal comma from the number, not the message.
      "products.crossSell.liftValue",
    ]);
    for (const locale of ["nl", "da"] as const) {
      const copied = englishKeys.filter((key) => {
        const k = key as keyof typeof MESSAGES.en;
        return MESSAGES[locale][k] === MESSAGES.en[k] && !sameByDesign.has(key);
      });
      expect(copied).toEqual([]);
    }
  });
  it("says “segment” only for a merchant's segments, never for customer types, groups or RFM groups (docs/glossary.md)", () => {
    const otherPartitions = ["dashboard.v2.type.", "dashboard.v2.types.", "dashboard.v2.groups.", "customerBase.groups.", "dashboard.v2.rfm.", "dashboard.v2.action.small-vip-segment."];
    for (const locale of SUPPORTED_LOCALES) {
      const misnamed = Object.entries(MESSAGES[locale]).filter(([key, text]) => otherPartitions.some((prefix) => key.startsWith(prefix)) && /segment/i.test(text));
      expect([locale, misnamed]).toEqual([locale, []]);
    }
  });

  it("gives expected orders one horizon in the segment rules, the customers list and the customer page", () => {
    // The profile's expectedOrders is the analysis's forecast over the models' horizon (13 weeks);
    // the rule builder's label is fixed, the list and the page say the stored analysis's horizon.
    const { horizon: weeks, timeUnit } = DEFAULT_PREDICTION_SETTINGS;
    expect(timeUnit).toBe("week");
    const numbers = (text: string) => text.match(/\d+/g);
    for (const locale of SUPPORTED_LOCALES) {
      const t = createTranslator(locale);
      expect(numbers(MESSAGES[locale]["segmentRule.field.expectedOrders"])).toEqual([String(weeks)]);
      expect(numbers(t("customers.column.expectedOrders.weeks", { count: weeks }))).toEqual([String(weeks)]);
      expect(numbers(t("customer.score.expectedOrders.weeks", { count: weeks }))).toEqual([String(weeks)]);
      // Each names the same unit: the rule's label and the list's column word it alike.
      const unit = (text: string) => text.replace(/\d+/g, "").replace(/[^\p{L}]+/gu, " ").trim().split(" ").at(-1);
      expect(unit(MESSAGES[locale]["segmentRule.field.expectedOrders"])).toBe(unit(t("customers.column.expectedOrders.weeks", { count: weeks })));
    }
  });

  it("writes a percent sign in messages as the language's number format writes it beside the figures", () => {
    // "90 % interval" beside "47.2%" in English, "95 %-interval" beside "90%-interval" in Dutch.
    for (const locale of SUPPORTED_LOCALES) {
      const spaced = /\s%$/.test(new Intl.NumberFormat(locale, { style: "percent" }).format(0.1));
      const wrong = spaced ? /[\d}]%/ : /[\d}][ \u00a0]%/;
      const misspaced = Object.entries(MESSAGES[locale]).filter(([, text]) => wrong.test(text));
      expect([locale, misspaced]).toEqual([locale, []]);
    }
  });

  it("names what the customer card shows as the app's customer page does, in every language", () => {
    // The card (an admin extension) has its own locale files; a merchant sees both for one customer.
    const files = { en: "en.default", nl: "nl", da: "da" } as const;
    for (const locale of SUPPORTED_LOCALES) {
      const card = JSON.parse(readFileSync(path.join(CARD_LOCALES, `${files[locale]}.json`), "utf8")) as Record<string, Record<string, string>>;
      const m = MESSAGES[locale] as Record<string, string>;
      // A card section's labels against the app's messages under `prefix`.
      const section = (labels: Record<string, string>, prefix: string) => Object.entries(labels).map(([k, v]): [string, string | undefined, string] => [`${prefix}${k}`, m[`${prefix}${k}`], v]);
      const pairs: [string, string | undefined, string][] = [
        ...section(card.lifecycle, "lifecycle."),
        ...section(card.churnRisk, "churnRisk."),
        ...section(card.group, "group."),
        ...section(card.rfm, "customer.rfmGroup."),
        ["customer.score.churnRisk", m["customer.score.churnRisk"], card.fact.churnRisk],
        ["customer.score.pAlive", m["customer.score.pAlive"], card.fact.pAlive],
        ["customer.score.clv", m["customer.score.clv"], card.fact.clv],
      ];
      expect(pairs.filter(([, app, onCard]) => app !== onCard).map(([key, app, onCard]) => `${locale} ${key}: ${app} ≠ ${onCard}`)).toEqual([]);
    }
  });

  it("names a key figure as its benchmark row does (Dutch: seed 000's own words)", () => {
    for (const locale of SUPPORTED_LOCALES) {
      for (const metric of ["retention-rate", "repeat-purchase-rate"] as const) {
        expect([locale, MESSAGES[locale][`metric.${metric}.name`]]).toEqual([locale, MESSAGES[locale][`dashboard.v2.benchmarks.metric.${metric}`]]);
      }
    }
    expect(MESSAGES.nl["metric.churn-rate-monthly.name"]).toBe(MESSAGES.nl["dashboard.v2.benchmarks.metric.churn-rate-monthly"]);
  });

  it("names a lifecycle stage, the churn risk and a spend tier one way each: on the customer, in the rule builder and in the built-in segment", () => {
    // Dutch once said "Haakt af" on the customer and "Glippen weg" on their segment, and "afhaken"
    // meant both slipping away and churning.
    const stem = (text: string, letters: number) => text.toLowerCase().slice(0, letters);
    for (const locale of SUPPORTED_LOCALES) {
      const m = MESSAGES[locale];
      for (const stage of ["new", "active", "slipping-away", "lost"] as const) {
        const label = m[`lifecycle.${stage}`];
        const letters = Math.min(4, label.length);
        expect([locale, stage, stem(m[`segments.builtin.lifecycle.${stage}`], letters)]).toEqual([locale, stage, stem(label, letters)]);
      }
      expect(m["segments.builtin.lifecycle.slipping-away"]).toBe(m["lifecycle.slipping-away"]);
      const churnRisk = m["customers.column.churnRisk"];
      expect([locale, m["customer.score.churnRisk"], m["segmentRule.field.churnRisk"]]).toEqual([locale, churnRisk, churnRisk]);
      expect(m["segments.builtin.churn.high"].toLowerCase()).toContain(churnRisk.toLowerCase());
      // A spend tier on the customer and the products page, and its segment: "High spend", "High spenders".
      const firstWord = (text: string) => text.split(" ")[0].toLowerCase();
      for (const tier of ["high", "mid", "low"] as const) {
        expect([locale, tier, firstWord(m[`segments.builtin.spend.${tier}`])]).toEqual([locale, tier, firstWord(m[`products.tier.${tier}`])]);
      }
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

  it("writes a count in the singular for one and the plural otherwise, in every language", () => {
    const lastOrder = (locale: (typeof SUPPORTED_LOCALES)[number], days: number) => createTranslator(locale)("customers.reason.regular", { gap: 1, days });
    expect(lastOrder("en", 1)).toBe("Usually orders every day; last order 1 day ago");
    expect(lastOrder("en", 2)).toBe("Usually orders every day; last order 2 days ago");
    expect(lastOrder("nl", 1)).toBe("Bestelt meestal elke dag; laatste bestelling 1 dag geleden");
    expect(lastOrder("nl", 12)).toBe("Bestelt meestal elke dag; laatste bestelling 12 dagen geleden");
    expect(lastOrder("da", 1)).toBe("Bestiller normalt hver dag; seneste ordre for 1 dag siden");
    expect(lastOrder("da", 1200)).toBe("Bestiller normalt hver dag; seneste ordre for 1.200 dage siden");
    expect(createTranslator("en")("segmentPage.members", { count: 1 })).toBe("1 customer");
    // A one-time buyer's order timeline, and one of a regular.
    expect(createTranslator("en")("customer.timeline.summary", { counted: 1, total: 1 })).toBe("1 of 1 order counts in the analysis.");
    expect(createTranslator("nl")("customer.timeline.summary", { counted: 3, total: 4 })).toBe("3 van 4 bestellingen tellen mee in de analyse.");
    expect(createTranslator("nl")("customer.timeline.summary", { counted: 1, total: 1 })).toBe("1 van 1 bestelling telt mee in de analyse.");
    expect(createTranslator("da")("segmentPage.members", { count: 0 })).toBe("0 kunder");
  });

  it("shows every count's number in its plural form somewhere in the message", () => {
    // "every {gap|day|# days}": the singular may leave the number out; "{count|is|are}" may
    // go with another placeholder of the same count that shows it.
    for (const locale of SUPPORTED_LOCALES) {
      for (const [key, text] of Object.entries(MESSAGES[locale])) {
        const all = [...text.matchAll(PLACEHOLDER)];
        for (const name of new Set(all.filter((m) => m[2] !== undefined).map((m) => m[1]))) {
          const shown = all.some((m) => m[1] === name && (m[2] === undefined || m[3].includes("#")));
          expect([locale, key, name, shown]).toEqual([locale, key, name, true]);
        }
      }
    }
  });

  it("speaks the requested language", () => {
    expect(createTranslator("da")("nav.customers")).toBe("Kunder");
    expect(createTranslator("nl")("nav.customers")).toBe("Klanten");
    expect(createTranslator("en")("nav.customers")).toBe("Customers");
  });
});
