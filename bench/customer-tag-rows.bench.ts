/**
 * Customer tag rows (decision 028): what the triggers cost the backfill's customer import, and
 * what the rows buy a "has tag" rule, on SQLite and PostgreSQL.
 *
 *   npx tsx bench/customer-tag-rows.bench.ts [customers=100000] [dialects=sqlite,postgresql] [runs=15]
 *
 * 1. Imports the same customers JSONL (0–4 tags each from 40, "vip" on about 30 %) through the
 *    backfill's writer (SQLite: the native batch writer) into a database with the triggers and
 *    into one without them (dropped after migrating).
 * 2. Gives every customer a profile and times the builder's count for "has tag vip", "has not
 *    tag vip" and a rare tag: the compiled query (tag rows) against the former query over the
 *    JSON column (json_each / jsonb @>), p50 and p95 of `runs`.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createSeededRng } from "../app/analytics/math/seeded-rng";
import { countQuery } from "../app/segments/compile-rule";
import type { RuleGroup } from "../app/segments/rule-tree";
import { importBulkJsonl } from "../app/sync/bulk/bulk-import";
import { placeholder } from "../app/sync/store/sql-dialect";
import { createTestDatabase, type Dialect, type TestDatabase } from "../tests/db/test-database";
import { fixtureJsonl, makeFixtureStore } from "../tests/sync/fixtures/bulk-fixture";

const customers = Number(process.argv[2] ?? 100_000);
const dialects = (process.argv[3] ?? "sqlite,postgresql").split(",") as Dialect[];
const runs = Number(process.argv[4] ?? 15);
const SHOP = "bench-tags.myshopify.com";
const NOW = new Date("2026-07-20T12:00:00Z");

const rng = createSeededRng(28);
const TAGS = Array.from({ length: 40 }, (_, i) => `tag-${i}`);
const file = path.join(os.tmpdir(), `tag-rows-bench-${customers}.jsonl`);
{
  const store = makeFixtureStore({ customers, orders: 1, products: 1, seed: 3 });
  const lines = fixtureJsonl(store, "customers").map((line) => {
    const tags = new Set<string>();
    if (rng() < 0.3) tags.add("vip");
    if (rng() < 0.002) tags.add("rare");
    const n = Math.floor(rng() * 5);
    for (let i = 0; i < n; i++) tags.add(TAGS[Math.floor(rng() * TAGS.length)]);
    return JSON.stringify({ ...JSON.parse(line), tags: [...tags] });
  });
  fs.writeFileSync(file, lines.join("\n") + "\n");
}

async function importCustomers(db: TestDatabase, dialect: Dialect): Promise<number> {
  const run = await db.prisma.syncRun.create({ data: { shop: SHOP, kind: "backfill" } });
  const sqliteFile = db.config.dialect === "sqlite" ? db.config.filePath : undefined;
  const t = performance.now();
  await importBulkJsonl({ prisma: db.prisma, dialect, shop: SHOP, runId: run.id, resource: "customers", jsonl: { chunks: fs.createReadStream(file) }, sqliteFile });
  return (performance.now() - t) / 1000;
}

async function dropTriggers(db: TestDatabase, dialect: Dialect) {
  for (const name of ["Customer_tags_insert", "Customer_tags_update"]) {
    await db.prisma.$executeRawUnsafe(dialect === "sqlite" ? `DROP TRIGGER "${name}"` : `DROP TRIGGER "${name}" ON "Customer"`);
  }
}

async function addProfiles(db: TestDatabase, dialect: Dialect): Promise<number> {
  const snapshot = await db.prisma.analysisSnapshot.create({ data: { shop: SHOP, asOf: NOW, customers, orders: 0, data: "{}", completedAt: NOW } });
  const p = (n: number) => placeholder(dialect, n);
  await db.prisma.$executeRawUnsafe(
    `INSERT INTO "CustomerProfile" ("snapshotId", "customerId", "shop", "customerShopifyId", "orderCount", "repeatPurchases", "totalSpent", "averageOrderValue",
       "firstOrderAt", "lastOrderAt", "daysSinceFirstOrder", "daysSinceLastOrder", "usualGapDays", "lifecycleStage", "customerGroup", "customerType", "spendTier",
       "recencyScore", "frequencyScore", "monetaryScore", "rfmGroup")
     SELECT ${p(1)}, c."id", c."shop", c."shopifyId", 2, 1, 40, 20, ${p(2)}, ${p(3)}, 300, 30, 30, 'active', 'loyal', 'returning', 'mid', 3, 3, 3, 'loyal'
       FROM "Customer" c WHERE c."shop" = ${p(4)}`,
    snapshot.id,
    NOW,
    NOW,
    SHOP,
  );
  if (dialect === "postgresql") await db.prisma.$executeRawUnsafe(`ANALYZE`);
  return snapshot.id;
}

/** The query the compiler wrote before the tag rows: the customer's JSON tags, customer by customer. */
function jsonTagCount(dialect: Dialect, snapshotId: number, tag: string, has: boolean) {
  const p = (n: number) => placeholder(dialect, n);
  const holds =
    dialect === "sqlite" ? `EXISTS (SELECT 1 FROM json_each(c."tags") t WHERE t.value = ${p(3)})` : `(c."tags"::jsonb @> jsonb_build_array(CAST(${p(3)} AS text)))`;
  return {
    sql: `SELECT COUNT(*) AS "n" FROM "CustomerProfile" p JOIN "Customer" c ON c."id" = p."customerId" WHERE p."snapshotId" = ${p(1)} AND p."shop" = ${p(2)} AND c."deletedAt" IS NULL AND ${has ? "" : "NOT "}${holds}`,
    params: [snapshotId, SHOP, tag],
  };
}

async function time(db: TestDatabase, query: { sql: string; params: unknown[] }): Promise<{ p50: number; p95: number; n: number }> {
  const ms: number[] = [];
  let n = 0;
  for (let i = 0; i < runs + 2; i++) {
    const t = performance.now();
    const rows = await db.prisma.$queryRawUnsafe<{ n: number | bigint }[]>(query.sql, ...query.params);
    if (i >= 2) ms.push(performance.now() - t);
    n = Number(rows[0].n);
  }
  ms.sort((a, b) => a - b);
  return { p50: ms[Math.floor(ms.length / 2)], p95: ms[Math.min(ms.length - 1, Math.ceil(ms.length * 0.95) - 1)], n };
}

const fmt = (r: { p50: number; p95: number }) => `p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms`;

console.log(`${customers} customers; load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}; ${os.cpus().length} CPUs`);
for (const dialect of dialects) {
  const withTriggers = await createTestDatabase(dialect);
  const without = await createTestDatabase(dialect);
  try {
    await dropTriggers(without, dialect);
    const plain = await importCustomers(without, dialect);
    const loadPlain = os.loadavg()[0];
    const triggered = await importCustomers(withTriggers, dialect);
    const loadTriggered = os.loadavg()[0];
    const rows = await withTriggers.prisma.customerTag.count({ where: { shop: SHOP } });
    console.log(
      `${dialect} import: without triggers ${plain.toFixed(2)} s (${Math.round(customers / plain)} customers/s, load ${loadPlain.toFixed(2)}); ` +
        `with triggers ${triggered.toFixed(2)} s (${Math.round(customers / triggered)} customers/s, load ${loadTriggered.toFixed(2)}); ${rows} tag rows`,
    );
    const snapshotId = await addProfiles(withTriggers, dialect);
    for (const [name, tag, has] of [["has tag vip", "vip", true], ["has not tag vip", "vip", false], ["has tag rare", "rare", true]] as const) {
      const rule: RuleGroup = { type: "group", match: "all", children: [{ type: "condition", field: "tags", operator: has ? "has" : "has-not", value: tag }] };
      const rowsQuery = await time(withTriggers, countQuery(rule, { dialect, shop: SHOP, snapshotId, now: NOW }));
      const jsonQuery = await time(withTriggers, jsonTagCount(dialect, snapshotId, tag, has));
      if (rowsQuery.n !== jsonQuery.n) throw new Error(`${name}: tag rows count ${rowsQuery.n}, JSON count ${jsonQuery.n}`);
      console.log(`${dialect} count "${name}" (${rowsQuery.n} members): tag rows ${fmt(rowsQuery)}; JSON column ${fmt(jsonQuery)} (load ${os.loadavg()[0].toFixed(2)})`);
    }
  } finally {
    await withTriggers.drop();
    await without.drop();
  }
}
fs.rmSync(file, { force: true });
