/**
 * Loads a shop's orders, their lines and its customers from the database into the analytics
 * core's columnar dataset, as streamed rows (issue "Large stores" §1): orders and their lines
 * as two streams in order id order, merged here (on SQLite prepared statements iterated in raw
 * mode on the file's own connection, on PostgreSQL server-side cursors fetched in pages of
 * arrays), then customers, all inside one read snapshot so orders and customers agree. Memory is bounded by the dataset, not by ORM objects (Prisma took 83 s for 1M orders
 * with their lines; bench/RESULTS.md "Recompute").
 *
 * Revenue of an order is on the shop's basis (METRICS.md "Inputs"): its current total, or its
 * net sales. An order whose net sales are unknown (stored before the app read them) counts at
 * its current total, never as 0, and the result says how many did (docs/decisions/009).
 */
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { createDatasetBuilder, type LineItemRow, type PurchaseRow, type StoreDataset } from "~/analytics/dataset/dataset-builder";
import { CopyTextRows } from "~/db/copy-text-rows";
import { inPostgresTransaction, postgresBulkPool, postgresConnectionSettings, sqliteBulkConnection } from "~/db/bulk-connections.server";
import type { DatabaseConfig } from "~/db/database-url";
import type { Database } from "~/db.server";
import type { RevenueBasis } from "~/settings/schema";
import { orderRevenue } from "~/settings/snapshot-revenue";
import { lineProductOf, LineReaderThread, WriteLockGuard } from "./line-reader/line-reader-thread.server";
import { postgresLinesSql, SQLITE_LINES_SQL, type GenerationsDeleted, type LineRecord } from "./line-reader/line-reader-protocol";
import { ShopTimeZoneOffsets } from "./shop-time-zone-offsets";

export interface LoadedStore {
  dataset: StoreDataset;
  /**
   * `Customer.id` of each loaded customer by their index in the dataset (`customerIds`; none for
   * a customer known only from orders): the keys the write gives their profiles, read here with
   * the customers instead of once more by the write (0.25–0.33 s at 1M orders), and by index, not
   * in a map by Shopify id (0.15–0.2 s more).
   */
  customerRowIds: readonly (number | undefined)[];
  /** Counted orders read at their current total on the net-sales basis (their net sales are unknown). */
  ordersWithoutNetSales: number;
  /**
   * The generations asked to be deleted while loading (`deleteGenerations`), once the line reader
   * has deleted them after the lines, or could not; null when none were, or no reader ran.
   */
  generationsDeleted: Promise<GenerationsDeleted> | null;
}

/** One order row joined with one of its lines (line columns null for an order without lines). */
type OrderLineRecord = [
  orderId: number,
  customerShopifyId: string | null,
  atMs: number,
  totalPrice: number,
  netSales: number | null,
  test: number | boolean,
  cancelled: number | boolean,
  source: string | null,
  channel: string | null,
  firstVisit: string | null,
  productShopifyId: string | null,
  title: string | null,
  productType: string | null,
  quantity: number | null,
  amount: number | null,
];
/** An order's own columns (the first ten of OrderLineRecord) and one line's columns after its order id. */
type OrderRecord = OrderLineRecord extends [...infer Head, unknown, unknown, unknown, unknown, unknown] ? Head : never;
type CustomerRecord = [shopifyId: string, createdAtMs: number | null, countryCode: string | null, province: string | null, city: string | null, emailMarketingState: string | null, tags: string, id: number];

const SQLITE_MS = (column: string) => `CAST(ROUND((julianday(${column}) - 2440587.5) * 86400000.0) AS INTEGER)`;
const POSTGRES_MS = (column: string) => `(extract(epoch from ${column}) * 1000)::float8`;

/**
 * Orders joined with their lines, in order id order (lines of one order are adjacent): in-memory SQLite and the per-customer load.
 * Read through Prisma as objects and taken apart by position (`Object.values`), so every column has its own
 * name: PostgreSQL names both COALESCEs "coalesce", and the object kept one key for the two, the first-visit
 * source in the source's place and every later column one place early (issue #17).
 */
function orderSql(ms: (c: string) => string, shopParam: string, number: string): string {
  return `SELECT o."id", o."customerShopifyId", ${ms(`COALESCE(o."processedAt", o."shopifyCreatedAt")`)} AS "atMs", CAST(o."totalPrice" AS ${number}) AS "totalPrice",
    CAST(o."netSales" AS ${number}) AS "netSales", o."test", o."cancelledAt" IS NOT NULL AS "cancelled", COALESCE(o."utmSource", o."sourceName") AS "source",
    o."channel", COALESCE(o."utmSource", o."firstVisitSource") AS "firstVisit",
    l."productShopifyId", l."title", l."productType", l."quantity", CAST(l."amount" AS ${number}) AS "amount"
  FROM "Order" o LEFT JOIN "OrderLine" l ON l."orderId" = o."id"
  WHERE o."shop" = ${shopParam} AND o."deletedAt" IS NULL
  ORDER BY o."id", l."id"`;
}

function customerSql(ms: (c: string) => string, shopParam: string): string {
  return `SELECT "shopifyId", ${ms(`"shopifyCreatedAt"`)}, "countryCode", "province", "city", "emailMarketingState", "tags", "id"
  FROM "Customer" WHERE "shop" = ${shopParam} AND "deletedAt" IS NULL`;
}

/**
 * SQLite scans the order table in rowid order (`NOT INDEXED`): the (shop, createdAt) index the
 * planner picks otherwise forces a sort of every row, six times slower at 100k orders
 * (bench/RESULTS.md "Recompute"); the scan passes other shops' rows, which an embedded
 * single-instance database has few of. Not `INDEXED BY`: that fails outright while a first import
 * has the index dropped (DEFERRABLE_ORDER_INDEXES); this falls back to a scan and a sort. The
 * lines' query is the reader's (line-reader-protocol.ts).
 */
const sqliteOrdersSql = `SELECT o."id", o."customerShopifyId", ${SQLITE_MS(`COALESCE(o."processedAt", o."shopifyCreatedAt")`)}, CAST(o."totalPrice" AS REAL), CAST(o."netSales" AS REAL),
    o."test", o."cancelledAt" IS NOT NULL, COALESCE(o."utmSource", o."sourceName"), o."channel", COALESCE(o."utmSource", o."firstVisitSource")
  FROM "Order" o NOT INDEXED WHERE o."shop" = ? AND o."deletedAt" IS NULL ORDER BY o."id"`;

/**
 * The same two streams on PostgreSQL: the orders as one `COPY … TO STDOUT` beside the line
 * reader (which takes no parameters: `shop` is then a literal quoted by the driver), else each
 * through its own server-side cursor (`shop` = "$1").
 */
const postgresOrdersSql = (shop: string) => `SELECT o."id", o."customerShopifyId", ${POSTGRES_MS(`COALESCE(o."processedAt", o."shopifyCreatedAt")`)}, o."totalPrice"::float8, o."netSales"::float8,
    o."test", o."cancelledAt" IS NOT NULL, COALESCE(o."utmSource", o."sourceName"), o."channel", COALESCE(o."utmSource", o."firstVisitSource")
  FROM "Order" o WHERE o."shop" = ${shop} AND o."deletedAt" IS NULL ORDER BY o."id"`;

/**
 * A server-side cursor read a page of arrays at a time; `next()` and `peek()` answer from the
 * page in hand (null when it is used up: then `fetch()`/`fetchPeek()` take the next page, null at
 * the end), so rows are not each awaited. The next page is asked for as soon as one arrives, so
 * the server reads it while this thread converts the one in hand (the two used to wait on each
 * other in turn).
 */
class PostgresCursor<Row> {
  /** Rows per page: two pages of each cursor are held at once (the one in hand and the next). */
  private static readonly PAGE = 10_000;
  private rows: Row[] = [];
  private at = 0;
  private ended = false;
  private coming: Promise<Row[]>;

  private constructor(
    private readonly client: pg.PoolClient,
    private readonly name: string,
  ) {
    this.coming = this.request();
  }

  static async open<Row>(client: pg.PoolClient, name: string, sql: string, shop: string): Promise<PostgresCursor<Row>> {
    await client.query(`DECLARE ${name} NO SCROLL CURSOR FOR ${sql}`, [shop]);
    return new PostgresCursor<Row>(client, name);
  }

  next(): Row | null {
    return this.at < this.rows.length ? this.rows[this.at++] : null;
  }

  peek(): Row | null {
    return this.at < this.rows.length ? this.rows[this.at] : null;
  }

  async fetch(): Promise<Row | null> {
    return (await this.fetchPeek()) === null ? null : this.next();
  }

  async fetchPeek(): Promise<Row | null> {
    while (this.at >= this.rows.length && !this.ended) {
      this.rows = await this.coming;
      this.at = 0;
      if (this.rows.length < PostgresCursor.PAGE) {
        this.ended = true;
        await this.client.query(`CLOSE ${this.name}`);
      } else {
        this.coming = this.request();
      }
    }
    return this.peek();
  }

  private request(): Promise<Row[]> {
    const page = this.client.query({ text: `FETCH ${PostgresCursor.PAGE} FROM ${this.name}`, rowMode: "array" }).then((result) => result.rows as Row[]);
    // A failure is thrown where the page is awaited; until then it is not an unhandled rejection.
    page.catch(() => {});
    return page;
  }
}

/**
 * Reads `shop`'s store into a dataset in the shop's time zone. On SQLite with a line reader, the
 * reader deletes the profiles of `deleteGenerations` after the lines, while this thread goes on
 * (decision 052): see `LoadedStore.generationsDeleted`.
 */
export async function loadStoreDataset(
  prisma: Database,
  database: DatabaseConfig,
  shop: string,
  revenueBasis: RevenueBasis,
  timeZone: string,
  options: { deleteGenerations?: readonly number[] } = {},
): Promise<LoadedStore> {
  const assembler = new DatasetAssembler(revenueBasis, timeZone);
  let generationsDeleted: Promise<GenerationsDeleted> | null = null;
  const sqlite = sqliteBulkConnection(database);
  const reader = sqlite || database.dialect === "postgresql" ? await LineReaderThread.start() : null;
  if (sqlite && reader) {
    // Lines on the reader's thread while this one reads the orders, both in one snapshot
    // (line-reader-thread.server.ts): orders, lines and customers of one moment.
    const deleteGenerations = options.deleteGenerations ?? [];
    let loaded = false;
    try {
      const guard = await WriteLockGuard.take(sqlite.name);
      sqlite.transaction(() => {
        const orders = sqlite.prepare(sqliteOrdersSql).raw(true).iterate(shop) as IterableIterator<OrderRecord>;
        let order: IteratorResult<OrderRecord> = { done: true, value: undefined };
        try {
          reader.beginTogether(guard, sqlite.name, shop, () => (order = orders.next()), deleteGenerations);
          for (; !order.done; order = orders.next()) assembler.orderWithLines(order.value, reader);
        } finally {
          // A failed merge (the reader's error) leaves the statement mid-way: reset it, or the
          // connection stays busy and cannot roll back nor run the next statement.
          orders.return?.();
        }
        for (const row of sqlite.prepare(customerSql(SQLITE_MS, "?")).raw(true).iterate(shop)) assembler.customer(row as CustomerRecord);
      }).deferred();
      loaded = true;
    } finally {
      // The reader stops once it has deleted what it was asked to (a failed load stops it at once:
      // a delete it had begun rolls back with its connection).
      if (loaded && deleteGenerations.length > 0) generationsDeleted = reader.generationsDeleted().finally(() => reader.stop());
      else reader.stop();
    }
  } else if (sqlite) {
    // One read transaction: the orders and customers are of one moment, while the sync writes on.
    // Orders and lines as two streams in order id order, merged here: a join would repeat the
    // order's columns on each of its lines (about twice the values to read at two lines an order).
    sqlite.transaction(() => {
      const orders = sqlite.prepare(sqliteOrdersSql).raw(true).iterate(shop) as IterableIterator<OrderRecord>;
      const lines = sqlite.prepare(SQLITE_LINES_SQL).raw(true).iterate(shop) as IterableIterator<LineRecord>;
      let line = lines.next();
      for (const order of orders) {
        const own: LineRecord[] = [];
        while (!line.done && line.value[0] < order[0]) line = lines.next(); // lines of a deleted order
        while (!line.done && line.value[0] === order[0]) {
          own.push(line.value);
          line = lines.next();
        }
        assembler.order(order, own);
      }
      for (const row of sqlite.prepare(customerSql(SQLITE_MS, "?")).raw(true).iterate(shop)) assembler.customer(row as CustomerRecord);
    }).deferred();
  } else if (database.dialect === "postgresql") {
    try {
      // One snapshot for orders, lines and customers: the lines are read on the reader's thread in
      // this transaction's exported snapshot, or without a reader through a third cursor here.
      await inPostgresTransaction(postgresBulkPool(database), "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", async (client) => {
        if (reader) {
          const snapshot = (await client.query<{ id: string }>("SELECT pg_export_snapshot() AS id")).rows[0].id;
          reader.beginInSnapshot(postgresConnectionSettings(database), snapshot, shop);
          // One row array, refilled: the assembler copies what it needs out of it.
          const order = new Array(10) as unknown as OrderRecord;
          const orders = new CopyTextRows(10, (row) => {
            order[0] = row.integer(0);
            order[1] = row.text(1);
            order[2] = row.number(2) as number;
            order[3] = row.number(3) as number;
            order[4] = row.number(4);
            order[5] = row.boolean(5) as boolean;
            order[6] = row.boolean(6) as boolean;
            order[7] = row.text(7);
            order[8] = row.text(8);
            order[9] = row.text(9);
            assembler.orderWithLines(order, reader);
          });
          for await (const chunk of client.query(copyTo(`COPY (${postgresOrdersSql(client.escapeLiteral(shop))}) TO STDOUT`))) orders.push(chunk as Buffer);
          orders.end();
        } else {
          const orders = await PostgresCursor.open<OrderRecord>(client, "orders", postgresOrdersSql("$1"), shop);
          const lines = await PostgresCursor.open<LineRecord>(client, "lines", postgresLinesSql("$1"), shop);
          for (let order = orders.next() ?? (await orders.fetch()); order !== null; order = orders.next() ?? (await orders.fetch())) {
            assembler.order(order, await cursorLinesOf(lines, order[0]));
          }
        }
        const customers = await PostgresCursor.open<CustomerRecord>(client, "customers", customerSql(POSTGRES_MS, "$1"), shop);
        for (let row = customers.next() ?? (await customers.fetch()); row !== null; row = customers.next() ?? (await customers.fetch())) assembler.customer(row);
      });
    } finally {
      reader?.stop();
    }
  } else {
    // An in-memory SQLite database exists only inside Prisma's connection (unit tests).
    const orders = await prisma.$queryRawUnsafe<Record<string, unknown>[]>(orderSql(SQLITE_MS, "?", "REAL"), shop);
    for (const row of orders) assembler.orderLine(Object.values(row) as OrderLineRecord);
    const customers = await prisma.$queryRawUnsafe<Record<string, unknown>[]>(customerSql(SQLITE_MS, "?"), shop);
    for (const row of customers) assembler.customer(Object.values(row) as CustomerRecord);
  }
  return { ...assembler.finish(), generationsDeleted };
}

/** The same from a lines cursor (PostgreSQL without a reader thread). */
async function cursorLinesOf(lines: PostgresCursor<LineRecord>, orderId: number): Promise<LineRecord[]> {
  const own: LineRecord[] = [];
  for (let line = lines.peek() ?? (await lines.fetchPeek()); line !== null && line[0] <= orderId; line = lines.peek() ?? (await lines.fetchPeek())) {
    lines.next();
    if (line[0] === orderId) own.push(line);
  }
  return own;
}

/** Turns joined order-line rows (sorted by order) and customer rows into the dataset. */
class DatasetAssembler {
  private readonly builder = createDatasetBuilder();
  private readonly customerRowIds: number[] = [];
  private readonly offsets: ShopTimeZoneOffsets;
  private currentOrder: OrderLineRecord | null = null;
  private lines: LineItemRow[] = [];
  private ordersWithoutNetSales = 0;

  constructor(
    private readonly revenueBasis: RevenueBasis,
    timeZone: string,
  ) {
    this.offsets = new ShopTimeZoneOffsets(timeZone);
  }

  /** One row of orders joined with their lines, sorted by order (PostgreSQL, in-memory SQLite). */
  orderLine(row: OrderLineRecord): void {
    if (this.currentOrder === null || this.currentOrder[0] !== row[0]) {
      this.flushOrder();
      this.currentOrder = row;
    }
    if (row[10] !== null || row[11] !== null) this.lines.push(lineItem(row[10], row[11], row[12], row[13], row[14]));
  }

  /** One order with its lines (SQLite's two streams). */
  order(order: OrderRecord, lines: readonly LineRecord[]): void {
    this.addOrder(order, lines.map((l) => lineItem(l[1], l[2], l[3], l[4], l[5])));
  }

  /** One order with its lines from the line reader's pages, as columns (no object per line). */
  orderWithLines(order: OrderRecord, reader: LineReaderThread): void {
    reader.find(order[0]);
    this.builder.addWithLines(this.purchaseRow(order, undefined), reader.lines, reader.from, reader.to);
  }

  customer(row: CustomerRecord): void {
    const index = this.builder.addCustomer({
      customerId: row[0],
      createdAt: row[1] === null ? null : Number(row[1]),
      country: row[2],
      province: row[3],
      city: row[4],
      emailMarketingConsent: row[5] == null ? null : row[5] === "SUBSCRIBED",
      tags: JSON.parse(row[6]) as string[],
    });
    this.customerRowIds[index] = Number(row[7]);
  }

  finish(): Omit<LoadedStore, "generationsDeleted"> {
    this.flushOrder();
    return { dataset: this.builder.build(), customerRowIds: this.customerRowIds, ordersWithoutNetSales: this.ordersWithoutNetSales };
  }

  private flushOrder(): void {
    if (this.currentOrder === null) return;
    this.addOrder(this.currentOrder, this.lines);
    this.lines = [];
    this.currentOrder = null;
  }

  private addOrder(o: OrderRecord | OrderLineRecord, lineItems: LineItemRow[]): void {
    this.builder.add(this.purchaseRow(o, lineItems));
  }

  /** The order as the core's row, counted when its net sales are unknown. */
  private purchaseRow(o: OrderRecord | OrderLineRecord, lineItems: LineItemRow[] | undefined): PurchaseRow {
    const { row, withoutNetSales } = purchaseRowOf(o, lineItems, this.revenueBasis, this.offsets);
    if (withoutNetSales) this.ordersWithoutNetSales++;
    return row;
  }
}

/**
 * One stored order as the core's purchase row: the one conversion the whole-store load and the
 * per-customer load (loadCustomerPurchases) share, so a customer scored alone sees the same orders.
 * `withoutNetSales`: a counted order on the net-sales basis whose net sales are unknown.
 */
function purchaseRowOf(o: OrderRecord | OrderLineRecord, lineItems: LineItemRow[] | undefined, revenueBasis: RevenueBasis, offsets: ShopTimeZoneOffsets): { row: PurchaseRow; withoutNetSales: boolean } {
  const at = Number(o[2]);
  const test = Boolean(o[5]);
  const cancelled = Boolean(o[6]);
  const revenue = orderRevenue(revenueBasis, Number(o[3]), o[4] === null ? null : Number(o[4]));
  // Only orders that count change a figure.
  const withoutNetSales = revenueBasis === "net_sales" && o[4] === null && !test && !cancelled;
  return { row: { customerId: o[1], at, utcOffsetMinutes: offsets.at(at), revenue, source: o[7], channel: o[8], firstVisit: o[9], test, cancelled, lineItems }, withoutNetSales };
}

/**
 * The orders (with lines) of a few customers, as the whole-store load would read them: the
 * per-order refresh (refresh-profiles.server.ts) scores each customer alone from these.
 */
export async function loadCustomerPurchases(prisma: Database, dialect: DatabaseConfig["dialect"], shop: string, customerShopifyIds: readonly string[], revenueBasis: RevenueBasis, timeZone: string): Promise<Map<string, PurchaseRow[]>> {
  const byCustomer = new Map<string, PurchaseRow[]>();
  if (customerShopifyIds.length === 0) return byCustomer;
  const postgres = dialect === "postgresql";
  const ids = customerShopifyIds.map((_, i) => (postgres ? `$${i + 2}` : "?")).join(", ");
  const sql = orderSql(postgres ? POSTGRES_MS : SQLITE_MS, postgres ? "$1" : "?", postgres ? "float8" : "REAL").replace(
    `AND o."deletedAt" IS NULL`,
    `AND o."deletedAt" IS NULL AND o."customerShopifyId" IN (${ids})`,
  );
  const records = await prisma.$queryRawUnsafe<Record<string, unknown>[]>(sql, shop, ...customerShopifyIds);
  const offsets = new ShopTimeZoneOffsets(timeZone);
  const flush = (order: OrderLineRecord | null, lines: LineItemRow[]) => {
    if (order === null) return;
    const { row } = purchaseRowOf(order, lines, revenueBasis, offsets);
    const list = byCustomer.get(row.customerId!) ?? [];
    list.push(row);
    byCustomer.set(row.customerId!, list);
  };
  let current: OrderLineRecord | null = null;
  let lines: LineItemRow[] = [];
  for (const record of records) {
    const row = Object.values(record) as OrderLineRecord;
    if (current === null || current[0] !== row[0]) {
      flush(current, lines);
      current = row;
      lines = [];
    }
    if (row[10] !== null || row[11] !== null) lines.push(lineItem(row[10], row[11], row[12], row[13], row[14]));
  }
  flush(current, lines);
  return byCustomer;
}

function lineItem(productShopifyId: string | null, title: string | null, productType: string | null, quantity: number | null, amount: number | null): LineItemRow {
  return { ...lineProductOf([productShopifyId, title, productType]), quantity: Number(quantity), revenue: Number(amount) };
}
