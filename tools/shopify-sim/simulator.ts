/**
 * The Shopify simulator as a library: one local HTTP server answering for any number of
 * `<name>.myshopify.com` shops (Admin GraphQL, OAuth token endpoint, staged uploads, bulk
 * results, App Bridge stand-ins) plus webhook delivery to the app.
 *
 * Shop routing: the path prefix `/<name>.myshopify.com/…` (what a rewriting fetch produces from
 * `https://<name>.myshopify.com/…`) or the Host header `<name>.myshopify.com`.
 */
import { createReadStream } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { createSystemClock, type SimClock } from "./clock.ts";
import { API_VERSION, executeAdminRequest, loadAdminSchema } from "./admin-graphql.ts";
import { BulkOperationRunner, type BulkFailurePlan } from "./bulk-operations.ts";
import { createRandomSource } from "./random-source.ts";
import { generateStore, startOfUtcDay, type StoreGeneratorOptions } from "./store-generator.ts";
import { ShopRuntime } from "./shop-runtime.ts";
import { globalId } from "./resource-ids.ts";
import {
  restBulkOperationFinish, restCustomer, restCustomersDataRequest, restCustomersRedact, restOrder, restShop, restShopRedact,
  stringifyWithRawNumbers,
} from "./rest-payloads.ts";
import { WebhookSender, type WebhookFaults, type WebhookMessage, type WebhookSubscription } from "./webhook-sender.ts";
import { TokenAuthority, mintSessionToken } from "./session-tokens.ts";
import { adminFramePage, appBridgeScript } from "./app-bridge-stub.ts";
import { adminExtensionPage } from "./admin-extension-pages.ts";
import { startLiveMode, type LiveModeOptions } from "./live-mode.ts";

export interface ShopSpec extends Partial<Omit<StoreGeneratorOptions, "shopName" | "seed">> {
  name: string;
}

export interface ShopifySimulatorOptions {
  seed?: number;
  /** Shop names ("demo") or specs; default one shop "demo" with 2,000 orders. */
  shops?: (string | ShopSpec)[];
  /** Default order count for shops given by name only. */
  ordersPerShop?: number;
  /**
   * End of the generated history (epoch ms) for shops whose spec does not name one. Default:
   * midnight UTC starting the clock's current day, so the store's orders run up to the day the
   * simulator starts (a demo on the system clock shows a current store; a test on a manual
   * clock gets the same store every run). Tests on the system clock pass it explicitly.
   */
  historyEnd?: number;
  appUrl?: string;
  apiKey?: string;
  apiSecret?: string;
  scopes?: string;
  clock?: SimClock;
  port?: number;
  host?: string;
  /** Webhook subscriptions (topic "*" matches all); uri may contain {topic}. Default: "*" → "/webhooks/{topic}" named "shopify-sim" (X-Shopify-Name). */
  webhookSubscriptions?: WebhookSubscription[];
  webhookFaults?: WebhookFaults;
  /**
   * Send customers/update and orders/updated when the app's own mutations (tagsAdd, tagsRemove,
   * customerUpdate) change a record, as Shopify does. Default true.
   */
  mutationWebhooks?: boolean;
  /** How bulk queries run: "compiled" (default, bulk-jsonl.ts) or "graphql-js" for every object (the reference). */
  bulkExecutor?: "compiled" | "graphql-js";
}

export interface SimulatedShop {
  name: string;
  domain: string;
  /** Non-expiring offline token issued at start (for scripts and tests). */
  accessToken: string;
  runtime: ShopRuntime;
}

export interface ShopifySimulator {
  url: string;
  apiKey: string;
  apiSecret: string;
  shops: Record<string, SimulatedShop>;
  clock: SimClock;
  /** Where generated history ends for shops that did not name their own end (epoch ms). */
  historyEnd: number;
  webhooks: WebhookSender;
  bulk: BulkOperationRunner;
  /** Admin GraphQL endpoint of a shop as reachable on the simulator (path-prefix form). */
  graphqlUrl(shop: string): string;
  /** A fetch that sends `https://<shop>.myshopify.com/...` requests to the simulator. */
  fetch: typeof fetch;
  mintSessionToken(shop: string, options?: { userId?: string; ttlSeconds?: number }): string;
  /** Sends a webhook for a stored resource ("orders/create" with {order: row}) or a raw payload object. */
  triggerWebhook(shop: string, topic: string, subject?: { order?: number; customer?: number; payload?: unknown }, faults?: WebhookFaults): WebhookMessage | null;
  /**
   * Uninstalls the app from a shop: revokes its tokens, sends app/uninstalled now and
   * shop/redact 48 simulated hours later (as Shopify does).
   */
  uninstallApp(shop: string): WebhookMessage | null;
  /** Sends the mandatory compliance webhooks for customer row `customer`. */
  sendComplianceRequest(shop: string, topic: "customers/redact" | "customers/data_request", customer: number): WebhookMessage | null;
  injectBulkFailure(shop: string, plan: BulkFailurePlan): void;
  /** Empties the shop's rate-limit bucket: the next requests are THROTTLED until it refills. */
  drainRateLimit(shop: string): void;
  /**
   * Deletes customer row `customer` in Shopify: it no longer resolves (tagsAdd answers "Resource
   * not found") and customers/delete is sent. Lists and bulk exports still include the row.
   */
  deleteCustomer(shop: string, customer: number): WebhookMessage | null;
  expireBulkResults(shop: string): void;
  startLiveMode(options?: LiveModeOptions): { stop(): void };
  close(): Promise<void>;
}

/** Shopify sends shop/redact 48 hours after an uninstall. */
export const SHOP_REDACT_DELAY_MS = 48 * 3_600_000;

/** Throws when the simulator must not run (production). */
export function assertNotProduction(env: NodeJS.ProcessEnv = process.env) {
  if (env.NODE_ENV === "production") {
    throw new Error("shopify-sim refuses to start with NODE_ENV=production: it is a development/test tool that fakes Shopify.");
  }
}

function readBody(req: IncomingMessage, limit = 200 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error("request body too large"));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** The HTTP status an injected Admin API outage answers with, while it lasts. */
function activeOutage(runtime: ShopRuntime): number | null {
  const outage = runtime.adminOutage;
  return outage && Date.now() < outage.until ? outage.status : null;
}

function send(res: ServerResponse, status: number, body: string | Record<string, unknown>, contentType = "application/json; charset=utf-8", extra: Record<string, string> = {}) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(text), ...extra });
  res.end(text);
}

/** Starts a simulator. @throws with NODE_ENV=production or on invalid options. */
export async function createShopifySimulator(options: ShopifySimulatorOptions = {}): Promise<ShopifySimulator> {
  assertNotProduction();
  const seed = options.seed ?? 1;
  const clock = options.clock ?? createSystemClock();
  const apiKey = options.apiKey ?? "sim-api-key";
  const apiSecret = options.apiSecret ?? "sim-api-secret";
  const scopes = options.scopes ?? "read_customers,write_customers,read_orders,read_all_orders,read_products";
  const host = options.host ?? "127.0.0.1";
  loadAdminSchema();

  let baseUrl = "";
  const tokens = new TokenAuthority({ apiKey, apiSecret, scopes, clock });
  const random = createRandomSource(seed ^ 0x77eb);
  const webhooks = new WebhookSender({
    clock, random, apiSecret, appUrl: options.appUrl ?? null,
    subscriptions: options.webhookSubscriptions ?? [{ topic: "*", uri: "/webhooks/{topic}", name: "shopify-sim" }],
    faults: options.webhookFaults ?? {},
  });
  const byDomain = new Map<string, ShopRuntime>();
  const bulk = new BulkOperationRunner({
    executor: options.bulkExecutor,
    baseUrl: () => baseUrl,
    urlSecret: randomBytes(16).toString("hex"),
    onFinished: (runtime, op) => {
      const payload = restBulkOperationFinish({
        gid: globalId("BulkOperation", op.sequence), status: op.status, errorCode: op.errorCode,
        createdAt: op.createdAt, completedAt: op.completedAt, type: op.type,
      });
      webhooks.send(runtime.store.shop.domain, "bulk_operations/finish", stringifyWithRawNumbers(payload));
    },
  });

  const historyEnd = options.historyEnd ?? startOfUtcDay(clock.now());
  const shops: Record<string, SimulatedShop> = {};
  const specs = (options.shops ?? ["demo"]).map((s) => (typeof s === "string" ? { name: s } : s));
  specs.forEach((spec, i) => {
    const store = generateStore({ targetOrders: options.ordersPerShop ?? 2000, historyEnd, ...spec, shopName: spec.name, seed: seed * 1000 + i });
    const runtime = new ShopRuntime(store, clock);
    if (options.mutationWebhooks !== false) {
      runtime.onChange = (kind, row) => {
        const payload = kind === "customer" ? restCustomer(store, row) : restOrder(store, row);
        webhooks.send(store.shop.domain, kind === "customer" ? "customers/update" : "orders/updated", stringifyWithRawNumbers(payload));
      };
      // Since 2025-01 tag changes come on their own topics, naming only the tags that changed.
      runtime.onCustomerTags = (row, added, removed) => {
        const base = { customerId: globalId("Customer", row), occurredAt: new Date(clock.now()).toISOString() };
        if (added.length) webhooks.send(store.shop.domain, "customer.tags_added", JSON.stringify({ ...base, tags: added }));
        if (removed.length) webhooks.send(store.shop.domain, "customer.tags_removed", JSON.stringify({ ...base, tags: removed }));
      };
    }
    byDomain.set(store.shop.domain, runtime);
    shops[spec.name] = { name: spec.name, domain: store.shop.domain, accessToken: tokens.issueStatic(store.shop.domain), runtime };
  });

  const shopOf = (name: string) => {
    const shop = shops[name] ?? Object.values(shops).find((s) => s.domain === name);
    if (!shop) throw new Error(`shopify-sim: unknown shop "${name}" (known: ${Object.keys(shops).join(", ")})`);
    return shop;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://sim.local");
    let path = url.pathname;
    let domain: string | null = null;
    const prefixed = /^\/([a-z0-9][a-z0-9-]*\.myshopify\.com)(\/.*)?$/.exec(path);
    if (prefixed) {
      domain = prefixed[1];
      path = prefixed[2] ?? "/";
    } else {
      const hostHeader = (req.headers.host ?? "").replace(/:\d+$/, "");
      if (hostHeader.endsWith(".myshopify.com")) domain = hostHeader;
    }
    const method = req.method ?? "GET";
    if (method === "OPTIONS") {
      res.writeHead(204, { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "*", "Access-Control-Allow-Methods": "GET,POST" });
      res.end();
      return;
    }

    if (path === "/app-bridge.js" && method === "GET") {
      send(res, 200, appBridgeScript(baseUrl), "text/javascript; charset=utf-8", { "Access-Control-Allow-Origin": "*" });
      return;
    }
    if (path === "/session-token" && method === "GET") {
      const shop = url.searchParams.get("shop") ?? "";
      if (!byDomain.has(shop)) return send(res, 404, { errors: "Unknown shop" }, undefined, { "Access-Control-Allow-Origin": "*" });
      send(res, 200, mintSessionToken({ shop, apiKey, apiSecret }), "text/plain", { "Access-Control-Allow-Origin": "*" });
      return;
    }
    const adminPage = /^\/store\/([a-z0-9-]+)\/apps\/[^/]+\/?$/.exec(path);
    if (adminPage && method === "GET") {
      const domainOfPage = `${adminPage[1]}.myshopify.com`;
      if (!byDomain.has(domainOfPage)) return send(res, 404, "Unknown shop", "text/plain");
      if (!options.appUrl) return send(res, 500, "The simulator was started without an appUrl.", "text/plain");
      send(res, 200, adminFramePage({ shopDomain: domainOfPage, appUrl: options.appUrl, idToken: mintSessionToken({ shop: domainOfPage, apiKey, apiSecret }) }), "text/html; charset=utf-8");
      return;
    }
    // Customer pages with the app's customer-card extension (admin-extension-pages.ts).
    const extensionPage = await adminExtensionPage(path, method, url.searchParams, {
      appUrl: options.appUrl, apiKey, shop: (d) => byDomain.get(d), mintSessionToken: (d) => mintSessionToken({ shop: d, apiKey, apiSecret }),
    });
    if (extensionPage) return send(res, extensionPage.status, extensionPage.body, extensionPage.contentType);
    const bulkResult = /^\/bulk-results\/([a-z0-9-]+\.myshopify\.com)\/(\d+)\.jsonl$/.exec(path);
    if (bulkResult && method === "GET") {
      const runtime = byDomain.get(bulkResult[1]);
      if (!runtime) return send(res, 404, "NoSuchKey", "application/xml");
      const outage = activeOutage(runtime);
      if (outage) return send(res, outage, "<?xml version='1.0' encoding='UTF-8'?><Error><Code>InternalError</Code></Error>", "application/xml");
      const result = bulk.download(runtime, Number(bulkResult[2]), path, url.searchParams);
      if ("file" in result) {
        res.writeHead(200, { "Content-Type": "application/jsonl", "Content-Length": result.size });
        createReadStream(result.file).pipe(res);
        return;
      }
      return send(res, result.status, `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${result.reason}</Code></Error>`, "application/xml");
    }
    const staged = /^\/staged-uploads\/([a-z0-9-]+\.myshopify\.com)\/?$/.exec(path);
    if (staged && method === "POST") {
      const runtime = byDomain.get(staged[1]);
      if (!runtime) return send(res, 404, "NoSuchBucket", "application/xml");
      const raw = await readBody(req);
      const form = await new Response(new Uint8Array(raw), { headers: { "content-type": req.headers["content-type"] ?? "" } }).formData().catch(() => null);
      const key = form?.get("key");
      const file = form?.get("file");
      if (typeof key !== "string" || !runtime.stagedUploads.has(key) || file === null || file === undefined) {
        return send(res, 400, "<?xml version='1.0' encoding='UTF-8'?><Error><Code>InvalidArgument</Code><Message>Expected a staged key and a file field.</Message></Error>", "application/xml");
      }
      const content = typeof file === "string" ? file : await (file as Blob).text();
      runtime.stagedUploads.get(key)!.content = content;
      return send(res, 201, `<?xml version='1.0' encoding='UTF-8'?><PostResponse><Key>${key}</Key></PostResponse>`, "application/xml");
    }

    // Control endpoints for tests and scripts in other processes (development only, like the rest).
    if (path === "/_sim/info" && method === "GET") {
      return send(res, 200, {
        url: baseUrl, apiVersion: API_VERSION, apiKey,
        shops: Object.values(shops).map((s) => ({
          name: s.name, domain: s.domain, accessToken: s.accessToken, plan: s.runtime.store.shop.plan,
          customers: s.runtime.store.customers.count, orders: s.runtime.store.orders.count,
        })),
      });
    }
    if (path === "/_sim/admin-outage" && method === "POST") {
      let request: { shop?: string; seconds?: number; status?: number };
      try {
        request = JSON.parse((await readBody(req)).toString("utf8"));
      } catch {
        return send(res, 400, { error: "body must be JSON: {shop, seconds, status?}" });
      }
      const target = byDomain.get(request.shop ?? "");
      const status = request.status ?? 503;
      if (!target) return send(res, 404, { error: `unknown shop ${request.shop}` });
      if (!(Number(request.seconds) >= 0) || !(status >= 500 && status <= 599)) return send(res, 400, { error: "seconds must be ≥ 0 and status 5xx" });
      target.adminOutage = { status, until: Date.now() + Number(request.seconds) * 1000 };
      return send(res, 200, { until: new Date(target.adminOutage.until).toISOString(), status });
    }
    if (path === "/_sim/webhooks" && method === "POST") {
      let request: { shop?: string; topic?: string; order?: number; customer?: number; payload?: unknown; faults?: WebhookFaults };
      try {
        request = JSON.parse((await readBody(req)).toString("utf8"));
      } catch {
        return send(res, 400, { error: "body must be JSON: {shop, topic, order|customer|payload, faults?}" });
      }
      try {
        const message = simulator.triggerWebhook(request.shop ?? "", request.topic ?? "", request, request.faults);
        return send(res, message ? 202 : 404, message ? { webhookId: message.webhookId, eventId: message.eventId } : { error: `no subscription for topic ${request.topic}` });
      } catch (error) {
        return send(res, 400, { error: (error as Error).message });
      }
    }

    if (!domain) return send(res, 404, { errors: "Not Found" });
    const runtime = byDomain.get(domain);
    if (!runtime) return send(res, 404, { errors: "Not Found" });

    if (path === "/admin/oauth/access_token" && method === "POST") {
      const raw = (await readBody(req)).toString("utf8");
      let body: Record<string, string>;
      try {
        body = (req.headers["content-type"] ?? "").includes("json") ? JSON.parse(raw) : Object.fromEntries(new URLSearchParams(raw));
      } catch {
        return send(res, 400, { error: "invalid_request", error_description: "Body is not valid JSON." });
      }
      const result = tokens.handleTokenRequest(domain, body);
      return send(res, result.status, result.body);
    }
    const graphql = /^\/admin\/api\/([^/]+)\/graphql\.json$/.exec(path);
    if (graphql) {
      const outage = activeOutage(runtime);
      if (outage) return send(res, outage, { errors: "Internal Server Error" });
      if (method !== "POST") return send(res, 405, { errors: "Method Not Allowed" });
      if (graphql[1] !== API_VERSION) return send(res, 404, { errors: `The Shopify simulator only serves API version ${API_VERSION}.` });
      const token = req.headers["x-shopify-access-token"];
      if (!tokens.check(Array.isArray(token) ? token[0] : token, domain)) {
        return send(res, 401, { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
      }
      let body: unknown;
      try {
        const raw = (await readBody(req)).toString("utf8");
        // Shopify also accepts a bare query with Content-Type: application/graphql.
        body = (req.headers["content-type"] ?? "").includes("application/graphql") ? { query: raw } : JSON.parse(raw);
      } catch {
        return send(res, 400, { errors: { query: "Required parameter missing or invalid" } });
      }
      const result = await executeAdminRequest(runtime, body, { bulkService: bulk, baseUrl });
      return send(res, result.status, result.body);
    }
    send(res, 404, { errors: "Not Found" });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error("[shopify-sim] request failed:", error);
      if (!res.headersSent) send(res, 500, { errors: "Internal simulator error" });
      else res.end();
    });
  });
  // Idle keep-alive connections stay open a minute, as a CDN edge keeps them (Node's default is
  // 5 s). In tests the app and the simulator share one event loop: after a bulk operation blocked
  // it for seconds, the server's 5 s close and the client's next request on that socket could
  // meet, and a request that is not retried (a staged upload, a result download) failed with
  // "other side closed" on a loaded machine.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  baseUrl = `http://${host}:${address.port}`;

  const simFetch: typeof fetch = (input, init) => {
    const original = typeof input === "string" ? input : input instanceof URL ? input.toString() : input.url;
    const rewritten = original.replace(/^https:\/\/([a-z0-9-]+\.myshopify\.com)\//, `${baseUrl}/$1/`);
    if (typeof input === "string" || input instanceof URL) return fetch(rewritten, init);
    return fetch(new Request(rewritten, input), init);
  };

  const live = new Set<{ stop(): void }>();
  const simulator: ShopifySimulator = {
    url: baseUrl,
    apiKey,
    apiSecret,
    shops,
    clock,
    historyEnd,
    webhooks,
    bulk,
    graphqlUrl: (shop) => `${baseUrl}/${shopOf(shop).domain}/admin/api/${API_VERSION}/graphql.json`,
    fetch: simFetch,
    mintSessionToken: (shop, opts) => mintSessionToken({ shop: shopOf(shop).domain, apiKey, apiSecret, ...opts }),
    triggerWebhook(shop, topic, subject = {}, faults) {
      const s = shopOf(shop);
      let payload: unknown = subject.payload;
      if (payload === undefined && subject.order !== undefined) payload = restOrder(s.runtime.store, subject.order);
      if (payload === undefined && subject.customer !== undefined) payload = restCustomer(s.runtime.store, subject.customer);
      if (payload === undefined) throw new Error(`triggerWebhook(${topic}): give an order, a customer or a payload`);
      return webhooks.send(s.domain, topic, stringifyWithRawNumbers(payload), faults);
    },
    uninstallApp(shop) {
      const s = shopOf(shop);
      tokens.revokeShop(s.domain);
      const store = s.runtime.store;
      clock.schedule(SHOP_REDACT_DELAY_MS, () => void webhooks.send(s.domain, "shop/redact", stringifyWithRawNumbers(restShopRedact(store))));
      return webhooks.send(s.domain, "app/uninstalled", stringifyWithRawNumbers(restShop(store)));
    },
    sendComplianceRequest(shop, topic, customer) {
      const s = shopOf(shop);
      const store = s.runtime.store;
      if (!(customer >= 0 && customer < store.customers.count)) throw new Error(`sendComplianceRequest: no customer row ${customer}`);
      const payload = topic === "customers/redact" ? restCustomersRedact(store, customer) : restCustomersDataRequest(store, customer, 1 + random.int(1_000_000));
      return webhooks.send(s.domain, topic, stringifyWithRawNumbers(payload));
    },
    injectBulkFailure: (shop, plan) => bulk.injectFailure(shopOf(shop).runtime, plan),
    drainRateLimit: (shop) => shopOf(shop).runtime.bucket.drain(),
    deleteCustomer(shop, customer) {
      const s = shopOf(shop);
      if (!(customer >= 0 && customer < s.runtime.store.customers.count)) throw new Error(`deleteCustomer: no customer row ${customer}`);
      s.runtime.deletedCustomers.add(customer);
      s.runtime.customerVersion++;
      const gid = globalId("Customer", customer);
      // The numeric id exceeds 2^53: written as raw digits, as Shopify's JSON carries it.
      return webhooks.send(s.domain, "customers/delete", `{"id":${gid.split("/").pop()},"admin_graphql_api_id":${JSON.stringify(gid)}}`);
    },
    expireBulkResults: (shop) => bulk.expireResults(shopOf(shop).runtime),
    startLiveMode(liveOptions = {}) {
      const handleLive = startLiveMode(simulator, liveOptions);
      live.add(handleLive);
      return {
        stop() {
          handleLive.stop();
          live.delete(handleLive);
        },
      };
    },
    async close() {
      for (const l of live) l.stop();
      await bulk.idle();
      await webhooks.idle();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
      bulk.dispose();
    },
  };
  return simulator;
}
