/**
 * The recompute's line reader (a worker_threads entry, started by line-reader-thread.server.ts):
 * reads one shop's order lines from its own SQLite connection, in (orderId, id) order, and hands
 * them to the main thread a page at a time as typed arrays, while the main thread reads the
 * orders. Each message is followed by a tick of the shared signal, because the main thread
 * takes pages synchronously (it merges them inside its own read transaction).
 */
import Database from "better-sqlite3";
import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import { LINES_PER_PAGE, type FromLineReader, type LineProduct, type ToLineReader } from "./line-reader-protocol";

/**
 * Lines in (orderId, id) order from their (orderId) index: the unary plus keeps the planner off
 * the shop-led indexes, through which it fetched every line at random and then sorted them all
 * (decision 043).
 */
const LINES_SQL = `SELECT "orderId", "productShopifyId", "title", "productType", "quantity", CAST("amount" AS REAL)
  FROM "OrderLine" WHERE +"shop" = ? ORDER BY "orderId", "id"`;

type LineRecord = [orderId: number, productShopifyId: string | null, title: string | null, productType: string | null, quantity: number | null, amount: number | null];

const { port, signal: shared } = workerData as { port: MessagePort; signal: SharedArrayBuffer };
const signal = new Int32Array(shared);
if (!parentPort || !port) throw new Error("line-reader-worker.ts runs as a worker thread");

function post(message: FromLineReader, transfer: ArrayBuffer[] = []) {
  port.postMessage(message, transfer);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

port.on("message", (message: ToLineReader) => {
  try {
    read(message);
  } catch (error) {
    post({ type: "failed", message: (error as Error)?.message ?? String(error) });
  }
  port.close();
});
post({ type: "ready" });

function read({ filePath, shop, busyTimeoutMs }: ToLineReader) {
  const db = new Database(filePath, { timeout: busyTimeoutMs, fileMustExist: true });
  try {
    // Read in sequence once: no memory map (it would add every page passed to the resident memory).
    db.pragma("mmap_size = 0");
    db.exec("BEGIN");
    const lines = db.prepare(LINES_SQL).raw(true).iterate(shop) as IterableIterator<LineRecord>;
    // The first step takes the snapshot (SQLite starts a read transaction at its first read).
    let next = lines.next();
    post({ type: "began" });
    const productIndex = new Map<string, number>();
    const lastByProductId = new Map<string | null, { index: number; title: string | null; productType: string | null }>();
    let newProducts: LineProduct[] = [];
    let page = newPage();
    let n = 0;
    const send = () => {
      const { orderIds, products, quantities, amounts } = page;
      post({ type: "page", length: n, orderIds, products, quantities, amounts, newProducts }, [orderIds.buffer, products.buffer, quantities.buffer, amounts.buffer]);
      newProducts = [];
      page = newPage();
      n = 0;
    };
    for (; !next.done; next = lines.next()) {
      const [orderId, productShopifyId, title, productType, quantity, amount] = next.value;
      // Most lines name a product by the same id, title and type as its last line: no key string built.
      const last = lastByProductId.get(productShopifyId);
      let product: number;
      if (last !== undefined && last.title === title && last.productType === productType) product = last.index;
      else {
        const key = `${productShopifyId}\u0000${title}\u0000${productType}`;
        let index = productIndex.get(key);
        if (index === undefined) {
          index = productIndex.size;
          productIndex.set(key, index);
          newProducts.push([productShopifyId, title, productType]);
        }
        lastByProductId.set(productShopifyId, { index, title, productType });
        product = index;
      }
      page.orderIds[n] = orderId;
      page.products[n] = product;
      page.quantities[n] = Number(quantity);
      page.amounts[n] = Number(amount);
      if (++n === LINES_PER_PAGE) send();
    }
    if (n > 0 || newProducts.length > 0) send();
    db.exec("COMMIT");
    post({ type: "end" });
  } finally {
    db.close();
  }
}

function newPage() {
  return { orderIds: new Float64Array(LINES_PER_PAGE), products: new Int32Array(LINES_PER_PAGE), quantities: new Float64Array(LINES_PER_PAGE), amounts: new Float64Array(LINES_PER_PAGE) };
}
