/**
 * A large simulated shop (issue #16, "Try it large"): how long the simulator takes to generate a
 * shop of N orders and to run the backfill's own bulk exports of it (app/shopify/documents/
 * bulk-queries.ts), the size of each JSONL, and the process's memory (peak RSS, heap after).
 *
 *   npx tsx bench/simulator-bulk-export.bench.ts [orders=1000000]
 *
 * BENCH_EXECUTOR=graphql-js runs the exports through graphql-js (the reference) instead of the
 * compiled path (tools/shopify-sim/bulk-jsonl.ts); BENCH_RESOURCES=orders picks exports.
 *
 * The store is generated for a fixed day, so every run exports the same shop.
 */
import os from "node:os";
import { BULK_QUERIES, BULK_RESOURCES } from "../app/shopify/documents/bulk-queries";
import { createManualClock } from "../tools/shopify-sim/clock";
import { createShopifySimulator } from "../tools/shopify-sim/simulator";

const orders = Number(process.argv[2] ?? 1_000_000);
const clock = createManualClock(Date.UTC(2026, 11, 3));
const mb = (bytes: number) => `${Math.round(bytes / 1e6)} MB`;
const peakRss = () => mb(process.resourceUsage().maxRSS * 1024);

let started = performance.now();
const sim = await createShopifySimulator({ seed: 1, clock, shops: [{ name: "big", targetOrders: orders }],
  bulkExecutor: process.env.BENCH_EXECUTOR === "graphql-js" ? "graphql-js" : "compiled",
});
const store = sim.shops.big.runtime.store;
console.log(
  `generated ${store.orders.count} orders, ${store.customers.count} customers, ${store.orders.lineStart[store.orders.count]} line items ` +
    `in ${((performance.now() - started) / 1000).toFixed(1)} s (peak RSS ${peakRss()}, heap ${mb(process.memoryUsage().heapUsed)})`,
);

async function gql(query: string, variables: Record<string, unknown> = {}) {
  await clock.advance(60_000); // a minute between calls: the cost bucket never throttles the bench
  const response = await sim.fetch(`https://${store.shop.domain}/admin/api/2026-10/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": sim.shops.big.accessToken },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data: Record<string, any> };
}

try {
  for (const resource of (process.env.BENCH_RESOURCES?.split(",") as typeof BULK_RESOURCES | undefined) ?? BULK_RESOURCES) {
    started = performance.now();
    const cpu = process.cpuUsage();
    const load = os.loadavg()[0];
    const run = await gql(`mutation($q: String!) { bulkOperationRunQuery(query: $q, groupObjects: false) { bulkOperation { id } userErrors { message } } }`, {
      q: BULK_QUERIES[resource],
    });
    const errors = run.data.bulkOperationRunQuery.userErrors;
    if (errors.length) throw new Error(`${resource}: ${errors[0].message}`);
    await sim.bulk.idle();
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const op = (await gql(`query($id: ID!) { bulkOperation(id: $id) { status objectCount rootObjectCount fileSize } }`, { id: run.data.bulkOperationRunQuery.bulkOperation.id }))
      .data.bulkOperation;
    if (op.status !== "COMPLETED") throw new Error(`${resource}: bulk export ended ${op.status}`);
    console.log(
      `bulk export ${resource}: ${op.rootObjectCount} roots, ${op.objectCount} lines, ${mb(Number(op.fileSize))} JSONL in ${seconds.toFixed(1)} s ` +
        `(${Math.round(Number(op.rootObjectCount) / seconds)} roots/s; CPU ${((used.user + used.system) / 1e6).toFixed(1)} s, load ${load.toFixed(2)}; ` +
        `peak RSS ${peakRss()}, heap ${mb(process.memoryUsage().heapUsed)})`,
    );
  }
} finally {
  await sim.close();
}
