import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "../../../tests/db/test-database";
import { asLines, fixtureJsonl, gid, makeFixtureStore } from "../../../tests/sync/fixtures/bulk-fixture";
import { orderTotalCents, shopState } from "../../../tests/sync/db-state";
import { importBulkJsonl } from "./bulk-import";
import type { DatabaseConfig } from "../../db/database-url";
import { JsonlFormatError, readJsonlLines } from "./jsonl-lines";
import { customerRowFromNode } from "../records/from-graphql";
import type { BulkResource } from "../../shopify/documents/bulk-queries";
import { shopOrderTables } from "../store/postgres-shop-partitions";

const SHOP = "bulk.myshopify.com";
const store = makeFixtureStore({ customers: 120, orders: 400, seed: 7 });

/**
 * SQLite runs three times: through Prisma's raw queries, through the native batch writer the
 * backfill uses, and through that writer fed by a parse thread (raw JSONL, as the backfill
 * downloads it). PostgreSQL runs its COPY writer twice: fed parsed lines on one thread,
 * and fed by a parse thread.
 */
const MODES = TEST_DIALECTS.flatMap((d) =>
  d === "sqlite" ? ["sqlite", "sqlite-native", "sqlite-parse-thread"] : [d, "postgresql-parse-thread"],
) as ("sqlite" | "sqlite-native" | "sqlite-parse-thread" | "postgresql" | "postgresql-parse-thread")[];
const PARSE_THREAD_MODES: readonly string[] = ["sqlite-parse-thread", "postgresql-parse-thread"];

/** The text in pieces of `size` bytes: lines (and multi-byte characters) straddle chunk boundaries, as in a download. */
async function* rawChunks(lines: readonly string[], size = 997): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(lines.join("\n") + "\n");
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

describe.each(MODES)("importBulkJsonl on %s", (mode) => {
  const dialect = mode.startsWith("postgresql") ? "postgresql" : "sqlite";
  let db: TestDatabase;
  let sqliteFile: string | undefined;
  let database: DatabaseConfig | undefined;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    sqliteFile = mode !== "sqlite" && db.config.dialect === "sqlite" ? db.config.filePath : undefined;
    database = db.config.dialect === "postgresql" ? db.config : undefined;
  });
  afterAll(async () => db?.drop());

  /** The export's lines as this mode's importer takes them. */
  function source(lines: readonly string[], skipLines = 0) {
    return PARSE_THREAD_MODES.includes(mode) ? { jsonl: { chunks: rawChunks(lines), skipLines } } : { lines: readJsonlLines(asLines(lines), { skipLines }) };
  }

  /**
   * Orders an import has committed. A shop's first orders import on PostgreSQL keeps them in
   * the shop's own tables until it ends (decision 057): none shows in Order before.
   */
  async function committedOrders(shop: string): Promise<number> {
    const shown = await db.prisma.order.count({ where: { shop } });
    if (db.config.dialect !== "postgresql") return shown;
    const [own] = await db.prisma.$queryRawUnsafe<{ attached: boolean | null }[]>(
      `SELECT (SELECT c.relispartition FROM pg_class c WHERE c.oid = to_regclass($1)) AS "attached"`,
      `"${shopOrderTables(shop).orders}"`,
    );
    if (own.attached !== false) return shown;
    expect(shown).toBe(0);
    const [{ n }] = await db.prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS "n" FROM "${shopOrderTables(shop).orders}"`);
    return Number(n);
  }

  async function newRun(shop: string) {
    return db.prisma.syncRun.create({ data: { shop, kind: "backfill" } });
  }

  async function importAll(shop: string, opts: { lateChildren?: boolean; batchSize?: number } = {}) {
    const run = await newRun(shop);
    for (const resource of ["products", "customers", "orders"] as BulkResource[]) {
      const result = await importBulkJsonl({
        sqliteFile, database,
        prisma: db.prisma,
        dialect,
        shop,
        runId: run.id,
        resource,
        ...source(fixtureJsonl(store, resource, opts)),
        batchSize: opts.batchSize ?? 50,
      });
      expect(result.parseThread).toBe(PARSE_THREAD_MODES.includes(mode));
    }
    return db.prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } });
  }

  /** Every order and line item as the fixture has it: 19-digit ids and decimals to the cent, customer links. */
  async function expectOrdersAsInFixture(shop: string) {
    const stored = await db.prisma.order.findMany({ where: { shop }, include: { lines: true } });
    expect(stored).toHaveLength(store.orders.length);
    const byId = new Map(stored.map((o) => [o.shopifyId, o]));
    for (const { order, lines } of store.orders) {
      const row = byId.get(order.id);
      expect(row, order.id).toBeDefined();
      expect(row!.totalPrice.toFixed(2)).toBe(order.currentTotalPriceSet.shopMoney.amount);
      expect(row!.customerShopifyId).toBe(order.customer?.id ?? null);
      const storedLines = new Map(row!.lines.map((l) => [l.shopifyId, l.amount.toFixed(2)]));
      expect(storedLines).toEqual(new Map(lines.map((l) => [l.id, l.discountedTotalSet.shopMoney.amount])));
    }
  }

  it("imports every customer, order, line item and product, with exact money and 64-bit ids", async () => {
    const shop = "clean-" + SHOP;
    const run = await importAll(shop);
    expect(await db.prisma.customer.count({ where: { shop } })).toBe(120);
    expect(await db.prisma.order.count({ where: { shop } })).toBe(400);
    expect(await db.prisma.orderLine.count({ where: { shop } })).toBe(store.lineCount);
    expect(await db.prisma.product.count({ where: { shop } })).toBe(20);
    expect(await orderTotalCents(db.prisma, shop)).toBe(store.totalCents);
    expect(run.objectsDone).toBe(120 + 400 + 20);

    // 2^53 + 1 + n survives as text
    const first = await db.prisma.order.findUniqueOrThrow({ where: { shop_shopifyId: { shop, shopifyId: gid("Order", 1) } }, include: { lines: true } });
    expect(first.shopifyId).toBe("gid://shopify/Order/9007199254740994");
    const fixtureOrder = store.orders[0];
    expect(first.totalPrice.toFixed(2)).toBe(fixtureOrder.order.currentTotalPriceSet.shopMoney.amount);
    expect(first.customerShopifyId).toBe(fixtureOrder.order.customer?.id ?? null);
    expect(first.lines.map((l) => l.shopifyId).sort()).toEqual(fixtureOrder.lines.map((l) => l.id).sort());
    expect(first.utmCampaign).toBe("c0");
    const c1 = await db.prisma.customer.findUniqueOrThrow({ where: { shop_shopifyId: { shop, shopifyId: gid("Customer", 1) } } });
    expect(c1).toMatchObject({ email: "c1@example.com", firstName: "First1", countryCode: "DE", tags: '["vip","wholesale"]', emailMarketingState: "NOT_SUBSCRIBED" });
  });

  it("reattaches children that arrive after later parents (batch boundaries in between)", async () => {
    const clean = await shopState(db.prisma, "clean-" + SHOP);
    const shop = "late-" + SHOP;
    await importAll(shop, { lateChildren: true, batchSize: 7 });
    const late = await shopState(db.prisma, shop);
    expect(late).toEqual(clean);
  });

  it("resumes after a crash from the last committed batch, with no duplicates and the same final state", async () => {
    const shop = "crash-" + SHOP;
    const run = await newRun(shop);
    await importBulkJsonl({ sqliteFile, database, prisma: db.prisma, dialect, shop, runId: run.id, resource: "products", ...source(fixtureJsonl(store, "products")) });
    await importBulkJsonl({ sqliteFile, database, prisma: db.prisma, dialect, shop, runId: run.id, resource: "customers", ...source(fixtureJsonl(store, "customers")) });
    await db.prisma.syncRun.update({ where: { id: run.id }, data: { linesProcessed: 0 } });
    const orderLines = fixtureJsonl(store, "orders");
    const crash = importBulkJsonl({
      sqliteFile, database,
      prisma: db.prisma,
      dialect,
      shop,
      runId: run.id,
      resource: "orders",
      ...source(orderLines),
      batchSize: 40,
      afterBatch: ({ batchNumber }) => {
        if (batchNumber === 3) throw new Error("worker killed");
      },
    });
    await expect(crash).rejects.toThrow("worker killed");
    const mid = await db.prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(await committedOrders(shop)).toBe(120);
    expect(mid.objectsDone).toBe(20 + 120 + 120);
    // the resume point is just before the 121st order line
    expect(orderLines[mid.linesProcessed]).toContain(`"id":"${gid("Order", 121)}"`);

    await importBulkJsonl({
        sqliteFile, database,
      prisma: db.prisma,
      dialect,
      shop,
      runId: run.id,
      resource: "orders",
      ...source(orderLines, mid.linesProcessed),
      batchSize: 40,
    });
    const done = await db.prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(done.objectsDone).toBe(540);
    expect(done.linesProcessed).toBe(orderLines.length);
    const crashed = await shopState(db.prisma, shop);
    const clean = await shopState(db.prisma, "clean-" + SHOP);
    expect(crashed).toEqual(clean);
    await expectOrdersAsInFixture(shop);

    // a full restart from line 1 (no resume point) also converges without duplicates
    await importBulkJsonl({ sqliteFile, database, prisma: db.prisma, dialect, shop, runId: run.id, resource: "orders", ...source(orderLines) });
    expect(await db.prisma.order.count({ where: { shop } })).toBe(400);
    expect(await db.prisma.orderLine.count({ where: { shop } })).toBe(store.lineCount);
  });

  it("stops between batches when asked, at a resume point that the next run completes", async () => {
    const shop = "stop-" + SHOP;
    const run = await newRun(shop);
    const orderLines = fixtureJsonl(store, "orders");
    const stop = new AbortController();
    const stopped = await importBulkJsonl({
      sqliteFile, database, prisma: db.prisma, dialect, shop, runId: run.id, resource: "orders", ...source(orderLines), batchSize: 40, signal: stop.signal,
      afterBatch: ({ batchNumber }) => {
        if (batchNumber === 2) stop.abort();
      },
    });
    expect(stopped.stopped).toBe(true);
    // Exactly the two committed batches: the third, already being read, was not written.
    expect(await committedOrders(shop)).toBe(80);
    expect(orderLines[stopped.linesProcessed]).toContain(`"id":"${gid("Order", 81)}"`);
    expect((await db.prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } })).linesProcessed).toBe(stopped.linesProcessed);
    await importBulkJsonl({
      sqliteFile, database, prisma: db.prisma, dialect, shop, runId: run.id, resource: "orders", ...source(orderLines, stopped.linesProcessed), batchSize: 40,
    });
    expect(await db.prisma.order.count({ where: { shop } })).toBe(400);
    expect(await db.prisma.orderLine.count({ where: { shop } })).toBe(store.lineCount);
  });

  it("fails on a line item of an order the file never listed, keeping the batches before it and writing none after", async () => {
    const shop = "orphan-" + SHOP;
    const run = await newRun(shop);
    const orderLines = fixtureJsonl(store, "orders");
    // A child of an unknown order at the end of the third batch of 40 orders (orders 81–120).
    const at = orderLines.findIndex((l) => l.includes(`"id":"${gid("Order", 121)}"`));
    const bad = JSON.stringify({ ...store.orders[0].lines[0], id: gid("LineItem", 999_999), __parentId: gid("Order", 999_999) });
    const lines = [...orderLines.slice(0, at), bad, ...orderLines.slice(at)];
    const error = await importBulkJsonl({
      sqliteFile, database, prisma: db.prisma, dialect, shop, runId: run.id, resource: "orders", ...source(lines), batchSize: 40,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toContain(`names order ${gid("Order", 999_999)}, which the file never listed`);
    expect(await committedOrders(shop)).toBe(80);
    const progress = await db.prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(lines[progress.linesProcessed]).toContain(`"id":"${gid("Order", 81)}"`);
  });

  it("keeps text exact whatever characters it holds (quotes, backslashes, braces, commas, NULL, empty)", async () => {
    const shop = "text-" + SHOP;
    const run = await newRun(shop);
    const names = [
      'O"Brien', "back\\slash\\", "{brace}", "a,b", "NULL", "null", "", " spaced ", "Zoë 😀", 'mix "\\{,}\\" NULL',
      // COPY's text format: its separators, line ends and escapes must stay data.
      "tab\there", "new\nline", "cr\rreturn", "\\N", "\\", "end\\",
    ];
    const lines = fixtureJsonl(store, "customers")
      .slice(0, names.length)
      .map((line, i) => JSON.stringify({ ...JSON.parse(line), firstName: names[i], tags: [names[i], "x"] }));
    await importBulkJsonl({ sqliteFile, database, prisma: db.prisma, dialect, shop, runId: run.id, resource: "customers", ...source(lines) });
    const stored = await db.prisma.customer.findMany({ where: { shop }, select: { shopifyId: true, firstName: true, tags: true } });
    const byId = new Map(stored.map((c) => [c.shopifyId, c]));
    names.forEach((name, i) => {
      const customer = byId.get(gid("Customer", i + 1));
      expect(customer?.firstName).toBe(name);
      // Tags as the row builder reads them (it drops blank tags): what the writers must store unchanged.
      expect(JSON.parse(customer!.tags)).toEqual(customerRowFromNode(JSON.parse(lines[i])).tags);
      expect(JSON.parse(customer!.tags)).toContain("x");
    });
    // One tag row per tag, whichever writer stored the customers (decision 028).
    const rows = await db.prisma.customerTag.findMany({ where: { shop }, include: { customer: { select: { shopifyId: true } } } });
    const rowTags = (id: string) => rows.filter((r) => r.customer.shopifyId === id).map((r) => r.tag).sort();
    for (const c of stored) expect(rowTags(c.shopifyId)).toEqual([...new Set(JSON.parse(c.tags) as string[])].sort());

    // A newer export of the same customers replaces their tags, and the rows follow.
    const later = lines.map((line) => JSON.stringify({ ...JSON.parse(line), updatedAt: "2030-01-01T00:00:00Z", tags: ["later"] }));
    await importBulkJsonl({ sqliteFile, prisma: db.prisma, dialect, shop, runId: run.id, resource: "customers", ...source(later) });
    const after = await db.prisma.customerTag.findMany({ where: { shop }, select: { tag: true } });
    expect(after.map((r) => r.tag)).toEqual(names.map(() => "later"));
  });

  it("writes the rest of a first import as upserts once an order turns out to be stored already (a webhook's), keeping the newer one", async () => {
    const shop = "met-" + SHOP;
    const run = await newRun(shop);
    const o = store.orders[150];
    const newer = { ...o.order, updatedAt: "2025-01-01T00:00:00Z", currentTotalPriceSet: { shopMoney: { amount: "1.00", currencyCode: "EUR" } } };
    await importBulkJsonl({ sqliteFile, database, prisma: db.prisma, dialect, shop, runId: run.id, resource: "orders", ...source([JSON.stringify(newer)]) });
    await importBulkJsonl({ sqliteFile, database, prisma: db.prisma, dialect, shop, runId: run.id, resource: "customers", ...source(fixtureJsonl(store, "customers")), batchSize: 50 });
    await importBulkJsonl({ sqliteFile, database, prisma: db.prisma, dialect, shop, runId: run.id, resource: "orders", ...source(fixtureJsonl(store, "orders")), batchSize: 40 });
    expect(await db.prisma.order.count({ where: { shop } })).toBe(400);
    expect(await db.prisma.orderLine.count({ where: { shop } })).toBe(store.lineCount - o.lines.length);
    const kept = await db.prisma.order.findUniqueOrThrow({ where: { shop_shopifyId: { shop, shopifyId: o.order.id } } });
    expect(kept.totalPrice.toFixed(2)).toBe("1.00");
    const others = await shopState(db.prisma, shop);
    const clean = await shopState(db.prisma, "clean-" + SHOP);
    expect(others.orders.filter((x) => x.shopifyId !== o.order.id)).toEqual(clean.orders.filter((x) => x.shopifyId !== o.order.id));
  });

  it("never lets an older export overwrite a newer order", async () => {
    const shop = "stale-" + SHOP;
    const run = await newRun(shop);
    const o = store.orders[0];
    const newer = { ...o.order, updatedAt: "2025-01-01T00:00:00Z", currentTotalPriceSet: { shopMoney: { amount: "1.00", currencyCode: "EUR" } } };
    await importBulkJsonl({ sqliteFile, database, prisma: db.prisma, dialect, shop, runId: run.id, resource: "orders", ...source([JSON.stringify(newer)]) });
    await importBulkJsonl({ sqliteFile, database, prisma: db.prisma, dialect, shop, runId: run.id, resource: "orders", ...source([JSON.stringify(o.order), ...o.lines.map((l) => JSON.stringify({ ...l, __parentId: o.order.id }))]) });
    const stored = await db.prisma.order.findFirstOrThrow({ where: { shop } });
    expect(stored.totalPrice.toFixed(2)).toBe("1.00");
  });

  it("rejects a malformed line with its line number and commits nothing of that batch", async () => {
    const shop = "bad-" + SHOP;
    const run = await newRun(shop);
    const lines = fixtureJsonl(store, "customers").slice(0, 5);
    lines[3] = lines[3].replace('"updatedAt":"2024-06-01T00:00:00Z"', '"updatedAt":"yesterday"');
    const error = await importBulkJsonl({ sqliteFile, database, prisma: db.prisma, dialect, shop, runId: run.id, resource: "customers", ...source(lines) }).catch((e) => e);
    expect(error).toBeInstanceOf(JsonlFormatError);
    expect(error.message).toBe("line 4: updatedAt: not a date-time: yesterday");
    expect(await db.prisma.customer.count({ where: { shop } })).toBe(0);
  });
});

describe("importBulkJsonl's parse thread (SQLite)", () => {
  let db: TestDatabase;
  let sqliteFile: string;
  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    if (db.config.dialect !== "sqlite") throw new Error("expected a SQLite test database");
    sqliteFile = db.config.filePath;
  });
  afterAll(async () => db?.drop());
  afterEach(() => vi.unstubAllEnvs());

  async function importOrders(shop: string, chunkSize?: number) {
    const run = await db.prisma.syncRun.create({ data: { shop, kind: "backfill" } });
    const base = { prisma: db.prisma, dialect: "sqlite" as const, shop, runId: run.id, sqliteFile, batchSize: 40 };
    await importBulkJsonl({ ...base, resource: "customers", jsonl: { chunks: rawChunks(fixtureJsonl(store, "customers"), chunkSize) } });
    return importBulkJsonl({ ...base, resource: "orders", jsonl: { chunks: rawChunks(fixtureJsonl(store, "orders"), chunkSize) } });
  }

  it("with SYNC_IMPORT_THREADS=0 imports on one thread, to the same state as with a parse thread", async () => {
    const threaded = await importOrders("threads-" + SHOP);
    vi.stubEnv("SYNC_IMPORT_THREADS", "0");
    const single = await importOrders("one-thread-" + SHOP);
    expect(threaded.parseThread).toBe(true);
    expect(single.parseThread).toBe(false);
    expect(single).toEqual({ ...threaded, parseThread: false });
    expect(await db.prisma.order.count({ where: { shop: "one-thread-" + SHOP } })).toBe(400);
    expect(await shopState(db.prisma, "one-thread-" + SHOP)).toEqual(await shopState(db.prisma, "threads-" + SHOP));
  });

  it("keeps multi-byte text exact when a download splits its characters across chunks", async () => {
    const shop = "utf8-" + SHOP;
    const run = await db.prisma.syncRun.create({ data: { shop, kind: "backfill" } });
    const names = ["Zoë", "Łódź 東京", "😀 Ünïcödé"];
    const lines = fixtureJsonl(store, "customers")
      .slice(0, names.length)
      .map((line, i) => JSON.stringify({ ...JSON.parse(line), firstName: names[i] }));
    // One byte per chunk: every multi-byte character is split.
    const result = await importBulkJsonl({ prisma: db.prisma, dialect: "sqlite", shop, runId: run.id, sqliteFile, resource: "customers", jsonl: { chunks: rawChunks(lines, 1) } });
    expect(result).toMatchObject({ parseThread: true, objects: 3, linesProcessed: 3 });
    const stored = await db.prisma.customer.findMany({ where: { shop }, orderBy: { shopifyId: "asc" }, select: { firstName: true } });
    expect(stored.map((c) => c.firstName).sort()).toEqual([...names].sort());
  });
});
