/** A comparable picture of a shop's synced rows (no shop, no autoincrement ids, no sync timestamps). */
import type { Database } from "../../app/db.server";

export async function shopState(prisma: Database, shop: string) {
  const customers = await prisma.customer.findMany({ where: { shop }, orderBy: { shopifyId: "asc" } });
  const orders = await prisma.order.findMany({ where: { shop }, orderBy: { shopifyId: "asc" }, include: { lines: { orderBy: { shopifyId: "asc" } } } });
  const products = await prisma.product.findMany({ where: { shop }, orderBy: { shopifyId: "asc" } });
  // A line's buyer is the customer's row id, which differs between shops and databases: compared by the customer's Shopify id.
  const customerOf = new Map(customers.map((c) => [c.id, c.shopifyId]));
  return {
    customers: customers.map(({ id: _id, syncedAt: _s, shop: _shop, ...c }) => ({ ...c, amountSpent: c.amountSpent.toString() })),
    orders: orders.map(({ id: _id, syncedAt: _s, shop: _shop, lines, ...o }) => ({
      ...o,
      totalPrice: o.totalPrice.toString(),
      subtotalPrice: o.subtotalPrice?.toString() ?? null,
      totalRefunded: o.totalRefunded.toString(),
      netSales: o.netSales?.toString() ?? null,
      lines: lines.map(({ id: _lid, orderId: _oid, shop: _ls, buyerId, ...l }) => ({
        ...l,
        amount: l.amount.toString(),
        buyer: buyerId === null ? null : (customerOf.get(buyerId) ?? `not this shop's customer ${buyerId}`),
      })),
    })),
    products: products.map(({ id: _id, shop: _shop, ...p }) => p),
  };
}

/** Sum of order totals in cents, computed by the database. */
export async function orderTotalCents(prisma: Database, shop: string): Promise<bigint> {
  const agg = await prisma.order.aggregate({ where: { shop }, _sum: { totalPrice: true } });
  return BigInt(Math.round(Number(agg._sum.totalPrice ?? 0) * 100));
}
