/**
 * The tag push against the Shopify simulator, on SQLite and PostgreSQL: what Shopify holds at
 * the end is exactly the segment's tagged members, other tags untouched, whatever happened in
 * between (a worker killed mid-push, a bulk mutation failing midway, a customer deleted, the
 * rate limit spent).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApiClient, type AdminApiClient } from "../../app/shopify/admin-api-client";
import { runPushTagsJob, type PushDeps, type PushJobPayload } from "../../app/tag-push/push-runner.server";
import { globalId } from "../../tools/shopify-sim/resource-ids";
import { createShopifySimulator, type ShopifySimulator } from "../../tools/shopify-sim/simulator";
import { DEFAULT_HISTORY_END } from "../../tools/shopify-sim/store-generator";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "../db/test-database";

const OTHER_TAGS = ["VIP Kunde", "ci-another-segment", "Ünïcødé, no", "wholesale "];

describe.each(TEST_DIALECTS)("tag push against the simulator (%s)", (dialect) => {
  let db: TestDatabase;
  let sim: ShopifySimulator;
  let shop: string;
  let customers: number;
  const otherTagsBefore = new Map<number, string[] | undefined>();

  beforeAll(async () => {
    sim = await createShopifySimulator({ shops: [{ name: "tags", targetOrders: 190_000, plan: "plus" }], historyEnd: DEFAULT_HISTORY_END, seed: 11, mutationWebhooks: false });
    shop = sim.shops.tags.domain;
    const store = sim.shops.tags.runtime.store;
    customers = store.customers.count;
    // Tags the merchant and other apps set: every 7th customer, some with our prefix.
    for (let c = 0; c < customers; c += 7) store.customers.tags[c] = [OTHER_TAGS[c % 4], OTHER_TAGS[(c + 1) % 4]];
    for (let c = 0; c < customers; c++) otherTagsBefore.set(c, store.customers.tags[c] ? [...store.customers.tags[c]!] : undefined);
    db = await createTestDatabase(dialect);
    await db.prisma.shop.create({ data: { shop } });
    // The synced copy of Shopify's customers (what the backfill would have written).
    const rows = Array.from({ length: customers }, (_, c) => ({ shop, shopifyId: globalId("Customer", c), tags: JSON.stringify(store.customers.tags[c] ?? []) }));
    for (let i = 0; i < rows.length; i += 5_000) await db.prisma.customer.createMany({ data: rows.slice(i, i + 5_000) });
  }, 240_000);
  afterAll(async () => {
    await sim?.close();
    await db?.drop();
  });

  const apiClient = (fetchImpl: typeof fetch = sim.fetch): AdminApiClient =>
    createAdminApiClient({ shop, accessToken: sim.shops.tags.accessToken, endpoint: sim.graphqlUrl("tags"), fetch: fetchImpl, baseDelayMs: 20 });

  /** Runs the job as the worker does until it stops asking to be run again (the finish webhook's wake-up is immediate here). */
  async function runJob(payload: PushJobPayload, deps: Partial<PushDeps> = {}) {
    const full: PushDeps = { prisma: db.prisma, dialect, api: apiClient(), ...deps };
    for (let i = 0; i < 200; i++) {
      const outcome = await runPushTagsJob(full, shop, payload);
      if (!outcome) return;
      await sim.bulk.idle();
      payload = { segmentId: payload.segmentId, mode: "resume" };
    }
    throw new Error("push did not finish");
  }

  async function createSegment(handle: string, members: { row: number; isControl: boolean }[]) {
    const segment = await db.prisma.segment.create({ data: { shop, handle, name: `Segment ${handle}` } });
    await setMembers(segment.id, members);
    return segment;
  }
  async function setMembers(segmentId: number, members: { row: number; isControl: boolean }[]) {
    await db.prisma.segmentMembership.deleteMany({ where: { segmentId } });
    const data = members.map((m) => ({ shop, segmentId, customerShopifyId: globalId("Customer", m.row), isControl: m.isControl }));
    for (let i = 0; i < data.length; i += 5_000) await db.prisma.segmentMembership.createMany({ data: data.slice(i, i + 5_000) });
  }

  const simTags = (row: number) => sim.shops.tags.runtime.store.customers.tags[row] ?? [];
  const withTag = (tag: string) => {
    const out: number[] = [];
    for (let c = 0; c < customers; c++) if (simTags(c).some((t) => t.toLowerCase() === tag)) out.push(c);
    return out;
  };
  const tagged = (members: { row: number; isControl: boolean }[]) => members.filter((m) => !m.isControl).map((m) => m.row).sort((a, b) => a - b);

  it("a push of 50,000+ members leaves exactly the members, less hold-outs, tagged in Shopify; a second push sends only the difference", async () => {
    expect(customers).toBeGreaterThan(55_000);
    const members = Array.from({ length: 52_000 }, (_, i) => ({ row: i, isControl: i % 10 === 3 }));
    const segment = await createSegment("big", members);
    const bulkBefore = sim.shops.tags.runtime.bulkOperations.length;
    await runJob({ segmentId: segment.id, mode: "push", startedBy: "Anna" });

    expect(withTag("ci-big")).toEqual(tagged(members));
    const push = await db.prisma.tagPush.findFirstOrThrow({ where: { segmentId: segment.id } });
    expect(push).toMatchObject({ status: "completed", startedBy: "Anna", added: tagged(members).length, removed: 0, failed: 0, done: tagged(members).length, total: tagged(members).length });
    expect(sim.shops.tags.runtime.bulkOperations.length).toBeGreaterThan(bulkBefore); // large: a bulk mutation
    // Every other tag survives byte for byte (one comparison: 60k expects would stall the worker).
    const others = (drop: string) => Array.from({ length: customers }, (_, c) => simTags(c).filter((t) => t !== drop));
    const before = Array.from({ length: customers }, (_, c) => otherTagsBefore.get(c) ?? []);
    expect(others("ci-big")).toEqual(before);
    // The synced tags say what Shopify says, and the native segment targets the tag.
    const synced = await db.prisma.customer.findUniqueOrThrow({ where: { shop_shopifyId: { shop, shopifyId: globalId("Customer", 7) } } });
    expect(JSON.parse(synced.tags)).toEqual(simTags(7));
    const after = await db.prisma.segment.findUniqueOrThrow({ where: { id: segment.id } });
    expect(after.firstPushedAt).not.toBeNull();
    const native = sim.shops.tags.runtime.segments.find((s) => globalId("Segment", s.sequence) === after.shopifySegmentId);
    expect(native).toMatchObject({ name: "Segment big", query: "customer_tags CONTAINS 'ci-big'" });

    // Membership changes: 100 leave, 60 join, 20 move into the control group.
    const next = members.filter((m) => m.row >= 100).map((m) => (m.row >= 200 && m.row < 220 && !m.isControl ? { ...m, isControl: true } : m));
    for (let r = 52_000; r < 52_060; r++) next.push({ row: r, isControl: false });
    await setMembers(segment.id, next);
    const bulkBetween = sim.shops.tags.runtime.bulkOperations.length;
    await runJob({ segmentId: segment.id, mode: "push", startedBy: "automatic" });
    expect(withTag("ci-big")).toEqual(tagged(next));
    const second = await db.prisma.tagPush.findFirstOrThrow({ where: { segmentId: segment.id }, orderBy: { id: "desc" } });
    const leftTagged = members.filter((m) => m.row < 100 && !m.isControl).length;
    const movedToControl = members.filter((m) => m.row >= 200 && m.row < 220 && !m.isControl).length;
    expect(second).toMatchObject({ status: "completed", added: 60, removed: leftTagged + movedToControl, total: 60 + leftTagged + movedToControl });
    expect(sim.shops.tags.runtime.bulkOperations.length).toBe(bulkBetween); // small: aliased mutations, no bulk operation

    // Undo removes the tag from everyone and nothing else.
    await runJob({ segmentId: segment.id, mode: "undo", startedBy: "Anna" });
    expect(withTag("ci-big")).toEqual([]);
    expect(others("")).toEqual(before);
  }, 600_000);

  it("a bulk mutation failing midway, and the worker killed while it runs: the restarted job re-sends only the lines Shopify did not run", async () => {
    const members = Array.from({ length: 3_000 }, (_, i) => ({ row: 53_000 + i, isControl: false }));
    const segment = await createSegment("midway", members);
    sim.injectBulkFailure("tags", { errorCode: "INTERNAL_SERVER_ERROR", afterRootObjects: 1_200 });
    const runtime = sim.shops.tags.runtime;
    const opsBefore = runtime.bulkOperations.length;
    // First worker: starts the bulk mutation, then dies (its outcome is never acted on).
    const first = await runPushTagsJob({ prisma: db.prisma, dialect, api: apiClient() }, shop, { segmentId: segment.id, mode: "push", startedBy: "Anna" });
    expect(first).toHaveProperty("retryAt");
    await sim.bulk.idle();
    // A new worker (new client, nothing in memory) picks the push up.
    await runJob({ segmentId: segment.id, mode: "resume" });

    expect(withTag("ci-midway")).toEqual(tagged(members));
    const uploads = [...runtime.stagedUploads.values()].slice(-2).map((u) => (u.content ?? "").trim().split("\n").map((l) => JSON.parse(l).id as string));
    expect(runtime.bulkOperations.length).toBe(opsBefore + 2);
    expect(uploads[0]).toHaveLength(3_000);
    // The second file holds exactly the 1,800 lines the failed operation never ran.
    expect(uploads[1]).toHaveLength(1_800);
    expect(new Set([...uploads[0].slice(0, 1_200), ...uploads[1]]).size).toBe(3_000);
    const push = await db.prisma.tagPush.findFirstOrThrow({ where: { segmentId: segment.id } });
    expect(push).toMatchObject({ status: "completed", added: 3_000, failed: 0 });
  }, 300_000);

  it("a worker killed between aliased requests resumes without re-sending a finished customer, through a spent rate limit", async () => {
    const members = Array.from({ length: 400 }, (_, i) => ({ row: 56_000 + i, isControl: false }));
    const segment = await createSegment("killed", members);
    const sentIds: string[] = [];
    const controller = new AbortController();
    let requests = 0;
    // The worker dies just before its third request: two batches are in Shopify and recorded.
    const counting: typeof fetch = async (input, init) => {
      const body = typeof init?.body === "string" ? init.body : "";
      if (body.includes("TagPushBatch") && requests === 2 && !controller.signal.aborted) {
        controller.abort();
        throw new DOMException("worker stopped", "AbortError");
      }
      const response = await sim.fetch(input, init);
      if (body.includes("TagPushBatch")) {
        const variables = JSON.parse(body).variables as Record<string, unknown>;
        const ok = response.status === 200 && !(await response.clone().text()).includes("THROTTLED");
        if (ok) {
          requests++;
          for (const [k, v] of Object.entries(variables)) if (k.startsWith("id")) sentIds.push(String(v));
        }
      }
      return response;
    };
    sim.drainRateLimit("tags");
    await expect(runJob({ segmentId: segment.id, mode: "push", startedBy: "Anna" }, { api: apiClient(counting), signal: controller.signal })).rejects.toThrow();
    const halfway = await db.prisma.tagPush.findFirstOrThrow({ where: { segmentId: segment.id } });
    expect(halfway.status).toBe("running");
    expect(halfway.done).toBeGreaterThan(0);
    expect(halfway.done).toBeLessThan(400);
    await runJob({ segmentId: segment.id, mode: "resume" }, { api: apiClient(counting) });
    expect(withTag("ci-killed")).toEqual(tagged(members));
    expect(sentIds).toHaveLength(400);
    expect(new Set(sentIds).size).toBe(400);
  }, 300_000);

  it("a customer deleted in Shopify mid-push is reported, not fatal", async () => {
    const members = Array.from({ length: 50 }, (_, i) => ({ row: 57_000 + i, isControl: false }));
    const segment = await createSegment("deleted", members);
    sim.deleteCustomer("tags", 57_010);
    sim.deleteCustomer("tags", 57_020);
    await runJob({ segmentId: segment.id, mode: "push", startedBy: "Anna" });
    const push = await db.prisma.tagPush.findFirstOrThrow({ where: { segmentId: segment.id } });
    expect(push).toMatchObject({ status: "completed", added: 48, failed: 2 });
    const errors = JSON.parse(push.errors) as { customerShopifyId: string; message: string }[];
    expect(errors.map((e) => e.customerShopifyId).sort()).toEqual([globalId("Customer", 57_010), globalId("Customer", 57_020)].sort());
    expect(withTag("ci-deleted")).toEqual(tagged(members).filter((r) => r !== 57_010 && r !== 57_020));
  }, 120_000);

  it("renames and deletes the native segment with the app's segment, removing its tags when asked", async () => {
    const members = Array.from({ length: 20 }, (_, i) => ({ row: 58_000 + i, isControl: false }));
    const segment = await createSegment("renamed", members);
    await runJob({ segmentId: segment.id, mode: "push", startedBy: "Anna" });
    const { shopifySegmentId } = await db.prisma.segment.findUniqueOrThrow({ where: { id: segment.id } });
    await db.prisma.segment.update({ where: { id: segment.id }, data: { name: "Trouwe klanten" } });
    await runJob({ segmentId: segment.id, mode: "sync-native" });
    const runtime = sim.shops.tags.runtime;
    expect(runtime.segments.find((s) => globalId("Segment", s.sequence) === shopifySegmentId)?.name).toBe("Trouwe klanten");
    await db.prisma.segment.update({ where: { id: segment.id }, data: { deletingAt: new Date() } });
    await runJob({ segmentId: segment.id, mode: "delete", removeTags: true });
    expect(withTag("ci-renamed")).toEqual([]);
    expect(runtime.segments.some((s) => globalId("Segment", s.sequence) === shopifySegmentId)).toBe(false);
    expect(await db.prisma.segment.findUnique({ where: { id: segment.id } })).toBeNull();
  }, 120_000);
});
