import { AppProvider } from "@shopify/polaris";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { figureFormat } from "~/components/figure-format";
import { I18nProvider } from "~/i18n/i18n-context";
import { CohortCharts, RfmCharts } from "./dashboard-charts";

/** Server-rendered markup of `charts` inside the app's providers, no-break spaces as plain ones. */
const inProviders = (locale: "en" | "nl" | "da", charts: ReturnType<typeof createElement>) =>
  renderToStaticMarkup(createElement(AppProvider, { i18n: {} }, createElement(I18nProvider, { locale, children: charts }))).replace(/\u00a0/g, " ");

/** The RFM cards as the dashboard renders them on the server, in `locale`. */
function render(locale: "en" | "nl" | "da", rings: { r: number[]; f: number[]; m: number[] }): string {
  const valueFrequency = [5, 4, 3, 2, 1].map((m) => ({ m, counts: [0, 0, 0, 0, 0] }));
  return inProviders(locale, createElement(RfmCharts, { rfm: { rings, valueFrequency } as never, format: figureFormat(locale, "EUR") }));
}

describe("the RFM cards", () => {
  it("say in each language why a frequency score holds nobody: over half ordered once and share score 1", () => {
    const rings = { r: [20, 20, 20, 20, 20], f: [53, 0, 20, 10, 17], m: [20, 20, 20, 20, 20] };
    const expected = {
      en: "No customer has frequency score 2. Customers with the same number of orders always share one score, and 53.0% of your customers have score 1.",
      nl: "Geen enkele klant heeft frequentiescore 2. Klanten met hetzelfde aantal bestellingen delen altijd één score, en 53,0% van je klanten heeft score 1.",
      da: "Ingen kunde har frekvensscore 2. Kunder med samme antal ordrer deler altid én score, og 53,0 % af dine kunder har score 1.",
    };
    for (const locale of ["en", "nl", "da"] as const) {
      const html = render(locale, rings);
      // Once under the rings, once under the value × frequency matrix.
      expect(html.split(expected[locale]).length - 1).toBe(2);
      expect(html.match(/data-skipped-scores="f:2-2"/g)).toHaveLength(2);
    }
  });

  it("say nothing when every score holds customers, and name a run of skipped scores once", () => {
    expect(render("en", { r: [20, 20, 20, 20, 20], f: [20, 20, 20, 20, 20], m: [20, 20, 20, 20, 20] })).not.toContain("data-skipped-scores");
    const html = render("en", { r: [70, 0, 0, 10, 20], f: [20, 20, 20, 20, 20], m: [20, 20, 20, 20, 20] });
    // Recency shows under the rings only (the matrix is value × frequency).
    expect(html.match(/data-skipped-scores="r:2-3"/g)).toHaveLength(1);
    expect(html).toContain("No customer has recency score 2–3.");
  });
});

/** `count` monthly cohorts ending in 2026-11, each with its retention known up to the months that have ended by then. */
function cohortsUpTo(count: number) {
  return Array.from({ length: count }, (_, i) => {
    const monthsBefore = count - 1 - i; // months from this cohort to 2026-11
    const month = new Date(Date.UTC(2026, 10 - monthsBefore, 1)).toISOString().slice(0, 7);
    return {
      cohort: month,
      size: 100,
      retention: Array.from({ length: 13 }, (_, k) => ({ monthsAfter: k, share: k <= monthsBefore ? 0.2 : null, incomplete: k > monthsBefore })),
    };
  });
}

describe("the cohort retention bars", () => {
  const renderCohorts = (locale: "en" | "nl" | "da", count: number) =>
    inProviders(locale, createElement(CohortCharts, { cohorts: cohortsUpTo(count), format: figureFormat(locale, "EUR") }));

  it("tell a shop with older cohorts that the 12 newest are too young for their 12-month bars, and where those figures are", () => {
    // Two years of cohorts: the bars show the newest 12, none a year old; the heat-map has older ones at M12.
    expect(renderCohorts("en", 24)).toContain("These 12 newest cohorts are too young yet for retention after 12 months; the heat-map below shows it for older cohorts.");
    expect(renderCohorts("nl", 24)).toContain("Deze 12 nieuwste cohorten zijn nog te jong voor retentie na 12 maanden");
    expect(renderCohorts("da", 24)).toContain("Disse 12 nyeste kohorter er endnu for unge til fastholdelse efter 12 måneder");
    expect(renderCohorts("en", 24)).not.toContain("Not enough history");
  });

  it("tell a young shop which horizon it has not reached yet", () => {
    // Five cohorts: the oldest has its 4-month retention, so 1 and 3 months are drawn and 6 is the first missing.
    const html = renderCohorts("en", 5);
    expect(html).toContain("Not enough history yet for retention after 6 months: those bars appear once the months have passed.");
    expect(html).not.toContain("too young");
  });
});
