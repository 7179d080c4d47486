/**
 * The demo's customer card: the simulator's admin has customer pages whose block frame loads
 * the extension's built module with a `shopify` global for that customer, and the session
 * token the frame's fetch sends is one the app's /api/customer-card accepts for that shop.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CustomerCard } from "~/customers/customer-card-contract";
import type { ExtensionHostConfig } from "../../tools/shopify-sim/admin-extension-host";
import { createShopifySimulator, type ShopifySimulator } from "../../tools/shopify-sim/simulator";
import { seedCurrentAnalysis } from "../db/seed-analysis";
import { APP_URL, startAppUnderTest, type AppUnderTest } from "./app-under-test";
import { TEST_API_KEY, TEST_API_SECRET } from "./session-token";

const SHOP = "cards.myshopify.com";
const FIRST_CUSTOMER = "8000000000000000001";
const FIRST_CUSTOMER_GID = `gid://shopify/Customer/${FIRST_CUSTOMER}`;

describe("the customer card in the simulator's admin", () => {
  let sim: ShopifySimulator;
  let app: AppUnderTest;
  const get = (path: string) => fetch(`${sim.url}${path}`);
  const unescape = (value: string) => value.replace(/&#38;|&amp;/g, "&");

  beforeAll(async () => {
    sim = await createShopifySimulator({
      seed: 3,
      shops: [{ name: "cards", targetOrders: 200 }],
      appUrl: APP_URL,
      apiKey: TEST_API_KEY,
      apiSecret: TEST_API_SECRET,
      webhookSubscriptions: [],
    });
    app = await startAppUnderTest("sqlite", { simulatorUrl: sim.url });
    const { prisma } = app.db;
    await prisma.shop.create({ data: { shop: SHOP, currencyCode: "EUR" } });
    await app.storeOfflineSession(SHOP);
    // A one-time buyer 30 days after their order: the reason uses the shop's usual gap (40 days).
    await seedCurrentAnalysis(prisma, SHOP, [
      {
        customerShopifyId: FIRST_CUSTOMER_GID, orderCount: 1, repeatPurchases: 0, daysSinceFirstOrder: 30, daysSinceLastOrder: 30, usualGapDays: 40,
        lifecycleStage: "active", customerGroup: "one-time", recencyScore: 3, frequencyScore: 1, monetaryScore: 2, rfmGroup: "about-to-sleep",
        pAlive: 0.61, churnRisk: "medium", expectedOrders: 0.3, predictedClv: 48.5, predictedClvLow: 20, predictedClvHigh: 90, nextOrderAt: null,
      },
    ], { asOf: "2026-04-16" });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await sim?.close();
  });

  it("lists the shop's customers with links to their pages", async () => {
    const response = await get("/store/cards/customers");
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`href="/store/cards/customers/${FIRST_CUSTOMER}"`);
  });

  it("a customer page frames the block, whose frame runs the built extension for that customer in the admin's language", async () => {
    const page = await (await get(`/store/cards/customers/${FIRST_CUSTOMER}?locale=nl`)).text();
    const frameSrc = unescape(/<iframe[^>]*src="([^"]+)"/.exec(page)![1]);
    expect(frameSrc).toBe(`/store/cards/customers/${FIRST_CUSTOMER}/blocks/customer-card?locale=nl`);

    const frame = await (await get(frameSrc)).text();
    const config = JSON.parse(/<script type="application\/json" id="extension-host-config">(.*?)<\/script>/s.exec(frame)![1]) as ExtensionHostConfig;
    expect(config).toMatchObject({
      target: "admin.customer-details.block.render",
      shop: SHOP,
      selectedId: FIRST_CUSTOMER_GID,
      locale: "nl",
      appUrl: APP_URL,
      appAdminPath: `/store/cards/apps/${TEST_API_KEY}`,
      moduleUrl: "/ui-extensions/customer-card.js",
    });
    expect((config.translations.lifecycle as Record<string, string>).active).toBe("Actief");
    expect(frame).toContain('<script type="module" src="/ui-extensions/host.js">');

    const module = await get(config.moduleUrl);
    expect(module.status).toBe(200);
    expect(module.headers.get("content-type")).toContain("javascript");
    const code = await module.text();
    expect(code).toContain("s-admin-block");
    expect(code).toContain("/api/customer-card?customerId=");
    const host = await get("/ui-extensions/host.js");
    expect(host.status).toBe(200);
    expect(await host.text()).toContain("extension-host-config");
  });

  it("the token the frame's fetch sends gets that customer's card from the app", async () => {
    const token = await (await get(`/session-token?shop=${SHOP}`)).text();
    const route = await app.load<typeof import("~/routes/api.customer-card")>("~/routes/api.customer-card");
    const request = new Request(`${APP_URL}/api/customer-card?customerId=${encodeURIComponent(FIRST_CUSTOMER_GID)}`, {
      headers: { Authorization: `Bearer ${token}`, Origin: sim.url },
    });
    const response = (await route.loader({ request, params: {}, context: {} })) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const card = (await response.json()) as CustomerCard;
    expect(card).toMatchObject({ state: "profile", customerId: FIRST_CUSTOMER_GID, lifecycleStage: "active", pAlive: 0.61, reason: { kind: "rhythm", rhythmOf: "shop", usualGapDays: 40, daysSinceLastOrder: 30 } });
  });

  it("the card's app: link opens the app page inside the simulated admin", async () => {
    const page = await (await get(`/store/cards/apps/${TEST_API_KEY}/app/customers?customer=${encodeURIComponent(FIRST_CUSTOMER_GID)}`)).text();
    const src = new URL(unescape(/<iframe[^>]*src="([^"]+)"/.exec(page)![1]));
    expect(`${src.origin}${src.pathname}`).toBe(`${APP_URL}/app/customers`);
    expect(src.searchParams.get("customer")).toBe(FIRST_CUSTOMER_GID);
    expect(src.searchParams.get("shop")).toBe(SHOP);
    expect(src.searchParams.get("id_token")).toMatch(/^ey/);
  });

  it("unknown shops and customers are 404s", async () => {
    expect((await get("/store/nope/customers/8000000000000000001")).status).toBe(404);
    expect((await get("/store/cards/customers/8000000000099999999")).status).toBe(404);
    expect((await get("/store/cards/customers/123")).status).toBe(404);
  });
});
