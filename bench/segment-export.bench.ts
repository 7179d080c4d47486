/**
 * The segment CSV export at size (issue 11 benchmark; target peak memory ≤ 150 MB above the
 * server's baseline at 100k+ members): N customers with a profile of the current analysis, all
 * members of one segment, written straight into a fresh database; then a child process — the
 * "server" — loads the app's modules, takes its peak RSS as the baseline, runs the export route's
 * service to the end (reading the stream as a client would), and reports the time, the bytes,
 * and its peak RSS above the baseline.
 *
 *   npx tsx bench/segment-export.bench.ts 120000 sqlite
 *   npx tsx bench/segment-export.bench.ts 120000 postgresql
 *   npx tsx bench/segment-export.bench.ts kept 1000000 sqlite|postgresql   # every customer of the kept big store (bench/big-store.ts)
 */
import { execFileSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { createTestDatabase } from "../tests/db/test-database";
import { seedCurrentAnalysis } from "../tests/db/seed-analysis";
import { TEST_API_KEY, TEST_API_SECRET } from "../tests/app/session-token";

let SHOP = "bench-export.myshopify.com";

async function seedMembers(url: string, members: number): Promise<number> {
  const { parseDatabaseUrl } = await import("../app/db/database-url");
  const { createPrismaClient } = await import("../app/db.server");
  const prisma = createPrismaClient(parseDatabaseUrl(url));
  const snapshotId = await seedCurrentAnalysis(prisma, SHOP, []);
  await prisma.shop.create({ data: { shop: SHOP, currencyCode: "EUR" } });
  // Generated in the database: a Prisma createMany of 120k customers took minutes on this machine.
  const numbers = url.startsWith("postgres") ? `generate_series(1, ${members}) AS n(i)` : `n`;
  const recursive = url.startsWith("postgres") ? "" : `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${members}) `;
  await prisma.$executeRawUnsafe(
    `${recursive}INSERT INTO "Customer" ("shop", "shopifyId", "firstName", "lastName", "email", "syncedAt")
     SELECT '${SHOP}', 'gid://shopify/Customer/' || i, 'First' || i, 'Last, ' || i, 'c' || i || '@example.com', CURRENT_TIMESTAMP FROM ${numbers}`,
  );
  await prisma.$executeRawUnsafe(
    `INSERT INTO "CustomerProfile" ("snapshotId", "customerId", "shop", "customerShopifyId", "orderCount", "repeatPurchases", "totalSpent", "averageOrderValue", "firstOrderAt", "lastOrderAt",
       "daysSinceFirstOrder", "daysSinceLastOrder", "usualGapDays", "lifecycleStage", "customerGroup", "customerType", "spendTier", "recencyScore", "frequencyScore", "monetaryScore", "rfmGroup", "predictedClv", "pAlive")
     SELECT ${snapshotId}, "id", "shop", "shopifyId", 1 + "id" % 7, "id" % 7, ("id" % 997) + 0.25, 12.5, "syncedAt", "syncedAt", 300, 20, 40, 'active', 'loyal', 'returning', 'mid', 3, 3, 3, 'loyal', ("id" % 500) * 1.5, 0.5
     FROM "Customer" WHERE "shop" = '${SHOP}'`,
  );
  const segment = await prisma.segment.create({ data: { shop: SHOP, handle: "everyone", name: "Everyone", memberCount: members, membersAsOf: new Date(), membersSnapshotId: snapshotId } });
  await prisma.$executeRawUnsafe(
    `INSERT INTO "SegmentMembership" ("shop", "segmentId", "customerShopifyId", "customerId", "isControl", "joinedAt")
     SELECT "shop", ${segment.id}, "shopifyId", "id", ("id" % 10 = 0), CURRENT_TIMESTAMP FROM "Customer" WHERE "shop" = '${SHOP}'`,
  );
  if (url.startsWith("postgres")) await prisma.$executeRawUnsafe("ANALYZE");
  await prisma.$disconnect();
  return segment.id;
}

async function exportInChild(url: string, segmentId: number) {
  if (process.env.DATABASE_URL !== url) throw new Error("the child needs DATABASE_URL in its environment");
  const { exportSegmentMembers } = await import("../app/services/segment-page.server");
  // Baseline: the server with its modules loaded and one (tiny) export done, so connections and JIT are warm.
  const warm = await exportSegmentMembers(SHOP, segmentId, { pageSize: 10 });
  await warm.body.getReader().read();
  await warm.body.cancel().catch(() => {});
  global.gc?.();
  const baseline = process.memoryUsage();
  const baselineMb = baseline.rss / 2 ** 20;
  // Peak: the resident size sampled after every chunk, and the process's high-water mark; the
  // JavaScript heap and the memory outside it (buffers) apart, to tell garbage from the rest.
  let peakMb = baselineMb;
  let peakHeapMb = 0;
  let peakExternalMb = 0;
  const t0 = performance.now();
  const { body } = await exportSegmentMembers(SHOP, segmentId);
  const reader = body.getReader();
  let bytes = 0;
  let chunks = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    chunks++;
    const now = process.memoryUsage();
    peakMb = Math.max(peakMb, now.rss / 2 ** 20);
    peakHeapMb = Math.max(peakHeapMb, (now.heapUsed - baseline.heapUsed) / 2 ** 20);
    peakExternalMb = Math.max(peakExternalMb, (now.external - baseline.external) / 2 ** 20);
  }
  const ms = Math.round(performance.now() - t0);
  // What the export left reachable: the heap above the baseline after a full collection.
  global.gc?.();
  const retainedMb = Math.round((process.memoryUsage().heapUsed - baseline.heapUsed) / 2 ** 20);
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ ms, bytes, chunks, baselineRssMb: Math.round(baselineMb), peakRssMb: Math.round(peakMb), peakAboveBaselineMb: Math.round(peakMb - baselineMb), peakHeapAboveBaselineMb: Math.round(peakHeapMb), peakExternalAboveBaselineMb: Math.round(peakExternalMb), retainedAfterGcMb: retainedMb, processMaxRssMb: Math.round(maxRssMb) }));
  process.exit(0);
}

const argv = process.argv.slice(2);
const serverEnv = (url: string) => ({ ...process.env, SHOPIFY_API_KEY: TEST_API_KEY, SHOPIFY_API_SECRET: TEST_API_SECRET, SHOPIFY_APP_URL: "https://bench.test", DATABASE_URL: url, SCOPES: "read_customers,read_orders" });
if (argv[0] === "--child") {
  if (argv[3]) SHOP = argv[3];
  await exportInChild(argv[1], Number(argv[2]));
} else if (argv[0] === "kept") {
  const { BIG_STORE_SHOP, ensureBigStore } = await import("./big-store");
  const dialect = (argv[2] ?? "sqlite") as "sqlite" | "postgresql";
  const store = await ensureBigStore(dialect, Number(argv[1] ?? 1_000_000));
  const segment = store.segments["bench-all"];
  const load = loadavg()[0];
  const out = execFileSync(process.execPath, [...process.execArgv, "--expose-gc", fileURLToPath(import.meta.url), "--child", store.url, String(segment.id), BIG_STORE_SHOP], {
    encoding: "utf8",
    maxBuffer: 1 << 26,
    stdio: ["ignore", "pipe", "inherit"],
    env: serverEnv(store.url),
  });
  const result = JSON.parse(out.trim().split("\n").pop()!);
  console.log(JSON.stringify({ date: new Date().toISOString(), machine: `${cpus().length} × ${cpus()[0].model}`, loadBefore: load, dialect, orders: store.orders, members: segment.members, ...result }));
} else {
  const members = Number(argv[0] ?? 120_000);
  const dialect = (argv[1] ?? "sqlite") as "sqlite" | "postgresql";
  const db = await createTestDatabase(dialect);
  try {
    const t0 = performance.now();
    const segmentId = await seedMembers(db.config.url, members);
    console.error(`seeded ${members} members in ${Math.round(performance.now() - t0)} ms`);
    const load = loadavg()[0];
    const out = execFileSync(process.execPath, [...process.execArgv, "--expose-gc", fileURLToPath(import.meta.url), "--child", db.config.url, String(segmentId)], {
      encoding: "utf8",
      maxBuffer: 1 << 26,
      stdio: ["ignore", "pipe", "inherit"],
      // The app's modules read their configuration when first imported.
      env: { ...process.env, SHOPIFY_API_KEY: TEST_API_KEY, SHOPIFY_API_SECRET: TEST_API_SECRET, SHOPIFY_APP_URL: "https://bench.test", DATABASE_URL: db.config.url, SCOPES: "read_customers,read_orders" },
    });
    const result = JSON.parse(out.trim().split("\n").pop()!);
    console.log(JSON.stringify({ date: new Date().toISOString(), machine: `${cpus().length} × ${cpus()[0].model}`, loadBefore: load, dialect, members, ...result }));
  } finally {
    await db.prisma.$disconnect();
    await db.drop();
  }
}
