import "@shopify/shopify-api/adapters/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiVersion, RequestedTokenType, shopifyApi } from "@shopify/shopify-api";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { createManualClock } from "./clock.ts";
import { createShopifySimulator, type ShopifySimulator } from "./simulator.ts";
import { DEFAULT_HISTORY_END } from "./store-generator.ts";

const API_KEY = "embedded-key";
const API_SECRET = "embedded-secret";
let sim: ShopifySimulator;
const clock = createManualClock(Date.now());

const api = () =>
  shopifyApi({
    apiKey: API_KEY, apiSecretKey: API_SECRET, apiVersion: ApiVersion.October26, isEmbeddedApp: true,
    hostName: "app.example.test", scopes: ["read_customers"], logger: { level: 0 },
  });

beforeAll(async () => {
  sim = await createShopifySimulator({ seed: 9, clock, historyEnd: DEFAULT_HISTORY_END, shops: [{ name: "embedded", targetOrders: 200 }], apiKey: API_KEY, apiSecret: API_SECRET, appUrl: "http://127.0.0.1:9/app" });
  // How the app is pointed at the simulator: route the library's fetch through a URL rewrite.
  setAbstractFetchFunc(sim.fetch);
});
afterAll(async () => sim.close());

describe("session tokens", () => {
  it("are HS256 JWTs that @shopify/shopify-api's decodeSessionToken accepts, with Shopify's claims", async () => {
    const token = sim.mintSessionToken("embedded", { userId: "42" });
    const payload = await api().session.decodeSessionToken(token);
    expect(payload).toMatchObject({
      iss: "https://embedded.myshopify.com/admin", dest: "https://embedded.myshopify.com", aud: API_KEY, sub: "42",
    });
    for (const claim of ["exp", "nbf", "iat", "jti", "sid"]) expect(payload).toHaveProperty(claim);
    // Tamper with the signature's first character: its last characters carry base64url padding bits, so
    // replacing them can leave the decoded signature unchanged (a flaky test, CI stop 41).
    const signatureStart = token.lastIndexOf(".") + 1;
    const tampered = token.slice(0, signatureStart) + (token[signatureStart] === "A" ? "B" : "A") + token.slice(signatureStart + 1);
    await expect(api().session.decodeSessionToken(tampered)).rejects.toThrow();
  });
});

describe("token exchange and refresh through @shopify/shopify-api", () => {
  it("exchanges a session token for an expiring offline token that reads the shop, then refreshes and rotates", async () => {
    const shopify = api();
    const { session } = await shopify.auth.tokenExchange({
      shop: "embedded.myshopify.com",
      sessionToken: sim.mintSessionToken("embedded"),
      requestedTokenType: RequestedTokenType.OfflineAccessToken,
      expiring: true,
    });
    expect(session.id).toBe("offline_embedded.myshopify.com");
    expect(session.isOnline).toBe(false);
    expect(session.refreshToken).toMatch(/^shprt_/);
    const lifetime = session.expires!.getTime() - Date.now();
    expect(lifetime).toBeGreaterThan(3590_000);
    expect(lifetime).toBeLessThanOrEqual(3600_000);

    // The unchanged GraphQL client reads the simulated shop.
    const client = new shopify.clients.Graphql({ session });
    const shop = await client.request("{ shop { myshopifyDomain } customers(first: 2) { nodes { id } } }");
    expect(shop.data?.shop.myshopifyDomain).toBe("embedded.myshopify.com");
    expect(shop.data?.customers.nodes).toHaveLength(2);

    // 60 minutes later the access token stops working...
    await clock.advance(3600_000);
    await expect(client.request("{ shop { name } }")).rejects.toMatchObject({ response: { code: 401 } });

    // ...and the refresh token yields a new pair.
    const refreshed = (await shopify.auth.refreshToken({ shop: session.shop, refreshToken: session.refreshToken! })).session;
    expect(refreshed.accessToken).not.toBe(session.accessToken);
    expect(refreshed.refreshToken).not.toBe(session.refreshToken);
    const again = await new shopify.clients.Graphql({ session: refreshed }).request("{ shop { name } }");
    expect(again.data?.shop.name).toBe("embedded");

    // Rotation: once the new refresh token is used, the first one is dead.
    await shopify.auth.refreshToken({ shop: session.shop, refreshToken: refreshed.refreshToken! });
    await expect(shopify.auth.refreshToken({ shop: session.shop, refreshToken: session.refreshToken! })).rejects.toThrow();
  });

  it("answers an online token request with associated_user", async () => {
    const { session } = await api().auth.tokenExchange({
      shop: "embedded.myshopify.com",
      sessionToken: sim.mintSessionToken("embedded", { userId: "77" }),
      requestedTokenType: RequestedTokenType.OnlineAccessToken,
    });
    expect(session.isOnline).toBe(true);
    expect(session.onlineAccessInfo?.associated_user.id).toBe(77);
  });

  it("refuses a token signed with another secret", async () => {
    const forged = (await import("./session-tokens.ts")).mintSessionToken({ shop: "embedded.myshopify.com", apiKey: API_KEY, apiSecret: "wrong" });
    const response = await sim.fetch("https://embedded.myshopify.com/admin/oauth/access_token", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        client_id: API_KEY, client_secret: API_SECRET, grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: forged, subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
        requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_subject_token" });
  });
});

describe("embedded admin stand-ins", () => {
  it("serves an App Bridge script defining window.shopify and an admin page framing the app", async () => {
    const script = await (await fetch(`${sim.url}/app-bridge.js`)).text();
    for (const part of ["window.shopify", "idToken", "toast", "environment", "config"]) expect(script).toContain(part);
    expect(script).toContain(JSON.stringify(sim.url)); // session tokens come from this simulator
    const token = await (await fetch(`${sim.url}/session-token?shop=embedded.myshopify.com`)).text();
    await expect(api().session.decodeSessionToken(token)).resolves.toMatchObject({ aud: API_KEY });
    const page = await (await fetch(`${sim.url}/store/embedded/apps/${API_KEY}`)).text();
    const src = /<iframe[^>]*src="([^"]+)"/.exec(page)![1].replace(/&#38;/g, "&");
    const url = new URL(src);
    expect(url.origin + url.pathname).toBe("http://127.0.0.1:9/app");
    expect(url.searchParams.get("shop")).toBe("embedded.myshopify.com");
    expect(url.searchParams.get("embedded")).toBe("1");
    expect(Buffer.from(url.searchParams.get("host")!, "base64url").toString()).toBe("admin.shopify.com/store/embedded");
    await expect(api().session.decodeSessionToken(url.searchParams.get("id_token")!)).resolves.toMatchObject({ dest: "https://embedded.myshopify.com" });
  });
});
