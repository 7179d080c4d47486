/**
 * Recompute end to end (issues "Settings that take effect" and "Large stores"): a synthetic
 * store of N orders (default 1M, ~275k customers; lines included) is written into a fresh
 * SQLite file or PostgreSQL database, then a child process runs the app's recompute job —
 * load (streamed rows), analyse (`analyzeStore`), write (snapshot, profiles, switch: from then on
 * readers see the new figures), prune (the generation before the previous) — three times (the
 * third is the steady state of a daily recompute: it also prunes a generation), reporting each
 * phase and the child's peak RSS. "Core alone" is the analyse phase: the target is end to end ≤ 3× it.
 *
 *   npx tsx bench/recompute.bench.ts 1000000 sqlite
 *   npx tsx bench/recompute.bench.ts 1000000 postgresql
 *   npx tsx bench/recompute.bench.ts --child <database url> [runs]   (an existing store, e.g. a copy of big-store.ts's)
 */
import { execFileSync } from "node:child_process";
import { loadavg, cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { SYNTHETIC_AS_OF } from "../app/analytics/testing/synthetic-store";
import { parseDatabaseUrl } from "../app/db/database-url";
import { createPrismaClient } from "../app/db.server";
import { recomputeShop } from "../app/jobs/handlers/recompute";
import { closeBulkConnections } from "../app/db/bulk-connections.server";
import { seedSyntheticStore } from "../tests/db/seed-synthetic-store";
import { createTestDatabase, type TestDatabase } from "../tests/db/test-database";

export const SHOP = "bench-recompute.myshopify.com";

/** Writes the synthetic store of `orders` orders into `db` (also used by bench/segment-page.bench.ts). */
export const seed = (db: TestDatabase, orders: number) => seedSyntheticStore(db, SHOP, orders);

async function runInChild(url: string, count: number) {
  const database = parseDatabaseUrl(url);
  const prisma = createPrismaClient(database);
  const ctx = { prisma, database, dialect: database.dialect, jobs: { enqueue: async () => {}, cancelShopJobs: async () => {} } };
  const asOf = new Date(`${SYNTHETIC_AS_OF}T12:00:00Z`);
  const runs = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const result = await recomputeShop(ctx, SHOP, { asOf });
    runs.push({ total: Math.round(performance.now() - t0), ...result!.timings, profiles: result!.profiles, loadAverage: loadavg()[0] });
  }
  await closeBulkConnections();
  await prisma.$disconnect();
  process.stdout.write(JSON.stringify({ runs, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
}

const argv = process.argv.slice(2);
// Run only as a script, not when another bench imports `seed`.
if (process.argv[1] !== fileURLToPath(import.meta.url)) {
  // imported
} else if (argv[0] === "--child") {
  await runInChild(argv[1], Number(argv[2] ?? 3));
} else {
  const orders = Number(argv[0] ?? 1_000_000);
  const dialect = (argv[1] ?? "sqlite") as "sqlite" | "postgresql";
  const db = await createTestDatabase(dialect);
  try {
    const t0 = performance.now();
    const seeded = await seedSyntheticStore(db, SHOP, orders);
    console.error(`seeded ${JSON.stringify(seeded)} in ${Math.round(performance.now() - t0)} ms`);
    const load = loadavg()[0];
    const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--child", db.config.url], { encoding: "utf8", maxBuffer: 1 << 26, stdio: ["ignore", "pipe", "inherit"] });
    const result = JSON.parse(out.trim().split("\n").pop()!);
    console.log(JSON.stringify({ date: new Date().toISOString(), machine: `${cpus().length} × ${cpus()[0].model}`, loadBefore: load, dialect, ...seeded, ...result }));
  } finally {
    if (process.env.BENCH_KEEP_DB) console.error(`kept ${db.config.url}`);
    else await db.drop();
  }
}
