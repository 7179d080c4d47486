/**
 * The recompute's write phase alone, repeated on one database: loads and analyses a store kept by
 * `BENCH_KEEP_DB=1 npx tsx bench/recompute.bench.ts N sqlite|postgresql` once, then runs
 * `writeAnalysis` (new generation, switch, prune) RUNS times, printing wall and process CPU time
 * of each (CPU is the steadier figure on a shared machine). The first run writes next to the
 * kept generations; from the second on, each also prunes one.
 *
 *   npx tsx bench/recompute-write.bench.ts <database url> [runs=3]
 */
import { loadavg } from "node:os";
import { analyzeStore } from "../app/analytics/analyze-store";
import { SYNTHETIC_AS_OF } from "../app/analytics/testing/synthetic-store";
import { closeBulkConnections } from "../app/db/bulk-connections.server";
import { parseDatabaseUrl } from "../app/db/database-url";
import { createPrismaClient } from "../app/db.server";
import { analysisOptionsFromSettings, analysisSettings } from "../app/settings/analysis-options";
import { DEFAULT_SETTINGS } from "../app/settings/schema";
import { loadStoreDataset } from "../app/snapshots/load-store-dataset.server";
import { writeAnalysis } from "../app/snapshots/write-analysis.server";
import { SHOP } from "./recompute.bench";

const [url, runsArg] = process.argv.slice(2);
if (!url) throw new Error("usage: npx tsx bench/recompute-write.bench.ts <database url> [runs]");
const database = parseDatabaseUrl(url);
const prisma = createPrismaClient(database);
const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return Math.round((used.user + used.system) / 1000);
};

let cpu = process.cpuUsage();
let t0 = performance.now();
const loaded = await loadStoreDataset(prisma, database, SHOP, DEFAULT_SETTINGS.revenueBasis, "UTC");
console.log(JSON.stringify({ phase: "load", wallMs: Math.round(performance.now() - t0), cpuMs: cpuMs(cpu), loadAverage: loadavg()[0] }));
cpu = process.cpuUsage();
t0 = performance.now();
const analysis = analyzeStore(loaded.dataset, analysisOptionsFromSettings(DEFAULT_SETTINGS, SYNTHETIC_AS_OF));
console.log(JSON.stringify({ phase: "analyse", wallMs: Math.round(performance.now() - t0), cpuMs: cpuMs(cpu), loadAverage: loadavg()[0] }));
const document = { revenue: { revenueBasis: DEFAULT_SETTINGS.revenueBasis, ordersWithoutNetSales: loaded.ordersWithoutNetSales }, settings: analysisSettings(DEFAULT_SETTINGS), timings: { load: 0, analyse: 0 } };
for (let run = 0; run < Number(runsArg ?? 3); run++) {
  cpu = process.cpuUsage();
  t0 = performance.now();
  const written = await writeAnalysis(prisma, database, SHOP, analysis, document, new Date());
  console.log(JSON.stringify({ phase: "write", profiles: written.profiles, ...written.timings, wallMs: Math.round(performance.now() - t0), cpuMs: cpuMs(cpu), loadAverage: loadavg()[0] }));
}
await closeBulkConnections();
await prisma.$disconnect();
console.log(JSON.stringify({ maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
