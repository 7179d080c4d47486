/**
 * The lift report's data: orders and revenue per current member of a segment since its first
 * push, tagged members against the hold-out (lift.ts computes the intervals). Revenue on the
 * shop's basis (docs/metrics.md): net sales where known, else the current total; test,
 * cancelled and deleted orders never count.
 */
import type { Database } from "~/db.server";
import { placeholder, type SqlDialect } from "~/sync/store/sql-dialect";
import { liftReport, type CustomerOutcome, type LiftReport } from "./lift";

export async function readSegmentLift(prisma: Database, dialect: SqlDialect, shop: string, segmentId: number, since: Date | null): Promise<LiftReport> {
  if (!since) return liftReport([], []);
  const settings = await prisma.shopSettings.findUnique({ where: { shop }, select: { revenueBasis: true } });
  const revenue = settings?.revenueBasis === "net_sales" ? `COALESCE(o."netSales", o."totalPrice")` : `o."totalPrice"`;
  const p = (n: number) => placeholder(dialect, n);
  const rows = (await prisma.$queryRawUnsafe(
    `SELECT m."isControl" AS "isControl", COUNT(o."id") AS "orders", COALESCE(SUM(${revenue}), 0) AS "revenue"
       FROM "SegmentMembership" m
       LEFT JOIN "Order" o ON o."shop" = m."shop" AND o."customerShopifyId" = m."customerShopifyId"
        AND o."test" = ${p(1)} AND o."cancelledAt" IS NULL AND o."deletedAt" IS NULL AND o."shopifyCreatedAt" >= ${p(2)}
      WHERE m."segmentId" = ${p(3)} AND m."shop" = ${p(4)}
      GROUP BY m."customerShopifyId", m."isControl"`,
    // In the order the placeholders appear (SQLite's "?" are positional).
    false,
    since,
    segmentId,
    shop,
  )) as { isControl: boolean | number | bigint; orders: number | bigint; revenue: number | string }[];
  const tagged: CustomerOutcome[] = [];
  const holdOut: CustomerOutcome[] = [];
  for (const row of rows) {
    const outcome = { orders: Number(row.orders), revenue: Number(row.revenue) };
    (Number(row.isControl) === 1 ? holdOut : tagged).push(outcome);
  }
  return liftReport(tagged, holdOut);
}
