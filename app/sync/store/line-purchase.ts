/**
 * A line's copy of its order's purchase facts (OrderLine.buyerId, OrderLine.purchasedAt;
 * docs/decisions/037-line-purchases.md, 062): the segment rules' "bought X (within N days)" reads
 * a product's buyers from the (shop, productShopifyId, buyerId, purchasedAt) index alone.
 * Every writer of lines writes them with these expressions over the line's order row; when the
 * order changes afterwards, the `Order_line_purchases` trigger (the same expressions over NEW)
 * brings its lines along, and when the customer's record arrives after their order,
 * `Customer_line_buyers` gives the order's lines their buyer (migration
 * 20261206162034_line_buyer_customer_id).
 */
import { inList, MAX_PARAMETERS, type SqlTarget } from "./sql-dialect";

/**
 * The buyer of an order's lines: its customer's row (Customer.id, by the (shop, shopifyId) key)
 * while the order counts (not a test, not cancelled, not deleted); null while the customer is
 * not stored yet.
 */
export const lineBuyerSql = (order: string) =>
  `CASE WHEN NOT ${order}."test" AND ${order}."cancelledAt" IS NULL AND ${order}."deletedAt" IS NULL THEN (SELECT c."id" FROM "Customer" c WHERE c."shop" = ${order}."shop" AND c."shopifyId" = ${order}."customerShopifyId") END`;

/** When an order's lines were bought: processed, else created (as the in-memory rules and the analysis date an order). */
export const linePurchasedAtSql = (order: string) => `COALESCE(${order}."processedAt", ${order}."shopifyCreatedAt")`;

/**
 * Gives the lines of these orders their orders' buyer and purchase time (the generic writer's
 * lines are upserted without them; a webhook's order has a few).
 */
export async function copyOrderPurchasesToLines(target: SqlTarget, shop: string, orderIds: readonly number[]): Promise<void> {
  const p = (i: number) => (target.dialect === "sqlite" ? "?" : `$${i}`);
  const perQuery = MAX_PARAMETERS - 1;
  for (let i = 0; i < orderIds.length; i += perQuery) {
    const chunk = orderIds.slice(i, i + perQuery);
    await target.db.$executeRawUnsafe(
      `UPDATE "OrderLine" SET ("buyerId", "purchasedAt") = (SELECT ${lineBuyerSql("o")}, ${linePurchasedAtSql("o")} FROM "Order" o WHERE o."id" = "OrderLine"."orderId")
        WHERE "shop" = ${p(1)} AND "orderId" IN (${inList(target.dialect, chunk.length, 1)})`,
      shop,
      ...chunk,
    );
  }
}
