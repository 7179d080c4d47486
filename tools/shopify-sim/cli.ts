/**
 * CLI: `npm run sim -- --port 4010 --seed 1 --orders 50000 --shops demo,other`
 * Starts the Shopify simulator and prints its URLs and credentials.
 */
import { parseArgs } from "node:util";
import { createSystemClock } from "./clock.ts";
import { assertNotProduction, createShopifySimulator } from "./simulator.ts";

const USAGE = `Usage: npm run sim -- [options]
  --port <n>              port on 127.0.0.1 (default 4010; 0 = any free port)
  --host <addr>           listen address (default 127.0.0.1)
  --seed <n>              store seed (default 1)
  --orders <n>            approximate orders per shop (default 50000; 1000000 for a large shop)
  --history-end <date>    last day of generated history, YYYY-MM-DD (default today: the store
                          runs up to the day the simulator starts; a date makes it reproducible)
  --shops <a,b>           shop names (default demo)
  --plus <a,b>            shops on the Plus plan (20,000-point bucket)
  --app-url <url>         the app's URL (webhooks go to <app-url>/webhooks/<topic>)
  --api-key <key>         app API key (default sim-api-key)
  --api-secret <secret>   app API secret (default sim-api-secret)
  --compression <x>       simulated seconds per real second (default 1)
  --live                  keep placing orders and updating customers
  --orders-per-minute <n> live-mode order rate per shop (simulated minutes, default 6)
  --duplicates <p>        probability that a webhook is delivered twice
  --reorder-ms <n>        random extra webhook delay window (reorders deliveries)
  --help`;

function fail(message: string): never {
  console.error(`shopify-sim: ${message}`);
  process.exit(1);
}

function numberFlag(name: string, value: string | undefined, fallback: number, check: (n: number) => boolean = (n) => Number.isFinite(n)): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!check(n)) fail(`--${name} must be a valid number, got "${value}"`);
  return n;
}

/** `--history-end 2026-12-02`: history runs through that day (ends at the next midnight UTC). */
function historyEndFlag(value: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const day = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  if (!match || new Date(day).toISOString().slice(0, 10) !== value) fail(`--history-end must be a date YYYY-MM-DD, got "${value}"`);
  return day + 86_400_000;
}

async function main() {
  try {
    assertNotProduction();
  } catch (error) {
    fail((error as Error).message.replace(/^shopify-sim /, ""));
  }
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        port: { type: "string" }, host: { type: "string" }, seed: { type: "string" }, orders: { type: "string" }, "history-end": { type: "string" },
        shops: { type: "string" }, plus: { type: "string" }, "app-url": { type: "string" }, "api-key": { type: "string" },
        "api-secret": { type: "string" }, compression: { type: "string" }, live: { type: "boolean" },
        "orders-per-minute": { type: "string" }, duplicates: { type: "string" }, "reorder-ms": { type: "string" }, help: { type: "boolean" },
      },
      strict: true,
    }).values;
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
  }
  if (parsed.help) {
    console.log(USAGE);
    return;
  }
  const names = (parsed.shops ?? "demo").split(",").map((s) => s.trim()).filter(Boolean);
  const plus = new Set((parsed.plus ?? "").split(",").map((s) => s.trim()).filter(Boolean));
  for (const p of plus) if (!names.includes(p)) fail(`--plus names a shop not in --shops: ${p}`);
  const orders = numberFlag("orders", parsed.orders, 50_000, (n) => Number.isInteger(n) && n > 0);
  const compression = numberFlag("compression", parsed.compression, 1, (n) => n > 0);
  const appUrl = parsed["app-url"];
  if (appUrl) {
    try {
      new URL(appUrl);
    } catch {
      fail(`--app-url is not a URL: ${appUrl}`);
    }
  }
  const historyEnd = parsed["history-end"] === undefined ? undefined : historyEndFlag(parsed["history-end"]);
  const started = performance.now();
  const sim = await createShopifySimulator({
    historyEnd,
    seed: numberFlag("seed", parsed.seed, 1, Number.isInteger),
    port: numberFlag("port", parsed.port, 4010, (n) => Number.isInteger(n) && n >= 0 && n < 65536),
    host: parsed.host,
    shops: names.map((name) => ({ name, targetOrders: orders, plan: plus.has(name) ? "plus" : "standard" })),
    appUrl,
    apiKey: parsed["api-key"],
    apiSecret: parsed["api-secret"],
    clock: createSystemClock({ compression }),
    webhookFaults: {
      duplicateProbability: numberFlag("duplicates", parsed.duplicates, 0, (n) => n >= 0 && n <= 1),
      reorderWindowMs: numberFlag("reorder-ms", parsed["reorder-ms"], 0, (n) => n >= 0),
    },
  }).catch((error: Error) => fail(error.message));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`Shopify simulator ready at ${sim.url} (generated in ${seconds} s)`);
  console.log(`  api key / secret: ${sim.apiKey} / ${sim.apiSecret}`);
  const lastDay = new Date(sim.historyEnd - 1).toISOString().slice(0, 10);
  for (const shop of Object.values(sim.shops)) {
    const store = shop.runtime.store;
    console.log(`\n  ${shop.domain} (${store.shop.plan}): ${store.customers.count} customers, ${store.orders.count} orders, history through ${lastDay}`);
    console.log(`    GraphQL:       POST ${sim.graphqlUrl(shop.name)}`);
    console.log(`    access token:  ${shop.accessToken}`);
    console.log(`    token endpoint: POST ${sim.url}/${shop.domain}/admin/oauth/access_token`);
    if (appUrl) console.log(`    admin (embedded app): ${sim.url}/store/${shop.name}/apps/${sim.apiKey}`);
  }
  console.log(`\n  App Bridge stand-in: ${sim.url}/app-bridge.js`);
  console.log(`  info: GET ${sim.url}/_sim/info · trigger webhook: POST ${sim.url}/_sim/webhooks {shop, topic, order|customer}`);
  if (!appUrl) console.log("  (no --app-url: webhooks are not delivered)");
  if (parsed.live) {
    sim.startLiveMode({ ordersPerMinute: numberFlag("orders-per-minute", parsed["orders-per-minute"], 6, (n) => n >= 0) });
    console.log("  live mode: on");
  }
  const shutdown = () => {
    void sim.close().then(() => process.exit(0));
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

void main();
