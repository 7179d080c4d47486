/**
 * Issue 3's "done when": the app, with its unchanged Shopify client code, is opened from the
 * simulator's admin page, authenticates by token exchange, and reads the generated shop.
 * Only SHOPIFY_SIMULATOR_URL differs from a real deployment.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createShopifySimulator, type ShopifySimulator } from "../../tools/shopify-sim/simulator";
import { DEFAULT_HISTORY_END } from "../../tools/shopify-sim/store-generator";
import { APP_URL, startAppUnderTest, type AppUnderTest } from "./app-under-test";
import { TEST_API_KEY, TEST_API_SECRET } from "./session-token";
import { simulatorUrlFor } from "~/config/shopify-simulator.server";

describe("simulatorUrlFor", () => {
  it("rewrites only https://*.myshopify.com URLs", () => {
    expect(simulatorUrlFor("https://demo.myshopify.com/admin/api/2026-10/graphql.json", "http://127.0.0.1:4010/")).toBe(
      "http://127.0.0.1:4010/demo.myshopify.com/admin/api/2026-10/graphql.json",
    );
    expect(simulatorUrlFor("https://cdn.shopify.com/x.js", "http://127.0.0.1:4010")).toBe("https://cdn.shopify.com/x.js");
    expect(simulatorUrlFor("https://evil.com/demo.myshopify.com/", "http://127.0.0.1:4010")).toBe("https://evil.com/demo.myshopify.com/");
  });
});

describe("the app against the simulator", () => {
  let sim: ShopifySimulator;
  let app: AppUnderTest;

  beforeAll(async () => {
    sim = await createShopifySimulator({
      seed: 7,
      historyEnd: DEFAULT_HISTORY_END,
      shops: [{ name: "frame", targetOrders: 400 }],
      appUrl: `${APP_URL}/app`,
      apiKey: TEST_API_KEY,
      apiSecret: TEST_API_SECRET,
      webhookSubscriptions: [],
    });
    app = await startAppUnderTest("sqlite", { simulatorUrl: sim.url });
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
  });

  it("opens from the simulated admin, exchanges the session token and reads the generated shop", async () => {
    // GIVEN the merchant opens the app in the (simulated) Shopify admin
    const page = await (await fetch(`${sim.url}/store/frame/apps/${TEST_API_KEY}`)).text();
    const iframeSrc = /<iframe[^>]*src="([^"]+)"/.exec(page)?.[1]?.replace(/&#38;|&amp;/g, "&");
    expect(iframeSrc).toMatch(/id_token=/);

    // WHEN the app's own layout loader authenticates that request
    const layout = await app.load<typeof import("~/routes/app")>("~/routes/app");
    const data = (await layout.loader({ request: new Request(iframeSrc!), params: {}, context: {} })) as { appBridgeUrl?: string };

    // THEN token exchange stored an expiring offline token with its refresh token
    const stored = await app.db.prisma.session.findUniqueOrThrow({ where: { id: "offline_frame.myshopify.com" } });
    expect(stored.refreshToken).toMatch(/^shprt_/);
    expect(stored.expires!.getTime()).toBeGreaterThan(Date.now());
    // afterAuth recorded the install
    expect((await app.db.prisma.shop.findUniqueOrThrow({ where: { shop: "frame.myshopify.com" } })).installState).toBe("installed");
    // and the page loads App Bridge from the simulator, not the unreachable CDN
    expect(data.appBridgeUrl).toBe(`${sim.url}/app-bridge.js`);

    // AND a background job reads the generated shop through the app's Shopify client
    const { unauthenticated } = await app.load<typeof import("~/shopify.server")>("~/shopify.server");
    const { admin } = await unauthenticated.admin("frame.myshopify.com");
    const response = await admin.graphql(`#graphql
      query { shop { myshopifyDomain } orders(first: 5, sortKey: CREATED_AT) { nodes { id createdAt } } }`);
    const body = (await response.json()) as {
      data: { shop: { myshopifyDomain: string }; orders: { nodes: { id: string; createdAt: string }[] } };
    };
    expect(body.data.shop.myshopifyDomain).toBe("frame.myshopify.com");
    // the same store the simulator generated: its earliest orders
    const orders = sim.shops.frame.runtime.store.orders;
    const earliest = [...orders.createdAt].sort((a, b) => a - b).slice(0, 5);
    expect(body.data.orders.nodes.map((o) => Date.parse(o.createdAt))).toEqual(earliest.map((t) => Math.floor(t / 1000) * 1000));
  });
});
