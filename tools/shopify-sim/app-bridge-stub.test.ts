/**
 * Browser test of the embedded-admin stand-ins: the simulator's admin page frames a tiny app
 * page that loads /app-bridge.js; inside the iframe `shopify.idToken()` returns a session token
 * the app's library accepts and `shopify.toast.show` renders a toast.
 */
import "@shopify/shopify-api/adapters/node";
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser } from "playwright-core";
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import { createShopifySimulator, type ShopifySimulator } from "./simulator.ts";
import { DEFAULT_HISTORY_END } from "./store-generator.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
let sim: ShopifySimulator;
let browser: Browser;
let app: ReturnType<typeof createServer>;
let appUrl = "";
const seenQueries: URLSearchParams[] = [];

beforeAll(async () => {
  app = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://app");
    seenQueries.push(url.searchParams);
    res.writeHead(200, { "Content-Type": "text/html" });
    res.end(`<!doctype html><html><head>
      <script src="${sim.url}/app-bridge.js" data-api-key="${sim.apiKey}"></script></head>
      <body><p id="out">waiting</p><script>
        shopify.idToken().then((t) => { document.getElementById("out").textContent = t; shopify.toast.show("Segments pushed"); });
      </script></body></html>`);
  });
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", () => resolve()));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/app`;
  sim = await createShopifySimulator({ seed: 1, historyEnd: DEFAULT_HISTORY_END, shops: [{ name: "browser", targetOrders: 100 }], appUrl, apiKey: "browser-key", apiSecret: "browser-secret" });
  if (existsSync(CHROMIUM)) browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await sim?.close();
  await new Promise<void>((resolve) => app.close(() => resolve()));
});

describe.skipIf(!existsSync(CHROMIUM))("admin frame and App Bridge stand-in (Chromium)", () => {
  it("frames the app with shop/host/embedded/id_token and serves window.shopify.idToken and toast", async () => {
    const page = await browser.newPage();
    await page.goto(`${sim.url}/store/browser/apps/browser-key`);
    const frame = page.frameLocator("iframe[name=app-iframe]");
    await expect.poll(async () => (await frame.locator("#out").textContent()) ?? "", { timeout: 15_000 }).toMatch(/^ey/);
    const token = (await frame.locator("#out").textContent())!;
    const api = shopifyApi({ apiKey: "browser-key", apiSecretKey: "browser-secret", apiVersion: ApiVersion.October26, isEmbeddedApp: true, hostName: "localhost", logger: { level: 0 } });
    await expect(api.session.decodeSessionToken(token)).resolves.toMatchObject({ dest: "https://browser.myshopify.com", aud: "browser-key" });
    await expect.poll(async () => frame.locator("#shopify-sim-toasts").textContent(), { timeout: 5_000 }).toBe("Segments pushed");
    const query = seenQueries.at(-1)!;
    expect(query.get("shop")).toBe("browser.myshopify.com");
    expect(query.get("embedded")).toBe("1");
    expect(query.get("id_token")).toMatch(/^ey/);
  });
});
