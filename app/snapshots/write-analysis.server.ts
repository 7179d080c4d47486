/**
 * Stores one analysis of a shop as a new generation (issue "Large stores" §2): the snapshot
 * row first, incomplete; then one CustomerProfile per customer through the database's bulk path
 * (prepared statements in short transactions on SQLite, `INSERT … SELECT FROM unnest(…)` on
 * PostgreSQL); then one UPDATE sets `completedAt`, and from that instant readers
 * (read-analysis.server.ts) see the new generation whole. No transaction spans the work that
 * grows with the store, so none meets a timeout, and a recompute killed midway leaves an
 * incomplete generation nobody reads, removed by the next one.
 *
 * Kept: the previous generation's profiles (a page that read the old snapshot id a moment ago
 * still finds its rows) and the latest SNAPSHOTS_KEPT snapshot documents (counts over time);
 * older ones are pruned.
 */
import type { StoreAnalysis } from "~/analytics/analyze-store";
import type { CustomerScoreRow } from "~/analytics/scores/customer-score-rows";
import { postgresBulkPool, sqliteBulkConnection } from "~/db/bulk-connections.server";
import type { DatabaseConfig } from "~/db/database-url";
import type { Database } from "~/db.server";
import { ts } from "~/sync/store/batch-values";
import { inList, postgresTimestamp, valuesList } from "~/sync/store/sql-dialect";
import { serializeSnapshotDocument, SNAPSHOT_VERSION, type SnapshotDocument } from "./snapshot-document";

export const SNAPSHOTS_KEPT = 12;
const ROWS_PER_TRANSACTION = 10_000;
/** 100 rows × 36 columns = 3,600 parameters per statement, well under SQLite's 32,766. */
const SQLITE_ROWS_PER_STATEMENT = 100;

export interface WrittenAnalysis {
  snapshotId: number;
  profiles: number;
}

/** The CustomerProfile columns in the order the bulk statements bind them. */
const PROFILE_COLUMNS = [
  ["snapshotId", "int"], ["customerId", "int"], ["shop", "text"], ["customerShopifyId", "text"],
  ["orderCount", "int"], ["repeatPurchases", "int"], ["totalSpent", "numeric"], ["averageOrderValue", "numeric"],
  ["firstOrderAt", "timestamp(3)"], ["lastOrderAt", "timestamp(3)"], ["daysSinceFirstOrder", "int"], ["daysSinceLastOrder", "int"],
  ["usualGapDays", "float8"], ["lifecycleStage", "text"], ["customerGroup", "text"], ["customerType", "text"], ["spendTier", "text"],
  ["recencyScore", "int"], ["frequencyScore", "int"], ["monetaryScore", "int"], ["rfmGroup", "text"], ["acquisitionSource", "text"],
  ["pAlive", "float8"], ["pAliveLow", "float8"], ["pAliveHigh", "float8"], ["churnRisk", "text"],
  ["expectedOrders", "float8"], ["expectedOrdersLow", "float8"], ["expectedOrdersHigh", "float8"], ["expectedOrderValue", "float8"],
  ["predictedClv", "float8"], ["predictedClvLow", "float8"], ["predictedClvHigh", "float8"], ["nextOrderAt", "timestamp(3)"],
  ["nextOrderLow", "timestamp(3)"], ["nextOrderHigh", "timestamp(3)"],
] as const;

/** A shop-local day "YYYY-MM-DD", stored as that day's UTC midnight. */
const sqliteDay = (day: string) => `${day}T00:00:00.000+00:00`;
const dayOrNull = (iso: string | null, day: (iso: string) => string) => (iso === null ? null : day(iso));

/** One profile's values in PROFILE_COLUMNS order; dates as the dialect stores them. */
function profileValues(row: CustomerScoreRow, snapshotId: number, customerId: number, shop: string, day: (iso: string) => string): unknown[] {
  return [
    snapshotId, customerId, shop, row.customer_id,
    row.orders, row.x, row.total_spent.toFixed(2), row.aov.toFixed(2),
    day(row.first_order_date), day(row.last_order_date), row.days_since_first_order, row.days_since_last_order,
    row.usual_gap_days, row.lifecycle, row.group, row.customer_type, row.spend_tier,
    row.r, row.f, row.m, row.rfm_group, row.acquisition_source,
    row.p_alive, row.p_alive_low, row.p_alive_high, row.churn_risk,
    row.expected_purchases, row.expected_purchases_low, row.expected_purchases_high, row.expected_spend,
    row.clv, row.clv_low, row.clv_high, dayOrNull(row.next_order_date, day),
    dayOrNull(row.next_order_date_low, day), dayOrNull(row.next_order_date_high, day),
  ];
}

export async function writeAnalysis(
  prisma: Database,
  database: DatabaseConfig,
  shop: string,
  analysis: StoreAnalysis,
  document: Omit<SnapshotDocument, "analysis">,
  now: Date,
): Promise<WrittenAnalysis> {
  const { scores, timings: _coreTimings, ...summary } = analysis;
  const snapshot = await prisma.analysisSnapshot.create({
    data: {
      shop,
      asOf: new Date(`${analysis.asOf}T00:00:00Z`),
      modelName: analysis.models.status === "fitted" ? analysis.models.default : null,
      customers: analysis.customers,
      orders: analysis.orders,
      version: SNAPSHOT_VERSION,
      data: serializeSnapshotDocument({ analysis: summary, ...document }),
    },
  });
  const rows = scores ?? { length: 0, rows: () => [] as CustomerScoreRow[] };
  const customerIds = await customerIdsOf(prisma, database, shop, rows.rows().map((r) => r.customer_id), now);
  const sqlite = sqliteBulkConnection(database);
  if (sqlite) {
    // Multi-row statements (one step writes SQLITE_ROWS_PER_STATEMENT rows), prepared once per row count.
    const columns = PROFILE_COLUMNS.map(([name]) => `"${name}"`).join(", ");
    const tuple = `(${PROFILE_COLUMNS.map(() => "?").join(", ")})`;
    const statements = new Map<number, ReturnType<typeof sqlite.prepare>>();
    const insert = (rowCount: number) => {
      let statement = statements.get(rowCount);
      if (!statement) statements.set(rowCount, (statement = sqlite.prepare(`INSERT INTO "CustomerProfile" (${columns}) VALUES ${Array(rowCount).fill(tuple).join(", ")}`)));
      return statement;
    };
    const writeChunk = sqlite.transaction((chunk: CustomerScoreRow[]) => {
      for (let start = 0; start < chunk.length; start += SQLITE_ROWS_PER_STATEMENT) {
        const part = chunk.slice(start, start + SQLITE_ROWS_PER_STATEMENT);
        const values: unknown[] = [];
        for (const row of part) for (const v of profileValues(row, snapshot.id, customerIds.get(row.customer_id)!, shop, sqliteDay)) values.push(v);
        insert(part.length).run(values);
      }
    });
    for (let i = 0; i < rows.length; i += ROWS_PER_TRANSACTION) {
      writeChunk(rows.rows(i, i + ROWS_PER_TRANSACTION));
      // Let the server answer requests (and other writers take the lock) between chunks.
      await new Promise((resolve) => setImmediate(resolve));
    }
  } else if (database.dialect === "postgresql") {
    const pool = postgresBulkPool(database);
    const sql = `INSERT INTO "CustomerProfile" (${PROFILE_COLUMNS.map(([name]) => `"${name}"`).join(", ")})
      SELECT * FROM unnest(${PROFILE_COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(", ")})`;
    for (let i = 0; i < rows.length; i += ROWS_PER_TRANSACTION) {
      const arrays: unknown[][] = PROFILE_COLUMNS.map(() => []);
      for (const row of rows.rows(i, i + ROWS_PER_TRANSACTION)) {
        const values = profileValues(row, snapshot.id, customerIds.get(row.customer_id)!, shop, (d) => d);
        for (let c = 0; c < values.length; c++) arrays[c].push(values[c]);
      }
      await pool.query(sql, arrays);
    }
  } else {
    // In-memory SQLite (unit tests): only Prisma's connection sees the database.
    for (let i = 0; i < rows.length; i += 500) {
      const values = rows.rows(i, i + 500).map((row) => profileValues(row, snapshot.id, customerIds.get(row.customer_id)!, shop, sqliteDay));
      const placeholders = values.map(() => `(${PROFILE_COLUMNS.map(() => "?").join(", ")})`).join(", ");
      await prisma.$executeRawUnsafe(`INSERT INTO "CustomerProfile" (${PROFILE_COLUMNS.map(([name]) => `"${name}"`).join(", ")}) VALUES ${placeholders}`, ...values.flat());
    }
  }
  // The switch: from here on this is the shop's current analysis.
  await prisma.$transaction([
    prisma.analysisSnapshot.update({ where: { id: snapshot.id }, data: { completedAt: now } }),
    prisma.shop.updateMany({ where: { shop }, data: { analysisFailedAt: null, analysisError: null } }),
  ]);
  await pruneGenerations(prisma, shop, snapshot.id);
  return { snapshotId: snapshot.id, profiles: rows.length };
}

/**
 * Customer.id of every scored customer. A customer known only from orders (their customer
 * record not synced yet) gets a row holding just the id, so the profile can reference it; the
 * sync fills it in when Shopify sends the record.
 */
async function customerIdsOf(prisma: Database, database: DatabaseConfig, shop: string, scored: readonly string[], now: Date): Promise<Map<string, number>> {
  const sqlite = sqliteBulkConnection(database);
  const read = async (onlyIds?: readonly string[]): Promise<[string, number][]> => {
    const only = onlyIds ? ` AND "shopifyId" IN (${inList(database.dialect, onlyIds.length, 1)})` : "";
    if (sqlite) return sqlite.prepare(`SELECT "shopifyId", "id" FROM "Customer" WHERE "shop" = ?${only}`).raw(true).all(shop, ...(onlyIds ?? [])) as [string, number][];
    if (database.dialect === "postgresql") {
      const result = await postgresBulkPool(database).query({ text: `SELECT "shopifyId", "id" FROM "Customer" WHERE "shop" = $1${only}`, values: [shop, ...(onlyIds ?? [])], rowMode: "array" });
      return result.rows as [string, number][];
    }
    const rows = await prisma.customer.findMany({ where: { shop, ...(onlyIds ? { shopifyId: { in: [...onlyIds] } } : {}) }, select: { shopifyId: true, id: true } });
    return rows.map((r): [string, number] => [r.shopifyId, r.id]);
  };
  const ids = new Map(await read());
  const missing = scored.filter((id) => !ids.has(id));
  const synced = database.dialect === "sqlite" ? ts(now) : postgresTimestamp(now);
  for (let i = 0; i < missing.length; i += 1000) {
    const chunk = missing.slice(i, i + 1000);
    await prisma.$executeRawUnsafe(
      `INSERT INTO "Customer" ("shop", "shopifyId", "syncedAt") VALUES ${valuesList(database.dialect, chunk.length, 3)} ON CONFLICT ("shop", "shopifyId") DO NOTHING`,
      ...chunk.flatMap((shopifyId) => [shop, shopifyId, synced]),
    );
    // Only the new rows' ids: the rest are known.
    for (const [shopifyId, id] of await read(chunk)) ids.set(shopifyId, id);
  }
  return ids;
}

/** Removes generations no reader can reach: profiles older than the previous generation, incomplete snapshots, documents beyond SNAPSHOTS_KEPT. */
async function pruneGenerations(prisma: Database, shop: string, currentId: number): Promise<void> {
  const completed = await prisma.analysisSnapshot.findMany({
    where: { shop, completedAt: { not: null }, id: { lte: currentId } },
    orderBy: { id: "desc" },
    select: { id: true },
  });
  const previousId = completed[1]?.id ?? currentId;
  await prisma.customerProfile.deleteMany({ where: { shop, snapshotId: { notIn: [currentId, previousId] } } });
  await prisma.analysisSnapshot.deleteMany({ where: { shop, completedAt: null, id: { lt: currentId } } });
  const expired = completed.slice(SNAPSHOTS_KEPT).map((s) => s.id);
  if (expired.length > 0) await prisma.analysisSnapshot.deleteMany({ where: { id: { in: expired } } });
}

/**
 * Rewrites a few customers' profiles in generation `snapshotId` in place (the per-order refresh,
 * refresh-profiles.server.ts), inside the caller's transaction: `rows` are upserted with
 * `refreshedAt`, `removed` customers (no counted order any more) lose their row.
 */
export async function rewriteProfiles(
  db: Pick<Database, "$executeRawUnsafe">,
  dialect: DatabaseConfig["dialect"],
  shop: string,
  snapshotId: number,
  rows: readonly { row: CustomerScoreRow; customerId: number }[],
  removed: readonly number[],
  refreshedAt: Date,
): Promise<void> {
  const postgres = dialect === "postgresql";
  const columns = [...PROFILE_COLUMNS, ["refreshedAt", "timestamp(3)"] as const];
  const names = columns.map(([name]) => `"${name}"`).join(", ");
  const updates = columns
    .filter(([name]) => name !== "snapshotId" && name !== "customerId")
    .map(([name]) => `"${name}" = excluded."${name}"`)
    .join(", ");
  const at = postgres ? refreshedAt.toISOString() : ts(refreshedAt);
  for (let i = 0; i < rows.length; i += SQLITE_ROWS_PER_STATEMENT) {
    const part = rows.slice(i, i + SQLITE_ROWS_PER_STATEMENT);
    let n = 0;
    const tuple = () => `(${columns.map(([, type]) => (postgres ? `$${++n}::${type}` : "?")).join(", ")})`;
    const values = part.flatMap(({ row, customerId }) => [...profileValues(row, snapshotId, customerId, shop, postgres ? (d) => d : sqliteDay), at]);
    await db.$executeRawUnsafe(
      `INSERT INTO "CustomerProfile" (${names}) VALUES ${part.map(tuple).join(", ")} ON CONFLICT ("snapshotId", "customerId") DO UPDATE SET ${updates}`,
      ...values,
    );
  }
  if (removed.length > 0) {
    await db.$executeRawUnsafe(
      `DELETE FROM "CustomerProfile" WHERE "snapshotId" = ${postgres ? "$1" : "?"} AND "customerId" IN (${removed.map((_, i) => (postgres ? `$${i + 2}` : "?")).join(", ")})`,
      snapshotId,
      ...removed,
    );
  }
}
