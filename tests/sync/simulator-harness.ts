/**
 * End-to-end harness: the real app modules (tests/app/app-under-test.ts) on a fresh database,
 * the Shopify simulator (tools/shopify-sim) with the app's API secret, a loopback HTTP server
 * that hands the simulator's webhook deliveries to the app's real webhook routes, and a sync
 * engine wired to the simulator through its rewriting fetch.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createShopifySimulator, type ShopifySimulator, type ShopSpec } from "../../tools/shopify-sim/simulator";
import { DEFAULT_HISTORY_END } from "../../tools/shopify-sim/store-generator";
import { APP_URL, startAppUnderTest, type AppUnderTest } from "../app/app-under-test";
import { TEST_API_KEY, TEST_API_SECRET } from "../app/session-token";
import type { Dialect } from "../db/test-database";
import { createSyncEngine, type SyncEngine, type SyncEngineOptions } from "../../app/jobs/worker.server";

type WebhookRoute = { action: (args: { request: Request; params: object; context: object }) => Promise<Response> };

export interface Harness {
  app: AppUnderTest;
  sim: ShopifySimulator;
  /** Where the app's webhook routes listen. */
  receiverUrl: string;
  /** Status codes the app answered, by webhook id. */
  answered: Map<string, number[]>;
  engine(options?: Partial<SyncEngineOptions>): SyncEngine;
  installShop(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function startHarness(dialect: Dialect, shops: (string | ShopSpec)[]): Promise<Harness> {
  const app = await startAppUnderTest(dialect);
  const routes = new Map<string, WebhookRoute>();
  const answered = new Map<string, number[]>();
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const path = (req.url ?? "/").split("?")[0];
    const module = `~/routes/${path.replace(/^\//, "").split("/").join(".")}`;
    try {
      let route = routes.get(module);
      if (!route) routes.set(module, (route = await app.load<WebhookRoute>(module)));
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      const request = new Request(`${APP_URL}${path}`, { method: req.method, headers, body: Buffer.concat(chunks) });
      let response: Response;
      try {
        response = await route.action({ request, params: {}, context: {} });
      } catch (thrown) {
        if (thrown instanceof Response) response = thrown;
        else throw thrown;
      }
      const id = String(req.headers["x-shopify-webhook-id"] ?? "");
      answered.set(id, [...(answered.get(id) ?? []), response.status]);
      res.writeHead(response.status).end(await response.text());
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A fixed end of history: the stores, and so the tests, never depend on the date they run.
  const sim = await createShopifySimulator({ shops, historyEnd: DEFAULT_HISTORY_END, apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl: receiverUrl, seed: 5 });
  const engines: SyncEngine[] = [];
  return {
    app,
    sim,
    receiverUrl,
    answered,
    engine(options = {}) {
      const engine = createSyncEngine({
        prisma: app.db.prisma,
        databaseUrl: app.db.config.url,
        fetch: sim.fetch,
        pollIntervalMs: 100,
        sweepIntervalMs: 100,
        batchSize: 2_000,
        ...options,
        onError: options.onError ?? (() => {}),
      });
      engines.push(engine);
      return engine;
    },
    /** What token exchange + afterAuth would leave: an offline session and the Shop row. */
    async installShop(name) {
      const shop = sim.shops[name];
      await app.db.prisma.session.create({
        data: { id: `offline_${shop.domain}`, shop: shop.domain, state: "", isOnline: false, scope: "read_customers,read_orders,read_all_orders,read_products", accessToken: shop.accessToken },
      });
      await app.db.prisma.shop.upsert({ where: { shop: shop.domain }, create: { shop: shop.domain }, update: {} });
      return shop.domain;
    },
    async close() {
      for (const e of engines) await e.stop();
      await sim.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
    },
  };
}

/** Polls `check` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
