/**
 * The backfill's customers stage alone: the simulator's 1M-order shop exports its customers
 * (the same query the backfill runs), then the real importer (app/sync/bulk/bulk-import.ts, the
 * SQLite batch writer with the parse thread) imports the file from disk into a fresh database.
 *
 *   npx tsx bench/customers-import.bench.ts [orders=1000000] [sqlite|postgresql]
 *
 * BENCH_VARIANT=no-triggers drops Customer's insert triggers (search terms, tag rows) first: a
 * diagnosis of what they cost, not a way the app runs.
 */
import fs from "node:fs";
import os from "node:os";
import { createTestDatabase, type Dialect } from "../tests/db/test-database";
import { createShopifySimulator } from "../tools/shopify-sim/simulator";
import { importBulkJsonl } from "../app/sync/bulk/bulk-import";
import { closeBulkConnections } from "../app/db/bulk-connections.server";
import { BULK_QUERIES } from "../app/shopify/documents/bulk-queries";

const orders = Number(process.argv[2] ?? 1_000_000);
const dialect = (process.argv[3] ?? "sqlite") as Dialect;
const variant = process.env.BENCH_VARIANT ?? "as-is";
const sim = await createShopifySimulator({ seed: 1, historyEnd: Date.UTC(2026, 11, 2), shops: [{ name: "big", targetOrders: orders }] });
const runtime = sim.shops.big.runtime;
let t = performance.now();
sim.bulk.runQuery(runtime, BULK_QUERIES.customers);
await sim.bulk.idle();
const op = runtime.bulkOperations.at(-1)!;
console.log(`export: ${op.rootObjectCount} customers, ${(op.fileSize / 1e6).toFixed(0)} MB in ${((performance.now() - t) / 1000).toFixed(1)} s`);

const db = await createTestDatabase(dialect);
try {
  const shop = runtime.store.shop.domain;
  if (variant === "no-triggers") {
    for (const name of ["Customer_tags_insert", "Customer_search_terms_insert"]) await db.prisma.$executeRawUnsafe(`DROP TRIGGER "${name}"`);
  }
  const run = await db.prisma.syncRun.create({ data: { shop, kind: "backfill" } });
  const sqliteFile = db.config.dialect === "sqlite" ? db.config.filePath : undefined;
  const load = os.loadavg()[0];
  const cpu = process.cpuUsage();
  t = performance.now();
  await importBulkJsonl({
    prisma: db.prisma, dialect, shop, runId: run.id, resource: "customers", jsonl: { chunks: fs.createReadStream(op.resultPath!) }, sqliteFile,
    database: db.config.dialect === "postgresql" ? db.config : undefined,
  });
  const seconds = (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  const [customers, tags, terms] = await Promise.all([db.prisma.customer.count(), db.prisma.customerTag.count(), db.prisma.customerSearchTerm.count()]);
  console.log(
    `${dialect} ${variant}: ${customers} customers (${tags} tag rows, ${terms} search terms) in ${seconds.toFixed(2)} s = ${Math.round(customers / seconds)}/s ` +
      `(load ${load.toFixed(2)}, process CPU ${((used.user + used.system) / 1e6).toFixed(1)} s)`,
  );
} finally {
  await closeBulkConnections();
  await db.drop();
  await sim.close();
}
