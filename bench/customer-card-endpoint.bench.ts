/**
 * The customer card's data request as the admin sends it: GET /api/customer-card with a fresh
 * session token from the simulator and a foreign Origin, one request at a time (a merchant
 * opens one customer page at a time), against a running demo (`bash scripts/start.sh`).
 * Reports p50/p95/max latency; the token is fetched outside the timed part.
 *
 *   npx tsx bench/customer-card-endpoint.bench.ts [requests=200] [simulator=http://127.0.0.1:4010] [app=http://127.0.0.1:3000] [shop=demo]
 */
const [requests = "200", sim = "http://127.0.0.1:4010", app = "http://127.0.0.1:3000", shopName = "demo"] = process.argv.slice(2);
const shop = `${shopName}.myshopify.com`;
// shopify-app-remix answers 410 to bots, which includes Node's default user agent.
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";

const info = (await (await fetch(`${sim}/_sim/info`)).json()) as { shops: { domain: string; customers: number }[] };
const customers = info.shops.find((s) => s.domain === shop)?.customers ?? 0;
if (customers === 0) throw new Error(`${shop} is not on the simulator at ${sim}`);

const times: number[] = [];
const statuses = new Map<number, number>();
for (let i = 0; i < Number(requests); i++) {
  const token = await (await fetch(`${sim}/session-token?shop=${shop}`)).text();
  // Customers spread over the store (sequence → 8 + 18-digit id, as the simulator numbers them).
  const id = `gid://shopify/Customer/8${String(1 + ((i * 7919) % customers)).padStart(18, "0")}`;
  const started = performance.now();
  const response = await fetch(`${app}/api/customer-card?customerId=${encodeURIComponent(id)}`, {
    headers: { Authorization: `Bearer ${token}`, Origin: sim, "User-Agent": BROWSER },
  });
  await response.arrayBuffer();
  times.push(performance.now() - started);
  statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
}
times.sort((a, b) => a - b);
const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1);
console.log(`${times.length} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms`);

// A module (for top-level await).
export {};
