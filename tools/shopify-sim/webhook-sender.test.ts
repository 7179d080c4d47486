import "@shopify/shopify-api/adapters/node";
import { afterEach, describe, expect, it } from "vitest";
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import { shopifyApp } from "@shopify/shopify-app-remix/server";
import { createManualClock } from "./clock.ts";
import { createShopifySimulator, type ShopifySimulator } from "./simulator.ts";
import { startTestReceiver } from "./test-receiver.ts";
import { numericId } from "./resource-ids.ts";
import { FIRST_RETRY_DELAY_MS, MAX_RETRIES, RETRY_WINDOW_MS } from "./webhook-sender.ts";

const API_KEY = "test-key";
const API_SECRET = "test-secret-for-hmac";
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setup(answer?: Parameters<typeof startTestReceiver>[0], faults = {}) {
  const receiver = await startTestReceiver(answer);
  const clock = createManualClock(Date.UTC(2026, 10, 5, 12));
  const sim: ShopifySimulator = await createShopifySimulator({
    seed: 3, clock, shops: [{ name: "hooks", targetOrders: 400 }], appUrl: receiver.url,
    apiKey: API_KEY, apiSecret: API_SECRET, webhookFaults: faults,
  });
  cleanups.push(() => receiver.close(), () => sim.close());
  return { receiver, clock, sim };
}

function toWebRequest(url: string, r: { headers: Record<string, unknown>; rawBody: Buffer }): Request {
  const headers = new Headers();
  for (const [k, v] of Object.entries(r.headers)) if (typeof v === "string") headers.set(k, v);
  return new Request(url, { method: "POST", headers, body: new Uint8Array(r.rawBody) });
}

/** Minimal in-memory session storage for shopifyApp(). */
const memoryStorage = () => {
  const sessions = new Map<string, any>();
  return {
    storeSession: async (s: any) => { sessions.set(s.id, s); return true; },
    loadSession: async (id: string) => sessions.get(id),
    deleteSession: async (id: string) => sessions.delete(id),
    deleteSessions: async (ids: string[]) => { ids.forEach((id) => sessions.delete(id)); return true; },
    findSessionsByShop: async (shop: string) => [...sessions.values()].filter((s) => s.shop === shop),
  };
};

describe("webhook delivery", () => {
  it("signs bodies that pass @shopify/shopify-api and shopify-app-remix verification; a changed byte fails", async () => {
    const { receiver, clock, sim } = await setup();
    const message = sim.triggerWebhook("hooks", "orders/create", { order: 7 })!;
    await clock.advance(10);
    await sim.webhooks.idle();
    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0];
    expect(got.path).toBe("/webhooks/orders/create");
    expect(got.headers["x-shopify-topic"]).toBe("orders/create");
    expect(got.headers["x-shopify-shop-domain"]).toBe("hooks.myshopify.com");
    expect(got.headers["x-shopify-api-version"]).toBe("2026-10");
    expect(got.headers["x-shopify-name"]).toBe("shopify-sim");
    expect(got.headers["x-shopify-webhook-id"]).toBe(message.webhookId);
    expect(got.headers["x-shopify-event-id"]).toBe(message.eventId);
    expect(Date.parse(String(got.headers["x-shopify-triggered-at"]))).toBe(Date.UTC(2026, 10, 5, 12));

    const api = shopifyApi({ apiKey: API_KEY, apiSecretKey: API_SECRET, apiVersion: ApiVersion.October26, isEmbeddedApp: true, hostName: "localhost" });
    const valid = await api.webhooks.validate({ rawBody: got.rawBody.toString("utf8"), rawRequest: toWebRequest(`${receiver.url}${got.path}`, got) } as any);
    expect(valid).toMatchObject({ valid: true, topic: "ORDERS_CREATE", domain: "hooks.myshopify.com", webhookId: message.webhookId });
    const tampered = Buffer.from(got.rawBody);
    tampered[tampered.length - 2] ^= 1;
    const invalid = await api.webhooks.validate({ rawBody: tampered.toString("utf8"), rawRequest: toWebRequest(`${receiver.url}${got.path}`, got) } as any);
    expect(invalid.valid).toBe(false);

    // The app's own entry point: shopify-app-remix authenticate.webhook.
    const app = shopifyApp({
      apiKey: API_KEY, apiSecretKey: API_SECRET, apiVersion: ApiVersion.October26, appUrl: receiver.url,
      scopes: ["read_orders"], sessionStorage: memoryStorage() as any, isEmbeddedApp: true, logger: { level: 0 },
      future: { unstable_newEmbeddedAuthStrategy: true, expiringOfflineAccessTokens: true },
    });
    const context = await app.authenticate.webhook(toWebRequest(`${receiver.url}${got.path}`, got));
    expect(context.topic).toBe("ORDERS_CREATE");
    expect(context.webhookId).toBe(message.webhookId);
    const rejected = await app.authenticate.webhook(toWebRequest(`${receiver.url}${got.path}`, { ...got, rawBody: tampered })).catch((r: Response) => r);
    expect((rejected as Response).status).toBe(401);
  });

  it("writes REST payloads with raw 64-bit numeric ids and admin_graphql_api_id", async () => {
    const { receiver, clock, sim } = await setup();
    sim.triggerWebhook("hooks", "orders/create", { order: 3 });
    await clock.advance(10);
    await sim.webhooks.idle();
    const text = receiver.received[0].rawBody.toString("utf8");
    const id = numericId("Order", 3);
    expect(text).toContain(`"id":${id},`);
    expect(text).toContain(`"admin_graphql_api_id":"gid://shopify/Order/${id}"`);
    // JSON.parse silently loses the digits: exactly what the app must guard against.
    expect(String(JSON.parse(text).id)).not.toBe(id);
  });

  it("announces the app's own tag changes with customers/update, as Shopify does", async () => {
    const { receiver, clock, sim } = await setup();
    const shop = sim.shops.hooks;
    const id = `gid://shopify/Customer/${numericId("Customer", 4)}`;
    const response = await sim.fetch(`https://${shop.domain}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": shop.accessToken },
      body: JSON.stringify({ query: `mutation { tagsAdd(id: "${id}", tags: ["seg:champions"]) { userErrors { message } } }` }),
    });
    expect(((await response.json()) as any).data.tagsAdd.userErrors).toEqual([]);
    await clock.advance(10);
    await sim.webhooks.idle();
    const updates = receiver.received.filter((r) => r.headers["x-shopify-topic"] === "customers/update");
    expect(updates).toHaveLength(1);
    const body = updates[0].rawBody.toString();
    expect(body).toContain(`"admin_graphql_api_id":"${id}"`);
    // 2025-01+ customer payloads carry no tags (SHOPIFY.md §0).
    expect(body).not.toContain("seg:champions");
  });

  it("on uninstall revokes tokens, sends app/uninstalled, and shop/redact 48 hours later", async () => {
    const { receiver, clock, sim } = await setup();
    const shop = sim.shops.hooks;
    sim.uninstallApp("hooks");
    await clock.advance(10);
    await sim.webhooks.idle();
    expect(receiver.received.map((r) => r.headers["x-shopify-topic"])).toEqual(["app/uninstalled"]);
    expect(JSON.parse(receiver.received[0].rawBody.toString())).toMatchObject({ myshopify_domain: "hooks.myshopify.com" });
    const response = await sim.fetch(`https://${shop.domain}/admin/api/2026-10/graphql.json`, {
      method: "POST", headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": shop.accessToken },
      body: JSON.stringify({ query: "{ shop { name } }" }),
    });
    expect(response.status).toBe(401);
    await clock.advance(47 * 3_600_000);
    await sim.webhooks.idle();
    expect(receiver.received).toHaveLength(1);
    await clock.advance(3_600_000);
    await sim.webhooks.idle();
    expect(receiver.received.map((r) => r.headers["x-shopify-topic"])).toEqual(["app/uninstalled", "shop/redact"]);
  });

  it("sends customers/redact with the customer's orders to redact", async () => {
    const { receiver, clock, sim } = await setup();
    const store = sim.shops.hooks.runtime.store;
    const c = store.orders.customerIdx[0];
    sim.sendComplianceRequest("hooks", "customers/redact", c);
    await clock.advance(10);
    await sim.webhooks.idle();
    const text = receiver.received[0].rawBody.toString();
    let count = 0;
    for (let i = 0; i < store.orders.count; i++) if (store.orders.customerIdx[i] === c) count++;
    expect(text).toContain(`"customer":{"id":${numericId("Customer", c)},`);
    expect(text.match(/"orders_to_redact":\[([^\]]*)\]/)![1].split(",")).toHaveLength(count);
    expect(text).toContain(numericId("Order", 0));
  });

  it("retries a failing endpoint 8 times over 4 hours with exponential backoff, reusing the webhook id", async () => {
    const { receiver, clock, sim } = await setup(() => 500);
    sim.triggerWebhook("hooks", "customers/update", { customer: 2 });
    await clock.advance(10);
    await sim.webhooks.idle();
    for (let i = 0; i < MAX_RETRIES; i++) {
      await clock.advance(FIRST_RETRY_DELAY_MS * 2 ** i);
      await sim.webhooks.idle();
    }
    expect(receiver.received).toHaveLength(1 + MAX_RETRIES);
    expect(new Set(receiver.received.map((r) => r.headers["x-shopify-webhook-id"])).size).toBe(1);
    const times = sim.webhooks.attempts.map((a) => a.at);
    expect(times[times.length - 1] - times[0]).toBeCloseTo(RETRY_WINDOW_MS, -2);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i] / gaps[i - 1]).toBeCloseTo(2, 5);
    await clock.advance(RETRY_WINDOW_MS);
    await sim.webhooks.idle();
    expect(receiver.received).toHaveLength(1 + MAX_RETRIES);
    expect(sim.webhooks.abandoned).toHaveLength(1);
  });

  it("stops retrying once the endpoint answers 2xx", async () => {
    const { receiver, clock, sim } = await setup((_r, i) => (i < 2 ? 503 : 200));
    sim.triggerWebhook("hooks", "orders/create", { order: 1 });
    await clock.advance(10);
    await sim.webhooks.idle();
    await clock.advance(RETRY_WINDOW_MS);
    await sim.webhooks.idle();
    expect(receiver.received.map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it("delivers duplicates with the same webhook and event ids when asked", async () => {
    const { receiver, clock, sim } = await setup(undefined, { duplicateProbability: 1 });
    for (let i = 0; i < 3; i++) sim.triggerWebhook("hooks", "orders/create", { order: i });
    await clock.advance(1000);
    await sim.webhooks.idle();
    expect(receiver.received).toHaveLength(6);
    const ids = receiver.received.map((r) => `${r.headers["x-shopify-webhook-id"]}|${r.headers["x-shopify-event-id"]}`);
    expect(new Set(ids).size).toBe(3);
  });

  it("delays and reorders deliveries when asked", async () => {
    const { receiver, clock, sim } = await setup(undefined, { delayMs: 60_000, reorderWindowMs: 30_000 });
    const sent = [];
    for (let i = 0; i < 12; i++) {
      sent.push(sim.triggerWebhook("hooks", "orders/create", { order: i })!.webhookId);
      await clock.advance(100);
    }
    await clock.advance(59_000);
    await sim.webhooks.idle();
    expect(receiver.received.length).toBeLessThan(12); // the minute of delay has not passed for all
    await clock.advance(40_000);
    await sim.webhooks.idle();
    const arrived = receiver.received.map((r) => r.headers["x-shopify-webhook-id"]);
    expect([...arrived].sort()).toEqual([...sent].sort());
    expect(arrived).not.toEqual(sent);
  });
});
