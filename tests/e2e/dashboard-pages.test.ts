/**
 * The dashboard and customer base pages of the built app in Chromium, fed by a real stored
 * analysis: a synthetic store's orders are written into the database, the app's recompute job
 * analyses them and stores the snapshot, and the pages must show exactly the snapshot's figures
 * in English, Dutch and Danish, draw every chart, change figures and comparison period with the
 * period choice (a custom range computed from the orders must equal the stored preset of the
 * same days), move the import progress and show the first figures without a reload, and pass
 * axe-core without a serious or critical violation on every app page.
 */
import axe from "axe-core";
import { INSIGHT_PAGE_PATHS } from "./insight-pages";
import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYNTHETIC_AS_OF } from "~/analytics/testing/synthetic-store";
import { GROWTH_CHART_MONTHS } from "~/components/dashboard/dashboard-charts";
import { createTranslator } from "~/i18n/translate";
import { skippedRfmScores } from "~/dashboard/empty-rfm-scores";
import { recomputeShop } from "~/jobs/handlers/recompute";
import { refreshSegmentMemberships } from "~/segments/refresh-memberships.server";
import type { SnapshotDocument } from "~/snapshots/snapshot-document";
import { TEST_API_KEY, TEST_API_SECRET } from "../app/session-token";
import { seedSyntheticStore } from "../db/seed-synthetic-store";
import { createTestDatabase, testSyncContext, type TestDatabase } from "../db/test-database";
import { buildApp, cutChartLabels, freePort, launchChromium, openEmbeddedPage, ROOT, startServer, type RunningServer } from "./app-server";

const SHOP = "e2e-dashboard.myshopify.com";
const IMPORT_SHOP = "e2e-importing.myshopify.com";
/** A shop whose import finished before checks for missed changes ran, one per language. */
const checkedShop = (locale: string) => `e2e-checked-${locale}.myshopify.com`;
const CHECKED_SHOP_ZONE = "Europe/Copenhagen";
const LOCALES = ["en", "nl", "da"] as const;
/** `UPDATE_SCREENSHOTS=1` rewrites the README's screenshots from this run. */
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === "1" ? path.join(ROOT, "docs/screenshots") : path.join(ROOT, ".cache/e2e");

/**
 * Every page of the app the accessibility check opens: add a page here when it is added to the
 * app (the insights pages at merge).
 */
/** Every page of the app that a merchant opens from the navigation (the insight pages from their own list). */
export const A11Y_PAGES = ["/app", "/app/customer-base", "/app/customers", "/app/segments", "/app/segments/new", ...INSIGHT_PAGE_PATHS, "/app/settings"] as const;

const HEADINGS = {
  en: { dashboard: "Dashboard", customerBase: "Customer base", period: "Period", first: "First day", last: "Last day", apply: "Show figures" },
  nl: { dashboard: "Dashboard", customerBase: "Klantenbestand", period: "Periode", first: "Eerste dag", last: "Laatste dag", apply: "Cijfers tonen" },
  da: { dashboard: "Dashboard", customerBase: "Kundebase", period: "Periode", first: "Første dag", last: "Sidste dag", apply: "Vis tal" },
} as const;

// Formats of the admin's locale, written here independently of the app's own formatter.
const count = (locale: string, v: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(v);
const day = (locale: string, iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`));
// Intl puts narrow no-break spaces in some locales; the page's text content has the same characters.
const text = async (page: Page, selector: string) => (await page.locator(selector).first().textContent())?.trim() ?? null;

let db: TestDatabase;
let server: RunningServer;
let browser: Browser;
let stored: SnapshotDocument;
let storedSnapshotData: string;

beforeAll(async () => {
  if (process.env.TEST_BROWSER === "0") return;
  await buildApp();
  db = await createTestDatabase("sqlite");
  await seedSyntheticStore(db, SHOP, 20_000);
  await db.prisma.shop.update({ where: { shop: SHOP }, data: { currencyCode: "EUR", hasAllOrdersAccess: true, grantedScopes: "read_orders,read_all_orders" } });
  // The app's own recompute job writes the snapshot the pages read.
  const { ctx } = testSyncContext(db);
  const result = await recomputeShop(ctx, SHOP, { asOf: new Date(`${SYNTHETIC_AS_OF}T12:00:00Z`) });
  const snapshot = await db.prisma.analysisSnapshot.findUniqueOrThrow({ where: { id: result!.snapshotId } });
  storedSnapshotData = snapshot.data;
  stored = JSON.parse(snapshot.data) as SnapshotDocument;
  // The built-in segments and their members, as the job after each recompute stores them.
  await refreshSegmentMemberships(ctx, SHOP);
  await db.prisma.shop.create({ data: { shop: IMPORT_SHOP, currencyCode: "EUR", hasAllOrdersAccess: true } });
  for (const locale of LOCALES) await db.prisma.shop.create({ data: { shop: checkedShop(locale), currencyCode: "EUR", ianaTimezone: CHECKED_SHOP_ZONE, hasAllOrdersAccess: true } });
  for (const shop of [SHOP, IMPORT_SHOP, ...LOCALES.map(checkedShop)]) {
    await db.prisma.session.create({
      data: {
        id: `offline_${shop}`,
        shop,
        state: "",
        isOnline: false,
        scope: "read_customers,write_customers,read_orders,read_all_orders,read_products",
        accessToken: "shpat_e2e",
        expires: new Date(Date.now() + 60 * 60 * 1000),
        refreshToken: "shprt_e2e",
        refreshTokenExpires: new Date(Date.now() + 24 * 60 * 60 * 1000),
      },
    });
  }
  const port = await freePort();
  server = await startServer(
    { NODE_ENV: "production", SHOPIFY_API_KEY: TEST_API_KEY, SHOPIFY_API_SECRET: TEST_API_SECRET, SHOPIFY_APP_URL: `http://127.0.0.1:${port}`, DATABASE_URL: db.config.url },
    port,
  );
  browser = await launchChromium();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await db?.drop();
});

const embeddedPage = (pathname: string, locale: string, shop = SHOP, search = "", timezoneId?: string): Promise<Page> =>
  openEmbeddedPage(browser, server, pathname, { shop, locale, search, timezoneId });

/** Resolves once every path of the growth chart keeps its shape over three polls 250 ms apart. */
async function growthChartSettled(page: Page) {
  const geometry = () => page.locator('[data-chart="growth"] svg path').evaluateAll((paths) => paths.map((p) => `${p.getAttribute("d")}|${p.getAttribute("transform")}|${p.getBoundingClientRect().top.toFixed(1)}`).join(";"));
  let last = "";
  let unchanged = 0;
  for (let poll = 0; poll < 80 && unchanged < 3; poll += 1) {
    await page.waitForTimeout(250);
    const now = await geometry();
    unchanged = now === last ? unchanged + 1 : 0;
    last = now;
  }
  expect(unchanged, "the growth chart kept moving for 20 s").toBe(3);
}

describe.skipIf(process.env.TEST_BROWSER === "0")("the dashboard and customer base in Chromium", () => {
  it.each(LOCALES)("shows the stored figures and draws every dashboard chart in %s", async (locale) => {
    const page = await embeddedPage("/app", locale);
    await expect(page.getByRole("heading", { level: 1, name: HEADINGS[locale].dashboard }).isVisible()).resolves.toBe(true);
    const figures = stored.analysis.metrics.figures;
    expect(await text(page, '[data-metric="total-customers"]')).toBe(count(locale, figures["total-customers"].value!));
    expect(await text(page, '[data-metric="new-customers"]')).toBe(count(locale, figures["new-customers"].value!));
    expect(await text(page, '[data-metric="ltv"]')).toBe(new Intl.NumberFormat(locale, { style: "currency", currency: "EUR" }).format(figures.ltv.value!));
    // polaris-viz charts are drawn (axis labels exist once the chart has measured itself and
    // drawn its marks; the legend's icons alone do not count), our own SVGs one mark per figure.
    for (const chart of ["growth", "cohort-bars"]) {
      await page.locator(`[data-chart="${chart}"] svg text`).first().waitFor({ timeout: 15_000 });
    }
    await expect(page.locator('[data-chart="growth"] svg path').count()).resolves.toBeGreaterThanOrEqual(2);
    // Every month the growth chart draws is named under its bar, in the admin's language
    // (polaris-viz drops them all when they get too narrow: the chart had no month names).
    const drawnMonths = stored.analysis.series.growth.filter((p) => !p.incomplete).slice(-GROWTH_CHART_MONTHS);
    const monthName = new Intl.DateTimeFormat(locale, { month: "short", year: "numeric", timeZone: "UTC" });
    const growthTexts = await page.locator('[data-chart="growth"] svg text').allTextContents();
    for (const p of drawnMonths) expect(growthTexts).toContain(monthName.format(new Date(`${p.month}-01T00:00:00Z`)));
    // No label cut short ("6. mar. 20…"): polaris-viz cuts one it finds too long for its bar.
    await expect(cutChartLabels(page, '[data-chart="growth"] svg text, [data-chart="cohort-bars"] svg text')).resolves.toEqual([]);
    await expect(page.locator('[data-chart="customer-types"] path').count()).resolves.toBeGreaterThanOrEqual(4);
    await expect(page.locator('[data-chart="rfm-rings"] path').count()).resolves.toBe(15);
    await expect(page.locator('[data-chart="value-frequency"] rect').count()).resolves.toBe(25);
    await expect(page.locator('[data-chart="cohort-heatmap"] tbody tr').count()).resolves.toBe(stored.analysis.cohorts.length);
    // The rings' shares are the snapshot's: recency score 5 of all scored customers.
    const r = stored.analysis.rfm.rings.r;
    const share5 = Number(await page.locator('[data-chart="rfm-rings"] path[data-score="5"]').first().getAttribute("data-share"));
    expect(share5).toBeCloseTo(r[4] / r.reduce((s, c) => s + c, 0), 4);
    // Only the scores that hold nobody are explained (rfm-charts.test.ts shows the sentences).
    const explained = await page.locator("[data-skipped-scores]").evaluateAll((notes) => notes.map((n) => n.getAttribute("data-skipped-scores")).sort());
    const rings = stored.analysis.rfm.rings;
    const skipped = (["r", "f", "f", "m", "m"] as const).flatMap((d) => skippedRfmScores(rings[d]).map((s) => `${d}:${s.from}-${s.to}`)).sort();
    expect(explained).toEqual(skipped);
    // The growth chart's table alternative (what a screen reader reads) holds the stored series.
    const lastMonth = stored.analysis.series.growth.filter((p) => !p.incomplete).at(-1)!;
    await expect(page.locator("table caption").filter({ hasText: /./ }).count()).resolves.toBeGreaterThan(0);
    await expect(page.locator("table").filter({ hasText: count(locale, lastMonth.totalCustomers) }).count()).resolves.toBeGreaterThan(0);
    // Benchmarks and actions: the snapshot's repeat rate, every action linking to its segment.
    const repeat = stored.analysis.metrics.figures["repeat-purchase-rate"].value!;
    expect(await text(page, '[data-benchmark="repeat-purchase-rate"]')).toBe(new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(repeat));
    for (const action of stored.analysis.actions) {
      await expect(page.locator(`a[data-action="${action.id}"]`).getAttribute("href")).resolves.toBe(`/app/segments/from-action/${action.id}`);
    }
    // polaris-viz animates its marks into place: the committed screenshot once caught the total
    // line above the plot. Wait until the growth chart's geometry stops changing.
    await growthChartSettled(page);
    // Every mark of the growth card is drawn inside it: polaris-viz's dual-axis chart once drew
    // the running total above its plot, past the top of its own axis.
    const outside = await page.locator('[data-chart="growth"]').evaluate((card) => {
      const box = card.getBoundingClientRect();
      return [...card.querySelectorAll("svg path")].map((p) => p.getBoundingClientRect()).filter((r) => r.width > 0 && (r.top < box.top - 1 || r.bottom > box.bottom + 1)).length;
    });
    expect(outside).toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, `dashboard-${locale}.png`), fullPage: true });
    await page.close();
  }, 60_000);

  it("changes the figures and the comparison period with the period choice; a custom range equals the preset of the same days", async () => {
    const page = await embeddedPage("/app", "en");
    const byPeriod = stored.analysis.metricsByPeriod!;
    const keys = ["total-customers", "new-customers", "ltv", "repeat-purchase-rate", "retention-rate", "churn-rate-monthly", "aov", "orders-per-customer", "guest-order-share"];
    const shownFigures = async () => Promise.all(keys.map((k) => text(page, `[data-metric="${k}"]`)));

    await page.getByLabel(HEADINGS.en.period).selectOption("30d");
    const thirty = byPeriod["30d"];
    await page.waitForFunction((expected) => document.querySelector('[data-metric="total-customers"]')?.textContent === expected, count("en", thirty.figures["total-customers"].value!));
    expect(page.url()).toContain("period=30d");
    await page.getByText(`${day("en", thirty.previousPeriod!.start)} – ${day("en", thirty.previousPeriod!.end)}`, { exact: false }).waitFor();
    const presetFigures = await shownFigures();
    // 30 days differ from the default 90.
    expect(count("en", thirty.figures["new-customers"].value!)).not.toBe(count("en", stored.analysis.metrics.figures["new-customers"].value!));

    await page.getByLabel(HEADINGS.en.period).selectOption("all");
    await page.waitForFunction((expected) => document.querySelector('[data-metric="total-customers"]')?.textContent === expected, count("en", byPeriod.all.figures["total-customers"].value!));
    await page.getByText("There is no previous period to compare with.").waitFor();

    // The same 30 days as a custom range: computed from the orders now, it must match what the recompute stored.
    await page.getByLabel(HEADINGS.en.period).selectOption("custom");
    await page.getByLabel(HEADINGS.en.first).fill(thirty.period.start);
    await page.getByLabel(HEADINGS.en.last).fill(thirty.period.end);
    await page.getByRole("button", { name: HEADINGS.en.apply }).click();
    await page.waitForURL(/period=custom/);
    await page.waitForFunction((expected) => document.querySelector('[data-metric="total-customers"]')?.textContent === expected, count("en", thirty.figures["total-customers"].value!));
    expect(await shownFigures()).toEqual(presetFigures);

    // A range ending before it starts is the field's error, not a failed page.
    await page.getByLabel(HEADINGS.en.first).fill("2024-12-20");
    await page.getByLabel(HEADINGS.en.last).fill("2024-12-10");
    await page.getByRole("button", { name: HEADINGS.en.apply }).click();
    await page.getByText("The last day cannot be before the first day.").waitFor();
    await expect(page.getByLabel(HEADINGS.en.last).getAttribute("aria-invalid")).resolves.toBe("true");
    await page.close();
  }, 90_000);

  it.each(LOCALES)("shows the customer base's groups, active customers and lifecycle bars from the snapshot in %s", async (locale) => {
    const page = await embeddedPage("/app/customer-base", locale);
    await expect(page.getByRole("heading", { level: 1, name: HEADINGS[locale].customerBase }).isVisible()).resolves.toBe(true);
    for (const group of stored.analysis.groups.metrics) {
      expect(await text(page, `[data-group-count="${group.group}"]`)).toBe(count(locale, group.customers));
    }
    const now = stored.analysis.series.activeCustomers.find((a) => a.monthsAgo === 0)!;
    expect(await text(page, '[data-active-months-ago="0"]')).toBe(count(locale, now.active));
    const yearAgo = stored.analysis.series.activeCustomers.find((a) => a.monthsAgo === 12)!;
    expect(await text(page, '[data-active-months-ago="12"]')).toBe(count(locale, yearAgo.active));
    await page.locator('[data-chart="lifecycle"] svg text').first().waitFor({ timeout: 15_000 });
    const all = Number(await page.locator("[data-lifecycle-points]").getAttribute("data-lifecycle-points"));
    expect(all).toBe(stored.analysis.series.lifecycle.length);
    // The axis names each bar's month in full: whole dates were cut short ("6. mar. 20…") beside 24 bars.
    await expect(cutChartLabels(page, '[data-chart="lifecycle"] svg text')).resolves.toEqual([]);
    const labels = await page.locator('[data-chart="lifecycle"] svg text').allTextContents();
    const lastDate = stored.analysis.series.lifecycle.at(-1)!.date;
    const lastMonth = new Intl.DateTimeFormat(locale, { month: "short", year: "numeric", timeZone: "UTC" }).format(new Date(`${lastDate}T00:00:00Z`));
    expect(labels).toContain(lastMonth);
    await page.locator("select").last().selectOption("3m");
    await page.waitForFunction(() => document.querySelector("[data-lifecycle-points]")?.getAttribute("data-lifecycle-points") === "4");
    await page.screenshot({ path: path.join(SCREENSHOTS, `customer-base-${locale}.png`), fullPage: true });
    await page.close();
  }, 60_000);

  it("shows the import starting, its progress moving and the first figures, without a reload", async () => {
    // A first page that came before the install's import started (two requests of one install race).
    const page = await embeddedPage("/app", "en", IMPORT_SHOP);
    await page.getByText("No import has run yet.", { exact: false }).waitFor();
    const run = await db.prisma.syncRun.create({
      data: { shop: IMPORT_SHOP, kind: "backfill", status: "running", objectsDone: 100, objectsTotal: 1000, startedAt: new Date(Date.now() - 20_000) },
    });
    await page.getByText("Full import in progress: 100 of 1,000 records.").waitFor({ timeout: 15_000 });
    expect(await page.locator("[data-import-progress]").getAttribute("data-import-progress")).toBe("100");
    await page.getByText(/About .* left at the current pace\./).waitFor();
    await db.prisma.syncRun.update({ where: { id: run.id }, data: { objectsDone: 333 } });
    await page.waitForFunction(() => document.querySelector("[data-import-progress]")?.getAttribute("data-import-progress") === "333", undefined, { timeout: 15_000 });
    // The bar's value and its label (read out by screen readers) in whole percents, not "33.300000000000004%".
    expect(await page.locator("progress").getAttribute("value")).toBe("33");
    expect(await page.locator("progress").locator("xpath=..").innerText()).toContain("33%");
    // The import ends; its analysis is computed and stored a little later.
    await db.prisma.syncRun.update({ where: { id: run.id }, data: { objectsDone: 1000, status: "completed", finishedAt: new Date() } });
    await page.getByText("Full import finished", { exact: false }).waitFor({ timeout: 15_000 });
    await db.prisma.analysisSnapshot.create({
      data: { shop: IMPORT_SHOP, asOf: new Date(`${SYNTHETIC_AS_OF}T00:00:00Z`), customers: stored.analysis.customers, orders: stored.analysis.orders, version: (await db.prisma.analysisSnapshot.findFirstOrThrow({ where: { shop: SHOP } })).version, completedAt: new Date(), data: storedSnapshotData },
    });
    await page.waitForFunction(
      (expected) => document.querySelector('[data-metric="total-customers"]')?.textContent === expected,
      count("en", stored.analysis.metrics.figures["total-customers"].value!),
      { timeout: 15_000 },
    );
    await page.close();
  }, 90_000);

  it.each(LOCALES)("keeps the finished import in view beside the latest check for missed changes in %s", async (locale) => {
    const shop = checkedShop(locale);
    await db.prisma.syncRun.create({ data: { shop, kind: "backfill", status: "completed", objectsDone: 26_904, objectsTotal: 26_904, startedAt: new Date(Date.now() - 3_600_000), finishedAt: new Date(Date.now() - 3_500_000) } });
    const finishedAt = new Date(Date.now() - 55_000);
    const check = await db.prisma.syncRun.create({ data: { shop, kind: "reconcile", status: "completed", objectsDone: 0, objectsTotal: 0, startedAt: new Date(Date.now() - 60_000), finishedAt } });
    const t = createTranslator(locale);
    const importLine = t("dashboard.sync.completed", { kind: t("dashboard.sync.kind.backfill"), date: "", done: count(locale, 26_904) }).split(": ").pop()!;
    // A merchant on the other side of the world: the check's time is the shop's, on the server's
    // page and after hydration alike (the computer's own zone made React discard the page).
    const errors: string[] = [];
    let page = await openEmbeddedPage(browser, server, "/app", { shop, locale, timezoneId: "Pacific/Auckland", hydrationWarnings: errors });
    await page.getByText(importLine, { exact: false }).waitFor();
    await page.getByText(t("dashboard.sync.check.nothingChanged", { date: "" }).split(": ").pop()!, { exact: false }).waitFor();
    const shopTime = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeStyle: "short", timeZone: CHECKED_SHOP_ZONE }).format(finishedAt);
    await page.getByText(shopTime, { exact: false }).waitFor();
    await page.reload();
    await page.waitForFunction(() => (window as unknown as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized === true);
    await page.getByText(shopTime, { exact: false }).waitFor();
    expect(errors).toEqual([]);
    await page.close();
    // A check that read changed records says how many; one that failed says why, in red.
    await db.prisma.syncRun.update({ where: { id: check.id }, data: { objectsDone: 3, objectsTotal: 3 } });
    page = await embeddedPage("/app", locale, shop);
    await page.getByText(t("dashboard.sync.check.completed", { date: "", count: 3 }).split(": ").pop()!, { exact: false }).waitFor();
    await page.getByText(importLine, { exact: false }).waitFor();
    await page.close();
    await db.prisma.syncRun.create({ data: { shop, kind: "reconcile", status: "failed", error: "Shopify answered 503", startedAt: new Date(Date.now() - 10_000), finishedAt: new Date(Date.now() - 9_000) } });
    page = await embeddedPage("/app", locale, shop);
    await page.getByText("Shopify answered 503", { exact: false }).waitFor();
    await page.getByText(importLine, { exact: false }).waitFor();
    await page.close();
  }, 60_000);

  it.each(A11Y_PAGES)("draws %s in a browser in another time zone as the server did (no hydration mismatch)", async (pathname) => {
    const warnings: string[] = [];
    const page = await openEmbeddedPage(browser, server, pathname, { shop: SHOP, locale: "da", timezoneId: "Pacific/Auckland", hydrationWarnings: warnings });
    await page.waitForLoadState("networkidle");
    expect(warnings).toEqual([]);
    await page.close();
  });

  it.each(A11Y_PAGES)("finds no accessibility violation on %s, of any impact (axe-core)", async (pathname) => {
    for (const locale of pathname === "/app" ? LOCALES : (["en"] as const)) {
      const page = await embeddedPage(pathname, locale);
      await page.waitForLoadState("networkidle");
      await page.addScriptTag({ content: axe.source });
      const violations = await page.evaluate(async () => {
        const result = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ["violations"] });
        return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
      });
      expect(violations, `${pathname} (${locale})`).toEqual([]);
      await page.close();
    }
  }, 90_000);

  it("finds no accessibility violation of any impact on a customer's page and a segment's pages (axe-core)", async () => {
    const vip = await db.prisma.segment.findFirstOrThrow({ where: { shop: SHOP, builtinKey: "group:vip" }, select: { id: true } });
    const member = await db.prisma.segmentMembership.findFirstOrThrow({ where: { segmentId: vip.id }, select: { customerShopifyId: true } });
    const pages = [
      `/app/customers/${member.customerShopifyId.split("/").pop()}`,
      `/app/segments/${vip.id}`,
      `/app/segments/${vip.id}/push`,
    ];
    for (const pathname of pages) {
      const page = await embeddedPage(pathname, "en");
      await page.waitForLoadState("networkidle");
      await page.addScriptTag({ content: axe.source });
      const violations = await page.evaluate(async () => {
        const result = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ["violations"] });
        return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
      });
      expect(violations, pathname).toEqual([]);
      await page.close();
    }
  }, 120_000);

  it("says on a page besides the home page that the figures are being recalculated, drops it by itself once they are stored, and says when the update failed", async () => {
    const current = await db.prisma.analysisSnapshot.findFirstOrThrow({ where: { shop: SHOP, completedAt: { not: null } }, orderBy: { id: "desc" } });
    const stored = current.completedAt!;
    try {
      // A setting changed after the figures were stored: the page says so, in the admin's language.
      await db.prisma.shop.update({ where: { shop: SHOP }, data: { analysisRequestedAt: new Date() } });
      const page = await embeddedPage("/app/customers", "nl");
      const banner = page.locator('[data-analysis-status="recalculating"]');
      await expect(banner.textContent()).resolves.toContain("De cijfers worden opnieuw berekend");
      await page.screenshot({ path: path.join(SCREENSHOTS, "customers-recalculating-nl.png") });
      // The recompute stores its analysis (here: the current one becomes newer than the request):
      // the page reloads its data by itself and the banner goes.
      await db.prisma.analysisSnapshot.update({ where: { id: current.id }, data: { completedAt: new Date() } });
      await banner.waitFor({ state: "detached", timeout: 15_000 });
      await page.close();
      // A failed recompute: the figures stay, the page says the update failed and is retried.
      await db.prisma.shop.update({ where: { shop: SHOP }, data: { analysisRequestedAt: new Date(), analysisFailedAt: new Date(), analysisError: "e2e" } });
      const failed = await embeddedPage("/app/geography", "da");
      await expect(failed.locator('[data-analysis-status="failed"]').textContent()).resolves.toContain("Den seneste opdatering af tallene mislykkedes");
      await failed.close();
    } finally {
      await db.prisma.shop.update({ where: { shop: SHOP }, data: { analysisRequestedAt: null, analysisFailedAt: null, analysisError: null } });
      await db.prisma.analysisSnapshot.update({ where: { id: current.id }, data: { completedAt: stored } });
    }
  }, 60_000);
});
