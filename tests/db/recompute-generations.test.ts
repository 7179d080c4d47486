/**
 * The recompute stores each analysis as a generation (issue "Large stores" §2–3, issue #16), on
 * SQLite and PostgreSQL: the stored profiles equal the analytics core's analysis of the same
 * orders, field by field, for a small store of awkward values and for one large enough that the
 * recompute takes seconds and writes in several chunks; a recompute killed midway (SIGKILL, in a
 * process of its own) leaves the previous generation current and whole, and what it left is
 * removed by the next one; readers beside a recompute see one whole generation at every read; a
 * failing recompute keeps the previous figures and shows the failure.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { analyzeStore, type StoreAnalysis } from "~/analytics/analyze-store";
import { isoDateFromDayIndex } from "~/analytics/calendar/calendar-day";
import { createSeededRng } from "~/analytics/math/seeded-rng";
import { SYNTHETIC_AS_OF } from "~/analytics/testing/synthetic-store";
import { testDataset, type TestOrder } from "~/analytics/testing/test-dataset";
import { CUSTOMER_SORTS, parseCustomerListQuery } from "~/customers/customer-list-query";
import { closeBulkConnections, postgresBulkPool, sqliteBulkConnection } from "~/db/bulk-connections.server";
import type { Database } from "~/db.server";
import { recomputeShop } from "~/jobs/handlers/recompute";
import { setLogSink } from "~/log.server";
import { listCustomers } from "~/services/customers.server";
import { getDashboard } from "~/services/dashboard.server";
import { analysisOptionsFromSettings, analysisSettings } from "~/settings/analysis-options";
import { DEFAULT_SETTINGS } from "~/settings/schema";
import { readAnalysisState, readCurrentAnalysis } from "~/snapshots/read-analysis.server";
import { SNAPSHOT_VERSION } from "~/snapshots/snapshot-document";
import { GENERATION_SORT_COLUMNS } from "~/snapshots/sqlite-generation-rows";
import { ensureProfileIndexes, INDEXES_SQLITE_DROPS } from "~/snapshots/sqlite-profile-indexes";
import { ROWS_PER_CHUNK, SQLITE_ROWS_PER_CHUNK, writeAnalysis } from "~/snapshots/write-analysis.server";
import type { SyncContext } from "~/sync/sync-context";
import { DEFERRABLE_INDEXES } from "~/sync/store/sqlite-batch-writer";
import { startRecomputeChild } from "./recompute-child";
import { seededSyntheticDataset, seedSyntheticStore } from "./seed-synthetic-store";
import { createTestDatabase, TEST_DIALECTS, testSyncContext, type Dialect, type TestDatabase } from "./test-database";

// The pages' services reach the database through the app's context: here, the test database's.
const services = vi.hoisted(() => ({ context: undefined as SyncContext | undefined }));
vi.mock("~/services/sync.server", async (importOriginal) => ({ ...(await importOriginal<typeof import("~/services/sync.server")>()), appContext: () => services.context! }));

// SQLite: a test may look at the new generation in the moment between its switch and its sort
// indexes (decision 067), or make their build fail there.
const indexBuild = vi.hoisted(() => ({ before: undefined as ((snapshotId: number) => Promise<void>) | undefined }));
vi.mock("~/snapshots/sqlite-profile-indexes", async (importOriginal) => {
  const actual = await importOriginal<typeof import("~/snapshots/sqlite-profile-indexes")>();
  return {
    ...actual,
    buildGenerationIndexes: async (...args: Parameters<typeof actual.buildGenerationIndexes>) => {
      await indexBuild.before?.(args[1]);
      return actual.buildGenerationIndexes(...args);
    },
  };
});

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

/**
 * Checks that the shop's current analysis is generation `snapshotId` and holds what the core
 * computed from the same orders (`expected`): the document's metrics, and one profile per scored
 * customer equal to its score row field by field (money to the cent, days as dates, the models'
 * figures to 9 decimals). Returns the stored profiles by Shopify customer id.
 */
async function expectCurrentAnalysisToEqual(prisma: Database, shop: string, snapshotId: number, expected: StoreAnalysis) {
  const current = await readCurrentAnalysis(prisma, shop);
  expect(current!.snapshotId).toBe(snapshotId);
  expect(current!.document.analysis.metrics).toEqual(JSON.parse(JSON.stringify(expected.metrics)));
  const profiles = new Map((await prisma.customerProfile.findMany({ where: { snapshotId } })).map((p) => [p.customerShopifyId, p]));
  expect(profiles.size).toBe(expected.scores!.length);
  const day = (iso: string | null) => (iso === null ? null : new Date(`${iso}T00:00:00Z`));
  const close = (computed: number | null) => (computed === null ? null : expect.closeTo(computed, 9));
  for (const row of expected.scores!.rows()) {
    const p = profiles.get(row.customer_id)!;
    expect(
      {
        orderCount: p.orderCount, repeatPurchases: p.repeatPurchases, totalSpent: p.totalSpent.toFixed(2), averageOrderValue: p.averageOrderValue.toFixed(2),
        firstOrderAt: p.firstOrderAt, lastOrderAt: p.lastOrderAt, daysSinceFirstOrder: p.daysSinceFirstOrder, daysSinceLastOrder: p.daysSinceLastOrder,
        usualGapDays: p.usualGapDays, lifecycleStage: p.lifecycleStage, customerGroup: p.customerGroup, customerType: p.customerType, spendTier: p.spendTier,
        recencyScore: p.recencyScore, frequencyScore: p.frequencyScore, monetaryScore: p.monetaryScore, rfmGroup: p.rfmGroup, acquisitionSource: p.acquisitionSource,
        churnRisk: p.churnRisk, nextOrderAt: p.nextOrderAt, nextOrderLow: p.nextOrderLow, nextOrderHigh: p.nextOrderHigh,
        pAlive: p.pAlive, pAliveLow: p.pAliveLow, pAliveHigh: p.pAliveHigh, expectedOrders: p.expectedOrders, expectedOrdersLow: p.expectedOrdersLow, expectedOrdersHigh: p.expectedOrdersHigh,
        expectedOrderValue: p.expectedOrderValue, predictedClv: p.predictedClv, predictedClvLow: p.predictedClvLow, predictedClvHigh: p.predictedClvHigh,
      },
      row.customer_id,
    ).toEqual({
      orderCount: row.orders, repeatPurchases: row.x, totalSpent: row.total_spent.toFixed(2), averageOrderValue: row.aov.toFixed(2),
      firstOrderAt: day(row.first_order_date), lastOrderAt: day(row.last_order_date), daysSinceFirstOrder: row.days_since_first_order, daysSinceLastOrder: row.days_since_last_order,
      usualGapDays: row.usual_gap_days, lifecycleStage: row.lifecycle, customerGroup: row.group, customerType: row.customer_type, spendTier: row.spend_tier,
      recencyScore: row.r, frequencyScore: row.f, monetaryScore: row.m, rfmGroup: row.rfm_group, acquisitionSource: row.acquisition_source,
      churnRisk: row.churn_risk, nextOrderAt: day(row.next_order_date), nextOrderLow: day(row.next_order_date_low), nextOrderHigh: day(row.next_order_date_high),
      pAlive: close(row.p_alive), pAliveLow: close(row.p_alive_low), pAliveHigh: close(row.p_alive_high), expectedOrders: close(row.expected_purchases), expectedOrdersLow: close(row.expected_purchases_low), expectedOrdersHigh: close(row.expected_purchases_high),
      expectedOrderValue: close(row.expected_spend), predictedClv: close(row.clv), predictedClvLow: close(row.clv_low), predictedClvHigh: close(row.clv_high),
    });
  }
  return profiles;
}

/** A generation's profiles by customer id as plain values (without the snapshot id and refresh time): equal for two generations with the same figures. */
const profilesOf = async (prisma: Database, snapshotId: number) =>
  new Map((await prisma.customerProfile.findMany({ where: { snapshotId } })).map(({ snapshotId: _, refreshedAt: __, ...p }) => [p.customerId, JSON.parse(JSON.stringify(p))]));

/** PostgreSQL keeps each generation in a table of its own, attached to CustomerProfile as a partition once written (decision 047). */
const generationTables = async (prisma: Database) =>
  (await prisma.$queryRawUnsafe<{ name: string; attached: boolean }[]>(
    `SELECT c.relname AS name, EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid) AS attached FROM pg_class c WHERE c.relkind = 'r' AND c.relname ~ '^CustomerProfile_[0-9]+$' ORDER BY 1`,
  )).map((t) => `${t.name}${t.attached ? "" : " (detached)"}`);

describe.each(TEST_DIALECTS)("recompute generations on %s", (dialect) => {
  let db: TestDatabase;
  let ctx: SyncContext;
  const orders = generatedOrders();

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    ctx = testSyncContext(db).ctx;
    services.context = ctx;
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
    const profiles = await expectCurrentAnalysisToEqual(db.prisma, SHOP, result!.snapshotId, expected);
    // Sources with COPY's delimiters and non-ASCII text arrive as they were.
    expect(new Set([...profiles.values()].map((p) => p.acquisitionSource))).toEqual(new Set([null, ...AWKWARD_SOURCES]));
    // The intervals are stored, not just their absence.
    expect([...profiles.values()].filter((p) => p.pAliveLow !== null && p.nextOrderLow !== null && p.predictedClvLow !== null).length).toBeGreaterThan(CUSTOMERS / 2);
    // Customers known only from their orders got a record holding just their id, to hang the profile on.
    expect(await db.prisma.customer.count({ where: { shop: SHOP } })).toBe(CUSTOMERS);
  }, 120_000);

  it("never reads a half-written generation, and the next recompute removes it", async () => {
    const before = await readCurrentAnalysis(db.prisma, SHOP);
    const whole = await profilesOf(db.prisma, before!.snapshotId);
    // What a recompute killed midway leaves: a snapshot without completedAt and part of its profiles.
    const orphan = await db.prisma.analysisSnapshot.create({ data: { shop: SHOP, asOf: new Date(`${AS_OF}T00:00:00Z`), customers: 1, orders: 1, version: SNAPSHOT_VERSION, data: "{}" } });
    const someone = await db.prisma.customer.findFirstOrThrow({ where: { shop: SHOP } });
    const template = await db.prisma.customerProfile.findFirstOrThrow({ where: { snapshotId: before!.snapshotId, customerId: someone.id } });
    await db.prisma.customerProfile.create({ data: { ...template, snapshotId: orphan.id } });
    expect((await readCurrentAnalysis(db.prisma, SHOP))!.snapshotId).toBe(before!.snapshotId);
    // The previous generation is still whole: every customer's profile, as it was.
    expect(whole.size).toBe(CUSTOMERS);
    expect(await profilesOf(db.prisma, before!.snapshotId)).toEqual(whole);
    const next = await recomputeShop(ctx, SHOP, { asOf: new Date(`${AS_OF}T12:00:00Z`) });
    expect(await db.prisma.analysisSnapshot.count({ where: { id: orphan.id } })).toBe(0);
    expect(await db.prisma.customerProfile.count({ where: { snapshotId: orphan.id } })).toBe(0);
    // The previous generation stays (a page may still be reading it); older ones go.
    expect(new Set((await db.prisma.customerProfile.groupBy({ by: ["snapshotId"], where: { shop: SHOP } })).map((g) => g.snapshotId))).toEqual(new Set([before!.snapshotId, next!.snapshotId]));
  }, 120_000);

  it("keeps the previous figures when a recompute fails, says so, and clears the failure on the next success", async () => {
    const before = await readCurrentAnalysis(db.prisma, SHOP);
    await db.prisma.shop.update({ where: { shop: SHOP }, data: { ianaTimezone: "Mars/Olympus_Mons" } });
    await expect(recomputeShop(ctx, SHOP, { asOf: new Date(`${AS_OF}T12:00:00Z`) })).rejects.toThrow();
    expect((await readCurrentAnalysis(db.prisma, SHOP))!.snapshotId).toBe(before!.snapshotId);
    const failed = await db.prisma.shop.findUniqueOrThrow({ where: { shop: SHOP } });
    expect(failed.analysisFailedAt).not.toBeNull();
    expect(failed.analysisError).toMatch(/time ?zone/i);
    // The pages say so, beside the previous figures.
    expect((await readAnalysisState(db.prisma, SHOP)).lastFailure).toEqual({ at: failed.analysisFailedAt, error: failed.analysisError });
    const dashboard = await getDashboard(SHOP);
    expect(dashboard.analysisStatus.lastFailure).toEqual({ at: failed.analysisFailedAt!.toISOString() });
    expect(dashboard.analysisStatus.computedAt).toBe(before!.computedAt.toISOString());
    expect(dashboard.analysis!.computedAt).toBe(before!.computedAt.toISOString());
    await db.prisma.shop.update({ where: { shop: SHOP }, data: { ianaTimezone: "UTC" } });
    const next = await recomputeShop(ctx, SHOP, { asOf: new Date(`${AS_OF}T12:00:00Z`) });
    expect((await db.prisma.shop.findUniqueOrThrow({ where: { shop: SHOP } })).analysisFailedAt).toBeNull();
    const recovered = await getDashboard(SHOP);
    expect(recovered.analysisStatus.lastFailure).toBeNull();
    expect(recovered.analysis!.computedAt).toBe((await readCurrentAnalysis(db.prisma, SHOP))!.computedAt.toISOString());
    expect((await readCurrentAnalysis(db.prisma, SHOP))!.snapshotId).toBe(next!.snapshotId);
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

  it("writes a generation in many chunks with every customer's profile once, as one chunk writes it", async () => {
    const analysis = analyzeStore(testDataset(orders), analysisOptionsFromSettings(DEFAULT_SETTINGS, AS_OF));
    const whole = await writeAnalysis(db.prisma, db.config, SHOP, analysis, document, new Date(), { rowsPerChunk: CUSTOMERS });
    const written = await writeAnalysis(db.prisma, db.config, SHOP, analysis, document, new Date(), { rowsPerChunk: 37 });
    expect((await readCurrentAnalysis(db.prisma, SHOP))!.snapshotId).toBe(written.snapshotId);
    const chunked = await profilesOf(db.prisma, written.snapshotId);
    expect(chunked.size).toBe(analysis.scores!.length);
    expect(chunked).toEqual(await profilesOf(db.prisma, whole.snapshotId));
    // SQLite writes a generation with the WAL's automatic checkpoints off; they are back on after it.
    if (dialect === "sqlite") expect(sqliteBulkConnection(db.config)!.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
  }, 120_000);

  it("fails the write when one chunk fails, adds no rows after that, and keeps the previous figures", async () => {
    const before = await readCurrentAnalysis(db.prisma, SHOP);
    const whole = await profilesOf(db.prisma, before!.snapshotId);
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
      // Whole and unchanged: every customer's profile of the previous generation, as it was.
      expect(whole.size).toBe(analysis.scores!.length);
      expect(await profilesOf(db.prisma, before!.snapshotId)).toEqual(whole);
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

  it.runIf(dialect === "postgresql")("keeps each generation in a table of its own with the parent's indexes, and drops the tables of pruned generations and of snapshots gone", async () => {
    // A table whose snapshot is gone (what a shop/redact or a crashed write leaves): any prune removes it.
    await db.prisma.$executeRawUnsafe(`CREATE TABLE "CustomerProfile_999999" (LIKE "CustomerProfile")`);
    const previous = await readCurrentAnalysis(db.prisma, SHOP);
    const latest = await recomputeShop(ctx, SHOP, { asOf: new Date(`${AS_OF}T12:00:00Z`) });
    expect(await generationTables(db.prisma)).toEqual([`CustomerProfile_${previous!.snapshotId}`, `CustomerProfile_${latest!.snapshotId}`].sort());
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
      expect(await generationTables(db.prisma)).toContain(`CustomerProfile_${oldest!.snapshotId}`);
      await reader.query("COMMIT");
      const next = await recomputeShop(ctx, SHOP, { asOf: new Date(`${AS_OF}T12:00:00Z`) });
      expect(await generationTables(db.prisma)).toEqual([`CustomerProfile_${latest!.snapshotId}`, `CustomerProfile_${next!.snapshotId}`].sort());
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
            `INSERT INTO "OrderLine" ("shop", "orderId", "shopifyId", "productShopifyId", "title", "quantity", "amount", "buyerId", "purchasedAt")
             SELECT "shop", "orderId", 'gid://shopify/LineItem/late-edit', 'gid://shopify/Product/late-edit', 'Late edit', 2, '17.50', "buyerId", "purchasedAt" FROM "OrderLine" WHERE "shop" = ? ORDER BY "id" LIMIT 1`,
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

  it.runIf(dialect === "sqlite")("switches to a new generation before its sort indexes: every sort of the Customers list reads it whole and in order meanwhile, and a failed build is caught up (decision 067)", async () => {
    const sqlite = sqliteBulkConnection(db.config)!;
    const indexesOf = (snapshotId: number) => sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE ?`).pluck().all(`CustomerProfile_g${snapshotId}_%`) as string[];
    const asOf = new Date(`${AS_OF}T12:00:00Z`);
    /** Every sort of the list, both ways, its first page: who is listed, in which order, with which figures. */
    const pages = async () => {
      const read = [];
      for (const sort of CUSTOMER_SORTS) {
        for (const direction of ["desc", "asc"]) {
          const parsed = parseCustomerListQuery(new URLSearchParams({ sort, direction }));
          if (!parsed.ok) throw new Error(parsed.problem.message);
          const list = await listCustomers(SHOP, parsed.query);
          read.push({ sort, direction, total: list.total, rows: list.rows.map((r) => [r.customerShopifyId, r.clv, r.pAlive, r.lastOrderAt, r.totalSpent]) });
        }
      }
      return read;
    };
    await recomputeShop(ctx, SHOP, { asOf });
    const indexed = await pages();
    expect(indexed.every((page) => page.rows.length === 50)).toBe(true);

    let between: { current: number; indexes: string[]; pages: Awaited<ReturnType<typeof pages>> } | undefined;
    indexBuild.before = async (snapshotId) => {
      between = { current: (await readCurrentAnalysis(db.prisma, SHOP))!.snapshotId - snapshotId, indexes: indexesOf(snapshotId), pages: await pages() };
    };
    const events: { event: string }[] = [];
    try {
      const next = (await recomputeShop(ctx, SHOP, { asOf }))!;
      // Before its indexes, the new generation was already the current one, and read as with them.
      expect(between).toEqual({ current: 0, indexes: [], pages: indexed });
      expect(indexesOf(next.snapshotId)).toHaveLength(GENERATION_SORT_COLUMNS.length);

      // The build fails (the write lock held past the busy timeout): the new figures stay current,
      // one warning says so, and the next write builds what is missing before its own rows.
      indexBuild.before = async () => {
        throw Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });
      };
      setLogSink((_level, line) => events.push(JSON.parse(line)));
      const failed = (await recomputeShop(ctx, SHOP, { asOf }))!;
      expect((await readCurrentAnalysis(db.prisma, SHOP))!.snapshotId).toBe(failed.snapshotId);
      expect(indexesOf(failed.snapshotId)).toEqual([]);
      expect(events.filter((e) => e.event === "recompute.sort-indexes-deferred")).toHaveLength(1);
      expect(await pages()).toEqual(indexed);
      indexBuild.before = undefined;
      await recomputeShop(ctx, SHOP, { asOf });
      expect(indexesOf(failed.snapshotId)).toHaveLength(GENERATION_SORT_COLUMNS.length);
    } finally {
      indexBuild.before = undefined;
      setLogSink(undefined);
    }
  }, 120_000);

  it("writes nothing for a shop that is not installed", async () => {
    await db.prisma.shop.create({ data: { shop: "gone.myshopify.com", installState: "uninstalled" } });
    expect(await recomputeShop(ctx, "gone.myshopify.com")).toBeNull();
    expect(await db.prisma.analysisSnapshot.count({ where: { shop: "gone.myshopify.com" } })).toBe(0);
  });
});

/**
 * A store whose recompute takes seconds and whose profiles fill several of the write's chunks on
 * each database (SQLite: SQLITE_ROWS_PER_CHUNK profiles a transaction; PostgreSQL: ROWS_PER_CHUNK a
 * COPY, two at once), about 0.28 customers with orders per order: the synthetic store of the
 * benchmarks, seeded as an import would have stored it.
 */
const LARGE_STORE_ORDERS: Record<Dialect, number> = { sqlite: 380_000, postgresql: 200_000 };
const WRITE_CHUNK: Record<Dialect, number> = { sqlite: SQLITE_ROWS_PER_CHUNK, postgresql: ROWS_PER_CHUNK };

describe.each(TEST_DIALECTS)("recompute generations of a large store on %s", (dialect) => {
  const LARGE_SHOP = "large-generations.myshopify.com";
  const asOf = new Date(`${SYNTHETIC_AS_OF}T12:00:00Z`);
  /** A day later: a generation of other figures (every customer's days since their last order) from the same orders. */
  const nextDay = new Date(asOf.getTime() + 86_400_000);
  let db: TestDatabase;
  let ctx: SyncContext;
  /** The core's analysis of the seeded orders. */
  let expected: StoreAnalysis;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    ctx = testSyncContext(db).ctx;
    services.context = ctx;
    await seedSyntheticStore(db, LARGE_SHOP, LARGE_STORE_ORDERS[dialect]);
    expected = analyzeStore(seededSyntheticDataset(LARGE_STORE_ORDERS[dialect]), analysisOptionsFromSettings(DEFAULT_SETTINGS, SYNTHETIC_AS_OF));
  }, 300_000);
  afterAll(async () => {
    await closeBulkConnections();
    await db?.drop();
  });

  /** Rows of generation `snapshotId` committed so far: on PostgreSQL in its own table until that is attached (decision 047). */
  const committedRows = async (snapshotId: number) => {
    if (dialect === "sqlite") return db.prisma.customerProfile.count({ where: { snapshotId } });
    const [{ table }] = await db.prisma.$queryRawUnsafe<{ table: string | null }[]>(`SELECT to_regclass('"CustomerProfile_${snapshotId}"')::text AS table`);
    if (table === null) return 0;
    const [{ rows }] = await db.prisma.$queryRawUnsafe<{ rows: number }[]>(`SELECT count(*)::int AS rows FROM "CustomerProfile_${snapshotId}"`);
    return rows;
  };
  /** Generation `snapshotId`'s rows as the database holds them, every column, by customer: read past Prisma (on SQLite 0.6 s for 100k rows, not 4 s). */
  const storedRows = async (snapshotId: number): Promise<unknown[]> => {
    const sql = `SELECT * FROM "CustomerProfile" WHERE "snapshotId" = ${Number(snapshotId)} ORDER BY "customerId"`;
    return dialect === "sqlite" ? sqliteBulkConnection(db.config)!.prepare(sql).all() : (await postgresBulkPool(db.config).query(sql)).rows;
  };
  /** The shop's newest snapshot row: a recompute's generation from its start (completedAt null) to its switch. */
  const newestSnapshot = async () => (await db.prisma.analysisSnapshot.findFirst({ where: { shop: LARGE_SHOP }, orderBy: { id: "desc" }, select: { id: true, completedAt: true } }))!;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it("stores profiles equal to the core's analysis of the same orders, written in several chunks", async () => {
    const started = performance.now();
    const result = await recomputeShop(ctx, LARGE_SHOP, { asOf });
    console.info(`${dialect}: recompute of ${result!.profiles} profiles in ${Math.round(performance.now() - started)} ms (${JSON.stringify(result!.timings)})`);
    expect(expected.models.status).toBe("fitted");
    expect(result!.profiles).toBe(expected.scores!.length);
    expect(result!.profiles).toBeGreaterThan(2 * WRITE_CHUNK[dialect]);
    await expectCurrentAnalysisToEqual(db.prisma, LARGE_SHOP, result!.snapshotId, expected);
  }, 120_000);

  it("leaves the previous generation current, whole and unchanged when a recompute is killed while writing; the next one removes what it left", async () => {
    const previous = (await readCurrentAnalysis(db.prisma, LARGE_SHOP))!;
    const stored = await storedRows(previous.snapshotId);
    expect(stored).toHaveLength(expected.scores!.length);
    // A recompute of the next day in a process of its own, killed once part of its profiles are committed.
    const child = startRecomputeChild(db.config.url, LARGE_SHOP, nextDay);
    let ended = false;
    void child.exited.then(() => (ended = true));
    let killed: number | undefined;
    while (killed === undefined) {
      if (ended) throw new Error(`the recompute ended before it was seen writing: ${(await child.exited).stderr}`);
      const newest = await newestSnapshot();
      if (newest.id > previous.snapshotId && newest.completedAt === null && (await committedRows(newest.id)) > 0) killed = newest.id;
      else await sleep(10);
    }
    child.process.kill("SIGKILL");
    expect((await child.exited).signal).toBe("SIGKILL");
    // It was killed midway: its generation never switched, and part of its profiles were written.
    expect((await db.prisma.analysisSnapshot.findUniqueOrThrow({ where: { id: killed } })).completedAt).toBeNull();
    const left = await committedRows(killed);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(expected.scores!.length);
    if (dialect === "postgresql") expect(await generationTables(db.prisma)).toContain(`CustomerProfile_${killed} (detached)`);

    // The previous generation is the current one, every profile of it there as it was stored.
    const current = (await readCurrentAnalysis(db.prisma, LARGE_SHOP))!;
    expect(current.snapshotId).toBe(previous.snapshotId);
    expect(current.document.analysis.customers).toBe(expected.scores!.length);
    expect(await storedRows(previous.snapshotId)).toEqual(stored);
    // The customer list reads it too: all its customers, its figures (not the killed day's).
    const firstPage = parseCustomerListQuery(new URLSearchParams());
    if (!firstPage.ok) throw new Error(firstPage.problem.message);
    const list = await listCustomers(LARGE_SHOP, firstPage.query);
    expect(list.total).toBe(expected.scores!.length);
    expect(list.freshness!.fittedAt).toBe(previous.computedAt.toISOString());
    expect(list.rows).toHaveLength(50);
    const listed = new Map(
      (await db.prisma.customerProfile.findMany({ where: { snapshotId: previous.snapshotId, customerShopifyId: { in: list.rows.map((r) => r.customerShopifyId) } } })).map((p) => [p.customerShopifyId, p]),
    );
    const day = (at: Date | null) => (at === null ? null : at.toISOString().slice(0, 10));
    for (const row of list.rows) {
      const p = listed.get(row.customerShopifyId)!;
      expect([row.orders, row.totalSpent, row.lifecycle, row.pAlive, row.clv, row.lastOrderAt, row.nextOrderAt]).toEqual([p.orderCount, Number(p.totalSpent), p.lifecycleStage, p.pAlive, p.predictedClv, day(p.lastOrderAt), day(p.nextOrderAt)]);
    }

    // The next recompute succeeds and removes the killed one's snapshot, rows and table.
    const next = await recomputeShop(ctx, LARGE_SHOP, { asOf });
    expect(next!.profiles).toBe(expected.scores!.length);
    expect((await readCurrentAnalysis(db.prisma, LARGE_SHOP))!.snapshotId).toBe(next!.snapshotId);
    expect(await db.prisma.analysisSnapshot.count({ where: { id: killed } })).toBe(0);
    expect(await committedRows(killed)).toBe(0);
    expect(await db.prisma.customerProfile.count({ where: { snapshotId: killed } })).toBe(0);
    if (dialect === "postgresql") {
      expect(await generationTables(db.prisma)).toEqual([`CustomerProfile_${previous.snapshotId}`, `CustomerProfile_${next!.snapshotId}`].sort());
    } else {
      const indexes = sqliteBulkConnection(db.config)!.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE ?`).pluck().all(`CustomerProfile_g${killed}_%`);
      expect(indexes).toEqual([]);
    }
    expect(new Set((await db.prisma.customerProfile.groupBy({ by: ["snapshotId"], where: { shop: LARGE_SHOP } })).map((g) => g.snapshotId))).toEqual(new Set([previous.snapshotId, next!.snapshotId]));
  }, 120_000);

  it("shows readers beside a recompute one whole generation at every read: the previous one until the switch, the new one after it", async () => {
    /** One page's read: the current analysis, then its generation's profiles (counted, by snapshot id, and their days since the last order summed: what tells two days' generations apart). */
    const readGeneration = async () => {
      const current = (await readCurrentAnalysis(db.prisma, LARGE_SHOP))!;
      const groups = await db.prisma.customerProfile.groupBy({ by: ["snapshotId"], where: { snapshotId: current.snapshotId }, _count: { _all: true }, _sum: { daysSinceLastOrder: true } });
      return { snapshotId: current.snapshotId, customers: current.document.analysis.customers, rows: groups.map((g) => ({ snapshotId: g.snapshotId, count: g._count._all, daysSinceLastOrder: g._sum.daysSinceLastOrder })) };
    };
    const previous = await readGeneration();
    expect(previous.rows).toEqual([{ snapshotId: previous.snapshotId, count: expected.scores!.length, daysSinceLastOrder: expect.any(Number) }]);
    const child = startRecomputeChild(db.config.url, LARGE_SHOP, nextDay);
    let ended = false;
    void child.exited.then(() => (ended = true));
    const reads: (Awaited<ReturnType<typeof readGeneration>> & { whileWriting: boolean; committedBefore: number })[] = [];
    while (!ended) {
      const before = await newestSnapshot();
      const writing = before.id > previous.snapshotId && before.completedAt === null;
      const committedBefore = writing ? await committedRows(before.id) : 0;
      const read = await readGeneration();
      const after = await newestSnapshot();
      // Wholly inside the write: the new generation had begun and not switched, before and after the read.
      reads.push({ ...read, whileWriting: writing && after.id === before.id && after.completedAt === null, committedBefore });
      // better-sqlite3 answers synchronously: yield, or the child's exit is never seen.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const exit = await child.exited;
    expect(exit.code, exit.stderr).toBe(0);
    const written = await readGeneration();
    expect(written.snapshotId).toBe(exit.result!.snapshotId);
    expect(written.rows).toEqual([{ snapshotId: written.snapshotId, count: expected.scores!.length, daysSinceLastOrder: expect.any(Number) }]);
    expect(written.rows[0].daysSinceLastOrder).not.toBe(previous.rows[0].daysSinceLastOrder);
    reads.push({ ...written, whileWriting: false, committedBefore: 0 });
    // Every read saw one generation, whole: the previous one or the new one, as it is when no write runs.
    for (const { whileWriting: _, committedBefore: __, ...read } of reads) expect(read).toEqual(read.snapshotId === previous.snapshotId ? previous : written);
    expect(new Set(reads.map((r) => r.snapshotId))).toEqual(new Set([previous.snapshotId, written.snapshotId]));
    // Reads ran while the write was under way (10-70 of them here), some while part of its profiles were committed.
    const whileWriting = reads.filter((r) => r.whileWriting);
    const newBeforeExit = reads.slice(0, -1).filter((r) => r.snapshotId === written.snapshotId).length;
    console.info(`${dialect}: ${reads.length} reads, ${whileWriting.length} while writing, ${whileWriting.filter((r) => r.committedBefore > 0).length} of them with part of the new generation committed, ${newBeforeExit} of the new one before the recompute ended`);
    expect(whileWriting.length).toBeGreaterThanOrEqual(5);
    expect(whileWriting.every((r) => r.snapshotId === previous.snapshotId)).toBe(true);
    expect(whileWriting.filter((r) => r.committedBefore > 0 && r.committedBefore < expected.scores!.length).length).toBeGreaterThanOrEqual(2);
  }, 120_000);
});
