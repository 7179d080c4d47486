/**
 * The segment page's figures that depend only on a membership refresh and an analysis: the
 * segment's totals, its most popular products and the store's totals (decision 024 defines them;
 * segment-figures.ts turns the totals into figures).
 *
 * Two ways to the same sums:
 * - `segmentFiguresOf` for one segment, from its members (the page, when nothing stored fits);
 * - `storeSegmentFigures` for every segment the full membership refresh just wrote, in one pass
 *   over the shop's counted lines, stored in `SegmentFigures` so a page view — the first one,
 *   or one on another server instance — reads them instead of summing every member's lines
 *   (5.6–9.4 s for the all-customers segment at 1M orders; decision 042-stored-segment-figures).
 * `storedSegmentFigures` returns the stored ones only while they describe the segment's current
 * membership refresh and the shop's current analysis.
 */
import type { Database } from "~/db.server";
import type { CurrentAnalysis } from "~/snapshots/read-analysis.server";
import type { SqlDialect } from "~/sync/store/sql-dialect";
import { EMPTY_TOTALS, MIN_LIFETIME_DAYS, type CustomerTotals } from "./segment-figures";
import { PRODUCT_SORTS, PRODUCTS_SHOWN, type ProductSort } from "./segment-page-query";
import { num, SqlParams } from "./sql-query";

export interface ProductRow {
  product: string;
  title: string;
  /** Orders containing the product (times bought). */
  orders: number;
  quantity: number;
  revenue: number;
  customers: number;
}

/**
 * The stored figures' shape. Figures stored in another (an older release's) are computed again,
 * never half-read: version 2 sums customer-years for the yearly rates (decision 054).
 */
export const SEGMENT_FIGURES_VERSION = 2;

/** Everything of the page that depends only on (membership refresh, analysis). */
export interface SegmentFigures {
  segment: CustomerTotals;
  store: CustomerTotals;
  products: Record<ProductSort, ProductRow[]>;
}

export interface Scope {
  prisma: Database;
  dialect: SqlDialect;
  shop: string;
  segmentId: number;
  snapshotId: number;
  /** Orders after this instant were not in the analysis. */
  ordersUntil: Date;
}

/**
 * The segment's members, scoped to the shop through their segment. Written so that SQLite's
 * planner (which has no statistics here) walks the membership's primary key (segment, customer)
 * and looks each member up by (shop, customer): a filter on the membership's own shop column
 * would send it through every segment's rows of the shop instead.
 */
export function membersOf(q: SqlParams, scope: Scope): { from: string; where: string } {
  return { from: `"Segment" s JOIN "SegmentMembership" m ON m."segmentId" = s."id"`, where: `s."id" = ${q.param(scope.segmentId)} AND s."shop" = ${q.param(scope.shop)}` };
}

/**
 * A member's profile in the current analysis, by SegmentMembership.customerId (CustomerProfile
 * has no (shop, customerShopifyId) index: it cost every recompute more than any other index;
 * decision 036). SQLite looks each member up by the primary key (snapshotId, customerId).
 * PostgreSQL plans it from statistics, which the recompute refreshes after writing a large
 * generation (write-analysis.server.ts); a unary plus here hid the snapshot's row count from it,
 * so it joined all 275k members of a big segment to their customer before taking a page of 50.
 */
export const profileOfMember = (q: SqlParams, scope: Pick<Scope, "snapshotId">) => `p."snapshotId" = ${q.param(scope.snapshotId)} AND p."customerId" = m."customerId" AND p."shop" = m."shop"`;

/** "The order counts" (METRICS.md "Inputs"), and was in the analysis. */
function countedOrder(q: SqlParams, o: string, until: Date): string {
  return `${o}."deletedAt" IS NULL AND NOT ${o}."test" AND ${o}."cancelledAt" IS NULL AND ${q.dateColumn(`COALESCE(${o}."processedAt", ${o}."shopifyCreatedAt")`)} <= ${q.dateParam(until)}`;
}

/** The profile sums of CustomerTotals, by name, over the rows `p` of a query: each a count or sum, so they add up across groups. */
function profileSumColumns(q: SqlParams): Record<string, string> {
  const years = `(CASE WHEN p."daysSinceFirstOrder" > ${MIN_LIFETIME_DAYS} THEN p."daysSinceFirstOrder" ELSE ${MIN_LIFETIME_DAYS} END / 365.0)`;
  return {
    customers: `COUNT(*)`,
    revenue: `SUM(${q.float(`p."totalSpent"`)})`,
    orders: `SUM(p."orderCount")`,
    clvCustomers: `COUNT(p."predictedClv")`,
    clvSum: `SUM(p."predictedClv")`,
    customerYearsSum: `SUM(${years})`,
    lifetimeDaysSum: `SUM(p."daysSinceFirstOrder" - p."daysSinceLastOrder")`,
    repeatCustomers: `SUM(CASE WHEN p."repeatPurchases" > 0 THEN 1 ELSE 0 END)`,
    gapDaysSum: `SUM(CASE WHEN p."repeatPurchases" > 0 THEN p."usualGapDays" ELSE 0 END)`,
  };
}

/** The profile sums as a select list. */
function profileSums(q: SqlParams): string {
  return Object.entries(profileSumColumns(q))
    .map(([name, sum]) => `${sum} AS "${name}"`)
    .join(", ");
}

function totalsOf(p: Record<string, unknown>, lines: { items: unknown; itemRevenue: unknown }): CustomerTotals {
  if (num(p.customers) === 0) return EMPTY_TOTALS;
  return {
    customers: num(p.customers),
    revenue: num(p.revenue),
    orders: num(p.orders),
    items: num(lines.items),
    itemRevenue: num(lines.itemRevenue),
    clvCustomers: num(p.clvCustomers),
    clvSum: num(p.clvSum),
    customerYearsSum: num(p.customerYearsSum),
    lifetimeDaysSum: num(p.lifetimeDaysSum),
    repeatCustomers: num(p.repeatCustomers),
    gapDaysSum: num(p.gapDaysSum),
  };
}

/** Sums over the segment's members (`members`) or every customer of the current analysis. */
export async function customerTotals(scope: Scope, members: boolean): Promise<CustomerTotals> {
  const { prisma, dialect, shop, snapshotId, ordersUntil } = scope;
  const q = new SqlParams(dialect);
  const figures = profileSums(q);
  let profileSql: string;
  if (members) {
    const join = profileOfMember(q, scope);
    const m = membersOf(q, scope);
    profileSql = `SELECT ${figures} FROM ${m.from} JOIN "CustomerProfile" p ON ${join} WHERE ${m.where}`;
  } else {
    profileSql = `SELECT ${figures} FROM "CustomerProfile" p WHERE p."snapshotId" = ${q.param(snapshotId)} AND p."shop" = ${q.param(shop)}`;
  }
  const profileQuery = prisma.$queryRawUnsafe<Record<string, unknown>[]>(profileSql, ...q.values);

  const l = new SqlParams(dialect);
  let linesSql: string;
  const sums = `SUM(li."quantity") AS items, SUM(${l.float(`li."amount"`)}) AS "itemRevenue"`;
  if (members) {
    const m = membersOf(l, scope);
    linesSql = `SELECT ${sums} FROM ${m.from} JOIN "Order" o ON o."shop" = m."shop" AND o."customerShopifyId" = m."customerShopifyId" JOIN "OrderLine" li ON li."orderId" = o."id"
      WHERE ${m.where} AND ${countedOrder(l, "o", ordersUntil)}`;
  } else {
    linesSql = `SELECT ${sums} FROM "Order" o JOIN "OrderLine" li ON li."orderId" = o."id"
      WHERE o."shop" = ${l.param(shop)} AND o."customerShopifyId" IS NOT NULL AND ${countedOrder(l, "o", ordersUntil)}`;
  }
  const [[p], [lines]] = await Promise.all([profileQuery, prisma.$queryRawUnsafe<Record<string, { items: unknown; itemRevenue: unknown }>[]>(linesSql, ...l.values)]);
  return totalsOf(p, lines as { items: unknown; itemRevenue: unknown });
}

const PRODUCT_ORDER: Record<ProductSort, string> = { orders: `"orders" DESC, "revenue" DESC`, revenue: `"revenue" DESC, "orders" DESC`, customers: `"customers" DESC, "orders" DESC` };

const productRow = (r: Record<string, unknown>): ProductRow => ({ product: String(r.product), title: String(r.title ?? r.product), orders: num(r.orders), quantity: num(r.quantity), revenue: num(r.revenue), customers: num(r.customers) });

/**
 * The members' most bought products (seed 002 "Mest populære produkter"): times bought = orders
 * containing the product (as the analytics core's top products count it), revenue = its lines'
 * amounts, customers = distinct members who bought it. A line without a product id counts under
 * its title, as the analysis does.
 */
export async function popularProducts(scope: Scope, sort: ProductSort): Promise<ProductRow[]> {
  const q = new SqlParams(scope.dialect);
  const m = membersOf(q, scope);
  const sql = `SELECT COALESCE(li."productShopifyId", li."title") AS product, MAX(li."title") AS title, COUNT(DISTINCT o."id") AS orders,
      SUM(li."quantity") AS quantity, SUM(${q.float(`li."amount"`)}) AS revenue, COUNT(DISTINCT o."customerShopifyId") AS customers
    FROM ${m.from}
    JOIN "Order" o ON o."shop" = m."shop" AND o."customerShopifyId" = m."customerShopifyId"
    JOIN "OrderLine" li ON li."orderId" = o."id"
    WHERE ${m.where} AND ${countedOrder(q, "o", scope.ordersUntil)}
    GROUP BY COALESCE(li."productShopifyId", li."title")
    ORDER BY ${PRODUCT_ORDER[sort]}, product ASC
    LIMIT ${PRODUCTS_SHOWN}`;
  const rows = await scope.prisma.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...q.values);
  return rows.map(productRow);
}

/** Segments per pass of `figuresOfSegments`: each is one bit of a customer's 64-bit mask (the sign bit left out). */
const SEGMENTS_PER_MASK = 63;

/**
 * Each member's segments among `segmentIds` (up to 63) as one mask, a bit per segment: `seg`
 * (segment, bit) and `masks` (customerShopifyId, customerId, mask), grouped along the
 * memberships' (shop, customerShopifyId) index. A sum over a segment's members is then a sum per
 * mask, added up over the masks with its bit (EACH_SEGMENT_OF_MASK): at 1M orders the 274,589
 * members of the 28 built-ins fall into 194 masks, so the sums are grouped per mask instead of
 * per membership (~2M rows). A member's bit is a CASE on the segment, not a join with `seg`: SQLite
 * scanned `seg` for each membership (1.8 s against 0.8 s). A sum of distinct bits is their OR;
 * PostgreSQL sums bigints as numeric, so BIT_OR there.
 */
function segmentMasks(q: SqlParams, shop: string, segmentIds: readonly number[]): string {
  const id = (segmentId: number) => (q.dialect === "postgresql" ? `CAST(${q.param(segmentId)} AS integer)` : q.param(segmentId));
  const bits = segmentIds.map((segmentId, bit) => `(${id(segmentId)}, ${bit})`).join(", ");
  const bitOf = `CASE m."segmentId" ${segmentIds.map((segmentId, bit) => `WHEN ${id(segmentId)} THEN ${bit}`).join(" ")} END`;
  const mask = q.dialect === "postgresql" ? `BIT_OR(CAST(1 AS bigint) << ${bitOf})` : `SUM(1 << ${bitOf})`;
  return `seg("segmentId", bit) AS (VALUES ${bits}),
    masks AS (
      SELECT m."customerShopifyId" AS "customerShopifyId", MAX(m."customerId") AS "customerId", ${mask} AS mask
      FROM "SegmentMembership" m
      WHERE m."shop" = ${q.param(shop)} AND m."segmentId" IN (${segmentIds.map(id).join(", ")})
      GROUP BY m."customerShopifyId"
    )`;
}

/**
 * The segments of `seg` each row of `per_mask pm` counts in. CROSS JOIN keeps SQLite from taking
 * `seg` as the outer loop, which evaluated the whole `per_mask` once per segment (35 s at 1M).
 */
const EACH_SEGMENT_OF_MASK = `per_mask pm CROSS JOIN seg WHERE (pm.mask >> seg.bit) & 1 = 1`;

/** The profile sums (CustomerTotals without the lines) of up to 63 segments, a row per segment with members. */
function profileSumsOfSegmentsSql(dialect: SqlDialect, shop: string, snapshotId: number, segmentIds: readonly number[]): [string, ...unknown[]] {
  const q = new SqlParams(dialect);
  const masks = segmentMasks(q, shop, segmentIds);
  const names = Object.keys(profileSumColumns(q));
  const sql = `WITH ${masks}, per_mask AS (
      SELECT k.mask AS mask, ${profileSums(q)}
      FROM masks k JOIN "CustomerProfile" p ON p."snapshotId" = ${q.param(snapshotId)} AND p."customerId" = k."customerId" AND p."shop" = ${q.param(shop)}
      GROUP BY k.mask
    )
    SELECT seg."segmentId" AS "segmentId", ${names.map((name) => `SUM(pm."${name}") AS "${name}"`).join(", ")}
    FROM ${EACH_SEGMENT_OF_MASK}
    GROUP BY seg."segmentId"`;
  return [sql, ...q.values];
}

/**
 * The popular products of up to 63 segments in one pass over the shop's counted lines (each line
 * carries its order's buyer while the order counts, and its purchase time: decision 037), summed
 * per customer and product, then per (mask, product), then per segment, each segment's products
 * ranked in the three sorts by the same order as `popularProducts`. A customer's orders are
 * theirs alone, so summing per-customer order counts counts each order once, and each customer
 * row is one distinct customer. At 1M orders: 60k (mask, product) sums to expand instead of
 * joining the customers' 1.9M sums with their ~2M memberships, 5.4–5.7 s instead of 14.6 s on
 * SQLite (bench/RESULTS.md, twenty-fourth session).
 */
function productsOfSegmentsSql(dialect: SqlDialect, shop: string, until: Date, segmentIds: readonly number[]): [string, ...unknown[]] {
  const l = new SqlParams(dialect);
  const masks = segmentMasks(l, shop, segmentIds);
  const rank = (sort: ProductSort) => `ROW_NUMBER() OVER (PARTITION BY "segmentId" ORDER BY ${PRODUCT_ORDER[sort]}, product ASC) AS "${sort}Rank"`;
  const sql = `WITH ${masks}, bought AS (
      SELECT li."buyerId" AS buyer, COALESCE(li."productShopifyId", li."title") AS product, MAX(li."title") AS title,
        COUNT(DISTINCT li."orderId") AS orders, SUM(li."quantity") AS quantity, SUM(${l.float(`li."amount"`)}) AS revenue
      FROM "OrderLine" li
      WHERE li."shop" = ${l.param(shop)} AND li."buyerId" IS NOT NULL AND ${l.dateColumn(`li."purchasedAt"`)} <= ${l.dateParam(until)}
      GROUP BY li."buyerId", COALESCE(li."productShopifyId", li."title")
    ), per_mask AS (
      SELECT k.mask AS mask, b.product AS product, MAX(b.title) AS title, SUM(b.orders) AS orders, SUM(b.quantity) AS quantity,
        SUM(b.revenue) AS revenue, COUNT(*) AS customers
      FROM bought b JOIN masks k ON k."customerId" = b.buyer
      GROUP BY k.mask, b.product
    ), per_segment AS (
      SELECT seg."segmentId" AS "segmentId", pm.product AS product, MAX(pm.title) AS title, SUM(pm.orders) AS orders, SUM(pm.quantity) AS quantity,
        SUM(pm.revenue) AS revenue, SUM(pm.customers) AS customers
      FROM ${EACH_SEGMENT_OF_MASK}
      GROUP BY seg."segmentId", pm.product
    )
    SELECT * FROM (
      SELECT "segmentId", product, title, orders, quantity, revenue, customers,
        SUM(quantity) OVER (PARTITION BY "segmentId") AS items, SUM(revenue) OVER (PARTITION BY "segmentId") AS "itemRevenue",
        ${PRODUCT_SORTS.map(rank).join(", ")}
      FROM per_segment
    ) ranked
    WHERE ${PRODUCT_SORTS.map((sort) => `"${sort}Rank" <= ${PRODUCTS_SHOWN}`).join(" OR ")}`;
  return [sql, ...l.values];
}

/**
 * The figures of several segments at once, for the membership refresh, 63 segments a pass: the
 * profile sums (`profileSumsOfSegmentsSql`) and the popular products (`productsOfSegmentsSql`)
 * through each member's mask of segments. The store's totals: `customerTotals` as the page
 * computes them.
 */
export async function figuresOfSegments(prisma: Database, dialect: SqlDialect, shop: string, analysis: Pick<CurrentAnalysis, "snapshotId" | "computedAt">, segmentIds: readonly number[]): Promise<Map<number, SegmentFigures>> {
  const out = new Map<number, SegmentFigures>();
  if (segmentIds.length === 0) return out;
  const scope: Scope = { prisma, dialect, shop, segmentId: -1, snapshotId: analysis.snapshotId, ordersUntil: analysis.computedAt };
  const store = await customerTotals(scope, false);
  const profiles: Record<string, unknown>[] = [];
  const products: Record<string, unknown>[] = [];
  for (let i = 0; i < segmentIds.length; i += SEGMENTS_PER_MASK) {
    const pass = segmentIds.slice(i, i + SEGMENTS_PER_MASK);
    const [profileSql, ...profileValues] = profileSumsOfSegmentsSql(dialect, shop, analysis.snapshotId, pass);
    profiles.push(...(await prisma.$queryRawUnsafe<Record<string, unknown>[]>(profileSql, ...profileValues)));
    const [productSql, ...productValues] = productsOfSegmentsSql(dialect, shop, analysis.computedAt, pass);
    products.push(...(await prisma.$queryRawUnsafe<Record<string, unknown>[]>(productSql, ...productValues)));
  }

  for (const id of segmentIds) out.set(id, { segment: EMPTY_TOTALS, store, products: { orders: [], revenue: [], customers: [] } });
  const lines = new Map<number, { items: unknown; itemRevenue: unknown }>();
  for (const r of products) {
    const figures = out.get(num(r.segmentId))!;
    lines.set(num(r.segmentId), { items: r.items, itemRevenue: r.itemRevenue });
    for (const sort of PRODUCT_SORTS) {
      const position = num(r[`${sort}Rank`]);
      if (position <= PRODUCTS_SHOWN) figures.products[sort][position - 1] = productRow(r);
    }
  }
  for (const p of profiles) {
    const id = num(p.segmentId);
    out.get(id)!.segment = totalsOf(p, lines.get(id) ?? { items: 0, itemRevenue: 0 });
  }
  return out;
}

/**
 * Computes and stores the figures of `segmentIds` (just refreshed) against `analysis`. Each is
 * stamped with the segment's membersAsOf read before computing, and written only if it has not
 * changed meanwhile (a concurrent refresh of that segment: its own figures are the next run's).
 */
export async function storeSegmentFigures(prisma: Database, dialect: SqlDialect, shop: string, analysis: Pick<CurrentAnalysis, "snapshotId" | "computedAt">, segmentIds: readonly number[]): Promise<number> {
  const refreshed = await prisma.segment.findMany({ where: { shop, id: { in: [...segmentIds] }, membersAsOf: { not: null }, membersSnapshotId: analysis.snapshotId }, select: { id: true, membersAsOf: true } });
  if (refreshed.length === 0) return 0;
  const figures = await figuresOfSegments(prisma, dialect, shop, analysis, refreshed.map((s) => s.id));
  let stored = 0;
  for (const { id, membersAsOf } of refreshed) {
    const data = { shop, membersAsOf: membersAsOf!, snapshotId: analysis.snapshotId, analysisAt: analysis.computedAt, figures: JSON.stringify({ version: SEGMENT_FIGURES_VERSION, ...figures.get(id) }) };
    await prisma.$transaction(async (tx) => {
      const still = await tx.segment.findFirst({ where: { id, membersAsOf }, select: { id: true } });
      if (!still) return;
      await tx.segmentFigures.upsert({ where: { segmentId: id }, create: { segmentId: id, ...data }, update: data });
      stored++;
    });
  }
  return stored;
}

/** The stored figures of a segment if they describe its current membership refresh and the shop's current analysis; else null. */
export async function storedSegmentFigures(prisma: Database, segment: { id: number; membersAsOf: Date }, analysis: Pick<CurrentAnalysis, "snapshotId" | "computedAt">): Promise<SegmentFigures | null> {
  const row = await prisma.segmentFigures.findUnique({ where: { segmentId: segment.id } });
  if (!row) return null;
  const fits = row.membersAsOf.getTime() === segment.membersAsOf.getTime() && row.snapshotId === analysis.snapshotId && row.analysisAt.getTime() === analysis.computedAt.getTime();
  if (!fits) return null;
  const { version, ...figures } = JSON.parse(row.figures) as SegmentFigures & { version?: number };
  return version === SEGMENT_FIGURES_VERSION ? figures : null;
}
