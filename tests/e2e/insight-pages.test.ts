/**
 * The insight pages and the customer page of the built app in Chromium, in English, Dutch and
 * Danish: every chart renders from the stored analysis (an SVG drawn per chart card), and the
 * figures shown equal the stored snapshot's (formatted in the admin's locale). The Customers
 * list links each customer to their page and fits an embedded admin of 1,280 px without
 * horizontal scrolling. Screenshots go to .cache/e2e/insights/ (docs/screenshots/ holds copies).
 */
import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { figureFormat } from "~/components/figure-format";
import { MODEL_NAMES } from "~/components/model-names";
import { createTranslator, type Locale } from "~/i18n/translate";
import { closeBulkConnections } from "~/db/bulk-connections.server";
import { TEST_API_KEY, TEST_API_SECRET } from "../app/session-token";
import { seedInsightStore } from "../db/insight-store";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { buildApp, CHROMIUM, cutChartLabels, embeddedQuery, freePort, launchChromium, newAdminFramePage, openEmbeddedPage, ROOT, startServer, type RunningServer } from "./app-server";
import { INSIGHT_CUSTOMER_PAGE } from "./insight-pages";

const SHOP = "insights-e2e.myshopify.com";
const SCREENSHOT_DIR = path.join(ROOT, ".cache/e2e/insights");
/** The app's iframe in a 1,280 px Shopify admin: the admin's 240 px navigation takes the rest. */
const ADMIN_IFRAME_WIDTH = 1040;
const LOCALES: Locale[] = ["en", "nl", "da"];

/** Intl puts narrow and non-breaking spaces in numbers; compare text with plain spaces. */
const plain = (text: string | null) => (text ?? "").replace(/[\s\u00a0\u202f]+/g, " ").trim();

let db: TestDatabase;
let server: RunningServer | undefined;
let browser: Browser | undefined;
let stored: { analysis: Record<string, any> };
let store: Awaited<ReturnType<typeof seedInsightStore>>;

describe.skipIf(process.env.TEST_BROWSER === "0")("the insight pages in Chromium", () => {
  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/ensure-chromium.sh`);
    await buildApp();
    db = await createTestDatabase("sqlite");
    store = await seedInsightStore(db.prisma, db.config, "sqlite", SHOP, 1_200);
    stored = JSON.parse((await db.prisma.analysisSnapshot.findUniqueOrThrow({ where: { id: store.snapshotId } })).data);
    await db.prisma.session.create({
      data: {
        id: `offline_${SHOP}`,
        shop: SHOP,
        state: "",
        isOnline: false,
        scope: "read_customers,write_customers,read_orders,read_all_orders,read_products",
        accessToken: "shpat_e2e",
        expires: new Date(Date.now() + 60 * 60 * 1000),
      },
    });
    const port = await freePort();
    server = await startServer({ NODE_ENV: "production", SHOPIFY_API_KEY: TEST_API_KEY, SHOPIFY_API_SECRET: TEST_API_SECRET, SHOPIFY_APP_URL: `http://127.0.0.1:${port}`, DATABASE_URL: db.config.url }, port);
    browser = await launchChromium();
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await closeBulkConnections();
    await db?.drop();
  });

  const embeddedPage = (pathname: string, locale: Locale, width = ADMIN_IFRAME_WIDTH): Promise<Page> => openEmbeddedPage(browser!, server!, pathname, { shop: SHOP, locale, width });

  /** Waits until `count` charts are drawn: an SVG inside each chart card's picture. */
  async function chartsDrawn(page: Page, count: number) {
    await page.waitForFunction((n) => document.querySelectorAll('[aria-hidden="true"] svg').length >= n, count, { timeout: 20_000 });
    const drawn = await page.locator('[aria-hidden="true"] svg').evaluateAll((svgs) => svgs.filter((svg) => svg.getBoundingClientRect().width > 100 && svg.querySelector("rect, path, circle")).length);
    expect(drawn).toBeGreaterThanOrEqual(count);
    // Every axis label whole: polaris-viz cut the coming weeks' "28. dec. 20…", and the card the
    // geography axis' last "280 t US$".
    await expect(cutChartLabels(page, '[aria-hidden="true"] svg text')).resolves.toEqual([]);
  }

  /** The rows of a chart's table alternative (the screen reader's table, captioned with the chart's title). */
  async function tableOf(page: Page, caption: string): Promise<string[][]> {
    const table = page.locator("table").filter({ has: page.locator("caption", { hasText: caption }) });
    return table.locator("tbody tr").evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll("td")].map((cell) => cell.textContent ?? "")));
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });

  it.each(LOCALES)("geography in %s: the revenue chart and the countries as stored", async (locale) => {
    const t = createTranslator(locale);
    const format = figureFormat(locale, "EUR");
    const page = await embeddedPage("/app/geography", locale);
    await expect(page.getByRole("heading", { level: 1, name: t("geography.title") }).isVisible()).resolves.toBe(true);
    await chartsDrawn(page, 1);
    const countries = stored.analysis.geography.countries as { country: string; customers: number; revenue: number; ltv: number }[];
    const rows = await tableOf(page, t("geography.chart.countries"));
    expect(rows.map((r) => r.slice(1).map(plain))).toEqual(countries.map((c) => [format.count(c.customers), format.money(c.revenue), format.money(c.ltv)].map(plain)));
    await shot(page, `geography-${locale}`);
    await page.close();
  });

  it.each(LOCALES)("products in %s: three charts, the spend tiers from the profiles and the cross-sell pairs as stored", async (locale) => {
    const t = createTranslator(locale);
    const format = figureFormat(locale, "EUR");
    const page = await embeddedPage("/app/products", locale);
    await expect(page.getByRole("heading", { level: 1, name: t("products.title") }).isVisible()).resolves.toBe(true);
    await chartsDrawn(page, 3);
    const tiers = await db.prisma.customerProfile.groupBy({ by: ["spendTier"], where: { snapshotId: store.snapshotId }, _count: { _all: true } });
    const tierRows = await tableOf(page, t("products.tiers.title"));
    expect(tierRows.map((r) => plain(r[1]))).toEqual(["high", "mid", "low"].map((tier) => plain(format.count(tiers.find((x) => x.spendTier === tier)?._count._all ?? 0))));
    const pairs = stored.analysis.products.crossSell as { boughtTitle: string; neverBoughtTitle: string; audience: number; lift: number }[];
    const pairRows = await tableOf(page, t("products.crossSell.title"));
    expect(pairRows.map((r) => [r[0], r[1], plain(r[2]), plain(r[4])])).toEqual(
      pairs.map((p) => [p.boughtTitle, p.neverBoughtTitle, plain(format.count(p.audience)), plain(t("products.crossSell.liftValue", { lift: format.lift(p.lift) }))]),
    );
    expect(pairs.length).toBeGreaterThan(0);
    // Strongest pairs first.
    expect(pairs.map((p) => p.lift)).toEqual([...pairs.map((p) => p.lift)].sort((a, b) => b - a));
    await shot(page, `products-${locale}`);
    await page.close();
  });

  it.each(LOCALES)("timing in %s: the heat-map of every weekday × hour and the coming weeks as stored", async (locale) => {
    const t = createTranslator(locale);
    const format = figureFormat(locale, "EUR");
    const page = await embeddedPage("/app/timing", locale);
    await expect(page.getByRole("heading", { level: 1, name: t("timing.title") }).isVisible()).resolves.toBe(true);
    await chartsDrawn(page, 3);
    await expect(page.locator('svg[data-chart="weekday-hour-heatmap"] rect').count()).resolves.toBe(7 * 24);
    const matrix = await tableOf(page, t("timing.heatmap.title"));
    expect(matrix.map((r) => r.slice(1).map(plain))).toEqual((stored.analysis.timing.orders as number[][]).map((row) => row.map((v) => plain(format.count(v)))));
    const weeks = await tableOf(page, t("timing.coming.title"));
    expect(weeks.map((r) => plain(r[1]))).toEqual((stored.analysis.models.expectedPurchasesByWeek as { expected: number }[]).map((w) => plain(format.expectedOrders(w.expected))));
    await shot(page, `timing-${locale}`);
    await page.close();
  });

  it.each(LOCALES)("acquisition in %s: new customers by source per month and in all, as stored", async (locale) => {
    const t = createTranslator(locale);
    const format = figureFormat(locale, "EUR");
    const page = await embeddedPage("/app/acquisition", locale);
    await expect(page.getByRole("heading", { level: 1, name: t("acquisition.title") }).isVisible()).resolves.toBe(true);
    await chartsDrawn(page, 2);
    const { sources, months } = stored.analysis.acquisition as { sources: string[]; months: { newCustomers: number[] }[] };
    const perMonth = await tableOf(page, t("acquisition.chart.months.source"));
    expect(perMonth.map((r) => r.slice(1, 1 + sources.length).map(plain))).toEqual(months.map((m) => m.newCustomers.map((v) => plain(format.count(v)))));
    const totals = await tableOf(page, t("acquisition.sources.title.source"));
    expect(totals.map((r) => [r[0], plain(r[1])])).toEqual(sources.map((s, i) => [s, plain(format.count(months.reduce((sum, m) => sum + m.newCustomers[i], 0)))]));
    // Counted by sales channel instead: the charts and tables follow the choice.
    await page.getByLabel(t("acquisition.dimension.label")).selectOption("channel");
    const byChannel = stored.analysis.acquisition.byChannel as { sources: string[]; years: { newCustomers: number[] }[] };
    await page.locator("caption", { hasText: t("acquisition.sources.title.channel") }).waitFor({ state: "attached" });
    const channelTotals = await tableOf(page, t("acquisition.sources.title.channel"));
    expect(channelTotals.map((r) => [r[0], plain(r[1])])).toEqual(byChannel.sources.map((s, i) => [s, plain(format.count(byChannel.years.reduce((sum, y) => sum + y.newCustomers[i], 0)))]));
    await chartsDrawn(page, 2);
    await shot(page, `acquisition-${locale}`);
    await page.close();
  });

  it.each(LOCALES)("model quality in %s: the back-test in plain words and its three charts, as stored", async (locale) => {
    const t = createTranslator(locale);
    const format = figureFormat(locale, "EUR");
    const page = await embeddedPage("/app/model-quality", locale);
    await expect(page.getByRole("heading", { level: 1, name: t("modelQuality.title") }).isVisible()).resolves.toBe(true);
    await chartsDrawn(page, 3);
    const models = stored.analysis.models;
    const chosen = models.backtest.ranking.find((r: { model: string }) => r.model === models.default);
    await expect(page.locator("#model-quality-summary").textContent().then(plain)).resolves.toBe(
      plain(t("modelQuality.summary.sentence", { predicted: format.count(chosen.predictedTotal), days: models.backtest.holdoutDays, actual: format.count(chosen.actualTotal) })),
    );
    await expect(page.getByText(MODEL_NAMES[models.default as keyof typeof MODEL_NAMES], { exact: false }).first().isVisible()).resolves.toBe(true);
    const weekly = await tableOf(page, t("modelQuality.weekly.title"));
    expect(weekly.map((r) => [plain(r[1]), plain(r[2])])).toEqual((models.backtest.weekly as { predicted: number; actual: number }[]).map((w) => [plain(format.expectedOrders(w.predicted)), plain(format.count(w.actual))]));
    const calibration = await tableOf(page, t("modelQuality.calibration.title"));
    expect(calibration.map((r) => plain(r[4]))).toEqual(chosen.aliveCalibration.map((g: { observedShareBuying: number }) => plain(format.percent(g.observedShareBuying))));
    await shot(page, `model-quality-${locale}`);
    await page.close();
  });

  it.each(LOCALES)("the customer page in %s: the order timeline, scores and stage of the stored profile", async (locale) => {
    const t = createTranslator(locale);
    const format = figureFormat(locale, "EUR");
    const page = await embeddedPage(INSIGHT_CUSTOMER_PAGE, locale);
    const customer = store.customers.find((c) => c.id === `gid://shopify/Customer/${INSIGHT_CUSTOMER_PAGE.split("/").pop()}`)!;
    await expect(page.getByRole("heading", { level: 1, name: customer.firstName }).isVisible()).resolves.toBe(true);
    await chartsDrawn(page, 1);
    const orders = store.orders.filter((o) => o.customer === customer.id);
    await expect(page.locator('svg[data-chart="order-timeline"] circle').count()).resolves.toBe(orders.length);
    const profile = await db.prisma.customerProfile.findFirstOrThrow({ where: { snapshotId: store.snapshotId, customerShopifyId: customer.id } });
    await expect(page.getByText(t(`lifecycle.${profile.lifecycleStage}` as Parameters<typeof t>[0]), { exact: true }).first().isVisible()).resolves.toBe(true);
    await expect(page.getByText(plain(format.money(Number(profile.totalSpent))), { exact: true }).first().isVisible()).resolves.toBe(true);
    await expect(page.getByText(t("customer.segments.none")).isVisible()).resolves.toBe(true);
    // The expected orders' range is of whole orders (decision 029): "0.05 (0 – 0)" read as if the
    // mean lay outside its own interval.
    const { expectedOrders, expectedOrdersLow: low, expectedOrdersHigh: high } = profile;
    expect(low !== null && high !== null && Number.isInteger(low) && Number.isInteger(high)).toBe(true);
    const value = format.expectedOrders(expectedOrders!);
    const ordersText = low === high ? t("customer.ordersExactly", { value, count: low! }) : t("customer.ordersRange", { value, low: low!, high: high! });
    await expect(page.getByText(ordersText, { exact: true }).isVisible()).resolves.toBe(true);
    await shot(page, `customer-${locale}`);
    await page.close();
  });

  it("the Customers list links each customer to their page and fits a 1,280 px admin without horizontal scrolling", async () => {
    const page = await embeddedPage("/app/customers", "en");
    const overflow = await page.evaluate(() => {
      const doc = document.documentElement;
      const tables = [...document.querySelectorAll(".Polaris-DataTable__ScrollContainer")].map((el) => el.scrollWidth - el.clientWidth);
      return { page: doc.scrollWidth - doc.clientWidth, tables };
    });
    await shot(page, "customers-en");
    expect(overflow.page).toBeLessThanOrEqual(0);
    expect(overflow.tables.every((extra) => extra <= 0)).toBe(true);
    const first = page.locator(".Polaris-DataTable__Table tbody tr").first().getByRole("link");
    const name = await first.textContent();
    await first.click();
    await page.getByRole("heading", { level: 1, name: name! }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/app\/customers\/\d+$/);
    await page.close();
  });

  it.each(LOCALES)("explains a refused list parameter in %s (400): which one, and why in the admin's words", async (locale) => {
    const t = createTranslator(locale);
    const cases = [
      { query: "lifecycle=dormant", field: "lifecycle", why: t("customers.invalidQuery.reason.not-one-of", { allowed: "new, active, slipping-away, lost" }) },
      // A mangled next-page link.
      { query: "after=bm90LWEtY3Vyc29y", field: "after", why: t("customers.invalidQuery.reason.not-a-cursor") },
    ];
    for (const { query, field, why } of cases) {
      const page = await newAdminFramePage(browser!, ADMIN_IFRAME_WIDTH);
      const response = await page.goto(`${server!.baseUrl}/app/customers?${query}&${embeddedQuery(SHOP, locale)}`);
      expect(response?.status()).toBe(400);
      const text = plain(await page.locator("body").textContent());
      expect(text).toContain(plain(t("customers.invalidQuery.body", { field, message: why })));
      if (locale !== "en") expect(text).not.toContain(createTranslator("en")("customers.invalidQuery.reason.not-a-cursor"));
      await page.close();
    }
  });

  it("answers an unknown customer with a page that says so (404), not an error", async () => {
    const page = await newAdminFramePage(browser!, ADMIN_IFRAME_WIDTH);
    const response = await page.goto(`${server!.baseUrl}/app/customers/999999999?${embeddedQuery(SHOP, "en")}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByText(createTranslator("en")("customer.notFound.body")).isVisible()).resolves.toBe(true);
    await page.close();
  });

  // These pages have no error page of their own: the layout's words their 4xx, where
  // shopify-app-remix's boundary printed "[object Object]" or the browser got raw JSON.
  it.each(LOCALES)("words a missing segment, an unknown action, an unknown page and a bad dashboard period in %s, never as raw data", async (locale) => {
    const t = createTranslator(locale);
    const cases: { path: string; status: number; says: string; offers?: string }[] = [
      { path: "/app/segments/999999/edit", status: 404, says: t("segmentPage.notFound.body") },
      { path: "/app/segments/999999/push", status: 404, says: t("segmentPage.notFound.body") },
      { path: "/app/segments/from-action/no-such-action", status: 404, says: t("segments.error.unknownAction"), offers: t("error.toDashboard") },
      // Inside the admin's layout with the way back, not the bare root error page.
      { path: "/app/no-such-page", status: 404, says: t("error.notFound"), offers: t("error.toDashboard") },
      {
        path: "/app?period=weekly",
        status: 400,
        says: t("customers.invalidQuery.body", { field: "period", message: t("customers.invalidQuery.reason.not-one-of", { allowed: "30d, 90d, 12m, all, custom" }) }),
        offers: t("error.invalidAddress.reset"),
      },
    ];
    for (const { path: pathname, status, says, offers } of cases) {
      const page = await newAdminFramePage(browser!, ADMIN_IFRAME_WIDTH);
      const response = await page.goto(`${server!.baseUrl}${pathname}${pathname.includes("?") ? "&" : "?"}${embeddedQuery(SHOP, locale)}`);
      expect(response?.status(), pathname).toBe(status);
      // What the page shows (innerText), not the data in its scripts.
      const text = plain(await page.locator("body").innerText());
      expect(text, pathname).toContain(plain(says));
      expect(text, pathname).not.toContain("[object Object]");
      expect(text, pathname).not.toContain('{"error"');
      if (offers) await expect(page.getByRole("link", { name: offers }).or(page.getByRole("button", { name: offers })).isVisible(), pathname).resolves.toBe(true);
      await page.close();
    }
  });

  it("the dashboard's bad period offers the page without it, and that shows the key figures", async () => {
    const t = createTranslator("nl");
    const page = await newAdminFramePage(browser!, ADMIN_IFRAME_WIDTH);
    await page.goto(`${server!.baseUrl}/app?period=weekly&${embeddedQuery(SHOP, "nl")}`);
    await page.getByRole("button", { name: t("error.invalidAddress.reset") }).click();
    await page.getByRole("heading", { name: t("dashboard.metrics.heading") }).waitFor();
    expect(new URL(page.url()).searchParams.has("period")).toBe(false);
    await page.close();
  });
});
