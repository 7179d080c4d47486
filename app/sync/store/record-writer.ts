/**
 * Writes what Shopify said into the shop's tables: customers, orders with their line items,
 * products. Every write is an idempotent upsert keyed by (shop, shopifyId) that never lets an
 * older `updatedAt` overwrite newer state (sql-upsert.ts). Call it inside a transaction: a
 * batch commits whole or not at all, which is what makes the backfill resumable.
 */
import { applyTagChange, type TagChange, type TagEventLog } from "../records/customer-tag-events";
import type { CustomerRow, OrderLineRow, OrderWithLines, ProductRow } from "../records/record-rows";
import type { RefundOfOrder } from "../records/from-webhook";
import { fromMicros, toMicros } from "../records/money";
import type { Database } from "../../db.server";
import { copyOrderPurchasesToLines } from "./line-purchase";
import { inList, MAX_PARAMETERS, type SqlTarget } from "./sql-dialect";
import { upsertRows } from "./sql-upsert";

/** Personal data: blanked on customers/redact and never written back afterwards. */
export const CUSTOMER_PII_COLUMNS = [
  "email",
  "firstName",
  "lastName",
  "phone",
  "city",
  "province",
  "provinceCode",
  "country",
  "countryCode",
] as const;

const keepRedacted = (excluded: string) => `CASE WHEN "Customer"."redactedAt" IS NULL THEN ${excluded} ELSE NULL END`;

export async function upsertCustomers(target: SqlTarget, shop: string, rows: readonly CustomerRow[], now = new Date()): Promise<number> {
  const records = rows.map((r) => ({
    shop,
    shopifyId: r.shopifyId,
    email: r.email,
    firstName: r.firstName,
    lastName: r.lastName,
    phone: r.phone,
    emailMarketingState: r.emailMarketingState,
    countryCode: r.countryCode,
    country: r.country,
    provinceCode: r.provinceCode,
    province: r.province,
    city: r.city,
    tags: r.tags === null ? undefined : JSON.stringify(r.tags),
    // Tags from a snapshot (GraphQL) hold every tag event up to its updatedAt.
    tagsAsOf: r.tags === null ? undefined : r.shopifyUpdatedAt,
    numberOfOrders: r.numberOfOrders ?? undefined,
    amountSpent: r.amountSpent ?? undefined,
    shopifyRfmGroup: r.shopifyRfmGroup,
    predictedSpendTier: r.predictedSpendTier,
    shopifyCreatedAt: r.shopifyCreatedAt ?? undefined,
    shopifyUpdatedAt: r.shopifyUpdatedAt,
    syncedAt: now,
  }));
  const written = await upsertRows<{ shopifyId: string }>(
    target,
    {
      table: "Customer",
      conflict: ["shop", "shopifyId"],
      staleColumn: "shopifyUpdatedAt",
      updateExpressions: Object.fromEntries(CUSTOMER_PII_COLUMNS.map((c) => [c, keepRedacted])),
      returning: ["shopifyId"],
    },
    records,
  );
  return written.length;
}

/**
 * Applies a tags event (customer.tags_added / customer.tags_removed) to the stored customer, in
 * any delivery order: see customer-tag-events.ts. `change.at` is the delivery's
 * X-Shopify-Triggered-At.
 * @returns `stored`: false when the customer was not stored yet (a stub row now holds the tags);
 * `changed`: whether the customer's tags are now different (a change we already applied, such as
 * our own push's, is not one).
 */
export async function setCustomerTags(target: SqlTarget, shop: string, customerShopifyId: string, change: TagChange): Promise<{ stored: boolean; changed: boolean }> {
  // The snapshot time as ISO text on both databases (a raw timestamp comes back as a string on
  // SQLite and as a local-time Date on PostgreSQL).
  const tagsAsOf = target.dialect === "sqlite" ? `"tagsAsOf"` : `to_char("tagsAsOf", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  const rows = (await target.db.$queryRawUnsafe(
    `SELECT "tags", ${tagsAsOf} AS "tagsAsOf", "tagEvents" FROM "Customer" WHERE "shop" = ${p(target, 1)} AND "shopifyId" = ${p(target, 2)}`,
    shop,
    customerShopifyId,
  )) as { tags: string; tagsAsOf: string | null; tagEvents: string }[];
  const stored = rows[0];
  const next = applyTagChange(
    {
      tags: stored ? (JSON.parse(stored.tags) as string[]) : [],
      tagsAsOf: stored?.tagsAsOf ? new Date(stored.tagsAsOf) : null,
      events: stored ? (JSON.parse(stored.tagEvents) as TagEventLog) : {},
    },
    change,
  );
  const tags = JSON.stringify(next.tags);
  const events = JSON.stringify(next.events);
  const changed = tags !== (stored?.tags ?? "[]");
  if (!stored) {
    // The tag event came before the customer: keep the tags on a stub row (no updatedAt), which
    // the customer's own event fills in (its payload carries no tags, so these stay).
    await target.db.$executeRawUnsafe(
      `INSERT INTO "Customer" ("shop", "shopifyId", "tags", "tagEvents") VALUES (${p(target, 1)}, ${p(target, 2)}, ${p(target, 3)}, ${p(target, 4)}) ON CONFLICT ("shop", "shopifyId") DO NOTHING`,
      shop,
      customerShopifyId,
      tags,
      events,
    );
    return { stored: false, changed };
  }
  await target.db.$executeRawUnsafe(
    `UPDATE "Customer" SET "tags" = ${p(target, 1)}, "tagEvents" = ${p(target, 2)} WHERE "shop" = ${p(target, 3)} AND "shopifyId" = ${p(target, 4)}`,
    tags,
    events,
    shop,
    customerShopifyId,
  );
  return { stored: true, changed };
}

export async function upsertProducts(target: SqlTarget, shop: string, rows: readonly ProductRow[]): Promise<number> {
  const written = await upsertRows<{ shopifyId: string }>(
    target,
    { table: "Product", conflict: ["shop", "shopifyId"], staleColumn: "shopifyUpdatedAt", returning: ["shopifyId"] },
    rows.map((r) => ({ shop, ...r })),
  );
  return written.length;
}

export interface OrderWriteResult {
  /** Orders inserted or updated (not skipped as stale). */
  ordersWritten: number;
  linesWritten: number;
}

/**
 * Upserts orders, then the line items of the orders that were actually written (a stale order
 * keeps its stored lines). Lines whose order is not in `orders` (a bulk child that arrived
 * after its parent's batch was committed) go through `upsertOrphanLines`.
 */
export async function upsertOrders(
  target: SqlTarget,
  shop: string,
  orders: readonly OrderWithLines[],
  now = new Date(),
): Promise<OrderWriteResult> {
  const written = await upsertRows<{ id: number; shopifyId: string }>(
    target,
    {
      table: "Order",
      conflict: ["shop", "shopifyId"],
      staleColumn: "shopifyUpdatedAt",
      returning: ["id", "shopifyId"],
    },
    orders.map(({ order }) => ({
      shop,
      shopifyId: order.shopifyId,
      name: order.name,
      customerShopifyId: order.customerShopifyId,
      currencyCode: order.currencyCode,
      totalPrice: order.totalPrice,
      subtotalPrice: order.subtotalPrice ?? undefined,
      totalRefunded: order.totalRefunded,
      netSales: order.netSales ?? undefined,
      test: order.test,
      sourceName: order.sourceName,
      channel: order.channel ?? undefined,
      firstVisitSource: order.firstVisitSource ?? undefined,
      utmSource: order.utmSource ?? undefined,
      utmMedium: order.utmMedium ?? undefined,
      utmCampaign: order.utmCampaign ?? undefined,
      shopifyCreatedAt: order.shopifyCreatedAt,
      processedAt: order.processedAt,
      cancelledAt: order.cancelledAt,
      shopifyUpdatedAt: order.shopifyUpdatedAt,
      syncedAt: now,
    })),
  );
  const orderIds = new Map(written.map((w) => [w.shopifyId, Number(w.id)]));
  const lines: (OrderLineRow & { orderId: number })[] = [];
  const completeOrders: { orderId: number; keep: string[] }[] = [];
  for (const { order, lines: orderLines, linesComplete } of orders) {
    const orderId = orderIds.get(order.shopifyId);
    if (orderId === undefined) continue;
    for (const line of orderLines) lines.push({ ...line, orderId });
    if (linesComplete) completeOrders.push({ orderId, keep: orderLines.map((l) => l.shopifyId) });
  }
  for (const { orderId, keep } of completeOrders) await deleteLinesExcept(target, shop, orderId, keep);
  await writeLines(target, shop, lines);
  return { ordersWritten: written.length, linesWritten: lines.length };
}

/** Line items whose order row already exists (looked up by the order's gid); lines of unknown orders are returned. */
export async function upsertOrphanLines(target: SqlTarget, shop: string, lines: readonly OrderLineRow[]): Promise<OrderLineRow[]> {
  if (lines.length === 0) return [];
  const gids = [...new Set(lines.map((l) => l.orderShopifyId))];
  const ids = new Map<string, number>();
  const perQuery = MAX_PARAMETERS - 1;
  for (let i = 0; i < gids.length; i += perQuery) {
    const chunk = gids.slice(i, i + perQuery);
    const rows = (await target.db.$queryRawUnsafe(
      `SELECT "id", "shopifyId" FROM "Order" WHERE "shop" = ${p(target, 1)} AND "shopifyId" IN (${inList(target.dialect, chunk.length, 1)})`,
      shop,
      ...chunk,
    )) as { id: number; shopifyId: string }[];
    for (const r of rows) ids.set(r.shopifyId, Number(r.id));
  }
  const known: (OrderLineRow & { orderId: number })[] = [];
  const unknown: OrderLineRow[] = [];
  for (const line of lines) {
    const orderId = ids.get(line.orderShopifyId);
    if (orderId === undefined) unknown.push(line);
    else known.push({ ...line, orderId });
  }
  await writeLines(target, shop, known);
  return unknown;
}

async function writeLines(target: SqlTarget, shop: string, lines: readonly (OrderLineRow & { orderId: number })[]): Promise<void> {
  await upsertRows(
    target,
    {
      table: "OrderLine",
      conflict: ["shop", "shopifyId"],
      // Webhook payloads carry no product type: keep the one the bulk import stored.
      updateExpressions: { productType: (excluded, stored) => `COALESCE(${excluded}, ${stored})` },
    },
    lines.map((l) => ({
      shop,
      orderId: l.orderId,
      shopifyId: l.shopifyId,
      productShopifyId: l.productShopifyId,
      title: l.title,
      productType: l.productType,
      vendor: l.vendor,
      quantity: l.quantity,
      amount: l.amount,
    })),
  );
  await copyOrderPurchasesToLines(target, shop, [...new Set(lines.map((l) => l.orderId))]);
}

async function deleteLinesExcept(target: SqlTarget, shop: string, orderId: number, keep: readonly string[]): Promise<void> {
  if (keep.length === 0) {
    await target.db.$executeRawUnsafe(`DELETE FROM "OrderLine" WHERE "shop" = ${p(target, 1)} AND "orderId" = ${p(target, 2)}`, shop, orderId);
    return;
  }
  await target.db.$executeRawUnsafe(
    `DELETE FROM "OrderLine" WHERE "shop" = ${p(target, 1)} AND "orderId" = ${p(target, 2)} AND "shopifyId" NOT IN (${inList(target.dialect, keep.length, 2)})`,
    shop,
    orderId,
    ...keep,
  );
}

function p(target: SqlTarget, index1: number): string {
  return target.dialect === "sqlite" ? "?" : `$${index1}`;
}

type OrderAmountsDb = Pick<Parameters<Parameters<Database["$transaction"]>[0]>[0], "order">;

/**
 * Takes a refund off its stored order at once (refunds/create), so revenue drops without
 * waiting for the Admin API re-read that follows it (reconcile still heals any difference):
 * - totalRefunded grows by the refund's successful transactions;
 * - the current total shrinks by the line items taken back (with their tax when prices exclude
 *   tax) and the shipping refunded; the current subtotal by the line items;
 * - net sales shrink by the line items without their tax (docs/decisions/009).
 * Whether prices include tax is not in the refund payload: the stored order says it (net sales
 * below the subtotal). When the stored order cannot say, the current total shrinks by the money
 * refunded and net sales are left unknown (null) for the reconcile to fill.
 *
 * Applied only when the stored order is older than the refund (its `shopifyUpdatedAt` before
 * the refund's `created_at`), and then stamped with the refund's time: an orders/updated that
 * already carried the refund is not reduced twice, and one from before the refund stays stale.
 * @returns false when nothing was changed (no such order, already newer, or no refund time).
 */
export async function applyRefund(db: OrderAmountsDb, shop: string, refund: RefundOfOrder, now = new Date()): Promise<boolean> {
  if (!refund.refundedAt) return false;
  const order = await db.order.findUnique({
    where: { shop_shopifyId: { shop, shopifyId: refund.orderShopifyId } },
    select: { totalPrice: true, subtotalPrice: true, netSales: true, totalRefunded: true, shopifyUpdatedAt: true, deletedAt: true },
  });
  if (!order || order.deletedAt) return false;
  if (order.shopifyUpdatedAt && order.shopifyUpdatedAt.getTime() >= refund.refundedAt.getTime()) return false;
  const micros = (value: { toFixed(): string } | null) => (value === null ? null : toMicros(value.toFixed()));
  const notBelowZero = (value: bigint) => (value < 0n ? 0n : value);
  const subtotal = micros(order.subtotalPrice);
  const netSales = micros(order.netSales);
  const lineSubtotal = toMicros(refund.lineSubtotal);
  const lineTax = toMicros(refund.lineTax);
  const taxesIncluded = subtotal !== null && netSales !== null ? netSales < subtotal : null;
  const totalTakenBack =
    taxesIncluded === null ? toMicros(refund.refunded) : lineSubtotal + (taxesIncluded ? 0n : lineTax) + toMicros(refund.shipping);
  await db.order.update({
    where: { shop_shopifyId: { shop, shopifyId: refund.orderShopifyId } },
    data: {
      totalPrice: fromMicros(notBelowZero(micros(order.totalPrice)! - totalTakenBack)),
      totalRefunded: fromMicros(micros(order.totalRefunded)! + toMicros(refund.refunded)),
      subtotalPrice: subtotal === null ? null : fromMicros(notBelowZero(subtotal - lineSubtotal)),
      netSales: taxesIncluded === null || netSales === null ? null : fromMicros(notBelowZero(netSales - (lineSubtotal - (taxesIncluded ? lineTax : 0n)))),
      shopifyUpdatedAt: refund.refundedAt,
      syncedAt: now,
    },
  });
  return true;
}
