/**
 * What the batch writers bind (sqlite-batch-writer.ts, postgres-batch-writer.ts), as plain
 * values: pure, so the import's parse thread (parse-worker.ts) prepares batches without loading
 * a database driver.
 */
import type { CustomerRow, OrderLineRow, OrderWithLines, ProductRow } from "../records/record-rows";

export interface BulkBatch {
  customers: CustomerRow[];
  products: ProductRow[];
  orders: OrderWithLines[];
  orphanLines: OrderLineRow[];
}

const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const three = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/**
 * A DateTime as Prisma's SQLite adapter writes it: `2024-05-29T09:00:00.345+00:00`. Built from
 * the UTC fields: about twice as fast as `toISOString().replace(…)`, and an order has four.
 */
export function ts(d: Date | null | undefined): string | null {
  if (!d) return null;
  const year = d.getUTCFullYear();
  if (year < 1000 || year > 9999) return d.toISOString().replace("Z", "+00:00");
  return `${year}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}T${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${three(d.getUTCMilliseconds())}+00:00`;
}

/** Values per line item in BatchValues: its order's gid, then the statement's own columns but orderId. */
export const LINE_WIDTH = 8;

/**
 * A batch as the statements' parameter values, row after row in one flat array per table:
 * primitives only (strings, numbers, null), so the parse thread hands a batch to the writing
 * thread cheaply; cloning row objects costs about as much as parsing them (bench/RESULTS.md,
 * sync section). A line item's values start with its order's gid (the writer swaps in the row id);
 * an order's start with its own gid.
 */
export interface BatchValues {
  products: unknown[];
  customers: unknown[];
  orders: unknown[];
  /** Line items of this batch's orders. */
  lines: unknown[];
  /** Line items whose order came in an earlier batch: looked up in the database. */
  orphanLines: unknown[];
}

export function batchValues(batch: BulkBatch): BatchValues {
  const products: unknown[] = [];
  for (const p of batch.products) products.push(p.shopifyId, p.title, p.productType, p.vendor, ts(p.shopifyUpdatedAt));
  const customers: unknown[] = [];
  for (const c of batch.customers) {
    customers.push(
      c.shopifyId, c.email, c.firstName, c.lastName, c.phone, c.emailMarketingState, c.countryCode, c.country, c.provinceCode,
      c.province, c.city, JSON.stringify(c.tags ?? []), ts(c.shopifyUpdatedAt), c.numberOfOrders ?? 0, c.amountSpent ?? "0", c.shopifyRfmGroup,
      c.predictedSpendTier, ts(c.shopifyCreatedAt), ts(c.shopifyUpdatedAt),
    );
  }
  const orders: unknown[] = [];
  const lines: unknown[] = [];
  for (const { order: o, lines: orderLines } of batch.orders) {
    orders.push(
      o.shopifyId, o.name, o.customerShopifyId, o.currencyCode, o.totalPrice, o.subtotalPrice, o.totalRefunded, o.netSales, o.test ? 1 : 0,
      o.sourceName, o.channel, o.firstVisitSource, o.utmSource, o.utmMedium, o.utmCampaign, ts(o.shopifyCreatedAt),
      ts(o.processedAt), ts(o.cancelledAt), ts(o.shopifyUpdatedAt),
    );
    for (const l of orderLines) pushLine(lines, o.shopifyId, l);
  }
  const orphanLines: unknown[] = [];
  for (const l of batch.orphanLines) pushLine(orphanLines, l.orderShopifyId, l);
  return { products, customers, orders, lines, orphanLines };
}

function pushLine(values: unknown[], orderShopifyId: string, l: OrderLineRow) {
  values.push(orderShopifyId, l.shopifyId, l.productShopifyId, l.title, l.productType, l.vendor, l.quantity, l.amount);
}


/**
 * A batch for the PostgreSQL batch writer (postgres-batch-writer.ts): each table's rows as the
 * text of a `COPY … FROM STDIN` (text format: tab-separated, `\N` for null), columns in the
 * order of the POSTGRES_*_COLUMNS lists below. A whole batch travels as five strings, built on
 * the parse thread, so the writing thread only streams them to the server.
 */
export interface PostgresBatchCopy {
  products: string;
  customers: string;
  orders: string;
  /** Line items of this batch's orders; the first column is the order's gid. */
  lines: string;
  /** Line items whose order came in an earlier batch. */
  orphanLines: string;
  /** Rows per table, to skip empty statements. */
  rows: { products: number; customers: number; orders: number; lines: number; orphanLines: number };
}

/** A column of a PostgreSQL batch: its name in the table, its type (text unless named) and where a row keeps its value. */
export interface PostgresColumn<R> {
  name: string;
  type?: "integer" | "numeric" | "boolean" | "timestamp(3)";
  value: (row: R) => unknown;
}

const TS = "timestamp(3)";

/** The columns the writer's statements expand (postgres-batch-writer.ts builds its SQL from these lists, so the two cannot drift). */
export const POSTGRES_PRODUCT_COLUMNS: readonly PostgresColumn<ProductRow>[] = [
  { name: "shopifyId", value: (p) => p.shopifyId },
  { name: "title", value: (p) => p.title },
  { name: "productType", value: (p) => p.productType },
  { name: "vendor", value: (p) => p.vendor },
  { name: "shopifyUpdatedAt", type: TS, value: (p) => ts(p.shopifyUpdatedAt) },
];
export const POSTGRES_CUSTOMER_COLUMNS: readonly PostgresColumn<CustomerRow>[] = [
  { name: "shopifyId", value: (c) => c.shopifyId },
  { name: "email", value: (c) => c.email },
  { name: "firstName", value: (c) => c.firstName },
  { name: "lastName", value: (c) => c.lastName },
  { name: "phone", value: (c) => c.phone },
  { name: "emailMarketingState", value: (c) => c.emailMarketingState },
  { name: "countryCode", value: (c) => c.countryCode },
  { name: "country", value: (c) => c.country },
  { name: "provinceCode", value: (c) => c.provinceCode },
  { name: "province", value: (c) => c.province },
  { name: "city", value: (c) => c.city },
  { name: "tags", value: (c) => JSON.stringify(c.tags ?? []) },
  // Tags from a bulk snapshot hold every tag event up to its updatedAt.
  { name: "tagsAsOf", type: TS, value: (c) => ts(c.shopifyUpdatedAt) },
  { name: "numberOfOrders", type: "integer", value: (c) => c.numberOfOrders ?? 0 },
  { name: "amountSpent", type: "numeric", value: (c) => c.amountSpent ?? "0" },
  { name: "shopifyRfmGroup", value: (c) => c.shopifyRfmGroup },
  { name: "predictedSpendTier", value: (c) => c.predictedSpendTier },
  { name: "shopifyCreatedAt", type: TS, value: (c) => ts(c.shopifyCreatedAt) },
  { name: "shopifyUpdatedAt", type: TS, value: (c) => ts(c.shopifyUpdatedAt) },
];
/**
 * An order's columns that a source may leave out (null = not carried, not "none"): an upsert
 * keeps the stored value then. The same rule in both batch writers and a first import's attach.
 */
export const ORDER_COLUMNS_KEPT_IF_MISSING: readonly string[] = ["subtotalPrice", "netSales", "channel", "firstVisitSource", "utmSource", "utmMedium", "utmCampaign"];
export const POSTGRES_ORDER_COLUMNS: readonly PostgresColumn<OrderWithLines>[] = [
  { name: "shopifyId", value: ({ order }) => order.shopifyId },
  { name: "name", value: ({ order }) => order.name },
  { name: "customerShopifyId", value: ({ order }) => order.customerShopifyId },
  { name: "currencyCode", value: ({ order }) => order.currencyCode },
  { name: "totalPrice", type: "numeric", value: ({ order }) => order.totalPrice },
  { name: "subtotalPrice", type: "numeric", value: ({ order }) => order.subtotalPrice },
  { name: "totalRefunded", type: "numeric", value: ({ order }) => order.totalRefunded },
  { name: "netSales", type: "numeric", value: ({ order }) => order.netSales },
  { name: "test", type: "boolean", value: ({ order }) => (order.test ? 1 : 0) },
  { name: "sourceName", value: ({ order }) => order.sourceName },
  { name: "channel", value: ({ order }) => order.channel },
  { name: "firstVisitSource", value: ({ order }) => order.firstVisitSource },
  { name: "utmSource", value: ({ order }) => order.utmSource },
  { name: "utmMedium", value: ({ order }) => order.utmMedium },
  { name: "utmCampaign", value: ({ order }) => order.utmCampaign },
  { name: "shopifyCreatedAt", type: TS, value: ({ order }) => ts(order.shopifyCreatedAt) },
  { name: "processedAt", type: TS, value: ({ order }) => ts(order.processedAt) },
  { name: "cancelledAt", type: TS, value: ({ order }) => ts(order.cancelledAt) },
  { name: "shopifyUpdatedAt", type: TS, value: ({ order }) => ts(order.shopifyUpdatedAt) },
];
/** A line item's first value is its order's gid, which the writer's statement turns into the order's row id. */
export const POSTGRES_LINE_COLUMNS: readonly PostgresColumn<OrderLineRow>[] = [
  { name: "orderShopifyId", value: (l) => l.orderShopifyId },
  { name: "shopifyId", value: (l) => l.shopifyId },
  { name: "productShopifyId", value: (l) => l.productShopifyId },
  { name: "title", value: (l) => l.title },
  { name: "productType", value: (l) => l.productType },
  { name: "vendor", value: (l) => l.vendor },
  { name: "quantity", type: "integer", value: (l) => l.quantity },
  { name: "amount", type: "numeric", value: (l) => l.amount },
];

export function postgresBatchCopy(batch: BulkBatch): PostgresBatchCopy {
  const lines = batch.orders.length ? batch.orders.flatMap((o) => o.lines) : [];
  return {
    products: copyText(batch.products, POSTGRES_PRODUCT_COLUMNS),
    customers: copyText(batch.customers, POSTGRES_CUSTOMER_COLUMNS),
    orders: copyText(batch.orders, POSTGRES_ORDER_COLUMNS),
    lines: copyText(lines, POSTGRES_LINE_COLUMNS),
    orphanLines: copyText(batch.orphanLines, POSTGRES_LINE_COLUMNS),
    rows: {
      products: batch.products.length,
      customers: batch.customers.length,
      orders: batch.orders.length,
      lines: lines.length,
      orphanLines: batch.orphanLines.length,
    },
  };
}

/**
 * Rows as COPY's text format: one line per row, values separated by tabs, null as `\N`, and a
 * backslash, tab, newline or carriage return in the data escaped (`\\`, `\t`, `\n`, `\r`), so
 * any text stays data.
 */
export function copyText<R>(rows: readonly R[], columns: readonly PostgresColumn<R>[]): string {
  let text = "";
  for (const row of rows) {
    for (let c = 0; c < columns.length; c++) {
      if (c > 0) text += "\t";
      text += copyValue(columns[c].value(row));
    }
    text += "\n";
  }
  return text;
}

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

function copyValue(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  const text = String(value);
  return COPY_SPECIAL.test(text) ? text.replace(/[\\\t\n\r]/g, (ch) => COPY_ESCAPES[ch]) : text;
}

/** How a batch crosses from the parse thread to a writer: SQLite's flat values, or PostgreSQL's COPY text. */
export type BatchLayout = "sqlite" | "postgresql";
export type PreparedBatch = BatchValues | PostgresBatchCopy;

export function prepareBatch(batch: BulkBatch, layout: BatchLayout): PreparedBatch {
  return layout === "postgresql" ? postgresBatchCopy(batch) : batchValues(batch);
}
