/**
 * The simulator's admin frames the app as Shopify's admin does for navigation: the app's path
 * is kept in the admin URL while the merchant moves through the app, a reload reopens that page
 * with fresh shop, host and id_token parameters, and the admin's language switch reaches the app.
 */
import http from "node:http";
import net from "node:net";
import { chromium, type Browser, type Frame, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createShopifySimulator, type ShopifySimulator } from "./simulator.ts";
import { DEFAULT_HISTORY_END } from "./store-generator.ts";

const DESKTOP_CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
let sim: ShopifySimulator;
let app: http.Server;
let browser: Browser;

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

describe.skipIf(process.env.TEST_BROWSER === "0")("the simulator admin's navigation", () => {
  beforeAll(async () => {
    const port = await freePort();
    // A stand-in app: any page loads the simulator's App Bridge, as the real app does.
    app = http.createServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/html" });
      res.end(`<!doctype html><html><head><script src="${sim.url}/app-bridge.js" data-api-key="nav-key"></script></head><body>app</body></html>`);
    });
    await new Promise<void>((resolve) => app.listen(port, "127.0.0.1", resolve));
    sim = await createShopifySimulator({ seed: 3, historyEnd: DEFAULT_HISTORY_END, shops: [{ name: "nav", targetOrders: 50 }], appUrl: `http://127.0.0.1:${port}/app`, apiKey: "nav-key", apiSecret: "nav-secret" });
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await sim?.close();
    await new Promise((resolve) => app?.close(resolve));
  });

  const appFrame = async (page: Page): Promise<Frame> => {
    const frame = page.frame({ name: "app-iframe" })!;
    await frame.waitForLoadState();
    return frame;
  };

  it("keeps the app's path in the admin URL and reopens it on reload, with a fresh token and the chosen language", async () => {
    const page = await browser.newPage({ userAgent: DESKTOP_CHROME });
    await page.goto(`${sim.url}/store/nav/apps/nav-key/customers?locale=nl`);
    let frame = await appFrame(page);
    let inApp = new URL(frame.url());
    expect(inApp.pathname).toBe("/app/customers");
    expect(inApp.searchParams.get("shop")).toBe("nav.myshopify.com");
    expect(inApp.searchParams.get("locale")).toBe("nl");
    const firstToken = inApp.searchParams.get("id_token");
    expect(firstToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

    // The app moves to another page (a client-side route change): the admin's address follows.
    await frame.evaluate(() => history.pushState(null, "", "/app/customer-base?period=30d&shop=nav.myshopify.com&embedded=1"));
    await page.waitForURL(`${sim.url}/store/nav/apps/nav-key/customer-base?period=30d&locale=nl`);

    await page.reload();
    frame = await appFrame(page);
    inApp = new URL(frame.url());
    expect(inApp.pathname).toBe("/app/customer-base");
    expect(inApp.searchParams.get("period")).toBe("30d");
    expect(inApp.searchParams.get("host")).toBeTruthy();
    expect(inApp.searchParams.get("embedded")).toBe("1");
    expect(inApp.searchParams.get("id_token")).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

    // The language switch reloads the admin in Danish, on the same app page.
    await expect(page.getByLabel("Language").inputValue()).resolves.toBe("nl");
    await page.getByLabel("Language").selectOption("da");
    await page.waitForURL(/locale=da/);
    frame = await appFrame(page);
    inApp = new URL(frame.url());
    expect(inApp.pathname).toBe("/app/customer-base");
    expect(inApp.searchParams.get("locale")).toBe("da");
    await page.close();
  }, 60_000);

  it("passes the admin's language to the app at its root page too", async () => {
    const page = await browser.newPage({ userAgent: DESKTOP_CHROME });
    await page.goto(`${sim.url}/store/nav/apps/nav-key?locale=da`);
    const frame = await appFrame(page);
    await frame.waitForURL(/locale=da/);
    expect(new URL(frame.url()).pathname).toBe("/app");
    await page.close();
  }, 30_000);
});
