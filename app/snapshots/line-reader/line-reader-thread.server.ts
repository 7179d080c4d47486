/**
 * The recompute's second thread (docs/decisions/044-line-reader-thread.md): a worker reads the
 * shop's order lines from its own connection while the main thread reads the orders, and hands
 * them over a page at a time. Both connections read one moment of the database. On PostgreSQL
 * the worker imports the main thread's exported snapshot. Two SQLite connections cannot share a
 * read snapshot, so both start theirs while a third connection holds the write lock: no write
 * can commit between the two starts. Writers wait only for the two first reads.
 *
 * Pages are taken synchronously (a shared signal and `receiveMessageOnPort`): the main thread
 * merges them into the orders inside its own synchronous read transaction.
 *
 * Where the worker's code comes from: the production build emits it as its own file next to the
 * server bundle (vite.config.ts); in development and tests the TypeScript source is loaded
 * through tsx, as for the import's parse thread (decision 013).
 */
import { existsSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import Database from "better-sqlite3";
import { whenSqliteWriteLockFree } from "~/db/bulk-connections.server";
import { SQLITE_BUSY_TIMEOUT_MS } from "~/db/sqlite-pragmas";
import { log } from "~/log.server";
import type { LineColumns, LineProduct } from "~/analytics/dataset/dataset-builder";
import { LINE_READER_BUNDLE, LinesOutOfOrderError, type FromLineReader, type GenerationsDeleted, type StoredLineProduct } from "./line-reader-protocol";

const LINE_READER_SOURCE = "line-reader-worker.ts";
/** A reader that sends nothing for this long has died (its error events cannot reach a blocked thread). */
const SILENCE_MS = 60_000;
/** A reader not loaded by then is given up (the load runs on one thread). */
const START_MS = 20_000;

/** A stored line's product as the analytics core names it: by its Shopify id, else its title. */
export function lineProductOf([productShopifyId, title, productType]: StoredLineProduct): LineProduct {
  return { productId: productShopifyId ?? title ?? "", title: title ?? undefined, productType: productType ?? undefined };
}

/**
 * A started line reader: begin its snapshot, then `find` each order's lines in (orderId, id)
 * order; they are `lines` from `from` up to `to`, columns the dataset builder reads as they are.
 */
export class LineReaderThread {
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private readonly catalog: LineProduct[] = [];
  private page: Extract<FromLineReader, { type: "page" }> | null = null;
  private at = 0;
  private ended = false;
  /** The page in hand as columns (set by `find` and `peekOrderId`). */
  lines: LineColumns = { products: [], quantities: [], revenues: [], catalog: this.catalog };
  /** The range of `lines` the last `find` found. */
  from = 0;
  to = 0;

  private constructor(worker: (data: unknown, transfer: MessagePort[]) => Worker) {
    const channel = new MessageChannel();
    this.port = channel.port1;
    this.worker = worker({ port: channel.port2, signal: this.signal.buffer }, [channel.port2]);
    // A failing worker also says so on the port; the exit of a finished one is expected.
    this.worker.on("error", () => {});
  }

  /**
   * Starts a reader, or returns null (the caller reads the lines itself) when none can start or
   * RECOMPUTE_THREADS=0. Waits for it to load without blocking the event loop.
   */
  static async start(): Promise<LineReaderThread | null> {
    if (process.env.RECOMPUTE_THREADS === "0") return null;
    let thread: LineReaderThread | null = null;
    try {
      const create = workerFactory();
      if (!create) return null;
      thread = new LineReaderThread(create);
      const deadline = Date.now() + START_MS;
      for (let seen = Atomics.load(thread.signal, 0); seen === 0; seen = Atomics.load(thread.signal, 0)) {
        if (Date.now() > deadline) throw new Error(`not ready within ${START_MS / 1000} s`);
        await sleep(5);
      }
      thread.expect("ready");
      return thread;
    } catch (error) {
      log("warn", "recompute.single-thread", { reason: `the line reader did not start (${(error as Error).message})` });
      thread?.stop();
      return null;
    }
  }

  /**
   * Starts the reader's snapshot at the moment of the caller's: `startOwn` runs the caller's first
   * read (it must be inside a read transaction) while `guard` holds the write lock; the guard is
   * released once the reader holds its snapshot too.
   */
  beginTogether(guard: WriteLockGuard, filePath: string, shop: string, startOwn: () => void, deleteGenerations: readonly number[] = []): void {
    try {
      startOwn();
      this.port.postMessage({ type: "begin", filePath, shop, busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS, deleteGenerations });
      this.expect("began");
    } finally {
      guard.release();
    }
  }

  /**
   * Starts the reader in the caller's PostgreSQL transaction snapshot (from `pg_export_snapshot()`;
   * it stays importable while the caller's transaction is open).
   */
  beginInSnapshot(settings: { connectionString: string; options?: string }, snapshot: string, shop: string): void {
    this.port.postMessage({ type: "begin-postgresql", ...settings, snapshot, shop });
    this.expect("began");
  }

  /** The order id of the next line, or null after the last. */
  peekOrderId(): number | null {
    while (this.page === null || this.at >= this.page.length) {
      if (this.ended) return null;
      const message = this.receive();
      if (message.type === "end") {
        this.ended = true;
        this.page = null;
      } else if (message.type === "page") {
        for (const product of message.newProducts) this.catalog.push(lineProductOf(product));
        this.page = message;
        this.lines = { products: message.products, quantities: message.quantities, revenues: message.amounts, catalog: this.catalog };
        this.at = 0;
      } else throw new Error(`unexpected message from the line reader: ${message.type}`);
    }
    return this.page.orderIds[this.at];
  }

  /**
   * Finds the lines of order `orderId` (ids asked in increasing order), passing over lines of
   * orders before it (deleted orders): `lines` from `from` up to `to`, none when from = to. The
   * reader never splits an order's lines between pages.
   */
  find(orderId: number): void {
    let next = this.peekOrderId();
    while (next !== null && next < orderId) {
      const ids = this.page!.orderIds;
      const length = this.page!.length;
      while (this.at < length && ids[this.at] < orderId) this.at++;
      next = this.peekOrderId();
    }
    this.from = this.at;
    if (next === orderId) {
      const ids = this.page!.orderIds;
      const length = this.page!.length;
      while (this.at < length && ids[this.at] === orderId) this.at++;
    }
    this.to = this.at;
  }

  /**
   * After the last line: the generations the reader deleted (`beginTogether`'s
   * `deleteGenerations`), awaited without blocking the event loop (a Prisma transaction of this
   * process may hold the write lock the reader waits for). Never rejects: a failure is in `error`.
   */
  async generationsDeleted(): Promise<GenerationsDeleted> {
    try {
      for (;;) {
        const { type, ...deleted } = await this.receiveAsync();
        if (type === "deleted") return deleted as GenerationsDeleted;
      }
    } catch (error) {
      return { snapshotIds: [], ms: 0, error: (error as Error).message };
    }
  }

  stop(): void {
    this.port.close();
    void this.worker.terminate();
  }

  private expect(type: FromLineReader["type"]): void {
    const message = this.receive();
    if (message.type !== type) throw new Error(`expected "${type}" from the line reader, got "${message.type}"`);
  }

  /** The next message, waiting on this thread (the merge runs inside a synchronous read transaction). */
  private receive(): FromLineReader {
    const deadline = Date.now() + SILENCE_MS;
    for (;;) {
      const seen = Atomics.load(this.signal, 0);
      const message = this.take();
      if (message) return message;
      const left = deadline - Date.now();
      if (left <= 0) throw silence();
      Atomics.wait(this.signal, 0, seen, left);
    }
  }

  /** The next message, waiting without blocking the event loop. */
  private async receiveAsync(): Promise<FromLineReader> {
    for (;;) {
      const seen = Atomics.load(this.signal, 0);
      const message = this.take();
      if (message) return message;
      const waited = Atomics.waitAsync(this.signal, 0, seen, SILENCE_MS);
      if ((waited.async ? await waited.value : waited.value) === "timed-out") throw silence();
    }
  }

  /** A message already sent, or null; a reader's failure is thrown. */
  private take(): FromLineReader | null {
    const received = receiveMessageOnPort(this.port);
    if (!received) return null;
    const message = received.message as FromLineReader;
    if (message.type === "failed") throw message.outOfOrder ? new LinesOutOfOrderError(message.message) : new Error(`the line reader failed: ${message.message}`);
    return message;
  }
}

const silence = () => new Error(`the line reader sent nothing for ${SILENCE_MS / 1000} s`);

/**
 * The write lock of a SQLite file, held by a connection of its own: taken without blocking this
 * thread (another writer in this process may need the event loop to finish), released at once.
 */
export class WriteLockGuard {
  private constructor(private readonly db: Database.Database) {}

  static async take(filePath: string): Promise<WriteLockGuard> {
    const db = new Database(filePath, { timeout: 0, fileMustExist: true });
    try {
      await whenSqliteWriteLockFree(db, () => db.exec("BEGIN IMMEDIATE"));
      return new WriteLockGuard(db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  release(): void {
    if (!this.db.open) return;
    this.db.exec("ROLLBACK");
    this.db.close();
  }
}

function workerFactory(): ((data: unknown, transfer: MessagePort[]) => Worker) | null {
  // Names in variables: Vite would otherwise treat `new URL("…", import.meta.url)` as an asset to bundle.
  const bundleName = LINE_READER_BUNDLE;
  const sourceName = LINE_READER_SOURCE;
  const bundle = new URL(bundleName, import.meta.url);
  if (bundle.protocol === "file:" && existsSync(fileURLToPath(bundle))) return (workerData, transferList) => new Worker(bundle, { workerData, transferList });
  const source = new URL(sourceName, import.meta.url);
  if (source.protocol !== "file:" || !existsSync(fileURLToPath(source))) return null;
  // Development and tests run TypeScript: the worker registers tsx's loader, then loads the source.
  const script = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(source.href)}); });`;
  return (workerData, transferList) => new Worker(script, { eval: true, workerData, transferList });
}
