/**
 * `CustomerTag` holds one row per tag of `Customer.tags`, whoever writes the tags, on SQLite and
 * PostgreSQL (issue #9 item 2, decision 028): the migration fills it from the tags stored before
 * it; customers/create|update, customer.tags_added|removed (also before the customer arrived),
 * the tag push's own updates, redaction and deletion keep it in step. And a tag change through a
 * webhook moves the customer in or out of a "has tag" segment (webhook → per-order refresh →
 * segment refresh), while the echo of our own push moves nothing. The bulk writers are checked
 * in app/sync/bulk/bulk-import.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isoDateFromDayIndex } from "~/analytics/calendar/calendar-day";
import { createSeededRng } from "~/analytics/math/seeded-rng";
import { closeBulkConnections } from "~/db/bulk-connections.server";
import { createPrismaClient, type Database } from "~/db.server";
import { recomputeShop } from "~/jobs/handlers/recompute";
import { refreshProfilesJob } from "~/jobs/handlers/refresh-profiles";
import { refreshSegmentsJob } from "~/jobs/handlers/refresh-segments";
import { refreshSegmentMemberships } from "~/segments/refresh-memberships.server";
import { serializeRule, type RuleGroup } from "~/segments/rule-tree";
import { redactCustomer, redactShop } from "~/sync/privacy/privacy";
import type { SyncContext } from "~/sync/sync-context";
import { applyPendingWebhooks } from "~/sync/webhooks/apply-pending-webhooks";
import { applyWebhookEvent } from "~/sync/webhooks/apply-webhook";
import { applySyncedTagChange } from "~/tag-push/synced-tags.server";
import { migrate } from "../../scripts/db/cli";
import { createEmptyDatabase, createTestDatabase, TEST_DIALECTS, testSyncContext, type QueuedJob, type TestDatabase } from "./test-database";

const TAG_ROWS_MIGRATION = "20261203141204_customer_tag_rows";
const SHOP = "tag-rows.myshopify.com";
const OTHER_SHOP = "other-tag-rows.myshopify.com";
const gid = (n: number) => `gid://shopify/Customer/${n}`;

/** Each customer's tags as the JSON column says (distinct) and as the tag rows say, for one shop. */
async function bothViews(prisma: Database, shop: string) {
  const customers = await prisma.customer.findMany({ where: { shop }, select: { id: true, shopifyId: true, tags: true }, orderBy: { id: "asc" } });
  const rows = await prisma.customerTag.findMany({ where: { shop }, select: { customerId: true, tag: true } });
  const fromJson: Record<string, string[]> = {};
  const fromRows: Record<string, string[]> = {};
  const idToGid = new Map(customers.map((c) => [c.id, c.shopifyId]));
  for (const c of customers) {
    const tags = [...new Set(JSON.parse(c.tags) as string[])].sort();
    if (tags.length) fromJson[c.shopifyId] = tags;
  }
  for (const r of rows) (fromRows[idToGid.get(r.customerId) ?? `missing customer ${r.customerId}`] ??= []).push(r.tag);
  for (const tags of Object.values(fromRows)) tags.sort();
  return { fromJson, fromRows };
}

async function expectInStep(prisma: Database, shop: string): Promise<Record<string, string[]>> {
  const { fromJson, fromRows } = await bothViews(prisma, shop);
  expect(fromRows).toEqual(fromJson);
  return fromRows;
}

describe.each(TEST_DIALECTS)("customer tag rows on %s", (dialect) => {
  it("the migration fills the rows from the tags stored before it", async () => {
    const empty = await createEmptyDatabase(dialect);
    let prisma = createPrismaClient(empty.config);
    try {
      await migrate(empty.config, { before: TAG_ROWS_MIGRATION });
      const insert = dialect === "sqlite" ? `INSERT INTO "Customer" ("shop", "shopifyId", "tags") VALUES (?, ?, ?)` : `INSERT INTO "Customer" ("shop", "shopifyId", "tags") VALUES ($1, $2, $3)`;
      await prisma.$executeRawUnsafe(insert, SHOP, gid(1), JSON.stringify(["vip", "VIP", "it's", "vip"]));
      await prisma.$executeRawUnsafe(insert, SHOP, gid(2), "[]");
      await prisma.$executeRawUnsafe(insert, OTHER_SHOP, gid(1), JSON.stringify(["wholesale"]));
      // The migration tool wants the SQLite file to itself, as at a deploy.
      await prisma.$disconnect();
      // This migration first, then any written after it.
      const applied = await migrate(empty.config);
      expect(applied[0]).toBe(TAG_ROWS_MIGRATION);
      expect(applied.every((name) => name >= TAG_ROWS_MIGRATION)).toBe(true);
      prisma = createPrismaClient(empty.config);
      expect(await expectInStep(prisma, SHOP)).toEqual({ [gid(1)]: ["VIP", "it's", "vip"].sort() });
      expect(await expectInStep(prisma, OTHER_SHOP)).toEqual({ [gid(1)]: ["wholesale"] });
    } finally {
      await prisma.$disconnect();
      await empty.drop();
    }
  });

  describe("every writer of the tags", () => {
    let db: TestDatabase;
    let ctx: SyncContext;
    let n = 0;
    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      ctx = testSyncContext(db).ctx;
      await db.prisma.shop.create({ data: { shop: SHOP } });
    });
    afterAll(async () => db?.drop());

    const webhook = (topic: string, payload: object, triggeredAt = new Date("2026-11-01T10:00:00Z")) =>
      applyWebhookEvent(ctx, { id: ++n, shop: SHOP, topic, payload: JSON.stringify(payload), triggeredAt, receivedAt: new Date() });
    const customerPayload = (id: number, tags: string | undefined, updatedAt: string) => ({ id, admin_graphql_api_id: gid(id), email: `c${id}@example.com`, updated_at: updatedAt, ...(tags === undefined ? {} : { tags }) });

    it("customers/create and customers/update (with and without tags in the payload)", async () => {
      await webhook("customers/create", customerPayload(1, "vip, wholesale", "2026-11-01T09:00:00Z"));
      await webhook("customers/create", customerPayload(2, "", "2026-11-01T09:00:00Z"));
      expect(await expectInStep(db.prisma, SHOP)).toEqual({ [gid(1)]: ["vip", "wholesale"] });
      await webhook("customers/update", customerPayload(1, "vip, newsletter", "2026-11-01T09:30:00Z"));
      await webhook("customers/update", customerPayload(2, "Stammkunde", "2026-11-01T09:30:00Z"));
      // A payload without tags (API ≥ 2025-01) keeps the stored ones, and their rows.
      await webhook("customers/update", customerPayload(1, undefined, "2026-11-01T09:40:00Z"));
      expect(await expectInStep(db.prisma, SHOP)).toEqual({ [gid(1)]: ["newsletter", "vip"], [gid(2)]: ["Stammkunde"] });
    });

    it("customer.tags_added and customer.tags_removed, also before the customer itself arrived", async () => {
      await webhook("customer.tags_added", { customerId: gid(1), tags: ["ci-champions", "vip"] }, new Date("2026-11-01T11:00:00Z"));
      await webhook("customer.tags_removed", { customerId: gid(2), tags: ["Stammkunde"] }, new Date("2026-11-01T11:00:00Z"));
      await webhook("customer.tags_added", { customerId: gid(3), tags: ["early"] }, new Date("2026-11-01T11:00:00Z"));
      expect(await expectInStep(db.prisma, SHOP)).toEqual({ [gid(1)]: ["ci-champions", "newsletter", "vip"], [gid(3)]: ["early"] });
      // The customer's own create fills the stub; its tags (none in the payload) stay.
      await webhook("customers/create", customerPayload(3, undefined, "2026-11-01T10:00:00Z"));
      expect((await expectInStep(db.prisma, SHOP))[gid(3)]).toEqual(["early"]);
    });

    it("the tag push's own updates of the synced tags", async () => {
      await applySyncedTagChange(db.prisma, dialect, SHOP, [gid(1), gid(2), gid(3)], { add: ["ci-lost"], at: new Date("2026-11-01T12:00:00Z") });
      expect(await expectInStep(db.prisma, SHOP)).toEqual({ [gid(1)]: ["ci-champions", "ci-lost", "newsletter", "vip"], [gid(2)]: ["ci-lost"], [gid(3)]: ["ci-lost", "early"] });
      await applySyncedTagChange(db.prisma, dialect, SHOP, [gid(1), gid(3)], { remove: ["ci-lost"], at: new Date("2026-11-01T13:00:00Z") });
      expect(await expectInStep(db.prisma, SHOP)).toEqual({ [gid(1)]: ["ci-champions", "newsletter", "vip"], [gid(2)]: ["ci-lost"], [gid(3)]: ["early"] });
    });

    it("a customer redaction takes their tag rows, a deleted customer row takes its rows along, a shop redaction takes the shop's", async () => {
      await db.prisma.$transaction((tx) => redactCustomer(tx, SHOP, gid(1), [], new Date()));
      expect(await expectInStep(db.prisma, SHOP)).toEqual({ [gid(2)]: ["ci-lost"], [gid(3)]: ["early"] });
      await db.prisma.customer.delete({ where: { shop_shopifyId: { shop: SHOP, shopifyId: gid(3) } } });
      expect(await db.prisma.customerTag.count({ where: { shop: SHOP } })).toBe(1);
      await db.prisma.customer.create({ data: { shop: OTHER_SHOP, shopifyId: gid(2), tags: JSON.stringify(["ci-lost"]) } });
      await redactShop(ctx, SHOP);
      expect(await db.prisma.customerTag.count({ where: { shop: SHOP } })).toBe(0);
      expect(await expectInStep(db.prisma, OTHER_SHOP)).toEqual({ [gid(2)]: ["ci-lost"] });
    });
  });

  describe("segment membership follows a tag webhook", () => {
    const AS_OF = "2026-06-30";
    const NOON = new Date(`${AS_OF}T12:00:00Z`);
    const AS_OF_DAY = Date.parse(`${AS_OF}T00:00:00Z`) / 86_400_000;
    const CUSTOMERS = 120;
    let db: TestDatabase;
    let ctx: SyncContext;
    let queued: QueuedJob[];
    /** The kinds of the jobs queued so far. */
    const enqueued = () => queued.map((j) => j.kind);
    let segmentId: number;
    let webhookNumber = 0;

    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      ({ ctx, queued } = testSyncContext(db, { now: () => NOON }));
      await db.prisma.shop.create({ data: { shop: SHOP, ianaTimezone: "UTC" } });
      await db.prisma.customer.createMany({
        data: Array.from({ length: CUSTOMERS }, (_, c) => ({ shop: SHOP, shopifyId: gid(c + 1), tags: JSON.stringify(c % 10 === 0 ? ["wholesale"] : []) })),
      });
      const rng = createSeededRng(5);
      const orders = [];
      for (let c = 0; c < CUSTOMERS; c++) {
        const count = 1 + Math.floor(rng() * 4);
        for (let k = 0; k < count; k++) {
          const day = AS_OF_DAY - 20 - Math.floor(rng() * 500);
          orders.push({ shop: SHOP, shopifyId: `gid://shopify/Order/${orders.length + 1}`, customerShopifyId: gid(c + 1), totalPrice: (15 + Math.floor(rng() * 150)).toFixed(2), shopifyCreatedAt: new Date(`${isoDateFromDayIndex(day)}T10:00:00Z`) });
        }
      }
      await db.prisma.order.createMany({ data: orders });
      await recomputeShop(ctx, SHOP, { asOf: NOON });
      const rule: RuleGroup = { type: "group", match: "all", children: [{ type: "condition", field: "tags", operator: "has", value: "wholesale" }] };
      segmentId = (await db.prisma.segment.create({ data: { shop: SHOP, handle: "wholesale", name: "Wholesale", rules: serializeRule(rule) } })).id;
      await refreshSegmentMemberships(ctx, SHOP);
    }, 180_000);
    afterAll(async () => {
      await closeBulkConnections();
      await db?.drop();
    });

    const members = async () => (await db.prisma.segmentMembership.findMany({ where: { segmentId }, select: { customerShopifyId: true } })).map((m) => m.customerShopifyId).sort();
    /** A delivery recorded as the webhook route records it, then the worker's jobs in the order they chain. */
    async function deliverAndRunJobs(topic: string, customer: string, tags: string[], at: string): Promise<string[]> {
      queued.length = 0;
      await db.prisma.webhookEvent.create({ data: { shop: SHOP, webhookId: `tags-${++webhookNumber}`, topic, payload: JSON.stringify({ customerId: customer, tags }), triggeredAt: new Date(at) } });
      expect((await applyPendingWebhooks(ctx, SHOP)).applied).toBe(1);
      const chain = enqueued();
      if (enqueued().includes("refresh-profiles")) await refreshProfilesJob({ context: ctx })({ shop: SHOP } as never);
      if (enqueued().includes("refresh-segments")) await refreshSegmentsJob({ context: ctx })({ shop: SHOP } as never);
      return [...chain, ...enqueued().slice(chain.length)];
    }

    it("a customer tagged in Shopify joins the segment, and leaves when the tag is removed", async () => {
      const before = await members();
      expect(before).toEqual(Array.from({ length: CUSTOMERS / 10 }, (_, i) => gid(i * 10 + 1)).sort());
      const newcomer = gid(2);
      // The per-order refresh re-evaluates the rescored customer's segments itself (decision 022).
      expect(await deliverAndRunJobs("customer.tags_added", newcomer, ["wholesale"], "2026-06-30T11:00:00Z")).toEqual(["refresh-profiles"]);
      expect(await members()).toEqual([...before, newcomer].sort());
      const change = await db.prisma.segmentMembershipChange.findFirst({ where: { segmentId, customerShopifyId: newcomer }, orderBy: { id: "desc" } });
      expect(change).toMatchObject({ joined: true });

      await deliverAndRunJobs("customer.tags_removed", gid(1), ["wholesale"], "2026-06-30T11:05:00Z");
      expect(await members()).toEqual([...before, newcomer].filter((id) => id !== gid(1)).sort());
    });

    it("the echo of a change already applied (our own push's webhook) starts nothing", async () => {
      const before = await members();
      await applySyncedTagChange(db.prisma, dialect, SHOP, [gid(3)], { add: ["ci-wholesale"], at: new Date("2026-06-30T11:10:00Z") });
      expect(await deliverAndRunJobs("customer.tags_added", gid(3), ["ci-wholesale"], "2026-06-30T11:10:00Z")).toEqual([]);
      expect(await members()).toEqual(before);
    });
  });
});
