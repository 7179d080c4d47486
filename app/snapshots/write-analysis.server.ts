/**
 * Stores one analysis of a shop as a new generation (issue "Large stores" §2): the snapshot
 * row first, incomplete; then one CustomerProfile per customer through the database's bulk path
 * (a prepared statement in short transactions on SQLite; on PostgreSQL `COPY … FROM STDIN` into
 * a table of the generation's own, indexed and attached as a partition when full);
 * then one UPDATE sets `completedAt`, and from that instant readers (read-analysis.server.ts)
 * see the new generation whole. No transaction spans the work that grows with the store, so
 * none meets a timeout, and a recompute killed midway leaves an incomplete generation nobody
 * reads, removed by the next one.
 *
 * Kept: the previous generation's profiles (a page that read the old snapshot id a moment ago
 * still finds its rows) and the latest SNAPSHOTS_KEPT snapshot documents (counts over time);
 * older ones are pruned.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type BetterSqlite3 from "better-sqlite3";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { StoreAnalysis } from "~/analytics/analyze-store";
import type { CustomerScoreRow, CustomerScoreTable } from "~/analytics/scores/customer-score-rows";
import { BinaryCopyRows } from "~/db/postgres-binary-copy";
import { inPostgresTransaction, postgresBulkPool, sqliteBulkConnection, whenSqliteWriteLockFree } from "~/db/bulk-connections.server";
import type { DatabaseConfig } from "~/db/database-url";
import type { Database } from "~/db.server";
import { errorLine, log } from "~/log.server";
import { ts } from "~/sync/store/batch-values";
import { inList, postgresTimestamp, valuesList } from "~/sync/store/sql-dialect";
import { serializeSnapshotDocument, SNAPSHOT_VERSION, type SnapshotDocument } from "./snapshot-document";
import { deleteGenerationRows } from "./sqlite-generation-rows";
import { buildGenerationIndexes, ensureProfileIndexes } from "./sqlite-profile-indexes";

export const SNAPSHOTS_KEPT = 12;
/** Profiles per PostgreSQL COPY (and per chunk of the in-memory path); the event loop runs between chunks. */
export const ROWS_PER_CHUNK = 10_000;
/**
 * Profiles per SQLite transaction, about a second of the write lock at 1M orders. A generation's
 * rows land all over each index's range of the new snapshot id, so each commit writes most of
 * those index pages to the WAL again: in 10k-row transactions the 1M write took 6.0–6.3 s, in
 * 50k-row ones 4.8–5.2 s, in one transaction 4.6–4.8 s (bench/RESULTS.md, branch recompute1m).
 */
export const SQLITE_ROWS_PER_CHUNK = 50_000;
/** 100 rows × 37 columns = 3,700 parameters per statement, well under SQLite's 32,766 (the per-order refresh). */
const ROWS_PER_STATEMENT = 100;

export interface WrittenAnalysis {
  snapshotId: number;
  profiles: number;
  /** Milliseconds from the start to the switch (readers see the new figures), then of the sort indexes (SQLite) and the prune after it. */
  timings: { switch: number; sortIndexes: number; prune: number };
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
const COLUMN_LIST = PROFILE_COLUMNS.map(([name]) => `"${name}"`).join(", ");
const COLUMN_TYPES = PROFILE_COLUMNS.map(([, type]) => type);

/** A shop-local day "YYYY-MM-DD", stored as that day's UTC midnight (Prisma's SQLite DateTime text). */
const SQLITE_MIDNIGHT = "T00:00:00.000+00:00";
const sqliteDay = (day: string) => `${day}${SQLITE_MIDNIGHT}`;
/**
 * The bulk insert's placeholders: a day is bound as "YYYY-MM-DD" and SQLite appends the time
 * (NULL stays NULL), which saves building 1.4M strings at 1M orders (about 85 ms of the rows'
 * 1.3 s in a micro-benchmark, bench/RESULTS.md "Thirty-sixth session").
 */
const SQLITE_BULK_PLACEHOLDERS = PROFILE_COLUMNS.map(([, type]) => (type === "timestamp(3)" ? `? || '${SQLITE_MIDNIGHT}'` : "?")).join(", ");
/** A day as "YYYY-MM-DD": PostgreSQL reads it into a timestamp as that day's midnight; SQLite's bulk insert appends the time. */
const bareDay = (day: string) => day;
const dayOrNull = (iso: string | null, day: (iso: string) => string) => (iso === null ? null : day(iso));

/** One profile's values in PROFILE_COLUMNS order, written into `values` (reused row to row); dates as the dialect stores them. */
function fillProfileValues(values: unknown[], row: CustomerScoreRow, snapshotId: number, customerId: number, shop: string, day: (iso: string) => string): unknown[] {
  values[0] = snapshotId; values[1] = customerId; values[2] = shop; values[3] = row.customer_id;
  values[4] = row.orders; values[5] = row.x; values[6] = row.total_spent.toFixed(2); values[7] = row.aov.toFixed(2);
  values[8] = day(row.first_order_date); values[9] = day(row.last_order_date); values[10] = row.days_since_first_order; values[11] = row.days_since_last_order;
  values[12] = row.usual_gap_days; values[13] = row.lifecycle; values[14] = row.group; values[15] = row.customer_type; values[16] = row.spend_tier;
  values[17] = row.r; values[18] = row.f; values[19] = row.m; values[20] = row.rfm_group; values[21] = row.acquisition_source;
  values[22] = row.p_alive; values[23] = row.p_alive_low; values[24] = row.p_alive_high; values[25] = row.churn_risk;
  values[26] = row.expected_purchases; values[27] = row.expected_purchases_low; values[28] = row.expected_purchases_high; values[29] = row.expected_spend;
  values[30] = row.clv; values[31] = row.clv_low; values[32] = row.clv_high; values[33] = dayOrNull(row.next_order_date, day);
  values[34] = dayOrNull(row.next_order_date_low, day); values[35] = dayOrNull(row.next_order_date_high, day);
  return values;
}

const profileValues = (row: CustomerScoreRow, snapshotId: number, customerId: number, shop: string, day: (iso: string) => string): unknown[] =>
  fillProfileValues(new Array(PROFILE_COLUMNS.length), row, snapshotId, customerId, shop, day);

export async function writeAnalysis(
  prisma: Database,
  database: DatabaseConfig,
  shop: string,
  analysis: StoreAnalysis,
  document: Omit<SnapshotDocument, "analysis">,
  now: Date,
  options: {
    /** Profiles per chunk, when not the dialect's own (tests: many chunks from a small store). */
    rowsPerChunk?: number;
    /** `Customer.id` by the dataset's customer index, as the load read them (LoadedStore.customerRowIds); others are read here. */
    customerRowIds?: readonly (number | undefined)[];
  } = {},
): Promise<WrittenAnalysis> {
  const { scores, timings: _coreTimings, ...summary } = analysis;
  const started = performance.now();
  const sqlite = sqliteBulkConnection(database);
  const pool = database.dialect === "postgresql" ? postgresBulkPool(database) : null;
  // SQLite: the generation's pages are copied from the WAL into the file once, after the switch,
  // instead of at every chunk's commit, where the same index pages were copied again and again.
  const autocheckpoint = sqlite?.pragma("wal_autocheckpoint", { simple: true });
  if (sqlite) sqlite.pragma("wal_autocheckpoint = 0");
  const rows: Pick<CustomerScoreTable, "length" | "rows" | "customerIndex"> = scores ?? { length: 0, rows: () => [], customerIndex: () => -1 };
  let switching = false;
  /** Set first thing below: the generation whose table goes if the write fails before its switch. */
  let snapshot: { id: number } | undefined;
  try {
    const snapshotRow = {
      shop,
      asOf: new Date(`${analysis.asOf}T00:00:00Z`),
      modelName: analysis.models.status === "fitted" ? analysis.models.default : null,
      customers: analysis.customers,
      orders: analysis.orders,
      version: SNAPSHOT_VERSION,
      data: serializeSnapshotDocument({ analysis: summary, ...document }),
    };
    // SQLite: on the bulk connection, whose checkpoints wait for the switch. Through Prisma's, this
    // first commit would copy into the file the WAL the load's deletes of old generations left
    // (decision 052): 0.2 s at 1M orders before the first profile.
    snapshot = sqlite ? await createSnapshotSqlite(sqlite, snapshotRow) : await prisma.analysisSnapshot.create({ data: snapshotRow, select: { id: true } });
    const customerIds = await customerIdLookup(prisma, database, shop, now, rows, options.customerRowIds);
    const rowsPerChunk = options.rowsPerChunk ?? (sqlite ? SQLITE_ROWS_PER_CHUNK : ROWS_PER_CHUNK);
    const copies = new CopiesInFlight(POSTGRES_COPIES_IN_FLIGHT);
    // SQLite: the rows go in without the sort indexes, which are built for this generation alone
    // after its switch (decisions 050, 067); an earlier generation's that a failed build left
    // missing are built here, and any left by snapshots a shop/redact deleted go.
    if (sqlite) await ensureProfileIndexes(sqlite);
    if (pool) await createGenerationTable(pool, snapshot.id);
    // Each score row object is built once, a chunk at a time (the core keeps the table columnar).
    for (let i = 0; i < rows.length; i += rowsPerChunk) {
      const chunk = rows.rows(i, i + rowsPerChunk);
      const ids = await customerIds(i, chunk);
      if (sqlite) await writeProfilesSqlite(sqlite, shop, snapshot.id, chunk, ids);
      else if (pool) await copies.add(copyProfilesPostgres(pool, shop, snapshot.id, chunk, ids));
      else await insertProfilesPrisma(prisma, shop, snapshot.id, chunk, ids);
      // Let the server answer requests (and other writers take the lock) between chunks.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await copies.finish();
    if (pool) await attachGenerationTable(pool, snapshot.id);
    switching = true;
    // The switch: from here on this is the shop's current analysis.
    if (sqlite) await switchSqlite(sqlite, shop, snapshot.id, now);
    else {
      await prisma.$transaction([
        prisma.analysisSnapshot.update({ where: { id: snapshot.id }, data: { completedAt: now } }),
        prisma.shop.updateMany({ where: { shop }, data: { analysisFailedAt: null, analysisError: null } }),
      ]);
    }
  } catch (error) {
    // A generation nobody will read: its table goes now (or with the next prune, if this fails
    // too, or if the switch itself failed: its commit may have reached the server).
    if (pool && snapshot && !switching) await pool.query(`DROP TABLE IF EXISTS "${generationTable(snapshot.id)}"`).catch(() => {});
    if (sqlite) sqlite.pragma(`wal_autocheckpoint = ${Number(autocheckpoint)}`);
    throw error;
  }
  const switched = performance.now();
  if (sqlite) {
    // SQLite: the generation's sort indexes are built after its switch (decision 067), so the new
    // figures do not wait ~1.8 s at 1M orders for them; the pages' sorts scan meanwhile. One that
    // cannot be built now is built by the next write or server start (ensureProfileIndexes).
    try {
      await buildGenerationIndexes(sqlite, snapshot.id);
    } catch (error) {
      log("warn", "recompute.sort-indexes-deferred", { shop, snapshotId: snapshot.id, error: errorLine(error) });
    } finally {
      sqlite.pragma(`wal_autocheckpoint = ${Number(autocheckpoint)}`);
    }
  }
  const indexed = performance.now();
  // Readers see the new figures; now the WAL goes into the file (a passive checkpoint: it waits
  // for no reader or writer).
  if (sqlite) sqlite.pragma("wal_checkpoint(PASSIVE)");
  // After the switch: the new figures are readable while the old rows go.
  await pruneGenerations(prisma, database, shop, snapshot.id);
  // PostgreSQL plans a segment's member pages and rule counts from the generation table's
  // statistics: without them it plans for an empty table (a 275k-member page took 1.3 s instead of
  // 0.7 s; a rule count nested loops, 100 s instead of 0.3 s at 100k orders). Autovacuum would get
  // there later and never analyses the partitioned parent; 0.4-0.5 s of ANALYZE of the one table at
  // 1M, after the switch, gets there now (before the segments' refresh, which is queued after this).
  if (pool) await pool.query(`ANALYZE "${generationTable(snapshot.id)}"`);
  return {
    snapshotId: snapshot.id,
    profiles: rows.length,
    timings: { switch: Math.round(switched - started), sortIndexes: Math.round(indexed - switched), prune: Math.round(performance.now() - indexed) },
  };
}

/** The generation's snapshot row, incomplete (`completedAt` null), as Prisma would create it. */
function createSnapshotSqlite(
  sqlite: BetterSqlite3.Database,
  row: { shop: string; asOf: Date; modelName: string | null; customers: number; orders: number; version: number; data: string },
): Promise<{ id: number }> {
  return whenSqliteWriteLockFree(sqlite, () => {
    const id = sqlite
      .prepare(`INSERT INTO "AnalysisSnapshot" ("shop", "asOf", "modelName", "customers", "orders", "version", "data", "createdAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING "id"`)
      .pluck()
      .get(row.shop, ts(row.asOf), row.modelName, row.customers, row.orders, row.version, row.data, ts(new Date())) as number;
    return { id };
  });
}

/**
 * The switch on SQLite, on the connection that wrote the generation: through Prisma's connection
 * its commit would find the generation's WAL (~200 MB at 1M orders) over the autocheckpoint
 * threshold and copy it into the file before the switch returned.
 */
function switchSqlite(sqlite: BetterSqlite3.Database, shop: string, snapshotId: number, now: Date): Promise<void> {
  return whenSqliteWriteLockFree(sqlite, () =>
    sqlite.transaction(() => {
      sqlite.prepare(`UPDATE "AnalysisSnapshot" SET "completedAt" = ? WHERE "id" = ?`).run(ts(now), snapshotId);
      sqlite.prepare(`UPDATE "Shop" SET "analysisFailedAt" = NULL, "analysisError" = NULL, "updatedAt" = ? WHERE "shop" = ?`).run(ts(new Date()), shop);
    })(),
  );
}

/** The insert statement, prepared once per SQLite connection. */
const sqliteInserts = new WeakMap<BetterSqlite3.Database, BetterSqlite3.Statement>();

/**
 * One chunk in one transaction: one prepared single-row statement run per profile with a
 * reused parameter array, which measured as fast as 100-row statements without building a
 * parameter list per statement (bench/RESULTS.md "Recompute write"). The values go as separate
 * arguments, which better-sqlite3 reads straight off the call; an array it reads element by
 * element through V8's API, 0.1–0.3 s more per 1M-order generation (bench/RESULTS.md,
 * eighteenth session). Each chunk's transaction starts once the write lock is free
 * (whenSqliteWriteLockFree).
 */
function writeProfilesSqlite(sqlite: BetterSqlite3.Database, shop: string, snapshotId: number, chunk: readonly CustomerScoreRow[], ids: readonly number[]): Promise<void> {
  let insert = sqliteInserts.get(sqlite);
  if (!insert) {
    insert = sqlite.prepare(`INSERT INTO "CustomerProfile" (${COLUMN_LIST}) VALUES (${SQLITE_BULK_PLACEHOLDERS})`);
    sqliteInserts.set(sqlite, insert);
  }
  const statement = insert;
  const values: unknown[] = new Array(PROFILE_COLUMNS.length);
  return whenSqliteWriteLockFree(
    sqlite,
    sqlite.transaction(() => {
      for (let k = 0; k < chunk.length; k++) statement.run(...fillProfileValues(values, chunk[k], snapshotId, ids[k], shop, bareDay));
    }),
  );
}

/**
 * One chunk as one `COPY … FROM STDIN` in binary format (pg-copy-streams; the rows encoded by
 * postgres-binary-copy.ts): one statement the server reads as a stream, each value already in its
 * column's wire format (decision 048).
 */
async function copyProfilesPostgres(pool: pg.Pool, shop: string, snapshotId: number, chunk: readonly CustomerScoreRow[], ids: readonly number[]): Promise<void> {
  const values: unknown[] = new Array(PROFILE_COLUMNS.length);
  const copy = new BinaryCopyRows(COLUMN_TYPES);
  for (let k = 0; k < chunk.length; k++) copy.row(fillProfileValues(values, chunk[k], snapshotId, ids[k], shop, bareDay));
  const blocks = copy.end();
  await inPostgresTransaction(pool, "BEGIN", async (client) => {
    // Not waiting for the WAL flush is safe here: the switch's commit is synchronous, and its
    // flush covers every earlier commit; a crash before it loses only an unread generation.
    await client.query("SET LOCAL synchronous_commit = off");
    await pipeline(Readable.from(blocks), client.query(copyFrom(`COPY "${generationTable(snapshotId)}" (${COLUMN_LIST}) FROM STDIN (FORMAT binary)`)));
  });
}

/**
 * PostgreSQL: each generation's profiles are a partition of CustomerProfile of their own
 * (docs/decisions/047-profile-generations-as-partitions.md). The rows go into a new table without
 * indexes; each of the parent's indexes is then built in one sorted pass, and the table attached.
 * At 1M orders inserting a generation into the indexed table took 7.2–7.5 s of server time, the
 * bare insert 1.0 s and the seven B-trees and the foreign key ~2.2 s (bench/RESULTS.md, tenth
 * session). Pruning a generation drops its table: no dead rows for VACUUM.
 */
const generationTable = (snapshotId: number) => `CustomerProfile_${snapshotId}`;

/**
 * The generation's table, empty: the parent's columns, defaults and checks, and a check that every
 * row is of this generation, which lets ATTACH skip its scan. A table left by a crashed write with
 * this id (ids are not reused, but a restored database may reuse them) is garbage.
 */
async function createGenerationTable(pool: pg.Pool, snapshotId: number): Promise<void> {
  const table = generationTable(snapshotId);
  await pool.query(`DROP TABLE IF EXISTS "${table}"`);
  await pool.query(
    `CREATE TABLE "${table}" (LIKE "CustomerProfile" INCLUDING DEFAULTS INCLUDING CONSTRAINTS, CONSTRAINT "${table}_generation" CHECK ("snapshotId" = ${Number(snapshotId)}))`,
  );
}

/** The parent's keys and indexes as statements for one generation's table, read from the catalog (the schema is their one definition). */
async function generationTableDefinitions(pool: pg.Pool, table: string): Promise<{ primaryKey: string[]; indexes: string[]; foreignKeys: string[] }> {
  const constraints = await pool.query<{ type: string; definition: string }>(
    `SELECT contype AS type, pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conrelid = '"CustomerProfile"'::regclass AND contype IN ('p', 'u', 'f') ORDER BY contype DESC`,
  );
  const indexes = await pool.query<{ definition: string; unique: boolean }>(
    `SELECT pg_get_indexdef(i.indexrelid) AS definition, i.indisunique AS unique FROM pg_index i
      WHERE i.indrelid = '"CustomerProfile"'::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)
      ORDER BY i.indexrelid`,
  );
  const add = (definition: string) => `ALTER TABLE "${table}" ADD ${definition}`;
  return {
    primaryKey: constraints.rows.filter((c) => c.type !== "f").map((c) => add(c.definition)),
    // "CREATE INDEX name ON ONLY public."CustomerProfile" USING btree (…)" → the same index on the table.
    indexes: indexes.rows.map((i) => `CREATE ${i.unique ? "UNIQUE " : ""}INDEX ON "${table}" ${i.definition.slice(i.definition.indexOf(" USING ") + 1)}`),
    foreignKeys: constraints.rows.filter((c) => c.type === "f").map((c) => add(c.definition)),
  };
}

/**
 * Builds the generation table's keys and indexes and attaches it to CustomerProfile. ATTACH finds
 * every index and foreign key it needs already there (one it did not find it would build: slower,
 * never wrong). It takes a lock that lets the parent's readers and writers go on.
 */
async function attachGenerationTable(pool: pg.Pool, snapshotId: number): Promise<void> {
  const table = generationTable(snapshotId);
  const { primaryKey, indexes, foreignKeys } = await generationTableDefinitions(pool, table);
  // The primary key first (ALTER TABLE locks the table whole), then the indexes two at a time on
  // the pool's two connections, then the foreign key, which checks every row in one join.
  for (const statement of primaryKey) await pool.query(statement);
  await Promise.all(
    [0, 1].map(async (lane) => {
      for (let i = lane; i < indexes.length; i += 2) await pool.query(indexes[i]);
    }),
  );
  for (const statement of foreignKeys) await pool.query(statement);
  await pool.query(`ALTER TABLE "CustomerProfile" ATTACH PARTITION "${table}" FOR VALUES IN (${Number(snapshotId)})`);
}

/** PostgreSQL COPYs of one generation running at once, each on its own connection of the bulk pool (it has two). */
const POSTGRES_COPIES_IN_FLIGHT = 2;

/**
 * Up to `limit` chunk writes running at once: the server inserts one chunk while the next is
 * turned into COPY text here, on two server processes. The first failure is thrown once every chunk started has ended, so no COPY
 * is still adding rows to a generation the caller gives up on.
 */
class CopiesInFlight {
  private readonly running: Promise<void>[] = [];
  private failure: { error: unknown } | null = null;

  constructor(private readonly limit: number) {}

  async add(copy: Promise<void>): Promise<void> {
    this.running.push(copy.catch((error) => void (this.failure ??= { error })));
    if (this.running.length >= this.limit) await this.running.shift();
    if (this.failure) await this.finish();
  }

  async finish(): Promise<void> {
    await Promise.all(this.running.splice(0));
    if (this.failure) throw this.failure.error;
  }
}

/** In-memory SQLite (unit tests): only Prisma's connection sees the database. */
async function insertProfilesPrisma(prisma: Database, shop: string, snapshotId: number, chunk: readonly CustomerScoreRow[], ids: readonly number[]): Promise<void> {
  const tuple = `(${PROFILE_COLUMNS.map(() => "?").join(", ")})`;
  for (let i = 0; i < chunk.length; i += ROWS_PER_STATEMENT) {
    const part = chunk.slice(i, i + ROWS_PER_STATEMENT);
    const values = part.flatMap((row, k) => profileValues(row, snapshotId, ids[i + k], shop, sqliteDay));
    await prisma.$executeRawUnsafe(`INSERT INTO "CustomerProfile" (${COLUMN_LIST}) VALUES ${part.map(() => tuple).join(", ")}`, ...values);
  }
}

/**
 * Customer.id of scored customers, a chunk at a time (the chunk of score rows from `start`), in
 * the chunk's order: from the load (`known`, by the dataset's customer index), or else from the
 * shop's customers read once. A customer known only from orders (their record not synced yet)
 * gets a row holding just the id, so the profile can reference it; the sync fills it in when
 * Shopify sends the record. A customer the load did not read (deleted, or added since) is looked
 * up then.
 */
async function customerIdLookup(
  prisma: Database,
  database: DatabaseConfig,
  shop: string,
  now: Date,
  scores: Pick<CustomerScoreTable, "customerIndex">,
  known?: readonly (number | undefined)[],
): Promise<(start: number, chunk: readonly CustomerScoreRow[]) => Promise<number[]>> {
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
  const byShopifyId = known ? null : new Map(await read());
  const synced = database.dialect === "sqlite" ? ts(now) : postgresTimestamp(now);
  return async (start, chunk) => {
    const ids: number[] = new Array(chunk.length);
    const missing: number[] = [];
    for (let k = 0; k < chunk.length; k++) {
      const id = known ? known[scores.customerIndex(start + k)] : byShopifyId!.get(chunk[k].customer_id);
      if (id === undefined) missing.push(k);
      else ids[k] = id;
    }
    for (let i = 0; i < missing.length; i += 1000) {
      const positions = missing.slice(i, i + 1000);
      const part = positions.map((k) => chunk[k].customer_id);
      await prisma.$executeRawUnsafe(
        `INSERT INTO "Customer" ("shop", "shopifyId", "syncedAt") VALUES ${valuesList(database.dialect, part.length, 3)} ON CONFLICT ("shop", "shopifyId") DO NOTHING`,
        ...part.flatMap((shopifyId) => [shop, shopifyId, synced]),
      );
      // Only the new rows' ids: the rest are known.
      const found = new Map(await read(part));
      for (const k of positions) ids[k] = found.get(chunk[k].customer_id)!;
    }
    return ids;
  };
}

/**
 * The generations whose profiles no reader will reach once the next analysis of `shop` switches:
 * every one but the current. The prune after that switch deletes them (below); on SQLite the
 * recompute's line reader deletes them already while the analysis runs (decision 052), one
 * superseded a whole recompute ago, as the prune would a few seconds later. Their snapshot rows
 * (documents kept for counts over time) stay for the prune to judge.
 */
export async function generationsBeforeCurrent(prisma: Database, shop: string): Promise<number[]> {
  const snapshots = await prisma.analysisSnapshot.findMany({ where: { shop }, orderBy: { id: "desc" }, select: { id: true, completedAt: true } });
  const current = snapshots.find((s) => s.completedAt !== null)?.id;
  return snapshots.filter((s) => s.id !== current).map((s) => s.id);
}

/**
 * Removes generations no reader can reach: profiles older than the previous generation, incomplete
 * snapshots, documents beyond SNAPSHOTS_KEPT. Profiles are deleted one generation at a time by
 * snapshotId (an index prefix), not by a shop-wide filter that walks every generation's rows. A
 * snapshot that goes takes its profiles in the same transaction: no foreign key cascades them
 * (decision 036), and a prune killed midway must not leave profiles of a deleted snapshot.
 */
async function pruneGenerations(prisma: Database, database: DatabaseConfig, shop: string, currentId: number): Promise<void> {
  const completed = await prisma.analysisSnapshot.findMany({
    where: { shop, completedAt: { not: null }, id: { lte: currentId } },
    orderBy: { id: "desc" },
    select: { id: true },
  });
  const previousId = completed[1]?.id ?? currentId;
  const expired = new Set(completed.slice(SNAPSHOTS_KEPT).map((s) => s.id));
  const unreachable = await prisma.analysisSnapshot.findMany({ where: { shop, id: { notIn: [currentId, previousId] } }, select: { id: true, completedAt: true } });
  const sqlite = sqliteBulkConnection(database);
  for (const { id, completedAt } of unreachable) {
    const dropSnapshot = (completedAt === null && id < currentId) || expired.has(id);
    if (sqlite) {
      await whenSqliteWriteLockFree(
        sqlite,
        sqlite.transaction(() => {
          deleteGenerationRows(sqlite, id);
          if (dropSnapshot) sqlite.prepare(`DELETE FROM "AnalysisSnapshot" WHERE "id" = ?`).run(id);
        }),
      );
    } else if (database.dialect === "postgresql") {
      await dropGeneration(prisma, id, dropSnapshot);
    } else {
      await prisma.$transaction([
        prisma.customerProfile.deleteMany({ where: { snapshotId: id } }),
        ...(dropSnapshot ? [prisma.analysisSnapshot.deleteMany({ where: { id } })] : []),
      ]);
    }
  }
  if (database.dialect === "postgresql") await dropOrphanGenerationTables(prisma);
}

/**
 * How long a prune waits for the lock that dropping a generation's table takes on CustomerProfile
 * (readers of every shop wait behind it): a generation that does not get it in time stays for the
 * next prune, and the recompute is not failed for it.
 */
const DROP_LOCK_TIMEOUT = "300ms";

/**
 * PostgreSQL: one generation goes with its table (and any of its profiles in the default partition),
 * with its snapshot row when that goes too, in one transaction.
 */
async function dropGeneration(prisma: Database, snapshotId: number, dropSnapshot: boolean): Promise<void> {
  try {
    await prisma.$transaction([
      prisma.$executeRawUnsafe(`SET LOCAL lock_timeout = '${DROP_LOCK_TIMEOUT}'`),
      prisma.$executeRawUnsafe(`DROP TABLE IF EXISTS "${generationTable(snapshotId)}"`),
      prisma.customerProfile.deleteMany({ where: { snapshotId } }),
      ...(dropSnapshot ? [prisma.analysisSnapshot.deleteMany({ where: { id: snapshotId } })] : []),
    ]);
  } catch (error) {
    log("warn", "recompute.prune-deferred", { snapshotId, error: errorLine(error, 300) });
  }
}

/**
 * Generation tables whose snapshot is gone: a shop/redact deletes a shop's snapshots and profiles
 * but leaves their (emptied) tables, which the redaction's erasure then drops (privacy.ts); a write
 * that crashed before its snapshot was pruned leaves its table. Any shop's prune removes them too.
 * A write under way always has its snapshot row first.
 */
export async function dropOrphanGenerationTables(prisma: Database): Promise<void> {
  const orphans = await prisma.$queryRawUnsafe<{ id: number }[]>(
    `SELECT substring(c.relname FROM '^CustomerProfile_([0-9]+)$')::int AS id FROM pg_class c
      WHERE c.relkind = 'r' AND c.relname ~ '^CustomerProfile_[0-9]+$' AND c.relnamespace = current_schema()::regnamespace
        AND NOT EXISTS (SELECT 1 FROM "AnalysisSnapshot" s WHERE s.id = substring(c.relname FROM '^CustomerProfile_([0-9]+)$')::int)`,
  );
  for (const { id } of orphans) await dropGeneration(prisma, id, false);
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
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const part = rows.slice(i, i + ROWS_PER_STATEMENT);
    let n = 0;
    const tuple = () => `(${columns.map(([, type]) => (postgres ? `$${++n}::${type}` : "?")).join(", ")})`;
    const values = part.flatMap(({ row, customerId }) => [...profileValues(row, snapshotId, customerId, shop, postgres ? bareDay : sqliteDay), at]);
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
