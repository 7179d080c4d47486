/**
 * The segment page's loader (issue 11 item 4; target p95 ≤ 150 ms): the synthetic store of
 * bench/recompute.bench.ts (N orders, lines included) analysed by the real recompute, then three
 * segments — every customer, every other customer, one in a hundred — whose page is loaded
 * through the service the route calls (authentication excluded): the first page (CLV, the
 * default sort), the next page by its cursor, sorted by last order, and a search. Reports p50
 * and p95 of 30 timed loads after 3 warm-ups (wall time, and this process's CPU time), and the
 * first (cold) load, which computes the segment's and the store's totals.
 *
 *   npx tsx bench/segment-page.bench.ts 100000 sqlite
 *   npx tsx bench/segment-page.bench.ts 100000 postgresql
 */
import { execFileSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { SYNTHETIC_AS_OF } from "../app/analytics/testing/synthetic-store";
import { closeBulkConnections } from "../app/db/bulk-connections.server";
import { recomputeShop } from "../app/jobs/handlers/recompute";
import { createTestDatabase, testSyncContext } from "../tests/db/test-database";
import { TEST_API_KEY, TEST_API_SECRET } from "../tests/app/session-token";
import { seed, SHOP } from "./recompute.bench";


async function timeInChild(segments: { name: string; id: number; members: number }[]) {
  const { loadSegmentPage } = await import("../app/services/segment-page.server");
  const { parseSegmentPageQuery } = await import("../app/segment-page/segment-page-query");
  const query = (params: string) => {
    const parsed = parseSegmentPageQuery(new URLSearchParams(params));
    if (!parsed.ok) throw new Error(parsed.problem.message);
    return parsed.query;
  };
  const results: Record<string, unknown>[] = [];
  for (const segment of segments) {
    const t0 = performance.now();
    const first = await loadSegmentPage(SHOP, segment.id, query(""));
    const cold = Math.round(performance.now() - t0);
    const scenarios: [string, string][] = [
      ["first page (CLV)", ""],
      ["next page", `after=${first.members.nextCursor}`],
      ["by last order", "sort=lastOrder"],
      ["search", "search=999"],
      ["products by revenue", "products=revenue"],
      // A segment of one page has no next page (a small store's).
    ].filter(([name]) => name !== "next page" || first.members.nextCursor !== null) as [string, string][];
    for (const [scenario, params] of scenarios) {
      const times: number[] = [];
      // CPU time of this process per load: on SQLite the database works in-process, so this is the
      // load's own work, less inflated than wall time on a shared machine (on PostgreSQL it leaves out the server's).
      const cpu: number[] = [];
      for (let i = 0; i < WARM + RUNS; i++) {
        const s = performance.now();
        const c = process.cpuUsage();
        await loadSegmentPage(SHOP, segment.id, query(params));
        const used = process.cpuUsage(c);
        if (i >= WARM) {
          times.push(performance.now() - s);
          cpu.push((used.user + used.system) / 1000);
        }
      }
      times.sort((a, b) => a - b);
      cpu.sort((a, b) => a - b);
      results.push({
        segment: segment.name, members: segment.members, scenario, p50: Math.round(quantile(times, 0.5)), p95: Math.round(quantile(times, 0.95)),
        cpuP50: Math.round(quantile(cpu, 0.5)), cpuP95: Math.round(quantile(cpu, 0.95)), ...(scenario === "first page (CLV)" ? { firstLoadMs: cold } : {}),
      });
    }
  }
  process.stdout.write(JSON.stringify(results));
  process.exit(0);
}

const orders = Number(process.argv[2] ?? 100_000);
const dialect = (process.argv[3] ?? "sqlite") as "sqlite" | "postgresql";
const RUNS = 30;
const WARM = 3;

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

if (process.argv[2] === "--child") {
  await timeInChild(JSON.parse(process.argv[4]));
}

const db = await createTestDatabase(dialect);
try {
  let t0 = performance.now();
  const seeded = await seed(db, orders);
  console.error(`seeded ${JSON.stringify(seeded)} in ${Math.round(performance.now() - t0)} ms`);
  const { ctx } = testSyncContext(db);
  t0 = performance.now();
  const analysis = await recomputeShop(ctx, SHOP, { asOf: new Date(`${SYNTHETIC_AS_OF}T12:00:00Z`) });
  console.error(`recompute: ${analysis!.profiles} profiles in ${Math.round(performance.now() - t0)} ms`);

  // Segments as the segments module's refresh leaves them: membership rows, counts, history.
  const segments: { name: string; id: number; members: number }[] = [];
  for (const [name, every] of [["all", 1], ["half", 2], ["one-in-100", 100]] as const) {
    const segment = await db.prisma.segment.create({ data: { shop: SHOP, handle: name, name, membersAsOf: new Date(), membersSnapshotId: analysis!.snapshotId } });
    const members = await db.prisma.$executeRawUnsafe(
      `INSERT INTO "SegmentMembership" ("shop", "segmentId", "customerShopifyId", "customerId", "isControl", "joinedAt")
       SELECT "shop", ${segment.id}, "customerShopifyId", "customerId", ("customerId" % 10 = 0), CURRENT_TIMESTAMP FROM "CustomerProfile"
       WHERE "snapshotId" = ${analysis!.snapshotId} AND "customerId" % ${every} = 0`,
    );
    await db.prisma.segment.update({ where: { id: segment.id }, data: { memberCount: members } });
    await db.prisma.segmentMemberCount.createMany({ data: Array.from({ length: 90 }, (_, d) => ({ segmentId: segment.id, at: new Date(Date.UTC(2026, 8, 1) + d * 86_400_000), members: members - 90 + d })) });
    segments.push({ name, id: segment.id, members });
  }
  if (dialect === "postgresql") await db.prisma.$executeRawUnsafe("ANALYZE");

  const load = loadavg()[0];
  await closeBulkConnections();
  // The app's modules read DATABASE_URL when first imported (this process already has them): time in a child.
  const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--child", db.config.url, JSON.stringify(segments)], {
    encoding: "utf8",
    maxBuffer: 1 << 26,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, SHOPIFY_API_KEY: TEST_API_KEY, SHOPIFY_API_SECRET: TEST_API_SECRET, SHOPIFY_APP_URL: "https://bench.test", DATABASE_URL: db.config.url, SCOPES: "read_customers,read_orders" },
  });
  const results = JSON.parse(out.trim().split("\n").pop()!);
  console.log(JSON.stringify({ date: new Date().toISOString(), machine: `${cpus().length} × ${cpus()[0].model}`, loadBefore: load, dialect, ...seeded, profiles: analysis!.profiles, results }, null, 1));
} finally {
  await db.drop();
}
