/**
 * The lift report's data: orders and revenue per customer since a segment's first push with a
 * control group (liftWindow), for the customers who were members when that push was planned — tagged members against the
 * hold-out as they were then (lift.ts computes the intervals). Who joins later was never part of
 * the comparison and is left out; who leaves later stays in it (an intention-to-treat cohort),
 * so a campaign that makes customers leave the segment (they bought, say) still counts for it.
 * Membership at that moment comes from the history (`SegmentMembershipChange`: joins, leaves and
 * changes of hold-out status, with times). Revenue on the shop's basis (docs/metrics.md): net
 * sales where known, else the current total; test, cancelled and deleted orders never count.
 */
import type { Database } from "~/db.server";
import { orderRevenueSql } from "~/settings/snapshot-revenue";
import { readShopSettings } from "~/settings/shop-settings.server";
import { placeholder, type SqlDialect } from "~/sync/store/sql-dialect";
import { liftReport, type CustomerOutcome, type LiftReport } from "./lift";

/**
 * The comparison's start: the first completed push at which the segment held members out, its
 * members fixed when it started (`cohortAt`) and orders counted from when it finished (`since`).
 * A first push made without a control group (the share is 0 until the merchant sets one) tagged
 * everyone, so the lift starts at the first push after a control group was set. Null while there
 * is none: never pushed, no control group yet, or none pushed since ("no control group yet").
 */
export interface LiftWindow {
  cohortAt: Date;
  since: Date;
}

export async function liftWindow(prisma: Database, shop: string, segmentId: number, firstPushedAt: Date | null): Promise<LiftWindow | null> {
  if (!firstPushedAt) return null;
  const firstHoldOut = await prisma.segmentMembershipChange.findFirst({
    where: { shop, segmentId, joined: true, isControl: true },
    orderBy: { at: "asc" },
    select: { at: true },
  });
  if (!firstHoldOut) return null;
  const push = await prisma.tagPush.findFirst({
    where: { shop, segmentId, mode: "push", status: "completed", startedAt: { gte: firstHoldOut.at } },
    orderBy: { startedAt: "asc" },
    select: { startedAt: true, finishedAt: true },
  });
  return push ? { cohortAt: push.startedAt, since: push.finishedAt ?? firstPushedAt } : null;
}

/** The lift in its window (liftWindow, read once by the page that also names its moment); none without one. */
export async function readSegmentLift(prisma: Database, dialect: SqlDialect, shop: string, segmentId: number, window: LiftWindow | null): Promise<LiftReport> {
  if (!window) return liftReport([], []);
  const { cohortAt, since } = window;
  const revenue = orderRevenueSql((await readShopSettings(prisma, shop)).revenueBasis, "o");
  const p = (n: number) => placeholder(dialect, n);
  // Instants compared as instants on both databases (SQLite keeps dates as text in two spellings).
  const notAfter = (column: string, n: number) =>
    dialect === "sqlite" ? `julianday(${column}) <= julianday(${p(n)})` : `${column} <= CAST(${p(n)} AS timestamp(3))`;
  const notBefore = (column: string, n: number) =>
    dialect === "sqlite" ? `julianday(${column}) >= julianday(${p(n)})` : `${column} >= CAST(${p(n)} AS timestamp(3))`;
  const rows = (await prisma.$queryRawUnsafe(
    `WITH latest AS (
       SELECT ch."customerShopifyId", ch."joined", ch."isControl",
              ROW_NUMBER() OVER (PARTITION BY ch."customerShopifyId" ORDER BY ch."at" DESC, ch."id" DESC) AS "rank"
         FROM "SegmentMembershipChange" ch
        WHERE ch."segmentId" = ${p(1)} AND ch."shop" = ${p(2)} AND ${notAfter(`ch."at"`, 3)}
     )
     SELECT m."isControl" AS "isControl", COUNT(o."id") AS "orders", COALESCE(SUM(${revenue}), 0) AS "revenue"
       FROM latest m
       LEFT JOIN "Order" o ON o."shop" = ${p(4)} AND o."customerShopifyId" = m."customerShopifyId"
        AND o."test" = ${p(5)} AND o."cancelledAt" IS NULL AND o."deletedAt" IS NULL AND ${notBefore(`o."shopifyCreatedAt"`, 6)}
      WHERE m."rank" = 1 AND m."joined" = ${p(7)}
      GROUP BY m."customerShopifyId", m."isControl"`,
    // In the order the placeholders appear (SQLite's "?" are positional).
    segmentId,
    shop,
    cohortAt.toISOString().slice(0, 23),
    shop,
    false,
    since.toISOString().slice(0, 23),
    true,
  )) as { isControl: boolean | number | bigint; orders: number | bigint; revenue: number | string }[];
  const tagged: CustomerOutcome[] = [];
  const holdOut: CustomerOutcome[] = [];
  for (const row of rows) {
    const outcome = { orders: Number(row.orders), revenue: Number(row.revenue) };
    (Number(row.isControl) === 1 ? holdOut : tagged).push(outcome);
  }
  return liftReport(tagged, holdOut);
}
