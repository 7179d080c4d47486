/**
 * Membership refresh: evaluates every segment of a shop once against its current analysis and
 * stores the result. `SegmentMembership` is THE evaluation: the member list, the CSV export,
 * the tag push and the customer card read it, so they all agree with each other and with the
 * count shown on the segments list.
 *
 * Per segment, in one transaction: the current members (stayers keep `joinedAt`; `isControl`
 * from hold-out.ts), one `SegmentMembershipChange` per join, leave and change of hold-out status, one `SegmentMemberCount`
 * row, and the counts on `Segment`. Runs after each completed recompute (job
 * `refresh-segments`, chained from recompute.ts) and when a segment is saved. Afterwards every
 * segment with automatic push switched on gets its tag push queued. A full refresh also stores
 * every segment's page figures (app/segment-page/figures.server.ts).
 *
 * After each order only its customer is re-evaluated (`refreshMembershipsOf`, inside the
 * per-order refresh's transaction); both paths write under MEMBERSHIP_LOCK.
 */
import { lockShopInTransaction } from "~/db/shop-lock.server";
import { storeSegmentFigures } from "~/segment-page/figures.server";
import { log } from "~/log.server";
import type { Database } from "~/db.server";
import { readCurrentAnalysis, type CurrentAnalysis } from "~/snapshots/read-analysis.server";
import type { JobQueue } from "~/sync/jobs/job-queue";
import { postgresTimestamp, quote, type SqlDialect, type SqlTarget } from "~/sync/store/sql-dialect";
import { BUILTIN_SEGMENTS } from "./builtin-segments";
import { memberQuery } from "./compile-rule";
import { isControlMember } from "./hold-out";
import { parseStoredRule, RULES_VERSION, serializeRule } from "./rule-tree";

export interface SegmentRefreshContext {
  prisma: Database;
  dialect: SqlDialect;
  jobs: Pick<JobQueue, "enqueue">;
  now?: () => Date;
}

export interface SegmentRefresh {
  segmentId: number;
  members: number;
  controls: number;
  joined: number;
  left: number;
}

/** Customers per statement when deleting or updating memberships by id list: 2,000 parameters, under both databases' limits. */
const CHUNK = 2_000;
/** Rows per INSERT: one JSON parameter of ~1.5 MB. */
const INSERT_CHUNK = 10_000;

/**
 * Rows inserted as one JSON parameter per statement: SQLite reads them with `json_each`,
 * PostgreSQL with `json_populate_recordset` into the table's own row type. Prisma's raw queries
 * cost microseconds per bound parameter, and the refresh after an install's first analysis binds
 * one per column of every membership and of its join: ~25M at 1M orders (bench/RESULTS.md,
 * twelfth session). The columns every row shares (`same`) are bound once; on SQLite each row of
 * the JSON is then only its own values, an array (or the one value), since SQLite reads a row's
 * text again for each `->>`: 214k memberships and their joins took 3.4 s instead of 5.8–6.2 s as
 * objects of every column (twenty-fourth session). Dates and booleans as each database stores
 * them (on SQLite Prisma's own spelling, `…+00:00`, so its `where` on the date still matches;
 * booleans as 0/1).
 */
async function insertRows(target: SqlTarget, table: string, same: Record<string, unknown>, columns: readonly string[], rows: readonly unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  const value = (v: unknown) => (v instanceof Date ? (target.dialect === "sqlite" ? v.toISOString().replace("Z", "+00:00") : postgresTimestamp(v)) : typeof v === "boolean" && target.dialect === "sqlite" ? Number(v) : v);
  const sameColumns = Object.keys(same);
  const names = [...sameColumns, ...columns].map(quote).join(", ");
  if (target.dialect === "sqlite") {
    const own = columns.length === 1 ? "value" : columns.map((_, i) => `value->>${i}`).join(", ");
    const sql = `INSERT INTO ${quote(table)} (${names}) SELECT ${sameColumns.map(() => "?").join(", ")}${sameColumns.length > 0 ? ", " : ""}${own} FROM json_each(?)`;
    const bound = sameColumns.map((column) => value(same[column]));
    for (const part of chunks(rows, INSERT_CHUNK)) {
      await target.db.$executeRawUnsafe(sql, ...bound, JSON.stringify(part.map((row) => (columns.length === 1 ? value(row[0]) : row.map(value)))));
    }
    return;
  }
  const sql = `INSERT INTO ${quote(table)} (${names}) SELECT ${names} FROM json_populate_recordset(NULL::${quote(table)}, $1::json)`;
  const shared = Object.fromEntries(sameColumns.map((column) => [column, value(same[column])]));
  for (const part of chunks(rows, INSERT_CHUNK)) {
    await target.db.$executeRawUnsafe(sql, JSON.stringify(part.map((row) => ({ ...shared, ...Object.fromEntries(columns.map((column, i) => [column, value(row[i])])) }))));
  }
}

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Queues the tag-push job of a segment (app/tag-push/): one per segment at a time. */
export function enqueueTagPush(jobs: Pick<JobQueue, "enqueue">, shop: string, segmentId: number, payload: Record<string, unknown>): Promise<void> {
  return jobs.enqueue("push-tags", shop, { segmentId, ...payload }, { key: `segment-${segmentId}` });
}

/**
 * Creates the shop's built-in segments that are missing and rewrites the rule of any whose
 * definition changed in code. Idempotent, also when called concurrently; a custom segment that
 * already took a built-in's handle keeps it (the built-in is then skipped for that shop and logged).
 */
export async function ensureBuiltinSegments(prisma: Database, shop: string): Promise<void> {
  const existing = await prisma.segment.findMany({ where: { shop, kind: "builtin" }, select: { id: true, builtinKey: true, rules: true, rulesVersion: true } });
  const byKey = new Map(existing.map((s) => [s.builtinKey, s]));
  for (const builtin of BUILTIN_SEGMENTS) {
    const rules = serializeRule(builtin.rule);
    const stored = byKey.get(builtin.key);
    if (stored) {
      if (stored.rules !== rules || stored.rulesVersion !== RULES_VERSION) await prisma.segment.update({ where: { id: stored.id }, data: { rules, rulesVersion: RULES_VERSION } });
      continue;
    }
    const taken = await prisma.segment.findFirst({ where: { shop, OR: [{ handle: builtin.handle }, { name: builtin.name }] }, select: { id: true } });
    if (taken) {
      log("warn", "segments.builtin-skipped", { shop, builtinKey: builtin.key });
      continue;
    }
    try {
      await prisma.segment.create({ data: { shop, kind: "builtin", builtinKey: builtin.key, handle: builtin.handle, name: builtin.name, rules, rulesVersion: RULES_VERSION } });
    } catch (error) {
      // P2002 on (shop, handle): a concurrent call (the refresh-segments job, a page request)
      // created it since the read above.
      if ((error as { code?: unknown }).code !== "P2002") throw error;
    }
  }
}

/**
 * Evaluates the shop's segments (all, or `segmentIds`) against its current analysis and stores
 * the members. Without a current analysis nothing is evaluated (there are no profiles yet).
 */
export async function refreshSegmentMemberships(ctx: SegmentRefreshContext, shop: string, options: { segmentIds?: number[] } = {}): Promise<SegmentRefresh[]> {
  const analysis = await readCurrentAnalysis(ctx.prisma, shop);
  if (!analysis) return [];
  await ensureBuiltinSegments(ctx.prisma, shop);
  // (PostgreSQL: the recompute analysed the new generation's profiles before this refresh was queued.)
  const segments = await ctx.prisma.segment.findMany({
    where: { shop, deletingAt: null, ...(options.segmentIds ? { id: { in: options.segmentIds } } : {}) },
    select: { id: true, rules: true, rulesVersion: true, controlGroupPercent: true, pushEnabled: true },
    orderBy: { id: "asc" },
  });
  const results: SegmentRefresh[] = [];
  for (const segment of segments) {
    const result = await refreshSegment(ctx, shop, segment, analysis);
    if (result) results.push(result);
  }
  for (const segment of segments) {
    if (segment.pushEnabled) await enqueueTagPush(ctx.jobs, shop, segment.id, { mode: "push", startedBy: "automatic" });
  }
  if (!options.segmentIds) {
    // The segment pages' figures for the new memberships, all segments in one pass over the lines
    // (seconds at 1M: after the pushes are queued; a saved segment's refresh runs in its request,
    // so its page computes them on first view).
    const started = performance.now();
    const stored = await storeSegmentFigures(ctx.prisma, ctx.dialect, shop, analysis, results.map((r) => r.segmentId));
    log("info", "segments.figures-stored", { shop, segments: stored, ms: Math.round(performance.now() - started) });
  }
  return results;
}

type Tx = Parameters<Parameters<Database["$transaction"]>[0]>[0];
type SegmentRow = { id: number; rules: string; rulesVersion: number; controlGroupPercent: number };

/**
 * The lock every membership write of a shop holds for its transaction (full refresh of a
 * segment, per-order refresh of a few customers): without it a full refresh that read the
 * members before a per-order refresh committed would undo that refresh's joins.
 */
export const MEMBERSHIP_LOCK = "segment-membership";

/** The stored members of `segment` among the rows the rule returned (all, or only `customerShopifyIds`), with join/leave rows. */
async function storeMembers(
  tx: Tx,
  dialect: SqlDialect,
  shop: string,
  segment: SegmentRow,
  rows: readonly { customerId: number | bigint; customerShopifyId: string }[],
  current: readonly { customerShopifyId: string; isControl: boolean }[],
  now: Date,
): Promise<{ joined: number; left: number; controls: number; controlsBefore: number }> {
  const before = new Map(current.map((m) => [m.customerShopifyId, m.isControl]));
  const joiners: { customerShopifyId: string; customerId: number; isControl: boolean }[] = [];
  const nowControl: string[] = [];
  const noLongerControl: string[] = [];
  const after = new Set<string>();
  let controls = 0;
  for (const row of rows) {
    const gid = row.customerShopifyId;
    after.add(gid);
    const isControl = isControlMember(segment.id, gid, segment.controlGroupPercent);
    if (isControl) controls++;
    const was = before.get(gid);
    if (was === undefined) joiners.push({ customerShopifyId: gid, customerId: Number(row.customerId), isControl });
    else if (was !== isControl) (isControl ? nowControl : noLongerControl).push(gid);
  }
  // In key order: a segment's joiners then land at the end of its range of the (segmentId,
  // customerShopifyId) key instead of at random places in it (all of them, in a first refresh).
  joiners.sort((a, b) => (a.customerShopifyId < b.customerShopifyId ? -1 : a.customerShopifyId > b.customerShopifyId ? 1 : 0));
  const leavers = current.filter((m) => !after.has(m.customerShopifyId));
  for (const part of chunks(leavers)) {
    await tx.segmentMembership.deleteMany({ where: { segmentId: segment.id, customerShopifyId: { in: part.map((m) => m.customerShopifyId) } } });
  }
  const target: SqlTarget = { db: tx, dialect };
  // Per hold-out status, so it is one of the columns bound once.
  for (const isControl of [false, true]) {
    const joining = joiners.filter((j) => j.isControl === isControl);
    await insertRows(target, "SegmentMembership", { shop, segmentId: segment.id, isControl, joinedAt: now }, ["customerShopifyId", "customerId"], joining.map((j) => [j.customerShopifyId, j.customerId]));
    await insertRows(target, "SegmentMembershipChange", { shop, segmentId: segment.id, joined: true, isControl, at: now }, ["customerShopifyId"], joining.map((j) => [j.customerShopifyId]));
    const leaving = leavers.filter((l) => l.isControl === isControl);
    await insertRows(target, "SegmentMembershipChange", { shop, segmentId: segment.id, joined: false, isControl, at: now }, ["customerShopifyId"], leaving.map((l) => [l.customerShopifyId]));
  }
  for (const [isControl, gids] of [[true, nowControl], [false, noLongerControl]] as const) {
    for (const part of chunks(gids)) await tx.segmentMembership.updateMany({ where: { segmentId: segment.id, customerShopifyId: { in: part } }, data: { isControl } });
    // A stayer moved into or out of the control group: the history keeps the status it has
    // from now on, so the lift report can tell who was held out at a past push.
    await insertRows(target, "SegmentMembershipChange", { shop, segmentId: segment.id, joined: true, isControl, at: now }, ["customerShopifyId"], gids.map((gid) => [gid]));
  }
  return { joined: joiners.length, left: leavers.length, controls, controlsBefore: current.filter((m) => m.isControl).length };
}

function readRule(shop: string, segment: SegmentRow) {
  const rule = parseStoredRule(segment.rulesVersion, segment.rules);
  if (!rule) log("warn", "segments.unreadable-rule", { shop, segmentId: segment.id, rulesVersion: segment.rulesVersion });
  return rule;
}

async function refreshSegment(ctx: SegmentRefreshContext, shop: string, segment: SegmentRow, analysis: CurrentAnalysis): Promise<SegmentRefresh | null> {
  const rule = readRule(shop, segment);
  if (!rule) return null;
  const now = ctx.now?.() ?? new Date();
  const query = memberQuery(rule, { dialect: ctx.dialect, shop, snapshotId: analysis.snapshotId, now });
  return ctx.prisma.$transaction(
    async (tx) => {
      // Evaluated and stored under the lock: a per-order refresh cannot commit in between.
      await lockShopInTransaction(tx, ctx.dialect, MEMBERSHIP_LOCK, shop);
      const rows = await tx.$queryRawUnsafe<{ customerId: number | bigint; customerShopifyId: string }[]>(query.sql, ...query.params);
      const current = await tx.segmentMembership.findMany({ where: { segmentId: segment.id }, select: { customerShopifyId: true, isControl: true } });
      const { joined, left, controls } = await storeMembers(tx, ctx.dialect, shop, segment, rows, current, now);
      await tx.segmentMemberCount.upsert({
        where: { segmentId_at: { segmentId: segment.id, at: now } },
        create: { segmentId: segment.id, at: now, members: rows.length, controls },
        update: { members: rows.length, controls },
      });
      await tx.segment.update({
        where: { id: segment.id },
        data: { memberCount: rows.length, controlCount: controls, membersAsOf: now, membersSnapshotId: analysis.snapshotId },
      });
      return { segmentId: segment.id, members: rows.length, controls, joined, left };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

/** One hour's point of a segment's member count (the per-order refresh's point in its history). */
const HOUR_MS = 3_600_000;

/**
 * The per-order refresh's part (issue "Fresh after every order" §5): re-evaluates only the
 * customers just rescored against every segment of the shop, inside the caller's transaction
 * (the one that rewrote their profiles, so both commit or neither): one rule query per segment
 * restricted to those customers, joins and leaves recorded with `now`, the counts moved by the
 * difference. A customer who moved out and back between two refreshes is evaluated once, as they
 * are now: no change is recorded and no tag is sent. The member count history gets one point per
 * hour from this path (the full refresh adds one per run). Returns the joins and leaves.
 */
export async function refreshMembershipsOf(
  tx: Tx,
  dialect: SqlDialect,
  shop: string,
  snapshotId: number,
  customers: { shopifyIds: readonly string[]; ids: readonly number[] },
  now: Date,
): Promise<{ joined: number; left: number }> {
  const customerShopifyIds = customers.shopifyIds;
  const total = { joined: 0, left: 0 };
  if (customerShopifyIds.length === 0) return total;
  await lockShopInTransaction(tx, dialect, MEMBERSHIP_LOCK, shop);
  const segments = await tx.segment.findMany({ where: { shop, deletingAt: null }, select: { id: true, rules: true, rulesVersion: true, controlGroupPercent: true }, orderBy: { id: "asc" } });
  if (segments.length === 0) return total;
  const stored = await tx.segmentMembership.findMany({ where: { shop, customerShopifyId: { in: [...customerShopifyIds] } }, select: { segmentId: true, customerShopifyId: true, isControl: true } });
  const bySegment = new Map<number, { customerShopifyId: string; isControl: boolean }[]>();
  for (const m of stored) bySegment.set(m.segmentId, [...(bySegment.get(m.segmentId) ?? []), m]);
  const hour = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
  for (const segment of segments) {
    const rule = readRule(shop, segment);
    if (!rule) continue;
    const query = memberQuery(rule, { dialect, shop, snapshotId, now, customerIds: customers.ids });
    const rows = await tx.$queryRawUnsafe<{ customerId: number | bigint; customerShopifyId: string }[]>(query.sql, ...query.params);
    const { joined, left, controls, controlsBefore } = await storeMembers(tx, dialect, shop, segment, rows, bySegment.get(segment.id) ?? [], now);
    const controlDelta = controls - controlsBefore;
    if (joined === 0 && left === 0 && controlDelta === 0) continue;
    total.joined += joined;
    total.left += left;
    const counts = await tx.segment.update({
      where: { id: segment.id },
      data: { memberCount: { increment: joined - left }, controlCount: { increment: controlDelta } },
      select: { memberCount: true, controlCount: true },
    });
    await tx.segmentMemberCount.upsert({
      where: { segmentId_at: { segmentId: segment.id, at: hour } },
      create: { segmentId: segment.id, at: hour, members: counts.memberCount, controls: counts.controlCount },
      update: { members: counts.memberCount, controls: counts.controlCount },
    });
  }
  return total;
}

/**
 * Queues the automatic tag push of every segment with automatic push on whose members changed
 * since its last push started (read from the recorded changes, so a run that died after
 * committing the changes but before queueing still gets its push on the retry).
 */
export async function enqueueAutomaticPushes(ctx: Pick<SegmentRefreshContext, "prisma" | "jobs">, shop: string): Promise<number[]> {
  const segments = await ctx.prisma.segment.findMany({ where: { shop, pushEnabled: true, deletingAt: null }, select: { id: true } });
  const queued: number[] = [];
  for (const segment of segments) {
    const last = await ctx.prisma.tagPush.findFirst({ where: { segmentId: segment.id }, orderBy: { id: "desc" }, select: { startedAt: true } });
    const changed = await ctx.prisma.segmentMembershipChange.findFirst({ where: { segmentId: segment.id, ...(last ? { at: { gte: last.startedAt } } : {}) }, select: { id: true } });
    if (!changed) continue;
    await enqueueTagPush(ctx.jobs, shop, segment.id, { mode: "push", startedBy: "automatic" });
    queued.push(segment.id);
  }
  return queued;
}
