/**
 * End to end through shopify-app-remix: the admin page's iframe URL (with id_token) reaches
 * `authenticate.admin`, which exchanges the session token with the simulator for an expiring
 * offline token, and `admin.graphql` reads the generated shop, all with the library's own code.
 */
import "@shopify/shopify-app-remix/adapters/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiVersion, shopifyApp } from "@shopify/shopify-app-remix/server";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { createShopifySimulator, type ShopifySimulator } from "./simulator.ts";
import { DEFAULT_HISTORY_END } from "./store-generator.ts";

const APP_URL = "https://app.example.test";
let sim: ShopifySimulator;
const sessions = new Map<string, any>();
const storage = {
  storeSession: async (s: any) => { sessions.set(s.id, s); return true; },
  loadSession: async (id: string) => sessions.get(id),
  deleteSession: async (id: string) => sessions.delete(id),
  deleteSessions: async (ids: string[]) => { ids.forEach((id) => sessions.delete(id)); return true; },
  findSessionsByShop: async (shop: string) => [...sessions.values()].filter((s) => s.shop === shop),
};

beforeAll(async () => {
  sim = await createShopifySimulator({ seed: 2, historyEnd: DEFAULT_HISTORY_END, shops: [{ name: "frame", targetOrders: 300 }], appUrl: `${APP_URL}/app`, apiKey: "frame-key", apiSecret: "frame-secret" });
  setAbstractFetchFunc(sim.fetch);
});
afterAll(async () => sim.close());

describe("shopify-app-remix against the simulator", () => {
  it("authenticate.admin exchanges the admin frame's id_token and admin.graphql reads the generated shop", async () => {
    const shopify = shopifyApp({
      apiKey: "frame-key", apiSecretKey: "frame-secret", apiVersion: ApiVersion.October26, appUrl: APP_URL,
      scopes: ["read_customers", "read_orders"], sessionStorage: storage as any, isEmbeddedApp: true,
      future: { unstable_newEmbeddedAuthStrategy: true, expiringOfflineAccessTokens: true },
      logger: { level: 0 },
    });
    const page = await (await fetch(`${sim.url}/store/frame/apps/frame-key`)).text();
    const iframeSrc = /<iframe[^>]*src="([^"]+)"/.exec(page)![1].replace(/&#38;/g, "&");
    const { admin, session } = await shopify.authenticate.admin(new Request(iframeSrc));
    expect(session.shop).toBe("frame.myshopify.com");
    expect(session.refreshToken).toMatch(/^shprt_/);
    expect(sessions.get("offline_frame.myshopify.com")).toBeDefined();
    const response = await admin.graphql(`#graphql
      query { shop { myshopifyDomain } customers(first: 3, sortKey: CREATED_AT) { nodes { id numberOfOrders } } }`);
    const body = (await response.json()) as any;
    expect(body.data.shop.myshopifyDomain).toBe("frame.myshopify.com");
    expect(body.data.customers.nodes).toHaveLength(3);
    expect(body.data.customers.nodes[0].id).toMatch(/^gid:\/\/shopify\/Customer\/\d{19}$/);

    // Background jobs: unauthenticated.admin uses the stored offline session.
    const background = await shopify.unauthenticated.admin("frame.myshopify.com");
    const orders = (await (await background.admin.graphql("{ orders(first: 1) { nodes { name } } }")).json()) as any;
    expect(orders.data.orders.nodes[0].name).toBe("#1001");
  });
});
