/**
 * Membership refresh on SQLite and PostgreSQL: built-ins appear after the first analysis and
 * hold exactly the customers their rule names; a second analysis moves members in and out with
 * one change row each, stayers keep their join date, hold-outs are stable; deleting segments
 * are skipped; automatic push is queued; the recompute job chains the refresh.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeBulkConnections } from "~/db/bulk-connections.server";
import { recomputeJob } from "~/jobs/handlers/recompute";
import { refreshSegmentsJob } from "~/jobs/handlers/refresh-segments";
import { BUILTIN_SEGMENTS } from "~/segments/builtin-segments";
import { isControlMember } from "~/segments/hold-out";
import { ensureBuiltinSegments, refreshSegmentMemberships } from "~/segments/refresh-memberships.server";
import { serializeRule, type RuleGroup } from "~/segments/rule-tree";
import type { SyncContext } from "~/sync/sync-context";
import { seedCurrentAnalysis } from "./seed-analysis";
import { createTestDatabase, TEST_DIALECTS, testSyncContext, type QueuedJob, type TestDatabase } from "./test-database";

const SHOP = "refresh.myshopify.com";
const gid = (n: number) => `gid://shopify/Customer/${n}`;

describe.each(TEST_DIALECTS)("segment membership refresh on %s", (dialect) => {
  let db: TestDatabase;
  let queued: QueuedJob[];
  let clock: Date;
  let ctx: SyncContext;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    clock = new Date("2026-07-21T08:00:00Z");
    ({ ctx, queued } = testSyncContext(db, { now: () => clock }));
  });
  afterAll(async () => db?.drop());

  it("does nothing before the first analysis", async () => {
    expect(await refreshSegmentMemberships(ctx, SHOP)).toEqual([]);
    expect(await db.prisma.segment.count({ where: { shop: SHOP } })).toBe(0);
  });

  it("creates every built-in after the first analysis, holding exactly the customers of its rule", async () => {
    await seedCurrentAnalysis(db.prisma, SHOP, [
      { customerShopifyId: gid(1), lifecycleStage: "lost", churnRisk: "high", customerGroup: "vip", spendTier: "high" },
      { customerShopifyId: gid(2), lifecycleStage: "lost", churnRisk: "low", customerGroup: "loyal", spendTier: "mid" },
      { customerShopifyId: gid(3), lifecycleStage: "active", churnRisk: null, customerGroup: "one-time", spendTier: "low" },
    ]);
    await refreshSegmentMemberships(ctx, SHOP);
    const builtins = await db.prisma.segment.findMany({ where: { shop: SHOP, kind: "builtin" } });
    expect(builtins.map((s) => s.builtinKey).sort()).toEqual(BUILTIN_SEGMENTS.map((b) => b.key).sort());
    const members = async (builtinKey: string) => {
      const segment = builtins.find((s) => s.builtinKey === builtinKey)!;
      const rows = await db.prisma.segmentMembership.findMany({ where: { segmentId: segment.id }, orderBy: { customerShopifyId: "asc" } });
      return { count: segment.memberCount, members: rows.map((r) => r.customerShopifyId) };
    };
    expect(await members("lifecycle:lost")).toEqual({ count: 2, members: [gid(1), gid(2)] });
    expect(await members("churn:high")).toEqual({ count: 1, members: [gid(1)] });
    expect(await members("group:one-time")).toEqual({ count: 1, members: [gid(3)] });
    expect(await members("lifecycle:new")).toEqual({ count: 0, members: [] });
    // Running again changes nothing and creates no second set of built-ins.
    await refreshSegmentMemberships(ctx, SHOP);
    expect(await db.prisma.segment.count({ where: { shop: SHOP, kind: "builtin" } })).toBe(BUILTIN_SEGMENTS.length);
  });

  it("creates each built-in once when the job and a page request create them at the same time", async () => {
    const shop = "concurrent-builtins.myshopify.com";
    await Promise.all([ensureBuiltinSegments(db.prisma, shop), ensureBuiltinSegments(db.prisma, shop), ensureBuiltinSegments(db.prisma, shop)]);
    const created = await db.prisma.segment.findMany({ where: { shop, kind: "builtin" }, select: { builtinKey: true } });
    expect(created.map((s) => s.builtinKey).sort()).toEqual(BUILTIN_SEGMENTS.map((b) => b.key).sort());
    await db.prisma.segment.deleteMany({ where: { shop } });
  });

  it("moves members in and out after a new analysis: one change row each, stayers keep their join date", async () => {
    const lost = await db.prisma.segment.findFirstOrThrow({ where: { shop: SHOP, builtinKey: "lifecycle:lost" } });
    const joinedBefore = await db.prisma.segmentMembership.findUniqueOrThrow({ where: { segmentId_customerShopifyId: { segmentId: lost.id, customerShopifyId: gid(1) } } });
    clock = new Date("2026-07-22T08:00:00Z");
    await seedCurrentAnalysis(db.prisma, SHOP, [
      { customerShopifyId: gid(1), lifecycleStage: "lost" },
      { customerShopifyId: gid(2), lifecycleStage: "active" },
      { customerShopifyId: gid(3), lifecycleStage: "lost" },
    ]);
    const results = await refreshSegmentMemberships(ctx, SHOP, { segmentIds: [lost.id] });
    expect(results).toEqual([{ segmentId: lost.id, members: 2, controls: 0, joined: 1, left: 1 }]);
    const rows = await db.prisma.segmentMembership.findMany({ where: { segmentId: lost.id }, orderBy: { customerShopifyId: "asc" } });
    expect(rows.map((r) => [r.customerShopifyId, r.joinedAt.toISOString()])).toEqual([
      [gid(1), joinedBefore.joinedAt.toISOString()],
      [gid(3), clock.toISOString()],
    ]);
    const changes = await db.prisma.segmentMembershipChange.findMany({ where: { segmentId: lost.id, at: clock }, orderBy: { customerShopifyId: "asc" } });
    expect(changes.map((c) => [c.customerShopifyId, c.joined])).toEqual([
      [gid(2), false],
      [gid(3), true],
    ]);
    const counts = await db.prisma.segmentMemberCount.findMany({ where: { segmentId: lost.id }, orderBy: { at: "asc" } });
    // One count row per refresh moment (the two runs at the first moment share theirs).
    expect(counts.map((c) => c.members)).toEqual([2, 2]);
    const segment = await db.prisma.segment.findUniqueOrThrow({ where: { id: lost.id } });
    expect(segment.membersAsOf?.toISOString()).toBe(clock.toISOString());
  });

  it("holds out the control group deterministically, skips deleting segments and queues automatic pushes", async () => {
    const many = Array.from({ length: 200 }, (_, i) => ({ customerShopifyId: gid(1000 + i), lifecycleStage: "active" }));
    await seedCurrentAnalysis(db.prisma, SHOP, many);
    const everyone: RuleGroup = { type: "group", match: "all", children: [] };
    const held = await db.prisma.segment.create({ data: { shop: SHOP, handle: "held", name: "Held", rules: serializeRule(everyone), controlGroupPercent: 20, pushEnabled: true } });
    const deleting = await db.prisma.segment.create({ data: { shop: SHOP, handle: "going", name: "Going", rules: serializeRule(everyone), deletingAt: clock } });
    queued.length = 0;
    await refreshSegmentMemberships(ctx, SHOP);
    const rows = await db.prisma.segmentMembership.findMany({ where: { segmentId: held.id } });
    expect(rows).toHaveLength(200);
    const expectedControls = many.filter((p) => isControlMember(held.id, p.customerShopifyId, 20)).map((p) => p.customerShopifyId).sort();
    expect(rows.filter((r) => r.isControl).map((r) => r.customerShopifyId).sort()).toEqual(expectedControls);
    expect(expectedControls.length).toBeGreaterThan(20);
    expect((await db.prisma.segment.findUniqueOrThrow({ where: { id: held.id } })).controlCount).toBe(expectedControls.length);
    expect(await db.prisma.segmentMembership.count({ where: { segmentId: deleting.id } })).toBe(0);
    expect(queued.map(({ kind, shop, payload, key }) => ({ kind, shop, payload, key }))).toEqual([{ kind: "push-tags", shop: SHOP, payload: { segmentId: held.id, mode: "push", startedBy: "automatic" }, key: `segment-${held.id}` }]);

    // A smaller control group: the released hold-outs stay members, and the history says when
    // their status changed (the lift report reads who was held out at the first push from it).
    await db.prisma.segment.update({ where: { id: held.id }, data: { controlGroupPercent: 10 } });
    const before = clock;
    clock = new Date(clock.getTime() + 3_600_000);
    await refreshSegmentMemberships(ctx, SHOP, { segmentIds: [held.id] });
    const released = expectedControls.filter((id) => !isControlMember(held.id, id, 10));
    expect(released.length).toBeGreaterThan(0);
    const flips = await db.prisma.segmentMembershipChange.findMany({ where: { segmentId: held.id, at: clock }, orderBy: { customerShopifyId: "asc" } });
    expect(flips.map((c) => [c.customerShopifyId, c.joined, c.isControl])).toEqual(released.map((id) => [id, true, false]));
    const joins = await db.prisma.segmentMembershipChange.findMany({ where: { segmentId: held.id, at: before } });
    expect(joins).toHaveLength(200);
    expect(joins.every((c) => c.joined)).toBe(true);
    expect(joins.filter((c) => c.isControl).map((c) => c.customerShopifyId).sort()).toEqual(expectedControls);

    // Everyone leaves: each leave is recorded with the status the member had, held out or not.
    const statusBefore = (await db.prisma.segmentMembership.findMany({ where: { segmentId: held.id } })).map((m) => [m.customerShopifyId, false, m.isControl]);
    expect(statusBefore.filter(([, , isControl]) => isControl).length).toBeGreaterThan(0);
    const nobody: RuleGroup = { type: "group", match: "all", children: [{ type: "condition", field: "orderCount", operator: "gte", value: 1_000_000 }] };
    await db.prisma.segment.update({ where: { id: held.id }, data: { rules: serializeRule(nobody) } });
    clock = new Date(clock.getTime() + 3_600_000);
    await refreshSegmentMemberships(ctx, SHOP, { segmentIds: [held.id] });
    expect(await db.prisma.segmentMembership.count({ where: { segmentId: held.id } })).toBe(0);
    const leaves = await db.prisma.segmentMembershipChange.findMany({ where: { segmentId: held.id, at: clock }, orderBy: { customerShopifyId: "asc" } });
    expect(leaves.map((c) => [c.customerShopifyId, c.joined, c.isControl])).toEqual(statusBefore.sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)));
  });

  it("runs as the refresh-segments job, which the recompute job queues after a new analysis", async () => {
    const refresh = refreshSegmentsJob({ context: ctx });
    const custom = await db.prisma.segment.create({ data: { shop: SHOP, handle: "by-job", name: "By job", rules: serializeRule({ type: "group", match: "all", children: [] }) } });
    await refresh({ kind: "refresh-segments", shop: SHOP, payload: {}, attempt: 1, signal: new AbortController().signal });
    expect((await db.prisma.segment.findUniqueOrThrow({ where: { id: custom.id } })).memberCount).toBe(200);
    // An uninstalled or unknown shop computes nothing and queues no refresh.
    queued.length = 0;
    await recomputeJob({ context: ctx })({ kind: "recompute", shop: "unknown.myshopify.com", payload: {}, attempt: 1, signal: new AbortController().signal });
    expect(queued).toEqual([]);
    // An installed shop's new analysis is followed by the refresh of its segments.
    await db.prisma.shop.create({ data: { shop: "chained.myshopify.com", ianaTimezone: "UTC" } });
    await recomputeJob({ context: ctx })({ kind: "recompute", shop: "chained.myshopify.com", payload: {}, attempt: 1, signal: new AbortController().signal });
    expect(queued.map((j) => [j.kind, j.shop])).toEqual([["refresh-segments", "chained.myshopify.com"]]);
    await closeBulkConnections();
  });
});
