import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../tests/db/test-database";
import { buildMissingIndexes, DEFERRABLE_CUSTOMER_INDEXES, DEFERRABLE_ORDER_INDEXES, INDEXES_THE_ANALYSIS_READS, SqliteBatchWriter, ts } from "./sqlite-batch-writer";

const SHOP = "writer.myshopify.com";

describe("SqliteBatchWriter's deferred order indexes", () => {
  let db: TestDatabase | undefined;
  let file = "";
  afterEach(async () => {
    await db?.drop();
    db = undefined;
  });
  async function migrated() {
    db = await createTestDatabase("sqlite");
    if (db.config.dialect !== "sqlite") throw new Error("expected SQLite");
    file = db.config.filePath;
  }
  /** Index name → its CREATE statement, for the order tables, read by a separate connection. */
  function orderIndexes(): Record<string, string> {
    const other = new Database(file, { readonly: true });
    try {
      const rows = other
        .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('Order', 'OrderLine') AND sql IS NOT NULL ORDER BY name`)
        .all() as { name: string; sql: string }[];
      return Object.fromEntries(rows.map((r) => [r.name, r.sql]));
    } finally {
      other.close();
    }
  }
  const batch = (orders: number) => ({
    customers: [],
    products: [],
    orphanLines: [],
    orders: Array.from({ length: orders }, (_, i) => ({
      linesComplete: true,
      order: {
        shopifyId: `gid://shopify/Order/${9_007_199_254_740_993n + BigInt(i)}`,
        name: `#${1000 + i}`,
        customerShopifyId: null,
        currencyCode: "EUR",
        totalPrice: "10.50",
        subtotalPrice: null,
        netSales: null,
        totalRefunded: "0",
        test: false,
        sourceName: "web",
        channel: null,
        firstVisitSource: null,
        utmSource: null,
        utmMedium: null,
        utmCampaign: null,
        shopifyCreatedAt: new Date("2026-01-01T00:00:00Z"),
        processedAt: null,
        cancelledAt: null,
        shopifyUpdatedAt: new Date("2026-01-02T00:00:00Z"),
      },
      lines: [
        {
          shopifyId: `gid://shopify/LineItem/${5000 + i}`,
          orderShopifyId: `gid://shopify/Order/${9_007_199_254_740_993n + BigInt(i)}`,
          productShopifyId: "gid://shopify/Product/1",
          title: "Mug",
          productType: null,
          vendor: null,
          quantity: 1,
          amount: "10.50",
        },
      ],
    })),
  });

  it("lists the migrations' own definitions of the order tables' non-unique indexes", async () => {
    await migrated();
    const existing = orderIndexes();
    for (const index of DEFERRABLE_ORDER_INDEXES) expect(existing[index.name]).toBe(index.sql);
    const nonUnique = Object.entries(existing).filter(([, sql]) => !sql.startsWith("CREATE UNIQUE"));
    expect(nonUnique.map(([name]) => name).sort()).toEqual(DEFERRABLE_ORDER_INDEXES.map((i) => i.name).sort());
  });

  /** buildMissingIndexes on a connection of its own, as the recompute runs it on its bulk connection. */
  async function buildMissing(indexes = DEFERRABLE_ORDER_INDEXES): Promise<string[]> {
    const connection = new Database(file);
    try {
      return await buildMissingIndexes(connection, indexes);
    } finally {
      connection.close();
    }
  }

  it("a first import runs without them, keeps the unique keys, and leaves them to be built after it", async () => {
    await migrated();
    const before = orderIndexes();
    const run = await db!.prisma.syncRun.create({ data: { shop: SHOP, kind: "backfill" } });
    const writer = new SqliteBatchWriter(file, { deferOrderIndexes: true });
    writer.writeBatch(SHOP, batch(3), { runId: run.id, throughLine: 6, roots: 3 });
    const during = orderIndexes();
    expect(Object.keys(during).sort()).toEqual(["OrderLine_shop_shopifyId_key", "Order_shop_shopifyId_key"]);
    // The unique keys still refuse a duplicate while the others are gone.
    writer.writeBatch(SHOP, batch(3), { runId: run.id, throughLine: 12, roots: 3 });
    writer.close();
    // The recompute the backfill queues builds the one its load reads first, then the rest (decision 049).
    expect(Object.keys(orderIndexes()).sort()).toEqual(["OrderLine_shop_shopifyId_key", "Order_shop_shopifyId_key"]);
    expect(await buildMissing(INDEXES_THE_ANALYSIS_READS)).toEqual(["OrderLine_orderId_idx"]);
    expect((await buildMissing()).sort()).toEqual(DEFERRABLE_ORDER_INDEXES.map((i) => i.name).filter((name) => name !== "OrderLine_orderId_idx").sort());
    expect(orderIndexes()).toEqual(before);
    expect(await buildMissing()).toEqual([]);
    expect(await db!.prisma.order.count()).toBe(3);
    expect(await db!.prisma.orderLine.count()).toBe(3);
    // Prisma's queries by the rebuilt indexes see every row.
    expect(await db!.prisma.order.count({ where: { shop: SHOP, shopifyCreatedAt: { gte: new Date("2025-12-31T00:00:00Z") } } })).toBe(3);
  });

  it("builds them once a Prisma transaction of this process that holds the write lock has committed, without blocking it", async () => {
    await migrated();
    const before = orderIndexes();
    const connection = new Database(file);
    for (const index of DEFERRABLE_ORDER_INDEXES) connection.exec(`DROP INDEX "${index.name}"`);
    let holding!: () => void;
    const lockHeld = new Promise<void>((resolve) => (holding = resolve));
    let committed = false;
    // A job queue's or segment refresh's transaction: it wrote, and its COMMIT waits for this thread's event loop.
    const transaction = db!.prisma
      .$transaction(async (tx) => {
        await tx.syncRun.create({ data: { shop: SHOP, kind: "backfill" } });
        holding();
        await new Promise((resolve) => setTimeout(resolve, 300));
      })
      .then(() => (committed = true));
    await lockHeld;
    try {
      expect((await buildMissingIndexes(connection, DEFERRABLE_ORDER_INDEXES)).sort()).toEqual(DEFERRABLE_ORDER_INDEXES.map((i) => i.name).sort());
    } finally {
      connection.close();
    }
    expect(committed).toBe(true);
    await transaction;
    expect(orderIndexes()).toEqual(before);
    expect(await db!.prisma.syncRun.count()).toBe(1);
  });

  it("keeps them when the Order table already holds rows; a resumed import writes without the ones a crash left missing", async () => {
    await migrated();
    const before = orderIndexes();
    const run = await db!.prisma.syncRun.create({ data: { shop: SHOP, kind: "backfill" } });
    const first = new SqliteBatchWriter(file);
    first.writeBatch(SHOP, batch(2), { runId: run.id, throughLine: 4, roots: 2 });
    first.close();
    const second = new SqliteBatchWriter(file, { deferOrderIndexes: true });
    expect(orderIndexes()).toEqual(before);
    second.close();
    // A process that died mid-import: the resumed import writes without them, and they are built after it.
    const crashed = new Database(file);
    for (const index of DEFERRABLE_ORDER_INDEXES) crashed.exec(`DROP INDEX "${index.name}"`);
    crashed.close();
    const resumed = new SqliteBatchWriter(file, { deferOrderIndexes: true });
    resumed.writeBatch(SHOP, batch(3), { runId: run.id, throughLine: 10, roots: 3 });
    resumed.close();
    expect((await buildMissing()).sort()).toEqual(DEFERRABLE_ORDER_INDEXES.map((i) => i.name).sort());
    expect(orderIndexes()).toEqual(before);
    expect(await db!.prisma.order.count({ where: { shop: SHOP, shopifyCreatedAt: { gte: new Date("2025-12-31T00:00:00Z") } } })).toBe(3);
  });
});

describe("SqliteBatchWriter's deferred customer indexes", () => {
  let db: TestDatabase | undefined;
  let file = "";
  afterEach(async () => {
    await db?.drop();
    db = undefined;
  });
  async function migrated() {
    db = await createTestDatabase("sqlite");
    if (db.config.dialect !== "sqlite") throw new Error("expected SQLite");
    file = db.config.filePath;
  }
  /** Index name → its CREATE statement, for the customers' and their search terms' non-unique indexes, read by a separate connection. */
  function customerIndexes(): Record<string, string> {
    const other = new Database(file, { readonly: true });
    try {
      const rows = other
        .prepare(
          `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('Customer', 'CustomerSearchTerm') AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name`,
        )
        .all() as { name: string; sql: string }[];
      return Object.fromEntries(rows.map((r) => [r.name, r.sql]));
    } finally {
      other.close();
    }
  }
  const customers = (from: number, count: number) => ({
    products: [],
    orders: [],
    orphanLines: [],
    customers: Array.from({ length: count }, (_, i) => ({
      shopifyId: `gid://shopify/Customer/${from + i}`,
      email: `buyer${from + i}@example.com`,
      firstName: "Ada",
      lastName: `Lovelace${from + i}`,
      phone: null, emailMarketingState: null, countryCode: null, country: null, provinceCode: null, province: null, city: null,
      tags: ["vip"], numberOfOrders: 1, amountSpent: "10.00", shopifyRfmGroup: null, predictedSpendTier: null,
      shopifyCreatedAt: new Date("2025-01-01T00:00:00Z"),
      shopifyUpdatedAt: new Date("2025-01-02T00:00:00Z"),
    })),
  });

  it("lists the migrations' own definitions of the customers' and search terms' non-unique indexes", async () => {
    await migrated();
    const existing = customerIndexes();
    for (const index of DEFERRABLE_CUSTOMER_INDEXES) expect(existing[index.name]).toBe(index.sql);
    expect(Object.keys(existing).sort()).toEqual(DEFERRABLE_CUSTOMER_INDEXES.map((i) => i.name).sort());
  });

  it("a first customers' import runs without them; built after, a search by term and the deleted customers' lookup find every customer", async () => {
    await migrated();
    const before = customerIndexes();
    const run = await db!.prisma.syncRun.create({ data: { shop: SHOP, kind: "backfill" } });
    const writer = new SqliteBatchWriter(file, { deferCustomerIndexes: true });
    writer.writeBatch(SHOP, customers(1, 3), { runId: run.id, throughLine: 3, roots: 3 });
    expect(customerIndexes()).toEqual({});
    writer.close();
    expect(customerIndexes()).toEqual({});
    const connection = new Database(file);
    expect(await buildMissingIndexes(connection)).toEqual(DEFERRABLE_CUSTOMER_INDEXES.map((i) => i.name));
    connection.close();
    expect(customerIndexes()).toEqual(before);
    expect(await db!.prisma.customerSearchTerm.count({ where: { shop: SHOP, term: "ada" } })).toBe(3);
    expect(await db!.prisma.customerSearchTerm.count({ where: { shop: SHOP, term: "lovelace2" } })).toBe(1);
    expect(await db!.prisma.customer.count({ where: { shop: SHOP, deletedAt: null } })).toBe(3);
    expect(await db!.prisma.customer.count({ where: { shop: SHOP, shopifyUpdatedAt: { gte: new Date("2025-01-02T00:00:00Z") } } })).toBe(3);
  });

  it("keeps them once the shop has customers, and builds them when a crashed import left them missing", async () => {
    await migrated();
    const before = customerIndexes();
    const run = await db!.prisma.syncRun.create({ data: { shop: SHOP, kind: "backfill" } });
    const first = new SqliteBatchWriter(file);
    first.writeBatch(SHOP, customers(1, 2), { runId: run.id, throughLine: 2, roots: 2 });
    first.close();
    const second = new SqliteBatchWriter(file, { deferCustomerIndexes: true });
    expect(customerIndexes()).toEqual(before);
    second.close();
    const crashed = new Database(file);
    for (const index of DEFERRABLE_CUSTOMER_INDEXES) crashed.exec(`DROP INDEX "${index.name}"`);
    expect(await buildMissingIndexes(crashed)).toEqual(DEFERRABLE_CUSTOMER_INDEXES.map((i) => i.name));
    crashed.close();
    expect(customerIndexes()).toEqual(before);
  });
});

describe("SqliteBatchWriter's multi-row statements", () => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.drop();
    db = undefined;
  });

  const orderGid = (n: number) => `gid://shopify/Order/${9_007_199_254_740_993n + BigInt(n)}`;
  const lineGid = (order: number, k: number) => `gid://shopify/LineItem/${9_007_199_254_740_993n + BigInt(order * 10 + k)}`;
  const order = (n: number, updatedAt: string, totalPrice: string) => ({
    shopifyId: orderGid(n),
    name: `#${n}`,
    customerShopifyId: null,
    currencyCode: "EUR",
    totalPrice,
    subtotalPrice: null,
    totalRefunded: "0",
    netSales: totalPrice.replace(/\.\d+$/, ".25"),
    test: false,
    sourceName: "web",
    channel: null,
    firstVisitSource: null,
    utmSource: null,
    utmMedium: null,
    utmCampaign: null,
    shopifyCreatedAt: new Date("2026-01-01T00:00:00Z"),
    processedAt: null,
    cancelledAt: null,
    shopifyUpdatedAt: new Date(updatedAt),
  });
  const line = (n: number, k: number, amount: string) => ({
    shopifyId: lineGid(n, k),
    orderShopifyId: orderGid(n),
    productShopifyId: null,
    title: `Item ${n}/${k}`,
    productType: null,
    vendor: null,
    quantity: k + 1,
    amount,
  });

  it("gives every line item its own order's id across statement boundaries, and skips a stale order's lines", async () => {
    db = await createTestDatabase("sqlite");
    if (db.config.dialect !== "sqlite") throw new Error("expected SQLite");
    const run = await db.prisma.syncRun.create({ data: { shop: SHOP, kind: "backfill" } });
    const writer = new SqliteBatchWriter(db.config.filePath);
    try {
      // Order 61 is stored first with a newer updatedAt and one line: the export's older copy
      // must neither change it nor add lines to it, and must not shift the ids of the orders after it.
      writer.writeBatch(SHOP, { customers: [], products: [], orphanLines: [], orders: [
        { order: order(61, "2026-03-01T00:00:00Z", "99.00"), lines: [line(61, 0, "99.00")], linesComplete: false },
      ] }, { runId: run.id, throughLine: 2, roots: 1 });
      // 137 orders = 2 full statements of 50 and a remainder; 1–3 lines each (more than one
      // line statement); the last order's lines arrive in the next batch (orphans).
      const count = 137;
      const orders = Array.from({ length: count }, (_, n) => ({
        order: order(n, "2026-02-01T00:00:00Z", `${n}.50`),
        lines: n === count - 1 ? [] : Array.from({ length: (n % 3) + 1 }, (_, k) => line(n, k, `${n}.${k}0`)),
        linesComplete: false,
      }));
      writer.writeBatch(SHOP, { customers: [], products: [], orphanLines: [], orders }, { runId: run.id, throughLine: 500, roots: count });
      const unknown = writer.writeBatch(SHOP, { customers: [], products: [], orders: [], orphanLines: [line(count - 1, 0, "7.00"), line(count - 1, 1, "8.00")] }, { runId: run.id, throughLine: 502, roots: 0 });
      expect(unknown).toEqual([]);
    } finally {
      writer.close();
    }

    const stored = await db.prisma.order.findMany({ where: { shop: SHOP }, include: { lines: { orderBy: { shopifyId: "asc" } } } });
    expect(stored).toHaveLength(137);
    for (const o of stored) {
      const n = Number(BigInt(o.shopifyId.split("/").pop()!) - 9_007_199_254_740_993n);
      if (n === 61) {
        expect(o.totalPrice.toFixed(2)).toBe("99.00");
        expect(o.netSales?.toFixed(2)).toBe("99.25");
        expect(o.lines.map((l) => [l.shopifyId, l.amount.toFixed(2)])).toEqual([[lineGid(61, 0), "99.00"]]);
        continue;
      }
      expect(o.totalPrice.toFixed(2)).toBe(`${n}.50`);
      expect(o.netSales?.toFixed(2)).toBe(`${n}.25`);
      const expected = n === 136 ? [[lineGid(n, 0), "7.00", 1], [lineGid(n, 1), "8.00", 2]] : Array.from({ length: (n % 3) + 1 }, (_, k) => [lineGid(n, k), `${n}.${k}0`, k + 1]);
      expect(o.lines.map((l) => [l.shopifyId, l.amount.toFixed(2), l.quantity])).toEqual(expected);
    }
    const progress = await db.prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(progress).toMatchObject({ linesProcessed: 502, objectsDone: 138 });
  });
});

describe("ts (DateTime text as Prisma's SQLite adapter writes it)", () => {
  it("writes UTC with milliseconds and +00:00, whatever the offset of the source", () => {
    expect(ts(new Date("2024-05-29T11:00:00.345+02:00"))).toBe("2024-05-29T09:00:00.345+00:00");
    expect(ts(new Date("2023-01-01T00:00:00Z"))).toBe("2023-01-01T00:00:00.000+00:00");
    expect(ts(new Date("1999-12-31T23:59:59.9Z"))).toBe("1999-12-31T23:59:59.900+00:00");
    expect(ts(null)).toBeNull();
  });
  it("matches toISOString for every month, day and hour of a leap year, and outside four-digit years", () => {
    for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2025, 0, 1); t += 3_600_000 + 7) {
      const d = new Date(t);
      expect(ts(d)).toBe(d.toISOString().replace("Z", "+00:00"));
    }
    const far = new Date(Date.UTC(12000, 0, 1));
    expect(ts(far)).toBe(far.toISOString().replace("Z", "+00:00"));
  });
});
