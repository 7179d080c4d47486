/**
 * The built app in a real browser: the embedded pages render inside a Shopify-like launch
 * (embedded=1, shop, host, id_token), the Settings form shows a field error for a bad value
 * and saves a good one through App Bridge-style authenticated fetches. Plus the server's
 * refusal to start with a bad configuration, seen from outside the process.
 */
import { analyzeStore } from "~/analytics/analyze-store";
import { createDatasetBuilder } from "~/analytics/dataset/dataset-builder";
import { analysisSettings } from "~/settings/analysis-options";
import { DEFAULT_SETTINGS } from "~/settings/schema";
import { serializeSnapshotDocument, SNAPSHOT_VERSION } from "~/snapshots/snapshot-document";
import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PARSE_WORKER_BUNDLE, type FromParseThread, type ToParseThread } from "../../app/sync/bulk/parse-thread-protocol";
import { createEmptyDatabase, createTestDatabase, type TestDatabase } from "../db/test-database";
import { seedCurrentAnalysis } from "../db/seed-analysis";
import { mintSessionToken, TEST_API_KEY, TEST_API_SECRET, webhookHmac } from "../app/session-token";
import { buildApp, CHROMIUM, DESKTOP_CHROME, exitCode, freePort, launchChromium, openEmbeddedPage, ROOT, runServer, startServer, type RunningServer } from "./app-server";
import { createManualClock, type ManualClock } from "../../tools/shopify-sim/clock";
import { globalId } from "../../tools/shopify-sim/resource-ids";
import { createShopifySimulator, type ShopifySimulator } from "../../tools/shopify-sim/simulator";

const SHOP = "e2e-shop.myshopify.com";
const SEGMENT_SHOP = "e2e-segments.myshopify.com";
const SCREENSHOT_DIR = path.join(ROOT, ".cache/e2e");

const baseEnv = (appUrl: string, databaseUrl: string): Record<string, string> => ({
  NODE_ENV: "production",
  SHOPIFY_API_KEY: TEST_API_KEY,
  SHOPIFY_API_SECRET: TEST_API_SECRET,
  SHOPIFY_APP_URL: appUrl,
  DATABASE_URL: databaseUrl,
});

let db: TestDatabase;

beforeAll(async () => {
  await buildApp();
  db = await createTestDatabase("sqlite");
}, 180_000);

afterAll(async () => {
  await db?.drop();
});

// TEST_BROWSER=0 skips the browser (as scripts/test.sh does), not the server-start checks.
describe.skipIf(process.env.TEST_BROWSER === "0")("the built app in Chromium", () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/ensure-chromium.sh`);
    await db.prisma.shop.create({ data: { shop: SHOP, grantedScopes: "read_orders", hasAllOrdersAccess: false } });
    // A stored analysis (the recompute job's output) so the Dashboard has a figure to show.
    const { scores: _scores, ...analysis } = analyzeStore(createDatasetBuilder().build(), { asOf: "2026-11-21" });
    const figures = { ...analysis.metrics.figures, "total-customers": { ...analysis.metrics.figures["total-customers"], value: 1234 } };
    await db.prisma.analysisSnapshot.create({
      data: {
        shop: SHOP,
        asOf: new Date("2026-11-21T00:00:00Z"),
        customers: 1234,
        orders: 0,
        version: SNAPSHOT_VERSION,
        completedAt: new Date(),
        data: serializeSnapshotDocument({
          analysis: { ...analysis, metrics: { ...analysis.metrics, figures } },
          revenue: { revenueBasis: "current_total", ordersWithoutNetSales: 0 },
          settings: analysisSettings(DEFAULT_SETTINGS),
          timings: {},
        }),
      },
    });
    await db.prisma.session.create({
      data: {
        id: `offline_${SHOP}`,
        shop: SHOP,
        state: "",
        isOnline: false,
        scope: "read_customers,write_customers,read_orders,read_all_orders,read_products",
        accessToken: "shpat_e2e",
        expires: new Date(Date.now() + 60 * 60 * 1000),
        refreshToken: "shprt_e2e",
        refreshTokenExpires: new Date(Date.now() + 24 * 60 * 60 * 1000),
      },
    });
    const port = await freePort();
    server = await startServer(baseEnv(`http://127.0.0.1:${port}`, db.config.url), port);
    browser = await launchChromium();
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const embeddedPage = (pathname: string, locale: string, shop = SHOP) => openEmbeddedPage(browser!, server!, pathname, { shop, locale });

  it("renders the Dashboard with the shop's install state", async () => {
    const page = await embeddedPage("/app", "en");
    await expect(page.getByRole("heading", { level: 1, name: "Dashboard" }).isVisible()).resolves.toBe(true);
    // From the Shop row: no read_all_orders, so the 60-day warning shows.
    await expect(page.getByText("Only the last 60 days of orders are available").isVisible()).resolves.toBe(true);
    await expect(page.getByText("No import has run yet.", { exact: false }).isVisible()).resolves.toBe(true);
    await expect(page.locator('[data-metric="total-customers"]').textContent()).resolves.toBe("1,234");
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "dashboard.png"), fullPage: true });
    await page.close();
  });

  it("shows a field error for a bad tag prefix, saves nothing, then saves a good one", async () => {
    const page = await embeddedPage("/app/settings", "en");
    const prefix = page.getByLabel("Tag prefix");
    await prefix.fill("Bad Prefix!");
    await page.getByRole("button", { name: "Save" }).click();

    const fieldError = page.getByText("Use only lowercase letters, digits, -, _ and :.");
    await fieldError.waitFor();
    await expect(prefix.getAttribute("aria-invalid")).resolves.toBe("true");
    // Polaris ties the message to its field for screen readers.
    const errorId = await page.locator("[id$='Error']").filter({ hasText: "Use only lowercase" }).getAttribute("id");
    await expect(prefix.getAttribute("aria-describedby")).resolves.toContain(errorId);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "settings-error.png"), fullPage: true });
    expect(await db.prisma.shopSettings.count()).toBe(0);

    await prefix.fill("vip:");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Settings saved.").waitFor();
    expect((await db.prisma.shopSettings.findUniqueOrThrow({ where: { shop: SHOP } })).tagPrefix).toBe("vip:");
    await page.close();
  });

  it("explains the empty Customers and Segments pages in the admin user's language", async () => {
    const customers = await embeddedPage("/app/customers", "nl");
    await expect(customers.getByRole("heading", { level: 1, name: "Klanten" }).isVisible()).resolves.toBe(true);
    await expect(customers.getByText("Nog geen klantinzichten").isVisible()).resolves.toBe(true);
    await customers.close();
    const segments = await embeddedPage("/app/segments", "da");
    await expect(segments.getByRole("heading", { level: 1, name: "Segmenter" }).isVisible()).resolves.toBe(true);
    await expect(segments.getByText("Ingen segmenter endnu").isVisible()).resolves.toBe(true);
    await segments.screenshot({ path: path.join(SCREENSHOT_DIR, "segments-da.png"), fullPage: true });
    await segments.close();
  });

  it("speaks the admin user's language: Danish settings with a Danish field error", async () => {
    const page = await embeddedPage("/app/settings", "da");
    await expect(page.getByRole("heading", { level: 1, name: "Indstillinger" }).isVisible()).resolves.toBe(true);
    // Decimals as Danish writes them ("1.5" reads as a typo there), and read back as such: saved
    // unchanged, it is saved without a field error and nothing changes (no recalculation either).
    await expect(page.getByLabel("Aktiv indtil", { exact: false }).inputValue()).resolves.toBe("1,5");
    await expect(page.getByLabel("Månedligt marketingforbrug").inputValue()).resolves.toBe("0,00");
    await page.getByRole("button", { name: "Gem" }).click();
    await page.getByText("Indstillingerne er gemt.").waitFor();
    expect(await db.prisma.shopSettings.findUniqueOrThrow({ where: { shop: SHOP } })).toMatchObject({ lifecycleActiveFactor: 1.5, lifecycleLostFactor: 2 });
    await expect(page.getByLabel("Aktiv indtil", { exact: false }).inputValue()).resolves.toBe("1,5");
    await page.getByLabel("Dage", { exact: false }).first().fill("400");
    await page.getByRole("button", { name: "Gem" }).click();
    await page.getByText("Angiv et helt antal dage fra 1 til 365.").waitFor();
    await page.close();
  });

  it("builds a segment, shows its live count changing with the rule, and saves it with its members", async () => {
    // Three profiled customers in the stored analysis: two lost, one active.
    const snapshot = await db.prisma.analysisSnapshot.findFirstOrThrow({ where: { shop: SHOP } });
    for (const [n, stage] of [[1, "lost"], [2, "lost"], [3, "active"]] as const) {
      const customer = await db.prisma.customer.create({ data: { shop: SHOP, shopifyId: `gid://shopify/Customer/${n}`, firstName: `Buyer${n}` } });
      await db.prisma.customerProfile.create({
        data: {
          snapshotId: snapshot.id, customerId: customer.id, shop: SHOP, customerShopifyId: customer.shopifyId, orderCount: 2, repeatPurchases: 1, totalSpent: "40.00", averageOrderValue: "20.00",
          firstOrderAt: new Date("2026-01-01T00:00:00Z"), lastOrderAt: new Date("2026-05-01T00:00:00Z"), daysSinceFirstOrder: 300, daysSinceLastOrder: 200, usualGapDays: 30,
          lifecycleStage: stage, customerGroup: "loyal", customerType: "returning", spendTier: "mid", recencyScore: 2, frequencyScore: 3, monetaryScore: 3, rfmGroup: "at-risk",
        },
      });
    }
    const page = await embeddedPage("/app/segments/new", "en");
    const count = page.locator("#segment-live-count");
    await page.getByText("3 of 3 customers", { exact: false }).waitFor();
    await page.getByRole("button", { name: "Add condition" }).click();
    // The group's all/any choice is named for what it is (a screen reader once heard "Comparison", the operator's name).
    await expect(page.getByLabel("Customers who meet", { exact: true }).inputValue()).resolves.toBe("all");
    // The new condition starts at lifecycle stage "New": nobody.
    await page.getByText("0 of 3 customers", { exact: false }).waitFor();
    await page.getByLabel("Lost", { exact: true }).check();
    await page.getByText("2 of 3 customers", { exact: false }).waitFor();
    await expect(count.textContent()).resolves.toContain("66.7%");
    // The sample says its order, since the amount beside each name is what they spent, not the CLV it is sorted by.
    await page.getByText("Highest predicted lifetime value first", { exact: false }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "segment-builder.png"), fullPage: true });

    await page.getByLabel("Name", { exact: true }).fill("Lapsed buyers");
    await page.getByRole("button", { name: "Save segment" }).click();
    await page.waitForURL(/\/app\/segments\/\d+/);
    const segment = await db.prisma.segment.findFirstOrThrow({ where: { shop: SHOP, kind: "custom" } });
    expect(page.url()).toContain(`/app/segments/${segment.id}`);
    expect(segment).toMatchObject({ name: "Lapsed buyers", handle: "lapsed-buyers", memberCount: 2 });
    const members = await db.prisma.segmentMembership.findMany({ where: { segmentId: segment.id }, orderBy: { customerShopifyId: "asc" } });
    expect(members.map((m) => m.customerShopifyId)).toEqual(["gid://shopify/Customer/1", "gid://shopify/Customer/2"]);
    await page.close();
  });

  it("picks a product by its title in the builder (Dutch): the rule stores the product's id, the editor shows the title again", async () => {
    const shop = "e2e-picker.myshopify.com";
    const prisma = db.prisma;
    await seedBuilderShop(prisma, shop, "EUR");
    await prisma.product.createMany({
      data: [
        { shop, shopifyId: "gid://shopify/Product/11", title: "Groene thee", productType: "Thee", vendor: "Zuid" },
        { shop, shopifyId: "gid://shopify/Product/12", title: "Theepot", productType: "Keuken", vendor: "Zuid" },
        { shop, shopifyId: "gid://shopify/Product/13", title: "Koffiebonen", productType: "Koffie", vendor: "Noord" },
      ],
    });
    const buyer = await prisma.customer.findUniqueOrThrow({ where: { shop_shopifyId: { shop, shopifyId: "gid://shopify/Customer/2" } } });
    await prisma.order.create({
      data: { shop, shopifyId: "gid://shopify/Order/11", customerShopifyId: "gid://shopify/Customer/2", totalPrice: "12.00", shopifyCreatedAt: new Date("2026-07-01T10:00:00Z"),
        lines: { create: [{ shop, shopifyId: "gid://shopify/LineItem/11", productShopifyId: "gid://shopify/Product/11", title: "Groene thee", quantity: 1, amount: "12.00", buyerId: buyer.id, purchasedAt: new Date("2026-07-01T10:00:00Z") }] } },
    });

    const page = await embeddedPage("/app/segments/new", "nl", shop);
    await page.getByText("3 van 3 klanten", { exact: false }).waitFor();
    await page.getByRole("button", { name: "Voorwaarde toevoegen" }).click();
    await page.getByLabel("Veld", { exact: true }).selectOption("product");
    const search = page.getByPlaceholder("Zoek producten op titel");
    await search.fill("thee");
    const options = page.getByRole("listbox").getByRole("option");
    // First the shop's first products, then (debounced) those matching the search: by title, never their ids.
    await expectPickerOptions(page, "Groene thee | Theepot");
    await options.filter({ hasText: "Groene thee" }).click();
    await page.getByText("1 van 3 klanten", { exact: false }).waitFor();
    await search.fill("xyz");
    await page.getByText("Geen product van deze winkel komt overeen.").waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "segment-product-picker-nl.png"), fullPage: true });

    await page.getByLabel("Naam", { exact: true }).fill("Theedrinkers");
    await page.getByRole("button", { name: "Segment opslaan" }).click();
    await page.waitForURL(/\/app\/segments\/\d+/);
    const segment = await prisma.segment.findFirstOrThrow({ where: { shop, kind: "custom" } });
    expect(JSON.parse(segment.rules).children).toEqual([{ type: "condition", field: "product", operator: "bought", value: ["gid://shopify/Product/11"], withinDays: null }]);
    expect(segment.memberCount).toBe(1);
    await page.close();

    // Editing it later: the stored id is shown as the product's title.
    const editor = await embeddedPage(`/app/segments/${segment.id}/edit`, "nl", shop);
    await editor.getByText("Groene thee", { exact: true }).waitFor();
    await expect(editor.getByText("gid://shopify/Product/11").count()).resolves.toBe(0);
    await editor.close();
  });

  it("picks a customer tag in the builder (Danish): offered as the customers write it, the rule counts its holders", async () => {
    const shop = "e2e-tag-picker.myshopify.com";
    const prisma = db.prisma;
    await seedBuilderShop(prisma, shop, "DKK");
    // Tagged in Shopify as merchants type them: "VIP" twice, once beside a newsletter tag.
    for (const [n, tags] of [[1, ["VIP", "nyhedsbrev"]], [3, ["VIP"]]] as const) {
      await prisma.customer.update({ where: { shop_shopifyId: { shop, shopifyId: `gid://shopify/Customer/${n}` } }, data: { tags: JSON.stringify(tags) } });
    }

    const page = await embeddedPage("/app/segments/new", "da", shop);
    await page.getByText("3 af 3 kunder", { exact: false }).waitFor();
    await page.getByRole("button", { name: "Tilføj betingelse" }).click();
    await page.getByLabel("Felt", { exact: true }).selectOption("tags");
    const search = page.getByPlaceholder("Søg i kundetags");
    await search.fill("vip");
    const options = page.getByRole("listbox").getByRole("option");
    // Typed in lower case, offered as the customers hold it, and not as typed (which would match nobody).
    await expectPickerOptions(page, "VIP");
    await options.filter({ hasText: "VIP" }).click();
    await page.getByText("2 af 3 kunder", { exact: false }).waitFor();
    await search.fill("xyz");
    await page.getByText("Intet tag hos butikkens kunder passer.").waitFor();
    // Another tag replaces the first: a tag condition holds one.
    await search.fill("nyheds");
    await options.filter({ hasText: "nyhedsbrev" }).click();
    await page.getByText("1 af 3 kunder", { exact: false }).waitFor();

    await page.getByLabel("Navn", { exact: true }).fill("Nyhedsbrev");
    await page.getByRole("button", { name: "Gem segment" }).click();
    await page.waitForURL(/\/app\/segments\/\d+/);
    const segment = await prisma.segment.findFirstOrThrow({ where: { shop, kind: "custom" } });
    expect(JSON.parse(segment.rules).children).toEqual([{ type: "condition", field: "tags", operator: "has", value: "nyhedsbrev" }]);
    expect(segment.memberCount).toBe(1);
    await page.close();
  }, 90_000);

  it("opens a segment's page in English, Dutch and Danish, and searches its members", async () => {
    const segmentId = await seedSegmentShop(db);
    for (const [locale, overview, insights, holdOut, history] of [
      ["en", "Overview", "Per-customer insights", "Control group", "Members over time"],
      ["nl", "Overzicht", "Inzichten per klant", "Controlegroep", "Leden door de tijd"],
      ["da", "Oversigt", "Indsigt pr. kunde", "Kontrolgruppe", "Medlemmer over tid"],
    ] as const) {
      const page = await embeddedPage(`/app/segments/${segmentId}`, locale, SEGMENT_SHOP);
      await expect(page.getByRole("heading", { level: 1, name: "Trouwe klanten" }).isVisible()).resolves.toBe(true);
      await expect(page.getByRole("heading", { name: overview, exact: true }).isVisible()).resolves.toBe(true);
      await expect(page.getByRole("heading", { name: insights, exact: true }).isVisible()).resolves.toBe(true);
      await expect(page.getByRole("link", { name: "Anna Jansen" }).getAttribute("href")).resolves.toMatch(/^\/app\/customers\/\d+/);
      await expect(page.getByText(holdOut, { exact: true }).first().isVisible()).resolves.toBe(true);
      // Its tables (products, members) fit a 1,280 px admin without scrolling sideways, whatever the language.
      const overflow = await page.evaluate(() => [...document.querySelectorAll(".Polaris-DataTable__ScrollContainer")].map((el) => el.scrollWidth - el.clientWidth));
      expect(overflow.length).toBeGreaterThanOrEqual(1);
      expect(overflow.every((extra) => extra <= 0)).toBe(true);
      // The member count chart draws in the browser (polaris-viz cannot render on the server).
      await page.waitForFunction((title) => {
        const heading = [...document.querySelectorAll("h2")].find((h) => h.textContent === title);
        let card = heading?.parentElement ?? null;
        while (card && !card.querySelector("div[aria-hidden='true']")) card = card.parentElement;
        return Boolean(card?.querySelector("div[aria-hidden='true'] svg"));
      }, history);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `segment-page-${locale}.png`), fullPage: true });
      if (locale === "en") {
        await page.getByLabel("Search").fill("bakker");
        await page.getByLabel("Search").press("Enter");
        await page.getByRole("link", { name: "Anna Jansen" }).waitFor({ state: "detached", timeout: 10_000 });
        expect(new URL(page.url()).searchParams.get("search")).toBe("bakker");
        await expect(page.getByRole("link", { name: "Daan Bakker" }).isVisible()).resolves.toBe(true);
      }
      await page.close();
    }
  });

});

// The push page in the browser against the simulator: the built server with NODE_ENV=test
// (the simulator is refused in production) runs the push-tags job itself.
describe.skipIf(process.env.TEST_BROWSER === "0")("pushing a segment to Shopify in Chromium", () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let sim: ShopifySimulator | undefined;
  let clock: ManualClock;
  let shop = "";
  let segmentId = 0;
  const MEMBERS = 300;

  beforeAll(async () => {
    const port = await freePort();
    const appUrl = `http://127.0.0.1:${port}`;
    // A manual clock: the shop's rate-limit bucket refills only when the test says, so the push
    // visibly stops halfway (two batches of 90 fit a Standard bucket) until the clock moves.
    clock = createManualClock(Date.now());
    sim = await createShopifySimulator({ shops: [{ name: "e2e-push", targetOrders: 2_000 }], clock, apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl });
    shop = sim.shops["e2e-push"].domain;
    const prisma = db.prisma;
    await prisma.shop.create({ data: { shop } });
    await prisma.session.create({
      data: {
        id: `offline_${shop}`, shop, state: "", isOnline: false,
        scope: "read_customers,write_customers,read_orders,read_all_orders,read_products",
        accessToken: sim.shops["e2e-push"].accessToken,
        expires: new Date(Date.now() + 60 * 60 * 1000), refreshToken: "shprt_e2e", refreshTokenExpires: new Date(Date.now() + 24 * 60 * 60 * 1000),
      },
    });
    await prisma.customer.createMany({ data: Array.from({ length: MEMBERS }, (_, i) => ({ shop, shopifyId: globalId("Customer", i), firstName: `Klant ${i}`, tags: "[]" })) });
    const segment = await prisma.segment.create({ data: { shop, handle: "trouw", name: "Trouwe klanten", memberCount: MEMBERS, controlCount: MEMBERS / 10 } });
    segmentId = segment.id;
    await prisma.segmentMembership.createMany({ data: Array.from({ length: MEMBERS }, (_, i) => ({ shop, segmentId, customerShopifyId: globalId("Customer", i), isControl: i % 10 === 0 })) });
    server = await startServer({ ...baseEnv(appUrl, db.config.url), NODE_ENV: "test", SHOPIFY_SIMULATOR_URL: sim.url }, port);
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await sim?.close();
  });

  it("dry run, push, the progress moving without a reload, the tags in Shopify, the history row, and an undo that asks first", async () => {
    const page = await openEmbeddedPage(browser!, server!, `/app/segments/${segmentId}/push`, { shop, locale: "en" });
    await expect(page.getByRole("heading", { level: 1, name: "Send Trouwe klanten to Shopify" }).isVisible()).resolves.toBe(true);
    // Nobody has the tag yet: nothing to remove, and the page says why.
    const undo = page.getByRole("button", { name: "Remove this segment's tags from Shopify" });
    expect(await undo.isDisabled()).toBe(true);
    await page.getByText("No customer in Shopify has the tag ci-trouw now, so there is nothing to remove.").waitFor();
    await page.getByRole("button", { name: "Dry run" }).click();
    await page.getByText("270 customers get the tag").waitFor();
    await page.getByText("30 members are held out as the control group").waitFor();
    expect(await db.prisma.tagPush.count({ where: { shop } })).toBe(0);

    await page.getByRole("button", { name: "Push now" }).click();
    await page.getByText("The push has started.").waitFor();
    // Two batches in, the bucket is spent: the bar shows where the push stands.
    await page.getByText("180 of 270 customers done").waitFor({ timeout: 60_000 });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "tag-push-progress.png"), fullPage: true });
    await clock.advance(60_000);
    const row = page.getByRole("row").filter({ hasText: "Done" });
    await row.waitFor({ timeout: 60_000 });
    await expect(row.textContent()).resolves.toContain("270");
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "tag-push-done.png"), fullPage: true });
    const tagged = Array.from({ length: MEMBERS }, (_, i) => i).filter((i) => (sim!.shops["e2e-push"].runtime.store.customers.tags[i] ?? []).includes("ci-trouw"));
    expect(tagged).toEqual(Array.from({ length: MEMBERS }, (_, i) => i).filter((i) => i % 10 !== 0));

    // Removing the tags asks first: the first press only asks, Cancel takes the question back.
    expect(await page.getByText("nothing to remove").count()).toBe(0);
    await undo.click();
    await page.getByText("Remove the tag ci-trouw from every customer in Shopify who has it?").waitFor();
    expect(await db.prisma.tagPush.count({ where: { shop } })).toBe(1);
    await page.getByRole("button", { name: "Cancel" }).click();
    await undo.waitFor();
    expect(await page.getByText("Remove the tag ci-trouw from every customer").count()).toBe(0);
    await undo.click();
    await page.getByRole("button", { name: "Remove tags", exact: true }).click();
    await page.getByText("Removing the tags has started.").waitFor();
    expect(await db.prisma.tagPush.findMany({ where: { shop }, orderBy: { id: "asc" }, select: { mode: true } })).toEqual([{ mode: "push" }, { mode: "undo" }]);
    await page.close();
  }, 180_000);
});

/** A shop with a current analysis of three customers and an offline session: what the segment builder's tests start from. */
async function seedBuilderShop(prisma: TestDatabase["prisma"], shop: string, currencyCode: string): Promise<void> {
  await prisma.shop.create({ data: { shop, currencyCode, hasAllOrdersAccess: true } });
  await prisma.session.create({
    data: { id: `offline_${shop}`, shop, state: "", isOnline: false, scope: "read_customers,read_orders,read_products", accessToken: "shpat_e2e", expires: new Date(Date.now() + 3_600_000), refreshToken: "shprt_e2e", refreshTokenExpires: new Date(Date.now() + 86_400_000) },
  });
  await seedCurrentAnalysis(prisma, shop, [1, 2, 3].map((n) => ({ customerShopifyId: `gid://shopify/Customer/${n}` })));
}

/** Waits until the builder's picker lists exactly `expected` ("a | b"), debounced searches included; else says what it listed. */
async function expectPickerOptions(page: Page, expected: string): Promise<void> {
  await page
    .waitForFunction((want) => [...document.querySelectorAll('[role="listbox"] [role="option"]')].map((o) => o.textContent?.trim()).join(" | ") === want, expected)
    .catch(async () => {
      throw new Error(`options shown: ${(await page.getByRole("listbox").getByRole("option").allTextContents()).join(" | ")}`);
    });
}

describe("the built server's start", () => {
  it("stops with one line on stderr when SHOPIFY_API_KEY is missing", async () => {
    const env = baseEnv("http://127.0.0.1:1", db.config.url);
    delete (env as Partial<typeof env>).SHOPIFY_API_KEY;
    const run = runServer({ ...env, PORT: String(await freePort()) });
    expect(await exitCode(run.child)).not.toBe(0);
    const lines = run.stderr().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Configuration error: SHOPIFY_API_KEY is missing/);
    expect(run.stdout()).not.toContain("[remix-serve]");
  });

  it("stops with one line on stderr when the database cannot be reached or is not migrated", async () => {
    const empty = await createEmptyDatabase("sqlite");
    try {
      for (const [databaseUrl, expected] of [
        ["postgresql://postgres@127.0.0.1:1/insights", /^Configuration error: DATABASE_URL: cannot reach the database/],
        [empty.config.url, /^Configuration error: DATABASE_URL: the database answers but is not migrated/],
      ] as const) {
        const run = runServer({ ...baseEnv("http://127.0.0.1:1", databaseUrl), PORT: String(await freePort()) });
        expect(await exitCode(run.child)).not.toBe(0);
        const lines = run.stderr().trim().split("\n");
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(expected);
      }
    } finally {
      await empty.drop();
    }
  });
});

describe("the built server's backfill parse thread", () => {
  it("ships as a file next to the server bundle that runs on plain Node (no tsx) and batches an export", async () => {
    // parallel-import.ts (inside build/server/index.js) starts this file; without it the
    // backfill would silently import on one thread.
    const file = path.join(ROOT, "build/server", PARSE_WORKER_BUNDLE);
    expect(fs.existsSync(file)).toBe(true);
    const order = (n: number) => ({ id: `gid://shopify/Order/${n}`, name: `#${n}`, createdAt: "2024-05-29T09:00:00.345Z", updatedAt: "2024-05-30T00:00:00Z", currentTotalPriceSet: { shopMoney: { amount: "10.00", currencyCode: "EUR" } } });
    const line = (n: number, orderN: number) => ({ id: `gid://shopify/LineItem/${n}`, title: "Tea", quantity: 2, discountedTotalSet: { shopMoney: { amount: "4.50" } }, __parentId: `gid://shopify/Order/${orderN}` });
    const text = [order(1), line(11, 1), order(2), line(21, 2), line(12, 1)].map((o) => JSON.stringify(o)).join("\n") + "\n";

    const worker = new Worker(file, { execArgv: [] });
    const received: FromParseThread[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        const chunks = [text.slice(0, 70), text.slice(70)];
        const post = (m: ToParseThread) => worker.postMessage(m);
        worker.on("error", reject);
        worker.on("message", (m: FromParseThread) => {
          received.push(m);
          if (m.type === "ready") post({ type: "start", resource: "orders", batchSize: 1, skipLines: 0 });
          else if (m.type === "more") post(chunks.length ? { type: "chunk", chunk: chunks.shift()! } : { type: "end" });
          else if (m.type === "batch") post({ type: "written" });
          else if (m.type === "failed") reject(new Error(m.message));
          else if (m.type === "done") resolve();
        });
      });
    } finally {
      await worker.terminate();
    }
    const batches = received.flatMap((m) => (m.type === "batch" ? [m] : []));
    // One order per batch: order 1 with its line (lines 1–2), then order 2 with its line and a
    // late line of order 1, which must be looked up in the database (an orphan line).
    expect(batches.map((b) => [b.throughLine, b.roots, b.nextLine])).toEqual([[2, 1, 3], [5, 1, null]]);
    expect(batches[0].values.orders[0]).toBe("gid://shopify/Order/1");
    expect(batches[0].values.orders).toContain("2024-05-29T09:00:00.345+00:00");
    expect(batches[0].values.lines.slice(0, 2)).toEqual(["gid://shopify/Order/1", "gid://shopify/LineItem/11"]);
    expect(batches[1].values.lines.slice(0, 2)).toEqual(["gid://shopify/Order/2", "gid://shopify/LineItem/21"]);
    expect(batches[1].values.orphanLines.slice(0, 2)).toEqual(["gid://shopify/Order/1", "gid://shopify/LineItem/12"]);
    expect(received.at(-1)).toEqual({ type: "done", lastLine: 5 });
  });
});

// Production runs several instances on one PostgreSQL database (README "Deploying"): both take
// webhooks and both run the worker, and each delivery is recorded and applied exactly once.
describe.skipIf(process.env.TEST_POSTGRES === "0")("two built servers on one PostgreSQL database", () => {
  const MULTI_SHOP = "two-instances.myshopify.com";
  let pgDb: TestDatabase;
  const servers: RunningServer[] = [];

  beforeAll(async () => {
    pgDb = await createTestDatabase("postgresql");
    await pgDb.prisma.shop.create({ data: { shop: MULTI_SHOP, grantedScopes: "read_customers,read_orders", hasAllOrdersAccess: true } });
    await pgDb.prisma.session.create({
      data: {
        id: `offline_${MULTI_SHOP}`,
        shop: MULTI_SHOP,
        state: "",
        isOnline: false,
        scope: "read_customers,write_customers,read_orders,read_all_orders,read_products",
        accessToken: "shpat_e2e",
        expires: new Date(Date.now() + 60 * 60 * 1000),
      },
    });
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      servers.push(await startServer(baseEnv(`http://127.0.0.1:${port}`, pgDb.config.url), port));
    }
  }, 120_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await pgDb?.drop();
  });

  it("applies each webhook once when Shopify delivers it to both instances", async () => {
    const count = 30;
    for (let i = 0; i < count; i++) {
      const id = 5000 + i;
      const body = JSON.stringify({ id, admin_graphql_api_id: `gid://shopify/Customer/${id}`, email: `c${i}@example.com`, first_name: "C", last_name: String(i), created_at: "2026-11-01T10:00:00Z", updated_at: "2026-11-01T10:00:00Z" });
      // The same delivery (same webhook id) to both instances, as a retry after a timeout would.
      for (const server of servers) {
        const response = await fetch(`${server.baseUrl}/webhooks/customers/create`, {
          method: "POST",
          body,
          headers: {
            "Content-Type": "application/json",
            "X-Shopify-Hmac-Sha256": webhookHmac(body),
            "X-Shopify-Topic": "customers/create",
            "X-Shopify-Shop-Domain": MULTI_SHOP,
            "X-Shopify-API-Version": "2026-10",
            "X-Shopify-Webhook-Id": `multi-${i}`,
            "X-Shopify-Triggered-At": "2026-11-01T10:00:00.000Z",
          },
        });
        if (response.status !== 200) throw new Error(`${response.status} ${await response.text()}\n${server.logs().slice(-3000)}`);
      }
    }
    const deadline = Date.now() + 90_000;
    while ((await pgDb.prisma.webhookEvent.count({ where: { shop: MULTI_SHOP, status: "applied" } })) < count) {
      if (Date.now() > deadline) throw new Error(`not applied in time:\n${servers.map((s) => s.logs()).join("\n").slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const events = await pgDb.prisma.webhookEvent.findMany({ where: { shop: MULTI_SHOP }, select: { attempts: true, status: true } });
    expect(events).toHaveLength(count);
    expect(events.every((e) => e.status === "applied" && e.attempts === 1)).toBe(true);
    expect(await pgDb.prisma.customer.count({ where: { shop: MULTI_SHOP } })).toBe(count);
    for (const server of servers) {
      const health = await fetch(`${server.baseUrl}/healthz`);
      expect(health.status, `${await health.text()}\n${server.logs().slice(-2000)}`).toBe(200);
      // The customer card's data route on the production server (its JSON answers, CORS included).
      const card = await fetch(`${server.baseUrl}/api/customer-card?customerId=gid://shopify/Customer/5000`, {
        headers: { Authorization: `Bearer ${mintSessionToken({ shop: MULTI_SHOP })}`, Origin: "https://extensions.shopifycdn.com", "User-Agent": DESKTOP_CHROME },
      });
      expect(card.status, server.logs().slice(-2000)).toBe(200);
      expect(await card.json()).toMatchObject({ state: "not-imported" });
    }
  }, 150_000);
});

/** A second shop with an analysis, three named customers in a segment (one held out), an order and a refresh history. */
async function seedSegmentShop(db: TestDatabase): Promise<number> {
  const prisma = db.prisma;
  await prisma.shop.create({ data: { shop: SEGMENT_SHOP, currencyCode: "EUR", hasAllOrdersAccess: true } });
  await prisma.session.create({
    data: { id: `offline_${SEGMENT_SHOP}`, shop: SEGMENT_SHOP, state: "", isOnline: false, scope: "read_customers,read_orders", accessToken: "shpat_e2e", expires: new Date(Date.now() + 3_600_000), refreshToken: "shprt_e2e", refreshTokenExpires: new Date(Date.now() + 86_400_000) },
  });
  const people = [
    ["1", "Anna", "Jansen", 420.5, 210],
    ["2", "Daan", "Bakker", 95, 40.25],
    ["3", "Freja", "Nielsen", 60, null],
  ] as const;
  for (const [n, firstName, lastName] of people) await prisma.customer.create({ data: { shop: SEGMENT_SHOP, shopifyId: `gid://shopify/Customer/${n}`, firstName, lastName, email: `${firstName.toLowerCase()}@example.com` } });
  const snapshotId = await seedCurrentAnalysis(prisma, SEGMENT_SHOP, people.map(([n, , , spent, clv]) => ({ customerShopifyId: `gid://shopify/Customer/${n}`, totalSpent: spent.toFixed(2), predictedClv: clv })));
  await prisma.order.create({
    data: { shop: SEGMENT_SHOP, shopifyId: "gid://shopify/Order/1", customerShopifyId: "gid://shopify/Customer/1", totalPrice: "420.50", shopifyCreatedAt: new Date("2026-07-01T10:00:00Z"),
      lines: { create: [{ shop: SEGMENT_SHOP, shopifyId: "gid://shopify/LineItem/1", productShopifyId: "gid://shopify/Product/1", title: "Koffiebonen", quantity: 3, amount: "420.50" }] } },
  });
  const segment = await prisma.segment.create({
    data: { shop: SEGMENT_SHOP, handle: "trouwe-klanten", name: "Trouwe klanten", rules: JSON.stringify({ all: [{ field: "orderCount", operator: "gte", value: 2 }] }), memberCount: 3, controlCount: 1, controlGroupPercent: 10, membersAsOf: new Date(), membersSnapshotId: snapshotId },
  });
  const profiles = await prisma.customerProfile.findMany({ where: { snapshotId } });
  await prisma.segmentMembership.createMany({ data: profiles.map((p) => ({ shop: SEGMENT_SHOP, segmentId: segment.id, customerShopifyId: p.customerShopifyId, customerId: p.customerId, isControl: p.customerShopifyId.endsWith("/3") })) });
  await prisma.segmentMemberCount.createMany({ data: [1, 2, 3].map((members, d) => ({ segmentId: segment.id, at: new Date(Date.UTC(2026, 10, 1 + d)), members, controls: members > 2 ? 1 : 0 })) });
  return segment.id;
}
