/**
 * Webhook intake on loopback: HMAC-signed POSTs through the app's real webhook route
 * (app/routes/webhooks.orders.create.tsx → authenticate.webhook → recordWebhook), served by a
 * minimal node:http adapter (the Remix server adds its own routing cost on top). Reports
 * requests/s and p50/p99 latency at a fixed concurrency, then proves none were lost: every
 * request answered 200 and the database holds exactly one WebhookEvent per webhook id.
 *
 *   npx tsx bench/sync-webhook-intake.bench.ts [requests=5000] [concurrency=32] [dialects=sqlite,postgresql]
 */
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

const total = Number(process.argv[2] ?? 5_000);
const concurrency = Number(process.argv[3] ?? 32);
const dialects = (process.argv[4] ?? "sqlite,postgresql").split(",");
const SECRET = "bench-api-secret";
const SHOP = "intake.myshopify.com";

let loggedError = false;
type Route = { action: (args: { request: Request; params: object; context: object }) => Promise<Response> };

if (!process.env.BENCH_CHILD_DIALECT) {
  // db.server reads DATABASE_URL when first imported: each database gets its own process.
  const { createTestDatabase } = await import("../tests/db/test-database");
  for (const dialect of dialects) {
    const db = await createTestDatabase(dialect as "sqlite" | "postgresql");
    try {
      const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1], ...process.argv.slice(2)], {
        env: { ...process.env, BENCH_CHILD_DIALECT: dialect, DATABASE_URL: db.config.url },
        stdio: "inherit",
      });
      if (child.status !== 0) process.exitCode = 1;
    } finally {
      await db.drop();
    }
  }
} else {
  const dialect = process.env.BENCH_CHILD_DIALECT;
  const { prisma } = await import("../app/db.server");
  const db = { prisma };
  if (dialect === "sqlite") {
    const mode = (await prisma.$queryRawUnsafe("PRAGMA journal_mode")) as { journal_mode: string }[];
    // app/db/driver-adapter.server.ts opens every SQLite connection in WAL.
    console.log(`sqlite journal_mode: ${mode[0].journal_mode}`);
  }
  Object.assign(process.env, {
    NODE_ENV: "test",
    SHOPIFY_API_KEY: "bench-api-key",
    SHOPIFY_API_SECRET: SECRET,
    SHOPIFY_APP_URL: "https://bench.example.com",
    SCOPES: "read_customers,read_orders,read_products",
  });
  // BENCH_HANDLER=minimal: node:crypto HMAC check + recordWebhook, without shopify-app-remix's
  // authenticate.webhook, to separate the library's cost from the database's.
  const minimal = process.env.BENCH_HANDLER === "minimal";
  const { recordWebhook } = await import("../app/services/webhooks.server");
  const route: Route = minimal
    ? {
        action: async ({ request }) => {
          const body = await request.text();
          const expected = crypto.createHmac("sha256", SECRET).update(body).digest();
          const given = Buffer.from(request.headers.get("x-shopify-hmac-sha256") ?? "", "base64");
          if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return new Response("Unauthorized", { status: 401 });
          await recordWebhook({
            shop: request.headers.get("x-shopify-shop-domain")!,
            topic: "ORDERS_CREATE",
            webhookId: request.headers.get("x-shopify-webhook-id")!,
            eventId: request.headers.get("x-shopify-event-id") ?? undefined,
            apiVersion: request.headers.get("x-shopify-api-version") ?? undefined,
            payload: body,
          });
          return new Response();
        },
      }
    : ((await import("../app/routes/webhooks.orders.create.tsx")) as Route);
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    let response: Response;
    try {
      response = await route.action({ request: new Request(`https://bench.example.com${req.url}`, { method: "POST", headers, body: Buffer.concat(chunks) }), params: {}, context: {} });
    } catch (thrown) {
      if (!(thrown instanceof Response) && !loggedError) {
        loggedError = true;
        console.error(thrown);
      }
      response = thrown instanceof Response ? thrown : new Response(String(thrown), { status: 500 });
    }
    res.writeHead(response.status).end(await response.text());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/orders/create`;

  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const send = async (i: number) => {
    const id = `9${String(i).padStart(18, "0")}`; // 19 digits: beyond 2^53
    const body = `{"id":${id},"admin_graphql_api_id":"gid://shopify/Order/${id}","updated_at":"2026-11-22T10:00:00+00:00","current_total_price_set":{"shop_money":{"amount":"19.99","currency_code":"USD"}}}`;
    const hmac = crypto.createHmac("sha256", SECRET).update(body).digest("base64");
    const t = performance.now();
    const r = await fetch(url, {
      method: "POST",
      body,
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Hmac-Sha256": hmac,
        "X-Shopify-Topic": "orders/create",
        "X-Shopify-Shop-Domain": SHOP,
        "X-Shopify-API-Version": "2026-10",
        "X-Shopify-Webhook-Id": `bench-${i}`,
        "X-Shopify-Event-Id": `event-${i}`,
      },
    });
    await r.arrayBuffer();
    latencies.push(performance.now() - t);
    statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
  };
  // warm-up (module init, first connections), not measured
  for (let i = 0; i < 50; i++) await send(total + i);
  latencies.length = 0;
  statuses.clear();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await send(next++);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
  const stored = await db.prisma.webhookEvent.count({ where: { shop: SHOP, webhookId: { startsWith: "bench-" } } });
  const first = (await db.prisma.webhookEvent.findFirst({ where: { shop: SHOP, webhookId: "bench-0" }, select: { payload: true } }))?.payload ?? "";
  console.log(
    `${dialect} (${minimal ? "minimal HMAC + recordWebhook handler" : "app route"}): ${total} webhooks, concurrency ${concurrency}: ${Math.round(total / seconds)} req/s, p50 ${q(0.5)} ms, p99 ${q(0.99)} ms; ` +
      `statuses ${JSON.stringify(Object.fromEntries(statuses))}; stored ${stored - 50}/${total} (+50 warm-up); 64-bit id kept: ${first.includes('"id":9000000000000000000,')}`,
  );
  if (stored - 50 !== total || statuses.get(200) !== total) throw new Error("webhooks were lost or refused");
  await new Promise<void>((r) => server.close(() => r()));
  await prisma.$disconnect();
}
