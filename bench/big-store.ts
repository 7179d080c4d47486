/**
 * One big store kept between benchmark runs (issues #11, #12, #16: pages at 1M orders /
 * ~275k customers). Seeding 1M orders and analysing them takes minutes on this machine, so
 * the page benches share one database per size and dialect and build it only when missing:
 *
 *   SQLite:     ${BENCH_STORE_DIR:-/tmp}/ci-bench-store-<orders>.sqlite
 *   PostgreSQL: database ${BENCH_STORE_PG_DATABASE:-ci_bench_store_<orders>} on TEST_POSTGRES_URL's server
 *
 * Contents: `syntheticStore(orders)` as a backfill would leave it (tests/db/seed-synthetic-store.ts)
 * with a first and last name for every customer (so search by name finds them), analysed by the
 * app's recompute job as of SYNTHETIC_AS_OF, the built-in segments with their members refreshed by
 * the app's refresh, and three segments of every customer / every other / one in a hundred, each
 * with 90 days of member counts. The last of those is written last: its presence marks the store
 * as complete, so an interrupted build is redone. `BENCH_STORE_REBUILD=1` rebuilds it anyway;
 * `BENCH_STORE_RECOMPUTE=1` analyses the kept store again with this checkout's code. Pending
 * migrations (new indexes) are applied to a kept store on every use.
 *
 *   npx tsx bench/big-store.ts 1000000 sqlite|postgresql     # build (or report) the store
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { SYNTHETIC_AS_OF } from "../app/analytics/testing/synthetic-store";
import { closeBulkConnections } from "../app/db/bulk-connections.server";
import { parseDatabaseUrl, type DatabaseConfig } from "../app/db/database-url";
import { createPrismaClient, type Database } from "../app/db.server";
import { recomputeShop } from "../app/jobs/handlers/recompute";
import { refreshSegmentMemberships } from "../app/segments/refresh-memberships.server";
import { storedSegmentFigures, storeSegmentFigures } from "../app/segment-page/figures.server";
import { readCurrentAnalysis } from "../app/snapshots/read-analysis.server";
import { migrate } from "../scripts/db/cli";
import { seedSyntheticStore } from "../tests/db/seed-synthetic-store";
import { POSTGRES_ADMIN_URL, type Dialect } from "../tests/db/test-database";

export const BIG_STORE_SHOP = "bench-recompute.myshopify.com";
/** The bench segments: handle → every n-th customer (by customer id) is a member. */
export const BENCH_SEGMENTS = [
  { handle: "bench-all", every: 1 },
  { handle: "bench-half", every: 2 },
  { handle: "bench-one-in-100", every: 100 },
] as const;
const MARKER = BENCH_SEGMENTS[BENCH_SEGMENTS.length - 1].handle;

export interface BigStore {
  url: string;
  config: DatabaseConfig;
  snapshotId: number;
  customers: number;
  profiles: number;
  orders: number;
  lines: number;
  segments: Record<(typeof BENCH_SEGMENTS)[number]["handle"], { id: number; members: number }>;
  /** Milliseconds spent building it in this call (0 when it was already there). */
  builtMs: number;
}

function storeUrl(dialect: Dialect, orders: number): string {
  if (dialect === "sqlite") return `file:${path.join(process.env.BENCH_STORE_DIR ?? os.tmpdir(), `ci-bench-store-${orders}.sqlite`)}`;
  const url = new URL(POSTGRES_ADMIN_URL);
  // A copy of one's own (createdb -T ci_bench_store_<orders> <name>) for a branch that changes the schema.
  url.pathname = `/${process.env.BENCH_STORE_PG_DATABASE ?? `ci_bench_store_${orders}`}`;
  return url.toString();
}

const sqliteFile = (config: DatabaseConfig) => (config.dialect === "sqlite" ? config.filePath : "");

async function describe(prisma: Database, config: DatabaseConfig, builtMs: number): Promise<BigStore | null> {
  const marker = await prisma.segment.findFirst({ where: { shop: BIG_STORE_SHOP, handle: MARKER } }).catch(() => null);
  if (!marker) return null;
  const analysis = await readCurrentAnalysis(prisma, BIG_STORE_SHOP);
  if (!analysis) return null;
  // A store kept from before the seeding wrote Shopify's ids ("c12" customers) measures less than a shop pays: build it again.
  const customer = await prisma.customer.findFirst({ where: { shop: BIG_STORE_SHOP }, select: { shopifyId: true } });
  if (!customer?.shopifyId.startsWith("gid://shopify/Customer/")) return null;
  const segments = await prisma.segment.findMany({ where: { shop: BIG_STORE_SHOP, handle: { in: BENCH_SEGMENTS.map((s) => s.handle) } }, select: { id: true, handle: true, memberCount: true } });
  const [customers, profiles, orders, lines] = await Promise.all([
    prisma.customer.count({ where: { shop: BIG_STORE_SHOP } }),
    prisma.customerProfile.count({ where: { snapshotId: analysis.snapshotId } }),
    prisma.order.count({ where: { shop: BIG_STORE_SHOP } }),
    prisma.orderLine.count({ where: { shop: BIG_STORE_SHOP } }),
  ]);
  return {
    url: config.url,
    config,
    snapshotId: analysis.snapshotId,
    customers,
    profiles,
    orders,
    lines,
    segments: Object.fromEntries(segments.map((s) => [s.handle, { id: s.id, members: s.memberCount }])) as BigStore["segments"],
    builtMs,
  };
}

async function recreate(config: DatabaseConfig, dialect: Dialect): Promise<void> {
  if (dialect === "sqlite") {
    for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(sqliteFile(config) + suffix, { force: true });
  } else {
    const name = new URL(config.url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
  }
  await migrate(config);
}

/**
 * A production PostgreSQL server vacuums and analyses tables on its own (autovacuum); this
 * machine's runs with autovacuum off, where each recompute's pruned generation stays as dead
 * rows every whole-generation scan reads, and the planner has no statistics. So the kept store is
 * settled as a production server's would be before pages are measured (6–7 s at 1M orders).
 */
async function settle(config: DatabaseConfig): Promise<void> {
  if (config.dialect !== "postgresql") return;
  const client = new pg.Client({ connectionString: config.url.split("?")[0] });
  await client.connect();
  try {
    const { rows } = await client.query<{ autovacuum: string }>("SHOW autovacuum");
    if (rows[0]?.autovacuum === "off") await client.query("VACUUM (ANALYZE)");
  } finally {
    await client.end();
  }
}

/** Deterministic names from the customer's row id: 40 first names × 300 surnames. */
async function nameCustomers(prisma: Database): Promise<void> {
  const first = ["Emma", "Noah", "Julia", "Liam", "Sophie", "Lucas", "Anna", "Finn", "Mila", "Sem", "Freja", "Oscar", "Ida", "William", "Clara", "Karl", "Lotte", "Daan", "Sara", "Jens", "Nora", "Mads", "Eva", "Bram", "Ella", "Magnus", "Fenna", "Oliver", "Lina", "Victor", "Tess", "Emil", "Maja", "Jesper", "Roos", "Anders", "Zoë", "Thijs", "Signe", "Ruben"];
  const last = Array.from({ length: 300 }, (_, i) => ["Jansen", "de Vries", "Nielsen", "Hansen", "Bakker", "Visser", "Pedersen", "Smit", "Larsen", "Mulder"][i % 10] + (i < 10 ? "" : `-${["Berg", "Dal", "Holm", "Lund", "Vik", "Strand", "Bos", "Meer", "Hof", "Brink"][Math.floor(i / 10) % 10]}${i >= 100 ? Math.floor(i / 100) : ""}`));
  const firstCase = first.map((n, i) => `WHEN ${i} THEN '${n}'`).join(" ");
  const lastCase = last.map((n, i) => `WHEN ${i} THEN '${n}'`).join(" ");
  await prisma.$executeRawUnsafe(
    `UPDATE "Customer" SET "firstName" = CASE "id" % 40 ${firstCase} END, "lastName" = CASE ("id" / 40) % 300 ${lastCase} END WHERE "shop" = '${BIG_STORE_SHOP}'`,
  );
}

/**
 * The kept store of `orders` orders on `dialect`, built first when it is missing or incomplete.
 * Progress goes to stderr.
 */
export async function ensureBigStore(dialect: Dialect, orders: number): Promise<BigStore> {
  const config = parseDatabaseUrl(storeUrl(dialect, orders));
  if (!process.env.BENCH_STORE_REBUILD) {
    const exists = dialect === "sqlite" ? fs.existsSync(sqliteFile(config)) : await postgresDatabaseExists(config);
    if (exists) {
      // Indexes added since the store was built (a no-op otherwise).
      await migrate(config);
      await settle(config);
      const prisma = createPrismaClient(config);
      try {
        const found = await describe(prisma, config, 0);
        if (found && process.env.BENCH_STORE_RECOMPUTE) return await reanalyse(prisma, config, dialect, found);
        if (found) {
          await ensureSegmentFigures(prisma, dialect);
          return found;
        }
      } finally {
        await prisma.$disconnect();
      }
    }
  }
  const t0 = performance.now();
  const log = (what: string) => console.error(`[big-store ${dialect} ${orders}] ${what} at ${Math.round((performance.now() - t0) / 1000)} s`);
  await recreate(config, dialect);
  const prisma = createPrismaClient(config);
  try {
    const seeded = await seedSyntheticStore({ config, prisma, drop: async () => {} }, BIG_STORE_SHOP, orders);
    await nameCustomers(prisma);
    log(`seeded ${JSON.stringify(seeded)}`);
    const ctx = benchContext(prisma, config, dialect);
    const analysis = await recomputeShop(ctx, BIG_STORE_SHOP, { asOf: new Date(`${SYNTHETIC_AS_OF}T12:00:00Z`) });
    log(`recomputed (${analysis!.profiles} profiles)`);
    // The built-ins and their members, as the refresh-segments job after the recompute leaves them.
    const refreshed = await refreshSegmentMemberships(ctx, BIG_STORE_SHOP);
    log(`refreshed ${refreshed.length} built-in segments`);
    for (const { handle, every } of BENCH_SEGMENTS) {
      const segment = await prisma.segment.create({ data: { shop: BIG_STORE_SHOP, handle: `${handle}-building`, name: `Bench: ${handle}`, membersAsOf: new Date(), membersSnapshotId: analysis!.snapshotId } });
      const members = await prisma.$executeRawUnsafe(
        `INSERT INTO "SegmentMembership" ("shop", "segmentId", "customerShopifyId", "customerId", "isControl", "joinedAt")
         SELECT "shop", ${segment.id}, "customerShopifyId", "customerId", ("customerId" % 10 = 0), CURRENT_TIMESTAMP FROM "CustomerProfile"
         WHERE "snapshotId" = ${analysis!.snapshotId} AND "customerId" % ${every} = 0`,
      );
      await prisma.segmentMemberCount.createMany({ data: Array.from({ length: 90 }, (_, d) => ({ segmentId: segment.id, at: new Date(Date.UTC(2024, 9, 3) + d * 86_400_000), members: members - 90 + d })) });
      // Renamed to its real handle only when complete (the last one is the store's "done" marker).
      const controls = await prisma.segmentMembership.count({ where: { segmentId: segment.id, isControl: true } });
      await prisma.segment.update({ where: { id: segment.id }, data: { handle, memberCount: members, controlCount: controls } });
    }
    if (dialect === "postgresql") await prisma.$executeRawUnsafe("ANALYZE");
    await ensureSegmentFigures(prisma, dialect);
    log("done");
    await closeBulkConnections();
    await settle(config);
    return (await describe(prisma, config, Math.round(performance.now() - t0)))!;
  } finally {
    await prisma.$disconnect();
  }
}

const benchContext = (prisma: Database, config: DatabaseConfig, dialect: Dialect) => ({
  prisma,
  database: config,
  dialect,
  jobs: { enqueue: async () => {}, cancelShopJobs: async () => {} },
  now: () => new Date(`${SYNTHETIC_AS_OF}T12:00:00Z`),
});

/**
 * `BENCH_STORE_RECOMPUTE=1`: the kept store analysed again by this checkout's recompute (as the
 * daily pass would), the bench segments pointed at the new analysis.
 */
async function reanalyse(prisma: Database, config: DatabaseConfig, dialect: Dialect, store: BigStore): Promise<BigStore> {
  const t0 = performance.now();
  const ctx = benchContext(prisma, config, dialect);
  const analysis = await recomputeShop(ctx, BIG_STORE_SHOP, { asOf: new Date(`${SYNTHETIC_AS_OF}T12:00:00Z`) });
  // The built-ins keep their members from the first analysis (refreshing 28 segments of 275k
  // customers takes minutes here); the benches read the bench segments.
  await prisma.segment.updateMany({ where: { shop: BIG_STORE_SHOP, handle: { in: Object.keys(store.segments) } }, data: { membersSnapshotId: analysis!.snapshotId, membersAsOf: new Date() } });
  if (dialect === "postgresql") await prisma.$executeRawUnsafe("ANALYZE");
  await ensureSegmentFigures(prisma, dialect);
  await closeBulkConnections();
  console.error(`[big-store ${dialect}] analysed again in ${Math.round((performance.now() - t0) / 1000)} s`);
  return (await describe(prisma, config, Math.round(performance.now() - t0)))!;
}

/**
 * The segment pages' stored figures of every segment whose members come from the current analysis,
 * as the refresh-segments job stores them (figures.server.ts): the bench segments are written
 * here, not by a refresh, and a kept store built before the figures were stored has none.
 */
async function ensureSegmentFigures(prisma: Database, dialect: Dialect): Promise<void> {
  const current = await readCurrentAnalysis(prisma, BIG_STORE_SHOP);
  if (!current) return;
  const segments = await prisma.segment.findMany({ where: { shop: BIG_STORE_SHOP, membersSnapshotId: current.snapshotId, membersAsOf: { not: null } }, select: { id: true, membersAsOf: true } });
  const missing: number[] = [];
  for (const s of segments) if (!(await storedSegmentFigures(prisma, { id: s.id, membersAsOf: s.membersAsOf! }, current))) missing.push(s.id);
  if (missing.length === 0) return;
  const t0 = performance.now();
  const stored = await storeSegmentFigures(prisma, dialect, BIG_STORE_SHOP, current, missing);
  console.error(`[big-store ${dialect}] stored the page figures of ${stored} segments in ${Math.round(performance.now() - t0)} ms`);
}

async function postgresDatabaseExists(config: DatabaseConfig): Promise<boolean> {
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    const { rowCount } = await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [new URL(config.url).pathname.slice(1)]);
    return (rowCount ?? 0) > 0;
  } finally {
    await admin.end();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [orders = "1000000", dialect = "sqlite"] = process.argv.slice(2);
  const store = await ensureBigStore(dialect as Dialect, Number(orders));
  console.log(JSON.stringify({ ...store, config: undefined }));
}
