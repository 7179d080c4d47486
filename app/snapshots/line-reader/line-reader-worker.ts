/**
 * The recompute's line reader (a worker_threads entry, started by line-reader-thread.server.ts):
 * reads one shop's order lines from its own SQLite connection, in (orderId, id) order, and hands
 * them to the main thread a page at a time as typed arrays, while the main thread reads the
 * orders. Each message is followed by a tick of the shared signal, because the main thread
 * takes pages synchronously (it merges them inside its own read transaction).
 */
import Database from "better-sqlite3";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import { CopyTextRows } from "~/db/copy-text-rows";
import { applySqliteConnectionPragmas, BULK_SQLITE_CACHE_KIB } from "~/db/sqlite-pragmas";
import { deleteGenerationRows } from "../sqlite-generation-rows";
import {
  LINES_ORDER_INDEX, LINES_PER_PAGE, LinesOutOfOrderError, postgresLinesSql, SQLITE_LINES_IN_ROW_ORDER_SQL, SQLITE_LINES_SQL,
  type FromLineReader, type LineRecord, type StoredLineProduct, type ToLineReader,
} from "./line-reader-protocol";

const { port, signal: shared } = workerData as { port: MessagePort; signal: SharedArrayBuffer };
const signal = new Int32Array(shared);
if (!parentPort || !port) throw new Error("line-reader-worker.ts runs as a worker thread");

function post(message: FromLineReader, transfer: ArrayBuffer[] = []) {
  port.postMessage(message, transfer);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

port.on("message", (message: ToLineReader) => {
  const reading = message.type === "begin" ? Promise.resolve().then(() => read(message)) : readPostgres(message);
  reading
    .catch((error: unknown) =>
      post({ type: "failed", message: (error as Error)?.message ?? String(error), ...(error instanceof LinesOutOfOrderError ? { outOfOrder: true as const } : {}) }),
    )
    .finally(() => port.close());
});
post({ type: "ready" });

function read({ filePath, shop, busyTimeoutMs, deleteGenerations }: Extract<ToLineReader, { type: "begin" }>) {
  const db = new Database(filePath, { timeout: busyTimeoutMs, fileMustExist: true });
  try {
    // The app's connection settings (secure_delete above all: deleted profiles are zeroed, decision 018).
    applySqliteConnectionPragmas(db);
    db.pragma(`busy_timeout = ${Number(busyTimeoutMs)}`);
    // Read in sequence once: no memory map (it would add every page passed to the resident memory).
    db.pragma("mmap_size = 0");
    db.exec("BEGIN");
    // This first read takes the snapshot (SQLite starts a read transaction at its first read).
    const indexed = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?`).pluck().get(LINES_ORDER_INDEX) !== undefined;
    const lines = db.prepare(indexed ? SQLITE_LINES_SQL : SQLITE_LINES_IN_ROW_ORDER_SQL).raw(true).iterate(shop) as IterableIterator<LineRecord>;
    let next = lines.next();
    post({ type: "began" });
    const pages = new LinePages(!indexed);
    try {
      for (; !next.done; next = lines.next()) pages.add(next.value);
    } finally {
      // Stopped mid-way (lines out of order): reset the statement, so the connection can close.
      lines.return?.();
    }
    pages.flush();
    db.exec("COMMIT");
    post({ type: "end" });
    if (deleteGenerations?.length) deleteGenerationsAfterLines(db, deleteGenerations);
  } finally {
    db.close();
  }
}

/**
 * Deletes the given generations' profiles, one transaction each, on this thread while the main
 * thread still reads or analyses (decision 052). This thread may wait for the write lock (its busy
 * timeout); a generation not deleted here is left to the prune after the switch, which deletes the
 * same ones.
 */
function deleteGenerationsAfterLines(db: Database.Database, snapshotIds: readonly number[]) {
  const started = performance.now();
  const deleted: number[] = [];
  let error: string | undefined;
  // A page cache as large as the bulk connection's: the delete rewrites the pages of the table and its indexes.
  db.pragma(`cache_size = -${BULK_SQLITE_CACHE_KIB}`);
  try {
    for (const id of snapshotIds) {
      db.transaction(() => deleteGenerationRows(db, id)).immediate();
      deleted.push(id);
    }
  } catch (failure) {
    error = (failure as Error)?.message ?? String(failure);
  }
  post({ type: "deleted", snapshotIds: deleted, ms: Math.round(performance.now() - started), ...(error === undefined ? {} : { error }) });
}

/**
 * The same on PostgreSQL, in the main thread's snapshot: one `COPY (…) TO STDOUT`, its bytes
 * parsed here (app/db/copy-text-rows.ts) instead of a cursor's rows through the driver.
 */
async function readPostgres({ connectionString, options, snapshot, shop }: Extract<ToLineReader, { type: "begin-postgresql" }>) {
  const client = new pg.Client({ connectionString, options });
  await client.connect();
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    await client.query(`SET TRANSACTION SNAPSHOT '${snapshot.replace(/'/g, "''")}'`);
    post({ type: "began" });
    const pages = new LinePages();
    // orderId, productShopifyId, title, productType, quantity, amount: a product is keyed by its
    // three fields' text and decoded when first seen; a null quantity or amount reads as 0, as on SQLite.
    const product = (): StoredLineProduct => [parser.text(1), parser.text(2), parser.text(3)];
    const parser = new CopyTextRows(6, (row) => pages.line(row.integer(0), row.rawSpan(1, 3), row.number(4) ?? 0, row.number(5) ?? 0, product));
    for await (const chunk of client.query(copyTo(`COPY (${postgresLinesSql(client.escapeLiteral(shop))}) TO STDOUT`))) parser.push(chunk as Buffer);
    parser.end();
    pages.flush();
    await client.query("COMMIT");
    post({ type: "end" });
  } finally {
    await client.end();
  }
}

/**
 * Lines into pages of typed arrays, each product named once (by index after its first page). A
 * page is sent at the first order boundary after LINES_PER_PAGE lines: the main thread reads an
 * order's lines as one range of one page.
 */
class LinePages {
  /** @param checkOrder lines read in row order: one of an earlier order than the last throws LinesOutOfOrderError. */
  constructor(private readonly checkOrder = false) {}

  private readonly productIndex = new Map<string, number>();
  private readonly lastByProductId = new Map<string | null, { index: number; title: string | null; productType: string | null }>();
  private newProducts: StoredLineProduct[] = [];
  private page = LinePages.empty(LINES_PER_PAGE);
  private n = 0;
  private lastOrderId = -1;

  add([orderId, productShopifyId, title, productType, quantity, amount]: LineRecord): void {
    // Most lines name a product by the same id, title and type as its last line: no key string built.
    const last = this.lastByProductId.get(productShopifyId);
    let product: number;
    if (last !== undefined && last.title === title && last.productType === productType) product = last.index;
    else {
      const index = this.productOf(`${productShopifyId}\u0000${title}\u0000${productType}`, () => [productShopifyId, title, productType]);
      this.lastByProductId.set(productShopifyId, { index, title, productType });
      product = index;
    }
    this.addLine(orderId, product, Number(quantity), Number(amount));
  }

  /** A line from COPY's bytes (PostgreSQL), its product keyed by its fields' text. */
  line(orderId: number, productKey: string, quantity: number, amount: number, product: () => StoredLineProduct): void {
    this.addLine(orderId, this.productOf(productKey, product), quantity, amount);
  }

  /** The index of the product named by `key`; a new one is sent with the next page. */
  private productOf(key: string, product: () => StoredLineProduct): number {
    let index = this.productIndex.get(key);
    if (index === undefined) {
      index = this.productIndex.size;
      this.productIndex.set(key, index);
      this.newProducts.push(product());
    }
    return index;
  }

  private addLine(orderId: number, product: number, quantity: number, amount: number): void {
    if (orderId !== this.lastOrderId) {
      if (this.checkOrder && orderId < this.lastOrderId) throw new LinesOutOfOrderError(`the lines are not in row order: a line of order ${orderId} after a line of order ${this.lastOrderId}`);
      if (this.n >= LINES_PER_PAGE) this.send();
      this.lastOrderId = orderId;
    } else if (this.n === this.page.orderIds.length) {
      this.page = LinePages.grown(this.page);
    }
    const n = this.n++;
    this.page.orderIds[n] = orderId;
    this.page.products[n] = product;
    this.page.quantities[n] = quantity;
    this.page.amounts[n] = amount;
  }

  /** Sends what is left. */
  flush(): void {
    if (this.n > 0 || this.newProducts.length > 0) this.send();
  }

  private send(): void {
    const { orderIds, products, quantities, amounts } = this.page;
    post({ type: "page", length: this.n, orderIds, products, quantities, amounts, newProducts: this.newProducts }, [orderIds.buffer, products.buffer, quantities.buffer, amounts.buffer]);
    this.newProducts = [];
    this.page = LinePages.empty(LINES_PER_PAGE);
    this.n = 0;
  }

  private static empty(size: number) {
    return { orderIds: new Float64Array(size), products: new Int32Array(size), quantities: new Float64Array(size), amounts: new Float64Array(size) };
  }

  /** The page with twice the room, its lines kept (one order of more lines than a page). */
  private static grown(page: ReturnType<typeof LinePages.empty>) {
    const next = LinePages.empty(page.orderIds.length * 2);
    next.orderIds.set(page.orderIds);
    next.products.set(page.products);
    next.quantities.set(page.quantities);
    next.amounts.set(page.amounts);
    return next;
  }
}
