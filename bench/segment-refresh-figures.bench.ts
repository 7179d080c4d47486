/**
 * What the full membership refresh (the refresh-segments job after each recompute) costs on the
 * kept 1M store, and how much of it is storing the segment pages' figures (figures.server.ts):
 * `npx tsx bench/segment-refresh-figures.bench.ts 1000000 sqlite|postgresql [first]`. Rewrites the
 * store's memberships (a refresh): run it on a copy (BENCH_STORE_DIR / BENCH_STORE_PG_DATABASE).
 * `first`: the shop's memberships and their history are deleted before, so every member joins, as
 * in the refresh after an install's first analysis.
 */
import { closeBulkConnections } from "../app/db/bulk-connections.server";
import { createPrismaClient } from "../app/db.server";
import { storeSegmentFigures } from "../app/segment-page/figures.server";
import { refreshSegmentMemberships } from "../app/segments/refresh-memberships.server";
import { readCurrentAnalysis } from "../app/snapshots/read-analysis.server";
import type { Dialect } from "../tests/db/test-database";
import { BIG_STORE_SHOP, ensureBigStore } from "./big-store";

const [orders = "1000000", dialect = "sqlite", mode = ""] = process.argv.slice(2) as [string, Dialect, string?];
const { config } = await ensureBigStore(dialect, Number(orders));
const prisma = createPrismaClient(config);
const ctx = { prisma, database: config, dialect, jobs: { enqueue: async () => {}, cancelShopJobs: async () => {} } };
try {
  if (mode === "first") {
    await prisma.segmentMembership.deleteMany({ where: { shop: BIG_STORE_SHOP } });
    await prisma.segmentMembershipChange.deleteMany({ where: { shop: BIG_STORE_SHOP } });
  }
  const t0 = performance.now();
  const refreshed = await refreshSegmentMemberships(ctx, BIG_STORE_SHOP);
  const refresh = performance.now() - t0;
  const current = (await readCurrentAnalysis(prisma, BIG_STORE_SHOP))!;
  const t1 = performance.now();
  const stored = await storeSegmentFigures(prisma, dialect, BIG_STORE_SHOP, current, refreshed.map((r) => r.segmentId));
  const figures = performance.now() - t1;
  console.log(JSON.stringify({ dialect, mode: mode || "again", segments: refreshed.length, refreshWithFiguresMs: Math.round(refresh), figuresAloneMs: Math.round(figures), stored }));
} finally {
  await prisma.$disconnect();
  await closeBulkConnections();
}
