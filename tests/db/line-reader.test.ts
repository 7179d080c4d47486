/**
 * The recompute's line reader (app/snapshots/line-reader/, decision 044): on SQLite the order
 * lines are read on a second thread from a second connection. The store it loads must be the
 * one the single-thread load reads, and the two connections must see one moment: a write that
 * commits after the load has begun is in neither the orders nor the lines, and no write commits
 * between the two connections' starts.
 */
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeBulkConnections, postgresBulkPool, postgresConnectionSettings } from "~/db/bulk-connections.server";
import { LINES_ORDER_INDEX, LinesOutOfOrderError } from "~/snapshots/line-reader/line-reader-protocol";
import { LineReaderThread, WriteLockGuard } from "~/snapshots/line-reader/line-reader-thread.server";
import { loadStoreDataset } from "~/snapshots/load-store-dataset.server";
import { generationIndexName } from "~/snapshots/sqlite-generation-rows";
import { INDEXES_THE_ANALYSIS_READS } from "~/sync/store/sqlite-batch-writer";
import pg from "pg";
import { seedCurrentAnalysis } from "./seed-analysis";
import { seedSyntheticStore } from "./seed-synthetic-store";
import { createTestDatabase, type Dialect, TEST_DIALECTS, type TestDatabase } from "./test-database";

const SHOP = "line-reader.myshopify.com";

/**
 * A 3,000-order store on `dialect` in which a deleted order keeps its lines (both loads pass over
 * them); RECOMPUTE_THREADS is restored after each test. Call inside a describe.
 */
function storeWithDeletedOrder(dialect: Dialect): () => TestDatabase {
  let db: TestDatabase;
  const threads = process.env.RECOMPUTE_THREADS;
  const linesPerPage = process.env.RECOMPUTE_LINES_PER_PAGE;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    await seedSyntheticStore(db, SHOP, 3_000);
    const [order] = await db.prisma.order.findMany({ where: { shop: SHOP, lines: { some: {} } }, orderBy: { id: "asc" }, skip: 10, take: 1 });
    await db.prisma.order.update({ where: { id: order.id }, data: { deletedAt: new Date() } });
  }, 120_000);
  afterEach(() => {
    if (threads === undefined) delete process.env.RECOMPUTE_THREADS;
    else process.env.RECOMPUTE_THREADS = threads;
    if (linesPerPage === undefined) delete process.env.RECOMPUTE_LINES_PER_PAGE;
    else process.env.RECOMPUTE_LINES_PER_PAGE = linesPerPage;
  });
  afterAll(async () => {
    await closeBulkConnections();
    await db?.drop();
  });
  return () => db;
}

async function expectTwoThreadLoadEqualsOneThread(db: TestDatabase): Promise<void> {
  process.env.RECOMPUTE_THREADS = "1";
  const twoThreads = await loadStoreDataset(db.prisma, db.config, SHOP, "current_total", "Europe/Amsterdam");
  process.env.RECOMPUTE_THREADS = "0";
  const oneThread = await loadStoreDataset(db.prisma, db.config, SHOP, "current_total", "Europe/Amsterdam");
  expect(twoThreads.dataset.lineOrder.length).toBeGreaterThan(twoThreads.dataset.orderCount);
  expect(twoThreads).toEqual(oneThread);
}

/**
 * Pages of one line (every order of two lines or more outgrows its page) and of seven (pages
 * end mid-store at order boundaries, a deleted order's lines among them): the same store.
 */
async function expectTheSameStoreInSmallPages(db: TestDatabase): Promise<void> {
  for (const size of ["1", "7"]) {
    process.env.RECOMPUTE_LINES_PER_PAGE = size;
    await expectTwoThreadLoadEqualsOneThread(db);
  }
}

describe("the recompute's line reader on SQLite", () => {
  const store = storeWithDeletedOrder("sqlite");
  const fileOf = (db: TestDatabase) => {
    if (db.config.dialect !== "sqlite") throw new Error("SQLite only");
    return db.config.filePath;
  };

  it("loads the same store as the single-thread load, lines and products included", () => expectTwoThreadLoadEqualsOneThread(store()));

  it("loads the same store when its lines come in many small pages, never splitting an order's lines", () => expectTheSameStoreInSmallPages(store()), 60_000);

  it("without the lines' (orderId) index (a first import's), reads them in row order: the same store, in any page size; a line out of row order is refused (decision 055)", async () => {
    const db = store();
    const sqlite = new Database(fileOf(db));
    const late = `gid://shopify/LineItem/late-edit`;
    try {
      sqlite.exec(`DROP INDEX "${LINES_ORDER_INDEX}"`);
      await expectTwoThreadLoadEqualsOneThread(db);
      await expectTheSameStoreInSmallPages(db);
      // A line added to the first order after every other order's lines: the reader says so.
      sqlite.prepare(`INSERT INTO "OrderLine" ("shop", "orderId", "shopifyId", "title", "quantity", "amount") SELECT "shop", "orderId", ?, 'Late mug', 1, '10.00' FROM "OrderLine" WHERE "shop" = ? ORDER BY "id" LIMIT 1`).run(late, SHOP);
      process.env.RECOMPUTE_THREADS = "1";
      await expect(loadStoreDataset(db.prisma, db.config, SHOP, "current_total", "Europe/Amsterdam")).rejects.toBeInstanceOf(LinesOutOfOrderError);
      // With the index the same lines are read in order.
      sqlite.exec(INDEXES_THE_ANALYSIS_READS[0].sql);
      await expectTwoThreadLoadEqualsOneThread(db);
    } finally {
      sqlite.prepare(`DELETE FROM "OrderLine" WHERE "shopifyId" = ?`).run(late);
      sqlite.exec(INDEXES_THE_ANALYSIS_READS[0].sql.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS"));
      sqlite.close();
    }
  }, 60_000);

  it("starts both snapshots at one moment: a write committed after the start is in neither the orders nor the lines", async () => {
    const file = fileOf(store());
    const reader = (await LineReaderThread.start())!;
    expect(reader).not.toBeNull();
    const main = new Database(file);
    const writer = new Database(file, { timeout: 0 });
    try {
      const before = main.prepare(`SELECT count(*) FROM "OrderLine" WHERE "shop" = ?`).pluck().get(SHOP) as number;
      const guard = await WriteLockGuard.take(file);
      // While the guard holds the write lock, no other connection can commit.
      expect(() => writer.exec(`UPDATE "Order" SET "name" = "name" WHERE "id" = 1`)).toThrow(/locked|busy/i);
      main.exec("BEGIN");
      let firstOrderId = 0;
      reader.beginTogether(guard, file, SHOP, () => (firstOrderId = main.prepare(`SELECT min("id") FROM "Order" WHERE "shop" = ?`).pluck().get(SHOP) as number));
      expect(firstOrderId).toBeGreaterThan(0);
      // Released: a new order with two lines commits now.
      const orderId = Number(
        writer
          .prepare(`INSERT INTO "Order" ("shop", "shopifyId", "customerShopifyId", "totalPrice", "shopifyCreatedAt", "syncedAt") VALUES (?, 'gid://shopify/Order/late', 'gid://shopify/Customer/late', '10.00', '2026-11-30T10:00:00.000+00:00', '2026-11-30T10:00:00.000+00:00')`)
          .run(SHOP).lastInsertRowid,
      );
      const line = writer.prepare(`INSERT INTO "OrderLine" ("orderId", "shop", "shopifyId", "title", "quantity", "amount") VALUES (?, ?, ?, 'Late mug', 1, '10.00')`);
      line.run(orderId, SHOP, "gid://shopify/LineItem/late-1");
      line.run(orderId, SHOP, "gid://shopify/LineItem/late-2");
      const orders = main.prepare(`SELECT count(*) FROM "Order" WHERE "shop" = ? AND "id" = ?`).pluck().get(SHOP, orderId) as number;
      main.exec("COMMIT");
      let lines = 0;
      let lateLines = 0;
      for (let id = reader.peekOrderId(); id !== null; id = reader.peekOrderId()) {
        reader.find(id);
        lines += reader.to - reader.from;
        if (id === orderId) lateLines += reader.to - reader.from;
      }
      expect(orders).toBe(0);
      expect(lateLines).toBe(0);
      expect(lines).toBe(before);
    } finally {
      reader.stop();
      main.close();
      writer.close();
    }
  });
});

describe("the recompute's line reader on SQLite, deleting generations after the lines (decision 052)", () => {
  const store = storeWithDeletedOrder("sqlite");
  const fileOf = (db: TestDatabase) => {
    if (db.config.dialect !== "sqlite") throw new Error("SQLite only");
    return db.config.filePath;
  };
  /** Two generations of three profiles, the older with a sort index of its own (decision 050). */
  async function twoGenerations(db: TestDatabase) {
    const profiles = ["a", "b", "c"].map((c) => ({ customerShopifyId: `gid://shopify/Customer/gen-${c}` }));
    const older = await seedCurrentAnalysis(db.prisma, SHOP, profiles);
    const current = await seedCurrentAnalysis(db.prisma, SHOP, profiles);
    await db.prisma.$executeRawUnsafe(`CREATE INDEX "${generationIndexName(older, "pAlive")}" ON "CustomerProfile"("snapshotId", "pAlive") WHERE "snapshotId" = ${older}`);
    return { older, current };
  }
  const profilesOf = (db: TestDatabase, snapshotId: number) => db.prisma.customerProfile.count({ where: { snapshotId } });
  const indexesOf = async (db: TestDatabase, snapshotId: number) =>
    (await db.prisma.$queryRawUnsafe<{ name: string }[]>(`SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE ?`, `CustomerProfile_g${snapshotId}_%`)).length;

  it("deletes the given generations' profiles and indexes, keeps the rest, and loads the same store", async () => {
    const db = store();
    const { older, current } = await twoGenerations(db);
    process.env.RECOMPUTE_THREADS = "1";
    const loaded = await loadStoreDataset(db.prisma, db.config, SHOP, "current_total", "Europe/Amsterdam", { deleteGenerations: [older] });
    expect(await loaded.generationsDeleted).toEqual({ snapshotIds: [older], ms: expect.any(Number) });
    expect([await profilesOf(db, older), await indexesOf(db, older), await profilesOf(db, current)]).toEqual([0, 0, 3]);
    // The snapshot rows stay: the prune after the switch judges them (documents kept for counts over time).
    expect(await db.prisma.analysisSnapshot.count({ where: { id: { in: [older, current] } } })).toBe(2);
    process.env.RECOMPUTE_THREADS = "0";
    const { generationsDeleted: _none, ...oneThread } = await loadStoreDataset(db.prisma, db.config, SHOP, "current_total", "Europe/Amsterdam");
    const { generationsDeleted: _deleted, ...twoThreads } = loaded;
    expect(twoThreads).toEqual(oneThread);
  });

  it("waits on its own thread for a write lock another connection holds, and deletes once it is free", async () => {
    const db = store();
    const { older } = await twoGenerations(db);
    const file = fileOf(db);
    const holder = new Database(file);
    const reader = (await LineReaderThread.start())!;
    const main = new Database(file);
    try {
      // The holder keeps the write lock from before the reader starts (in place of the load's guard, which lets go).
      holder.exec("BEGIN IMMEDIATE");
      const keptLock = { release() {} } as unknown as WriteLockGuard;
      main.exec("BEGIN");
      reader.beginTogether(keptLock, file, SHOP, () => main.prepare(`SELECT min("id") FROM "Order"`).get(), [older]);
      let lines = 0;
      for (let id = reader.peekOrderId(); id !== null; id = reader.peekOrderId()) {
        reader.find(id);
        lines += reader.to - reader.from;
      }
      main.exec("COMMIT");
      expect(lines).toBeGreaterThan(0);
      let settled = false;
      const deleted = reader.generationsDeleted().then((result) => ((settled = true), result));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(settled).toBe(false);
      expect(holder.prepare(`SELECT count(*) FROM "CustomerProfile" WHERE "snapshotId" = ?`).pluck().get(older)).toBe(3);
      holder.exec("COMMIT");
      expect(await deleted).toEqual({ snapshotIds: [older], ms: expect.any(Number) });
      expect(await profilesOf(db, older)).toBe(0);
    } finally {
      reader.stop();
      if (holder.inTransaction) holder.exec("ROLLBACK");
      holder.close();
      main.close();
    }
  });
});

describe.runIf(TEST_DIALECTS.includes("postgresql"))("the recompute's line reader on PostgreSQL", () => {
  const store = storeWithDeletedOrder("postgresql");

  it("loads the same store as the single-thread load, lines and products included", () => expectTwoThreadLoadEqualsOneThread(store()));

  it("loads the same store when its lines come in many small pages, never splitting an order's lines", () => expectTheSameStoreInSmallPages(store()), 60_000);

  it("reads orders, customers and products whose text needs escapes in COPY's escapes (tabs, newlines, backslashes, \\N, non-ASCII) and null fields as the single-thread load does", async () => {
    const db = store();
    const order = await db.prisma.order.create({
      data: { shop: SHOP, shopifyId: "gid://shopify/Order/odd-text", customerShopifyId: "gid://shopify/Customer/odd\tone", totalPrice: "31.00", utmSource: "news\\letter\nspring", shopifyCreatedAt: new Date("2026-10-01T10:00:00Z") },
    });
    await db.prisma.customer.create({
      data: { shop: SHOP, shopifyId: "gid://shopify/Customer/odd\tone", city: "Den\tHaag", countryCode: "NL", emailMarketingState: "SUBSCRIBED", tags: JSON.stringify(["VIP", 'say "hi"\\now']), shopifyCreatedAt: new Date("2026-09-01T08:30:00.250Z") },
    });
    const titles = ["Tab\there", "Two\nlines\r", "Back\\slash \\N", "\\N", "Zoë's 🛍 mug"];
    for (const [i, title] of titles.entries()) {
      await db.prisma.orderLine.create({
        data: { orderId: order.id, shop: SHOP, shopifyId: `gid://shopify/LineItem/odd-${i}`, productShopifyId: i === 4 ? null : `gid://shopify/Product/odd-${i}`, title, productType: i % 2 ? null : "Odd\ttype", quantity: i + 1, amount: `${i}.25` },
      });
    }
    process.env.RECOMPUTE_THREADS = "1";
    const { dataset } = await loadStoreDataset(db.prisma, db.config, SHOP, "current_total", "Europe/Amsterdam");
    for (const title of titles) expect(dataset.productTitles).toContain(title);
    expect(dataset.productIds).toContain("Zoë's 🛍 mug");
    expect(dataset.productTypes).toContain("Odd\ttype");
    expect(dataset.customerIds).toContain("gid://shopify/Customer/odd\tone");
    expect(dataset.sources).toContain("news\\letter\nspring");
    const odd = dataset.customerIds.indexOf("gid://shopify/Customer/odd\tone");
    expect([dataset.customerCity[odd], dataset.customerCountry[odd], dataset.customerProvince[odd], dataset.customerEmailConsent[odd], dataset.customerTags[odd]]).toEqual(["Den\tHaag", "NL", null, true, ["VIP", 'say "hi"\\now']]);
    expect(dataset.customerCreatedAt[odd]).toBe(Date.parse("2026-09-01T08:30:00.250Z"));
    await expectTwoThreadLoadEqualsOneThread(db);
  });

  it("reads the lines in the caller's snapshot: lines committed after the caller's start are not read", async () => {
    const db = store();
    if (db.config.dialect !== "postgresql") throw new Error("PostgreSQL only");
    const reader = (await LineReaderThread.start())!;
    const main = await postgresBulkPool(db.config).connect();
    const writer = new pg.Client(postgresConnectionSettings(db.config));
    await writer.connect();
    try {
      const before = Number((await main.query(`SELECT count(*) AS n FROM "OrderLine" WHERE "shop" = $1`, [SHOP])).rows[0].n);
      await main.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      const snapshot = (await main.query<{ id: string }>("SELECT pg_export_snapshot() AS id")).rows[0].id;
      // Committed after the caller's snapshot and before the reader starts: a reader in a snapshot of its own would read these lines.
      const orderId = Number(
        (
          await writer.query(
            `INSERT INTO "Order" ("shop", "shopifyId", "customerShopifyId", "totalPrice", "shopifyCreatedAt") VALUES ($1, 'gid://shopify/Order/late', 'gid://shopify/Customer/late', 10, '2026-11-30T10:00:00Z') RETURNING "id"`,
            [SHOP],
          )
        ).rows[0].id,
      );
      for (const id of ["late-1", "late-2"])
        await writer.query(`INSERT INTO "OrderLine" ("orderId", "shop", "shopifyId", "title", "quantity", "amount") VALUES ($1, $2, $3, 'Late mug', 1, 10)`, [orderId, SHOP, `gid://shopify/LineItem/${id}`]);
      reader.beginInSnapshot(postgresConnectionSettings(db.config), snapshot, SHOP);
      let lines = 0;
      let lateLines = 0;
      for (let id = reader.peekOrderId(); id !== null; id = reader.peekOrderId()) {
        reader.find(id);
        lines += reader.to - reader.from;
        if (id === orderId) lateLines += reader.to - reader.from;
      }
      await main.query("COMMIT");
      expect(lateLines).toBe(0);
      expect(lines).toBe(before);
      // The writer's lines are there for a reader that starts now.
      const after = Number((await main.query(`SELECT count(*) AS n FROM "OrderLine" WHERE "shop" = $1`, [SHOP])).rows[0].n);
      expect(after).toBe(before + 2);
    } finally {
      reader.stop();
      main.release();
      await writer.end();
    }
  });
});
