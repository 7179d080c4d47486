import { appContext, appNow } from "~/services/sync.server";
import { lifecycleReason, type LifecycleReason } from "~/analytics/lifecycle/lifecycle-reason";
import type { LifecycleStage } from "~/analytics/lifecycle/lifecycle-stage";
import { matchingCustomersSql, searchTermRanges } from "~/customers/customer-search";
import { SqlParams } from "~/segment-page/sql-query";
import { CUSTOMERS_PER_PAGE, sortValueMayBeMissing, type CustomerListQuery, type CustomerSort } from "~/customers/customer-list-query";
import { type CursorValue, encodeListCursor, pagePosition } from "~/customers/list-cursor";
import type { Prisma } from "~/generated/prisma/sqlite/client";
import type { RevenueBasis } from "~/settings/schema";
import { analysisStatusOf, readAnalysisState, type AnalysisStatus } from "~/snapshots/read-analysis.server";
import { predictionHorizon, type PredictionHorizon } from "~/snapshots/snapshot-document";

export interface CustomerListRow {
  customerShopifyId: string;
  /** Redacted customers, and customers known only by id, are anonymous: no name, no e-mail. */
  anonymous: boolean;
  name: string | null;
  email: string | null;
  lifecycle: string;
  group: string;
  churnRisk: string | null;
  pAlive: number | null;
  expectedPurchases: number | null;
  clv: number | null;
  clvLow: number | null;
  clvHigh: number | null;
  /** ISO date (shop-local day) or null when no order is expected within a year. */
  nextOrderAt: string | null;
  lastOrderAt: string;
  totalSpent: number;
  orders: number;
  /** Why the lifecycle stage is what it is, from the same numbers; rendered by the page. */
  reason: LifecycleReason;
}

export interface CustomerList {
  query: CustomerListQuery;
  /** Customers matching the filters (stage, search). */
  total: number;
  /** How many matching customers come before this page's first row. */
  from: number;
  /** Cursors for the neighbouring pages, null at either end. */
  previousCursor: string | null;
  nextCursor: string | null;
  pageSize: number;
  currencyCode: string | null;
  /** The revenue basis of the profiles' money amounts (that of the analysis they were computed with). */
  revenueBasis: RevenueBasis;
  /**
   * How fresh the profiles are: the generation's latest per-order refresh (or when the analysis
   * was stored), when the store was last fitted, and the server's now (ISO instants).
   */
  freshness: { profilesUpdatedAt: string; fittedAt: string; now: string } | null;
  /** Whether new figures are being computed (a setting changed), or the last recompute failed. */
  analysisStatus: AnalysisStatus;
  /** The span the expected orders are for (the fitted model's horizon), null without a fitted model. */
  horizon: PredictionHorizon | null;
  rows: CustomerListRow[];
}

/** The profile column behind each sort (whether it can be missing: sortValueMayBeMissing). */
const SORT_COLUMNS = {
  clv: "predictedClv",
  pAlive: "pAlive",
  lastOrder: "lastOrderAt",
  totalSpent: "totalSpent",
} as const satisfies Record<CustomerSort, keyof Prisma.CustomerProfileWhereInput>;

type Where = Prisma.CustomerProfileWhereInput;

/**
 * Rows strictly after (`side` "after") or before the cursor row in the list's order: by the sort
 * value in the direction with missing values last, ties by customer id ascending.
 */
function beyondCursor(sort: CustomerSort, direction: "asc" | "desc", cursor: { value: CursorValue; customerShopifyId: string }, side: "after" | "before"): Where {
  const field = SORT_COLUMNS[sort];
  const nullable = sortValueMayBeMissing(sort);
  const id = cursor.customerShopifyId;
  const value = cursor.value === null ? null : field === "lastOrderAt" ? new Date(String(cursor.value)) : cursor.value;
  const later = (direction === "desc") === (side === "after") ? "lt" : "gt";
  const idSide = side === "after" ? "gt" : "lt";
  if (value === null) {
    return side === "after" ? { [field]: null, customerShopifyId: { [idSide]: id } } : { OR: [{ [field]: { not: null } }, { [field]: null, customerShopifyId: { [idSide]: id } }] };
  }
  const or: Where[] = [{ [field]: { [later]: value } }, { [field]: value, customerShopifyId: { [idSide]: id } }];
  if (nullable && side === "after") or.push({ [field]: null });
  return { OR: or };
}

/** A cursor's value must be of the sort's kind: a number (or none) for CLV and P(alive), a date, or a decimal amount. */
function cursorFits(sort: CustomerSort, value: CursorValue): boolean {
  if (sort === "clv" || sort === "pAlive") return value === null || typeof value === "number";
  if (sort === "lastOrder") return typeof value === "string" && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(value) && !Number.isNaN(Date.parse(value));
  return typeof value === "string" && /^-?\d{1,20}(\.\d{1,30})?$/.test(value);
}

/**
 * The list in parts, in the order they are read: a nullable sort's profiles with a value (by
 * value in the direction, ties by customer id), then those without (by customer id). Each part
 * is ordered by its column alone, so the database walks the generation's (snapshotId, column)
 * index and stops after a page; "value DESC NULLS LAST" in one ORDER BY (which Prisma writes as a
 * CASE expression on SQLite) sorted every profile of the shop for each page: 4–6 s at 275k.
 * `reversed` reads from the cursor backwards (the page before), parts and rows in reverse.
 */
function listParts(
  sort: CustomerSort,
  direction: "asc" | "desc",
  cursor: { value: CursorValue; customerShopifyId: string } | null,
  side: "after" | "before",
): { where: Where; orderBy: Prisma.CustomerProfileOrderByWithRelationInput[] }[] {
  const field = SORT_COLUMNS[sort];
  const nullable = sortValueMayBeMissing(sort);
  const reversed = side === "before";
  const dir = reversed ? (direction === "asc" ? "desc" : "asc") : direction;
  const idDir: Prisma.SortOrder = reversed ? "desc" : "asc";
  type Part = { where: Where; orderBy: Prisma.CustomerProfileOrderByWithRelationInput[] };
  const valued: Part = { where: nullable ? ({ [field]: { not: null } } as Where) : {}, orderBy: [{ [field]: dir }, { customerShopifyId: idDir }] };
  const unvalued: Part = { where: { [field]: null } as Where, orderBy: [{ customerShopifyId: idDir }] };
  const parts = nullable ? (reversed ? [unvalued, valued] : [valued, unvalued]) : [valued];
  if (!cursor) return parts;
  const id = cursor.customerShopifyId;
  const idSide = side === "after" ? "gt" : "lt";
  if (cursor.value === null) {
    // The cursor row is in the part without values: later rows there, then (backwards) every valued row.
    const within: Part = { ...unvalued, where: { [field]: null, customerShopifyId: { [idSide]: id } } as Where };
    return reversed ? [within, valued] : [within];
  }
  const value = field === "lastOrderAt" ? new Date(String(cursor.value)) : cursor.value;
  const later = (direction === "desc") === (side === "after") ? "lt" : "gt";
  const within: Part = { ...valued, where: { OR: [{ [field]: { [later]: value } }, { [field]: value, customerShopifyId: { [idSide]: id } }] } as Where };
  return nullable && !reversed ? [within, unvalued] : [within];
}

/** The position of a row in the list's order: its sort value and customer id. */
function positionOf(sort: CustomerSort, p: { predictedClv: number | null; pAlive: number | null; lastOrderAt: Date; totalSpent: { toString(): string }; customerShopifyId: string }) {
  const value = sort === "clv" ? p.predictedClv : sort === "pAlive" ? p.pAlive : sort === "lastOrder" ? p.lastOrderAt.toISOString() : p.totalSpent.toString();
  return { value, customerShopifyId: p.customerShopifyId };
}

function cursorOf(sort: CustomerSort, p: Parameters<typeof positionOf>[1]): string {
  const { value, customerShopifyId } = positionOf(sort, p);
  return encodeListCursor(value, customerShopifyId);
}

/**
 * Up to this many matches the list reads them by id: on SQLite all of them, sorted and paged
 * here (Prisma binds at most 999 values there, and SQLite, without statistics, walked the sort
 * index through every profile looking for a few ids); on PostgreSQL a page of them, as the
 * planner sees the list is short (Prisma binds up to 32,766 values there).
 */
const MATCHES_LISTED = { sqlite: 900, postgresql: 30_000 } as const;

/**
 * Every word of the search starts a word of the name or the e-mail (customer-search.ts);
 * redacted customers never match. The matches are found from the terms' (shop, term) index and
 * looked up in the generation by primary key, which also counts them. Up to MATCHES_LISTED
 * matches are then read by their ids (`pagedHere`: all of them, paged by the service); more are
 * filtered per profile by the profile's own terms (primary key (customerId, term)) along the
 * sort's index, where a page of 50 comes after about 50 × profiles ÷ matches rows. (Prisma
 * writes a relation filter as an EXISTS per profile: with the shop in it, SQLite read every
 * matching term for each profile.)
 */
async function searchFilter(shop: string, snapshotId: number, lifecycle: string | null, search: string): Promise<{ where: Where; total: number; pagedHere: boolean }> {
  const { prisma, dialect } = appContext();
  const ranges = searchTermRanges(search, dialect);
  if (ranges.length === 0) return { where: { customerShopifyId: { in: [] } }, total: 0, pagedHere: true };
  const matches = (select: string, limit: string) => {
    const q = new SqlParams(dialect);
    // CROSS JOIN: SQLite reads the matches first (it has no statistics to tell it they are few).
    // A redacted customer has no terms (redaction blanks the names, the trigger deletes them), so
    // the matches need no look-up of the customer (on PostgreSQL 0.25 s of 0.3 s for 7k matches).
    const sql = `SELECT ${select} FROM (${matchingCustomersSql((v) => q.param(v), shop, ranges)}) x
      CROSS JOIN "CustomerProfile" p
      WHERE p."snapshotId" = ${q.param(snapshotId)} AND p."customerId" = x."customerId"${lifecycle ? ` AND p."lifecycleStage" = ${q.param(lifecycle)}` : ""}${limit}`;
    return prisma.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...q.values);
  };
  const listed = MATCHES_LISTED[dialect];
  const ids = (await matches(`p."customerId" AS id`, ` LIMIT ${listed + 1}`)).map((r) => Number(r.id));
  if (ids.length <= listed) return { where: { customerId: { in: ids } }, total: ids.length, pagedHere: dialect === "sqlite" };
  const [{ n }] = await matches("COUNT(*) AS n", "");
  const where = { customer: { redactedAt: null, AND: ranges.map(({ from, to }) => ({ searchTerms: { some: { term: { gte: from, lt: to } } } })) } } as Where;
  return { where, total: Number(n), pagedHere: false };
}

/** The list's order between two positions: the sort value in the direction, missing values last, ties by customer id ascending. */
function compareRows(sort: CustomerSort, direction: "asc" | "desc", a: { value: CursorValue; customerShopifyId: string }, b: { value: CursorValue; customerShopifyId: string }): number {
  const byId = a.customerShopifyId < b.customerShopifyId ? -1 : a.customerShopifyId > b.customerShopifyId ? 1 : 0;
  if (a.value === null || b.value === null) return a.value === b.value ? byId : a.value === null ? 1 : -1;
  const number = (v: Exclude<CursorValue, null>) => (sort === "lastOrder" ? Date.parse(String(v)) : Number(v));
  const difference = number(a.value) - number(b.value);
  return difference === 0 ? byId : (direction === "asc" ? 1 : -1) * Math.sign(difference);
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10);
const maybe = (value: number | null) => (value === null || Number.isNaN(value) ? null : value);

/**
 * One page of the shop's customers with their profiles from the current analysis (F7), sorted
 * by predicted CLV, P(alive), last order or total spent (ties by customer id, so every row
 * appears exactly once across pages), optionally of one lifecycle stage. Names and e-mails come
 * from the profile's customer; customers without predictions sort last whatever the direction.
 */
export async function listCustomers(shop: string, query: CustomerListQuery): Promise<CustomerList> {
  const { prisma } = appContext();
  const [state, shopRow] = await Promise.all([readAnalysisState(prisma, shop), prisma.shop.findUnique({ where: { shop }, select: { currencyCode: true } })]);
  const { current } = state;
  const analysisStatus = analysisStatusOf(state);
  if (!current) return { query, total: 0, from: 0, previousCursor: null, nextCursor: null, pageSize: CUSTOMERS_PER_PAGE, currencyCode: shopRow?.currencyCode ?? null, revenueBasis: "current_total", freshness: null, analysisStatus, horizon: null, rows: [] };
  const search = query.search ? await searchFilter(shop, current.snapshotId, query.lifecycle, query.search) : null;
  const filters: Where = { snapshotId: current.snapshotId, ...(query.lifecycle ? { lifecycleStage: query.lifecycle } : {}), ...search?.where };
  const cursor = pagePosition(query, (value) => cursorFits(query.sort, value));
  const backwards = query.before !== null;
  const include = { customer: { select: { firstName: true, lastName: true, email: true, redactedAt: true } } } as const;
  // A search's matches read by primary key and paged here, in the list's order (searchFilter):
  // SQLite walked the sort's index through every profile for 70 ids (0.6 s at 275k).
  const pageOfMatches = async () => {
    const all = (await prisma.customerProfile.findMany({ where: filters, include })).sort((a, b) => compareRows(query.sort, query.direction, positionOf(query.sort, a), positionOf(query.sort, b)));
    const beyond = (p: (typeof all)[number]) => compareRows(query.sort, query.direction, positionOf(query.sort, p), cursor!);
    const start = cursor === null ? 0 : backwards ? Math.max(0, all.findLastIndex((p) => beyond(p) < 0) + 1 - CUSTOMERS_PER_PAGE) : all.findIndex((p) => beyond(p) > 0);
    const end = cursor !== null && backwards ? all.findLastIndex((p) => beyond(p) < 0) + 1 : start + CUSTOMERS_PER_PAGE;
    return { from: start < 0 ? all.length : start, profiles: start < 0 ? [] : all.slice(start, end) };
  };
  const readPage = async () => {
    const found = [];
    for (const part of listParts(query.sort, query.direction, cursor, backwards ? "before" : "after")) {
      if (found.length === CUSTOMERS_PER_PAGE) break;
      found.push(
        ...(await prisma.customerProfile.findMany({
          where: { AND: [filters, part.where] },
          orderBy: part.orderBy,
          take: CUSTOMERS_PER_PAGE - found.length,
          include,
        })),
      );
    }
    return found;
  };
  // The range on customerId (every id is positive: autoincrement from 1) counts along the primary
  // key, in the generation's row order: with the snapshot id alone, SQLite took a secondary index
  // (then (snapshotId, spendTier, totalSpent)) and read the rows in its order (0.9 s at 275k with a
  // lifecycle filter, against 0.1 s).
  const settings = current.document.settings;
  const lifecycle = { newCustomerDays: settings.newCustomerDays, activeFactor: settings.lifecycleActiveFactor, lostFactor: settings.lifecycleLostFactor };
  const listPage = (total: number, { from, profiles }: { from: number; profiles: Awaited<ReturnType<typeof readPage>> }): CustomerList => ({
    query,
    total,
    from,
    previousCursor: from > 0 ? cursorOf(query.sort, profiles[0]) : null,
    nextCursor: from + profiles.length < total ? cursorOf(query.sort, profiles[profiles.length - 1]) : null,
    pageSize: CUSTOMERS_PER_PAGE,
    currencyCode: shopRow?.currencyCode ?? null,
    revenueBasis: current.document.revenue.revenueBasis,
    freshness: { profilesUpdatedAt: current.profilesUpdatedAt.toISOString(), fittedAt: current.computedAt.toISOString(), now: appNow().toISOString() },
    analysisStatus,
    horizon: predictionHorizon(current.document),
    rows: profiles.map((p) => {
      const customer = p.customer;
      const fullName = [customer.firstName, customer.lastName].filter(Boolean).join(" ") || null;
      // Redacted, or known only by id (orders arrived before the customer record): nothing to show.
      const anonymous = customer.redactedAt !== null || (fullName === null && customer.email === null);
      const name = anonymous ? null : fullName;
      return {
        customerShopifyId: p.customerShopifyId,
        anonymous,
        name,
        email: anonymous ? null : customer.email,
        lifecycle: p.lifecycleStage,
        group: p.customerGroup,
        churnRisk: p.churnRisk,
        pAlive: maybe(p.pAlive),
        expectedPurchases: maybe(p.expectedOrders),
        clv: maybe(p.predictedClv),
        clvLow: maybe(p.predictedClvLow),
        clvHigh: maybe(p.predictedClvHigh),
        nextOrderAt: p.nextOrderAt ? isoDay(p.nextOrderAt) : null,
        lastOrderAt: isoDay(p.lastOrderAt),
        totalSpent: Number(p.totalSpent),
        orders: p.orderCount,
        reason: lifecycleReason(
          {
            stage: p.lifecycleStage as LifecycleStage,
            repeatPurchases: p.repeatPurchases,
            daysSinceFirstOrder: p.daysSinceFirstOrder,
            daysSinceLastOrder: p.daysSinceLastOrder,
            usualGapDays: p.usualGapDays,
          },
          lifecycle,
        ),
      };
    }),
  });
  if (search?.pagedHere) return listPage(search.total, await pageOfMatches());
  // A search counted its matches already.
  const [total, found] = await Promise.all([search?.total ?? prisma.customerProfile.count({ where: { AND: [filters, { customerId: { gt: 0 } }] } }), readPage()]);
  const profiles = backwards ? found.reverse() : found;
  // The first page (no cursor) starts at 0; any other counts the rows before its first.
  // The branches of "before" are disjoint (a later value; the same value and a lower id; with or
  // without a value), so they are counted apart and added: each is a range of one index, where
  // their OR made SQLite count through every profile (5.9 s at page 501 of 275k).
  const before = profiles.length === 0 || cursor === null ? null : beyondCursor(query.sort, query.direction, positionOf(query.sort, profiles[0]), "before");
  const from =
    before === null
      ? 0
      : (await Promise.all((Array.isArray(before.OR) ? before.OR : [before]).map((branch) => prisma.customerProfile.count({ where: { AND: [filters, branch] } })))).reduce((a, b) => a + b, 0);
  return listPage(total, { from, profiles });
}
