/**
 * The pages' loader service functions at a big store (issue #12 "Benchmark"): a synthetic
 * store of N orders (default 100k; 1M ≈ 275k customers) is written into a fresh SQLite file or
 * PostgreSQL database, the app's recompute job stores its analysis, then each page's service
 * function — what its loader calls after authentication — runs `runs` times in a row.
 * Reports p50/p95/max per page; target p95 ≤ 150 ms. Pages are listed in PAGES (add the
 * insights pages there at merge).
 *
 *   npx tsx bench/page-loaders.bench.ts [orders=100000] [sqlite|postgresql] [runs=40]
 */
import { execFileSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { SYNTHETIC_AS_OF } from "../app/analytics/testing/synthetic-store";
import { seedSyntheticStore } from "../tests/db/seed-synthetic-store";
import { createTestDatabase } from "../tests/db/test-database";

const SHOP = "bench-pages.myshopify.com";
const argv = process.argv.slice(2);

/** One entry per page: its name and its loader's service call for the shop. */
type Services = {
  dashboard: typeof import("../app/services/dashboard.server");
  customerBase: typeof import("../app/services/customer-base.server");
  insights: typeof import("../app/services/insights.server");
};
const PAGES: { page: string; runs?: number; load: (s: Services) => Promise<unknown> }[] = [
  { page: "/app (dashboard, 90 days)", load: (s) => s.dashboard.getDashboard(SHOP) },
  { page: "/app?period=12m", load: (s) => s.dashboard.getDashboard(SHOP, new URLSearchParams({ period: "12m" })) },
  // A custom range reads the shop's orders once, then reuses them for a few minutes
  // (docs/decisions/026-dashboard-periods.md): "first" is that load.
  { page: "/app?period=custom (30 days)", runs: 8, load: (s) => s.dashboard.getDashboard(SHOP, new URLSearchParams({ period: "custom", from: "2024-12-02", to: SYNTHETIC_AS_OF })) },
  { page: "/app/customer-base", load: (s) => s.customerBase.getCustomerBase(SHOP) },
  { page: "/app/geography", load: (s) => s.insights.geographyInsight(SHOP) },
  { page: "/app/products", load: (s) => s.insights.productsInsight(SHOP) },
  { page: "/app/timing", load: (s) => s.insights.timingInsight(SHOP) },
  { page: "/app/acquisition", load: (s) => s.insights.acquisitionInsight(SHOP) },
  { page: "/app/model-quality", load: (s) => s.insights.modelQualityInsight(SHOP) },
];

/** In a child process whose environment names the database from the start (as the server's). */
async function measure(runs: number) {
  const { recomputeShop } = await import("../app/jobs/handlers/recompute");
  const { appContext } = await import("../app/services/sync.server");
  const t1 = performance.now();
  await recomputeShop(appContext(), SHOP, { asOf: new Date(`${SYNTHETIC_AS_OF}T12:00:00Z`) });
  const recomputeMs = Math.round(performance.now() - t1);
  const services: Services = { dashboard: await import("../app/services/dashboard.server"), customerBase: await import("../app/services/customer-base.server"), insights: await import("../app/services/insights.server") };
  const results = [];
  for (const { page, runs: pageRuns, load } of PAGES) {
    // The first call (cold: query plans, module init; for a custom range the orders' load).
    const cold = performance.now();
    await load(services);
    const first = Math.round((performance.now() - cold) * 10) / 10;
    const times: number[] = [];
    for (let i = 0; i < (pageRuns ?? runs); i++) {
      const started = performance.now();
      await load(services);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))] * 10) / 10;
    results.push({ page, first, runs: times.length, p50: at(0.5), p95: at(0.95), max: at(1) });
  }
  await appContext().prisma.$disconnect();
  const { closeBulkConnections } = await import("../app/db/bulk-connections.server");
  await closeBulkConnections();
  process.stdout.write(JSON.stringify({ recomputeMs, results }));
}

if (argv[0] === "--child") {
  await measure(Number(argv[1]));
} else {
  const [orders = "100000", dialectArg = "sqlite", runs = "40"] = argv;
  const dialect = dialectArg as "sqlite" | "postgresql";
  const db = await createTestDatabase(dialect);
  try {
    const t0 = performance.now();
    const seeded = await seedSyntheticStore(db, SHOP, Number(orders));
    const seedMs = Math.round(performance.now() - t0);
    const load = loadavg()[0];
    const env = { ...process.env, NODE_ENV: "production", SHOPIFY_API_KEY: "bench-key", SHOPIFY_API_SECRET: "bench-secret", SHOPIFY_APP_URL: "https://bench.example.test", DATABASE_URL: db.config.url, SCOPES: "read_customers,read_orders" } as NodeJS.ProcessEnv;
    const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--child", runs], { env, encoding: "utf8", maxBuffer: 1 << 26, stdio: ["ignore", "pipe", "inherit"] });
    const { recomputeMs, results } = JSON.parse(out.trim().split("\n").pop()!);
    console.log(JSON.stringify({ date: new Date().toISOString(), machine: `${cpus().length} × ${cpus()[0].model}`, loadBefore: load, dialect, ...seeded, seedMs, recomputeMs }));
    console.table(results);
  } finally {
    await db.drop();
  }
}
