/**
 * The segment builder's live count (issue #11 "Benchmark"): rules of 1, 5 and 10 conditions,
 * including "bought / never bought" product conditions, compiled by app/segments/compile-rule.ts
 * and run against a store made by bench/recompute.bench.ts (which also computed its profiles):
 *
 *   npx tsx bench/segment-count.bench.ts 1000000 sqlite|postgresql [runs]   # the kept store of bench/big-store.ts
 *   BENCH_KEEP_DB=1 npx tsx bench/recompute.bench.ts 100000 sqlite      # or any store: prints "kept <url>"
 *   npx tsx bench/segment-count.bench.ts <url> [runs]
 *
 * Reports p50/p95 of the count query alone and of the whole preview the builder asks for on
 * each edit (count and sample of 10, and all customers, as previewSegment runs them), and
 * the membership refresh of the 10-condition rule.
 */
import { cpus, loadavg } from "node:os";
import { parseDatabaseUrl } from "../app/db/database-url";
import { createPrismaClient } from "../app/db.server";
import { countAnalysisCustomers } from "../app/segments/analysis-customers.server";
import { countQuery } from "../app/segments/compile-rule";
import { previewMembers } from "../app/segments/preview-members.server";
import { refreshSegmentMemberships } from "../app/segments/refresh-memberships.server";
import { serializeRule, type RuleGroup } from "../app/segments/rule-tree";
import { readCurrentAnalysis } from "../app/snapshots/read-analysis.server";
import type { Dialect } from "../tests/db/test-database";
import { ensureBigStore } from "./big-store";

const SHOP = "bench-recompute.myshopify.com";

function rules(top: string[]): Record<string, RuleGroup> {
  return {
    "1 condition": { type: "group", match: "all", children: [{ type: "condition", field: "lifecycleStage", operator: "in", value: ["slipping-away", "lost"] }] },
    "5 conditions (1 product)": {
      type: "group",
      match: "all",
      children: [
        { type: "condition", field: "lifecycleStage", operator: "in", value: ["active", "slipping-away"] },
        { type: "condition", field: "totalSpent", operator: "gte", value: 50 },
        { type: "condition", field: "orderCount", operator: "gte", value: 2 },
        { type: "condition", field: "product", operator: "bought", value: [top[0]] },
        { type: "condition", field: "daysSinceLastOrder", operator: "gt", value: 14 },
      ],
    },
    "10 conditions (3 product)": {
      type: "group",
      match: "all",
      children: [
        { type: "condition", field: "product", operator: "bought", value: [top[0], top[1]], withinDays: 730 },
        { type: "condition", field: "product", operator: "never-bought", value: [top[2]] },
        { type: "condition", field: "pAlive", operator: "lt", value: 0.9 },
        { type: "condition", field: "predictedClv", operator: "gt", value: 1 },
        {
          type: "group",
          match: "any",
          children: [
            { type: "condition", field: "rfmGroup", operator: "not-in", value: ["lost"] },
            { type: "condition", field: "customerType", operator: "in", value: ["vip", "returning"] },
            { type: "condition", field: "product", operator: "bought", value: [top[3]] },
          ],
        },
        { type: "condition", field: "spendTier", operator: "not-in", value: ["low"] },
        { type: "condition", field: "tags", operator: "has-not", value: "wholesale" },
        { type: "condition", field: "lastOrderAt", operator: "within-last-days", value: 3650 },
      ],
    },
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function main() {
  const kept = /^\d+$/.test(process.argv[2] ?? "");
  const url = kept ? (await ensureBigStore(process.argv[3] as Dialect, Number(process.argv[2]))).url : process.argv[2];
  const runs = Number(process.argv[kept ? 4 : 3] ?? 30);
  if (!url) throw new Error("usage: segment-count.bench.ts <database url> [runs] | <orders> sqlite|postgresql [runs]");
  const database = parseDatabaseUrl(url);
  const prisma = createPrismaClient(database);
  const dialect = database.dialect;
  const analysis = await readCurrentAnalysis(prisma, SHOP);
  if (!analysis) throw new Error("no analysis in this database: run bench/recompute.bench.ts with BENCH_KEEP_DB=1 first");
  const top = (
    await prisma.$queryRawUnsafe<{ p: string }[]>(`SELECT "productShopifyId" AS "p" FROM "OrderLine" WHERE "shop" = ${dialect === "sqlite" ? "?" : "$1"} GROUP BY "productShopifyId" ORDER BY COUNT(*) DESC LIMIT 4`, SHOP)
  ).map((r) => r.p);
  // As the refresh after each recompute does (refresh-memberships.server.ts).
  if (dialect === "postgresql") await prisma.$executeRawUnsafe(`ANALYZE "CustomerProfile"`);
  const now = new Date(`${analysis.document.analysis.asOf}T12:00:00Z`);
  const scope = { dialect, shop: SHOP, snapshotId: analysis.snapshotId, now };
  const time = async (work: () => Promise<unknown>) => {
    const t0 = performance.now();
    await work();
    return performance.now() - t0;
  };
  const results: Record<string, unknown>[] = [];
  for (const [name, rule] of Object.entries(rules(top))) {
    const count = countQuery(rule, scope);
    const countOnly = () => prisma.$queryRawUnsafe<{ n: number | bigint }[]>(count.sql, ...count.params);
    const preview = () => Promise.all([previewMembers(prisma, rule, scope), countAnalysisCustomers(prisma, SHOP, analysis.snapshotId)]);
    for (let i = 0; i < 3; i++) await preview();
    const countMs: number[] = [];
    const previewMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      countMs.push(await time(countOnly));
      previewMs.push(await time(preview));
    }
    countMs.sort((a, b) => a - b);
    previewMs.sort((a, b) => a - b);
    const [{ n }] = await countOnly();
    results.push({
      rule: name,
      members: Number(n),
      countP50: Math.round(percentile(countMs, 50)),
      countP95: Math.round(percentile(countMs, 95)),
      previewP50: Math.round(percentile(previewMs, 50)),
      previewP95: Math.round(percentile(previewMs, 95)),
    });
  }
  // Membership refresh of one segment with the 10-condition rule: first (all join) and again (no change).
  const rule = rules(top)["10 conditions (3 product)"];
  await prisma.segment.deleteMany({ where: { shop: SHOP, handle: "bench-ten" } });
  const segment = await prisma.segment.create({ data: { shop: SHOP, handle: "bench-ten", name: "Bench ten", rules: serializeRule(rule), controlGroupPercent: 10 } });
  const ctx = { prisma, dialect, jobs: { enqueue: async () => {} }, now: () => now };
  const firstRefresh = await time(() => refreshSegmentMemberships(ctx, SHOP, { segmentIds: [segment.id] }));
  const secondRefresh = await time(() => refreshSegmentMemberships(ctx, SHOP, { segmentIds: [segment.id] }));
  const members = (await prisma.segment.findUniqueOrThrow({ where: { id: segment.id } })).memberCount;
  await prisma.segment.delete({ where: { id: segment.id } });
  await prisma.$disconnect();
  console.log(
    JSON.stringify({
      date: new Date().toISOString(),
      machine: `${cpus().length} × ${cpus()[0].model}`,
      load: loadavg()[0],
      dialect,
      runs,
      results,
      refresh: { members, firstMs: Math.round(firstRefresh), unchangedMs: Math.round(secondRefresh) },
    }),
  );
}

await main();
