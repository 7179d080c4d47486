/**
 * Throughput of the simulator's Admin GraphQL endpoint and bulk export over HTTP on 127.0.0.1.
 * Run: npx tsx bench/simulator-graphql.bench.ts [orders]
 * The bucket is bypassed with a fast manual clock so the numbers measure the simulator, not the
 * simulated rate limit.
 */
import { createManualClock } from "../tools/shopify-sim/clock.ts";
import { createShopifySimulator } from "../tools/shopify-sim/simulator.ts";

const orders = Number(process.argv[2] ?? 200_000);
const clock = createManualClock(Date.UTC(2026, 10, 1));
const started = performance.now();
const sim = await createShopifySimulator({ seed: 1, clock, shops: [{ name: "bench", targetOrders: orders }] });
console.log(`startup with ${sim.shops.bench.runtime.store.orders.count} orders: ${((performance.now() - started) / 1000).toFixed(2)} s`);
const shop = sim.shops.bench;

async function gql(query: string, variables: Record<string, unknown> = {}) {
  await clock.advance(60_000); // refill the bucket between requests
  const response = await sim.fetch(`https://${shop.domain}/admin/api/2026-10/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": shop.accessToken },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as any;
}

// 1. Paging orders 80 at a time (cost 2 + 80 × 11 = 882 ≤ 1,000) with line items (the app's incremental sync shape).
const PAGE = `query($after: String) { orders(first: 80, after: $after, sortKey: UPDATED_AT, query: "updated_at:>'2026-06-01'") {
  nodes { id name updatedAt currentTotalPriceSet { shopMoney { amount } } customer { id } lineItems(first: 5) { nodes { id quantity } } }
  pageInfo { hasNextPage endCursor } } }`;
let after: string | null = null;
let pages = 0;
let nodes = 0;
let t = performance.now();
do {
  const body = await gql(PAGE, { after });
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  pages++;
  nodes += body.data.orders.nodes.length;
  after = body.data.orders.pageInfo.hasNextPage ? body.data.orders.pageInfo.endCursor : null;
} while (after && pages < 200);
let seconds = (performance.now() - t) / 1000;
console.log(`paged sync: ${pages} pages, ${nodes} orders in ${seconds.toFixed(2)} s (${(pages / seconds).toFixed(0)} requests/s, ${(nodes / seconds).toFixed(0)} orders/s)`);

// 2. Bulk export of every order with its line items.
t = performance.now();
const run = await gql(`mutation { bulkOperationRunQuery(groupObjects: false, query: "{ orders { edges { node { id createdAt currentTotalPriceSet { shopMoney { amount } } customer { id } lineItems { edges { node { id quantity } } } } } } }") { bulkOperation { id } userErrors { message } } }`);
await sim.bulk.idle();
const op = (await gql(`query($id: ID!) { bulkOperation(id: $id) { status objectCount rootObjectCount fileSize url } }`, { id: run.data.bulkOperationRunQuery.bulkOperation.id })).data.bulkOperation;
const text = await (await fetch(op.url)).text();
seconds = (performance.now() - t) / 1000;
console.log(`bulk export: ${op.rootObjectCount} orders, ${op.objectCount} lines, ${(Number(op.fileSize) / 1e6).toFixed(1)} MB in ${seconds.toFixed(2)} s (${(Number(op.objectCount) / seconds).toFixed(0)} lines/s), downloaded ${text.length} chars`);
await sim.close();
