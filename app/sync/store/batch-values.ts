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
 * A batch for the PostgreSQL batch writer (postgres-batch-writer.ts): each table's values as
 * one PostgreSQL array literal per column (`{"a","b",NULL}`), which the writer's statements
 * expand with `unnest`, in the column order of the SQLite writer's values above. A whole batch
 * travels as a few dozen strings, so the driver binds a handful of parameters per statement
 * however many rows it holds, and the text is built on the parse thread, off the writing thread.
 */
export interface PostgresBatchArrays {
  products: string[];
  customers: string[];
  orders: string[];
  /** Line items of this batch's orders; the first column is the order's gid. */
  lines: string[];
  /** Line items whose order came in an earlier batch. */
  orphanLines: string[];
  /** Rows per table, to skip empty statements. */
  rows: { products: number; customers: number; orders: number; lines: number; orphanLines: number };
}

type Accessor<R> = (row: R) => unknown;

const PRODUCT_VALUES: Accessor<ProductRow>[] = [(p) => p.shopifyId, (p) => p.title, (p) => p.productType, (p) => p.vendor, (p) => ts(p.shopifyUpdatedAt)];
const CUSTOMER_VALUES: Accessor<CustomerRow>[] = [
  (c) => c.shopifyId, (c) => c.email, (c) => c.firstName, (c) => c.lastName, (c) => c.phone, (c) => c.emailMarketingState, (c) => c.countryCode,
  (c) => c.country, (c) => c.provinceCode, (c) => c.province, (c) => c.city, (c) => JSON.stringify(c.tags ?? []), (c) => ts(c.shopifyUpdatedAt),
  (c) => c.numberOfOrders ?? 0, (c) => c.amountSpent ?? "0", (c) => c.shopifyRfmGroup, (c) => c.predictedSpendTier, (c) => ts(c.shopifyCreatedAt),
  (c) => ts(c.shopifyUpdatedAt),
];
const ORDER_VALUES: Accessor<OrderWithLines>[] = [
  ({ order: o }) => o.shopifyId, ({ order: o }) => o.name, ({ order: o }) => o.customerShopifyId, ({ order: o }) => o.currencyCode,
  ({ order: o }) => o.totalPrice, ({ order: o }) => o.subtotalPrice, ({ order: o }) => o.totalRefunded, ({ order: o }) => o.netSales,
  ({ order: o }) => (o.test ? 1 : 0), ({ order: o }) => o.sourceName, ({ order: o }) => o.channel, ({ order: o }) => o.firstVisitSource,
  ({ order: o }) => o.utmSource, ({ order: o }) => o.utmMedium, ({ order: o }) => o.utmCampaign, ({ order: o }) => ts(o.shopifyCreatedAt),
  ({ order: o }) => ts(o.processedAt), ({ order: o }) => ts(o.cancelledAt), ({ order: o }) => ts(o.shopifyUpdatedAt),
];
const LINE_VALUES: Accessor<OrderLineRow>[] = [
  (l) => l.orderShopifyId, (l) => l.shopifyId, (l) => l.productShopifyId, (l) => l.title, (l) => l.productType, (l) => l.vendor, (l) => l.quantity, (l) => l.amount,
];

export function postgresBatchArrays(batch: BulkBatch): PostgresBatchArrays {
  const lines = batch.orders.length ? batch.orders.flatMap((o) => o.lines) : [];
  return {
    products: arrayLiterals(batch.products, PRODUCT_VALUES),
    customers: arrayLiterals(batch.customers, CUSTOMER_VALUES),
    orders: arrayLiterals(batch.orders, ORDER_VALUES),
    lines: arrayLiterals(lines, LINE_VALUES),
    orphanLines: arrayLiterals(batch.orphanLines, LINE_VALUES),
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
 * One array literal per column. Every text element is double-quoted with `"` and `\` escaped
 * (PostgreSQL's array input syntax), so commas, braces, quotes, spaces and the word NULL in the
 * data stay data; null is a bare NULL.
 */
export function arrayLiterals<R>(rows: readonly R[], columns: readonly Accessor<R>[]): string[] {
  return columns.map((value) => {
    let literal = "{";
    for (let i = 0; i < rows.length; i++) {
      if (i > 0) literal += ",";
      literal += arrayElement(value(rows[i]));
    }
    return literal + "}";
  });
}

const NEEDS_ESCAPE = /["\\]/;

function arrayElement(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number") return String(value);
  const text = String(value);
  return NEEDS_ESCAPE.test(text) ? `"${text.replace(/["\\]/g, "\\$&")}"` : `"${text}"`;
}

/** How a batch crosses from the parse thread to a writer: SQLite's flat values, or PostgreSQL's column arrays. */
export type BatchLayout = "sqlite" | "postgresql";
export type PreparedBatch = BatchValues | PostgresBatchArrays;

export function prepareBatch(batch: BulkBatch, layout: BatchLayout): PreparedBatch {
  return layout === "postgresql" ? postgresBatchArrays(batch) : batchValues(batch);
}
