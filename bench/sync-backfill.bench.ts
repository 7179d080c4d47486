/**
 * Backfill throughput: orders/s from a bulk-operation JSONL file into SQLite and PostgreSQL
 * through the real importer (app/sync/bulk/bulk-import.ts: streamed lines, batched multi-row
 * upserts in transactions, progress in SyncRun). The file is read from disk, so the figure is
 * the importer's, not the network's.
 *
 *   npx tsx bench/sync-backfill.bench.ts [orders=100000] [dialects=sqlite,postgresql]
 *
 * BENCH_MODES=native (or prisma) runs only that SQLite path. The native SQLite path and the
 * PostgreSQL path parse on a second thread (parallel-import.ts); SYNC_IMPORT_THREADS=0 measures
 * them on one. On PostgreSQL the server's CPU time for the import (its backends for the bench's
 * database, read from /proc) is printed too: on a shared machine the wall time says more about
 * the neighbours than about the importer.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDatabase, type Dialect } from "../tests/db/test-database";
import { fixtureJsonl, makeFixtureStore } from "../tests/sync/fixtures/bulk-fixture";
import { importBulkJsonl } from "../app/sync/bulk/bulk-import";
import { closeBulkConnections } from "../app/db/bulk-connections.server";

const orders = Number(process.argv[2] ?? 100_000);
const dialects = (process.argv[3] ?? "sqlite,postgresql").split(",") as Dialect[];
const shop = "bench.myshopify.com";
/** Root objects per transaction (BENCH_BATCH; the backfill's default is 1,000). */
const batchSize = Number(process.env.BENCH_BATCH ?? 2000);

const file = path.join(os.tmpdir(), `sync-bench-orders-${orders}.jsonl`);
const customersFile = path.join(os.tmpdir(), `sync-bench-customers-${orders}.jsonl`);
/** Writes the two files and keeps only the counts: the fixture's objects (hundreds of MB) are garbage before the import, as in the app. */
function writeFixtureFiles() {
  const store = makeFixtureStore({ customers: Math.round(orders / 3), orders, products: 200, seed: 11 });
  // In slices: a million orders' JSONL is longer than the longest string V8 allows.
  const slice = 10_000;
  fs.writeFileSync(file, "");
  for (let at = 0; at < orders; at += slice) {
    const part = { ...store, orders: store.orders.slice(at, at + slice) };
    fs.appendFileSync(file, fixtureJsonl(part, "orders").join("\n") + "\n");
  }
  fs.writeFileSync(customersFile, fixtureJsonl(store, "customers").join("\n") + "\n");
  return { lineCount: store.lineCount, customerCount: store.customers.length };
}
const fixture = writeFixtureFiles();
console.log(`JSONL: ${orders} orders, ${fixture.lineCount} line items (${(fs.statSync(file).size / 1e6).toFixed(1)} MB); ${fixture.customerCount} customers`);

/** The file as the backfill gets a download: raw chunks (parsed on a second thread unless SYNC_IMPORT_THREADS=0). */
const fileChunks = (f: string) => ({ chunks: fs.createReadStream(f) });

/** CPU seconds used so far by the PostgreSQL server processes serving `database` (Linux /proc; null elsewhere). */
function serverCpuSeconds(database: string): number | null {
  if (!fs.existsSync("/proc/self/stat")) return null;
  const ticksPerSecond = 100; // USER_HZ on Linux
  let ticks = 0;
  for (const pid of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      // A backend's command line reads "postgres: <user> <database> <client> <state>".
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(` ${database} `)) continue;
      const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks / ticksPerSecond;
}

const sqliteModes = (process.env.BENCH_MODES ?? "native,prisma").split(",");
const modes: [Dialect, string][] = dialects.flatMap((d): [Dialect, string][] =>
  d === "sqlite" ? sqliteModes.map((m): [Dialect, string] => ["sqlite", m]) : [[d, "prisma"]],
);
for (const [dialect, mode] of modes) {
  const db = await createTestDatabase(dialect);
  const sqliteFile = mode === "native" && db.config.dialect === "sqlite" ? db.config.filePath : undefined;
  const postgres = db.config.dialect === "postgresql" ? db.config : undefined;
  try {
    const run = await db.prisma.syncRun.create({ data: { shop, kind: "backfill" } });
    let t = performance.now();
    await importBulkJsonl({ prisma: db.prisma, dialect, shop, runId: run.id, resource: "customers", jsonl: fileChunks(customersFile), sqliteFile, database: postgres });
    const customerSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    const load = os.loadavg()[0];
    const database = db.config.dialect === "postgresql" ? new URL(db.config.url).pathname.slice(1) : null;
    const serverBefore = database ? serverCpuSeconds(database) : null;
    const cpu = process.cpuUsage();
    await importBulkJsonl({ prisma: db.prisma, dialect, shop, runId: run.id, resource: "orders", jsonl: fileChunks(file), batchSize, sqliteFile, database: postgres });
    const seconds = (performance.now() - t) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    const serverAfter = database ? serverCpuSeconds(database) : null;
    const serverCpu = serverBefore !== null && serverAfter !== null ? `, server CPU ${(serverAfter - serverBefore).toFixed(2)} s` : "";
    const stored = await db.prisma.order.count({ where: { shop } });
    const lines = await db.prisma.orderLine.count({ where: { shop } });
    if (stored !== orders || lines !== fixture.lineCount) throw new Error(`incomplete import: ${stored} orders, ${lines} lines`);
    console.log(
      `${dialect} (${mode === "native" ? "better-sqlite3 batch writer" : dialect === "sqlite" ? "Prisma raw multi-row upserts" : "COPY writer"}): ${orders} orders + ${lines} lines in ${seconds.toFixed(2)} s = ${Math.round(orders / seconds)} orders/s ` +
        `(load ${load.toFixed(2)}, CPU ${cpuSeconds.toFixed(2)} s: user ${(used.user / 1e6).toFixed(2)}, sys ${(used.system / 1e6).toFixed(2)}${serverCpu}); ` +
        `${fixture.customerCount} customers in ${customerSeconds.toFixed(2)} s = ${Math.round(fixture.customerCount / customerSeconds)} customers/s`,
    );
  } finally {
    await closeBulkConnections();
    await db.drop();
  }
}
fs.rmSync(file, { force: true });
fs.rmSync(customersFile, { force: true });
