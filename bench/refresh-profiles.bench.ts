/**
 * The per-order refresh (issue "Fresh after every order"): time to rescore and rewrite one
 * customer's profile and a batch of 1,000, on a store analysed by the recompute benchmark.
 *
 *   BENCH_KEEP_DB=1 npx tsx bench/recompute.bench.ts 1000000 sqlite   # prints "kept <url>"
 *   npx tsx bench/refresh-profiles.bench.ts <url>
 *
 * Each run marks customers stale (as applying their orders would) and times
 * `refreshStaleProfiles`: read the basis, load their orders, score each alone, write in place.
 */
import { cpus, loadavg } from "node:os";
import { parseDatabaseUrl } from "../app/db/database-url";
import { createPrismaClient } from "../app/db.server";
import { closeBulkConnections } from "../app/db/bulk-connections.server";
import { markProfilesStale, refreshStaleProfiles } from "../app/snapshots/refresh-profiles.server";

const SHOP = "bench-recompute.myshopify.com";
const url = process.argv[2];
if (!url) throw new Error("usage: npx tsx bench/refresh-profiles.bench.ts <database url of a kept recompute bench>");
const database = parseDatabaseUrl(url);
const prisma = createPrismaClient(database);
const ctx = { prisma, database, dialect: database.dialect, now: () => new Date(), jobs: { enqueue: async () => {}, cancelShopJobs: async () => {} } };

const customers = (await prisma.customerProfile.findMany({ where: { shop: SHOP }, select: { customerShopifyId: true }, distinct: ["customerShopifyId"], take: 20_000 })).map((p) => p.customerShopifyId);
const percentile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))];
const results: Record<string, unknown> = {};
for (const batch of [1, 1_000]) {
  const times: number[] = [];
  const runs = batch === 1 ? 30 : 5;
  for (let run = 0; run < runs; run++) {
    const ids = customers.slice(run * batch, (run + 1) * batch);
    await markProfilesStale(ctx, SHOP, ids);
    const t0 = performance.now();
    const result = await refreshStaleProfiles(ctx, SHOP);
    times.push(performance.now() - t0);
    if (result.rescored !== ids.length) throw new Error(`rescored ${result.rescored} of ${ids.length}`);
  }
  results[`batch${batch}`] = { runs, p50Ms: Math.round(percentile(times, 0.5) * 10) / 10, p95Ms: Math.round(percentile(times, 0.95) * 10) / 10 };
}
const [profiles, orders] = await Promise.all([prisma.customerProfile.count({ where: { shop: SHOP } }), prisma.order.count({ where: { shop: SHOP } })]);
await closeBulkConnections();
await prisma.$disconnect();
console.log(JSON.stringify({ date: new Date().toISOString(), machine: `${cpus().length} × ${cpus()[0].model}`, load: loadavg()[0], dialect: database.dialect, orders, profiles, ...results }));
