/**
 * Messages between the recompute's load (load-store-dataset.server.ts, the main thread) and its
 * line reader (line-reader-worker.ts), which reads a shop's order lines on a second thread
 * from its own connection to the same SQLite file, inside a read snapshot shared with the main
 * thread's (docs/decisions/044-line-reader-thread.md).
 */

/** The line reader's file in the production build (build/server/, next to index.js; vite.config.ts emits it). */
export const LINE_READER_BUNDLE = "recompute-line-reader.js";

/**
 * Lines per page handed over: a page is four typed arrays (28 bytes a line) and the products
 * first seen in it. A page ends with an order's last line, so it can hold more (an order of
 * more lines than this is one page of its own). Tests set RECOMPUTE_LINES_PER_PAGE to cross
 * pages in a small store.
 */
export const LINES_PER_PAGE = Number(process.env.RECOMPUTE_LINES_PER_PAGE) || 65_536;

export type ToLineReader =
  /**
   * SQLite: start the read snapshot now (the main thread holds the write lock, so both see one
   * moment). After the lines, delete the profiles of `deleteGenerations` (generations no reader
   * reaches once this recompute switches, decision 052) while the main thread loads and analyses.
   */
  | { type: "begin"; filePath: string; shop: string; busyTimeoutMs: number; deleteGenerations?: readonly number[] }
  /** PostgreSQL: read in the main thread's transaction snapshot (`pg_export_snapshot()`). */
  | { type: "begin-postgresql"; connectionString: string; options?: string; snapshot: string; shop: string };

/**
 * The order lines of one shop in (orderId, id) order, as the recompute's load reads them (on the
 * reader's thread, or on the main thread without one). SQLite: from their (orderId) index; the
 * unary plus keeps the planner off the shop-led indexes, through which it fetched every line at
 * random and then sorted them all (1.57 against 1.10 s for 2M lines, decision 043).
 */
export const SQLITE_LINES_SQL = `SELECT "orderId", "productShopifyId", "title", "productType", "quantity", CAST("amount" AS REAL)
  FROM "OrderLine" WHERE +"shop" = ? ORDER BY "orderId", "id"`;

/**
 * The index SQLITE_LINES_SQL walks. A first import leaves it to the first recompute (decision
 * 049); until it exists the reader reads the lines in row order (SQLITE_LINES_IN_ROW_ORDER_SQL).
 */
export const LINES_ORDER_INDEX = "OrderLine_orderId_idx";

/**
 * The same lines in row order, for a file without LINES_ORDER_INDEX (decision 055): an import
 * writes each order's lines right after the order, so row order is (orderId, id) order unless a
 * later write added a line to an earlier order. The reader checks, and says `outOfOrder` when one
 * did: the caller builds the index and reads again.
 */
export const SQLITE_LINES_IN_ROW_ORDER_SQL = `SELECT "orderId", "productShopifyId", "title", "productType", "quantity", CAST("amount" AS REAL)
  FROM "OrderLine" NOT INDEXED WHERE "shop" = ? ORDER BY "id"`;

/**
 * The lines, read in row order because LINES_ORDER_INDEX is missing, are not in (orderId, id)
 * order: the load is to be read again once the index is built (decision 055). Thrown on the
 * reader's thread, and again on the main thread from the reader's `outOfOrder` message.
 */
export class LinesOutOfOrderError extends Error {}

/** The same on PostgreSQL; `shop` is "$1" for a cursor, or a quoted literal for `COPY (…) TO STDOUT`, which takes no parameters. */
export const postgresLinesSql = (shop: string) => `SELECT "orderId", "productShopifyId", "title", "productType", "quantity", "amount"::float8
  FROM "OrderLine" WHERE "shop" = ${shop} ORDER BY "orderId", "id"`;

/** One row of those queries. */
export type LineRecord = [orderId: number, productShopifyId: string | null, title: string | null, productType: string | null, quantity: number | null, amount: number | null];

/** A product as a line names it: its Shopify id, title and product type, as stored. */
export type StoredLineProduct = [productShopifyId: string | null, title: string | null, productType: string | null];

export type FromLineReader =
  | { type: "ready" }
  /** The snapshot is held: writers may go on. */
  | { type: "began" }
  | {
      type: "page";
      /** Lines in this page (the arrays may be longer). */
      length: number;
      /** Per line, in (orderId, id) order: its order's id, its product (an index into every product sent so far), quantity, amount. */
      orderIds: Float64Array;
      products: Int32Array;
      quantities: Float64Array;
      amounts: Float64Array;
      /** Products first named in this page, in index order. */
      newProducts: StoredLineProduct[];
    }
  | { type: "end" }
  | ({ type: "deleted" } & GenerationsDeleted)
  /** `outOfOrder`: read in row order (no LINES_ORDER_INDEX), a line came after a later order's. */
  | { type: "failed"; message: string; outOfOrder?: true };

/** The generations the reader deleted after the lines (all asked for, unless `error` says why the rest were not), in `ms` (decision 052). */
export interface GenerationsDeleted {
  snapshotIds: number[];
  ms: number;
  error?: string;
}
