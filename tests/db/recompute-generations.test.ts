/**
 * The recompute stores each analysis as a generation (issue "Large stores" §2–3), on SQLite and
 * PostgreSQL: the stored profiles equal the analytics core's analysis of the same orders, field
 * by field; a generation left half-written (a recompute killed midway) is never read and is
 * removed by the next one; readers during a recompute see one whole generation; a failing
 * recompute keeps the previous figures and records the failure.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeStore } from "~/analytics/analyze-store";
import { isoDateFromDayIndex } from "~/analytics/calendar/calendar-day";
import { createSeededRng } from "~/analytics/math/seeded-rng";
import { testDataset, type TestOrder } from "~/analytics/testing/test-dataset";
import { closeBulkConnections, sqliteBulkConnection } from "~/db/bulk-connections.server";
import { recomputeShop } from "~/jobs/handlers/recompute";
import { setLogSink } from "~/log.server";
import { analysisOptionsFromSettings, analysisSettings } from "~/settings/analysis-options";
import { DEFAULT_SETTINGS } from "~/settings/schema";
import { readCurrentAnalysis } from "~/snapshots/read-analysis.server";
import { SNAPSHOT_VERSION } from "~/snapshots/snapshot-document";
import { GENERATION_SORT_COLUMNS } from "~/snapshots/sqlite-generation-rows";
import { ensureProfileIndexes, INDEXES_SQLITE_DROPS } from "~/snapshots/sqlite-profile-indexes";
import { writeAnalysis } from "~/snapshots/write-analysis.server";
import type { SyncContext } from "~/sync/sync-context";
import { DEFERRABLE_INDEXES } from "~/sync/store/sqlite-batch-writer";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "./test-database";

const SHOP = "generations.myshopify.com";
const AS_OF = "2026-06-30";
const AS_OF_DAY = Date.parse(`${AS_OF}T00:00:00Z`) / 86_400_000;
const CUSTOMERS = 600;

/**
 * Order sources a merchant's integrations may write, with the characters PostgreSQL's COPY
 * format delimits and escapes with (tab, newline, carriage return, backslash) and non-ASCII text.
 */
const AWKWARD_SOURCES = ["news\tletter", "line\nbreak\r", "C:\\shop\\N", "\\N", "Ærø • café “quoted” 🛒"];

/** A store whose customers buy at their own rate until they drop out (so predictions are fitted). */
function generatedOrders(): TestOrder[] {
  const rng = createSeededRng(7);
  const orders: TestOrder[] = [];
  for (let c = 0; c < CUSTOMERS; c++) {
    let day = AS_OF_DAY - 1 - Math.floor(rng() * 700);
    const rate = 0.005 + rng() * 0.05;
    const spend = 20 + Math.floor(rng() * 200);
    // Every 25th customer came through an awkwardly named source (their acquisition source).
    const source = c % 25 === 0 ? AWKWARD_SOURCES[(c / 25) % AWKWARD_SOURCES.length] : undefined;
    for (;;) {
      orders.push([`gid://shopify/Customer/${c + 1}`, `${isoDateFromDayIndex(day)}T${String(8 + (c % 12)).padStart(2, "0")}:15`, spend + (orders.length % 7) / 4, source === undefined ? undefined : { source }]);
      if (rng() < 0.15) break;
      day += 1 + Math.floor(-Math.log(1 - rng()) / rate);
      if (day > AS_OF_DAY) break;
    }
  }
  return orders;
}

describe.each(TEST_DIALECTS)("recompute generations on %s", (dialect) => {
  let db: TestDatabase;
  let ctx: SyncContext;
  const orders = generatedOrders();

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    ctx = { prisma: db.prisma, database: db.config, dialect, jobs: { enqueue: async () => {}, cancelShopJobs: async () => {} } };
    await db.prisma.shop.create({ data: { shop: SHOP, ianaTimezone: "UTC" } });
    // Half the customers have a synced record; the other half are known from their orders only.
    await db.prisma.customer.createMany({ data: Array.from({ length: CUSTOMERS / 2 }, (_, c) => ({ shop: SHOP, shopifyId: `gid://shopify/Customer/${c + 1}`, email: `c${c}@example.com` })) });
    const rows = orders.map(([customer, when, revenue, extra], i) => ({
      shop: SHOP,
      shopifyId: `gid://shopify/Order/${i + 1}`,
      customerShopifyId: customer,
      totalPrice: revenue.toFixed(2),
      shopifyCreatedAt: new Date(`${when}:00Z`),
      sourceName: extra?.source ?? null,
    }));
    for (let i = 0; i < rows.length; i += 2_000) await db.prisma.order.createMany({ data: rows.slice(i, i + 2_000) });
    // Two lines on every tenth order: the loader joins lines, and an order must still count once.
    const withLines = await db.prisma.order.findMany({ where: { shop: SHOP }, select: { id: true, totalPrice: true }, orderBy: { id: "asc" } });
    await db.prisma.orderLine.createMany({
      data: withLines.filter((_, i) => i % 10 === 0).flatMap((o) => [1, 2].map((n) => ({ shop: SHOP, orderId: o.id, shopifyId: `gid://shopify/LineItem/${o.id}-${n}`, title: `P${n}`, quantity: n, amount: "1.00" }))),
    });
  }, 120_000);
  afterAll(async () => {
    await closeBulkConnections();
    await db?.drop();
  });

  it("stores one profile per customer equal to the core's analysis of the same orders", async () => {
    const result = await recomputeShop(ctx, SHOP, { asOf: new Date(`${AS_OF}T12:00:00Z`) });
    const expected = analyzeStore(testDataset(orders), analysisOptionsFromSettings(DEFAULT_SETTINGS, AS_OF));
    expect(expected.models.status).toBe("fitted");
    expect(result!.profiles).toBe(expected.scores!.length);
    const current = await readCurrentAnalysis(db.prisma, SHOP);
    expect(current!.snapshotId).toBe(result!.snapshotId);
    expect(current!.document.analysis.metrics).toEqual(JSON.parse(JSON.stringify(expected.metrics)));
    const profiles = new Map((await db.prisma.customerProfile.findMany({ where: { snapshotId: result!.snapshotId } })).map((p) => [p.customerShopifyId, p]));
    expect(profiles.size).toBe(expected.scores!.length);
    const day = (iso: string | null) => (iso === null ? null : new Date(`${iso}T00:00:00Z`));
    for (const row of expected.scores!.rows()) {
      const p = profiles.get(row.customer_id)!;
      expect({
        orderCount: p.orderCount, repeatPurchases: p.repeatPurchases, totalSpent: p.totalSpent.toFixed(2), averageOrderValue: p.averageOrderValue.toFixed(2),
        firstOrderAt: p.firstOrderAt, lastOrderAt: p.lastOrderAt, daysSinceFirstOrder: p.daysSinceFirstOrder, daysSinceLastOrder: p.daysSinceLastOrder,
        usualGapDays: p.usualGapDays, lifecycleStage: p.lifecycleStage, customerGroup: p.customerGroup, customerType: p.customerType, spendTier: p.spendTier,
        recencyScore: p.recencyScore, frequencyScore: p.frequencyScore, monetaryScore: p.monetaryScore, rfmGroup: p.rfmGroup, acquisitionSource: p.acquisitionSource,
        churnRisk: p.churnRisk, nextOrderAt: p.nextOrderAt, nextOrderLow: p.nextOrderLow, nextOrderHigh: p.nextOrderHigh,
      }).toEqual({
        orderCount: row.orders, repeatPurchases: row.x, totalSpent: row.total_spent.toFixed(2), averageOrderValue: row.aov.toFixed(2),
        firstOrderAt: day(row.first_order_date), lastOrderAt: day(row.last_order_date), daysSinceFirstOrder: row.days_since_first_order, daysSinceLastOrder: row.days_since_last_order,
        usualGapDays: row.usual_gap_days, lifecycleStage: row.lifecycle, customerGroup: row.group, customerType: row.customer_type, spendTier: row.spend_tier,
        recencyScore: row.r, frequencyScore: row.f, monetaryScore: row.m, rfmGroup: row.rfm_group, acquisitionSource: row.acquisition_source,
        churnRisk: row.churn_risk, nextOrderAt: day(row.next_order_date), nextOrderLow: day(row.next_order_date_low), nextOrderHigh: day(row.next_order_date_high),
      });
      for (const [stored, computed] of [
        [p.pAlive, row.p_alive], [p.pAliveLow, row.p_alive_low], [p.pAliveHigh, row.p_alive_high], [p.expectedOrders, row.expected_purchases], [p.expectedOrdersLow, row.expected_purchases_low], [p.expectedOrdersHigh, row.expected_purchases_high],
        [p.expectedOrderValue, row.expected_spend], [p.predictedClv, row.clv], [p.predictedClvLow, row.clv_low], [p.predictedClvHigh, row.clv_high],
      ] as const) {
        if (computed === null) expect(stored).toBeNull();
        else expect(stored).toBeCloseTo(computed, 9);
      }
    }
    // Sources with COPY's delimiters and non-ASCII text arrive as they were.
    expect(new Set([...profiles.values()].map((p) => p.acquisitionSource))).toEqual(new Set([null, ...AWKWARD_SOURCES]));
    // The intervals are stored, not just their absence.
    expect([...profiles.values()].filter((p) => p.pAliveLow !== null && p.nextOrderLow !== null && p.predictedClvLow !== null).length).toBeGreaterThan(CUSTOMERS / 2);
    // Customers known only from their orders got a record holding just their id, to hang the profile on.
    expect(await db.prisma.customer.count({ where: { shop: SHOP } })).toBe(CUSTOMERS);
  }, 120_000);

  it("never reads a half-written generation, and the next recompute removes it", async () => {
    const before = await readCurrentAnalysis(db.prisma, SHOP);
    // What a recompute killed midway leaves: a snapshot without completedAt and part of its profiles.
    const orphan = await db.prisma.analysisSnapshot.create({ data: { shop: SHOP, asOf: new Date(`${AS_OF}T00:00:00Z`), customers: 1, orders: 1, version: SNAPSHOT_VERSION, data: "{}" } });
    const someone = await db.prisma.customer.findFirstOrThrow({ where: { shop: SHOP } });
    const template = await db.prisma.customerProfile.findFirstOrThrow({ where: { snapshotId: before!.snapshotId, customerId: someone.id } });
    await db.prisma.customerProfile.create({ data: { ...template, snapshotId: orphan.id } });
    expect((await readCurrentAnalysis(db.prisma, SHOP))!.snapshotId).toBe(before!.snapshotId);
    const next = await recomputeShop(ctx, SHOP, { asOf: new Date(`${AS_OF}T12:00:00Z`) });
    expect(await db.prisma.analysisSnapshot.count({ where: { id: orphan.id } })).toBe(0);
    expect(await db.prisma.customerProfile.count({ where: { snapshotId: orphan.id } })).toBe(0);
    // The previous generation stays (a page may still be reading it); older ones go.
    expect(new Set((await db.prisma.customerProfile.groupBy({ by: ["snapshotId"], where: { shop: SHOP } })).map((g) => g.snapshotId))).toEqual(new Set([before!.snapshotId, next!.snapshotId]));
  }, 120_000);

  it("lets readers see one whole generation while a recompute writes the next", async () => {
    const writing = recomputeShop(ctx, SHOP, { asOf: new Date(`${AS_OF}T12:00:00Z`) });
    const seen = new Set<number>();
    let done = false;
    void writing.finally(() => (done = true));
    while (!done) {
      const current = await readCurrentAnalysis(db.prisma, SHOP);
      const profiles = await db.prisma.customerProfile.count({ where: { snapshotId: current!.snapshotId } });
      expect(profiles).toBe(current!.document.analysis.customers);
      seen.add(current!.snapshotId);
      // better-sqlite3 answers synchronously: yield so the writer's chunks get their turn.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const written = await writing;
    expect((await readCurrentAnalysis(db.prisma, SHOP))!.snapshotId).toBe(written!.snapshotId);
    expect(seen.size).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it("keeps the previous figures when a recompute fails, says so, and clears the failure on the next success", async () => {
    const before = await readCurrentAnalysis(db.prisma, SHOP);
    await db.prisma.shop.update({ where: { shop: SHOP }, data: { ianaTimezone: "Mars/Olympus_Mons" } });
    await expect(recomputeShop(ctx, SHOP, { asOf: new Date(`${AS_OF}T12:00:00Z`) })).rejects.toThrow();
    expect((await readCurrentAnalysis(db.prisma, SHOP))!.snapshotId).toBe(before!.snapshotId);
    const failed = await db.prisma.shop.findUniqueOrThrow({ where: { shop: SHOP } });
    expect(failed.analysisFailedAt).not.toBeNull();
    expect(failed.analysisError).toMatch(/time ?zone/i);
    await db.prisma.shop.update({ where: { shop: SHOP }, data: { ianaTimezone: "UTC" } });
    await recomputeShop(ctx, SHOP, { asOf: new Date(`${AS_OF}T12:00:00Z`) });
    expect((await db.prisma.shop.findUniqueOrThrow({ where: { shop: SHOP } })).analysisFailedAt).toBeNull();
  }, 120_000);

  it("records a database's refusal as its reason in one line, not Prisma's preamble", async () => {
    if (dialect === "sqlite") {
      await db.prisma.$executeRawUnsafe(`CREATE TRIGGER "refuse_snapshot" BEFORE INSERT ON "AnalysisSnapshot" BEGIN SELECT RAISE(ABORT, 'snapshots refused for maintenance'); END`);
    } else {
      await db.prisma.$executeRawUnsafe(`CREATE FUNCTION refuse_snapshot() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'snapshots refused for maintenance'; END $$`);
      await db.prisma.$executeRawUnsafe(`CREATE TRIGGER refuse_snapshot BEFORE INSERT ON "AnalysisSnapshot" FOR EACH ROW EXECUTE FUNCTION refuse_snapshot()`);
    }
    try {
      await expect(recomputeShop(ctx, SHOP, { asOf: new Date(`${AS_OF}T12:00:00Z`) })).rejects.toThrow();
      const failed = await db.prisma.shop.findUniqueOrThrow({ where: { shop: SHOP } });
      expect(failed.analysisError).toMatch(/snapshots refused for maintenance/);
      expect(failed.analysisError).not.toMatch(/\n|invocation/);
    } finally {
      await db.prisma.$executeRawUnsafe(dialect === "sqlite" ? `DROP TRIGGER "refuse_snapshot"` : `DROP TRIGGER refuse_snapshot ON "AnalysisSnapshot"`);
    }
    await recomputeShop(ctx, SHOP, { asOf: new Date(`${AS_OF}T12:00:00Z`) });
    expect((await db.prisma.shop.findUniqueOrThrow({ where: { shop: SHOP } })).analysisError).toBeNull();
  }, 120_000);

  // On SQLite the snapshot row is written by the bulk connection, not Prisma: Prisma must read it
  // as it reads its own rows (dates, the document, the version), and the newest stays the current.
  it("stores the snapshot row as Prisma reads it: as-of day, model, counts, version, document, created and completed times", async () => {
    const before = Date.now();
    const result = await recomputeShop(ctx, SHOP, { asOf: new Date(`${AS_OF}T12:00:00Z`) });
    const after = Date.now();
    const row = await db.prisma.analysisSnapshot.findUniqueOrThrow({ where: { id: result!.snapshotId } });
    const expected = analyzeStore(testDataset(orders), analysisOptionsFromSettings(DEFAULT_SETTINGS, AS_OF));
    expect(row.shop).toBe(SHOP);
    expect(row.asOf.toISOString()).toBe(`${AS_OF}T00:00:00.000Z`);
    expect(row.modelName).toBe(expected.models.status === "fitted" ? expected.models.default : null);
    expect(row.modelName).not.toBeNull();
    expect([row.customers, row.orders]).toEqual([expected.customers, expected.orders]);
    expect(row.version).toBe(SNAPSHOT_VERSION);
    expect(JSON.parse(row.data).analysis.customers).toBe(expected.customers);
    // Created when the write began; completed is stamped with the recompute's own start ("now").
    for (const at of [row.createdAt, row.completedAt!]) {
      expect(at.getTime()).toBeGreaterThanOrEqual(before);
      expect(at.getTime()).toBeLessThanOrEqual(after);
    }
    expect((await readCurrentAnalysis(db.prisma, SHOP))!.snapshotId).toBe(result!.snapshotId);
  }, 120_000);

  it("keeps the documents of the last 12 analyses (counts over time) and prunes older ones", async () => {
    const current = await readCurrentAnalysis(db.prisma, SHOP);
    const document = (await db.prisma.analysisSnapshot.findUniqueOrThrow({ where: { id: current!.snapshotId } })).data;
    const template = await db.prisma.customerProfile.findFirstOrThrow({ where: { snapshotId: current!.snapshotId } });
    const old: number[] = [];
    for (let i = 0; i < 14; i++) {
      const { id } = await db.prisma.analysisSnapshot.create({ data: { shop: SHOP, asOf: new Date(`${AS_OF}T00:00:00Z`), customers: 0, orders: 0, version: SNAPSHOT_VERSION, data: document, completedAt: new Date() } });
      old.push(id);
    }
    // The oldest document also has a profile: it goes with its snapshot (no foreign key cascades it).
    await db.prisma.customerProfile.create({ data: { ...template, snapshotId: old[0] } });
    const latest = await recomputeShop(ctx, SHOP, { asOf: new Date(`${AS_OF}T12:00:00Z`) });
    const kept = await db.prisma.analysisSnapshot.findMany({ where: { shop: SHOP }, orderBy: { id: "desc" }, select: { id: true } });
    expect(kept).toHaveLength(12);
    expect(kept[0].id).toBe(latest!.snapshotId);
    expect(kept.map((k) => k.id)).not.toContain(old[0]);
    // The previous generation is the newest of those documents (it has no profiles); every older
    // generation's profiles went, and none of a snapshot that is gone is left.
    expect((await db.prisma.customerProfile.groupBy({ by: ["snapshotId"], where: { shop: SHOP } })).map((g) => g.snapshotId)).toEqual([latest!.snapshotId]);
  }, 120_000);

  // The bulk write goes a chunk at a time (on PostgreSQL two COPYs at once, on two connections);
  // at 600 customers one chunk would do, so these write in chunks of 37 profiles.
  const document = { revenue: { revenueBasis: DEFAULT_SETTINGS.revenueBasis, ordersWithoutNetSales: 0 }, settings: analysisSettings(DEFAULT_SETTINGS), timings: { load: 0, analyse: 0 } };
  const profilesOf = async (snapshotId: number) =>
    new Map((await db.prisma.customerProfile.findMany({ where: { snapshotId } })).map(({ snapshotId: _, refreshedAt: __, ...p }) => [p.customerId, JSON.parse(JSON.stringify(p))]));

  it("writes a generation in many chunks with every customer's profile once, as one chunk writes it", async () => {
    const analysis = analyzeStore(testDataset(orders), analysisOptionsFromSettings(DEFAULT_SETTINGS, AS_OF));
    const whole = await writeAnalysis(db.prisma, db.config, SHOP, analysis, document, new Date(), { rowsPerChunk: CUSTOMERS });
    const written = await writeAnalysis(db.prisma, db.config, SHOP, analysis, document, new Date(), { rowsPerChunk: 37 });
    expect((await readCurrentAnalysis(db.prisma, SHOP))!.snapshotId).toBe(written.snapshotId);
    const chunked = await profilesOf(written.snapshotId);
    expect(chunked.size).toBe(analysis.scores!.length);
    expect(chunked).toEqual(await profilesOf(whole.snapshotId));
    // SQLite writes a generation with the WAL's automatic checkpoints off; they are back on after it.
    if (dialect === "sqlite") expect(sqliteBulkConnection(db.config)!.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
  }, 120_000);

  it("fails the write when one chunk fails, adds no rows after that, and keeps the previous figures", async () => {
    const before = await readCurrentAnalysis(db.prisma, SHOP);
    const analysis = analyzeStore(testDataset(orders), analysisOptionsFromSettings(DEFAULT_SETTINGS, AS_OF));
    // The ninth chunk (profiles 296-332) is refused by the database at its fifth profile; on
    // PostgreSQL it fails half a second in, while the tenth, under way beside it, takes a second.
    const customerAt = (i: number) => analysis.scores!.rows()[i].customer_id;
    if (dialect === "sqlite") {
      await db.prisma.$executeRawUnsafe(`CREATE TRIGGER "refuse_profile" BEFORE INSERT ON "CustomerProfile" WHEN NEW."customerShopifyId" = '${customerAt(300)}' BEGIN SELECT RAISE(ABORT, 'profile refused'); END`);
    } else {
      // A generation is written into a table of its own that takes CustomerProfile's checks
      // (decision 047), so a check on a new generation's rows refuses one and slows two.
      await db.prisma.$executeRawUnsafe(
        `CREATE FUNCTION profile_accepted(id text) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN
           IF id = '${customerAt(300)}' THEN RAISE EXCEPTION 'profile refused'; END IF;
           IF id = '${customerAt(296)}' THEN PERFORM pg_sleep(0.5); END IF;
           IF id = '${customerAt(333)}' THEN PERFORM pg_sleep(1); END IF;
           RETURN true; END $$`,
      );
      await db.prisma.$executeRawUnsafe(`ALTER TABLE "CustomerProfile" ADD CONSTRAINT refuse_profile CHECK ("snapshotId" <= ${before!.snapshotId} OR profile_accepted("customerShopifyId"))`);
    }
    let failed: number;
    try {
      await expect(writeAnalysis(db.prisma, db.config, SHOP, analysis, document, new Date(), { rowsPerChunk: 37 })).rejects.toThrow(/profile refused/);
      expect((await readCurrentAnalysis(db.prisma, SHOP))!.snapshotId).toBe(before!.snapshotId);
      const newest = await db.prisma.analysisSnapshot.findFirstOrThrow({ where: { shop: SHOP }, orderBy: { id: "desc" } });
      expect(newest.completedAt).toBeNull();
      failed = newest.id;
      // A failed write too leaves the connection's automatic checkpoints on: later writes keep the WAL short.
      if (dialect === "sqlite") expect(sqliteBulkConnection(db.config)!.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
      // Every chunk started had ended when the write failed: none adds rows to the given-up
      // generation later. (Before the triggers are dropped: that waits for open transactions.)
      const left = await db.prisma.customerProfile.count({ where: { snapshotId: failed } });
      expect(left).toBeLessThan(analysis.scores!.length);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(await db.prisma.customerProfile.count({ where: { snapshotId: failed } })).toBe(left);
    } finally {
      if (dialect === "sqlite") await db.prisma.$executeRawUnsafe(`DROP TRIGGER "refuse_profile"`);
      else await db.prisma.$executeRawUnsafe(`ALTER TABLE "CustomerProfile" DROP CONSTRAINT refuse_profile`);
    }
    // The next recompute removes it.
    await recomputeShop(ctx, SHOP, { asOf: new Date(`${AS_OF}T12:00:00Z`) });
    expect(await db.prisma.customerProfile.count({ where: { snapshotId: failed } })).toBe(0);
  }, 120_000);

  // PostgreSQL keeps each generation in a partition of its own (decision 047).
  const generationTables = async () =>
    (await db.prisma.$queryRawUnsafe<{ name: string; attached: boolean }[]>(
      `SELECT c.relname AS name, EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid) AS attached FROM pg_class c WHERE c.relkind = 'r' AND c.relname ~ '^CustomerProfile_[0-9]+$' ORDER BY 1`,
    )).map((t) => `${t.name}${t.attached ? "" : " (detached)"}`);

  it.runIf(dialect === "postgresql")("keeps each generation in a table of its own with the parent's indexes, and drops the tables of pruned generations and of snapshots gone", async () => {
    // A table whose snapshot is gone (what a shop/redact or a crashed write leaves): any prune removes it.
    await db.prisma.$executeRawUnsafe(`CREATE TABLE "CustomerProfile_999999" (LIKE "CustomerProfile")`);
    const previous = await readCurrentAnalysis(db.prisma, SHOP);
    const latest = await recomputeShop(ctx, SHOP, { asOf: new Date(`${AS_OF}T12:00:00Z`) });
    expect(await generationTables()).toEqual([`CustomerProfile_${previous!.snapshotId}`, `CustomerProfile_${latest!.snapshotId}`].sort());
    // The generation's table carries every index of the parent, attached to it (a query on the parent uses them).
    const indexes = await db.prisma.$queryRawUnsafe<{ parent: string; child: string }[]>(
      `SELECT p.relname AS parent, c.relname AS child FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relkind = 'I' AND c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = '"CustomerProfile_${latest!.snapshotId}"'::regclass)`,
    );
    const parentIndexes = await db.prisma.$queryRawUnsafe<{ name: string }[]>(`SELECT c.relname AS name FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid WHERE x.indrelid = '"CustomerProfile"'::regclass`);
    expect(indexes.map((i) => i.parent).sort()).toEqual(parentIndexes.map((i) => i.name).sort());
    // The primary key, the four sort indexes and (customerId).
    expect(parentIndexes.length).toBeGreaterThanOrEqual(6);
    // The foreign key holds on the generation's rows: a customer's deletion takes their profiles.
    const someone = await db.prisma.customerProfile.findFirstOrThrow({ where: { snapshotId: latest!.snapshotId } });
    await expect(db.prisma.$executeRawUnsafe(`UPDATE "CustomerProfile" SET "customerId" = -1 WHERE "snapshotId" = ${latest!.snapshotId} AND "customerId" = ${someone.customerId}`)).rejects.toThrow(/foreign key/);
  }, 120_000);

  it.runIf(dialect === "postgresql")("leaves a generation for the next prune when a long reader holds its table, without failing the recompute", async () => {
    const { Client } = await import("pg");
    const reader = new Client({ connectionString: db.config.url.split("?")[0] });
    await reader.connect();
    try {
      const oldest = await readCurrentAnalysis(db.prisma, SHOP);
      // A reader of the profiles (an export, say) inside a long transaction.
      await reader.query(`BEGIN; SELECT count(*) FROM "CustomerProfile" WHERE "snapshotId" = ${oldest!.snapshotId}`);
      const middle = await recomputeShop(ctx, SHOP, { asOf: new Date(`${AS_OF}T12:00:00Z`) });
      const latest = await recomputeShop(ctx, SHOP, { asOf: new Date(`${AS_OF}T12:00:00Z`) });
      expect((await readCurrentAnalysis(db.prisma, SHOP))!.snapshotId).toBe(latest!.snapshotId);
      // The oldest generation could not be dropped while read; it is still whole.
      expect(await generationTables()).toContain(`CustomerProfile_${oldest!.snapshotId}`);
      await reader.query("COMMIT");
      const next = await recomputeShop(ctx, SHOP, { asOf: new Date(`${AS_OF}T12:00:00Z`) });
      expect(await generationTables()).toEqual([`CustomerProfile_${latest!.snapshotId}`, `CustomerProfile_${next!.snapshotId}`].sort());
      expect(middle!.snapshotId).toBeLessThan(latest!.snapshotId);
    } finally {
      await reader.end();
    }
  }, 120_000);

  it.runIf(dialect === "sqlite")(
    "builds the indexes a first import left to it after the switch, reading the lines in row order meanwhile, and stores the same analysis as with them (decisions 049, 055)",
    async () => {
      const sqlite = sqliteBulkConnection(db.config)!;
      // Every index but the generations' own sort indexes, whose names carry their snapshot (decision 050).
      const indexNames = () => (sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'CustomerProfile_g%' ORDER BY name`).pluck().all() as string[]);
      const asOf = new Date(`${AS_OF}T12:00:00Z`);
      /** What a recompute stored: its profiles, and the products its lines made (the snapshot's document). */
      const storedOf = async (snapshotId: number) => ({
        profiles: (await db.prisma.customerProfile.findMany({ where: { snapshotId }, orderBy: { customerId: "asc" } })).map(({ snapshotId: _, ...p }) => p),
        products: JSON.parse((await db.prisma.analysisSnapshot.findUniqueOrThrow({ where: { id: snapshotId } })).data).analysis.products,
      });
      let all: string[] = [];
      const events: Record<string, unknown>[] = [];
      setLogSink((_level, line) => events.push(JSON.parse(line)));
      /** A recompute without the indexes a first import on SQLite leaves behind (sqlite-batch-writer.ts): its events and profiles. */
      const recomputeAfterFirstImport = async () => {
        for (const index of DEFERRABLE_INDEXES) sqlite.exec(`DROP INDEX "${index.name}"`);
        expect(indexNames().length).toBe(all.length - DEFERRABLE_INDEXES.length);
        events.length = 0;
        const result = await recomputeShop(ctx, SHOP, { asOf });
        expect(indexNames()).toEqual(all);
        return { events: events.filter((e) => e.shop === SHOP).map(({ event, indexes }) => ({ event, indexes })), stored: await storedOf(result!.snapshotId) };
      };
      try {
        const expected = await storedOf((await recomputeShop(ctx, SHOP, { asOf }))!.snapshotId);
        all = indexNames();
        // As an import writes them, each order's lines follow it: read in row order, all indexes built after the switch.
        expect(await recomputeAfterFirstImport()).toEqual({
          events: [{ event: "recompute.done" }, { event: "recompute.indexes-built", indexes: DEFERRABLE_INDEXES.length }].map(({ event, indexes }) => ({ event, indexes })),
          stored: expected,
        });
        // A line added to the first order after the others' lines (an edit): out of row order, so the
        // lines' index is built first and the lines read through it.
        sqlite
          .prepare(
            `INSERT INTO "OrderLine" ("shop", "orderId", "shopifyId", "productShopifyId", "title", "quantity", "amount", "buyerShopifyId", "purchasedAt")
             SELECT "shop", "orderId", 'gid://shopify/LineItem/late-edit', 'gid://shopify/Product/late-edit', 'Late edit', 2, '17.50', "buyerShopifyId", "purchasedAt" FROM "OrderLine" WHERE "shop" = ? ORDER BY "id" LIMIT 1`,
          )
          .run(SHOP);
        try {
          const withLateLine = await storedOf((await recomputeShop(ctx, SHOP, { asOf }))!.snapshotId);
          expect(JSON.stringify(withLateLine.products)).toContain("Late edit");
          expect(await recomputeAfterFirstImport()).toEqual({
            events: [
              { event: "recompute.lines-out-of-order", indexes: undefined },
              { event: "recompute.done" },
              { event: "recompute.indexes-built", indexes: DEFERRABLE_INDEXES.length - 1 },
            ].map(({ event, indexes }) => ({ event, indexes })),
            stored: withLateLine,
          });
        } finally {
          sqlite.prepare(`DELETE FROM "OrderLine" WHERE "shop" = ? AND "shopifyId" = 'gid://shopify/LineItem/late-edit'`).run(SHOP);
        }
      } finally {
        setLogSink(undefined);
      }
    },
    120_000,
  );

  it.runIf(dialect === "sqlite")("keeps each generation's sort indexes of its own, which the pages' queries use (decision 050)", async () => {
    const sqlite = sqliteBulkConnection(db.config)!;
    const profileIndexes = () => new Set(sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'CustomerProfile'`).pluck().all() as string[]);
    const generationIndexes = (...snapshotIds: number[]) => snapshotIds.flatMap((id) => GENERATION_SORT_COLUMNS.map((column) => `CustomerProfile_g${id}_${column}`));
    const asOf = new Date(`${AS_OF}T12:00:00Z`);
    const previous = (await recomputeShop(ctx, SHOP, { asOf }))!.snapshotId;
    const current = (await recomputeShop(ctx, SHOP, { asOf }))!.snapshotId;
    const indexes = profileIndexes();
    // The two generations readers can reach have theirs; the pruned ones' went with their rows.
    expect([...indexes].filter((name) => name.startsWith("CustomerProfile_g")).sort()).toEqual(generationIndexes(previous, current).sort());
    for (const name of INDEXES_SQLITE_DROPS) expect(indexes.has(name)).toBe(false);
    // A page's statement binds the snapshot id as a parameter: SQLite still plans it on that generation's index.
    for (const column of GENERATION_SORT_COLUMNS) {
      const plan = sqlite.prepare(`EXPLAIN QUERY PLAN SELECT "customerId" FROM "CustomerProfile" WHERE "snapshotId" = ? ORDER BY "${column}" DESC LIMIT 50`).all(current) as { detail: string }[];
      expect(plan.map((step) => step.detail).join("; ")).toMatch(new RegExp(`USING (COVERING )?INDEX CustomerProfile_g${current}_${column} `));
    }
    // A database from before decision 050: the schema's whole-table indexes, the generations without
    // their own, and the emptied indexes of a snapshot a shop/redact deleted.
    for (const name of generationIndexes(previous, current)) sqlite.exec(`DROP INDEX "${name}"`);
    for (const column of GENERATION_SORT_COLUMNS) sqlite.exec(`CREATE INDEX "CustomerProfile_snapshotId_${column}_idx" ON "CustomerProfile"("snapshotId", "${column}")`);
    sqlite.exec(`CREATE INDEX "CustomerProfile_g999999_pAlive" ON "CustomerProfile"("snapshotId", "pAlive") WHERE "snapshotId" = 999999`);
    const { built, dropped } = await ensureProfileIndexes(sqlite);
    expect(built.sort()).toEqual(generationIndexes(previous, current).sort());
    expect(dropped.sort()).toEqual([...INDEXES_SQLITE_DROPS, "CustomerProfile_g999999_pAlive"].sort());
    expect(profileIndexes()).toEqual(indexes);
    expect(await ensureProfileIndexes(sqlite)).toEqual({ built: [], dropped: [] });
  }, 120_000);

  it("writes nothing for a shop that is not installed", async () => {
    await db.prisma.shop.create({ data: { shop: "gone.myshopify.com", installState: "uninstalled" } });
    expect(await recomputeShop(ctx, "gone.myshopify.com")).toBeNull();
    expect(await db.prisma.analysisSnapshot.count({ where: { shop: "gone.myshopify.com" } })).toBe(0);
  });
});
