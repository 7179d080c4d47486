// @vitest-environment happy-dom
/**
 * The customer card as the admin runs it: the module's default export is called with a
 * `shopify` global (the customer page's selection and the admin's i18n over this extension's
 * locales) and a `fetch` that answers like the app's /api/customer-card, and it renders
 * Polaris web components into document.body. Each state is checked in English, Dutch and
 * Danish against the sentences a merchant should read.
 *
 * Shopify's @shopify/ui-extensions-tester does the same set-up, but its only release
 * (2026.7.0) refuses an extension whose api_version is 2026-10 (decision 014-customercard).
 */
import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { CustomerCard } from "../../../app/customers/customer-card-contract.ts";
import { createExtensionI18n, type ExtensionI18n, type ExtensionTranslations } from "../../../tools/shopify-sim/ui-extension-i18n.ts";
import da from "../locales/da.json";
import en from "../locales/en.default.json";
import nl from "../locales/nl.json";

const CUSTOMER = "gid://shopify/Customer/7001";
const LOCALES = { en, nl, da } as Record<string, ExtensionTranslations>;

const base: CustomerCard = {
  state: "profile",
  customerId: CUSTOMER,
  analysedAt: "2026-04-16",
  profileUpdatedAt: null,
  currencyCode: "EUR",
  lifecycleStage: "lost",
  // Every 20 days, last order 45 days ago: lost after 40 days (2 × 20) under the default settings.
  reason: { kind: "rhythm", rhythmOf: "customer", usualGapDays: 20, daysSinceLastOrder: 45, daysPastRhythm: 25, slippingAfterDays: 30, lostAfterDays: 40 },
  churnRisk: "medium",
  lateButLikelyActive: false,
  pAlive: 0.4213,
  predictedClv: { value: 1234.56, low: 617.28, high: 1851.84 },
  nextOrderAt: "2026-05-01",
  rfm: { recency: 2, frequency: 4, monetary: 5, group: "cant-lose" },
  customerGroup: "frequent",
  notEnoughData: [],
  segments: [],
};
const notEnoughData: CustomerCard = {
  ...base,
  state: "not-enough-data",
  churnRisk: null,
  pAlive: null,
  predictedClv: null,
  nextOrderAt: null,
  notEnoughData: [
    { kind: "too-few-repeat-customers", repeatCustomers: 12, required: 50 },
    { kind: "history-too-short", historyDays: 40, required: 90 },
  ],
};
const empty = { ...notEnoughData, lifecycleStage: null, reason: null, rfm: null, customerGroup: null, notEnoughData: [] };
const notImported: CustomerCard = { ...empty, state: "not-imported", analysedAt: null };
const noOrders: CustomerCard = { ...empty, state: "no-orders" };
const unknown: CustomerCard = { ...empty, state: "unknown-customer" };

let i18n: ExtensionI18n;
let fetchMock: ReturnType<typeof vi.fn>;

/** Non-breaking and narrow spaces (Intl's) as plain spaces, runs of whitespace as one. */
const plain = (text: string | null | undefined) => (text ?? "").replace(/[\s\u00a0\u202f]+/g, " ").trim();
const texts = (selector: string) => [...document.body.querySelectorAll(selector)].map((el) => plain(el.textContent));
/** Each figure as "label value" (two s-text blocks, read as two lines on screen). */
const facts = () => [...document.body.querySelectorAll("s-grid > s-stack")].map((el) => [...el.children].map((c) => plain(c.textContent)).join(" "));

async function renderCard(locale: string, answer: { status: number; body: unknown } | Error, selected = [{ id: CUSTOMER }]) {
  i18n = createExtensionI18n(locale, LOCALES[locale], en);
  fetchMock = vi.fn(async () => {
    if (answer instanceof Error) throw answer;
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { "Content-Type": "application/json" } });
  });
  vi.stubGlobal("fetch", fetchMock);
  vi.stubGlobal("shopify", { extension: { target: "admin.customer-details.block.render" }, data: { selected }, i18n });
  const { default: extension } = await import("../src/CustomerCardBlock.tsx");
  await extension();
  // Rendered once the app has answered (the spinner is gone).
  await vi.waitFor(() => expect(document.body.querySelector("s-admin-block s-spinner")).toBeNull(), { timeout: 2000, interval: 5 });
  expect(i18n.missingKeys).toEqual([]);
  return document.body.querySelector("s-admin-block")!;
}

afterEach(() => {
  render(null, document.body);
  vi.unstubAllGlobals();
});

describe("customer card extension", () => {
  it("asks the app for the selected customer with a relative URL (the admin adds the app URL and the token)", async () => {
    await renderCard("en", { status: 200, body: base });
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(fetchMock.mock.calls[0][0]).toBe("/api/customer-card?customerId=gid%3A%2F%2Fshopify%2FCustomer%2F7001&locale=en");
  });

  it.each(["nl", "da"])("asks for segment names in the admin's language (%s)", async (locale) => {
    await renderCard(locale, { status: 200, body: base });
    expect(new URL(fetchMock.mock.calls[0][0], "https://app.example").searchParams.get("locale")).toBe(locale);
  });

  // The app names the segments (built-ins in the requested language); the card lists and links them.
  const segmentCards = {
    en: {
      segments: [
        { id: 12, name: "Lost customers", controlGroup: false },
        { id: 40, name: "Summer sale 2026", controlGroup: true },
      ],
      heading: "Segments",
      shown: ["Lost customers", "Summer sale 2026 (control group, not tagged)"],
      none: "This customer is in none of your segments yet.",
    },
    nl: {
      segments: [
        { id: 12, name: "Verloren klanten", controlGroup: false },
        { id: 40, name: "Zomeractie 2026", controlGroup: true },
      ],
      heading: "Segmenten",
      shown: ["Verloren klanten", "Zomeractie 2026 (controlegroep, krijgt geen tag)"],
      none: "Deze klant zit nog in geen van je segmenten.",
    },
    da: {
      segments: [
        { id: 12, name: "Tabte kunder", controlGroup: false },
        { id: 40, name: "Sommerudsalg 2026", controlGroup: true },
      ],
      heading: "Segmenter",
      shown: ["Tabte kunder", "Sommerudsalg 2026 (kontrolgruppe, får ikke tagget)"],
      none: "Denne kunde er endnu ikke i nogen af dine segmenter.",
    },
  };
  const segmentSection = () => [...document.body.querySelectorAll("s-admin-block > s-stack > s-stack")].find((el) => el.querySelector(":scope > s-text[color=subdued]"))!;

  describe.each(Object.entries(segmentCards))("segments in %s", (locale, expected) => {
    it("lists the segments the customer is in, each linking to its page in the app, the control group said", async () => {
      await renderCard(locale, { status: 200, body: { ...base, segments: expected.segments } });
      const section = segmentSection();
      expect(plain(section.querySelector("s-text")!.textContent)).toBe(expected.heading);
      const links = [...section.querySelectorAll("s-link")];
      expect(links.map((l) => plain(l.textContent))).toEqual(expected.shown);
      expect(links.map((l) => l.getAttribute("href"))).toEqual(["app:app/segments/12", "app:app/segments/40"]);
    });

    it("says so when the customer is in no segment, with predictions or without, and with no orders", async () => {
      for (const body of [base, notEnoughData, noOrders]) {
        await renderCard(locale, { status: 200, body });
        const section = segmentSection();
        expect(texts("s-admin-block > s-stack > s-stack > s-text")).toEqual([expected.heading, expected.none]);
        expect(section.querySelectorAll("s-link")).toHaveLength(0);
        render(null, document.body);
      }
    });
  });

  const profiles = {
    en: {
      heading: "Customer Insights",
      badges: ["Lifecycle stage: Lost", "Churn risk: Medium"],
      reason: "Usually orders every 20 days; last order 45 days ago, 25 days later than usual",
      dailyReason: "Usually orders every day; last order 1 day ago",
      todayReason: "Usually orders every 20 days; last order today",
      facts: [
        "Chance still active 42%",
        "Predicted CLV (12 months) €1,235 (€617 – €1,852)",
        "Next expected order May 1, 2026",
        "RFM group Can't lose · R 2 · F 4 · M 5",
        "Customer group Frequent customers",
      ],
      analysed: "From the analysis of Apr 16, 2026",
      link: "Open in Customer Insights",
      lostButLowRisk: [
        "Lifecycle stage: Lost",
        "Churn risk: Low",
        "Lifecycle stage compares the time since the last order with the customer's usual gap between orders; chance still active also weighs how often the customer has ordered.",
      ],
    },
    nl: {
      heading: "Customer Insights",
      badges: ["Levenscyclusfase: Verloren", "Verlooprisico: Gemiddeld"],
      reason: "Bestelt meestal elke 20 dagen; laatste bestelling 45 dagen geleden, 25 dagen later dan gewoonlijk",
      dailyReason: "Bestelt meestal elke dag; laatste bestelling 1 dag geleden",
      todayReason: "Bestelt meestal elke 20 dagen; laatste bestelling vandaag",
      facts: [
        "Kans nog actief 42%",
        "Voorspelde CLV (12 maanden) € 1.235 (€ 617 – € 1.852)",
        "Volgende verwachte bestelling 1 mei 2026",
        "RFM-groep Niet kwijtraken · R 2 · F 4 · M 5",
        "Klantgroep Frequente klanten",
      ],
      analysed: "Uit de analyse van 16 apr 2026",
      link: "Openen in Customer Insights",
      lostButLowRisk: [
        "Levenscyclusfase: Verloren",
        "Verlooprisico: Laag",
        "De levenscyclusfase vergelijkt de tijd sinds de laatste bestelling met de gebruikelijke tijd tussen de bestellingen van de klant; de kans nog actief weegt ook mee hoe vaak de klant heeft besteld.",
      ],
    },
    da: {
      heading: "Customer Insights",
      badges: ["Livscyklusfase: Tabt", "Frafaldsrisiko: Middel"],
      reason: "Bestiller normalt hver 20. dag; seneste ordre for 45 dage siden, 25 dage senere end normalt",
      dailyReason: "Bestiller normalt hver dag; seneste ordre for 1 dag siden",
      todayReason: "Bestiller normalt hver 20. dag; seneste ordre i dag",
      facts: [
        "Sandsynlighed for stadig aktiv 42 %",
        "Forventet CLV (12 måneder) 1.235 € (617 € – 1.852 €)",
        "Næste forventede ordre 1. maj 2026",
        "RFM-gruppe Må ikke mistes · R 2 · F 4 · M 5",
        "Kundegruppe Hyppige kunder",
      ],
      analysed: "Fra analysen af 16. apr. 2026",
      link: "Åbn i Customer Insights",
      lostButLowRisk: [
        "Livscyklusfase: Tabt",
        "Frafaldsrisiko: Lav",
        "Livscyklusfasen sammenligner tiden siden sidste ordre med kundens sædvanlige tid mellem ordrer; sandsynligheden for stadig aktiv vægter også, hvor ofte kunden har bestilt.",
      ],
    },
  };

  describe.each(Object.entries(profiles))("in %s", (locale, expected) => {
    it("shows the full profile: stage and reason, churn risk, P(alive), CLV with its interval, next order, RFM and group", async () => {
      const block = await renderCard(locale, { status: 200, body: base });
      expect(block.getAttribute("heading")).toBe(expected.heading);
      expect(block.getAttribute("collapsedsummary")).toBe(expected.badges[0].split(": ")[1]);
      expect(texts("s-badge")).toEqual(expected.badges);
      expect(texts("s-paragraph")).toEqual([expected.reason]);
      expect(facts()).toEqual(expected.facts);
      expect(texts("s-admin-block > s-stack > s-text")).toEqual([expected.analysed]);
      const link = block.querySelector("s-link")!;
      expect(plain(link.textContent)).toBe(expected.link);
      expect(link.getAttribute("href")).toBe("app:app/customers?customer=gid%3A%2F%2Fshopify%2FCustomer%2F7001");
    });

    it("writes a count of one in the singular (a daily customer who ordered yesterday)", async () => {
      const daily = { ...base, reason: { ...base.reason, usualGapDays: 1, daysSinceLastOrder: 1, daysPastRhythm: 0 } };
      await renderCard(locale, { status: 200, body: daily });
      expect(texts("s-paragraph")).toEqual([expected.dailyReason]);
    });

    it("says an order of the as-of day was placed today, not 0 days ago", async () => {
      const today = { ...base, reason: { ...base.reason, daysSinceLastOrder: 0, daysPastRhythm: 0 } };
      await renderCard(locale, { status: 200, body: today });
      expect(texts("s-paragraph")).toEqual([expected.todayReason]);
    });

    it("explains a lost stage next to a low churn risk instead of leaving the contradiction", async () => {
      await renderCard(locale, { status: 200, body: { ...base, lifecycleStage: "lost", churnRisk: "low", lateButLikelyActive: true } });
      const [stage, risk, note] = expected.lostButLowRisk;
      expect(texts("s-badge")).toEqual([stage, risk]);
      expect(texts("s-admin-block > s-stack > s-text")).toEqual([note, expected.analysed]);
    });
  });

  const freshness = {
    en: ["Profile updated 12 s ago", "Profile updated 5 min ago", "Profile updated 3 h ago"],
    nl: ["Profiel 12 s geleden bijgewerkt", "Profiel 5 min geleden bijgewerkt", "Profiel 3 uur geleden bijgewerkt"],
    da: ["Profil opdateret for 12 s siden", "Profil opdateret for 5 min. siden", "Profil opdateret for 3 t. siden"],
  };

  describe.each(Object.entries(freshness))("freshness in %s", (locale, [seconds, minutes, hours]) => {
    it("says how long ago the profile was updated (the per-order refresh rewrites it seconds after an order)", async () => {
      const now = Date.parse("2026-04-16T12:00:00Z");
      vi.spyOn(Date, "now").mockReturnValue(now);
      for (const [ago, text] of [[12_000, seconds], [5 * 60_000 + 20_000, minutes], [3 * 3_600_000 + 60_000, hours]] as const) {
        await renderCard(locale, { status: 200, body: { ...base, profileUpdatedAt: new Date(now - ago).toISOString() } });
        expect(texts("s-admin-block > s-stack > s-text")).toContain(text);
        render(null, document.body);
      }
      vi.restoreAllMocks();
    });
  });

  const notEnough = {
    en: {
      badges: ["Lifecycle stage: Lost"],
      reason: "Usually orders every 20 days; last order 45 days ago, 25 days later than usual",
      facts: ["RFM group Can't lose · R 2 · F 4 · M 5", "Customer group Frequent customers"],
      heading: "Not enough data for predictions yet",
      lines: [
        "Churn risk and predicted lifetime value appear once the store's order history is long enough.",
        "Only 12 customers have bought more than once; at least 50 are needed for a reliable prediction.",
        "Your order history covers 40 days; at least 90 are needed.",
      ],
    },
    nl: {
      badges: ["Levenscyclusfase: Verloren"],
      reason: "Bestelt meestal elke 20 dagen; laatste bestelling 45 dagen geleden, 25 dagen later dan gewoonlijk",
      facts: ["RFM-groep Niet kwijtraken · R 2 · F 4 · M 5", "Klantgroep Frequente klanten"],
      heading: "Nog niet genoeg gegevens voor voorspellingen",
      lines: [
        "Verlooprisico en voorspelde klantwaarde verschijnen zodra de bestelgeschiedenis van de winkel lang genoeg is.",
        "Slechts 12 klanten hebben meer dan eens gekocht; er zijn er minstens 50 nodig voor een betrouwbare voorspelling.",
        "Je bestelgeschiedenis beslaat 40 dagen; er zijn er minstens 90 nodig.",
      ],
    },
    da: {
      badges: ["Livscyklusfase: Tabt"],
      reason: "Bestiller normalt hver 20. dag; seneste ordre for 45 dage siden, 25 dage senere end normalt",
      facts: ["RFM-gruppe Må ikke mistes · R 2 · F 4 · M 5", "Kundegruppe Hyppige kunder"],
      heading: "Endnu ikke nok data til forudsigelser",
      lines: [
        "Frafaldsrisiko og forventet livstidsværdi vises, når butikkens ordrehistorik er lang nok.",
        "Kun 12 kunder har købt mere end én gang; der kræves mindst 50 for en pålidelig forudsigelse.",
        "Din ordrehistorik dækker 40 dage; der kræves mindst 90.",
      ],
    },
  };

  describe.each(Object.entries(notEnough))("in %s", (locale, expected) => {
    it("without predictions shows the descriptive scores and why there are no predictions, and no churn figures", async () => {
      const block = await renderCard(locale, { status: 200, body: notEnoughData });
      expect(texts("s-badge")).toEqual(expected.badges);
      expect(texts("s-admin-block > s-stack > s-paragraph")).toEqual([expected.reason]);
      expect(facts()).toEqual(expected.facts);
      const banner = block.querySelector("s-banner")!;
      expect(banner.getAttribute("heading")).toBe(expected.heading);
      expect(texts("s-banner s-paragraph")).toEqual(expected.lines);
      expect(plain(block.textContent)).not.toMatch(/%|€/);
    });
  });

  const notices = {
    en: {
      "not-imported": ["No analysis yet", "Customer Insights has not finished importing this store's customers and orders. This card fills in after the first analysis."],
      "no-orders": ["No orders yet", "This customer had no orders in the analysis of Apr 16, 2026. Their insights appear after their first order."],
      "unknown-customer": ["Customer not in Customer Insights yet", "The app has no record of this customer. New customers appear after the next sync."],
      error: ["Customer insights could not be loaded", "Reload the page to try again."],
    },
    nl: {
      "not-imported": ["Nog geen analyse", "Customer Insights is nog bezig met het importeren van de klanten en bestellingen van deze winkel. Deze kaart vult zich na de eerste analyse."],
      "no-orders": ["Nog geen bestellingen", "Deze klant had geen bestellingen in de analyse van 16 apr 2026. De inzichten verschijnen na de eerste bestelling."],
      "unknown-customer": ["Klant nog niet in Customer Insights", "De app kent deze klant niet. Nieuwe klanten verschijnen na de volgende synchronisatie."],
      error: ["Klantinzichten konden niet worden geladen", "Laad de pagina opnieuw om het nog eens te proberen."],
    },
    da: {
      "not-imported": ["Ingen analyse endnu", "Customer Insights er ikke færdig med at importere butikkens kunder og ordrer. Kortet udfyldes efter den første analyse."],
      "no-orders": ["Ingen ordrer endnu", "Kunden havde ingen ordrer i analysen af 16. apr. 2026. Indsigten vises efter kundens første ordre."],
      "unknown-customer": ["Kunden findes endnu ikke i Customer Insights", "Appen kender ikke denne kunde. Nye kunder vises efter næste synkronisering."],
      error: ["Kundeindsigten kunne ikke hentes", "Genindlæs siden for at prøve igen."],
    },
  };
  const answers = {
    "not-imported": { status: 200, body: notImported },
    "no-orders": { status: 200, body: noOrders },
    "unknown-customer": { status: 404, body: unknown },
    error: { status: 500, body: { error: "boom" } },
  };

  describe.each(Object.entries(notices))("in %s", (locale, expected) => {
    it.each(Object.keys(answers) as (keyof typeof answers)[])("says %s honestly, without figures", async (state) => {
      const block = await renderCard(locale, answers[state]);
      const banner = block.querySelector("s-banner")!;
      expect([banner.getAttribute("heading"), plain(banner.textContent)]).toEqual(expected[state]);
      expect(block.querySelectorAll("s-badge, s-grid")).toHaveLength(0);
      // Only a customer the app has analysed links to the app's page about them.
      expect(block.querySelectorAll("s-link")).toHaveLength(state === "no-orders" ? 1 : 0);
    });
  });

  it("words each kind of lifecycle reason as the Customers page does", async () => {
    const reasons: [CustomerCard["reason"], string][] = [
      [{ kind: "new-customer", daysSinceFirstOrder: 12, newCustomerDays: 30 }, "New customer: first order 12 days ago"],
      [
        { kind: "rhythm", rhythmOf: "shop", usualGapDays: 40, daysSinceLastOrder: 30, daysPastRhythm: 0, slippingAfterDays: 60, lostAfterDays: 80 },
        "Ordered once, 30 days ago; customers of this shop usually reorder within 40 days",
      ],
      [
        { kind: "rhythm", rhythmOf: "customer", usualGapDays: 20, daysSinceLastOrder: 15, daysPastRhythm: 0, slippingAfterDays: 30, lostAfterDays: 40 },
        "Usually orders every 20 days; last order 15 days ago",
      ],
    ];
    for (const [reason, sentence] of reasons) {
      await renderCard("en", { status: 200, body: { ...base, lifecycleStage: "active", reason } });
      expect(texts("s-admin-block > s-stack > s-paragraph")).toEqual([sentence]);
      render(null, document.body);
    }
  });

  it("an unreachable app and an answer that is not a card are errors, not a blank card", async () => {
    for (const answer of [new TypeError("Failed to fetch"), { status: 401, body: { error: "unauthorized" } }, { status: 200, body: { hello: "world" } }]) {
      const block = await renderCard("en", answer);
      expect(block.querySelector("s-banner")!.getAttribute("heading")).toBe("Customer insights could not be loaded");
      render(null, document.body);
    }
  });

  it("with nothing selected it makes no request and says the card could not be loaded", async () => {
    const block = await renderCard("en", { status: 200, body: base }, []);
    expect(fetchMock).not.toHaveBeenCalled();
    expect(block.querySelector("s-banner")!.getAttribute("heading")).toBe("Customer insights could not be loaded");
  });

  it("every locale has the same keys as en.default.json", () => {
    const keys = (node: ExtensionTranslations, prefix = ""): string[] =>
      Object.entries(node).flatMap(([k, v]) => (typeof v === "string" ? [prefix + k] : keys(v, `${prefix}${k}.`)));
    expect(keys(nl).sort()).toEqual(keys(en).sort());
    expect(keys(da).sort()).toEqual(keys(en).sort());
  });
});
