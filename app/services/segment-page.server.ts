/**
 * The segment page (issue 11 item 4, seed 002 "Detaljer om segmenter"): a segment's header,
 * overview and per-customer insights against the whole store, its most popular products, its
 * members (sorted, searched, paged by keyset) and its member count over time; and the CSV
 * export of its members, streamed page by page.
 *
 * Everything reads the stored membership (SegmentMembership, written by the segments module's
 * refresh) joined with the profiles of the shop's CURRENT analysis; rules are never evaluated
 * here. Order-based figures (units, product prices, products) read the members' counted orders
 * (not test, not cancelled, not deleted: METRICS.md "Inputs") up to when that analysis was
 * stored, so they describe the same orders as the profiles.
 */
import { type SegmentLabel, segmentLabel } from "~/segments/builtin-segments";
import { parseStoredRule, ruleConditions } from "~/segments/rule-tree";
import { purchaseValueLabels } from "~/segments/value-options.server";
import { matchingCustomersSql, searchTermRanges } from "~/customers/customer-search";
import { CUSTOMERS_PER_PAGE, sortValueMayBeMissing, type CustomerListQuery, type CustomerSort } from "~/customers/customer-list-query";
import { encodeListCursor, pagePosition, type CursorValue } from "~/customers/list-cursor";
import { csvHeader, csvRow, exportFileName, type ExportRow } from "~/segment-page/export-csv";
import { compare, INSIGHT_FIGURES, insightFigures, OVERVIEW_FIGURES, overviewFigures, type ComparedFigure, type InsightFigure, type OverviewFigure } from "~/segment-page/segment-figures";
import { customerTotals, membersOf, popularProducts, profileOfMember, storedSegmentFigures, type ProductRow, type Scope } from "~/segment-page/figures.server";
import type { ProductSort, SegmentPageQuery } from "~/segment-page/segment-page-query";
import { dateOf, num, numOrNull, SqlParams } from "~/segment-page/sql-query";
import { ts } from "~/sync/store/batch-values";
import type { RevenueBasis } from "~/settings/schema";
import { analysisStatusOf, readAnalysisState, readCurrentAnalysis, type AnalysisStatus } from "~/snapshots/read-analysis.server";
import { appContext, appNow } from "~/services/sync.server";
import type { Database } from "~/db.server";
import { postgresBulkPool, sqliteBulkConnection } from "~/db/bulk-connections.server";
import type { DatabaseConfig } from "~/db/database-url";

/** The segment does not exist for this shop, or is being deleted: the route answers 404. */
export class SegmentNotFoundError extends Error {
  constructor() {
    super("segment not found");
    this.name = "SegmentNotFoundError";
  }
}

export interface SegmentHeader {
  id: number;
  name: string;
  handle: string;
  /** A built-in's name as translation data (segmentName shows it in the admin's language). */
  label: SegmentLabel | null;
  kind: "builtin" | "custom";
  description: string | null;
  /** The stored rule tree (JSON); the page words it in the admin's language (rule-summary.ts). */
  rules: string;
  /** The titles of the products the rule names (it stores their ids), by product id. */
  ruleProducts: Record<string, string>;
  memberCount: number;
  controlCount: number;
  /** Members ÷ the customers of the current analysis (the store's customers in the overview). */
  share: number | null;
  /** When membership was last refreshed (ISO instant), null: never. */
  membersAsOf: string | null;
  /** Membership was refreshed from an earlier analysis than the figures shown. */
  membershipFromEarlierAnalysis: boolean;
  controlGroupPercent: number;
}

export type SegmentPageState =
  /** No analysis stored yet: nothing to compare with. */
  | "no-analysis"
  /** The segment's members have not been computed yet. */
  | "not-computed"
  /** Computed, and nobody is in it. */
  | "no-members"
  | "ready";

export type { ProductRow };

export interface MemberRow {
  customerShopifyId: string;
  /** The id of the customer's page, /app/customers/:customerId. */
  customerId: number;
  anonymous: boolean;
  name: string | null;
  email: string | null;
  holdOut: boolean;
  lifecycle: string;
  group: string;
  orders: number;
  totalSpent: number;
  clv: number | null;
  pAlive: number | null;
  lastOrderAt: string;
}

export interface MemberList {
  query: CustomerListQuery;
  total: number;
  from: number;
  previousCursor: string | null;
  nextCursor: string | null;
  pageSize: number;
  rows: MemberRow[];
}

export interface SegmentPage {
  segment: SegmentHeader;
  state: SegmentPageState;
  currencyCode: string | null;
  revenueBasis: RevenueBasis;
  /** When the analysis the figures come from was stored (ISO instant), null: none yet. */
  analysisAt: string | null;
  /** Whether new figures are being computed (a setting changed), or the last recompute failed. */
  analysisStatus: AnalysisStatus;
  overview: ComparedFigure<OverviewFigure>[] | null;
  insights: ComparedFigure<InsightFigure>[] | null;
  products: { sort: ProductSort; rows: ProductRow[] };
  members: MemberList;
  /**
   * Orders moved customers in or out since the full refresh the stored figures are from (the
   * per-order refresh keeps the count and the list current, the figures follow with the next
   * full analysis, nightly or after many orders): when (ISO instant) and how many customers. Null
   * when the figures are current.
   */
  figuresBehindMembers: { since: string; customers: number } | null;
  /** Member count after each refresh, oldest first. */
  history: { at: string; members: number; controls: number }[];
}

const HISTORY_POINTS = 400;

/** Titles of the products a stored rule names, by id (the builder's labels: value-options.server.ts). */
async function ruleProductTitles(prisma: Database, dialect: DatabaseConfig["dialect"], shop: string, rulesVersion: number, rules: string): Promise<Record<string, string>> {
  const rule = parseStoredRule(rulesVersion, rules);
  const ids = rule ? [...new Set(ruleConditions(rule).flatMap((c) => (c.field === "product" && Array.isArray(c.value) ? c.value.map(String) : [])))] : [];
  const labels = await purchaseValueLabels(prisma, dialect, shop, "product", ids);
  return Object.fromEntries(labels.map(({ value, label }) => [value, label]));
}

/** The segment of this shop, unless it is being deleted. */
async function findSegment(prisma: Database, shop: string, id: number) {
  const segment = await prisma.segment.findFirst({ where: { id, shop, deletingAt: null } });
  if (!segment) throw new SegmentNotFoundError();
  return segment;
}

/** The segment page's data for the authenticated shop. */
export async function loadSegmentPage(shop: string, segmentId: number, query: SegmentPageQuery): Promise<SegmentPage> {
  const { prisma, dialect } = appContext();
  const segment = await findSegment(prisma, shop, segmentId);
  const [analysisState, shopRow, history, ruleProducts] = await Promise.all([
    readAnalysisState(prisma, shop),
    prisma.shop.findUnique({ where: { shop }, select: { currencyCode: true } }),
    prisma.segmentMemberCount.findMany({ where: { segmentId: segment.id }, orderBy: { at: "desc" }, take: HISTORY_POINTS }),
    ruleProductTitles(prisma, dialect, shop, segment.rulesVersion, segment.rules),
  ]);
  const current = analysisState.current;
  const emptyMembers: MemberList = { query: query.members, total: 0, from: 0, previousCursor: null, nextCursor: null, pageSize: CUSTOMERS_PER_PAGE, rows: [] };
  const header: SegmentHeader = {
    id: segment.id,
    name: segment.name,
    label: segmentLabel(segment),
    handle: segment.handle,
    kind: segment.kind === "builtin" ? "builtin" : "custom",
    description: segment.description,
    rules: segment.rules,
    ruleProducts,
    memberCount: segment.memberCount,
    controlCount: segment.controlCount,
    share: null,
    membersAsOf: segment.membersAsOf?.toISOString() ?? null,
    membershipFromEarlierAnalysis: current !== null && segment.membersSnapshotId !== null && segment.membersSnapshotId !== current.snapshotId,
    controlGroupPercent: segment.controlGroupPercent,
  };
  const page: SegmentPage = {
    segment: header,
    state: current === null ? "no-analysis" : segment.membersAsOf === null ? "not-computed" : "ready",
    currencyCode: shopRow?.currencyCode ?? null,
    revenueBasis: current?.document.revenue.revenueBasis ?? "current_total",
    analysisAt: current?.computedAt.toISOString() ?? null,
    analysisStatus: analysisStatusOf(analysisState),
    overview: null,
    insights: null,
    products: { sort: query.productSort, rows: [] },
    members: emptyMembers,
    figuresBehindMembers: null,
    history: history.reverse().map((h) => ({ at: h.at.toISOString(), members: h.members, controls: h.controls })),
  };
  if (current === null || segment.membersAsOf === null) return page;

  const scope: Scope = { prisma, dialect, shop, segmentId: segment.id, snapshotId: current.snapshotId, ordersUntil: current.computedAt };
  // Everything but the member page depends only on the membership and the analysis: stored by the
  // membership refresh (figures.server.ts); computed here, and kept per (segment, membership, analysis), when not.
  const [stored, lastOrderChange] = await Promise.all([
    storedSegmentFigures(prisma, { id: segment.id, membersAsOf: segment.membersAsOf }, current),
    // The per-order refresh's latest join or leave since the full refresh (by the (segmentId, at) index).
    prisma.segmentMembershipChange.findFirst({ where: { segmentId: segment.id, at: { gt: segment.membersAsOf } }, orderBy: { at: "desc" }, select: { at: true } }),
  ]);
  const membership = `${segment.membersAsOf.getTime()}\n${lastOrderChange?.at.getTime() ?? ""}`;
  const cacheKey = `${shop}\n${segment.id}\n${membership}\n${current.snapshotId}\n${current.computedAt.getTime()}`;
  const [segmentTotals, storeTotals, products] = stored
    ? [stored.segment, stored.store, stored.products[query.productSort]]
    : await Promise.all([
        cached(`totals\n${cacheKey}`, () => customerTotals(scope, true)),
        cached(`store\n${shop}\n${current.snapshotId}\n${current.computedAt.getTime()}`, () => customerTotals(scope, false)),
        cached(`products\n${query.productSort}\n${cacheKey}`, () => popularProducts(scope, query.productSort)),
      ]);
  // Stored figures are of the full refresh: orders since may have moved customers in or out, and
  // the page says so beside the current count and list (computed figures are of the current members).
  const behind = stored !== null && lastOrderChange !== null;
  if (behind) page.figuresBehindMembers = { since: segment.membersAsOf.toISOString(), customers: await customersChangedSince(prisma, segment.id, segment.membersAsOf) };
  // Without a search or stage filter, the list's total is the members with a profile: the totals'
  // customer count, or the current count when orders moved members since the stored totals.
  const unfiltered = query.members.search === null && query.members.lifecycle === null;
  const members = await listMembers(scope, query.members, unfiltered ? (behind ? segment.memberCount : segmentTotals.customers) : null, memberDrive(query.members, segmentTotals.customers, storeTotals.customers), segmentTotals.customers);
  if (segmentTotals.customers === 0 && unfiltered) page.state = "no-members";
  page.segment.share = storeTotals.customers > 0 ? segment.memberCount / storeTotals.customers : null;
  page.overview = compare(OVERVIEW_FIGURES, overviewFigures(segmentTotals), overviewFigures(storeTotals));
  page.insights = compare(INSIGHT_FIGURES, insightFigures(segmentTotals), insightFigures(storeTotals));
  page.products = { sort: query.productSort, rows: products };
  page.members = members;
  return page;
}

/** Customers with a join or leave of the segment after `since` (the per-order refresh's). */
async function customersChangedSince(prisma: Database, segmentId: number, since: Date): Promise<number> {
  const changed = await prisma.segmentMembershipChange.findMany({ where: { segmentId, at: { gt: since } }, distinct: ["customerShopifyId"], select: { customerShopifyId: true } });
  return changed.length;
}

/**
 * Figures that depend only on a segment's membership refresh and the analysis (its totals, its
 * products, the store's totals) when none are stored for that pair (a segment just saved, whose
 * refresh stores none; the minutes between a recompute and its membership refresh): computed
 * once per (membership, analysis) in this process, as summing every line of a large segment on each
 * page view is the page's most expensive part. A refresh sets membersAsOf, the per-order refresh
 * records its joins and leaves with their time, and a recompute makes a new analysis, so none is
 * ever stale.
 */
const figureCache = new Map<string, Promise<unknown>>();
const FIGURES_KEPT = 256;

function cached<T>(key: string, compute: () => Promise<T>): Promise<T> {
  const hit = figureCache.get(key);
  if (hit) {
    // Most recently used last: the oldest is evicted first.
    figureCache.delete(key);
    figureCache.set(key, hit);
    return hit as Promise<T>;
  }
  const value = compute();
  figureCache.set(key, value);
  value.catch(() => figureCache.delete(key));
  if (figureCache.size > FIGURES_KEPT) figureCache.delete(figureCache.keys().next().value!);
  return value;
}


/** The member list's sort columns (the Customers page's sorts), and whether a value can be missing. */
function sortColumn(q: SqlParams, sort: CustomerSort): { expression: string; nullable: boolean } {
  const nullable = sortValueMayBeMissing(sort);
  switch (sort) {
    case "clv":
      return { expression: `p."predictedClv"`, nullable };
    case "pAlive":
      return { expression: `p."pAlive"`, nullable };
    case "lastOrder":
      return { expression: q.dateColumn(`p."lastOrderAt"`), nullable };
    case "totalSpent":
      return { expression: q.float(`p."totalSpent"`), nullable };
  }
}

function cursorParam(q: SqlParams, sort: CustomerSort, value: Exclude<CursorValue, null>): string {
  return sort === "lastOrder" ? q.dateParam(new Date(String(value))) : q.param(Number(value));
}

/** A cursor's value must be of the sort's kind: a number (or none for CLV and P(alive)), or an instant for the last order. */
function cursorFits(sort: CustomerSort, value: CursorValue): boolean {
  if (sort === "clv" || sort === "pAlive") return value === null || typeof value === "number";
  if (sort === "lastOrder") return typeof value === "string" && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(value) && !Number.isNaN(Date.parse(value));
  return typeof value === "number";
}

/** Rows strictly after (or before) a position in the list's order: sort value in the direction, missing values last, ties by customer id. */
function beyond(q: SqlParams, sort: CustomerSort, direction: "asc" | "desc", position: { value: CursorValue; customerShopifyId: string }, side: "after" | "before"): string {
  const { expression, nullable } = sortColumn(q, sort);
  const idOp = side === "after" ? ">" : "<";
  const id = () => q.param(position.customerShopifyId);
  if (position.value === null) {
    return side === "after" ? `(${expression} IS NULL AND m."customerShopifyId" ${idOp} ${id()})` : `(${expression} IS NOT NULL OR m."customerShopifyId" ${idOp} ${id()})`;
  }
  const later = (direction === "desc") === (side === "after") ? "<" : ">";
  const or = [`${expression} ${later} ${cursorParam(q, sort, position.value)}`, `(${expression} = ${cursorParam(q, sort, position.value)} AND m."customerShopifyId" ${idOp} ${id()})`];
  if (nullable && side === "after") or.push(`${expression} IS NULL`);
  return `(${or.join(" OR ")})`;
}

function memberOrder(q: SqlParams, sort: CustomerSort, direction: "asc" | "desc", reversed: boolean): string {
  const { expression, nullable } = sortColumn(q, sort);
  const dir = (reversed ? (direction === "asc" ? "desc" : "asc") : direction).toUpperCase();
  const nulls = nullable ? (reversed ? " NULLS FIRST" : " NULLS LAST") : "";
  return `${expression} ${dir}${nulls}, m."customerShopifyId" ${reversed ? "DESC" : "ASC"}`;
}

/**
 * Which table a member page is read from. "members": each member, its profile and customer, then
 * a sort of them all (a small segment). "profiles": the generation's profiles in the sort's index
 * order, each looked up in the membership by primary key, stopping after a page (a large segment:
 * at 1M orders the "all customers" segment's page took 0.5–1.5 s by its members, milliseconds by
 * the profiles). Both give the same rows in the same order.
 */
type MemberDrive = "members" | "profiles";

/**
 * Profiles first when the walk down the sort index reaches a page sooner than reading every
 * member would (about page size × profiles / members rows against members), without a search (its
 * matches are sparse). Decided here on both databases: SQLite has no statistics to plan it, and
 * PostgreSQL cannot follow an index for the members' one query (ordered by "value DESC NULLS
 * LAST" and by casts of the sort column): it joined and sorted all 275k members of the "all"
 * segment for each page (0.4–0.75 s).
 */
function memberDrive(query: CustomerListQuery, members: number, profiles: number): MemberDrive {
  return query.search === null && members * members >= CUSTOMERS_PER_PAGE * profiles ? "profiles" : "members";
}

/** The joins and filters of the member list: members with a profile in the current analysis, searched and filtered (a search reads its matches first). */
function memberFilters(q: SqlParams, scope: Scope, query: CustomerListQuery): string {
  if (query.search) {
    // The Customers page's search (customer-search.ts): every word starts a term of the member's;
    // redacted customers never match (they have no terms: decision 040). Read from the matches
    // (the terms' index), each looked up in the generation and the membership by primary key;
    // CROSS JOIN keeps SQLite in that order (from the members, it read all 275k of the largest
    // segment: 1.4 s at 1M orders). PostgreSQL hashed the whole generation instead of looking up
    // 7k matches (a parallel scan of 275k profiles): the lookup is a LATERAL subquery it cannot
    // flatten (OFFSET 0), 0.19 → 0.09 s for "Emma" in the all-customers segment at 1M orders.
    const ranges = searchTermRanges(query.search, scope.dialect);
    const matches = ranges.length === 0 ? `SELECT NULL AS "customerId" WHERE 1 = 0` : matchingCustomersSql((v) => q.param(v), scope.shop, ranges);
    const generation = q.param(scope.snapshotId);
    const [profile, profileOfMatch] =
      scope.dialect === "postgresql"
        ? [`CROSS JOIN LATERAL (SELECT * FROM "CustomerProfile" p1 WHERE p1."snapshotId" = ${generation} AND p1."customerId" = x."customerId" OFFSET 0) p`, []]
        : [`CROSS JOIN "CustomerProfile" p`, [`p."snapshotId" = ${generation} AND p."customerId" = x."customerId"`]];
    const conditions = [
      ...profileOfMatch,
      `s."id" = ${q.param(scope.segmentId)} AND s."shop" = ${q.param(scope.shop)}`,
      `m."segmentId" = s."id" AND m."customerShopifyId" = p."customerShopifyId" AND p."shop" = m."shop"`,
    ];
    if (query.lifecycle) conditions.push(`p."lifecycleStage" = ${q.param(query.lifecycle)}`);
    return `FROM (${matches}) x
    ${profile}
    CROSS JOIN "Segment" s
    CROSS JOIN "SegmentMembership" m
    WHERE ${conditions.join(" AND ")}`;
  }
  // Placeholders are numbered in the order they are asked for: the joins' come first in the text.
  const join = profileOfMember(q, scope);
  const m = membersOf(q, scope);
  const conditions = [m.where];
  if (query.lifecycle) conditions.push(`p."lifecycleStage" = ${q.param(query.lifecycle)}`);
  return `FROM ${m.from}
    JOIN "CustomerProfile" p ON ${join}
    WHERE ${conditions.join(" AND ")}`;
}

/**
 * The member list read from the generation's profiles (drive "profiles"; no search): the same
 * conditions as memberFilters. The profile's shop is compared with the segment's (every
 * membership row is its segment's shop's), so the membership is looked up in its primary key
 * alone. For a page (`for: "page"`), CROSS JOIN fixes SQLite's join order (profiles first, on the
 * sort's index); PostgreSQL walks the index itself to stop after a page. For a count, the
 * membership is a correlated lookup per profile: as a join, PostgreSQL hashed every member of the
 * segment instead (0.23–0.60 s against 0.07 s for the 27k profiles before page 501 of the "all"
 * segment at 1M); the customer is left out (every profile has one: foreign key).
 */
function profileFilters(q: SqlParams, scope: Scope, query: CustomerListQuery, use: "page" | "count"): string {
  const conditions = [`p."snapshotId" = ${q.param(scope.snapshotId)}`, `s."id" = ${q.param(scope.segmentId)} AND s."shop" = ${q.param(scope.shop)} AND p."shop" = s."shop"`];
  if (use === "page") conditions.push(`m."segmentId" = s."id" AND m."customerShopifyId" = p."customerShopifyId"`);
  else conditions.push(`(SELECT m."segmentId" FROM "SegmentMembership" m WHERE m."segmentId" = s."id" AND m."customerShopifyId" = p."customerShopifyId") IS NOT NULL`);
  if (query.lifecycle) conditions.push(`p."lifecycleStage" = ${q.param(query.lifecycle)}`);
  const joins = use === "page" ? `CROSS JOIN "Segment" s
    CROSS JOIN "SegmentMembership" m` : `CROSS JOIN "Segment" s`;
  return `FROM "CustomerProfile" p
    ${joins}
    WHERE ${conditions.join(" AND ")}`;
}

/** The profile column a sort reads, as stored: a cast or function around it would hide its (snapshotId, column) index. */
const INDEXED_SORT_COLUMN: Record<CustomerSort, string> = { clv: `p."predictedClv"`, pAlive: `p."pAlive"`, lastOrder: `p."lastOrderAt"`, totalSpent: `p."totalSpent"` };

/**
 * A cursor's sort value bound as its column stores it, so a comparison is a range of the column's
 * index: SQLite keeps DateTime as Prisma's ISO text ("…+00:00", ordered as the instants),
 * PostgreSQL keeps totalSpent as numeric (the value's shortest decimal text is the stored amount).
 */
function storedValueParam(q: SqlParams, sort: CustomerSort, value: Exclude<CursorValue, null>): string {
  if (sort === "lastOrder") {
    const at = new Date(String(value));
    return q.dialect === "sqlite" ? q.param(ts(at)) : `CAST(${q.param(q.date(at))} AS timestamp(3))`;
  }
  if (sort === "totalSpent" && q.dialect === "postgresql") return `CAST(${q.param(String(Number(value)))} AS numeric)`;
  return q.param(Number(value));
}

/** One stretch of the list read from the profiles: its condition (after the filters) and its index order. */
interface ListPart {
  condition: (q: SqlParams) => string | null;
  order: string;
}

/**
 * The list from a position, in parts in the order they are read (as the Customers page's
 * listParts): a nullable sort's profiles with a value (by value in the direction, ties by
 * customer id), then those without (by customer id). Each part is ordered by its column alone, so
 * the walk follows the (snapshotId, column) index and stops after a page; a cursor's value is
 * also given as a range of that index (`<=`), so a page further on starts at the cursor instead of
 * walking every profile before it. `side` "before" reads backwards, parts and rows in reverse.
 */
function listParts(sort: CustomerSort, direction: "asc" | "desc", cursor: { value: CursorValue; customerShopifyId: string } | null, side: "after" | "before"): ListPart[] {
  const column = INDEXED_SORT_COLUMN[sort];
  const nullable = sortValueMayBeMissing(sort);
  const reversed = side === "before";
  const dir = (reversed ? (direction === "asc" ? "desc" : "asc") : direction).toUpperCase();
  const idDir = reversed ? "DESC" : "ASC";
  const valued: ListPart = { condition: () => (nullable ? `${column} IS NOT NULL` : null), order: `${column} ${dir}, p."customerShopifyId" ${idDir}` };
  const unvalued: ListPart = { condition: () => `${column} IS NULL`, order: `p."customerShopifyId" ${idDir}` };
  const parts = nullable ? (reversed ? [unvalued, valued] : [valued, unvalued]) : [valued];
  if (cursor === null) return parts;
  const idOp = side === "after" ? ">" : "<";
  const id = cursor.customerShopifyId;
  const value = cursor.value;
  if (value === null) {
    // The cursor row is in the part without values: later rows there, then (backwards) every valued row.
    const within: ListPart = { ...unvalued, condition: (q) => `${column} IS NULL AND p."customerShopifyId" ${idOp} ${q.param(id)}` };
    return reversed ? [within, valued] : [within];
  }
  const later = (direction === "desc") === (side === "after") ? "<" : ">";
  // A range of the index (NULLs never compare), then the exact keyset: a later value, or the same value and a later id.
  const within: ListPart = {
    ...valued,
    condition: (q) => `${column} ${later}= ${storedValueParam(q, sort, value)} AND (${column} ${later} ${storedValueParam(q, sort, value)} OR p."customerShopifyId" ${idOp} ${q.param(id)})`,
  };
  return nullable && !reversed ? [within, unvalued] : [within];
}

/**
 * How many members come before a row in the list, read from the profiles. With a value: those
 * with an earlier value, plus those with the same value and a lower id (two ranges of the index,
 * counted apart: their OR is no range). Without a value (the list's tail): the total less the
 * rows from it to the end. Null when more profiles come before the row than the segment has
 * members (a page deep in a segment just above the drive's threshold): counting by the members
 * reads fewer rows then. That check counts the index range alone (no row is read).
 */
async function profilesBefore(scope: Scope, query: CustomerListQuery, first: { value: CursorValue; customerShopifyId: string }, total: Promise<number>, members: number): Promise<number | null> {
  const column = INDEXED_SORT_COLUMN[query.sort];
  const count = async (condition: (q: SqlParams) => string, membersOnly = true) => {
    const q = new SqlParams(scope.dialect);
    const from = membersOnly ? profileFilters(q, scope, query, "count") : `FROM "CustomerProfile" p WHERE p."snapshotId" = ${q.param(scope.snapshotId)}`;
    const [row] = await scope.prisma.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT COUNT(*) AS n ${from} AND ${condition(q)}`, ...q.values);
    return num(row.n);
  };
  const value = first.value;
  if (value === null) return (await total) - (await count((q) => `${column} IS NULL AND p."customerShopifyId" >= ${q.param(first.customerShopifyId)}`));
  const earlier = query.direction === "desc" ? ">" : "<";
  const earlierValues = (q: SqlParams) => `${column} ${earlier} ${storedValueParam(q, query.sort, value)}`;
  if ((await count(earlierValues, false)) > members) return null;
  const counts = await Promise.all([
    count(earlierValues),
    count((q) => `${column} = ${storedValueParam(q, query.sort, value)} AND p."customerShopifyId" < ${q.param(first.customerShopifyId)}`),
  ]);
  return counts[0] + counts[1];
}

function positionOf(sort: CustomerSort, row: MemberRow): { value: CursorValue; customerShopifyId: string } {
  const value = sort === "clv" ? row.clv : sort === "pAlive" ? row.pAlive : sort === "lastOrder" ? row.lastOrderAt : row.totalSpent;
  return { value, customerShopifyId: row.customerShopifyId };
}

const cursorOf = (sort: CustomerSort, row: MemberRow) => {
  const { value, customerShopifyId } = positionOf(sort, row);
  return encodeListCursor(value, customerShopifyId);
};

const MEMBER_COLUMNS = (q: SqlParams) => `m."customerShopifyId" AS id, p."customerId" AS "customerId", m."isControl" AS "holdOut", p."lifecycleStage" AS lifecycle, p."customerGroup" AS "group",
      p."orderCount" AS orders, ${q.float(`p."totalSpent"`)} AS "totalSpent", p."predictedClv" AS clv, p."pAlive" AS "pAlive", p."lastOrderAt" AS "lastOrderAt"`;

/**
 * The page's members with their names and e-mails, read for the page's rows only: joined in the
 * list's query, each of a search's 7k matches in the all-customers segment read its customer
 * before the sort kept 50 (a third of the query's time at 1M orders on PostgreSQL).
 */
async function withNames(scope: Scope, rows: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
  if (rows.length === 0) return rows;
  // By primary key: SQLite, with no statistics, read the shop's 289k customers through its
  // (shop, deletedAt) index instead (26 ms against 0.4 ms at 1M orders); NOT INDEXED leaves it
  // the rowid lookups.
  const q = new SqlParams(scope.dialect);
  const ids = rows.map((r) => q.param(num(r.customerId))).join(", ");
  const sql = `SELECT c."id" AS id, c."firstName" AS "firstName", c."lastName" AS "lastName", c."email" AS email, c."redactedAt" AS "redactedAt"
    FROM "Customer" c${scope.dialect === "sqlite" ? " NOT INDEXED" : ""} WHERE c."id" IN (${ids}) AND c."shop" = ${q.param(scope.shop)}`;
  const customers = await scope.prisma.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...q.values);
  const byId = new Map(customers.map((c) => [num(c.id), c]));
  return rows.map((r) => {
    const c = byId.get(num(r.customerId));
    return { ...r, firstName: c?.firstName ?? null, lastName: c?.lastName ?? null, email: c?.email ?? null, redactedAt: c?.redactedAt ?? null };
  });
}

/** One page of the segment's members (the Customers page's keyset paging: page 500 costs what page 1 does). */
async function listMembers(scope: Scope, query: CustomerListQuery, knownTotal: number | null, drive: MemberDrive, segmentMembers: number): Promise<MemberList> {
  const cursor = pagePosition(query, (value) => cursorFits(query.sort, value));
  const backwards = query.before !== null;

  // A search's first page counts its matches as it reads them (each match is looked up once, not twice); an empty first page has none.
  const countedAlong = query.search !== null && cursor === null && knownTotal === null;
  const readPage = async (): Promise<Record<string, unknown>[]> => {
    if (drive === "profiles") {
      const found: Record<string, unknown>[] = [];
      for (const part of listParts(query.sort, query.direction, cursor, backwards ? "before" : "after")) {
        if (found.length === CUSTOMERS_PER_PAGE) break;
        const q = new SqlParams(scope.dialect);
        const columns = MEMBER_COLUMNS(q);
        const from = profileFilters(q, scope, query, "page");
        const condition = part.condition(q);
        const sql = `SELECT ${columns} ${from}${condition === null ? "" : ` AND ${condition}`} ORDER BY ${part.order} LIMIT ${CUSTOMERS_PER_PAGE - found.length}`;
        found.push(...(await scope.prisma.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...q.values)));
      }
      return found;
    }
    const page = new SqlParams(scope.dialect);
    const columns = MEMBER_COLUMNS(page);
    const from = memberFilters(page, scope, query);
    const keyset = cursor ? ` AND ${beyond(page, query.sort, query.direction, cursor, backwards ? "before" : "after")}` : "";
    const pageSql = `SELECT ${columns}${countedAlong ? `, COUNT(*) OVER () AS "matches"` : ""}
    ${from}${keyset}
    ORDER BY ${memberOrder(page, query.sort, query.direction, backwards)}
    LIMIT ${CUSTOMERS_PER_PAGE}`;
    return scope.prisma.$queryRawUnsafe<Record<string, unknown>[]>(pageSql, ...page.values);
  };
  const countTotal = async () => {
    const count = new SqlParams(scope.dialect);
    const countSql = `SELECT COUNT(*) AS n ${memberFilters(count, scope, query)}`;
    const [counted] = await scope.prisma.$queryRawUnsafe<Record<string, unknown>[]>(countSql, ...count.values);
    return num(counted.n);
  };
  const pageRead = readPage();
  const totalCount: Promise<number> = countedAlong ? pageRead.then((rows) => (rows.length === 0 ? 0 : num(rows[0].matches))) : knownTotal === null ? countTotal() : Promise.resolve(knownTotal);
  const [found, total] = await Promise.all([pageRead.then((rows) => withNames(scope, rows)), totalCount]);
  const rows = (backwards ? found.reverse() : found).map(memberRow);
  let before = 0;
  // The first page starts at 0; any other page counts the rows before its first.
  if (rows.length > 0 && cursor !== null) {
    const fromProfiles = drive === "profiles" ? await profilesBefore(scope, query, positionOf(query.sort, rows[0]), totalCount, segmentMembers) : null;
    if (fromProfiles !== null) before = fromProfiles;
    else {
      const b = new SqlParams(scope.dialect);
      const beforeSql = `SELECT COUNT(*) AS n ${memberFilters(b, scope, query)} AND ${beyond(b, query.sort, query.direction, positionOf(query.sort, rows[0]), "before")}`;
      before = num((await scope.prisma.$queryRawUnsafe<Record<string, unknown>[]>(beforeSql, ...b.values))[0].n);
    }
  }
  return {
    query,
    total,
    from: before,
    previousCursor: before > 0 ? cursorOf(query.sort, rows[0]) : null,
    nextCursor: before + rows.length < total ? cursorOf(query.sort, rows[rows.length - 1]) : null,
    pageSize: CUSTOMERS_PER_PAGE,
    rows,
  };
}

/** Redacted customers, and customers known only by id, are anonymous (as on the Customers page). */
function person(r: Record<string, unknown>): { anonymous: boolean; name: string | null; email: string | null } {
  const fullName = [r.firstName, r.lastName].filter((v) => typeof v === "string" && v !== "").join(" ") || null;
  const email = typeof r.email === "string" && r.email !== "" ? r.email : null;
  const anonymous = r.redactedAt !== null && r.redactedAt !== undefined ? true : fullName === null && email === null;
  return { anonymous, name: anonymous ? null : fullName, email: anonymous ? null : email };
}

function memberRow(r: Record<string, unknown>): MemberRow {
  const lastOrder = dateOf(r.lastOrderAt)!;
  return {
    customerShopifyId: String(r.id),
    customerId: num(r.customerId),
    ...person(r),
    holdOut: Boolean(Number(r.holdOut)),
    lifecycle: String(r.lifecycle),
    group: String(r.group),
    orders: num(r.orders),
    totalSpent: num(r.totalSpent),
    clv: numOrNull(r.clv),
    pAlive: numOrNull(r.pAlive),
    lastOrderAt: lastOrder.toISOString(),
  };
}

export interface SegmentExport {
  fileName: string;
  /** The CSV, produced one keyset page of members at a time as the client reads it. */
  body: ReadableStream<Uint8Array>;
}

export const EXPORT_PAGE_SIZE = 2_000;

/**
 * The members as CSV pages: the header, then one chunk per page of members in customer id
 * order, each read with a keyset query only when the previous chunk has been taken, so memory
 * holds one page whatever the segment's size. Members without a profile in the current
 * analysis (refreshed from an earlier one) are listed with empty figures.
 */
export async function* segmentExportChunks(shop: string, segmentId: number, options: { pageSize?: number } = {}): AsyncGenerator<string> {
  const { prisma, dialect, database } = appContext();
  const segment = await findSegment(prisma, shop, segmentId);
  const current = await readCurrentAnalysis(prisma, shop);
  const pageSize = options.pageSize ?? EXPORT_PAGE_SIZE;
  yield csvHeader();
  let after: string | null = null;
  for (;;) {
    const q = new SqlParams(dialect);
    const scope: Scope = { prisma, dialect, shop, segmentId: segment.id, snapshotId: current?.snapshotId ?? -1, ordersUntil: appNow() };
    const join = profileOfMember(q, scope);
    const m = membersOf(q, scope);
    const sql: string = `SELECT m."customerShopifyId" AS id, m."isControl" AS "holdOut", p."lifecycleStage" AS lifecycle, p."customerGroup" AS "group", p."rfmGroup" AS rfm,
        p."orderCount" AS orders, CAST(p."totalSpent" AS TEXT) AS "totalSpent", p."predictedClv" AS clv, p."pAlive" AS "pAlive",
        c."firstName" AS "firstName", c."lastName" AS "lastName", c."email" AS email, c."redactedAt" AS "redactedAt"
      FROM ${m.from}
      LEFT JOIN "CustomerProfile" p ON ${join}
      LEFT JOIN "Customer" c ON c."shop" = m."shop" AND c."shopifyId" = m."customerShopifyId"
      WHERE ${m.where}${after === null ? "" : ` AND m."customerShopifyId" > ${q.param(after)}`}
      ORDER BY m."customerShopifyId"
      LIMIT ${pageSize}`;
    const rows = await exportPage(prisma, database, sql, q.values);
    if (rows.length === 0) return;
    let chunk = "";
    for (const r of rows) chunk += csvRow(exportRow(r));
    yield chunk;
    if (rows.length < pageSize) return;
    after = String(rows[rows.length - 1].id);
  }
}

/**
 * One page of the export, read on the bulk connection rather than through Prisma: Prisma's raw
 * query builds several objects per value, and exporting 275k members left ~120 MB of garbage on
 * the heap before V8's first full collection, over the 150 MB budget with the rest of the process
 * (bench/RESULTS.md, "CSV export"). An in-memory SQLite database is visible to Prisma's own
 * connection only.
 */
async function exportPage(prisma: Database, database: DatabaseConfig, sql: string, values: unknown[]): Promise<Record<string, unknown>[]> {
  const sqlite = sqliteBulkConnection(database);
  if (sqlite) return sqlite.prepare(sql).all(...values) as Record<string, unknown>[];
  if (database.dialect === "postgresql") return (await postgresBulkPool(database).query(sql, values)).rows as Record<string, unknown>[];
  return prisma.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...values);
}

function exportRow(r: Record<string, unknown>): ExportRow {
  const who = person(r);
  const hasProfile = r.lifecycle !== null && r.lifecycle !== undefined;
  return {
    customer_id: String(r.id),
    name: who.name,
    email: who.email,
    lifecycle_stage: hasProfile ? String(r.lifecycle) : null,
    customer_group: hasProfile ? String(r.group) : null,
    rfm_group: hasProfile ? String(r.rfm) : null,
    orders: hasProfile ? num(r.orders) : null,
    total_spent: hasProfile ? decimalText(r.totalSpent) : null,
    predicted_clv: r.clv === null || r.clv === undefined ? null : Number(r.clv).toFixed(2),
    p_alive: r.pAlive === null || r.pAlive === undefined ? null : Number(r.pAlive).toFixed(4),
    hold_out: Boolean(Number(r.holdOut)),
  };
}

/** A money amount as stored, with two decimals (SQLite may hand back "12.5" for 12.50). */
function decimalText(value: unknown): string {
  const text = String(value);
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text).toFixed(2) : text;
}

/** The export as a byte stream that asks for the next page only when the client has read the last. */
export async function exportSegmentMembers(shop: string, segmentId: number, options: { pageSize?: number } = {}): Promise<SegmentExport> {
  const { prisma } = appContext();
  const segment = await findSegment(prisma, shop, segmentId);
  const chunks = segmentExportChunks(shop, segmentId, options);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      async cancel() {
        await chunks.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
  return { fileName: exportFileName(segment.handle, appNow()), body };
}
