/**
 * Measures how long the simulator's store generator takes for one million orders
 * (issue #3 requires < 60 s on the project machines). Run: npx tsx bench/simulator-generate.bench.ts
 */
import { generateStore } from "../tools/shopify-sim/store-generator.ts";

const targetOrders = Number(process.argv[2] ?? 1_000_000);
const runs = Number(process.argv[3] ?? 3);
for (let run = 1; run <= runs; run++) {
  const started = performance.now();
  const store = generateStore({ seed: run, shopName: "bench", targetOrders });
  const seconds = (performance.now() - started) / 1000;
  const heapMb = process.memoryUsage().heapUsed / 1e6;
  console.log(
    `run ${run}: ${store.orders.count} orders, ${store.customers.count} customers, ` +
      `${store.orders.lineStart[store.orders.count]} line items in ${seconds.toFixed(2)} s ` +
      `(${Math.round(store.orders.count / seconds)} orders/s, heap ${heapMb.toFixed(0)} MB)`,
  );
}
